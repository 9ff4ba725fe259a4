"""The units of the coding by reading: every paragraph of the focal speaker's answers and of the
journalists' questions, with its lines in the raw file and the question an answer paragraph answers.

:func:`coding_units` builds them from the turns table; the coders' sheets
(:mod:`analysis.coding.sheets`) and the samples (:mod:`analysis.coding.sample`) refer to them by
``para_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config
from ..corpus.normalise import count_words
from ..corpus.sources import read_lines
from ..text.dtm import select_turns

#: Roles whose paragraphs are coded: the focal speaker's answers and the journalists' questions.
CODED_ROLES = ("focal", "interviewer")


#: Documents whose paragraphs are coded: the interviews, the speech and the news reports (their
#: repeats of an interview's turns are left out, as everywhere else).
CODED_KINDS = ("interview", "speech", "news_report")


#: Where a coded paragraph is: its ids, its lines in the raw file and whose words it is.
LOCATION_COLUMNS = ["para_id", "doc_id", "turn_id", "source_file", "line_start", "line_end", "role"]


UNIT_COLUMNS = [*LOCATION_COLUMNS, "audience", "outlet", "kind", "n_words", "question_id", "text"]


def coding_units(
    turns: pd.DataFrame,
    roles: tuple[str, ...] = CODED_ROLES,
    kinds: tuple[str, ...] = CODED_KINDS,
    raw_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Every paragraph to be coded by reading, one row each, in document and turn order.

    ``turns`` carries the document metadata (``load_turns(with_metadata=True)``). Columns
    (``UNIT_COLUMNS``): ``para_id`` (``<turn_id>-p<k>``, the same ids as the sampled
    paragraphs), ``doc_id``, ``turn_id``, ``source_file``, ``line_start`` and ``line_end`` (the
    paragraph's 1-based lines in the raw file), ``role``, ``audience``, ``outlet``, ``kind``,
    ``n_words``, ``question_id`` (for an answer paragraph, the ``turn_id`` of the interviewer turn
    it answers, the last one before it in the same document; empty if none) and ``text``.
    Repeated turns are left out. ``raw_dir`` is the folder of the raw files (default the seed
    corpus's ``data/raw``; a bring-your-own corpus passes the folder of its ``corpus.yml``)."""
    chosen = select_turns(turns, role=list(roles), kinds=kinds)
    all_sorted = turns.sort_values(["doc_id", "turn"])
    asked = _questions_answered(all_sorted)
    lines_of = _raw_lines(chosen["source_file"].unique(), Path(raw_dir or config.DATA_RAW))
    rows = []
    for turn in chosen.itertuples(index=False):
        pieces = [p.strip() for p in turn.text.split("\n") if p.strip()]
        spans = _locate(pieces, lines_of[turn.source_file], int(turn.line_start), int(turn.line_end))
        for k, (text, (start, end)) in enumerate(zip(pieces, spans), start=1):
            rows.append(
                (
                    f"{turn.turn_id}-p{k}",
                    turn.doc_id,
                    turn.turn_id,
                    turn.source_file,
                    start,
                    end,
                    turn.role,
                    turn.audience,
                    turn.outlet,
                    turn.kind,
                    count_words(text),
                    asked.get(turn.turn_id, "") if turn.role == "focal" else "",
                    text,
                )
            )
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _questions_answered(turns: pd.DataFrame) -> dict[str, str]:
    """turn_id of each focal turn -> turn_id of the last interviewer turn before it in its document."""
    answered, last = {}, {}
    for turn in turns.itertuples(index=False):
        if turn.role == "interviewer":
            last[turn.doc_id] = turn.turn_id
        elif turn.role == "focal" and turn.doc_id in last:
            answered[turn.turn_id] = last[turn.doc_id]
    return answered


def _raw_lines(files, raw_dir: Path) -> dict[str, list[str]]:
    return {f: read_lines(raw_dir / f if not Path(f).is_absolute() else f) for f in files}


def _locate(pieces: list[str], lines: list[str], first: int, last: int) -> list[tuple[int, int]]:
    """The 1-based (start, end) lines of each paragraph of a turn within its lines first..last:
    the line holding the paragraph's opening words, to the end of that run of non-blank lines."""
    spans, at = [], first
    for text in pieces:
        probe = " ".join(text.split()[:6])
        start = next((n for n in range(at, last + 1) if probe in " ".join(lines[n - 1].split())), at)
        end = start
        while end < last and lines[end].strip():
            end += 1
        spans.append((start, end))
        at = end + 1 if end < last else end
    return spans
