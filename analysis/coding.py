"""Coding by reading: the paragraphs to code, the reliability sample, and the coders' sheets.

:func:`coding_units` lists every paragraph of the focal speaker's answers and the journalists'
questions with its lines in the raw file; :func:`reliability_sample` draws the quarter coded a
second time; :func:`read_sheet`, :func:`adjudicate` and :func:`assemble_coding` turn the coders'
sheets into ``data/coding/frames_coded.csv``, which :func:`load_coding` reads back checked.
:func:`coder_guide` renders the codebook as coders read it (no cues).

The first edition's validation sample (:func:`sample_paragraphs`, :func:`load_codes`) stays for
the history in ``data/coding/first_edition``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .corpus.sources import read_lines
from .dtm import select_turns
from .errors import CorpusError
from .io import read_yaml
from .text import count_words

CODING = config.DATA_CODING
#: The first edition's validation sample and its two passes, kept as history (see data/coding/README.md).
FIRST_EDITION = CODING / "first_edition"
SAMPLE_FILE = FIRST_EDITION / "paragraphs.csv"


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
        raise CorpusError(
            path, 1, f"columns {sorted(missing)} are missing", "give the sheet the columns para_id, speaker_ok, frames"
        )
    rows = []
    for line, row in enumerate(sheet.itertuples(index=False), start=2):
        codes = row.frames.split()
        unknown = sorted(set(codes) - set(frame_ids))
        if unknown:
            raise CorpusError(
                path, line, f"frame ids {unknown} are not in the codebook", f"use the ids {', '.join(frame_ids)}"
            )
        if row.speaker_ok not in ("yes", "no"):
            raise CorpusError(path, line, f"speaker_ok is {row.speaker_ok!r}", "write yes or no")
        rows.append(
            {"para_id": row.para_id, "speaker_ok": row.speaker_ok == "yes", **{f: int(f in codes) for f in frame_ids}}
        )
    codes = pd.DataFrame(rows, columns=["para_id", "speaker_ok", *frame_ids])
    twice = sorted(codes.loc[codes["para_id"].duplicated(), "para_id"])
    if twice:
        raise CorpusError(path, None, f"paragraphs {twice} are coded twice", "keep one row each")
    uncoded = sorted(set(sample["para_id"]) - set(codes["para_id"]))
    extra = sorted(set(codes["para_id"]) - set(sample["para_id"]))
    if uncoded or extra:
        raise CorpusError(
            path,
            None,
            f"the sheet does not match the sample (uncoded: {uncoded[:5]}, not sampled: {extra[:5]})",
            "code exactly the paragraphs of paragraphs.csv",
        )
    order = {p: i for i, p in enumerate(sample["para_id"])}
    return codes.sort_values("para_id", key=lambda s: s.map(order), ignore_index=True)


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


def reliability_sample(units: pd.DataFrame, share: float = 0.25, seed: int = 2021) -> pd.DataFrame:
    """The paragraphs drawn for the independent second coding: within every document and role
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


def coder_guide(codebook) -> str:
    """The codebook as a coder reads it (Markdown): the unit, the general rules, and for each frame
    its id, label, definition, include and exclude rules and examples. Cues and baselines are left
    out on purpose: coders apply the definitions, never the detector's word lists."""
    raw = read_yaml(codebook.path, "codebook").data
    out = [
        "# Frame codebook: the coder's guide",
        "",
        "## Unit of coding",
        "",
        " ".join(str(raw.get("unit", "")).split()),
        "",
        "## General rules",
        "",
    ]
    out += [f"- {rule}" for rule in raw.get("general_rules", [])]
    for entry in raw["frames"]:
        out += ["", f"## `{entry['id']}`: {entry['label']}", "", " ".join(str(entry["definition"]).split()), ""]
        out += ["Code it when:"] + [f"- {r}" for r in entry.get("include", [])]
        out += ["", "Do not code it for:"] + [f"- {r}" for r in entry.get("exclude", [])]
        for kind, example in (entry.get("examples") or {}).items():
            out.append(
                f"\n*{'Coded' if kind == 'include' else 'Not coded'}* ({example['para_id']}): "
                f"\u201c{example['text']}\u201d"
            )
    return "\n".join(out) + "\n"


#: The coding by reading of every unit: one row per paragraph and coder (see data/coding/README.md).
FRAMES_CODED = config.FRAMES_CODED
CODED_COLUMNS = [*LOCATION_COLUMNS, "frames", "coder", "note"]
#: The codings a file may hold: the first pass, the independent second pass of the reliability
#: sample, and the adjudicated coding the analyses use.
CODERS = ("pass1", "pass2", "final")


def read_sheet(path: str | Path, frame_ids: Sequence[str]) -> pd.DataFrame:
    """A coder's sheet: a CSV with ``para_id``, ``frames`` (ids separated by spaces, empty for
    none) and an optional ``note``. Returns those three columns, frames in ``frame_ids`` order.
    Raises :class:`CorpusError` naming the line of an unknown frame id or a repeated paragraph."""
    path = Path(path)
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"para_id", "frames"} <= set(sheet.columns):
        raise CorpusError(
            path, 1, "the columns para_id and frames are missing", "write a header line para_id,frames,note"
        )
    if "note" not in sheet.columns:
        sheet["note"] = ""
    sheet["frames"] = [_frames_cell(cell, frame_ids, path, line) for line, cell in enumerate(sheet["frames"], start=2)]
    twice = sheet["para_id"].duplicated()
    if twice.any():
        line = int(np.flatnonzero(twice)[0]) + 2
        raise CorpusError(
            path, line, f"paragraph {sheet['para_id'][twice].iloc[0]} is coded twice", "keep one row per paragraph"
        )
    return sheet[["para_id", "frames", "note"]]


def _frames_cell(cell: str, frame_ids: Sequence[str], path: Path, line: int) -> str:
    codes = cell.split()
    unknown = sorted(set(codes) - set(frame_ids))
    if unknown:
        raise CorpusError(
            path, line, f"frame ids {unknown} are not in the codebook", f"use the ids {', '.join(frame_ids)}"
        )
    return " ".join(f for f in frame_ids if f in codes)


def adjudicate(first: pd.DataFrame, second: pd.DataFrame, settled: pd.DataFrame) -> pd.DataFrame:
    """The final coding: the first pass, except where the second pass of the reliability sample
    disagrees with it, where the third reading in ``settled`` decides (its note gives the reason).

    All three are sheets (:func:`read_sheet`). Every disagreement must be settled, and nothing
    else: a settled paragraph on which both passes agree is an error, so the record of what was
    adjudicated stays exact."""
    both = first.merge(second, on="para_id", suffixes=("_1", "_2"))
    disputed = set(both.loc[both["frames_1"] != both["frames_2"], "para_id"])
    unsettled = sorted(disputed - set(settled["para_id"]))
    extra = sorted(set(settled["para_id"]) - disputed)
    if unsettled or extra:
        raise ValueError(
            f"the adjudication does not match the disagreements (unsettled: {unsettled[:5]}, not disputed: {extra[:5]})"
        )
    final = first.set_index("para_id").copy()
    final["note"] = ""
    chosen = settled.set_index("para_id")
    final.loc[chosen.index, ["frames", "note"]] = chosen[["frames", "note"]]
    return final.reset_index()


def assemble_coding(units: pd.DataFrame, codings: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One long table of every coding (``CODED_COLUMNS``), rows in unit order and, within a
    paragraph, in ``CODERS`` order; ``codings`` maps a coder name to its sheet. Paragraphs a sheet
    codes that are not units are an error."""
    parts = []
    for coder, sheet in codings.items():
        if coder not in CODERS:
            raise ValueError(f"coder {coder!r} is not one of {CODERS}")
        unknown = sorted(set(sheet["para_id"]) - set(units["para_id"]))
        if unknown:
            raise ValueError(f"{coder} codes paragraphs that are not coding units: {unknown[:5]}")
        parts.append(sheet.assign(coder=coder))
    table = units[LOCATION_COLUMNS].merge(pd.concat(parts, ignore_index=True), on="para_id")
    order = {p: i for i, p in enumerate(units["para_id"])}
    table = table.assign(_u=table["para_id"].map(order), _c=table["coder"].map(CODERS.index))
    return table.sort_values(["_u", "_c"])[CODED_COLUMNS].reset_index(drop=True)


def load_coding(path: str | Path = FRAMES_CODED, frame_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The stored coding (``CODED_COLUMNS``, one row per paragraph and coder), checked: known
    coders, frame ids of the codebook, at most one row per paragraph and coder."""
    from .frames import FRAME_IDS

    frame_ids = list(frame_ids or FRAME_IDS)
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in CODED_COLUMNS if c not in table.columns]
    if missing:
        raise CorpusError(path, 1, f"columns {missing} are missing", f"write the columns {', '.join(CODED_COLUMNS)}")
    for line, row in enumerate(table.itertuples(index=False), start=2):
        if row.coder not in CODERS:
            raise CorpusError(
                path,
                line,
                f"coder {row.coder!r} is not one of {', '.join(CODERS)}",
                "name the coding pass1, pass2 or final",
            )
        _frames_cell(row.frames, frame_ids, path, line)
    twice = table.duplicated(["para_id", "coder"])
    if twice.any():
        line = int(np.flatnonzero(twice)[0]) + 2
        raise CorpusError(path, line, "a paragraph is coded twice by the same coder", "keep one row per coder")
    return table.astype({"line_start": int, "line_end": int})


def coded_frames(coding: pd.DataFrame, coder: str = "final", frame_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One coder's coding as a table: ``para_id`` and one 0/1 column per frame id."""
    from .frames import FRAME_IDS

    frame_ids = list(frame_ids or FRAME_IDS)
    rows = coding[coding["coder"] == coder]
    present = [set(f.split()) for f in rows["frames"]]
    wide = pd.DataFrame({f: [int(f in p) for p in present] for f in frame_ids}, index=rows.index)
    return pd.concat([rows[["para_id"]], wide], axis=1).reset_index(drop=True)


def uncoded(coding: pd.DataFrame, units: pd.DataFrame, coder: str = "final") -> list[str]:
    """The coding units that ``coder`` has not coded, in unit order (empty when coverage is full)."""
    done = set(coding.loc[coding["coder"] == coder, "para_id"])
    return [p for p in units["para_id"] if p not in done]
