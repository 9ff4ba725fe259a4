"""The curated tables beside the transcripts: metadata (one row per document) and corrections
(speaker attributions fixed by reading), read and checked with file and line in every error."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import sys
import unicodedata
from pathlib import Path, PurePosixPath

from ..errors import CorpusError, Problems
from ..io import read_yaml
from .readers import ROLES, Correction
from .settings import METADATA_OPTIONAL, METADATA_REQUIRED, CorpusConfig
from .sources import TRANSCRIPT_SUFFIXES, path_inside, read_lines

_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
_DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CORRECTION_COLUMNS = ("source_file", "line", "role", "speaker", "segment", "reason")


def _csv_lines(path: Path, what: str) -> list[str]:
    """The lines of the table at ``path``; a missing table says which key of the config names it."""
    if not path.is_file():
        raise CorpusError(
            path,
            None,
            f"the {what} does not exist",
            f"create it (see README, 'Bring your own corpus'), or correct `{what.split()[0]}:` in the config",
        )
    try:
        return read_lines(path)
    except CorpusError as err:
        if err.problem.startswith("is empty"):
            raise CorpusError(
                path, None, f"the {what} is empty", "write its header row and one row per document (see README)"
            ) from None
        raise


def _check_separator(path: Path, header: list[str], required: tuple[str, ...]) -> None:
    """Raise when the header is one field that semicolons or tabs split into the required columns."""
    if len(header) != 1:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if set(required) <= {c.strip() for c in header[0].split(separator)}:
            raise CorpusError(
                path,
                1,
                f"the columns are separated by {name}, not commas",
                "save the table as comma-separated CSV (in a spreadsheet: Save as, CSV, field delimiter ',')",
            )


def _check_columns(path: Path, header: list[str], required: tuple[str, ...], known: tuple[str, ...], what: str):
    """Raise on a missing required column, a column given twice, or a column the table does not have."""
    _check_separator(path, header, required)
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
    for column in header:
        if column not in known:
            close = difflib.get_close_matches(column, known, n=1, cutoff=0.6)
            raise CorpusError(
                path,
                1,
                f"unknown column {column!r} in the {what}",
                f"did you mean '{close[0]}'? Rename the column"
                if close
                else f"use only the columns {', '.join(known)} (anything else can go in `notes`)",
            )


def _read_csv_rows(path: Path, required: tuple[str, ...], what: str, known: tuple[str, ...]) -> list[tuple[int, dict]]:
    """Rows of a UTF-8 CSV as (line number, dict), checking the header (``known``: every column
    the table may have) and that every row has as many fields as the header. A quoted field may
    hold line breaks; the line number is the row's last line."""
    reader = csv.DictReader(io.StringIO("\n".join(_csv_lines(path, what)) + "\n"), strict=True)
    limit = csv.field_size_limit(sys.maxsize)  # a long cell (notes, a pasted text) is a cell, not an error
    try:
        header = reader.fieldnames or []
        _check_columns(path, header, required, known, what)
        return _rows(path, reader, len(header))
    except csv.Error as err:
        raise CorpusError(
            path, reader.line_num or None, f"is not valid CSV ({err})", 'check the quotes: a quoted field ends with "'
        ) from None
    finally:
        csv.field_size_limit(limit)


def _rows(path: Path, reader: csv.DictReader, n_columns: int) -> list[tuple[int, dict]]:
    """The non-empty rows of ``reader``, each with as many fields as the header."""
    rows = []
    for row in reader:
        if None in row:
            raise CorpusError(
                path, reader.line_num, "row has more fields than the header", "quote fields that contain commas"
            )
        if not any((v or "").strip() for v in row.values()):
            continue
        if None in row.values():
            n = sum(v is not None for v in row.values())
            raise CorpusError(
                path,
                reader.line_num,
                f"row has {n} fields but the header has {n_columns}",
                "add the missing cells (an empty cell still needs its comma)",
            )
        rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
    return rows


_Where = tuple[Path, int]  # the metadata file and a row's line, for messages


def _document_of(line: int, row: dict) -> dict:
    """A metadata row as a document dict: every known column ("" when absent) and ``_line``."""
    doc = {c: row.get(c, "") for c in (*METADATA_REQUIRED, *METADATA_OPTIONAL)}
    doc["_line"] = line
    return doc


def _check_doc_id(doc_id: str, where: _Where, seen: dict[str, int]) -> None:
    """Raise unless ``doc_id`` is a lower-case identifier not in ``seen`` (doc_id -> line)."""
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


def _checked_file(doc: dict, where: _Where, cfg: CorpusConfig) -> str:
    """The row's ``file`` as a clean path inside the texts folder (``./a.txt`` is ``a.txt``);
    raises when it is empty, leaves the folder (checked before anything is read) or is missing."""
    if not doc["file"]:
        raise CorpusError(*where, f"document '{doc['doc_id']}' names no file", "fill in the `file` column")
    file = path_inside(cfg.texts, doc["file"])
    if file is None:
        raise CorpusError(
            *where,
            f"file '{doc['file']}' of document '{doc['doc_id']}' is outside the corpus folder {cfg.texts}",
            "put the transcript in the corpus folder and name it relative to it, e.g. interview1.txt",
        )
    path = cfg.texts / file
    if path.exists() and not path.is_file():
        raise CorpusError(
            *where,
            f"file '{doc['file']}' of document '{doc['doc_id']}' is not a regular file "
            f"(a folder, a FIFO or a device) in {cfg.texts}",
            "name a transcript saved as an ordinary text file",
        )
    if not path.is_file():
        raise CorpusError(
            *where,
            f"file '{doc['file']}' of document '{doc['doc_id']}' does not exist in {cfg.texts}"
            + _look_alike(file, cfg.texts),
            "correct the file name or remove the row",
        )
    return file


def code_points(text: str) -> str:
    """The characters of ``text`` that are not plain ASCII as Unicode code points (``é`` as
    ``U+00E9``, a Cyrillic ``а`` as ``U+0430``), for messages about names that look the same."""
    return " ".join(f"{ch}=U+{ord(ch):04X}" for ch in text if ord(ch) > 127) or "all ASCII"


#: Cyrillic and Greek letters drawn like Latin ones, and the Latin letter each looks like.
_LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕАВЕКМНОРСТХІЈЅοαιντΟΑΙΝΤΒΕΖΗΚΜΡΧΥ", "aeopcyxijsABEKMHOPCTXIJSoaivtOAINTBEZHKMPXY"
)


def _skeleton(name: str) -> str:
    """``name`` as it looks: look-alike letters as the Latin ones (:data:`_LOOK_ALIKES`), NFKD,
    case folded, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LOOK_ALIKES)).casefold()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _look_alike(file: str, folder: Path) -> str:
    """A note naming a file of ``folder`` whose name looks like ``file`` (it differs only in
    Unicode normalisation, case or a look-alike letter), with the code points of both, or ""."""
    parent = (folder / file).parent
    if not parent.is_dir():
        return ""
    for other in sorted(parent.iterdir()):
        if other.name != Path(file).name and _skeleton(other.name) == _skeleton(Path(file).name):
            return (
                f"; a file '{other.name}' that looks the same is there, with other characters "
                f"(the row: {code_points(Path(file).name)}; the file: {code_points(other.name)})"
            )
    return ""


def _check_audience(doc: dict, where: _Where, cfg: CorpusConfig) -> None:
    """Raise unless the row's audience is one of the config's ``audience_groups``."""
    if doc["audience"] not in cfg.audience_groups:
        raise CorpusError(
            *where,
            f"audience '{doc['audience']}' of '{doc['doc_id']}' is not one of the "
            f"config's audience_groups ({', '.join(cfg.audience_groups)})",
            "correct the row or add the group to `audience_groups` in the config",
        )


def _checked_kind(doc: dict, where: _Where, cfg: CorpusConfig) -> str:
    """The row's kind, ``interview`` when empty; raises unless it is one of the config's ``kinds``."""
    kind = doc["kind"] or "interview"
    if kind not in cfg.kinds:
        raise CorpusError(
            *where,
            f"kind '{kind}' of '{doc['doc_id']}' is unknown",
            f"use one of {', '.join(cfg.kinds)} (or list it under `kinds:` in the config)",
        )
    return kind


def _check_date(doc: dict, where: _Where) -> None:
    """Raise unless the row's date is empty (unknown) or a calendar date written YYYY-MM-DD.

    Only that form: Python also reads ``20201106`` and ``2020-W45-5`` as ISO dates, but they would
    be stored as written and sort or plot wrongly beside the others."""
    if doc["date"]:
        try:
            if not _ISO_DATE.fullmatch(doc["date"]):
                raise ValueError
            dt.date.fromisoformat(doc["date"])
        except ValueError:
            raise CorpusError(
                *where,
                f"date '{doc['date']}' of '{doc['doc_id']}' does not parse as YYYY-MM-DD",
                "write dates as YYYY-MM-DD (e.g. 2020-11-06), or leave the cell empty if unknown",
            ) from None


def _checked_translated(doc: dict, where: _Where) -> str:
    """The row's ``translated`` as "true", "false" or "" (unknown), from true/yes/1, false/no/0 in any case."""
    translated = doc["translated"].lower()
    if translated and translated not in _TRUE | _FALSE:
        raise CorpusError(
            *where,
            f"translated '{doc['translated']}' of '{doc['doc_id']}' is not true/false",
            "write true, false, or leave it empty if unknown",
        )
    return "" if not translated else ("true" if translated in _TRUE else "false")


def _check_header(doc: dict, where: _Where, cfg: CorpusConfig) -> None:
    """Raise when a document of a compilation file has no ``header`` to find it by."""
    if cfg.reader_of(doc["file"]) == "compilation" and not doc["header"]:
        raise CorpusError(
            *where,
            f"document '{doc['doc_id']}' is in a compilation but has no `header`",
            "copy the line that opens the document into the `header` column",
        )


def _checked_document(line: int, row: dict, cfg: CorpusConfig, seen: dict[str, int]) -> dict:
    """One metadata row (at ``line``) checked and normalised; ``seen`` (doc_id -> line) gains it."""
    doc = _document_of(line, row)
    where = (cfg.metadata, line)
    _check_doc_id(doc["doc_id"], where, seen)
    seen[doc["doc_id"]] = line
    doc["file"] = _checked_file(doc, where, cfg)
    _check_audience(doc, where, cfg)
    doc["kind"] = _checked_kind(doc, where, cfg)
    _check_date(doc, where)
    doc["translated"] = _checked_translated(doc, where)
    _check_header(doc, where, cfg)
    return doc


def _transcripts(folder: Path) -> list[str]:
    """Every ``.txt`` or ``.vtt`` file (any case: ``b.TXT`` too) in ``folder`` and its sub-folders,
    as clean relative paths; hidden files and folders (``.ipynb_checkpoints``, ``.git``) are left out."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if (
            path.suffix.lower() in TRANSCRIPT_SUFFIXES
            and path.is_file()
            and not any(p.startswith(".") for p in relative.parts)
        ):
            found.append(relative.as_posix())
    return sorted(found)


def _check_transcripts_described(docs: list[dict], cfg: CorpusConfig, problems: Problems) -> None:
    """Record a problem for every transcript in the texts folder (see :func:`_transcripts`)
    without a row (``files``: those of the rows, checked or not)."""
    described = {d["file"] for d in docs}
    for txt in _transcripts(cfg.texts):
        if txt not in described:
            problems.add(
                CorpusError(
                    cfg.texts / txt,
                    None,
                    "this transcript has no row in the metadata table",
                    f"add a row for it to {cfg.metadata.name} (doc_id, file, outlet, audience, ...), or move it "
                    "out of the corpus folder",
                )
            )


def load_metadata(cfg: CorpusConfig, problems: Problems | None = None) -> list[dict]:
    """Read and check the metadata table; returns one dict per document with ``_line`` set.

    Checks, first the header: no unknown column (with "did you mean"), the required ones present,
    commas as separators. Then row by row and in this order: as many fields as the header; unique,
    well-formed ``doc_id``; every named file present inside the corpus folder (its name made
    clean: ``./a.txt`` is ``a.txt``); a known audience group and kind (empty kind: ``interview``);
    dates as YYYY-MM-DD only;
    ``translated`` as true/false/empty (normalised to "true", "false" or ""); a ``header`` for
    every row of a compilation file. Then, over the table: at least one row, and every ``.txt``
    file in the texts folder or below it described by at least one row.

    A problem of a row or a transcript goes to ``problems`` and the row is left out, so that
    every row is checked in one run; without ``problems`` they are raised at the end.
    """
    rows = _read_csv_rows(cfg.metadata, METADATA_REQUIRED, "metadata table", (*METADATA_REQUIRED, *METADATA_OPTIONAL))
    if not rows:
        raise CorpusError(cfg.metadata, None, "metadata table has no rows", "add one row per document")
    own = problems is None
    problems = Problems() if own else problems
    seen: dict[str, int] = {}
    docs, named = [], []
    for line, row in rows:
        named.append({"file": path_inside(cfg.texts, row.get("file", "")) or row.get("file", "")})
        with problems.collect():
            docs.append(_checked_document(line, row, cfg, seen))
    _check_transcripts_described(named, cfg, problems)
    if own:
        problems.check()
    return docs


def check_groups_interviewed(cfg: CorpusConfig) -> None:
    """Raise, with the group's line in the config, unless every audience group of ``cfg`` has at
    least one interview in the metadata table (a row of kind ``interview``). The report compares
    groups of interviews: a declared group without one failed inside a notebook, after the corpus
    build and the first runs (02_keyness: "reference group ['inland'] has no units"); ``python -m
    analysis runs`` checks it before any run starts."""
    interviewed = {doc["audience"] for doc in load_metadata(cfg) if doc["kind"] == "interview"}
    for i, group in enumerate(cfg.audience_groups):
        if group not in interviewed:
            raise CorpusError(
                cfg.path,
                read_yaml(cfg.path, "corpus configuration").line(("audience_groups", i)),
                f"audience group {group!r} has no interview in {cfg.metadata.name} (the report compares "
                "groups of interviews)",
                f"add the rows of its interviews (audience {group}) to {cfg.metadata.name}, or remove it from "
                "`audience_groups`",
            )


def load_corrections(cfg: CorpusConfig) -> dict[str, dict[int, list[Correction]]]:
    """Read the corrections table: source_file, line, role, speaker, segment, reason."""
    if cfg.corrections is None:
        return {}
    found: dict[str, dict[int, list[Correction]]] = {}
    for row_line, row in _read_csv_rows(
        cfg.corrections, ("source_file", "line", "role", "reason"), "corrections table", CORRECTION_COLUMNS
    ):
        where = (cfg.corrections, row_line)
        if row["role"] not in ROLES:
            raise CorpusError(*where, f"role '{row['role']}' is unknown", f"use one of {', '.join(ROLES)}")
        if not row["line"].isdigit():
            raise CorpusError(*where, f"line '{row['line']}' is not a line number", "give the paragraph's first line")
        if not row["reason"]:
            raise CorpusError(*where, "a correction needs a reason", "say why the reader was wrong")
        c = Correction(
            PurePosixPath(row["source_file"]).as_posix(),
            int(row["line"]),
            row["role"],
            row.get("speaker", ""),
            row.get("segment", ""),
            row["reason"],
            row_line,
        )
        found.setdefault(c.source_file, {}).setdefault(c.line, []).append(c)
    return found
