"""The curated tables beside the transcripts: metadata (one row per document) and corrections
(speaker attributions fixed by reading), read and checked with file and line in every error."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from ..errors import CorpusError
from .readers import ROLES, Correction
from .settings import METADATA_OPTIONAL, METADATA_REQUIRED, CorpusConfig
from .sources import read_lines

_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
_DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
CORRECTION_COLUMNS = ("source_file", "line", "role", "speaker", "segment", "reason")


def _read_csv_rows(path: Path, required: tuple[str, ...], what: str) -> list[tuple[int, dict]]:
    """Rows of a UTF-8 CSV as (line number, dict), checking the header."""
    lines = read_lines(path)
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise CorpusError(
            path,
            1,
            f"{what} lacks column(s) {', '.join(missing)}",
            f"add them to the header row ({', '.join(required)} are required)",
        )
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise CorpusError(path, 1, f"column(s) {', '.join(dupes)} appear twice", "keep one of each")
    rows = []
    for row in reader:
        if None in row:
            raise CorpusError(
                path, reader.line_num, "row has more fields than the header", "quote fields that contain commas"
            )
        if not any((v or "").strip() for v in row.values()):
            continue
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def load_metadata(cfg: CorpusConfig) -> list[dict]:
    """Read and check the metadata table; returns one dict per document with ``_line`` set.

    Checks: required columns; unique, well-formed ``doc_id``; a known audience group and kind;
    dates as YYYY-MM-DD; ``translated`` as true/false/empty; every named file present; every
    ``.txt`` file in the texts folder described by at least one row; a ``header`` for every row of
    a compilation file.
    """
    rows = _read_csv_rows(cfg.metadata, METADATA_REQUIRED, "metadata table")
    seen: dict[str, int] = {}
    docs = []
    for line, row in rows:
        doc = {c: row.get(c, "") for c in (*METADATA_REQUIRED, *METADATA_OPTIONAL)}
        doc["_line"] = line
        where = (cfg.metadata, line)
        doc_id = doc["doc_id"]
        if not _DOC_ID_RE.match(doc_id):
            raise CorpusError(
                *where,
                f"doc_id '{doc_id}' is empty or not a lower-case identifier",
                "use letters, digits, '_' and '-' only, e.g. bbc_2020-11-06",
            )
        if doc_id in seen:
            raise CorpusError(
                *where,
                f"doc_id '{doc_id}' is used twice (also on line {seen[doc_id]})",
                "give every document its own doc_id",
            )
        seen[doc_id] = line
        if not doc["file"]:
            raise CorpusError(*where, f"document '{doc_id}' names no file", "fill in the `file` column")
        if not (cfg.texts / doc["file"]).is_file():
            raise CorpusError(
                *where,
                f"file '{doc['file']}' of document '{doc_id}' does not exist in {cfg.texts}",
                "correct the file name or remove the row",
            )
        if doc["audience"] not in cfg.audience_groups:
            raise CorpusError(
                *where,
                f"audience '{doc['audience']}' of '{doc_id}' is not one of the "
                f"config's audience_groups ({', '.join(cfg.audience_groups)})",
                "correct the row or add the group to `audience_groups` in the config",
            )
        doc["kind"] = doc["kind"] or "interview"
        if doc["kind"] not in cfg.kinds:
            raise CorpusError(
                *where,
                f"kind '{doc['kind']}' of '{doc_id}' is unknown",
                f"use one of {', '.join(cfg.kinds)} (or list it under `kinds:` in the config)",
            )
        if doc["date"]:
            try:
                dt.date.fromisoformat(doc["date"])
            except ValueError:
                raise CorpusError(
                    *where,
                    f"date '{doc['date']}' of '{doc_id}' does not parse",
                    "write dates as YYYY-MM-DD, or leave the cell empty if unknown",
                ) from None
        translated = doc["translated"].lower()
        if translated and translated not in _TRUE | _FALSE:
            raise CorpusError(
                *where,
                f"translated '{doc['translated']}' of '{doc_id}' is not true/false",
                "write true, false, or leave it empty if unknown",
            )
        doc["translated"] = "" if not translated else ("true" if translated in _TRUE else "false")
        if cfg.reader_of(doc["file"]) == "compilation" and not doc["header"]:
            raise CorpusError(
                *where,
                f"document '{doc_id}' is in a compilation but has no `header`",
                "copy the line that opens the document into the `header` column",
            )
        docs.append(doc)
    if not docs:
        raise CorpusError(cfg.metadata, None, "metadata table has no rows", "add one row per document")
    described = {d["file"] for d in docs}
    for txt in sorted(cfg.texts.glob("*.txt")):
        if txt.name not in described:
            raise CorpusError(
                txt,
                None,
                "this transcript has no row in the metadata table",
                f"add a row for it to {cfg.metadata.name} (doc_id, file, outlet, audience, ...)",
            )
    return docs


def load_corrections(cfg: CorpusConfig) -> dict[str, dict[int, list[Correction]]]:
    """Read the corrections table: source_file, line, role, speaker, segment, reason."""
    if cfg.corrections is None:
        return {}
    found: dict[str, dict[int, list[Correction]]] = {}
    for row_line, row in _read_csv_rows(
        cfg.corrections, ("source_file", "line", "role", "reason"), "corrections table"
    ):
        where = (cfg.corrections, row_line)
        if row["role"] not in ROLES:
            raise CorpusError(*where, f"role '{row['role']}' is unknown", f"use one of {', '.join(ROLES)}")
        if not row["line"].isdigit():
            raise CorpusError(*where, f"line '{row['line']}' is not a line number", "give the paragraph's first line")
        if not row["reason"]:
            raise CorpusError(*where, "a correction needs a reason", "say why the reader was wrong")
        c = Correction(
            row["source_file"],
            int(row["line"]),
            row["role"],
            row.get("speaker", ""),
            row.get("segment", ""),
            row["reason"],
            row_line,
        )
        found.setdefault(c.source_file, {}).setdefault(c.line, []).append(c)
    return found
