"""Audience shares that a tiny interview cannot move: the interviews below a minimum of answer
paragraphs, and precision-weighted pooling beside the equal-weight mean over interviews.

An equal-weight mean gives an interview of one answer paragraph the weight of one of 94: in the
seed study CNN Türk (one paragraph of 95 words) is a sixth of every Turkish mean. Two answers,
shown beside the equal weights, never instead of them:

* :func:`drop_small`: the interviews with at least ``min_units`` answer paragraphs. A share of
  fewer than ``min_units`` paragraphs moves in steps of 1 / n, so one paragraph's coding decides a
  large part of the interview's value (:func:`analysis.stats.sentences.small_line` says which interviews fall below).
* :func:`pooled_shares`: the random-effects (inverse-variance) mean of each audience's interview
  shares (DerSimonian and Laird 1986; checked against statsmodels' ``combine_effects``): each interview weighs
  1 / (v_i + tau^2), where v_i = p (1 - p) / n_i is the binomial variance of a share of n_i
  paragraphs (p the audience's pooled share, so that an interview at 0 or 1 is not given infinite
  weight) and tau^2 the variance between interviews. With tau^2 = 0 this is the share of all the
  audience's paragraphs; with tau^2 large, the equal-weight mean. The interval is a t(k - 1)
  interval on the log-odds scale, back-transformed, so it stays inside [0, 1].
* :func:`top_frames` and :func:`profile_changes`: which of an audience's three most frequent
  frames change between these weightings.

Reference: DerSimonian, R. and Laird, N. (1986). Meta-analysis in clinical trials. Controlled
Clinical Trials 7, 177-188.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

POOLED_COLUMNS = ["frame", "group", "n", "mean", "se", "low", "high", "tau2"]


def drop_small(shares: pd.DataFrame, min_units: int) -> pd.DataFrame:
    """The rows of ``shares`` (:func:`analysis.audiences.coded.frame_shares`) with at least ``min_units``
    answer paragraphs (``n_units``)."""
    return shares[shares["n_units"] >= min_units]


def pooled_shares(
    shares: pd.DataFrame, frame_ids: Sequence[str], by: str = "audience", level: float = 0.95
) -> pd.DataFrame:
    """Precision-weighted (random-effects, DerSimonian-Laird) mean of each group's interview
    shares per frame, with a t(k - 1) interval on the log-odds scale (inside [0, 1]); see the
    module docstring. ``shares`` has one row per interview with ``n_units`` and a 0..1 column per
    frame. Returns ``POOLED_COLUMNS`` (``n`` interviews, ``se`` on the share scale, ``tau2`` the
    between-interview variance). A group whose interviews all have 0 (or 1) gets that value and
    no interval."""
    rows = []
    for frame in frame_ids:
        for group, part in shares.groupby(by, sort=True):
            rows.append({"frame": frame, "group": group, **_pool(part[frame], part["n_units"], level)})
    return pd.DataFrame(rows, columns=POOLED_COLUMNS)


def _pool(values: pd.Series, sizes: pd.Series, level: float) -> dict:
    p, n = values.to_numpy(dtype=float), sizes.to_numpy(dtype=float)
    pooled = float((p * n).sum() / n.sum())
    k = len(p)
    if k < 2 or pooled in (0.0, 1.0):
        return {"n": k, "mean": pooled, "se": np.nan, "low": np.nan, "high": np.nan, "tau2": np.nan}
    mean, se, tau2 = random_effects_mean(p, pooled * (1 - pooled) / n)
    mean = min(max(mean, 1e-9), 1 - 1e-9)
    half = stats.t.ppf((1 + level) / 2, k - 1) * se / (mean * (1 - mean))
    logit = np.log(mean / (1 - mean))
    low, high = (1 / (1 + np.exp(-(logit + s * half))) for s in (-1, 1))
    return {"n": k, "mean": mean, "se": se, "low": float(low), "high": float(high), "tau2": tau2}


def random_effects_mean(values: np.ndarray, variances: np.ndarray) -> tuple[float, float, float]:
    """DerSimonian and Laird's random-effects mean of ``values`` with known within ``variances``:
    (mean, its standard error, tau^2). With w_i = 1 / v_i, the fixed-effect mean m, Q = sum w_i
    (y_i - m)^2 and c = sum w_i - sum w_i^2 / sum w_i, tau^2 = max(0, (Q - (k - 1)) / c) (truncated
    at 0, as in the paper); then w*_i = 1 / (v_i + tau^2), mean = sum w*_i y_i / sum w*_i and
    se = (sum w*_i)^(-1/2)."""
    y, v = np.asarray(values, dtype=float), np.asarray(variances, dtype=float)
    w = 1 / v
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    weights = 1 / (v + tau2)
    return float((weights * y).sum() / weights.sum()), float(np.sqrt(1 / weights.sum())), float(tau2)


def top_frames(means: pd.DataFrame, k: int = 3) -> dict[str, list[str]]:
    """Each group's ``k`` most frequent frames (``means``: ``frame``, ``group``, ``mean``), in
    descending order."""
    return {g: part.nlargest(k, "mean")["frame"].tolist() for g, part in means.groupby("group", sort=False)}


def profile_changes(variants: dict[str, pd.DataFrame], k: int = 3) -> pd.DataFrame:
    """The top ``k`` frames of each group under each weighting (``variants``: name -> means table,
    the first the reference): ``group``, ``weighting``, ``top`` (frames, comma-joined) and
    ``changed`` (a different set of frames from the reference's)."""
    tops = {name: top_frames(means, k) for name, means in variants.items()}
    reference = next(iter(tops.values()))
    rows = [
        {"group": g, "weighting": name, "top": ", ".join(top[g]), "changed": set(top[g]) != set(reference[g])}
        for name, top in tops.items()
        for g in reference
        if g in top
    ]
    return pd.DataFrame(rows)
