"""Build the corpus: raw transcripts plus metadata in, tables of documents and turns out.

A corpus is a folder with a YAML configuration, a metadata table (one row per document) and the
transcripts (``.txt``). :func:`build_corpus` reads them, attributes every paragraph to a speaker
(see :mod:`analysis.corpus.readers`), marks utterances repeated across documents (see
:mod:`analysis.corpus.duplicates`) and returns four tables; :func:`write_corpus` writes them atomically.
Nothing is written when any input is bad: every problem raises :class:`CorpusError` first.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import config
from ..errors import MAX_LISTED, CorpusError, CorpusProblems, CorpusWarning, Problems
from ..io import csv_text
from .duplicates import mark_duplicates
from .metadata import load_corrections, load_metadata
from .normalise import count_words
from .readers import (
    COLONS,
    READERS,
    ROLES,
    RULE_GENERIC_UNKNOWN,
    RULE_LABEL_NO_TEXT,
    RULE_NOT_A_LABEL,
    WORDLESS_RULES,
    Correction,
    ReaderContext,
    assemble_turns,
    declared_label_re,
    match_opening,
    normalise_label,
)
from .settings import METADATA_COLUMNS, CorpusConfig, load_config
from .sources import path_inside, read_transcript, split_paragraphs
from .tables import TABLES_MANIFEST, manifest_text, summarise_repeats

#: Columns of documents.csv, in order: where the document lies in its file, the metadata columns
#: that describe it (analysis.corpus.settings.METADATA_COLUMNS, declared there once), its counts.
DOCUMENT_COLUMNS = [
    "doc_id",
    "source_file",
    "line_start",
    "line_end",
    *[c for c in METADATA_COLUMNS if c not in ("doc_id", "file", "header", "notes")],
    "n_turns",
    "words_focal",
    "words_interviewer",
    "words_narrator",
    "words_other",
    "words_focal_unique",
    "duplicate_of",
    "notes",
]
#: Columns of turns.csv, in order; a corpus whose transcripts write times beside the labels (as
#: transcription services export them) has one more, ``time``, last.
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
RULE_COLUMNS = ["reader", "rule", "role", "n_turns", "n_words", "n_paragraphs"]


class Corpus(NamedTuple):
    """The corpus tables (see ``data/README.md`` for every column)."""

    documents: pd.DataFrame
    turns: pd.DataFrame
    dropped: pd.DataFrame
    rules: pd.DataFrame


@dataclass(frozen=True)
class Dropped:
    """Text of a raw file that is not part of any turn, and why (a row of dropped.csv without ``n_words``)."""

    source_file: str
    line_start: int
    line_end: int
    reason: str
    text: str


# --------------------------------------------------------------------------------------------
# Building


def _drop_lines(
    lines: list[str | None], file: str, cfg: CorpusConfig, titles: set[str], dropped: list[Dropped]
) -> dict:
    """Blank out boilerplate, title and date-marker text in ``lines`` (in place), recording it,
    and cut transcription notes out of the other lines (:func:`_cut_notes`).

    Returns facts stated by the text: ``{"date": ..., "date_line": ...}`` when a date marker was
    found, and ``{"noted": {line numbers}}`` of the lines whose text after a colon was only notes
    (``DONALD TRUMP: (INAUDIBLE)``: a label followed only by a note).

    A line equal to a document's title is dropped only at the head of the file (before any line
    that is kept), so that an answer repeating the title keeps it.

    Dropped lines become ``None`` (a paragraph break that is not a blank line).
    """
    stated: dict = {"noted": set()}
    if cfg.date_marker is not None and lines:
        m = cfg.date_marker.match(lines[0])
        if m:
            try:
                stated.update(date=dt.date.fromisoformat(m.group("date")).isoformat(), date_line=1)
            except (IndexError, ValueError):
                raise CorpusError(
                    file,
                    1,
                    f"date marker '{m.group(0).strip()}' holds no valid date",
                    "write the marker's date as YYYY-MM-DD",
                ) from None
            dropped.append(Dropped(file, 1, 1, "date marker", m.group(0).strip()))
            lines[0] = lines[0][m.end() :]
    head = True  # no text kept yet: a title is dropped only here, never from inside an answer
    for i, line in enumerate(lines):
        if line is None or not line.strip():
            continue
        stripped = line.strip()
        if head and stripped in titles:
            dropped.append(Dropped(file, i + 1, i + 1, "title (kept in documents.csv)", stripped))
            lines[i] = None
            continue
        reason = next((reason for pattern, reason in cfg.boilerplate if pattern.fullmatch(stripped)), None)
        if reason is None:
            head = False
            label = declared_label_re(tuple(cfg.focal_labels + cfg.interviewer_labels + list(cfg.other_labels)))
            found = label.match(line)  # a declared label such as "[HOST]:" is never a note
            prefix = found.group(0) if found else ""
            rest = _cut_notes(line[len(prefix) :], i + 1, file, cfg.transcription_notes, dropped)
            lines[i] = prefix + (rest or "") if prefix else rest
            if lines[i] is not None and _only_notes_after_colon(line, lines[i]):
                stated["noted"].add(i + 1)
        else:
            dropped.append(Dropped(file, i + 1, i + 1, reason, stripped))
            lines[i] = None
    return stated


#: The reason given in dropped.csv for a transcriber's note such as "(APPLAUSE)".
NOTE_REASON = "transcription note"


def _cut_notes(line: str, number: int, file: str, notes: re.Pattern | None, dropped: list[Dropped]) -> str | None:
    """``line`` (line ``number`` of ``file``) without the transcription notes ``notes`` finds,
    each recorded in ``dropped`` (reason :data:`NOTE_REASON`); None when nothing but notes is
    left, so that a note on a line of its own also breaks the paragraph, as dropped text does."""
    found = list(notes.finditer(line)) if notes is not None else []
    if not found:
        return line
    kept, end = [], 0
    for match in found:
        kept.append(line[end : match.start()])
        dropped.append(Dropped(file, number, number, NOTE_REASON, match.group().strip()))
        end = match.end()
    kept.append(line[end:])
    rest = "".join(kept)
    return rest.lstrip() if rest.strip() else None


def _only_notes_after_colon(line: str, cut: str) -> bool:
    """Did ``line`` end with a colon followed only by notes, ``cut`` being it without its notes?"""
    return cut != line and cut.rstrip()[-1:] in COLONS and line.rstrip()[-1:] not in COLONS


def _paragraphs(lines: list[str | None], file: str, first_line: int = 1):
    """Paragraphs of ``lines``, where ``None`` (dropped text) breaks a paragraph."""
    out, start = [], 0
    for i, line in enumerate(lines + [None]):
        if line is None:
            if i > start:
                out.extend(split_paragraphs(lines[start:i], file, first_line + start))
            start = i + 1
    return out


def _check_header_pattern(file: str, cfg: CorpusConfig) -> re.Pattern:
    """The config's compilation header pattern; raises when none is set."""
    if cfg.header_pattern is None:
        raise CorpusError(
            cfg.path,
            None,
            f"{file} is read as a compilation but no header pattern is set",
            "add compilation: {header_pattern: <regex>} to the config",
        )
    return cfg.header_pattern


def _find_headers(file: str, lines: list[str | None], docs: list[dict], cfg: CorpusConfig) -> list[tuple[int, dict]]:
    """(0-based line index, metadata row) of each document header in ``lines``, in file order.

    A header is a line the header pattern finds; it is matched to the row whose ``header`` has the
    same words (whitespace runs ignored). Raises on a header without a row, a file without
    headers, or a row whose header is not in the file.
    """
    pattern = _check_header_pattern(file, cfg)
    by_header = {" ".join(d["header"].split()): d for d in docs}
    starts = []
    for i, line in enumerate(lines):
        if line and pattern.search(line.strip()):
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
    return starts


def _drop_preamble(file: str, lines: list[str | None], first: int, reason: str) -> list[Dropped]:
    """The text before the first header (0-based line index ``first``) as one dropped piece, if any."""
    if not any(line and line.strip() for line in lines[:first]):
        return []
    text = "\n".join(x for x in lines[:first] if x and x.strip())
    line_no = next(i for i, x in enumerate(lines) if x and x.strip()) + 1
    return [Dropped(file, line_no, first, reason, text)]


def _split_compilation(
    file: str, lines: list[str | None], docs: list[dict], cfg: CorpusConfig, dropped: list[Dropped]
) -> list[tuple[dict, int, int]]:
    """Locate each document of a compilation by its header line; returns (doc, first, last line).

    Lines are 1-based; ``last`` skips trailing blank lines. The preamble and each header line go
    to ``dropped`` (the header becomes the document's title when it has none) and each header line
    becomes ``None`` in ``lines``.
    """
    starts = _find_headers(file, lines, docs, cfg)
    dropped.extend(_drop_preamble(file, lines, starts[0][0], cfg.preamble_reason))
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


class _ReadFiles(NamedTuple):
    """What reading raw files gives, before the tables are made.

    ``turn_rows`` are rows of turns.csv (``duplicate_of`` still empty) with two private columns,
    ``_reader`` (the reader that decided) and ``_label_words`` (words in speaker labels);
    ``doc_rows`` are rows of documents.csv without the counts; ``dropped`` is the text in no turn;
    ``used`` holds the ids of the corrections applied; ``paragraphs`` is (reader, rule, role,
    opening) for every paragraph (for news reports: every piece of one) as a rule decided it,
    ``opening`` being the text before a colon not taken for a label (else "");
    ``undeclared`` is (label, file, line) of every paragraph opening with a label declared
    nowhere, when the config refuses those (``unknown_speakers: error``).
    """

    turn_rows: list[dict]
    doc_rows: list[dict]
    dropped: list[Dropped]
    used: set[int]
    paragraphs: list[tuple[str, str, str, str]]
    undeclared: list[tuple[str, str, int]]


def _load_checked_corrections(cfg: CorpusConfig) -> dict[str, dict[int, list[Correction]]]:
    """The corrections table (see :func:`load_corrections`), every file it names checked to exist."""
    corrections = load_corrections(cfg)
    for file in corrections:
        if path_inside(cfg.texts, file) is None or not (cfg.texts / file).is_file():
            line = next(iter(corrections[file].values()))[0].row
            raise CorpusError(cfg.corrections, line, f"correction names unknown file '{file}'", "correct the file name")
    return corrections


def _group_by_file(docs: list[dict]) -> dict[str, list[dict]]:
    """Metadata rows grouped by their ``file``, in metadata order within a file."""
    by_file: dict[str, list[dict]] = {}
    for doc in docs:
        by_file.setdefault(doc["file"], []).append(doc)
    return by_file


def _reader_style(reader_name: str) -> str:
    """The reader (a key of ``READERS``) for a file read as ``reader_name``: compilations are interviews."""
    return "interview" if reader_name == "compilation" else reader_name


def _document_spans(
    file: str, lines: list[str | None], file_docs: list[dict], cfg: CorpusConfig, dropped: list[Dropped]
) -> list[tuple[dict, int, int]]:
    """(metadata row, first line, last line) of each document in ``file``: one unless a compilation."""
    if cfg.reader_of(file) == "compilation":
        return _split_compilation(file, lines, file_docs, cfg, dropped)
    if len(file_docs) > 1:
        raise CorpusError(
            cfg.metadata,
            file_docs[1]["_line"],
            f"{len(file_docs)} metadata rows name {file}, which is not a compilation",
            f"keep one row per file, or set `readers: {{{file}: compilation}}`",
        )
    return [(file_docs[0], 1, len(lines))]


def _reader_context(
    cfg: CorpusConfig, corrections: dict[int, list[Correction]], label_counts: Counter, noted: frozenset[int]
) -> ReaderContext:
    """The readers' context for one file: the config's labels, the file's corrections, how
    many paragraphs of the corpus open with each ``Name:`` (``label_counts``) and the file's
    lines that held a label followed only by notes (``noted``)."""
    return ReaderContext(
        focal_labels=cfg.focal_labels,
        interviewer_labels=cfg.interviewer_labels,
        other_labels=cfg.other_labels,
        corrections=corrections,
        unknown_speakers=cfg.unknown_speakers,
        continuation=cfg.continuation,
        label_counts=label_counts,
        label_pattern=cfg.label_pattern,
        noted_lines=noted,
    )


def _read_document(
    doc: dict, paragraphs: list, file: str, ctx: ReaderContext, cfg: CorpusConfig
) -> tuple[list[dict], list]:
    """The turns (see :func:`assemble_turns`) and the segments of one document's ``paragraphs``.

    For the generic reader, the document's ``interviewer`` names (separated by ";") join the
    interviewer labels of ``ctx`` (changed in place).
    """
    reader_name = cfg.reader_of(file)
    if reader_name == "generic":
        named = [x.strip() for x in doc["interviewer"].split(";")] if doc["interviewer"] else []
        ctx.interviewer_labels = cfg.interviewer_labels + named
    segments = READERS[_reader_style(reader_name)](paragraphs, ctx)
    return assemble_turns(segments), segments


def _wordless_labels(segments: list, paragraphs: list, file: str) -> list[Dropped]:
    """The labels no words follow (a turn with no words: :data:`WORDLESS_RULES`), each kept in
    dropped.csv with its rule as the reason; a label followed by no text at all is also warned
    about (:class:`CorpusWarning`) with its line, since a speaker's words may be missing there."""
    by_line = {p.line_start: p for p in paragraphs}
    out = []
    for s in segments:
        if s.rule not in WORDLESS_RULES:
            continue
        out.append(Dropped(file, s.line_start, s.line_start, s.rule, by_line[s.line_start].text.strip()))
        if s.rule == RULE_LABEL_NO_TEXT:
            warnings.warn(
                CorpusWarning(
                    file,
                    s.line_start,
                    f"speaker label '{s.label}:' is followed by no text, "
                    "so it is kept in dropped.csv as a turn with no words",
                    "add what the speaker said if it is missing; otherwise nothing needs doing",
                ),
                stacklevel=2,
            )
    return out


def _turn_rows(doc: dict, turns: list[dict], file: str, cfg: CorpusConfig) -> list[dict]:
    """Rows of turns.csv for one document's turns, numbered from 1, speakers filled in by default.

    Two private columns go along: ``_reader`` and ``_label_words`` (see :class:`_ReadFiles`).
    """
    reader = _reader_style(cfg.reader_of(file))
    return [
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
            time=t["time"],
            _reader=reader,
            _label_words=t["label_words"],
        )
        for n, t in enumerate(turns, start=1)
    ]


def _document_row(doc: dict, file: str, first: int, turns: list[dict], stated: dict, cfg: CorpusConfig) -> dict:
    """The documents.csv row of one document (counts still missing), with its span in ``file``.

    A date stated in the text (``stated``, see :func:`_drop_lines`) fills an empty metadata date
    and must agree with a filled one.
    """
    row = {c: doc.get(c, "") for c in DOCUMENT_COLUMNS}
    row.update(source_file=file, line_start=first, line_end=max((t["line_end"] for t in turns), default=first))
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
    return row


class _PreparedFile(NamedTuple):
    """A raw file split into its documents' paragraphs, before any reader ran: the text it drops,
    the facts it states (see :func:`_drop_lines`) and (metadata row, first line, paragraphs) for
    each document."""

    file: str
    dropped: list[Dropped]
    stated: dict
    documents: list[tuple[dict, int, list]]


def _prepare_file(file: str, file_docs: list[dict], cfg: CorpusConfig) -> _PreparedFile:
    """Split one raw file into its documents' paragraphs; raises on a document without text."""
    lines: list[str | None] = list(read_transcript(cfg.texts / file, display=file))
    dropped: list[Dropped] = []
    stated = _drop_lines(lines, file, cfg, {d["title"] for d in file_docs if d["title"]}, dropped)
    documents = []
    for doc, first, last in _document_spans(file, lines, file_docs, cfg, dropped):
        paragraphs = _paragraphs(lines[first - 1 : last], file, first)
        if not paragraphs:
            raise CorpusError(
                file,
                first,
                f"document '{doc['doc_id']}' has no text",
                "check the file, or remove the document's metadata row",
            )
        documents.append((doc, first, paragraphs))
    return _PreparedFile(file, dropped, stated, documents)


def count_openings(prepared: list[_PreparedFile], cfg: CorpusConfig) -> tuple[Counter, dict[str, str]]:
    """How many paragraphs of the generic-format files open with each ``Something:`` (by
    :func:`normalise_label`; a label that opens two or more paragraphs recurs), and the first
    spelling of each."""
    counts: Counter = Counter()
    spellings: dict[str, str] = {}
    for prep in prepared:
        if cfg.reader_of(prep.file) == "generic":
            for _, _, paragraphs in prep.documents:
                for p in paragraphs:
                    match = match_opening(p.text)
                    if match:
                        key = normalise_label(match.group("label"))
                        counts[key] += 1
                        spellings.setdefault(key, match.group("label").strip())
    return counts, spellings


def _opening(segment) -> str:
    """The text before the colon of a segment that opens with one not taken for a label, else ""."""
    if segment.rule != RULE_NOT_A_LABEL:
        return ""
    return match_opening(segment.text).group("label").strip()


def _read_file(
    prep: _PreparedFile, cfg: CorpusConfig, corrections: dict[int, list[Correction]], label_counts: Counter
) -> _ReadFiles:
    """Read one prepared raw file (with its ``corrections``) into rows and dropped text."""
    ctx = _reader_context(cfg, corrections, label_counts, frozenset(prep.stated["noted"]))
    read = _ReadFiles([], [], prep.dropped, set(), [], [])
    reader = _reader_style(cfg.reader_of(prep.file))
    for doc, first, paragraphs in prep.documents:
        turns, segments = _read_document(doc, paragraphs, prep.file, ctx, cfg)
        read.dropped.extend(_wordless_labels(segments, paragraphs, prep.file))
        read.turn_rows.extend(_turn_rows(doc, turns, prep.file, cfg))
        read.doc_rows.append(_document_row(doc, prep.file, first, turns, prep.stated, cfg))
        read.paragraphs.extend((reader, s.rule, s.role, _opening(s)) for s in segments)
        if cfg.unknown_speakers == "error":
            unknown = [s for s in segments if s.rule == RULE_GENERIC_UNKNOWN]
            read.undeclared.extend((s.label, prep.file, s.line_start) for s in unknown)
    read.used.update(ctx.used)
    if ctx.problems:
        raise CorpusProblems(ctx.problems)
    return read


def _read_files(
    cfg: CorpusConfig,
    by_file: dict[str, list[dict]],
    corrections: dict[str, dict[int, list[Correction]]],
    problems: Problems,
) -> _ReadFiles:
    """Read every raw file, in file-name order, and join what each gives: first every file is
    split into paragraphs, so that the readers know which labels recur in the corpus. A file's
    problems go to ``problems`` (the reader goes on to its next paragraph) and the file is left
    out, so that every file is checked in one run."""
    prepared = []
    for file in sorted(by_file):
        with problems.collect():
            prepared.append(_prepare_file(file, by_file[file], cfg))
    label_counts, spellings = count_openings(prepared, cfg)
    _warn_near_focal(cfg, label_counts, spellings)
    read = _ReadFiles([], [], [], set(), [], [])
    for prep in prepared:
        with problems.collect():
            one = _read_file(prep, cfg, corrections.get(prep.file, {}), label_counts)
            for mine, theirs in zip(read, one):
                mine.update(theirs) if isinstance(mine, set) else mine.extend(theirs)
    return read


def _check_undeclared(cfg: CorpusConfig, undeclared: list[tuple[str, str, int]]) -> None:
    """With ``unknown_speakers: error``, raise listing the undeclared labels with their number of
    paragraphs (most frequent first; the first :data:`~analysis.errors.MAX_LISTED` and a count of
    the rest), at the first one's place, so that all can be declared in one go."""
    if not undeclared:
        return
    counts = Counter(normalise_label(label) for label, _, _ in undeclared)
    spelling = {}
    for label, _, _ in undeclared:
        spelling.setdefault(normalise_label(label), label)
    common = counts.most_common()
    listed = ", ".join(f"'{spelling[k]}' ({n} paragraph{'s' if n > 1 else ''})" for k, n in common[:MAX_LISTED])
    names = ", ".join(spelling[k] for k, _ in common[:MAX_LISTED])
    if len(common) > MAX_LISTED:
        listed += f" and {len(common) - MAX_LISTED} more"
        names += ", ..."
    _, file, line = undeclared[0]
    raise CorpusError(
        file,
        line,
        f"{len(counts)} speaker label{'s' if len(counts) > 1 else ''} not declared in the config: {listed}",
        f"declare each under its role in {cfg.path.name}, e.g. `labels: {{interviewer: [{names}]}}`, "
        "or set `unknown_speakers: interviewer`",
    )


def _without_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _one_edit_apart(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` one insertion, deletion or substitution apart (Levenshtein 1)?"""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


#: A label one edit from a focal label is "nearly" it only from this many characters on: "Q" and
#: "A", "Host" and "Hoss" are different speakers, "Jane Doe" and "Jane Do" the same.
NEAR_LABEL_MIN_CHARACTERS = 5


def near_focal_labels(
    openings: Counter, focal_labels: list[str], declared: frozenset[str] = frozenset()
) -> list[tuple[str, str, int]]:
    """Openings (``Name:`` by normalised label, with their paragraphs: :func:`count_openings`)
    that are not a focal label but nearly are: the same without accents, or one edit apart
    (after :func:`normalise_label`) when both have at least :data:`NEAR_LABEL_MIN_CHARACTERS`
    characters. A label ``declared`` under another role (normalised) is what the user said it is.
    Returns (normalised label, the focal label, paragraphs)."""
    focal = {normalise_label(x): x for x in focal_labels}
    found = []
    for key in sorted(openings):
        if key in focal or key in declared:
            continue
        for focal_key, focal_label in focal.items():
            long_enough = min(len(key), len(focal_key)) >= NEAR_LABEL_MIN_CHARACTERS
            if _without_accents(key) == _without_accents(focal_key) or (
                long_enough and _one_edit_apart(key, focal_key)
            ):
                found.append((key, focal_label, openings[key]))
                break
    return found


def _warn_near_focal(cfg: CorpusConfig, openings: Counter, spellings: dict[str, str]) -> None:
    """Warn (:class:`CorpusWarning`) about every ``Name:`` opening that nearly is a focal label."""
    declared = frozenset(normalise_label(x) for x in [*cfg.interviewer_labels, *cfg.other_labels])
    for key, focal_label, n in near_focal_labels(openings, cfg.focal_labels, declared):
        warnings.warn(
            CorpusWarning(
                cfg.path,
                None,
                f"speaker label '{spellings[key]}' ({n} paragraph{'s' if n > 1 else ''}) is not the focal "
                f"speaker's '{focal_label}' but nearly (accents or one letter), so its paragraphs are not focal",
                "if it is the same person, add it under `labels: {focal: [...]}`; "
                "if not, declare it under its own role",
            ),
            stacklevel=2,
        )


def _check_stale_corrections(
    cfg: CorpusConfig, corrections: dict[str, dict[int, list[Correction]]], used: set[int]
) -> None:
    """Raise on the first correction that no reader applied (it points at no paragraph start)."""
    stale = [c for per_file in corrections.values() for cs in per_file.values() for c in cs if id(c) not in used]
    if stale:
        c = stale[0]
        raise CorpusError(
            cfg.corrections,
            c.row,
            f"correction for {c.source_file} line {c.line} matches no paragraph start",
            "point it at the first line of a paragraph, or remove it",
        )


def _check_focal_speaks(cfg: CorpusConfig, turns: pd.DataFrame, paragraphs: list[tuple]) -> None:
    """Raise when no turn is the focal speaker's, listing the labels found instead, and the
    text before a colon that was not taken for a label (see ``_ReadFiles.paragraphs``)."""
    if turns.empty or not (turns["role"] == "focal").any():
        labels = sorted(set(turns["label"]) - {""}) if not turns.empty else []
        openings = sorted({p[3] for p in paragraphs if p[3]})
        not_labels = f"; not taken for labels: {', '.join(openings[:8])}" if openings else ""
        raise CorpusError(
            cfg.path,
            None,
            f"the focal speaker {cfg.focal_speaker!r} never speaks in any document "
            f"(labels found: {', '.join(labels[:8]) or 'none'}{not_labels})",
            "set focal_speaker to the name used in the transcripts, or list its labels under labels: focal",
        )


def _count_rules(turns: pd.DataFrame, paragraphs: list[tuple]) -> pd.DataFrame:
    """rules.csv: turns and words whose turn a rule opened, and paragraphs a rule decided (a
    paragraph that continues a turn counts for its own rule), per reader, rule and role
    (``RULE_COLUMNS``), sorted by them."""
    keys = ["reader", "rule", "role"]
    by_turn = (
        turns.rename(columns={"_reader": "reader"})
        .groupby(keys, sort=True)
        .agg(n_turns=("turn_id", "size"), n_words=("n_words", "sum"))
    )
    decided = pd.DataFrame([p[:3] for p in paragraphs], columns=keys)
    by_paragraph = decided.groupby(keys, sort=True).size().rename("n_paragraphs")
    table = by_turn.join(by_paragraph, how="outer").fillna(0).astype(int).reset_index()
    return table[RULE_COLUMNS]


def _dropped_table(dropped: list[Dropped]) -> pd.DataFrame:
    """dropped.csv: the dropped pieces with their words, by file, first line and reason."""
    table = pd.DataFrame([d.__dict__ for d in dropped], columns=DROPPED_COLUMNS[:-1])
    table["n_words"] = table["text"].map(count_words).astype(int)
    return table.sort_values(["source_file", "line_start", "reason"], kind="stable")


def _make_tables(cfg: CorpusConfig, files: list[str], read: _ReadFiles) -> Corpus:
    """The four tables from the rows read: duplicates marked, documents counted, words conserved."""
    turns = pd.DataFrame(read.turn_rows)
    documents = pd.DataFrame(read.doc_rows)
    _check_focal_speaks(cfg, turns, read.paragraphs)
    turns["duplicate_of"] = mark_duplicates(turns, documents)
    rules = _count_rules(turns, read.paragraphs)
    documents = _summarise_documents(documents, turns)
    dropped = _dropped_table(read.dropped)
    label_words = turns.groupby("source_file")["_label_words"].sum()
    turns = turns.drop(columns=["_reader"]).rename(columns={"_label_words": "label_words"})
    _check_conservation(cfg, files, turns, dropped, label_words)
    timed = TURN_COLUMNS + ["time"] if (turns["time"] != "").any() else TURN_COLUMNS
    return Corpus(
        documents[DOCUMENT_COLUMNS].reset_index(drop=True),
        turns[timed].reset_index(drop=True),
        dropped[DROPPED_COLUMNS].reset_index(drop=True),
        rules.reset_index(drop=True),
    )


def build_corpus(config_path: str | Path = config.SEED_CONFIG) -> Corpus:
    """Read a corpus folder and return its tables; raise :class:`CorpusError` on bad input.

    Returns a :class:`Corpus` of four DataFrames: ``documents`` (one row per document with its
    metadata, word counts by role and ``duplicate_of``), ``turns`` (one row per speaker turn),
    ``dropped`` (text that is in no turn, with the reason) and ``rules`` (how many turns and words
    each attribution rule decided). Same inputs give identical tables.

    The steps: the config, metadata and corrections, checked; every raw file read into rows
    (:func:`_read_files`); unused corrections reported; the tables made (:func:`_make_tables`).
    The problems of every metadata row and every file are collected and raised together
    (:class:`~analysis.errors.CorpusProblems`, one line each), so one run lists them all; a bad
    config stops at once, since everything after it depends on it.
    """
    cfg = load_config(config_path)
    problems = Problems()
    docs = load_metadata(cfg, problems)
    corrections = {}
    with problems.collect():
        corrections = _load_checked_corrections(cfg)
    by_file = _group_by_file(docs)
    read = _read_files(cfg, by_file, corrections, problems)
    with problems.collect():
        _check_undeclared(cfg, read.undeclared)
    if not problems.found:
        _check_stale_corrections(cfg, corrections, read.used)
    problems.check()
    return _make_tables(cfg, sorted(by_file), read)


def _summarise_documents(documents: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Add turn and word counts by role, and document-level ``duplicate_of``."""
    words = turns.pivot_table(index="doc_id", columns="role", values="n_words", aggfunc="sum", fill_value=0)
    documents = documents.set_index("doc_id")
    documents["n_turns"] = turns.groupby("doc_id").size().reindex(documents.index, fill_value=0)
    for role in ROLES:
        documents[f"words_{role}"] = words[role].reindex(documents.index, fill_value=0) if role in words else 0
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
        raw_words = count_words("\n".join(read_transcript(cfg.texts / file, display=file)))
        kept = int(turns.loc[turns["source_file"] == file, "n_words"].sum()) + int(label_words.get(file, 0))
        lost = int(dropped.loc[dropped["source_file"] == file, "n_words"].sum())
        if raw_words != kept + lost:
            raise CorpusError(
                file,
                None,
                f"word accounting failed: {raw_words} words in the file, {kept} in turns and labels, {lost} dropped",
                "report this as a bug in the reader, with the file",
            )


def _output_folder(out_dir: Path) -> Path:
    """``out_dir``, created if missing; :class:`CorpusError` when it is a file or cannot be made."""
    if out_dir.exists() and not out_dir.is_dir():
        raise CorpusError(out_dir, None, "is a file, not a folder", "give --out a folder (it is created if missing)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CorpusError(
            out_dir, None, f"cannot create the output folder ({err.strerror})", "choose a folder you can write to"
        ) from None
    return out_dir


def write_corpus(corpus: Corpus, out_dir: str | Path = config.DATA_PROCESSED) -> list[Path]:
    """Write the four tables as CSV into ``out_dir``, as one set; returns their paths.

    The set on disk is always whole: the changed tables and ``tables.json`` (their sha256, see
    :func:`analysis.corpus.tables.manifest_text`) are written into a new hidden folder beside
    ``out_dir`` that also holds every other file of ``out_dir`` (as hard links, so their times
    stay), and that folder takes ``out_dir``'s place (:func:`switch_folder`). A failure while writing
    (a full disk, EFBIG) leaves the previous tables untouched; a build killed at any moment leaves
    ``out_dir`` with the previous set or the new one, never some of each (at worst, for the instant
    between two renames, no folder at all, restored by the next build), so a researcher who opens
    the CSVs in a spreadsheet never sees turns of one build beside documents of another. A table
    whose file already holds exactly the same bytes is left as it is, so its time stays and Make
    reruns nothing that reads it. An ``out_dir`` that is a file or cannot be written raises
    :class:`CorpusError`."""
    out_dir = Path(out_dir)
    recover_folder(out_dir)
    out_dir = _output_folder(out_dir)
    texts = {f"{name}.csv": csv_text(table) for name, table in corpus._asdict().items()}
    texts[TABLES_MANIFEST] = manifest_text(texts)
    changed = {
        name: text
        for name, text in texts.items()
        if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != text.encode("utf-8")
    }
    if changed:
        try:
            switch_folder(out_dir, changed)
        except OSError as err:
            raise CorpusError(
                out_dir,
                None,
                f"cannot write the corpus tables ({err.strerror or err}); the previous tables are as they were",
                "free space or raise the file-size limit, or choose another folder with --out",
            ) from None
    return [out_dir / name for name in texts if name != TABLES_MANIFEST]


def _previous(out_dir: Path) -> Path:
    """Where :func:`switch_folder` keeps ``out_dir``'s previous contents between its two renames."""
    return out_dir.parent / f".{out_dir.name}.previous"


def recover_folder(out_dir: Path) -> None:
    """Undo what a build killed inside :func:`switch_folder` left: a missing ``out_dir`` gets its
    previous contents back; a leftover previous or half-written next folder is removed."""
    previous = _previous(out_dir)
    if previous.is_dir() and not previous.is_symlink():
        if out_dir.exists() or out_dir.is_symlink():
            shutil.rmtree(previous)
        else:
            os.replace(previous, out_dir)
    for staged in out_dir.parent.glob(f".{glob.escape(out_dir.name)}.*.next"):
        if staged.is_dir() and not staged.is_symlink():
            shutil.rmtree(staged)


def switch_folder(out_dir: Path, texts: dict[str, str]) -> None:
    """Give ``out_dir`` the files ``texts`` (name -> UTF-8 text) in place of its own of those
    names, all at once: a new folder beside it gets hard links to its other files and the new
    texts, then takes its place by two renames (out_dir -> previous, new -> out_dir)."""
    staged = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".next", dir=out_dir.parent))
    try:
        os.chmod(staged, out_dir.stat().st_mode & 0o7777)
        for entry in out_dir.iterdir():
            if entry.name not in texts and entry.is_file() and not entry.is_symlink():
                _link_or_copy(entry, staged / entry.name)
        for name, text in texts.items():
            (staged / name).write_text(text, encoding="utf-8")
            os.chmod(staged / name, 0o666 & ~_umask())
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    previous = _previous(out_dir)
    os.replace(out_dir, previous)
    os.replace(staged, out_dir)
    shutil.rmtree(previous, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (the file's time stays, so Make sees it unchanged), or a copy with its times
    where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
