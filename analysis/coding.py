"""Human coding: paragraphs sampled for hand-coding, and the coders' sheets read back.

The validation of the frame codebook rests on paragraphs of the focal speaker's answers read and
coded by hand. :func:`sample_paragraphs` draws them, stratified by audience, and assigns each to
the development half (used to refine cues) or the held-out half (never used for refining).
:func:`load_codes` reads a coding pass back and checks it against the sample and the codebook.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import config as paths
from .dtm import select_turns
from .errors import CorpusError
from .text import count_words

CODING = paths.PROJECT_ROOT / "data" / "coding"
SAMPLE_FILE = CODING / "paragraphs.csv"


def split_paragraphs(turns: pd.DataFrame, role: str = "focal") -> pd.DataFrame:
    """One row per paragraph (a non-empty line of a turn's text) of the selected turns (see
    :func:`analysis.dtm.select_turns`): ``para_id`` (``<turn_id>-p<k>``), ``turn_id``,
    ``doc_id``, ``audience``, ``outlet``, ``date``, ``n_words`` and ``text``."""
    rows = []
    for turn in select_turns(turns, role=role).itertuples(index=False):
        pieces = [p.strip() for p in turn.text.split("\n") if p.strip()]
        for k, text in enumerate(pieces, start=1):
            rows.append((f"{turn.turn_id}-p{k}", turn.turn_id, turn.doc_id, turn.audience, turn.outlet,
                         turn.date, count_words(text), text))
    return pd.DataFrame(rows, columns=["para_id", "turn_id", "doc_id", "audience", "outlet", "date",
                                       "n_words", "text"])


def sample_paragraphs(paragraphs: pd.DataFrame, per_group: dict[str, int], min_words: int = 20,
                      max_words: int = 200, seed: int = 2020) -> pd.DataFrame:
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
            raise ValueError(f"only {len(pool)} paragraphs of {group} have {min_words}-{max_words} "
                             f"words; ask for at most that many")
        drawn = pool.iloc[rng.permutation(len(pool))[:n]].copy()
        drawn["split"] = ["dev" if i % 2 == 0 else "heldout" for i in range(n)]
        parts.append(drawn)
    return pd.concat(parts).sort_values("para_id", ignore_index=True)


def load_codes(path: str | Path, sample: pd.DataFrame, frame_ids: list[str]) -> pd.DataFrame:
    """A coding pass: one row per sampled paragraph, columns ``para_id``, ``speaker_ok`` and one
    0/1 column per frame id (in ``frame_ids`` order).

    The sheet is a CSV with ``para_id``, ``speaker_ok`` (yes/no: is the paragraph really the
    focal speaker's?) and ``frames`` (frame ids separated by spaces, empty for none). Every
    sampled paragraph must be coded exactly once and every frame id must be in the codebook."""
    path = Path(path)
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"para_id", "speaker_ok", "frames"} - set(sheet.columns)
    if missing:
        raise CorpusError(path, 1, f"columns {sorted(missing)} are missing",
                          "give the sheet the columns para_id, speaker_ok, frames")
    rows = []
    for line, row in enumerate(sheet.itertuples(index=False), start=2):
        codes = row.frames.split()
        unknown = sorted(set(codes) - set(frame_ids))
        if unknown:
            raise CorpusError(path, line, f"frame ids {unknown} are not in the codebook",
                              f"use the ids {', '.join(frame_ids)}")
        if row.speaker_ok not in ("yes", "no"):
            raise CorpusError(path, line, f"speaker_ok is {row.speaker_ok!r}", "write yes or no")
        rows.append({"para_id": row.para_id, "speaker_ok": row.speaker_ok == "yes",
                     **{f: int(f in codes) for f in frame_ids}})
    codes = pd.DataFrame(rows, columns=["para_id", "speaker_ok", *frame_ids])
    twice = sorted(codes.loc[codes["para_id"].duplicated(), "para_id"])
    if twice:
        raise CorpusError(path, None, f"paragraphs {twice} are coded twice", "keep one row each")
    uncoded = sorted(set(sample["para_id"]) - set(codes["para_id"]))
    extra = sorted(set(codes["para_id"]) - set(sample["para_id"]))
    if uncoded or extra:
        raise CorpusError(path, None, f"the sheet does not match the sample (uncoded: {uncoded[:5]}, "
                          f"not sampled: {extra[:5]})", "code exactly the paragraphs of paragraphs.csv")
    order = {p: i for i, p in enumerate(sample["para_id"])}
    return codes.sort_values("para_id", key=lambda s: s.map(order), ignore_index=True)
