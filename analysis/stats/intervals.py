"""Intervals and power for comparisons of a few interviews per group.

With 3 to 11 interviews per audience, percentile bootstrap intervals are too narrow (they ignore
that the spread itself is estimated from a handful of values). The intervals here use Student's
and Welch's t, whose coverage holds for small normal samples and degrades gracefully otherwise
(tests/stats/test_intervals.py checks coverage by simulation at these group sizes). Power answers the
question "none survives" leaves open: how large a difference these groups could have shown.

References: Welch, B. L. (1947). The generalization of Student's problem when several different
population variances are involved. Biometrika 34, 28-35. Cohen, J. (1988). Statistical power
analysis for the behavioral sciences (d, the standardised difference of means).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

import numpy as np
import pandas as pd
from scipy import optimize, stats


def mean_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """The mean of ``values`` with a Student t interval: ``(mean, low, high)``; the interval is
    NaN for fewer than two values."""
    x = np.asarray(values, dtype=float)
    mean = float(x.mean()) if len(x) else float("nan")
    if len(x) < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf((1 + level) / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return mean, mean - half, mean + half


def welch_interval(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> dict:
    """The difference of means ``mean(a) - mean(b)`` with Welch's interval and test, which does
    not assume equal variances: ``difference``, ``low``, ``high``, ``df`` (Welch-Satterthwaite)
    and ``p`` (two-sided). Each group needs at least two values."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"each group needs at least two values; got {len(a)} and {len(b)}")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    difference = float(a.mean() - b.mean())
    if se == 0:
        return {
            "difference": difference,
            "low": difference,
            "high": difference,
            "df": float("nan"),
            "p": 1.0 if difference == 0 else 0.0,
        }
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf((1 + level) / 2, df) * se
    p = 2 * stats.t.sf(abs(difference) / se, df)
    return {
        "difference": difference,
        "low": difference - half,
        "high": difference + half,
        "df": float(df),
        "p": float(p),
    }


def clopper_pearson(count: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper and Pearson 1934) interval of a proportion ``count / n`` from the beta
    distribution, for real-valued ``count`` and ``n`` as well (an effective sample size): 0 when
    ``count`` is 0, 1 when it is ``n``, and always within [0, 1]."""
    alpha = 1 - level
    low = float(stats.beta.ppf(alpha / 2, count, n - count + 1)) if count > 0 else 0.0
    high = float(stats.beta.ppf(1 - alpha / 2, count + 1, n - count)) if count < n else 1.0
    return low, high


def share_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """The mean of interview shares (each in [0, 1]) with an interval that stays within [0, 1]:
    ``(mean, low, high)``, NaN interval for fewer than two values.

    Korn and Graubard's (1998) interval for a proportion estimated from clustered data: the
    effective sample size ``n_eff = m (1 - m) / se^2`` (m the mean, se its standard error over
    the k interviews), shrunk by ``(z / t_{k-1})^2`` so that the few interviews' degrees of
    freedom count, then the exact Clopper-Pearson interval of ``m * n_eff`` successes in
    ``n_eff``. Where the variance cannot say anything (every interview has the same share, or
    the mean is 0 or 1), ``n_eff`` is the number of interviews, as if each were one yes-or-no
    (Korn and Graubard set it to the sample size there).
    A Student t interval around the mean reaches below 0 for rare frames in a few interviews
    (issue 23: [-8, 66] %); this one does not, and its coverage at 3 to 11 interviews per group
    is checked by simulation in tests/stats/test_intervals.py (near 95% for shares of 0.1 to 0.5 with
    moderately spread interviews; about 0.89 for shares near 0.1 when interviews are very
    unequal, where the t interval covers 0.87 and leaves [0, 1]).

    References: Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for proportions with
    small expected number of positive counts estimated from survey data. Survey Methodology 24,
    193-201. Clopper, C. J. and Pearson, E. S. (1934). Biometrika 26, 404-413.
    """
    x = np.asarray(values, dtype=float)
    mean = float(x.mean()) if len(x) else float("nan")
    if len(x) < 2:
        return mean, float("nan"), float("nan")
    if x.min() < 0 or x.max() > 1:
        raise ValueError(f"shares must lie in [0, 1]; got values from {x.min()} to {x.max()}")
    k = len(x)
    variance = x.var(ddof=1) / k
    informative = variance > 0 and 0 < mean < 1
    if informative:
        n_eff = mean * (1 - mean) / variance
        n_eff *= (stats.norm.ppf((1 + level) / 2) / stats.t.ppf((1 + level) / 2, k - 1)) ** 2
    else:
        n_eff = float(k)
    low, high = clopper_pearson(mean * n_eff, n_eff, level)
    return mean, min(low, mean), max(high, mean)


def group_intervals(
    table: pd.DataFrame, columns: Sequence[str], by: str = "audience", level: float = 0.95, share: bool = False
) -> pd.DataFrame:
    """Per group and column: ``column``, ``group``, ``n`` (rows, i.e. interviews), ``mean``,
    ``low`` and ``high``: a Student t interval over the group's rows (:func:`mean_interval`), or
    with ``share=True``, for values that are shares in [0, 1], an interval that stays within
    [0, 1] (:func:`share_interval`)."""
    interval = share_interval if share else mean_interval
    rows = []
    for column in columns:
        for group, part in table.groupby(by, sort=True):
            mean, low, high = interval(part[column], level)
            rows.append({"column": column, "group": group, "n": len(part), "mean": mean, "low": low, "high": high})
    return pd.DataFrame(rows)


def minimum_detectable_effect(n_a: int, n_b: int, alpha: float = 0.05, power: float = 0.80) -> float:
    """The smallest standardised difference of means (Cohen's d) that a two-sided two-sample t test
    with ``n_a`` and ``n_b`` values detects with probability ``power`` at level ``alpha``: the d at
    which the noncentral t distribution (df = n_a + n_b - 2, noncentrality d * sqrt(n_a n_b /
    (n_a + n_b))) puts ``power`` beyond the critical values."""
    df = n_a + n_b - 2
    if df < 1:
        raise ValueError("the two groups need at least three values between them")
    critical = stats.t.ppf(1 - alpha / 2, df)
    scale = np.sqrt(n_a * n_b / (n_a + n_b))

    def shortfall(d: float) -> float:
        nc = d * scale
        # the far tail's share is negligible once nc is large, where scipy's nct.cdf returns NaN
        far = np.nan_to_num(stats.nct.cdf(-critical, df, nc))
        return stats.nct.sf(critical, df, nc) + far - power

    upper = 1.0
    while shortfall(upper) < 0:
        upper *= 2
    return float(optimize.brentq(shortfall, 1e-6, upper))


def smallest_permutation_p(n_a: int, n_b: int, two_sided: bool = True) -> float:
    """The smallest p-value an exact permutation test over ``n_a + n_b`` interviews can give: one
    split in C(n_a + n_b, n_a) (two when two-sided, the mirror split being as extreme)."""
    splits = comb(n_a + n_b, n_a)
    return min(1.0, (2 if two_sided else 1) / splits)


def power_table(
    sizes: dict[str, int], pairs: Sequence[tuple[str, str]], n_tests: int, alpha: float = 0.05, power: float = 0.80
) -> pd.DataFrame:
    """For each pair of groups: the interviews behind each (``n_a``, ``n_b``), the minimum
    detectable effect (Cohen's d) at ``power`` uncorrected (``mde``) and after a Bonferroni
    correction over ``n_tests`` tests (``mde_corrected``; Holm's first step is the same), the
    number of distinct splits of an exact permutation test (``splits``), its smallest two-sided p
    (``smallest_p``) and whether that can pass the corrected level at all (``can_pass``)."""
    rows = []
    for a, b in pairs:
        n_a, n_b = sizes[a], sizes[b]
        smallest = smallest_permutation_p(n_a, n_b)
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "n_a": n_a,
                "n_b": n_b,
                "mde": minimum_detectable_effect(n_a, n_b, alpha, power),
                "mde_corrected": minimum_detectable_effect(n_a, n_b, alpha / n_tests, power),
                "splits": comb(n_a + n_b, n_a),
                "smallest_p": smallest,
                "can_pass": smallest <= alpha / n_tests,
            }
        )
    return pd.DataFrame(rows)


def welch_table(
    table: pd.DataFrame,
    columns: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    by: str = "audience",
    level: float = 0.95,
) -> pd.DataFrame:
    """:func:`welch_interval` for every pair of groups and column: ``group_a``, ``group_b``,
    ``column``, ``n_a``, ``n_b``, ``difference``, ``low``, ``high``, ``df`` and ``p``."""
    rows = []
    for a, b in pairs:
        part_a, part_b = table[table[by] == a], table[table[by] == b]
        for column in columns:
            rows.append(
                {
                    "group_a": a,
                    "group_b": b,
                    "column": column,
                    "n_a": len(part_a),
                    "n_b": len(part_b),
                    **welch_interval(part_a[column], part_b[column], level),
                }
            )
    return pd.DataFrame(rows)


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of p-values (Holm 1979): the k-th smallest of m p-values is
    multiplied by m - k + 1, then made monotone and capped at 1."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    adjusted = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


#: Estimate columns, in the order a bare ``low``/``high`` pair is attributed to them: a table
#: holding a difference, a ratio or an alpha beside a share gives its bare interval to those.
_ESTIMATES = (
    "difference",
    "ratio",
    "or",
    "odds_ratio",
    "alpha",
    "share",
    "mean",
    "prevalence",
    "proportion",
    "estimate",
)
#: Estimate names that are shares or proportions, whose intervals must lie in [0, 1].
SHARE_ESTIMATES = ("share", "mean", "prevalence", "proportion")


def share_interval_columns(columns: Sequence[str]) -> list[tuple[str, str, str]]:
    """The intervals of shares among a table's ``columns``, as ``(estimate, low, high)``, by the
    naming convention of every table the report writes (``figures/*.csv``):

    * an interval is a pair ``<name>_low``/``<name>_high`` (the interval of column ``<name>``) or a
      bare ``low``/``high`` (or ``ci_low``/``ci_high``), the interval of the table's estimate: the
      first of ``difference``, ``ratio``, ``or``, ``odds_ratio``, ``alpha``, ``share``, ``mean``,
      ``prevalence``, ``proportion``, ``estimate`` that the table has;
    * it is the interval of a share when that estimate is named ``share``, ``mean``, ``prevalence``
      or ``proportion``, or its name ends in ``_share``, or it is a bare ``estimate`` in a table
      that does not compare two groups (no ``group_a`` and ``group_b``, no ``higher`` and
      ``lower`` as in the claims' robustness table; a DSL prevalence, say):
      such an interval must lie in [0, 1]
      (tests/stats/test_intervals.py checks every CSV of a built report). A mean that is not a share
      needs another name (``mean_rate``, ``mean_words``).
    """
    columns = list(columns)
    found = []
    for low in columns:
        if low in ("low", "ci_low"):
            high = low.replace("low", "high")
            estimate = next((c for c in _ESTIMATES if c in columns), None)
        elif low.endswith("_low"):
            estimate, high = low.removesuffix("_low"), low.removesuffix("_low") + "_high"
        else:
            continue
        contrast = {"group_a", "group_b"} <= set(columns) or {"higher", "lower"} <= set(columns)
        share = estimate in SHARE_ESTIMATES or (estimate or "").endswith("_share")
        share = share or (estimate == "estimate" and low == "low" and not contrast)
        if high in columns and estimate is not None and share:
            found.append((estimate, low, high))
    return found


def shares_outside(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` where an interval of a share (:func:`share_interval_columns`) reaches
    outside [0, 1]: ``estimate``, ``low`` and ``high`` (column names), ``row`` (position) and
    ``low_value``, ``high_value``. Empty when every share's interval stays within [0, 1]; a
    missing bound (a group of one interview) is not outside."""
    rows = []
    for estimate, low, high in share_interval_columns(table.columns):
        lo = pd.to_numeric(table[low], errors="coerce")
        hi = pd.to_numeric(table[high], errors="coerce")
        bad = (lo < 0) | (hi > 1)
        for i in np.flatnonzero(bad.to_numpy()):
            rows.append(
                {
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "row": int(i),
                    "low_value": float(lo.iat[i]),
                    "high_value": float(hi.iat[i]),
                }
            )
    return pd.DataFrame(rows, columns=["estimate", "low", "high", "row", "low_value", "high_value"])
