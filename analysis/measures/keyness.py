"""Keyness: which features one group of interviews uses more than another, and how sure we are.

Three token-level statistics, each from its paper:

* log-likelihood G2 on the 2x2 table of the feature against all other tokens in the two groups
  (Dunning 1993), with its chi-square p-value (one degree of freedom);
* log ratio, the binary log of the ratio of relative frequencies, with a zero count replaced by
  0.5 (Hardie 2014): +1 means twice as frequent in the target group;
* the log-odds ratio with an informative Dirichlet prior and its z-score (Monroe, Colaresi and
  Quinn 2008, eq. 16 and the variance that follows it).

Tokens of one interview are not independent draws, so token-level p-values overstate the
evidence. Three interview-level checks say whether a keyword holds across interviews:

* dispersion: in how many interviews of each group the feature occurs, and the share of the
  group's count that comes from its single largest interview;
* a permutation test over interviews (scipy's ``permutation_test``) of the difference between
  the groups' mean relative frequencies, each interview weighing the same, with
  Benjamini-Hochberg adjusted p-values (``q``) over the features tested;
* leave one interview out: the smallest z-score, in the keyword's direction, when any single
  interview is removed. If it falls below the threshold, one interview makes the keyword.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse, stats

from ..corpus.names import safe_name
from ..stats.progress import progress
from ..stats.resampling import permutation_p
from ..text.dtm import DocumentTermMatrix, build_dtm, group_indicator, merge_features
from ..text.tokens import corpus_stop_words

#: The z (and G2 equivalent) threshold of a keyword: 1.96, two-sided p < 0.05.
Z_CRITICAL = 1.959963984540054

#: Values of the ``verdict`` column, from strongest to weakest evidence.
VERDICTS = (
    "holds across interviews",
    "interview level, uncorrected",
    "token level only",
    "rests on one interview",
    "not key",
)


def g2(a, b, n_a, n_b):
    """Log-likelihood G2 (Dunning 1993) of counts ``a`` and ``b`` in corpora of ``n_a`` and
    ``n_b`` tokens: 2 * sum(O * ln(O / E)) over the four cells of the table
    [[a, b], [n_a - a, n_b - b]], expected values from the margins, 0 * ln 0 taken as 0.
    Works element-wise on arrays."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = n_a + n_b
    total = a + b
    cells = [
        (a, n_a * total / n),
        (b, n_b * total / n),
        (n_a - a, n_a * (n - total) / n),
        (n_b - b, n_b * (n - total) / n),
    ]
    out = np.zeros(np.broadcast(a, b).shape)
    for observed, expected in cells:
        with np.errstate(divide="ignore", invalid="ignore"):
            out += np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    return 2 * out


def log_ratio(a, b, n_a, n_b):
    """Log ratio (Hardie 2014): log2((a / n_a) / (b / n_b)), a zero count taken as 0.5."""
    a = np.where(np.asarray(a) == 0, 0.5, a).astype(float)
    b = np.where(np.asarray(b) == 0, 0.5, b).astype(float)
    return np.log2((a / n_a) / (b / n_b))


def log_odds_z(a, b, n_a, n_b, alpha, alpha_0):
    """Weighted log-odds ratio with an informative Dirichlet prior and its z-score (Monroe,
    Colaresi and Quinn 2008):

        delta = ln((a + alpha) / (n_a + alpha_0 - a - alpha)) - ln((b + alpha) / (n_b + alpha_0 - b - alpha))
        var   = 1 / (a + alpha) + 1 / (b + alpha)
        z     = delta / sqrt(var)

    ``alpha`` is the prior count of the feature, ``alpha_0`` the prior's total. Returns
    (delta, z)."""
    a, b, alpha = (np.asarray(x, dtype=float) for x in (a, b, alpha))
    delta = np.log((a + alpha) / (n_a + alpha_0 - a - alpha)) - np.log((b + alpha) / (n_b + alpha_0 - b - alpha))
    return delta, delta / np.sqrt(1 / (a + alpha) + 1 / (b + alpha))


def _doc_matrix(dtm: DocumentTermMatrix, by: str) -> tuple[sparse.csr_matrix, pd.DataFrame]:
    """Counts summed to one row per document, with the document's ``by`` value."""
    units = dtm.units
    varies = units.groupby("doc_id")[by].nunique()
    if (varies > 1).any():
        raise ValueError(
            f"{by!r} varies within documents {list(varies[varies > 1].index)}; "
            "keyness compares groups of whole interviews"
        )
    indicator, docs = group_indicator(units["doc_id"])
    counts = (indicator @ dtm.counts).tocsr()
    meta = units.drop_duplicates("doc_id").set_index("doc_id").loc[docs, [by]].reset_index()
    return counts, meta


def _as_list(groups: str | Iterable[str] | None) -> list[str] | None:
    if groups is None:
        return None
    return [groups] if isinstance(groups, str) else list(groups)


@dataclass(frozen=True, eq=False)
class GroupCounts:
    """The two groups of a keyness comparison, counted over the features that are tested.

    ``a`` is the target group, ``b`` the reference group. ``features`` holds the tested
    features (``feature``, ``label``); ``a_docs`` and ``b_docs`` are interviews x tested
    features (token counts, float, sparse); ``a_units`` and ``b_units`` the same for the
    matrix's units (turns or chunks) of each group; ``a_tokens`` and ``b_tokens`` the size of
    each interview in tokens (every feature, tested or not); ``a_ids`` and ``b_ids`` the
    interviews' ``doc_id``; ``alpha_0`` the total of the Dirichlet prior (tokens).
    """

    features: pd.DataFrame
    a_docs: sparse.csr_matrix
    b_docs: sparse.csr_matrix
    a_units: sparse.csr_matrix
    b_units: sparse.csr_matrix
    a_tokens: np.ndarray
    b_tokens: np.ndarray
    a_ids: np.ndarray
    b_ids: np.ndarray
    alpha_0: float

    @property
    def a(self) -> np.ndarray:
        """Tokens of each tested feature in the target group (float)."""
        return _column_sums(self.a_docs)

    @property
    def b(self) -> np.ndarray:
        """Tokens of each tested feature in the reference group (float)."""
        return _column_sums(self.b_docs)

    @property
    def n_a(self) -> float:
        """Tokens of the target group."""
        return self.a_tokens.sum()

    @property
    def n_b(self) -> float:
        """Tokens of the reference group."""
        return self.b_tokens.sum()


class KeynessMatrices(NamedTuple):
    """The matrices of a keyword comparison (:func:`keyness_dtm`): ``unmerged``, every label as the
    corpus has it, and ``dtm``, with the translation equivalents merged."""

    unmerged: DocumentTermMatrix
    dtm: DocumentTermMatrix


def keyness_dtm(
    turns: pd.DataFrame, cfg, unit: str = "interview", role: str = "focal", equivalents: dict | None = None
) -> KeynessMatrices:
    """The document-term matrix 02_keyness compares: ``role``'s words in ``unit``s
    (:func:`analysis.text.dtm.build_dtm`) without the corpus's stop words and, when ``cfg`` (its
    :class:`~analysis.corpus.CorpusConfig`) says so, speakers' names; then with each label of
    ``equivalents`` (label -> label, translations of one another) merged into the other
    (:func:`analysis.text.dtm.merge_features`) where the matrix has both."""
    stop_words = corpus_stop_words(cfg.stop_words, turns, cfg.speaker_names_are_stop_words)
    unmerged = build_dtm(turns, unit=unit, role=role, stop_words=stop_words)
    known = set(unmerged.features["label"])
    merged = {k: v for k, v in (equivalents or {}).items() if k in known and v in known}
    return KeynessMatrices(unmerged, merge_features(unmerged, merged))


def keyness_name(target: str, reference: str | None = None, role: str = "focal", unit: str = "interview") -> str:
    """The name 02 gives its outputs (``figures/<name>.*``), made a plain file name
    (:func:`analysis.corpus.names.safe_name`): ``keyness_<target>_vs_<reference>`` ("rest" for None),
    then ``_<role>`` for a role other than the focal speaker and ``_<unit>`` for a unit other than
    interviews, so that two runs that differ in one of these never write the same files."""
    return safe_name(
        f"keyness_{target}_vs_{reference or 'rest'}"
        + ("" if role == "focal" else f"_{role}")
        + ("" if unit == "interview" else f"_{unit}")
    )


def compare_equivalents(
    matrices: KeynessMatrices,
    table: pd.DataFrame,
    equivalents: dict,
    target: str,
    reference: str | None = None,
    min_count: int = 5,
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """The translation equivalents counted separately and merged: the :func:`keyness` rows of
    ``matrices.unmerged`` (the same comparison and settings as ``table``, :func:`keyness` of
    ``matrices.dtm``) for each label of ``equivalents`` found there and each label merged into, with
    ``counted`` "separately", then ``table``'s rows of the labels merged into, with ``counted``
    "merged". Empty (no rows, no columns) when nothing was merged."""
    known = set(matrices.unmerged.features["label"])
    merged = [v for k, v in equivalents.items() if k in known and v in known]
    if not merged:
        return pd.DataFrame()
    before = keyness(matrices.unmerged, target, reference, min_count=min_count, n_resamples=n_resamples, seed=seed)
    shown = [*merged, *[k for k in equivalents if k in known]]
    return pd.concat(
        [
            before[before["label"].isin(shown)].assign(counted="separately"),
            table[table["label"].isin(merged)].assign(counted="merged"),
        ]
    )


def keyness(
    dtm: DocumentTermMatrix,
    target: str | Iterable[str],
    reference: str | Iterable[str] | None = None,
    by: str = "audience",
    min_count: int = 5,
    prior_size: float | None = None,
    n_resamples: int = 9999,
    seed: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    # Over 50 lines only for the docstring, which documents every output column; the body is
    # a chain of six steps.
    """Keywords of the ``target`` group against the ``reference`` group (default: all others).

    ``target`` and ``reference`` are values (or lists of values) of the unit column ``by``.
    Features with fewer than ``min_count`` tokens in the two groups together are not tested.
    The Dirichlet prior is the pooled frequency of the two groups scaled to ``prior_size``
    tokens (default: the size of the two groups, so that each feature's prior count is its
    pooled count). ``n_resamples`` and ``seed`` fix the permutation test; if the interviews
    allow fewer distinct permutations than ``n_resamples``, the test is exact.

    Returns one row per feature, sorted by z (the target's keywords first) with columns:
    ``feature``, ``label``; ``count_target``, ``count_reference``; ``per_10k_target``,
    ``per_10k_reference`` (per 10,000 tokens of the group); ``g2``, ``p_g2``; ``log_ratio``;
    ``log_odds``, ``z``; ``key_for`` ("target" if z > 0 else "reference");
    ``docs_target``, ``docs_reference`` (interviews of the group in which the feature occurs)
    and ``n_docs_target``, ``n_docs_reference`` (interviews in the group); ``units_target``,
    ``n_units_target``, ``units_reference`` and ``n_units_reference``, the same for the units of
    the matrix (turns or chunks, if it has them: in how many answers a word occurs); ``top_doc`` and
    ``top_share`` (the interview of the keyword's group with the most occurrences, and its share
    of the group's count); ``perm_p`` and ``q`` (interview-level permutation p-value and its
    Benjamini-Hochberg adjustment); ``loo_z`` and ``loo_doc`` (the weakest z in the keyword's
    direction when one interview is left out, and that interview); ``loo_log_odds`` and
    ``loo_effect_doc`` (the weakest log-odds in that direction with one interview left out, and
    that interview); and ``verdict``:

    * "holds across interviews": |z| >= 1.96, the effect survives leaving out any one interview
      (below), and the interview-level test survives the Benjamini-Hochberg correction over
      every feature tested (``q < alpha``);
    * "interview level, uncorrected": as above but only ``perm_p < alpha`` (``q >= alpha``): with
      hundreds of features tested, some pass by chance;
    * "token level only": the effect survives leaving one out but ``perm_p >= alpha``;
    * "rests on one interview": |z| >= 1.96 but, once ``loo_effect_doc`` is left out, the
      log-odds changes sign or falls below half its size (judged on the effect, not on z: with a
      few interviews, leaving any one out costs z power even when the effect stays);
    * "not key": |z| < 1.96.

    The steps, each adding columns to the table of the one before: :func:`add_statistics`,
    :func:`add_dispersion`, :func:`add_permutation_p`, :func:`add_leave_one_out`,
    :func:`add_verdicts`.

    References: Dunning 1993; Hardie 2014; Monroe, Colaresi and Quinn 2008; Benjamini and
    Hochberg 1995.
    """
    groups = count_groups(dtm, target, reference, by, min_count, prior_size)
    table = add_statistics(groups)
    table = add_dispersion(table, groups)
    table = add_permutation_p(table, groups, n_resamples, seed)
    table = add_leave_one_out(table, groups)
    table = add_verdicts(table, alpha)
    return table.sort_values(["z", "feature"], ascending=[False, True], ignore_index=True)


def count_groups(
    dtm: DocumentTermMatrix,
    target: str | Iterable[str],
    reference: str | Iterable[str] | None = None,
    by: str = "audience",
    min_count: int = 5,
    prior_size: float | None = None,
) -> GroupCounts:
    """The interviews of the ``target`` and ``reference`` groups (values of the unit column
    ``by``; reference default: all others) counted over the features with at least
    ``min_count`` tokens in the two groups together, with the prior's total ``prior_size``
    (default: the two groups' tokens). Raises ValueError for groups that are unknown, empty or
    overlap, and when no feature reaches ``min_count``."""
    target, reference = _as_list(target), _as_list(reference)
    counts, docs = _doc_matrix(dtm, by)
    in_target, in_reference = _check_groups(docs[by], target, reference, by)
    tested = _tested_features(counts[np.flatnonzero(in_target | in_reference)], min_count)
    # Interviews x tested features, kept sparse: a large corpus has thousands of each.
    matrix = counts[:, np.flatnonzero(tested)].tocsr().astype(float)
    # Sizes count every token of an interview, including features not tested.
    doc_tokens = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    a_units, b_units = _unit_masks(dtm.units[by], target, reference)
    doc_ids = docs["doc_id"].to_numpy()
    a_tokens, b_tokens = doc_tokens[in_target], doc_tokens[in_reference]
    return GroupCounts(
        features=dtm.features[tested],
        a_docs=matrix[np.flatnonzero(in_target)],
        b_docs=matrix[np.flatnonzero(in_reference)],
        a_units=dtm.counts[np.flatnonzero(a_units)][:, np.flatnonzero(tested)],
        b_units=dtm.counts[np.flatnonzero(b_units)][:, np.flatnonzero(tested)],
        a_tokens=a_tokens,
        b_tokens=b_tokens,
        a_ids=doc_ids[in_target],
        b_ids=doc_ids[in_reference],
        alpha_0=float(prior_size) if prior_size is not None else a_tokens.sum() + b_tokens.sum(),
    )


def _check_groups(
    doc_groups: pd.Series, target: list[str], reference: list[str] | None, by: str
) -> tuple[np.ndarray, np.ndarray]:
    """Which interviews (``doc_groups``: each interview's ``by`` value) are in the target and
    which in the reference group (None: all others), as two boolean arrays. Raises ValueError
    for a group value no interview has, a group without interviews, or groups that overlap."""
    present = set(doc_groups)
    for name, groups in (("target", target), ("reference", reference or [])):
        unknown = sorted(set(groups) - present)
        if unknown:
            raise ValueError(f"{name} group {unknown} has no units; {by} values present: {sorted(present)}")
    in_target, in_reference = _unit_masks(doc_groups, target, reference)
    if in_target.sum() == 0 or in_reference.sum() == 0:
        raise ValueError("both groups need at least one interview")
    if (in_target & in_reference).any():
        raise ValueError(f"target {target} and reference {reference} overlap")
    return in_target, in_reference


def _unit_masks(values: pd.Series, target: list[str], reference: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Boolean arrays: rows whose ``values`` are in ``target``, and in ``reference`` (None: not
    in ``target``)."""
    in_reference = values.isin(reference) if reference else ~values.isin(target)
    return values.isin(target).to_numpy(), in_reference.to_numpy()


def _tested_features(counts: sparse.csr_matrix, min_count: int) -> np.ndarray:
    """Boolean mask of the features with at least ``min_count`` tokens in ``counts`` (the two
    groups' interviews); ValueError if there are none."""
    tested = np.asarray(counts.sum(axis=0)).ravel() >= min_count
    if not tested.any():
        raise ValueError(f"no feature occurs {min_count} times in the two groups; lower min_count")
    return tested


def add_statistics(groups: GroupCounts) -> pd.DataFrame:
    """The token-level table, one row per tested feature in feature order: ``feature``,
    ``label``, ``count_target``, ``count_reference``, ``per_10k_target``,
    ``per_10k_reference``, ``g2``, ``p_g2``, ``log_ratio``, ``log_odds``, ``z`` and
    ``key_for``. References: Dunning 1993 (G2); Hardie 2014 (log ratio); Monroe, Colaresi and
    Quinn 2008 (log odds, z)."""
    a, b, n_a, n_b = groups.a, groups.b, groups.n_a, groups.n_b
    prior = groups.alpha_0 * (a + b) / (n_a + n_b)
    g = g2(a, b, n_a, n_b)
    delta, z = log_odds_z(a, b, n_a, n_b, prior, groups.alpha_0)
    table = pd.DataFrame(
        {
            "feature": groups.features["feature"].to_numpy(),
            "label": groups.features["label"].to_numpy(),
            "count_target": a.astype(np.int64),
            "count_reference": b.astype(np.int64),
            "per_10k_target": 1e4 * a / n_a,
            "per_10k_reference": 1e4 * b / n_b,
            "g2": g,
            "p_g2": stats.chi2.sf(g, df=1),
            "log_ratio": log_ratio(a, b, n_a, n_b),
            "log_odds": delta,
            "z": z,
        }
    )
    table["key_for"] = np.where(z > 0, "target", "reference")
    return table


def add_dispersion(table: pd.DataFrame, groups: GroupCounts) -> pd.DataFrame:
    """``table`` (from :func:`add_statistics`) with how the features spread over each group:
    ``docs_target``, ``docs_reference``, ``n_docs_target``, ``n_docs_reference``,
    ``units_target``, ``n_units_target``, ``units_reference``, ``n_units_reference`` (see
    :func:`keyness`), then ``top_doc`` and ``top_share`` (the interview of the keyword's group
    with the most occurrences and its share, 0..1, of the group's count)."""
    table = table.copy()
    a_docs, b_docs = groups.a_docs, groups.b_docs
    table["docs_target"] = _column_sums(a_docs > 0).astype(np.int64)
    table["docs_reference"] = _column_sums(b_docs > 0).astype(np.int64)
    table["n_docs_target"], table["n_docs_reference"] = a_docs.shape[0], b_docs.shape[0]
    for side, part in (("target", groups.a_units), ("reference", groups.b_units)):
        table[f"units_{side}"] = np.asarray((part > 0).sum(axis=0)).ravel()
        table[f"n_units_{side}"] = part.shape[0]
    mine = table["z"].to_numpy() > 0
    table["top_doc"] = np.where(
        mine,
        groups.a_ids[np.asarray(a_docs.argmax(axis=0)).ravel()],
        groups.b_ids[np.asarray(b_docs.argmax(axis=0)).ravel()],
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        table["top_share"] = np.where(
            mine, a_docs.max(axis=0).toarray().ravel() / groups.a, b_docs.max(axis=0).toarray().ravel() / groups.b
        )
    return table


def add_permutation_p(table: pd.DataFrame, groups: GroupCounts, n_resamples: int, seed: int) -> pd.DataFrame:
    """``table`` with ``perm_p``, the interview-level permutation p-value of the difference of
    the groups' mean relative frequencies (each interview weighing the same;
    :func:`analysis.stats.resampling.permutation_p` with ``n_resamples`` draws from a generator
    seeded with ``seed``), and ``q``, its Benjamini-Hochberg adjustment (Benjamini and Hochberg
    1995)."""
    table = table.copy()
    # An interview with no counted words (possible for the journalists' role) weighs as zeros.
    table["perm_p"] = permutation_p(
        sparse.diags(1 / np.maximum(groups.a_tokens, 1)) @ groups.a_docs,
        sparse.diags(1 / np.maximum(groups.b_tokens, 1)) @ groups.b_docs,
        n_resamples,
        np.random.default_rng(seed),
    )
    table["q"] = stats.false_discovery_control(table["perm_p"])
    return table


def add_leave_one_out(table: pd.DataFrame, groups: GroupCounts) -> pd.DataFrame:
    """``table`` with ``loo_z``, the weakest z in the direction of ``z`` when any one interview
    is left out, and ``loo_doc``, that interview (empty if no removal weakens it); likewise
    ``loo_log_odds`` and ``loo_effect_doc`` for the effect (the log-odds)."""
    table = table.copy()
    (table["loo_z"], which), (table["loo_log_odds"], which_effect) = _leave_one_out_z(
        groups.a_docs,
        groups.b_docs,
        groups.a_tokens,
        groups.b_tokens,
        table["z"].to_numpy(),
        groups.alpha_0,
        table["log_odds"].to_numpy(),
    )
    order = np.concatenate([groups.a_ids, groups.b_ids, [""]])
    table["loo_doc"] = order[which]
    table["loo_effect_doc"] = order[which_effect]
    return table


def add_verdicts(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """``table`` with ``verdict``, one of :data:`VERDICTS`, from ``z``, ``log_odds``,
    ``loo_log_odds``, ``perm_p`` and ``q`` at level ``alpha`` (the rules are listed in
    :func:`keyness`)."""
    return table.assign(verdict=_verdicts(table, alpha))


def _column_sums(matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=0), dtype=float).ravel()


def _leave_one_out_z(
    a_docs: sparse.csr_matrix,
    b_docs: sparse.csr_matrix,
    a_tokens: np.ndarray,
    b_tokens: np.ndarray,
    z: np.ndarray,
    alpha_0: float,
    log_odds: np.ndarray | None = None,
):
    """Refit z leaving out one interview at a time (of either group; a group left empty is
    skipped). Returns, per feature, the weakest z in the direction of ``z`` and the row index of
    the interview whose removal gives it (rows of ``a_docs`` first, then of ``b_docs``; -1 if
    no removal weakens it). With ``log_odds``, returns ``((z, index), (log-odds, index))``: the
    same for the effect, the weakest log-odds in the direction of ``z``."""
    a_all, b_all = _column_sums(a_docs), _column_sums(b_docs)
    n_a_all, n_b_all = a_tokens.sum(), b_tokens.sum()
    sign = np.where(z >= 0, 1.0, -1.0)
    weakest, which = np.abs(z), np.full(len(z), -1)
    effect = sign * (log_odds if log_odds is not None else z)
    weakest_effect, which_effect = effect.copy(), np.full(len(z), -1)
    drops = [(a_docs, r, True) for r in range(a_docs.shape[0])] + [(b_docs, r, False) for r in range(b_docs.shape[0])]
    for i, (docs, r, in_a) in enumerate(progress(drops, "leave one interview out")):
        row = docs[r].toarray().ravel()
        a, b = (a_all - row, b_all) if in_a else (a_all, b_all - row)
        n_a = n_a_all - (a_tokens[r] if in_a else 0)
        n_b = n_b_all - (0 if in_a else b_tokens[r])
        if n_a <= 0 or n_b <= 0:
            continue
        prior = alpha_0 * (a + b) / (n_a + n_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            delta, z_loo = log_odds_z(a, b, n_a, n_b, prior, alpha_0)
        z_loo = sign * np.where(a + b > 0, z_loo, 0.0)  # 0: it occurred only in the left-out one
        weaker = z_loo < weakest
        weakest, which = np.where(weaker, z_loo, weakest), np.where(weaker, i, which)
        delta = sign * np.where(a + b > 0, delta, 0.0)
        smaller = delta < weakest_effect
        weakest_effect, which_effect = np.where(smaller, delta, weakest_effect), np.where(smaller, i, which_effect)
    if log_odds is None:
        return sign * weakest, which
    return (sign * weakest, which), (sign * weakest_effect, which_effect)


def _verdicts(table: pd.DataFrame, alpha: float) -> np.ndarray:
    key = table["z"].abs() >= Z_CRITICAL
    kept = np.sign(table["loo_log_odds"]) == np.sign(table["log_odds"])
    robust = kept & (table["loo_log_odds"].abs() >= 0.5 * table["log_odds"].abs())
    return np.select(
        [~key, ~robust, table["perm_p"] >= alpha, table["q"] >= alpha],
        ["not key", "rests on one interview", "token level only", "interview level, uncorrected"],
        "holds across interviews",
    )


def top_keywords(table: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` strongest keywords of each side of a :func:`keyness` table (by |z|, only
    features with |z| >= 1.96), target first; ``side`` is "target" or "reference"."""
    key = table[table["z"].abs() >= Z_CRITICAL]
    target = key[key["z"] > 0].nlargest(n, "z")
    reference = key[key["z"] < 0].nsmallest(n, "z")
    return pd.concat([target.assign(side="target"), reference.assign(side="reference")], ignore_index=True)


def summarise_verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """How many keywords of each side reach each verdict: rows are verdicts (in the order of
    :data:`VERDICTS`), columns "target" and "reference"."""
    counts = pd.crosstab(table["verdict"], table["key_for"])
    return counts.reindex(index=list(VERDICTS), columns=["target", "reference"], fill_value=0)


def global_test(
    dtm: DocumentTermMatrix,
    target: str | Iterable[str],
    reference: str | Iterable[str] | None = None,
    by: str = "audience",
    min_count: int = 5,
    n_resamples: int = 999,
    seed: int = 0,
) -> dict:
    """Do the two groups' vocabularies differ at all, beyond what shuffling interviews gives?

    One test for the whole table instead of counting the words with p < 0.05 against the
    number expected by chance (which assumes independent words, and words are not). The
    statistic is the sum over tested features of the squared log-odds z (Monroe, Colaresi and
    Quinn 2008); its null distribution comes from ``n_resamples`` random reassignments of whole
    interviews to the two groups, group sizes kept (exact over every split when there are no more
    than ``n_resamples``). Returns ``statistic``, ``p`` (share of reassignments at least as large,
    the observed one counted; Phipson and Smyth 2010), ``n_resamples`` (used), ``n_features``
    and ``null_median``."""
    groups = count_groups(dtm, target, reference, by, min_count)
    docs = sparse.vstack([groups.a_docs, groups.b_docs], format="csr")
    tokens = np.concatenate([groups.a_tokens, groups.b_tokens])
    n_a, n = groups.a_docs.shape[0], docs.shape[0]
    observed = _sum_z_squared(docs, tokens, np.arange(n_a), groups.alpha_0)
    n_splits = math.comb(n, n_a)
    if n_resamples >= n_splits:
        splits = [np.array(first) for first in combinations(range(n), n_a)]
    else:
        rng = np.random.default_rng(seed)
        splits = [rng.permutation(n)[:n_a] for _ in range(n_resamples)]
    null = np.array([_sum_z_squared(docs, tokens, s, groups.alpha_0) for s in progress(splits, "global test")])
    exact = n_resamples >= n_splits
    p = (null >= observed - 1e-9 * observed).mean() if exact else (1 + (null >= observed).sum()) / (1 + len(null))
    return {
        "statistic": float(observed),
        "p": float(p),
        "n_resamples": len(null),
        "n_features": docs.shape[1],
        "null_median": float(np.median(null)),
    }


def _sum_z_squared(docs: sparse.csr_matrix, tokens: np.ndarray, first: np.ndarray, alpha_0: float) -> float:
    """The sum of squared log-odds z over features when the interviews ``first`` form one group
    and the rest the other."""
    in_a = np.zeros(docs.shape[0], dtype=bool)
    in_a[first] = True
    a, b = _column_sums(docs[in_a]), _column_sums(docs[~in_a])
    n_a, n_b = tokens[in_a].sum(), tokens[~in_a].sum()
    prior = alpha_0 * (a + b) / (n_a + n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        _, z = log_odds_z(a, b, n_a, n_b, prior, alpha_0)
    return float(np.nansum(z**2))


def summarise_keyness(table: pd.DataFrame, overall: dict, names: tuple[str, str], alpha: float = 0.05) -> list[str]:
    """The notebook's summary of a :func:`keyness` table and its :func:`global_test`, as Markdown
    bullet points; ``names`` are the two groups as a reader knows them. A word is called a
    keyword that holds across interviews only with the verdict of that name (it survives the
    Benjamini-Hochberg correction); words with only an uncorrected interview-level p are counted,
    never listed as findings. The smallest p the permutation test can give is set against the
    corrected threshold of the strongest word, so that "none survives" is read as what it is."""
    n_a, n_b = int(table["n_docs_target"].iat[0]), int(table["n_docs_reference"].iat[0])
    differ = overall["p"] < alpha
    lines = [
        f"* **As a whole**, the vocabularies of {names[0]} and {names[1]} interviews "
        + ("differ" if differ else "do not differ beyond what reshuffling interviews gives")
        + f": the sum of squared z over {overall['n_features']} words is {overall['statistic']:.0f} against a median "
        f"of {overall['null_median']:.0f} when whole interviews are reassigned (p = {overall['p']:.3g}, "
        f"{overall['n_resamples']} reassignments)."
    ]
    holding = table[table["verdict"] == "holds across interviews"]
    uncorrected = int((table["verdict"] == "interview level, uncorrected").sum())
    below = int((table["perm_p"] < alpha).sum())
    text = (
        f"* **Single words.** {len(table)} words tested; {below} have an interview-level p below {alpha}, "
        f"and {len(holding)} survive the Benjamini-Hochberg correction"
    )
    if len(holding):
        text += ": " + ", ".join(f"{r.label} ({names[0] if r.z > 0 else names[1]})" for r in holding.itertuples())
    text += "."
    if uncorrected:
        text += f" {uncorrected} more pass only uncorrected: patterns to read in context, not findings."
    lines.append(text)
    floor = 2 / math.comb(n_a + n_b, n_a) if math.comb(n_a + n_b, n_a) else 1.0
    lines.append(
        f"* **Power.** With {n_a} and {n_b} interviews an exact permutation test cannot give p below {floor:.2g}, "
        f"and the strongest word must reach about {alpha / len(table):.2g} to survive the correction"
        + (", so no single word can: read the table for patterns." if floor > alpha / len(table) else ".")
    )
    return lines


def keyword_rates(
    dtm: DocumentTermMatrix, labels: Iterable[str], target: str, reference: str | None = None, by: str = "audience"
) -> pd.DataFrame:
    """Per interview of the two groups, the counts of the features labelled ``labels`` with the
    interview's tokens and day of the war, the table :func:`analysis.stats.models.rate_effects` models:
    ``doc_id``, ``audience`` (``target``, or ``reference``, "rest" when it is None), ``n_tokens``,
    ``day``, then one column per label."""
    from ..stats.models import war_day

    labels = list(labels)
    columns = [int(np.flatnonzero(dtm.features["label"].to_numpy() == label)[0]) for label in labels]
    indicator, docs = group_indicator(dtm.units["doc_id"])
    per_doc = indicator @ dtm.counts
    first = dtm.units.groupby("doc_id", sort=True).first()
    table = pd.DataFrame(per_doc[:, columns].toarray(), columns=labels)
    table.insert(0, "doc_id", docs)
    side = first[by].reindex(docs).to_numpy()
    table.insert(1, "audience", np.where(side == target, target, reference or "rest"))
    table.insert(2, "n_tokens", np.asarray(per_doc.sum(axis=1)).ravel())
    table.insert(3, "day", war_day(first["date"].reindex(docs)).to_numpy())
    keep = (side == target) | ((side == reference) if reference else (side != target))
    return table[keep].reset_index(drop=True)
