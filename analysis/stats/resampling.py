"""Uncertainty over interviews: bootstrap intervals of group means and permutation tests of
their differences, where each interview is one observation.

Words and passages of one interview are not independent, so every interval and test here
resamples or permutes whole interviews (rows of the tables passed in).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations, islice

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.model_selection import GroupKFold

from .progress import progress


def _difference(x, y, axis):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def permutation_p(a, b, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Two-sided permutation p-values, per column, of the difference of means between the rows
    of ``a`` and of ``b`` (rows are interviews, each weighing the same); exact when the rows
    allow no more distinct splits than ``n_resamples``.

    ``a`` and ``b`` are arrays or scipy sparse matrices with the same columns. The test is the
    one of ``scipy.stats.permutation_test`` (independent samples, the same permutations drawn
    from ``rng``, the same tolerance for ties and the same +1 for a random test), computed from
    sums of rows: each resample costs the non-zero values, not rows x columns, so a matrix of
    thousands of interviews and words stays sparse and fast. The observed difference is computed
    the same way as the resampled ones, so a resample with the observed split's rows is an
    exact tie. Resamples are taken in batches of about 64 MB of results."""
    n_a, n_b = a.shape[0], b.shape[0]
    n = n_a + n_b
    data = sparse.vstack([sparse.csr_matrix(a), sparse.csr_matrix(b)], format="csr", dtype=float)
    total = np.asarray(data.sum(axis=0)).ravel()
    n_splits = math.comb(n, n_a)
    exact = n_resamples >= n_splits
    if exact:
        splits = (list(first) for first in combinations(range(n), n_a))
        n_null = n_splits
    else:
        splits = (rng.permutation(n)[:n_a] for _ in range(n_resamples))
        n_null = n_resamples
    splits = progress(splits, "permutations", total=n_null)
    observed = _mean_difference(data, [list(range(n_a))], total, n_a, n_b)[0]
    gamma = np.abs(np.finfo(float).eps * 100 * observed)
    below, above = np.zeros(len(total), dtype=np.int64), np.zeros(len(total), dtype=np.int64)
    batch = max(1, _BATCH_BYTES // (8 * max(1, len(total))))
    while chunk := list(islice(splits, batch)):
        null = _mean_difference(data, chunk, total, n_a, n_b)
        below += np.count_nonzero(null <= observed + gamma, axis=0)
        above += np.count_nonzero(null >= observed - gamma, axis=0)
    extra = 0 if exact else 1
    p = 2 * np.minimum(below + extra, above + extra) / (n_null + extra)
    return np.clip(p, 0.0, 1.0)


def _mean_difference(data: sparse.csr_matrix, firsts: list, total: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Difference of means for each split (one row per split): the rows listed in a split
    against all the others."""
    rows = np.repeat(np.arange(len(firsts)), n_a)
    pick = sparse.csr_matrix((np.ones(len(rows)), (rows, np.concatenate(firsts))), shape=(len(firsts), data.shape[0]))
    sums = (pick @ data).toarray()
    return sums / n_a - (total - sums) / n_b


_BATCH_BYTES = 64 * 2**20


def group_means(
    table: pd.DataFrame, columns: Sequence, by: str, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Mean of each of ``columns`` per value of ``by``, rows of ``table`` weighing the same,
    with a percentile bootstrap interval that resamples rows within the group (Efron and
    Tibshirani 1993).

    Returns one row per group and column: ``group``, ``column``, ``n`` (rows in the group),
    ``mean``, ``low`` and ``high``; the interval is empty (NaN) for a group of one row."""
    rng = np.random.default_rng(seed)
    columns = list(columns)
    rows = []
    for group, part in table.groupby(by, sort=True):
        values = part[columns].to_numpy(dtype=float)
        mean = values.mean(axis=0)
        if len(values) > 1:
            result = stats.bootstrap(
                (values,),
                np.mean,
                n_resamples=n_resamples,
                axis=0,
                confidence_level=confidence,
                method="percentile",
                rng=rng,
            )
            low, high = result.confidence_interval
        else:
            low = high = np.full(len(columns), np.nan)
        rows += [(group, c, len(values), mean[i], low[i], high[i]) for i, c in enumerate(columns)]
    return pd.DataFrame(rows, columns=["group", "column", "n", "mean", "low", "high"])


def compare_groups(
    table: pd.DataFrame,
    columns: Sequence,
    by: str,
    group_a: str,
    group_b: str,
    n_resamples: int = 9999,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Difference of means (a - b) for each of ``columns`` between two groups of rows, with a
    percentile bootstrap interval (rows resampled within each group) and a two-sided
    permutation test of rows between the groups (exact when the groups allow fewer distinct
    splits than ``n_resamples``).

    Returns one row per column: ``column``, ``mean_a``, ``mean_b``, ``difference``, ``low``,
    ``high`` and ``p``. Raises ValueError if a group has fewer than two rows."""
    columns = list(columns)
    a = table.loc[table[by] == group_a, columns].to_numpy(dtype=float)
    b = table.loc[table[by] == group_b, columns].to_numpy(dtype=float)
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"each group needs at least two interviews; {group_a}: {len(a)}, {group_b}: {len(b)}")
    rng = np.random.default_rng(seed)
    interval = stats.bootstrap(
        (a, b),
        _difference,
        n_resamples=min(n_resamples, 4999),
        axis=0,
        method="percentile",
        confidence_level=confidence,
        rng=rng,
    ).confidence_interval
    p = permutation_p(a, b, n_resamples, rng)
    return pd.DataFrame(
        {
            "column": columns,
            "mean_a": a.mean(axis=0),
            "mean_b": b.mean(axis=0),
            "difference": a.mean(axis=0) - b.mean(axis=0),
            "low": interval.low,
            "high": interval.high,
            "p": p,
        }
    )


def grouped_folds(groups: Sequence[str], n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) positions of a grouped k-fold split: no group is on both sides. The split is
    scikit-learn's ``GroupKFold`` (groups balanced by size, deterministic)."""
    groups = np.asarray(groups)
    n_splits = min(n_splits, len(np.unique(groups)))
    return list(GroupKFold(n_splits=n_splits).split(groups, groups=groups))


def pairs_of(groups: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of ``groups`` in order: [(a, b), (a, c), (b, c)]."""
    return list(combinations(groups, 2))
