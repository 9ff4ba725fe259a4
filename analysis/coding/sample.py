"""Samples of paragraphs drawn for coding by reading, each reproducible from its seed.

:func:`stratified_sample` is the one stratified draw (a share of every interview, or of every
interview and role): the reliability sample (:func:`reliability_sample`) and the coded sample of
design-based supervised learning (:mod:`analysis.frames.dsl`) both use it. A coder's sitting draws
a fixed number instead, spread over the interviews by :func:`allocate` (:func:`draw_sample`).
The first edition's sample (:func:`sample_paragraphs`, per audience with word limits) stays as the
history of ``data/coding/first_edition``."""

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
    """The paragraphs drawn for the second coding (made without sight of the first): within every
    document and role (answers and questions apart) a random ``share`` of its paragraphs, rounded
    up (:func:`stratified_sample` by document and role), so that every interview is represented by
    answers and questions alike. ``units`` is :func:`analysis.coding.units.coding_units`; returns
    its rows for the drawn paragraphs in unit order. Deterministic for a given seed."""
    drawn = stratified_sample(units, share, by=["doc_id", "role"], seed=seed)["sampled"].to_numpy()
    return units[drawn].reset_index(drop=True)


def stratified_sample(table: pd.DataFrame, share: float, by: str | list[str] = "doc_id", seed: int = 0) -> pd.DataFrame:
    """The project's stratified draw of paragraphs: in every stratum of ``by`` (a column, or a list
    of columns) holding n paragraphs, ceil(share · n) drawn without replacement. Returns ``table``
    with ``sampled`` (bool) and ``probability`` (the stratum's ceil(share · n) / n, the exact
    inclusion probability). Deterministic for a given seed; strata in sorted order."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share}")
    rng = np.random.default_rng(seed)
    sampled = np.zeros(len(table), dtype=bool)
    probability = np.zeros(len(table))
    keys = [by] if isinstance(by, str) else list(by)
    strata = table.groupby(keys, sort=True).indices
    for stratum in sorted(strata):
        rows = strata[stratum]
        n = int(np.ceil(share * len(rows)))
        sampled[rows[rng.permutation(len(rows))[:n]]] = True
        probability[rows] = n / len(rows)
    return table.assign(sampled=sampled, probability=probability)


SAMPLE_COLUMNS = ["para_id", "doc_id", "stratum_size", "n_drawn", "probability", "seed"]


def allocate(sizes: pd.Series, n: int) -> pd.Series:
    """How many of ``n`` paragraphs to draw from each document, proportional to its paragraphs
    (``sizes``, indexed by document) by largest remainders (Hamilton's method), at least one per
    document while ``n`` allows and never more than the document has."""
    total = int(sizes.sum())
    if not 0 < n <= total:
        raise ValueError(f"the sample size must be between 1 and the {total} paragraphs, not {n}")
    quota = sizes * n / total
    drawn = np.floor(quota).astype(int)
    if n >= len(sizes):
        drawn = drawn.clip(lower=1)
    while drawn.sum() > n:  # the floor of one per document overshot: take from the largest
        drawn[(drawn - quota).idxmax()] -= 1
    remainder = (quota - drawn).sort_values(ascending=False, kind="stable")
    for doc in remainder.index[: n - int(drawn.sum())]:
        drawn[doc] += 1
    return drawn.clip(upper=sizes)


def draw_sample(units: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A random sample of ``n`` coding units stratified by document (:func:`allocate`), drawn
    without replacement with ``seed``: ``SAMPLE_COLUMNS``, rows in unit order."""
    sizes = units.groupby("doc_id", sort=True).size()
    drawn = allocate(sizes, n)
    rng = np.random.default_rng(seed)
    chosen = []
    for doc in sizes.index:
        ids = units.loc[units["doc_id"] == doc, "para_id"].to_numpy()
        chosen.extend(ids[np.sort(rng.permutation(len(ids))[: drawn[doc]])])
    sample = units[units["para_id"].isin(set(chosen))][["para_id", "doc_id"]].copy()
    sample["stratum_size"] = sample["doc_id"].map(sizes).astype(int)
    sample["n_drawn"] = sample["doc_id"].map(drawn).astype(int)
    sample["probability"] = sample["n_drawn"] / sample["stratum_size"]
    sample["seed"] = seed
    return sample.reset_index(drop=True)[SAMPLE_COLUMNS]
