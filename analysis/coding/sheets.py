"""The coders' sheets of the coding by reading, read, checked and combined.

:func:`read_sheet`, :func:`adjudicate` and :func:`assemble_coding` turn the coders' sheets into
``data/coding/frames_coded.csv``, which :func:`load_coding` reads back checked;
:func:`coded_frames` gives one coder's codes as 0/1 columns. :func:`coder_guide` renders the
codebook as coders read it (no cues). The units coded are :func:`analysis.coding.units.coding_units`;
the samples, :mod:`analysis.coding.sample`.

The first edition's validation passes (:func:`load_codes`) stay for the history in
``data/coding/first_edition``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import CorpusError
from ..frames.codebook import default_codebook
from ..io import read_yaml
from .units import LOCATION_COLUMNS

CODING = config.DATA_CODING
#: The first edition's validation sample and its two passes, kept as history (see data/coding/README.md).
FIRST_EDITION = CODING / "first_edition"
SAMPLE_FILE = FIRST_EDITION / "paragraphs.csv"


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
#: The codings a file may hold: the first pass, the second pass (blind to the first) of the reliability
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
    coders, frame ids of the codebook, at most one row per paragraph and coder. ``frame_ids``
    defaults to the ids of the project's codebook (the one the seed corpus's ``corpus.yml`` names)."""
    frame_ids = list(frame_ids) if frame_ids is not None else default_codebook().ids
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
    """One coder's coding as a table: ``para_id`` and one 0/1 column per frame id (by default the
    project's codebook's, as :func:`load_coding`)."""
    frame_ids = list(frame_ids) if frame_ids is not None else default_codebook().ids
    rows = coding[coding["coder"] == coder]
    present = [set(f.split()) for f in rows["frames"]]
    wide = pd.DataFrame({f: [int(f in p) for p in present] for f in frame_ids}, index=rows.index)
    return pd.concat([rows[["para_id"]], wide], axis=1).reset_index(drop=True)


def uncoded(coding: pd.DataFrame, units: pd.DataFrame, coder: str = "final") -> list[str]:
    """The coding units that ``coder`` has not coded, in unit order (empty when coverage is full)."""
    done = set(coding.loc[coding["coder"] == coder, "para_id"])
    return [p for p in units["para_id"] if p not in done]
