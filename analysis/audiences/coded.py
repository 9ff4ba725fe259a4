"""Frame measures from the coding by reading: shares per interview, the detector beside the
coding, its errors by audience, coded question-answer pairs, and the summary of the coding.

The unit is the paragraph (:func:`analysis.coding.units.coding_units`); the coding is
``data/coding/frames_coded.csv`` read with :func:`analysis.coding.sheets.load_coding`, and
:func:`analysis.coding.sheets.coded_frames` turns one coder's rows into 0/1 columns. Every table here
has one row per interview (or per group) and keeps the interview as the unit of comparison, as
the rest of :mod:`analysis.audiences.comparisons` does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..corpus import TURN_METADATA
from ..frames.codebook import Codebook, default_codebook
from ..frames.evaluation import agreement
from ..frames.score import score


def paragraph_table(units: pd.DataFrame, coded: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The coding units joined with one coding (0/1 per frame, :func:`coded_frames`) and their
    document's metadata (``TURN_METADATA``). Units without a code are an error: the analyses run
    on complete coverage only."""
    missing = sorted(set(units["para_id"]) - set(coded["para_id"]))
    if missing:
        raise ValueError(
            f"{len(missing)} coding units are not coded, e.g. {missing[:3]}; "
            "code them (data/coding/README.md) before comparing audiences"
        )
    meta = documents[["doc_id", *[c for c in TURN_METADATA if c not in ("audience", "outlet", "kind")]]]
    table = units.merge(coded, on="para_id", how="left", validate="one_to_one")
    return table.merge(meta, on="doc_id", how="left", validate="many_to_one")


def frame_shares(
    paragraphs: pd.DataFrame,
    frame_ids: Sequence[str],
    role: str = "focal",
    weight: str = "paragraphs",
    kinds: Sequence[str] = ("interview",),
) -> pd.DataFrame:
    """Per interview, the share of ``role``'s paragraphs that carry each frame.

    ``paragraphs`` is :func:`paragraph_table` (or any table with its columns and 0/1 frame
    columns). ``weight="paragraphs"`` counts paragraphs; ``"words"`` gives the share of the
    interview's words that stand in paragraphs carrying the frame. Returns ``doc_id``, the
    metadata columns, ``n_units`` (paragraphs), ``n_words``, then one column per frame (0 to 1)."""
    if weight not in ("paragraphs", "words"):
        raise ValueError(f"weight must be 'paragraphs' or 'words', not {weight!r}")
    chosen = paragraphs[(paragraphs["role"] == role) & paragraphs["kind"].isin(list(kinds))]
    if chosen.empty:
        raise ValueError(f"no paragraphs of role {role!r} in documents of kinds {list(kinds)}")
    w = chosen["n_words"].to_numpy(dtype=float) if weight == "words" else np.ones(len(chosen))
    weighted = chosen[list(frame_ids)].mul(w, axis=0).assign(doc_id=chosen["doc_id"], _w=w)
    grouped = weighted.groupby("doc_id", sort=True)
    shares = grouped[list(frame_ids)].sum().div(grouped["_w"].sum(), axis=0)
    meta = chosen.groupby("doc_id", sort=True)[TURN_METADATA].first()
    meta["n_units"] = chosen.groupby("doc_id", sort=True).size()
    meta["n_words"] = chosen.groupby("doc_id", sort=True)["n_words"].sum()
    return pd.concat([meta, shares], axis=1).reset_index()


def detect(paragraphs: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """The cue detector's verdict on every paragraph, as 0/1 frame columns beside the paragraph
    columns (the frame columns of the input are replaced)."""
    codebook = codebook or default_codebook()
    found = (score(list(paragraphs["text"]), codebook, method="cues") > 0).astype(int)
    return pd.concat(
        [paragraphs.drop(columns=[c for c in codebook.ids if c in paragraphs]).reset_index(drop=True), found], axis=1
    )


def coded_and_detected(coded: pd.DataFrame, detected: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """Audience means of the coded and the detected per-interview shares side by side: ``frame``,
    ``group``, ``n`` (interviews), ``coded``, ``detected`` and ``difference`` (detected - coded).
    Both inputs are :func:`frame_shares` tables of the same interviews."""
    rows = []
    for frame in frame_ids:
        for group, part in coded.groupby("audience", sort=True):
            found = detected.loc[detected["audience"] == group, frame]
            rows.append(
                {"frame": frame, "group": group, "n": len(part), "coded": part[frame].mean(), "detected": found.mean()}
            )
    table = pd.DataFrame(rows)
    table["difference"] = table["detected"] - table["coded"]
    return table


def errors_by_group(
    coded: pd.DataFrame, detected: pd.DataFrame, frame_ids: Sequence[str], by: str = "audience"
) -> pd.DataFrame:
    """The detector against the coding, frame by frame, within each group: the columns of
    :func:`analysis.frames.evaluation.agreement` plus ``by``. Rows of the two tables are matched on
    ``para_id``. Where precision or recall differ between groups, a comparison of detected shares
    between them is biased even when the overall F1 looks fine."""
    merged = coded[["para_id", by, *frame_ids]].merge(
        detected[["para_id", *frame_ids]], on="para_id", suffixes=("", "_detected"), validate="one_to_one"
    )
    parts = []
    for group, part in merged.groupby(by, sort=True):
        found = part[[f"{f}_detected" for f in frame_ids]].set_axis(list(frame_ids), axis=1)
        parts.append(
            agreement(found.reset_index(drop=True), part[list(frame_ids)].reset_index(drop=True), frame_ids).assign(
                **{by: group}
            )
        )
    return pd.concat(parts, ignore_index=True)


def coded_pairs(paragraphs: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """Each interviewer turn with the focal speaker's answer to it, from the coding: a turn carries
    a frame when any of its paragraphs does. Columns as :func:`analysis.audiences.comparisons.question_answer_pairs`:
    ``doc_id``, ``audience``, ``question_id``, ``answer_id``, ``q_<id>`` and ``a_<id>``. Only answers
    that directly follow a question are paired (an answer's ``question_id`` is the last interviewer
    turn before it; a second answer turn to the same question is merged into the first)."""
    ids = list(frame_ids)
    turn_frames = paragraphs.groupby("turn_id", sort=False)[ids].max()
    answers = paragraphs[(paragraphs["role"] == "focal") & (paragraphs["question_id"] != "")]
    answers = answers.drop_duplicates("turn_id")[["doc_id", "audience", "question_id", "turn_id"]]
    answers = answers[answers["question_id"].isin(turn_frames.index)]
    answered = answers.groupby("question_id", sort=False).agg(
        doc_id=("doc_id", "first"),
        audience=("audience", "first"),
        answer_id=("turn_id", "first"),
        answer_turns=("turn_id", list),
    )
    q = turn_frames.loc[answered.index].add_prefix("q_").reset_index(drop=True)
    a = (
        pd.DataFrame([turn_frames.loc[t].max() for t in answered["answer_turns"]])
        .add_prefix("a_")
        .reset_index(drop=True)
    )
    head = answered.reset_index()[["doc_id", "audience", "question_id", "answer_id"]]
    return pd.concat([head, q.astype(int), a.astype(int)], axis=1)


def examples(
    paragraphs: pd.DataFrame, frame: str, groups: Sequence[str], per_group: int = 2, max_words: int = 80, seed: int = 0
) -> pd.DataFrame:
    """A few coded paragraphs carrying ``frame`` from each group (focal answers, at most
    ``max_words`` words where possible), drawn at random with ``seed``: ``audience``, ``para_id``,
    ``outlet`` and ``text``."""
    rng = np.random.default_rng(seed)
    rows = []
    for group in groups:
        pool = paragraphs[
            (paragraphs["audience"] == group) & (paragraphs["role"] == "focal") & (paragraphs[frame] == 1)
        ]
        short = pool[pool["n_words"] <= max_words]
        pool = short if len(short) >= per_group else pool
        pick = np.sort(rng.permutation(len(pool))[:per_group])
        rows.append(pool.iloc[pick][["audience", "para_id", "outlet", "text"]])
    return pd.concat(rows, ignore_index=True)


def disagreements(first: pd.DataFrame, second: pd.DataFrame, final: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The paragraphs on which the two passes differ, with both codings, the adjudicated one and
    its reason: ``para_id``, ``role``, ``pass1``, ``pass2``, ``final``, ``reason``, ``text``.
    Inputs are sheets with ``para_id``, ``frames`` and (for ``final``) ``note``."""
    both = first[["para_id", "frames"]].merge(second[["para_id", "frames"]], on="para_id", suffixes=("_1", "_2"))
    differ = both[both["frames_1"] != both["frames_2"]]
    table = differ.merge(final[["para_id", "frames", "note"]], on="para_id").merge(
        units[["para_id", "role", "text"]], on="para_id"
    )
    return table.rename(columns={"frames_1": "pass1", "frames_2": "pass2", "frames": "final", "note": "reason"})[
        ["para_id", "role", "pass1", "pass2", "final", "reason", "text"]
    ]


def model_table(paragraphs: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """Aliyev's answer paragraphs in interviews with the covariates of
    :func:`analysis.stats.models.presence_effects`: ``day`` (of the war), ``log_words`` (of the
    paragraph), ``translated`` (1 for a translated interview, 0 otherwise), ``translation_unknown``
    (1 where the metadata do not say whether it is translated: a third level, so that unknown is
    never counted as not translated) and ``asked_<frame>`` (1 when the question it answers, any of
    that question's paragraphs, carries the frame; 0 for an answer without a question)."""
    from ..stats.models import war_day

    answers = paragraphs[(paragraphs["role"] == "focal") & (paragraphs["kind"] == "interview")].copy()
    asked = paragraphs[paragraphs["role"] == "interviewer"].groupby("turn_id")[list(frame_ids)].max()
    for frame in frame_ids:
        answers[f"asked_{frame}"] = answers["question_id"].map(asked[frame]).fillna(0).astype(int)
    answers["day"] = war_day(answers["date"])
    answers["log_words"] = np.log(answers["n_words"].clip(lower=1))
    status = answers["translated"].fillna("").astype(str)
    answers["translated"] = (status == "true").astype(int)
    # unknown stays unknown: its own indicator, never "not translated" (models.design adds it)
    answers["translation_unknown"] = ~status.isin(["true", "false"])
    answers["translation_unknown"] = answers["translation_unknown"].astype(int)
    return answers.reset_index(drop=True)


def directional_tests(effects: pd.DataFrame, hypotheses: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
    """The pre-specified hypotheses tested as one family: each ``(frame, higher, lower)`` says the
    frame is more often present for audience ``higher`` than for ``lower``. From the model's
    two-sided p (``effects`` is :func:`analysis.stats.models.presence_effects`), the one-sided p in the
    stated direction, then Holm's correction over the family. Returns ``frame``, ``higher``,
    ``lower``, ``odds_ratio`` (higher against lower), ``low``, ``high``, ``p_one_sided``,
    ``p_holm`` and ``supported`` (p_holm < 0.05)."""
    from .comparisons import holm

    rows = []
    for frame, higher, lower in hypotheses:
        match = effects[
            (effects["frame"] == frame)
            & effects["group_a"].isin([higher, lower])
            & effects["group_b"].isin([higher, lower])
        ]
        if len(match) != 1:
            raise ValueError(f"no single estimate of {frame} for {higher} against {lower}")
        r = match.iloc[0]
        flip = r["group_a"] != higher
        ratio, low, high = (1 / r["ratio"], 1 / r["high"], 1 / r["low"]) if flip else (r["ratio"], r["low"], r["high"])
        one_sided = r["p"] / 2 if ratio > 1 else 1 - r["p"] / 2
        rows.append(
            {
                "frame": frame,
                "higher": higher,
                "lower": lower,
                "odds_ratio": ratio,
                "low": low,
                "high": high,
                "p_one_sided": one_sided,
            }
        )
    table = pd.DataFrame(rows)
    table["p_holm"] = holm(table["p_one_sided"].to_numpy())
    table["supported"] = table["p_holm"] < 0.05
    return table
