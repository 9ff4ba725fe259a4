"""What a contrast that did not differ could have detected: the smallest odds ratio its own
standard error lets the study find with a given power.

A contrast that does not survive its test says little unless the reader knows what size of
difference the study could have seen. For a Wald test of a log odds ratio with standard error
``se``, a true log odds ratio of ``(q_{1-alpha/2} + q_{power}) * se`` is rejected (two-sided,
level ``alpha``) with probability ``power`` (the far tail neglected), so the smallest detectable
odds ratio is ``exp((q_{1-alpha/2} + q_{power}) * se)`` either way (its inverse below 1); ``q`` is
the standard normal quantile, or Student's t with the interval's degrees of freedom where the
interval used t (clustered errors with few interviews). The standard error is read back from the
contrast's own interval: ``se = (log(high) - log(low)) / (2 q_{(1+level)/2})``.

References: Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, ch. 2 (the sum
of the two quantiles); Gelman and Carlin (2014), Beyond power calculations, Perspectives on
Psychological Science 9(6), 641-651 (power read from a study's own standard error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Columns of :func:`detectable_table`: the contrast (``frame``, ``group_a``, ``group_b``), its
#: odds ratio and 95% interval (``ratio``, ``low``, ``high``), the standard error of its log
#: (``se_log``), the degrees of freedom of the interval (``df``; empty: normal), the level and the
#: smallest odds ratio detectable with ``power`` there (``alpha``, ``detectable_ratio``), the same
#: at Holm's strictest step, alpha over the family's number of contrasts (``alpha_corrected``,
#: ``detectable_ratio_corrected``), the number of contrasts in that family (``family``), the power
#: (``power``), and whether it survived Holm's correction (``survives``, from the table's ``p_holm``).
DETECTABLE_COLUMNS = ["frame", "group_a", "group_b", "ratio", "low", "high", "se_log", "df", "alpha",
                      "detectable_ratio", "alpha_corrected", "detectable_ratio_corrected", "family",
                      "power", "survives"]  # fmt: skip


def _quantile(p: float, df: float | None) -> float:
    return float(stats.norm.ppf(p) if df is None or np.isnan(df) else stats.t.ppf(p, df))


def log_se(low: float, high: float, level: float = 0.95, df: float | None = None) -> float:
    """The standard error of a log ratio from its interval [``low``, ``high``] (ratio scale) at
    ``level``, made with the normal (``df`` None) or Student's t quantile."""
    if not (0 < low <= high):
        raise ValueError(f"an odds ratio's interval is positive and ordered, not [{low}, {high}]")
    return float((np.log(high) - np.log(low)) / (2 * _quantile((1 + level) / 2, df)))


def detectable_ratio(se: float, alpha: float = 0.05, power: float = 0.80, df: float | None = None) -> float:
    """The smallest odds ratio (above 1; its inverse below) that a two-sided test at level
    ``alpha`` of a log odds ratio with standard error ``se`` detects with probability ``power``:
    ``exp((q_{1-alpha/2} + q_{power}) * se)``."""
    if se <= 0 or not (0 < alpha < 1) or not (0 < power < 1):
        raise ValueError("se must be positive, alpha and power between 0 and 1")
    return float(np.exp((_quantile(1 - alpha / 2, df) + _quantile(power, df)) * se))


def detectable_table(
    effects: pd.DataFrame, alpha: float = 0.05, power: float = 0.80, level: float = 0.95, t_intervals: bool = True
) -> pd.DataFrame:
    """For every contrast of ``effects`` (odds ratios with ``frame``, ``group_a``, ``group_b``,
    ``ratio``, ``low``, ``high``, ``p_holm`` and ``n_interviews``, as
    :func:`analysis.audiences.estimands.total_effects` writes them): the smallest odds ratio detectable
    with ``power`` at ``alpha`` and at alpha over the number of contrasts (Holm's first step),
    from the contrast's own standard error (:data:`DETECTABLE_COLUMNS`). ``t_intervals``: the
    intervals used Student's t with ``n_interviews - 1`` degrees of freedom (CR1 errors clustered
    by interview, as statsmodels makes them), else the normal. Contrasts without an interval
    (a fit at the edge) are left out."""
    usable = effects.dropna(subset=["low", "high"])
    usable = usable[(usable["low"] > 0) & np.isfinite(usable["high"])]
    corrected = alpha / max(len(effects), 1)
    rows = []
    for r in usable.itertuples():
        df = float(r.n_interviews - 1) if t_intervals else None
        se = log_se(r.low, r.high, level, df)
        rows.append({"frame": r.frame, "group_a": r.group_a, "group_b": r.group_b, "ratio": r.ratio, "low": r.low,
                     "high": r.high, "se_log": se, "df": df, "alpha": alpha,
                     "detectable_ratio": detectable_ratio(se, alpha, power, df), "alpha_corrected": corrected,
                     "detectable_ratio_corrected": detectable_ratio(se, corrected, power, df), "family": len(effects),
                     "power": power,
                     "survives": bool(r.p_holm < alpha)})  # fmt: skip
    return pd.DataFrame(rows, columns=DETECTABLE_COLUMNS)
