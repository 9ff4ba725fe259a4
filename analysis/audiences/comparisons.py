"""Frames across audiences: rates per interview, audience comparisons with interview-level
uncertainty, the journalists' questions, the course of the war and robustness checks. Whether
the audience can be told from the words alone is :mod:`analysis.audiences.classifier`.

Every comparison treats an interview as one observation (see :mod:`analysis.stats.resampling`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..corpus import TURN_METADATA, summarise_repeats
from ..frames.codebook import Codebook, default_codebook
from ..frames.cues import score_units
from ..frames.score import score
from ..stats.intervals import group_intervals, holm
from ..stats.progress import progress
from ..stats.resampling import compare_groups, group_means
from ..text.dtm import make_units, select_turns

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


def translation_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Interviews by audience and translation status: ``true``, ``false`` and ``unknown`` (a third
    level: a status the metadata do not give is never counted as not translated)."""
    status = rates["translated"].replace("", "unknown").fillna("unknown")
    return pd.crosstab(rates["audience"], status)
