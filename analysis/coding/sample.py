"""Samples of paragraphs drawn for coding by reading, each reproducible from its seed."""

from __future__ import annotations

import numpy as np
import pandas as pd


def sample_paragraphs(
    paragraphs: pd.DataFrame, per_group: dict[str, int], min_words: int = 20, max_words: int = 200, seed: int = 2020
) -> pd.DataFrame:
    """A stratified random sample of paragraphs for hand-coding.

    ``per_group`` maps each audience to the number of paragraphs to draw among those of
    ``min_words`` to ``max_words`` words (long paragraphs make coding unreliable, very short ones
    carry no frame). Within each audience the drawn paragraphs alternate between ``split``
    "dev" and "heldout", so both halves are stratified too. Rows are sorted by para_id."""
    rng = np.random.default_rng(seed)
    eligible = paragraphs[paragraphs["n_words"].between(min_words, max_words)]
    parts = []
    for group, n in sorted(per_group.items()):
        pool = eligible[eligible["audience"] == group].sort_values("para_id")
        if len(pool) < n:
            raise ValueError(
                f"only {len(pool)} paragraphs of {group} have {min_words}-{max_words} words; ask for at most that many"
            )
        drawn = pool.iloc[rng.permutation(len(pool))[:n]].copy()
        drawn["split"] = ["dev" if i % 2 == 0 else "heldout" for i in range(n)]
        parts.append(drawn)
    return pd.concat(parts).sort_values("para_id", ignore_index=True)


def reliability_sample(units: pd.DataFrame, share: float = 0.25, seed: int = 2021) -> pd.DataFrame:
    """The paragraphs drawn for the second coding (made without sight of the first): within every document and role
    (answers and questions apart) a random ``share`` of its paragraphs, rounded up, so that every
    interview is represented by answers and questions alike. ``units`` is :func:`coding_units`;
    returns its rows for the drawn paragraphs in unit order. Deterministic for a given seed."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    rng = np.random.default_rng(seed)
    drawn = []
    for _, stratum in units.groupby(["doc_id", "role"], sort=True):
        n = int(np.ceil(share * len(stratum)))
        drawn.extend(stratum["para_id"].to_numpy()[np.sort(rng.permutation(len(stratum))[:n])])
    return units[units["para_id"].isin(set(drawn))].reset_index(drop=True)
