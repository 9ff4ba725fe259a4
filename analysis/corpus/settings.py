"""The corpus configuration (``corpus.yml``): its keys, their defaults and checks.

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
      pattern: null                    # regex an undeclared label must match (default: a name that recurs)
    unknown_speakers: interviewer      # role of undeclared labels: interviewer, other or error
    continuation: false                # may an unlabelled paragraph continue the previous turn?
    readers: {}                        # file -> interview, news_report, generic or compilation
    kinds: [interview, news_report, speech]
    boilerplate: []                    # [{pattern: regex, reason: text}]: whole lines to drop
    date_marker: null                  # regex with a (?P<date>...) group at the start of line 1
    compilation: {header_pattern: ..., preamble_reason: ...}
    transcription_notes: ...           # regex of notes such as (APPLAUSE) (default: capitals in brackets)
    stop_words: [jake, dana]           # extra stop words of this corpus (e.g. the hosts' first names)
    speaker_names_are_stop_words: true # the speakers' own names (label words: sean, greta) are stop words too
    codebook: codebook.yml             # optional frame codebook (default: none, framing is skipped)
    coding: frames_coded.csv           # optional frames coded by reading, to validate the detector
    events: {2021-03-04: debate}       # optional dates marked on timelines (YYYY-MM-DD: label)
    start_date: 2021-01-01             # optional day 0 of week counts (default: the first date)

Every key's type, the required keys and unknown keys are declared in one place,
:data:`analysis.corpus.schemas.CORPUS_SCHEMA`; a key added to the format is added there first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import regex

from .. import config
from ..errors import CorpusError
from ..io import YamlDocument, read_yaml
from .names import group_problem
from .patterns import BoundedPattern
from .readers import normalise_label
from .schemas import CORPUS_SCHEMA, check, dotted
from .sources import path_inside

DEFAULT_KINDS = ("interview", "news_report", "speech")
#: The columns of metadata.csv, declared once: one row per document, in the order documents.csv
#: keeps those it carries over (analysis.corpus.build.DOCUMENT_COLUMNS); ``header`` only finds a
#: compilation's interviews, ``file`` becomes ``source_file``.
METADATA_COLUMNS = (
    "doc_id",
    "file",
    "header",
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
    "notes",
)
#: The columns metadata.csv must have; the others may be left out.
METADATA_REQUIRED = ("doc_id", "file", "outlet", "audience")
METADATA_OPTIONAL = tuple(c for c in METADATA_COLUMNS if c not in METADATA_REQUIRED)
#: The keys a corpus.yml may have (declared, with their types, in analysis.corpus.schemas.CORPUS_SCHEMA).
CONFIG_KEYS = frozenset(CORPUS_SCHEMA["properties"])


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
    #: The report's title (``title:``); None: one is made from the name, speaker and groups.
    title: str | None = None
    kinds: tuple[str, ...] = DEFAULT_KINDS
    boilerplate: list[tuple[BoundedPattern, str]] = field(default_factory=list)
    date_marker: BoundedPattern | None = None
    header_pattern: BoundedPattern | None = None
    preamble_reason: str = "compilation preamble"
    label_pattern: BoundedPattern | None = None
    transcription_notes: BoundedPattern | None = None
    stop_words: tuple[str, ...] = ()
    speaker_names_are_stop_words: bool = True
    codebook: Path | None = None
    coding: Path | None = None
    events: dict[str, str] = field(default_factory=dict)
    start_date: str | None = None

    def reader_of(self, file: str) -> str:
        return self.readers.get(file, "generic")


# --------------------------------------------------------------------------------------------
# Reading and checking the configuration, one group of keys at a time


class _Labels(NamedTuple):
    """The speaker labels of the config: focal (the focal speaker's name first), interviewer, and
    the other labels with their role (``other`` or ``narrator``)."""

    focal: list[str]
    interviewer: list[str]
    other: dict[str, str]


def _read_config(path: Path) -> YamlDocument:
    """The config at ``path`` read safely (:func:`analysis.io.read_yaml`) and checked against
    :data:`analysis.corpus.schemas.CORPUS_SCHEMA`: types, unknown keys (with "did you mean") and the
    required keys, each with the line at fault."""
    if not path.is_file():
        raise CorpusError(
            path,
            None,
            "corpus configuration not found",
            "pass the path of a corpus.yml (see README, 'Bring your own corpus')",
        )
    document = read_yaml(path, "corpus configuration")
    check(document, CORPUS_SCHEMA)
    _check_group_names(document)
    return document


def _check_group_names(document: YamlDocument) -> None:
    """Raise, with the group's line, unless ``audience_groups`` are names the report can use
    (:func:`analysis.corpus.names.group_problem`: no reserved word, no two that name the same files)."""
    found = group_problem(document.data["audience_groups"])
    if found is not None:
        remedy = f"{found.remedy}, in `audience_groups` and in metadata.csv's audience column"
        raise CorpusError(document.path, document.line(("audience_groups", found.index)), found.problem, remedy)


#: Transcription notes by default: capitals in square brackets anywhere ("[CROSSTALK]"), and
#: capitals in parentheses at the start of a line or after a sentence's end, a colon (a
#: full-width one too) or a dash ("(APPLAUSE)"), so that an acronym after its words ("Treaty
#: Organization (CSTO)") stays text. The whitespace before a bracketed note is taken from the start
#: of its run only (``(?<!\s)``), so a long run of spaces is scanned once, not once per space
#: (200,000 spaces took 81 s).
DEFAULT_TRANSCRIPTION_NOTES = (
    r"(?:^|(?<=[.!?…:;\uff1a\u2013\u2014-]))\s*\([A-Z][A-Z0-9 ,.'’/-]*[A-Z.]\)"
    r"|(?<!\s)\s*\[[A-Z][A-Z0-9 ,.'’/-]*[A-Z.]\]"
)


def _speaker_labels(document: YamlDocument) -> _Labels:
    """``labels``: lists of labels under focal, interviewer, other and narrator (all optional).
    A label (compared after :func:`~analysis.corpus.readers.normalise_label`) declared under two
    roles is refused, with the line of its second declaration."""
    raw = document.data
    labels = raw.get("labels") or {}
    focal = [raw["focal_speaker"], *labels.get("focal", [])]
    roles: dict[str, str] = {normalise_label(raw["focal_speaker"]): "focal"}
    for role in ("focal", "interviewer", "other", "narrator"):
        for i, label in enumerate(labels.get(role, [])):
            first = roles.setdefault(normalise_label(label), role)
            if first != role:
                raise CorpusError(
                    document.path,
                    document.line(("labels", role, i)),
                    f"speaker label '{label}' is declared both {first} and {role}",
                    "keep it under one role only",
                )
    other = {x: "other" for x in labels.get("other", [])}
    other.update({x: "narrator" for x in labels.get("narrator", [])})
    return _Labels(focal, list(labels.get("interviewer", [])), other)


def _transcription_notes(document: YamlDocument) -> BoundedPattern | None:
    """``transcription_notes`` compiled (multi-line): absent gives
    :data:`DEFAULT_TRANSCRIPTION_NOTES`, null none."""
    if "transcription_notes" not in document.data:
        return BoundedPattern(DEFAULT_TRANSCRIPTION_NOTES, "transcription_notes", document.path, None, re.MULTILINE)
    return _regex(document, ("transcription_notes",), re.MULTILINE)


def _boilerplate(document: YamlDocument) -> list[tuple[BoundedPattern, str]]:
    """``boilerplate``: (compiled pattern, reason) for each ``{pattern: <regex>, reason: <text>}``."""
    return [
        (_regex(document, ("boilerplate", i, "pattern")), item["reason"])
        for i, item in enumerate(document.data.get("boilerplate", []))
    ]


def _regex(document: YamlDocument, where: tuple, flags: int = 0) -> BoundedPattern | None:
    """The pattern at ``where`` in the config compiled (absent or null: None), run with a time
    bound (:class:`~analysis.corpus.patterns.BoundedPattern`); raises with its line when it is not
    a valid regular expression."""
    value = document.data
    for part in where:
        value = value.get(part) if isinstance(value, dict) else value[part]
        if value is None:
            return None
    name = dotted(where)
    try:
        re.compile(value)  # Python's syntax, which the messages and README promise
        return BoundedPattern(value, name, document.path, document.line(where), flags)
    except (re.error, regex.error) as err:
        raise CorpusError(
            document.path,
            document.line(where),
            f"`{name}` is not a valid regular expression ({err})",
            "fix the pattern (Python `re` syntax)",
        ) from None


def _date_marker(document: YamlDocument) -> BoundedPattern | None:
    """``date_marker`` compiled; it must have a ``(?P<date>...)`` group holding the date."""
    pattern = _regex(document, ("date_marker",))
    if pattern is not None and "date" not in pattern.groupindex:
        raise CorpusError(
            document.path,
            document.line(("date_marker",)),
            "`date_marker` has no (?P<date>...) group, so no date can be read from it",
            r"put the date part in a named group, e.g. `date_marker: '^date (?P<date>\d{4}-\d{2}-\d{2})'`",
        )
    return pattern


def _inside(document: YamlDocument, key: str, default: str | None = None) -> Path | None:
    """The path under ``key`` (relative to the config's folder), which must stay inside that folder."""
    value = document.data.get(key, default)
    if value is None:
        return None
    root = document.path.parent
    clean = path_inside(root, value)
    if clean is None:
        raise CorpusError(
            document.path,
            document.line((key,)),
            f"`{key}: {value}` points outside the corpus folder {root}",
            "keep the corpus's files in the config's folder (or below it) and name them relative to it",
        )
    return root / clean


def _inside_file(document: YamlDocument, key: str) -> Path | None:
    """The file under ``key`` (``codebook``, ``coding``): inside the config's folder
    (:func:`_inside`; the seed study's config, the project's own, names ``../coding/``) and,
    when it exists, a regular file (a FIFO or device would block or exhaust the reader). Empty
    or absent: None."""
    if not document.data.get(key):
        return None
    if document.path.resolve() == config.SEED_CONFIG.resolve():  # the seed's own: data/coding
        path = document.path.parent / document.data[key]
    else:
        path = _inside(document, key)
    if path.exists() and not path.is_file():
        raise CorpusError(
            document.path,
            document.line((key,)),
            f"`{key}: {document.data[key]}` is not a regular file",
            "name a file of the corpus folder",
        )
    return path


def _make_config(document: YamlDocument) -> CorpusConfig:
    """The :class:`CorpusConfig` from the checked groups, paths relative to the config's folder.

    The two patterns (``date_marker``, ``compilation.header_pattern``) are compiled here.
    """
    path, raw = document.path, document.data
    labels = _speaker_labels(document)
    compilation = raw.get("compilation", {})
    return CorpusConfig(
        path=path,
        name=str(raw["name"]),
        title=str(raw["title"]) if "title" in raw else None,
        focal_speaker=str(raw["focal_speaker"]),
        audience_groups=list(raw["audience_groups"]),
        metadata=_inside(document, "metadata"),
        texts=_inside(document, "texts", "."),
        corrections=_inside(document, "corrections"),
        focal_labels=labels.focal,
        interviewer_labels=labels.interviewer,
        other_labels=labels.other,
        unknown_speakers=raw.get("unknown_speakers", "interviewer"),
        continuation=raw.get("continuation", False),
        readers={PurePosixPath(str(k)).as_posix(): v for k, v in raw.get("readers", {}).items()},
        kinds=tuple(raw.get("kinds", DEFAULT_KINDS)),
        boilerplate=_boilerplate(document),
        date_marker=_date_marker(document),
        header_pattern=_regex(document, ("compilation", "header_pattern")),
        preamble_reason=compilation.get("preamble_reason", "compilation preamble"),
        label_pattern=_regex(document, ("labels", "pattern")),
        transcription_notes=_transcription_notes(document),
        stop_words=tuple(raw.get("stop_words", ())),
        speaker_names_are_stop_words=raw.get("speaker_names_are_stop_words", True),
        codebook=_inside_file(document, "codebook"),
        coding=_inside_file(document, "coding"),
        events=dict(sorted(raw.get("events", {}).items())),
        start_date=raw.get("start_date"),
    )


def load_config(path: str | Path = config.SEED_CONFIG) -> CorpusConfig:
    """Read and check a corpus configuration (see the module docstring for its keys).

    The steps: read the YAML (aliases refused) and check it against the declared schema
    (:data:`analysis.corpus.schemas.CORPUS_SCHEMA`: every key's type, unknown and missing keys), then make
    the :class:`CorpusConfig`, compiling the patterns. Every problem raises :class:`CorpusError`
    naming the config file.
    """
    return _make_config(_read_config(Path(path)))
