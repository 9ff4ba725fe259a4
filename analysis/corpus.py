"""Build the corpus: raw transcripts plus metadata in, tables of documents and turns out.

A corpus is a folder with a YAML configuration, a metadata table (one row per document) and the
transcripts (``.txt``). :func:`build_corpus` reads them, attributes every paragraph to a speaker
(see :mod:`analysis.readers`), marks utterances repeated across documents (see
:mod:`analysis.duplicates`) and returns four tables; :func:`write_corpus` writes them atomically.
Nothing is written when any input is bad: every problem raises :class:`CorpusError` first.

The configuration (``corpus.yml``)::

    name: My interviews                # free text
    focal_speaker: Jane Doe            # the person studied
    audience_groups: [domestic, foreign]
    metadata: metadata.csv             # relative to the config's folder
    texts: .                           # folder of the .txt files (default: the config's folder)
    corrections: corrections.csv       # optional hand corrections of speaker roles
    labels:                            # optional speaker labels by role (case-insensitive)
      focal: [JANE DOE, DOE]
      interviewer: [HOST]
      other: [COMMENTATOR]
    unknown_speakers: interviewer      # role of undeclared labels: interviewer, other or error
    continuation: false                # may an unlabelled paragraph continue the previous turn?
    readers: {}                        # file -> interview, news_report, generic or compilation
    kinds: [interview, news_report, speech]
    boilerplate: []                    # [{pattern: regex, reason: text}]: whole lines to drop
    date_marker: null                  # regex with a (?P<date>...) group at the start of line 1
    compilation: {header_pattern: ..., preamble_reason: ...}
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import yaml

from . import config as paths
from .duplicates import mark_duplicates
from .errors import CorpusError
from .io import write_text
from .readers import READERS, ROLES, Correction, Dropped, ReaderContext, assemble_turns
from .sources import read_lines, split_paragraphs
from .text import count_words

DEFAULT_KINDS = ("interview", "news_report", "speech")
METADATA_REQUIRED = ("doc_id", "file", "outlet", "audience")
METADATA_OPTIONAL = (
    "header",
    "title",
    "country",
    "medium",
    "kind",
    "date",
    "date_kind",
    "date_source",
    "language",
    "translated",
    "translation_basis",
    "interviewer",
    "publisher",
    "notes",
)
CONFIG_KEYS = {
    "name",
    "focal_speaker",
    "audience_groups",
    "metadata",
    "texts",
    "corrections",
    "labels",
    "unknown_speakers",
    "continuation",
    "readers",
    "kinds",
    "boilerplate",
    "date_marker",
    "compilation",
    "description",
    "manifest",
}
CORRECTION_COLUMNS = ("source_file", "line", "role", "speaker", "segment", "reason")

#: Columns of documents.csv, in order (documented in data/README.md).
DOCUMENT_COLUMNS = [
    "doc_id",
    "source_file",
    "line_start",
    "line_end",
    "title",
    "outlet",
    "country",
    "audience",
    "medium",
    "kind",
    "date",
    "date_kind",
    "date_source",
    "language",
    "translated",
    "translation_basis",
    "interviewer",
    "publisher",
    "n_turns",
    "words_focal",
    "words_interviewer",
    "words_narrator",
    "words_other",
    "words_focal_unique",
    "duplicate_of",
    "notes",
]
#: Columns of turns.csv, in order.
TURN_COLUMNS = [
    "turn_id",
    "doc_id",
    "turn",
    "role",
    "speaker",
    "label",
    "text",
    "n_words",
    "source_file",
    "line_start",
    "line_end",
    "rule",
    "duplicate_of",
]
#: Columns of dropped.csv, in order.
DROPPED_COLUMNS = ["source_file", "line_start", "line_end", "reason", "text", "n_words"]
#: Columns of rules.csv, in order.
RULE_COLUMNS = ["reader", "rule", "role", "n_turns", "n_words"]

_DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


class Corpus(NamedTuple):
    """The corpus tables (see ``data/README.md`` for every column)."""

    documents: pd.DataFrame
    turns: pd.DataFrame
    dropped: pd.DataFrame
    rules: pd.DataFrame


@dataclass
class CorpusConfig:
    """A parsed and checked corpus configuration. ``root`` is the config file's folder."""

    path: Path
    name: str
    focal_speaker: str
    audience_groups: list[str]
    metadata: Path
    texts: Path
    corrections: Path | None = None
    focal_labels: list[str] = field(default_factory=list)
    interviewer_labels: list[str] = field(default_factory=list)
    other_labels: dict[str, str] = field(default_factory=dict)
    unknown_speakers: str = "interviewer"
    continuation: bool = False
    readers: dict[str, str] = field(default_factory=dict)
    kinds: tuple[str, ...] = DEFAULT_KINDS
    boilerplate: list[tuple[re.Pattern, str]] = field(default_factory=list)
    date_marker: re.Pattern | None = None
    header_pattern: re.Pattern | None = None
    preamble_reason: str = "compilation preamble"

    def reader_of(self, file: str) -> str:
        return self.readers.get(file, "generic")


# --------------------------------------------------------------------------------------------
# Configuration, metadata and corrections


def load_config(path: str | Path = paths.SEED_CONFIG) -> CorpusConfig:
    """Read and check a corpus configuration (see the module docstring for its keys)."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(
            path,
            None,
            "corpus configuration not found",
            "pass the path of a corpus.yml (see README, 'Bring your own corpus')",
        )
    text = "\n".join(read_lines(path))
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(
            path,
            mark.line + 1 if mark else None,
            f"is not valid YAML ({getattr(err, 'problem', err)})",
            "fix the YAML syntax",
        ) from None
    if not isinstance(raw, dict):
        raise CorpusError(path, None, "must be a YAML mapping of keys to values", "see README for an example")
    unknown = sorted(set(raw) - CONFIG_KEYS)
    if unknown:
        raise CorpusError(
            path, None, f"unknown key(s) {', '.join(unknown)}", f"use only {', '.join(sorted(CONFIG_KEYS))}"
        )
    for key in ("name", "focal_speaker", "audience_groups", "metadata"):
        if not raw.get(key):
            raise CorpusError(path, None, f"missing required key '{key}'", f"add `{key}:` to the config")
    groups = raw["audience_groups"]
    if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
        raise CorpusError(path, None, "`audience_groups` must be a list of names", "write e.g. [turkish, russian]")
    root = path.parent
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict) or set(labels) - {"focal", "interviewer", "other", "narrator"}:
        raise CorpusError(
            path,
            None,
            "`labels` must map focal/interviewer/other/narrator to lists of labels",
            "write e.g. labels: {focal: [JANE DOE], interviewer: [HOST]}",
        )
    focal_labels = [raw["focal_speaker"], *map(str, labels.get("focal") or [])]
    other = {str(x): "other" for x in labels.get("other") or []}
    other.update({str(x): "narrator" for x in labels.get("narrator") or []})
    unknown_speakers = raw.get("unknown_speakers", "interviewer")
    if unknown_speakers not in ("interviewer", "other", "error"):
        raise CorpusError(
            path, None, f"`unknown_speakers: {unknown_speakers}` is not allowed", "use interviewer, other or error"
        )
    readers = {str(k): str(v) for k, v in (raw.get("readers") or {}).items()}
    for file, reader in readers.items():
        if reader not in (*READERS, "compilation"):
            raise CorpusError(
                path,
                None,
                f"unknown reader '{reader}' for {file}",
                f"use one of {', '.join([*READERS, 'compilation'])}",
            )
    boilerplate = []
    for item in raw.get("boilerplate") or []:
        try:
            boilerplate.append((re.compile(item["pattern"]), str(item["reason"])))
        except (KeyError, TypeError, re.error) as err:
            raise CorpusError(
                path, None, f"bad boilerplate entry {item!r} ({err})", "write {pattern: <regex>, reason: <text>}"
            ) from None
    compilation = raw.get("compilation") or {}

    def regex(value, key):
        if value is None:
            return None
        try:
            return re.compile(value)
        except re.error as err:
            raise CorpusError(
                path, None, f"`{key}` is not a valid regular expression ({err})", "fix the pattern"
            ) from None

    corrections = raw.get("corrections")
    return CorpusConfig(
        path=path,
        name=str(raw["name"]),
        focal_speaker=str(raw["focal_speaker"]),
        audience_groups=list(groups),
        metadata=root / raw["metadata"],
        texts=root / raw.get("texts", "."),
        corrections=root / corrections if corrections else None,
        focal_labels=focal_labels,
        interviewer_labels=[str(x) for x in labels.get("interviewer") or []],
        other_labels=other,
        unknown_speakers=unknown_speakers,
        continuation=bool(raw.get("continuation", False)),
        readers=readers,
        kinds=tuple(raw.get("kinds") or DEFAULT_KINDS),
        boilerplate=boilerplate,
        date_marker=regex(raw.get("date_marker"), "date_marker"),
        header_pattern=regex(compilation.get("header_pattern"), "compilation.header_pattern"),
        preamble_reason=compilation.get("preamble_reason", "compilation preamble"),
    )


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


# --------------------------------------------------------------------------------------------
# Building


def _drop_lines(
    lines: list[str | None], file: str, cfg: CorpusConfig, titles: set[str], dropped: list[Dropped]
) -> dict:
    """Blank out boilerplate, title and date-marker text in ``lines`` (in place), recording it.

    Dropped lines become ``None`` (a paragraph break that is not a blank line). Returns facts
    stated by the text: ``{"date": ..., "date_line": ...}`` when a date marker was found.
    """
    stated = {}
    if cfg.date_marker is not None and lines:
        m = cfg.date_marker.match(lines[0])
        if m:
            try:
                stated = {"date": dt.date.fromisoformat(m.group("date")).isoformat(), "date_line": 1}
            except (IndexError, ValueError):
                raise CorpusError(
                    file,
                    1,
                    f"date marker '{m.group(0).strip()}' holds no valid date",
                    "write the marker's date as YYYY-MM-DD",
                ) from None
            dropped.append(Dropped(file, 1, 1, "date marker", m.group(0).strip()))
            lines[0] = lines[0][m.end() :]
    for i, line in enumerate(lines):
        if line is None or not line.strip():
            continue
        stripped = line.strip()
        if stripped in titles:
            dropped.append(Dropped(file, i + 1, i + 1, "title (kept in documents.csv)", stripped))
            lines[i] = None
            continue
        for pattern, reason in cfg.boilerplate:
            if pattern.fullmatch(stripped):
                dropped.append(Dropped(file, i + 1, i + 1, reason, stripped))
                lines[i] = None
                break
    return stated


def _paragraphs(lines: list[str | None], file: str, first_line: int = 1):
    """Paragraphs of ``lines``, where ``None`` (dropped text) breaks a paragraph."""
    out, start = [], 0
    for i, line in enumerate(lines + [None]):
        if line is None:
            if i > start:
                out.extend(split_paragraphs(lines[start:i], file, first_line + start))
            start = i + 1
    return out


def _split_compilation(
    file: str, lines: list[str | None], docs: list[dict], cfg: CorpusConfig, dropped: list[Dropped]
) -> list[tuple[dict, int, int]]:
    """Locate each document of a compilation by its header line; returns (doc, first, last line)."""
    if cfg.header_pattern is None:
        raise CorpusError(
            cfg.path,
            None,
            f"{file} is read as a compilation but no header pattern is set",
            "add compilation: {header_pattern: <regex>} to the config",
        )
    by_header = {" ".join(d["header"].split()): d for d in docs}
    starts = []
    for i, line in enumerate(lines):
        if line and cfg.header_pattern.search(line.strip()):
            key = " ".join(line.split())
            if key not in by_header:
                raise CorpusError(
                    file,
                    i + 1,
                    f"document header '{key[:70]}' has no metadata row",
                    f"add a row with this line as `header` to {cfg.metadata.name}",
                )
            starts.append((i, by_header.pop(key)))
    if not starts:
        raise CorpusError(
            file,
            None,
            "no document header found in the compilation",
            "check `compilation.header_pattern` in the config against the file's title lines",
        )
    for doc in by_header.values():
        raise CorpusError(
            cfg.metadata,
            doc["_line"],
            f"header of '{doc['doc_id']}' was not found in {file}",
            "copy the header line verbatim from the raw file",
        )
    first = starts[0][0]
    if any(line and line.strip() for line in lines[:first]):
        text = "\n".join(x for x in lines[:first] if x and x.strip())
        line_no = next(i for i, x in enumerate(lines) if x and x.strip()) + 1
        dropped.append(Dropped(file, line_no, first, cfg.preamble_reason, text))
    spans = []
    for n, (i, doc) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and not (lines[end - 1] or "").strip():
            end -= 1
        dropped.append(Dropped(file, i + 1, i + 1, "title (kept in documents.csv)", lines[i].strip()))
        doc["title"] = doc["title"] or lines[i].strip()
        lines[i] = None
        spans.append((doc, i + 1, end))
    return spans


def _speaker_default(role: str, seg_speaker: str, label: str, doc: dict, cfg: CorpusConfig) -> str:
    if seg_speaker:
        return seg_speaker
    if role == "focal":
        return cfg.focal_speaker
    if role == "interviewer":
        if doc.get("interviewer"):
            return doc["interviewer"]
        return label if label and any(ch.isalpha() for ch in label) else "interviewer"
    if role == "narrator":
        return doc.get("publisher") or "narrator"
    return label or "other"


def build_corpus(config_path: str | Path = paths.SEED_CONFIG) -> Corpus:
    """Read a corpus folder and return its tables; raise :class:`CorpusError` on bad input.

    Returns a :class:`Corpus` of four DataFrames: ``documents`` (one row per document with its
    metadata, word counts by role and ``duplicate_of``), ``turns`` (one row per speaker turn),
    ``dropped`` (text that is in no turn, with the reason) and ``rules`` (how many turns and words
    each attribution rule decided). Same inputs give identical tables.
    """
    cfg = load_config(config_path)
    docs = load_metadata(cfg)
    corrections = load_corrections(cfg)
    for file in corrections:
        if not (cfg.texts / file).is_file():
            line = next(iter(corrections[file].values()))[0].row
            raise CorpusError(cfg.corrections, line, f"correction names unknown file '{file}'", "correct the file name")
    dropped: list[Dropped] = []
    turn_rows: list[dict] = []
    doc_rows: list[dict] = []
    by_file: dict[str, list[dict]] = {}
    for doc in docs:
        by_file.setdefault(doc["file"], []).append(doc)
    used: set[int] = set()
    for file in sorted(by_file):
        file_docs = by_file[file]
        reader_name = cfg.reader_of(file)
        lines: list[str | None] = list(read_lines(cfg.texts / file, display=file))
        titles = {d["title"] for d in file_docs if d["title"]}
        stated = _drop_lines(lines, file, cfg, titles, dropped)
        if reader_name == "compilation":
            spans = _split_compilation(file, lines, file_docs, cfg, dropped)
            reader = READERS["interview"]
        else:
            if len(file_docs) > 1:
                raise CorpusError(
                    cfg.metadata,
                    file_docs[1]["_line"],
                    f"{len(file_docs)} metadata rows name {file}, which is not a compilation",
                    f"keep one row per file, or set `readers: {{{file}: compilation}}`",
                )
            spans = [(file_docs[0], 1, len(lines))]
            reader = READERS[reader_name]
        ctx = ReaderContext(
            focal_labels=cfg.focal_labels,
            interviewer_labels=cfg.interviewer_labels,
            other_labels=cfg.other_labels,
            corrections=corrections.get(file, {}),
            unknown_speakers=cfg.unknown_speakers,
            continuation=cfg.continuation,
        )
        for doc, first, last in spans:
            if reader_name == "generic" and doc["interviewer"]:
                ctx.interviewer_labels = cfg.interviewer_labels + [x.strip() for x in doc["interviewer"].split(";")]
            paragraphs = _paragraphs(lines[first - 1 : last], file, first)
            if not paragraphs:
                raise CorpusError(
                    file,
                    first,
                    f"document '{doc['doc_id']}' has no text",
                    "check the file, or remove the document's metadata row",
                )
            segments, extra = reader(paragraphs, ctx)
            dropped.extend(extra)
            turns = assemble_turns(segments)
            for n, t in enumerate(turns, start=1):
                turn_rows.append(
                    dict(
                        turn_id=f"{doc['doc_id']}-{n:03d}",
                        doc_id=doc["doc_id"],
                        turn=n,
                        role=t["role"],
                        speaker=_speaker_default(t["role"], t["speaker"], t["label"], doc, cfg),
                        label=t["label"],
                        text=t["text"],
                        n_words=count_words(t["text"]),
                        source_file=file,
                        line_start=t["line_start"],
                        line_end=t["line_end"],
                        rule=t["rule"],
                        duplicate_of="",
                        _reader=reader_name if reader_name != "compilation" else "interview",
                        _label_words=t["label_words"],
                    )
                )
            row = {c: doc.get(c, "") for c in DOCUMENT_COLUMNS}
            row.update(source_file=file, line_start=first, line_end=max(t["line_end"] for t in turns))
            if stated.get("date"):
                if row["date"] and row["date"] != stated["date"]:
                    raise CorpusError(
                        cfg.metadata,
                        doc["_line"],
                        f"date {row['date']} of '{doc['doc_id']}' contradicts the date "
                        f"{stated['date']} stated in {file} line {stated['date_line']}",
                        "correct the metadata row",
                    )
                if not row["date"]:
                    row.update(date=stated["date"], date_source=f"stated: {file} line {stated['date_line']}")
            doc_rows.append(row)
        used |= ctx.used
    stale = [c for per_file in corrections.values() for cs in per_file.values() for c in cs if id(c) not in used]
    if stale:
        c = stale[0]
        raise CorpusError(
            cfg.corrections,
            c.row,
            f"correction for {c.source_file} line {c.line} matches no paragraph start",
            "point it at the first line of a paragraph, or remove it",
        )

    turns = pd.DataFrame(turn_rows)
    documents = pd.DataFrame(doc_rows)
    if turns.empty or not (turns["role"] == "focal").any():
        labels = sorted(set(turns["label"])) if not turns.empty else []
        raise CorpusError(
            cfg.path,
            None,
            f"the focal speaker {cfg.focal_speaker!r} never speaks in any document "
            f"(labels found: {', '.join(labels[:8]) or 'none'})",
            "set focal_speaker to the name used in the transcripts, or list its labels under labels: focal",
        )
    turns["duplicate_of"] = mark_duplicates(turns, documents)
    rules = (
        turns.groupby(["_reader", "rule", "role"], sort=True)
        .agg(n_turns=("turn_id", "size"), n_words=("n_words", "sum"))
        .reset_index()
        .rename(columns={"_reader": "reader"})
    )[RULE_COLUMNS]
    documents = _summarise_documents(documents, turns)
    dropped_table = pd.DataFrame([d.__dict__ for d in dropped], columns=DROPPED_COLUMNS[:-1])
    dropped_table["n_words"] = dropped_table["text"].map(count_words).astype(int)
    dropped_table = dropped_table.sort_values(["source_file", "line_start", "reason"], kind="stable")
    label_words = turns.groupby("source_file")["_label_words"].sum()
    turns = turns.drop(columns=["_reader"]).rename(columns={"_label_words": "label_words"})
    _check_conservation(cfg, sorted(by_file), turns, dropped_table, label_words)
    return Corpus(
        documents[DOCUMENT_COLUMNS].reset_index(drop=True),
        turns[TURN_COLUMNS].reset_index(drop=True),
        dropped_table[DROPPED_COLUMNS].reset_index(drop=True),
        rules.reset_index(drop=True),
    )


def _summarise_documents(documents: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Add turn and word counts by role, and document-level ``duplicate_of``."""
    words = turns.pivot_table(index="doc_id", columns="role", values="n_words", aggfunc="sum", fill_value=0)
    documents = documents.set_index("doc_id")
    documents["n_turns"] = turns.groupby("doc_id").size()
    for role in ROLES:
        documents[f"words_{role}"] = words[role] if role in words else 0
    focal = turns[turns["role"] == "focal"]
    unique = focal[focal["duplicate_of"] == ""].groupby("doc_id")["n_words"].sum()
    documents["words_focal_unique"] = unique.reindex(documents.index, fill_value=0)
    # A document duplicates another when most of its focal words repeat that document's turns.
    dup_words = summarise_repeats(focal).rename(columns={"canonical_doc": "target", "words": "n_words"})
    documents["duplicate_of"] = ""
    for doc_id, group in dup_words.groupby("doc_id"):
        best = group.sort_values(["n_words", "target"], ascending=[False, True]).iloc[0]
        if documents.at[doc_id, "words_focal"] and best["n_words"] >= 0.5 * documents.at[doc_id, "words_focal"]:
            documents.at[doc_id, "duplicate_of"] = best["target"]
    for col in ["n_turns", *[f"words_{r}" for r in ROLES], "words_focal_unique"]:
        documents[col] = documents[col].astype(int)
    return documents.reset_index()


def _check_conservation(cfg, files, turns, dropped, label_words) -> None:
    """Every word of every raw file is in a turn, a speaker label or the dropped table."""
    for file in files:
        raw_words = count_words("\n".join(read_lines(cfg.texts / file, display=file)))
        kept = int(turns.loc[turns["source_file"] == file, "n_words"].sum()) + int(label_words.get(file, 0))
        lost = int(dropped.loc[dropped["source_file"] == file, "n_words"].sum())
        if raw_words != kept + lost:
            raise CorpusError(
                file,
                None,
                f"word accounting failed: {raw_words} words in the file, {kept} in turns and labels, {lost} dropped",
                "report this as a bug in the reader, with the file",
            )


def write_corpus(corpus: Corpus, out_dir: str | Path = paths.DATA_PROCESSED) -> list[Path]:
    """Write the four tables as CSV into ``out_dir`` (each atomically); returns the paths.

    A table whose file already holds exactly the same bytes is left untouched, so its time stays
    and Make reruns nothing that reads it."""
    out_dir = Path(out_dir)
    written = []
    for name, table in corpus._asdict().items():
        path = out_dir / f"{name}.csv"
        text = table.to_csv(index=False, encoding="utf-8", lineterminator="\n")
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            write_text(text, path)
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------
# Loading the processed tables (for notebooks and later stages)


def load_documents(processed: str | Path = paths.DATA_PROCESSED) -> pd.DataFrame:
    """documents.csv as a DataFrame (empty strings stay empty strings, dates stay text)."""
    return pd.read_csv(Path(processed) / "documents.csv", dtype=str, keep_default_na=False).pipe(_ints)


#: Document columns that :func:`attach_metadata` adds to every turn.
TURN_METADATA = ["audience", "outlet", "kind", "date", "translated"]


def attach_metadata(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``turns`` with the columns of :data:`TURN_METADATA` from their document (a new table)."""
    return turns.merge(documents[["doc_id", *TURN_METADATA]], on="doc_id", how="left", validate="many_to_one")


def load_turns(processed: str | Path = paths.DATA_PROCESSED, with_metadata: bool = False) -> pd.DataFrame:
    """turns.csv as a DataFrame; ``with_metadata=True`` adds the document columns audience,
    outlet, kind, date and translated (see :func:`attach_metadata`)."""
    turns = pd.read_csv(Path(processed) / "turns.csv", dtype=str, keep_default_na=False).pipe(_ints)
    return attach_metadata(turns, load_documents(processed)) if with_metadata else turns


def _ints(table: pd.DataFrame) -> pd.DataFrame:
    for col in table.columns:
        if col in ("turn", "line_start", "line_end") or col.startswith(("n_", "words_")):
            table[col] = table[col].astype(int)
    return table


def summarise_repeats(turns: pd.DataFrame) -> pd.DataFrame:
    """Repeated turns by document and the canonical document they repeat.

    ``turns`` is turns.csv (or a subset). Returns one row per (``doc_id``, ``canonical_doc``) pair
    with ``turns`` and ``words`` (sums over the turns whose ``duplicate_of`` is set).
    """
    repeats = turns[turns["duplicate_of"] != ""]
    canonical = repeats["duplicate_of"].str.rsplit("-", n=1).str[0]
    return (
        repeats.assign(canonical_doc=canonical)
        .groupby(["doc_id", "canonical_doc"], sort=True)
        .agg(turns=("turn_id", "size"), words=("n_words", "sum"))
        .reset_index()
    )


def summarise_audiences(
    documents: pd.DataFrame, kind: str = "interview", groups: list[str] | None = None
) -> pd.DataFrame:
    """Documents of one ``kind`` by audience: how many, and how many words each party spoke.

    Returns one row per audience group, in the order of ``groups`` (e.g. the config's
    ``audience_groups``; default alphabetical), with columns ``documents``, ``words_focal``,
    ``words_interviewer`` (sums), ``median_words_focal`` (per document) and ``focal_share``
    (focal words / (focal + interviewer) words, 0-1).
    """
    docs = documents[documents["kind"] == kind]
    table = docs.groupby("audience").agg(
        documents=("doc_id", "size"),
        words_focal=("words_focal", "sum"),
        words_interviewer=("words_interviewer", "sum"),
        median_words_focal=("words_focal", "median"),
    )
    table["focal_share"] = (table["words_focal"] / (table["words_focal"] + table["words_interviewer"])).round(3)
    table["median_words_focal"] = table["median_words_focal"].round(1)
    if groups is not None:
        table = table.reindex([g for g in groups if g in table.index])
    return table.reset_index()
