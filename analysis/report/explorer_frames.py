"""The explorer page's frames tab: the paragraphs coded by reading, browsable by frame, audience and
role (:mod:`analysis.report.explorer`).

The paragraphs are the framing notebooks' coding units (:func:`analysis.coding.units.coding_units`)
joined with the final coding (:func:`analysis.coding.sheets.load_coding`,
:func:`analysis.coding.sheets.coded_frames`, :func:`analysis.audiences.coded.paragraph_table`); each
shows the question it answers (the interviewer turn before it) and its frame's cue words as the
detector finds them (:func:`analysis.frames.cues.matches`, negated matches left out, as they do not
count). The shares by audience with their intervals are 04_framing_2_audiences's own table
``framing_by_audience.csv``, read by column name. A corpus without a codebook or without a coding
gets a sentence saying so instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..audiences.coded import paragraph_table
from ..coding.sheets import coded_frames, load_coding
from ..coding.units import CODED_ROLES, coding_units
from ..corpus import load_documents
from ..corpus.normalise import plain_characters
from ..frames.codebook import load_codebook
from ..frames.cues import matches
from ..io import read_csv

#: What the tab says for a corpus without a codebook, or with one but without a coding by reading.
NO_CODEBOOK = "This corpus has no codebook (codebook: in its corpus.yml), so it has no frames to browse."
NO_CODING = (
    "This corpus has a codebook but no coding by reading (coding: in its corpus.yml), so there are no coded "
    "paragraphs to browse; 04_framing_2_audiences shows the cue detector's frames, which are not validated on it."
)
#: Characters of a question shown above its answer; the rest is cut with an ellipsis.
QUESTION_CHARS = 400


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def chosen_paragraphs(paragraphs: pd.DataFrame, ids: list[str], cap: int, seed: int = 0) -> pd.DataFrame:
    """Up to ``cap`` coded paragraphs of each frame, audience and role (a seeded random draw where
    there are more, kept in corpus order), each paragraph once."""
    keep = set()
    for frame in ids:
        coded = paragraphs[paragraphs[frame] == 1]
        for _, cell in coded.groupby(["audience", "role"], sort=True):
            drawn = cell if len(cell) <= cap else cell.sample(cap, random_state=seed)
            keep |= set(drawn["para_id"])
    return paragraphs[paragraphs["para_id"].isin(keep)]


def paragraph_rows(shown: pd.DataFrame, turns: pd.DataFrame, ids: list[str], codebook) -> list:
    """The shown paragraphs for the page: per paragraph its audience, outlet, date, role, raw-file
    lines, text (made plain, as the cue offsets count), the question it answers (or None), its
    frames and per frame the [start, end] offsets of the cue words."""
    questions = turns.set_index("turn_id")["text"]
    rows = []
    for p in shown.itertuples():
        frames = [f for f in ids if getattr(p, f) == 1]
        asked = questions.get(p.question_id) if p.question_id else None
        rows.append(
            {
                "audience": p.audience,
                "outlet": p.outlet,
                "date": str(p.date),
                "role": p.role,
                "lines": f"{int(p.line_start)}-{int(p.line_end)}",
                "text": plain_characters(p.text),
                "question": None if asked is None else _cut(str(asked), QUESTION_CHARS),
                "frames": frames,
                "cues": {
                    f: [[s, e] for s, e, _, negated in matches(p.text, f, codebook) if not negated] for f in frames
                },
            }
        )
    return rows


def frame_counts(paragraphs: pd.DataFrame, ids: list[str]) -> dict:
    """How many paragraphs carry each frame, by audience and role: ``{frame: {audience: {role: n}}}``."""
    counts = {}
    for frame in ids:
        table = paragraphs[paragraphs[frame] == 1].groupby(["audience", "role"]).size()
        counts[frame] = {}
        for (audience, role), n in table.items():
            counts[frame].setdefault(audience, {})[role] = int(n)
    return counts


def published_shares(figures: Path) -> list[dict]:
    """04's shares of paragraphs carrying each frame by audience with their intervals
    (``framing_by_audience.csv``: ``frame``, ``group``, ``n``, ``mean``, ``low``, ``high``), or
    none when 04 has not published it."""
    path = Path(figures) / "framing_by_audience.csv"
    if not path.is_file():
        return []
    table = read_csv(path)
    number = {c: pd.to_numeric(table[c].replace("", np.nan)) for c in ("n", "mean", "low", "high")}
    return [
        {
            "frame": table["frame"].iat[i],
            "group": table["group"].iat[i],
            "n": int(number["n"].iat[i]),
            "share": round(float(number["mean"].iat[i]), 4),
            "low": None if pd.isna(number["low"].iat[i]) else round(float(number["low"].iat[i]), 4),
            "high": None if pd.isna(number["high"].iat[i]) else round(float(number["high"].iat[i]), 4),
        }
        for i in range(len(table))
    ]


def frames_payload(turns, processed: Path, cfg, figures: Path, cap: int, note: str) -> dict:
    """The frames tab's data: ``status`` ("coded", "no codebook" or "no coding") with a ``message``
    for the last two; for a coded corpus ``frames`` (``id``, ``label``, ``definition``), ``roles``,
    ``paragraphs`` (:func:`paragraph_rows`, at most ``cap`` per frame, audience and role),
    ``counts`` (:func:`frame_counts`, every coded paragraph), ``shares`` (04's) and ``note`` (who
    coded, :func:`analysis.report.site.measure_note`)."""
    if cfg.codebook is None:
        return {"status": "no codebook", "message": NO_CODEBOOK}
    if cfg.coding is None:
        return {"status": "no coding", "message": NO_CODING}
    codebook = load_codebook(cfg.codebook)
    ids = codebook.ids
    units = coding_units(turns, raw_dir=cfg.texts)
    coding = load_coding(cfg.coding, ids)
    paragraphs = paragraph_table(units, coded_frames(coding, "final", ids), load_documents(processed))
    shown = chosen_paragraphs(paragraphs, ids, cap)
    return {
        "status": "coded",
        "note": note,
        "frames": [{"id": f.id, "label": f.label, "definition": f.definition} for f in codebook.frames],
        "roles": list(CODED_ROLES),
        "paragraphs": paragraph_rows(shown, turns, ids, codebook),
        "counts": frame_counts(paragraphs, ids),
        "shares": published_shares(figures),
    }
