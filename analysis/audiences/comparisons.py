"""Frames across audiences: rates per interview, audience comparisons with interview-level
uncertainty, the journalists' questions, the course of the war, robustness checks, and whether
the audience can be told from the words alone.

Every comparison treats an interview as one observation (see :mod:`analysis.stats.resampling`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.metrics import balanced_accuracy_score

from ..corpus import TURN_METADATA, summarise_repeats
from ..frames.codebook import Codebook, default_codebook
from ..frames.cues import score_units
from ..frames.score import score
from ..stats.intervals import group_intervals, holm
from ..stats.progress import progress
from ..stats.resampling import compare_groups, group_means
from ..text.dtm import build_dtm, make_units, select_turns

#: Start of the war, from which weeks are counted.
WAR_START = pd.Timestamp("2020-09-27")


def frame_rates(
    turns: pd.DataFrame,
    unit: str = "interview",
    role: str | Iterable[str] | None = "focal",
    kinds: Iterable[str] | None = ("interview",),
    include_duplicates: bool = False,
    normalise: str = "per_1000",
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """One row per interview with a value per frame, from the selected turns scored by ``unit``
    (``"interview"``, ``"turn"`` or ``"chunk"``, see :func:`analysis.text.dtm.make_units`).

    ``normalise``:

    * ``"per_1000"``: cue matches per 1,000 words of the interview's selected speech (the same
      for every unit);
    * ``"presence"``: share of the interview's units in which the frame occurs (with
      ``unit="interview"``: 1 or 0);
    * ``"count"``: mean cue matches per unit.

    ``include_duplicates``: repeated text (news reports re-quoting an interview) is counted in
    the interview it repeats (:func:`merge_repeats`), never as an interview of its own, so the
    rows are the same interviews with or without it.

    Returns ``doc_id``, the document columns audience, outlet, kind, date, translated,
    ``n_units``, ``n_words``, then one column per frame id."""
    if normalise not in ("per_1000", "count", "presence"):
        raise ValueError(f"normalise must be per_1000, count or presence, not {normalise!r}")
    codebook = codebook or default_codebook()
    ids = codebook.ids
    if include_duplicates:
        turns = merge_repeats(turns)
    units = make_units(select_turns(turns, role=role, kinds=kinds, include_duplicates=include_duplicates), unit=unit)
    scored = score_units(units, codebook)
    if normalise == "presence":
        scored[ids] = (scored[ids] > 0).astype(float)
    grouped = scored.groupby("doc_id", sort=True)
    meta = grouped[TURN_METADATA].first()
    meta["n_units"] = grouped.size()
    meta["n_words"] = grouped["n_words"].sum()
    if normalise == "per_1000":
        values = grouped[ids].sum().div(meta["n_words"].where(meta["n_words"] > 0), axis=0).fillna(0) * 1000
    else:
        values = grouped[ids].mean()
    return pd.concat([meta, values], axis=1).reset_index()


def repeated_documents(turns: pd.DataFrame) -> dict[str, str]:
    """Which document re-reports which: {repeating doc_id: original doc_id}, by the rule of the
    corpus build (:mod:`analysis.corpus.duplicates`): a document whose focal words are at least
    half in turns that repeat one original document (``duplicate_of`` of its turns)."""
    focal = turns[turns["role"] == "focal"]
    repeats = summarise_repeats(focal)
    words = focal.groupby("doc_id")["n_words"].sum()
    mapping = {}
    for doc_id, group in repeats.groupby("doc_id", sort=True):
        best = group.sort_values(["words", "canonical_doc"], ascending=[False, True]).iloc[0]
        if words.get(doc_id, 0) and best["words"] >= 0.5 * words[doc_id]:
            mapping[doc_id] = best["canonical_doc"]
    return mapping


def merge_repeats(turns: pd.DataFrame) -> pd.DataFrame:
    """``turns`` with every turn of a re-reporting document (:func:`repeated_documents`) moved
    into the document it repeats: that document's ``doc_id`` and metadata (audience, outlet,
    kind, date, translated), numbered after its own turns. Repeated text then adds to the
    original interview instead of becoming an interview of its own (the EFE interview, re-reported
    twice, stays one Western interview). Returns a new table."""
    mapping = repeated_documents(turns)
    if not mapping:
        return turns.copy()
    out = turns.copy()
    moved = out["doc_id"].isin(list(mapping))
    target = out.loc[moved, "doc_id"].map(mapping)
    meta = out[~moved].groupby("doc_id")[[c for c in TURN_METADATA if c in out.columns]].first()
    last_turn = out[~moved].groupby("doc_id")["turn"].max()
    out.loc[moved, "turn"] = (
        target.map(last_turn).fillna(0).to_numpy(dtype=int) + out[moved].groupby(target).cumcount().to_numpy() + 1
    )
    for column in meta.columns:
        out.loc[moved, column] = target.map(meta[column]).to_numpy()
    out.loc[moved, "doc_id"] = target.to_numpy()
    return out


def audience_frames(
    rates: pd.DataFrame, frame_ids: Sequence[str], n_resamples: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Audience means of per-interview frame values (:func:`frame_rates`) with 95% bootstrap
    intervals over interviews: ``frame``, ``group``, ``n`` (interviews), ``mean``, ``low``,
    ``high``."""
    _one_row_per_interview(rates)
    means = group_means(rates, frame_ids, "audience", n_resamples=n_resamples, seed=seed)
    return means.rename(columns={"column": "frame"})[["frame", "group", "n", "mean", "low", "high"]]


def _one_row_per_interview(rates: pd.DataFrame) -> None:
    if rates["doc_id"].duplicated().any():
        raise ValueError("comparisons need one row per interview, as frame_rates() returns")


def compare_audiences(
    rates: pd.DataFrame,
    frame_ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Pairwise differences of audience means for every frame: bootstrap 95% intervals and
    permutation p-values over interviews, with Holm's correction over all frames and pairs
    tested (Holm 1979), which controls the chance of any false finding.

    Returns one row per pair and frame: ``group_a``, ``group_b``, ``frame``, ``mean_a``,
    ``mean_b``, ``difference``, ``low``, ``high``, ``p``, ``p_holm`` and ``clear``
    (``p_holm < 0.05``)."""
    _one_row_per_interview(rates)
    parts = []
    for a, b in pairs:
        diff = compare_groups(rates, frame_ids, "audience", a, b, n_resamples=n_resamples, seed=seed)
        parts.append(diff.rename(columns={"column": "frame"}).assign(group_a=a, group_b=b))
    table = pd.concat(parts, ignore_index=True)
    table["p_holm"] = holm(table["p"].to_numpy())
    table["clear"] = table["p_holm"] < 0.05
    return table[
        ["group_a", "group_b", "frame", "mean_a", "mean_b", "difference", "low", "high", "p", "p_holm", "clear"]
    ]


def question_answer_pairs(turns: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Each interviewer turn followed directly by the focal speaker's answer, in interviews,
    repeats excluded: ``doc_id``, ``audience``, ``question_id``, ``answer_id``, then for each
    frame id ``q_<id>`` and ``a_<id>`` (1 if the frame occurs in the question / answer)."""
    codebook = codebook or default_codebook()
    selected = select_turns(turns, role=None).sort_values(["doc_id", "turn"])
    rows = []
    for doc_id, doc in selected.groupby("doc_id", sort=True):
        records = doc.to_dict("records")
        for q, a in zip(records, records[1:]):
            if q["role"] == "interviewer" and a["role"] == "focal":
                rows.append((doc_id, q["audience"], q["turn_id"], a["turn_id"], q["text"], a["text"]))
    pairs = pd.DataFrame(rows, columns=["doc_id", "audience", "question_id", "answer_id", "question", "answer"])
    present_q = (score(list(pairs["question"]), codebook, method="cues") > 0).astype(int).add_prefix("q_")
    present_a = (score(list(pairs["answer"]), codebook, method="cues") > 0).astype(int).add_prefix("a_")
    return pd.concat([pairs.drop(columns=["question", "answer"]), present_q, present_a], axis=1)


def frame_uptake(pairs: pd.DataFrame, frame_ids: Sequence[str], by: str | None = None) -> pd.DataFrame:
    """For each frame (and group, if ``by``): how many questions carry it (``asked``), how many
    of their answers take it up (``taken_up``, and the share ``uptake``), and how often answers
    bring the frame in unasked (``introduced``: answers with the frame to questions without it,
    and ``introduced_share`` of such questions)."""
    groups = [(None, pairs)] if by is None else list(pairs.groupby(by, sort=True))
    rows = []
    for group, part in groups:
        for frame in frame_ids:
            asked = part[f"q_{frame}"] == 1
            answered = part[f"a_{frame}"] == 1
            row = {
                "frame": frame,
                "questions": len(part),
                "asked": int(asked.sum()),
                "taken_up": int((asked & answered).sum()),
                "uptake": (asked & answered).sum() / asked.sum() if asked.any() else np.nan,
                "introduced": int((~asked & answered).sum()),
                "introduced_share": (~asked & answered).sum() / (~asked).sum() if (~asked).any() else np.nan,
            }
            if by is not None:
                row = {by: group, **row}
            rows.append(row)
    return pd.DataFrame(rows)


def with_weeks(table: pd.DataFrame, start: pd.Timestamp = WAR_START) -> pd.DataFrame:
    """The rows of ``table`` that have a ``date``, with ``week``: 1 for the seven days from
    ``start``, 2 for the next seven, and so on (0 and below before ``start``)."""
    days = pd.to_datetime(table["date"], errors="coerce")
    dated = table[days.notna()]
    return dated.assign(week=((days[days.notna()] - start).dt.days // 7 + 1).astype(int))


def weekly_frames(
    rates: pd.DataFrame,
    frame_ids: Sequence[str],
    start: pd.Timestamp = WAR_START,
    share: bool = True,
    by: str = "audience",
) -> pd.DataFrame:
    """Mean frame values of the interviews of each week of the war (week 1 starts on ``start``),
    each interview weighing the same, with a 95% interval over that week's interviews.

    One row per week and frame: ``week``, ``week_start``, ``frame``, ``n`` (interviews that week),
    ``groups`` (how many of them each ``by`` group gave, e.g. ``"russian 1, turkish 2"``: weeks
    differ in their audiences, so a change from week to week can be a change of audience),
    ``mean``, ``low`` and ``high``: with ``share=True`` (values are shares in [0, 1]) the
    interval stays within [0, 1] (:func:`analysis.stats.intervals.share_interval`), otherwise it is a
    Student t interval; a week of one interview has none. Interviews without a date are left
    out."""
    columns = ["week", "week_start", "frame", "n", "groups", "mean", "low", "high"]
    dated = with_weeks(rates, start)
    if dated.empty:
        return pd.DataFrame(columns=columns)
    table = group_intervals(dated, list(frame_ids), by="week", share=share)
    table = table.rename(columns={"column": "frame", "group": "week"})
    counts = dated.groupby(["week", by]).size()
    groups = {w: ", ".join(f"{g} {n}" for g, n in counts.loc[w].items()) for w in counts.index.get_level_values(0)}
    table["groups"] = table["week"].map(groups)
    table["week_start"] = [start + pd.Timedelta(days=7 * (w - 1)) for w in table["week"]]
    table = table.sort_values(["week", "frame"], key=lambda c: c.map(list(frame_ids).index) if c.name == "frame" else c)
    return table[columns].reset_index(drop=True)


def leave_one_out(
    rates: pd.DataFrame,
    frame_ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    n_resamples: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Does each pairwise difference survive leaving out any one interview of the two groups?

    For every pair and frame: ``difference`` (all interviews), ``weakest`` (the difference
    closest to zero, or of opposite sign, when one interview is left out), ``weakest_without``
    (that interview), ``max_p`` (the largest permutation p over the refits) and ``holds``
    (same sign every time and ``max_p < 0.05``)."""
    _one_row_per_interview(rates)
    rows = []
    for a, b in pairs:
        pair = rates[rates["audience"].isin([a, b])]
        full = compare_groups(pair, frame_ids, "audience", a, b, n_resamples=n_resamples, seed=seed)
        sign = np.sign(full["difference"].to_numpy())
        weakest = np.abs(full["difference"].to_numpy())
        without = np.array([""] * len(frame_ids), dtype=object)
        max_p = full["p"].to_numpy().copy()
        for doc_id in progress(pair["doc_id"], f"leave one out: {a} vs {b}"):
            rest = pair[pair["doc_id"] != doc_id]
            try:
                refit = compare_groups(rest, frame_ids, "audience", a, b, n_resamples=n_resamples, seed=seed)
            except ValueError:  # a group left with one interview
                continue
            signed = sign * refit["difference"].to_numpy()
            weaker = signed < weakest
            weakest = np.where(weaker, signed, weakest)
            without = np.where(weaker, doc_id, without)
            max_p = np.maximum(max_p, refit["p"].to_numpy())
        for i, frame in enumerate(frame_ids):
            rows.append(
                {
                    "group_a": a,
                    "group_b": b,
                    "frame": frame,
                    "difference": full["difference"].iat[i],
                    "weakest": sign[i] * weakest[i],
                    "weakest_without": without[i],
                    "max_p": max_p[i],
                    "holds": bool(weakest[i] > 0 and max_p[i] < 0.05),
                }
            )
    return pd.DataFrame(rows)


def classify_audience(
    features: pd.DataFrame, audiences: pd.Series, doc_ids: pd.Series, n_permutations: int = 199, seed: int = 0
) -> dict:
    """Can the audience be told from these features? A nearest-centroid classifier, evaluated
    leaving one interview out: features are standardised on the training units, each
    audience's centroid is the mean of its training units, and the held-out interview (the mean
    of its units) goes to the audience whose centroid is most similar (cosine).

    Accuracy flatters a classifier when audiences differ in size (11 Western interviews against
    6 and 6), so the statistic is the balanced accuracy, the mean of the audiences' recalls. The
    baseline permutes the audience labels among interviews ``n_permutations`` times and repeats
    the whole evaluation; ``p`` is the share of permutations with a balanced accuracy at least as
    high, the observed run counted (Phipson and Smyth 2010). Every permutation is evaluated
    exactly, with all its folds, but without refitting: the folds' standardisation uses no
    label, so it is computed once and reused, and each fold's centroids come from the audience
    totals minus the left-out interview (:func:`predict_left_out`). A permutation then costs
    interviews x features x audiences instead of interviews squared x features (on a corpus of
    416 interviews and 15,717 word features: 199 permutations in 11 s, where refitting took
    about 17 s per permutation).

    Returns a dict: ``accuracy`` (share of interviews right), ``balanced_accuracy``, ``recall``
    (per audience), ``majority`` (the accuracy of always naming the largest audience),
    ``chance`` (mean balanced accuracy of the permutations), ``p``, ``n_interviews``,
    ``confusion`` (DataFrame, true audiences in rows)."""
    codes, docs = pd.factorize(doc_ids.to_numpy(), sort=True)
    doc_audience = pd.Series(audiences.to_numpy(), index=doc_ids.to_numpy()).groupby(level=0).first().reindex(docs)
    labels = sorted(doc_audience.unique())
    sums = sum_by_interview(_feature_matrix(features), codes, len(docs))
    truth = doc_audience.to_numpy()
    predicted = predict_left_out(sums, truth, labels)
    balanced = float(balanced_accuracy_score(truth, predicted))
    null = _permuted_accuracies(sums, truth, labels, n_permutations, seed)
    confusion = pd.crosstab(pd.Series(truth, name="true"), pd.Series(predicted, name="predicted"))
    confusion = confusion.reindex(index=labels, columns=labels, fill_value=0)
    return {
        "accuracy": float(np.mean(predicted == truth)),
        "balanced_accuracy": balanced,
        "recall": {label: float(np.mean(predicted[truth == label] == label)) for label in labels},
        "majority": float(pd.Series(truth).value_counts(normalize=True).iloc[0]),
        "chance": float(np.mean(null)),
        "p": (1 + sum(n >= balanced - 1e-12 for n in null)) / (1 + n_permutations),
        "n_interviews": len(docs),
        "confusion": confusion,
    }


def _feature_matrix(features: pd.DataFrame):
    """``features`` as a float matrix: scipy sparse when every column is sparse (as
    :func:`word_features` gives), else a dense array."""
    if len(features.columns) and all(isinstance(t, pd.SparseDtype) for t in features.dtypes):
        return sparse.csr_matrix(features.sparse.to_coo(), dtype=float)
    return features.to_numpy(dtype=float)


class InterviewSums(NamedTuple):
    """Per interview, what a classifier needs to leave it out by subtraction: ``sums`` and
    ``squares`` (interviews x features: the sum of its units' values and of their squares) and
    ``counts`` (its number of units, float)."""

    sums: np.ndarray
    squares: np.ndarray
    counts: np.ndarray


def sum_by_interview(X, codes: np.ndarray, n_docs: int) -> InterviewSums:
    """:class:`InterviewSums` of the units ``X`` (units x features, a dense array or a scipy
    sparse matrix) whose interviews are ``codes`` (0 .. ``n_docs`` - 1, one per unit)."""
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_docs, len(codes)))
    squared = X.multiply(X) if sparse.issparse(X) else X**2
    sums = np.asarray((indicator @ X).todense() if sparse.issparse(X) else indicator @ X, dtype=float)
    squares = np.asarray((indicator @ squared).todense() if sparse.issparse(X) else indicator @ squared, dtype=float)
    return InterviewSums(sums, squares, np.bincount(codes, minlength=n_docs).astype(float))


class LeftOutScales(NamedTuple):
    """What stays the same however the audiences are assigned, for each interview left out.
    ``weight`` (interviews x features): 1 / variance of the units of every other interview (1
    where that variance is 0). Interviews x interviews, the products over features of weight
    x something of the left-out interview with every interview's sums: ``offset_gram`` (its
    offset: its mean unit minus the other interviews' mean), ``sums_gram`` (its sums) and
    ``mean_gram`` (the other interviews' mean). Per interview, sums over features of weight
    x: ``offset_sums`` (offset x its sums), ``offset_mean`` (offset x mean), ``norm_query``
    (offset squared), ``own_squares`` (its sums squared), ``own_mean`` (its sums x mean) and
    ``mean_squares`` (mean squared)."""

    weight: np.ndarray
    offset_gram: np.ndarray
    sums_gram: np.ndarray
    mean_gram: np.ndarray
    offset_sums: np.ndarray
    offset_mean: np.ndarray
    norm_query: np.ndarray
    own_squares: np.ndarray
    own_mean: np.ndarray
    mean_squares: np.ndarray


def left_out_scales(sums: InterviewSums) -> LeftOutScales:
    """The standardisation of every leave-one-interview-out fold, by subtracting the left-out
    interview from the totals (one pass over interviews x features, not one per fold), and
    the products that do not depend on the audiences. It uses no audience label, so the
    permutation test computes it once and reuses it."""
    n = sums.counts.sum() - sums.counts[:, None]
    mean = (sums.sums.sum(axis=0) - sums.sums) / n
    variance = np.maximum((sums.squares.sum(axis=0) - sums.squares) / n - mean**2, 0)
    sd = np.sqrt(variance)
    sd[sd == 0] = 1
    weight = 1 / sd**2
    offset = weight * (sums.sums / sums.counts[:, None] - mean)
    return LeftOutScales(
        weight,
        offset @ sums.sums.T,
        (weight * sums.sums) @ sums.sums.T,
        (weight * mean) @ sums.sums.T,
        (offset * sums.sums).sum(axis=1),
        (offset * mean).sum(axis=1),
        (offset * (sums.sums / sums.counts[:, None] - mean)).sum(axis=1),
        (weight * sums.sums**2).sum(axis=1),
        (weight * sums.sums * mean).sum(axis=1),
        (weight * mean**2).sum(axis=1),
    )


def predict_left_out(
    sums: InterviewSums, truth: np.ndarray, labels: list[str], scales: LeftOutScales | None = None
) -> np.ndarray:
    """Each interview's audience as the nearest-centroid classifier trained on all the other
    interviews predicts it; ``truth`` holds the interviews' audiences (one of ``labels`` each).
    Returns an object array, one label per interview.

    The classifier: features standardised by the units of the other interviews, each
    audience's centroid the mean of its units among them, the left-out interview's mean unit
    given to the audience whose centroid is most similar (cosine). Every fold is computed at
    once by subtraction: the audience totals minus the left-out interview give its centroids,
    and the cosine's dot product and norms are expanded into sums over features that either do
    not depend on the audiences (:func:`left_out_scales`, computed once) or are one matrix
    product of interviews x features x audiences, so the cost grows with interviews x
    features, not their square."""
    scales = scales or left_out_scales(sums)
    onehot = (truth[:, None] == np.array(labels, dtype=object)[None, :]).astype(float)
    own = onehot.astype(bool)
    label_sums = onehot.T @ sums.sums
    n = (onehot.T @ sums.counts)[None, :] - own * sums.counts[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        dot = (scales.offset_gram @ onehot - own * scales.offset_sums[:, None]) / n - scales.offset_mean[:, None]
        square = scales.weight @ (label_sums**2).T - 2 * own * (scales.sums_gram @ onehot)
        square += own * scales.own_squares[:, None]
        cross = scales.mean_gram @ onehot - own * scales.own_mean[:, None]
        norm2 = square / n**2 - 2 * cross / n + scales.mean_squares[:, None]
        similarity = dot / (np.sqrt(np.maximum(norm2, 0)) * np.sqrt(scales.norm_query)[:, None] + 1e-12)
    return np.array(labels, dtype=object)[np.argmax(similarity, axis=1)]


def _permuted_accuracies(
    sums: InterviewSums, truth: np.ndarray, labels: list[str], n_permutations: int, seed: int
) -> list[float]:
    """Balanced accuracy of :func:`predict_left_out` with the audiences of ``truth`` shuffled
    among the interviews, ``n_permutations`` times (a generator seeded with ``seed``, one
    permutation drawn per run). The folds' standardisation does not depend on the audiences,
    so it is computed once (:func:`left_out_scales`) and every permutation costs four matrix
    products."""
    rng = np.random.default_rng(seed)
    scales = left_out_scales(sums)
    null = []
    for _ in progress(range(n_permutations), desc="classifier permutations"):
        shuffled = rng.permutation(truth)
        null.append(float(balanced_accuracy_score(shuffled, predict_left_out(sums, shuffled, labels, scales))))
    return null


def word_features(
    turns: pd.DataFrame, audiences: Sequence[str], unit: str = "chunk", min_docs: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tf-idf word features of the focal speaker's chunks in interviews of ``audiences``
    (features seen in at least ``min_docs`` interviews). Returns (features, unit table)."""
    selected = turns[turns["audience"].isin(list(audiences))]
    dtm = build_dtm(selected, unit=unit, min_docs=min_docs)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(dtm.counts)
    return pd.DataFrame.sparse.from_spmatrix(tfidf, columns=dtm.features["label"]), dtm.units


def frame_profiles(
    turns: pd.DataFrame, audiences: Sequence[str], role: str = "focal", codebook: Codebook | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Presence (1/0) of each frame in the chunks of about 200 words of ``role`` speech in
    interviews of ``audiences``: returns (profiles, one column per frame; unit table)."""
    codebook = codebook or default_codebook()
    selected = select_turns(turns[turns["audience"].isin(list(audiences))], role=role)
    chunks = score_units(make_units(selected, unit="chunk"), codebook)
    return (chunks[codebook.ids] > 0).astype(float), chunks.drop(columns=codebook.ids)


def robustness_table(
    tests: pd.DataFrame, loo: pd.DataFrame, with_repeats: pd.DataFrame | None, rates: pd.DataFrame
) -> pd.DataFrame:
    """One row per pair and frame joining the robustness checks: the main test
    (:func:`compare_audiences`: ``difference``, ``p``, ``p_holm``), :func:`leave_one_out`
    (``holds``, ``weakest_without``), the test with repeated text included (``p_with_repeats``;
    left out when ``with_repeats`` is None, as for a measure that never includes repeats) and
    ``translation_confounded`` (the two audiences differ by more than half in the share of
    interviews that reach us translated, among those whose translation status is known)."""
    keys = ["group_a", "group_b", "frame"]
    table = tests[[*keys, "difference", "p", "p_holm"]].merge(loo[[*keys, "holds", "weakest_without"]], on=keys)
    if with_repeats is not None:
        table = table.merge(with_repeats[[*keys, "p"]].rename(columns={"p": "p_with_repeats"}), on=keys)
    # the share translated among interviews whose status is known: unknown is not "not translated"
    known = rates[rates["translated"].isin(["true", "false"])]
    translated = known.groupby("audience")["translated"].agg(lambda s: (s == "true").mean())
    table["translation_confounded"] = [
        abs(translated.get(a, np.nan) - translated.get(b, np.nan)) > 0.5
        for a, b in zip(table["group_a"], table["group_b"])
    ]
    return table


def pairs_of(groups: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of ``groups`` in order: [(a, b), (a, c), (b, c)]."""
    return list(combinations(groups, 2))


def translation_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Interviews by audience and translation status: ``true``, ``false`` and ``unknown`` (a third
    level: a status the metadata do not give is never counted as not translated)."""
    status = rates["translated"].replace("", "unknown").fillna("unknown")
    return pd.crosstab(rates["audience"], status)


def function_word_features(
    turns: pd.DataFrame, audiences: Sequence[str], unit: str = "chunk"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The negative control for :func:`word_features`: tf-idf of English function words only
    (scikit-learn's stop-word list) in the focal speaker's chunks in interviews of
    ``audiences``. Function words carry style, not content; if they tell the audiences apart as
    well as all words do, the word result reflects translation and transcription style more than
    what was said. Returns (features, unit table)."""
    selected = select_turns(turns[turns["audience"].isin(list(audiences))], role="focal")
    units = make_units(selected, unit=unit)
    vocabulary = sorted(ENGLISH_STOP_WORDS)
    counts = CountVectorizer(vocabulary=vocabulary, token_pattern=r"(?u)\b\w+\b").transform(units["text"])
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return pd.DataFrame.sparse.from_spmatrix(tfidf, columns=vocabulary), units.drop(columns=["text"])


def classifier_line(frames: dict, words: dict, function_words: dict, margin: float = 0.15) -> str:
    """The summary sentence of :func:`classify_audience` run on frame profiles, on words and on
    function words only (the negative control): balanced accuracies beside the majority
    baseline. When function words come within ``margin`` of all words, the words' success is said
    to be as much translation and style as content."""
    styled = function_words["balanced_accuracy"] >= words["balanced_accuracy"] - margin
    return (
        f"* **Telling audiences apart** (balanced accuracy; always naming the largest audience: "
        f"{frames['majority']:.0%} of interviews): from frames {frames['balanced_accuracy']:.0%} "
        f"(p = {frames['p']:.2f}), from words {words['balanced_accuracy']:.0%}, from function words alone "
        f"{function_words['balanced_accuracy']:.0%}: "
        + (
            "the words' result is as much translation and style as content."
            if styled
            else "the words carry more than style."
        )
    )
