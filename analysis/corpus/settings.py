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
    unknown_speakers: interviewer      # role of undeclared labels: interviewer, other or error
    continuation: false                # may an unlabelled paragraph continue the previous turn?
    readers: {}                        # file -> interview, news_report, generic or compilation
    kinds: [interview, news_report, speech]
    boilerplate: []                    # [{pattern: regex, reason: text}]: whole lines to drop
    date_marker: null                  # regex with a (?P<date>...) group at the start of line 1
    compilation: {header_pattern: ..., preamble_reason: ...}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from .. import config
from ..errors import CorpusError
from .readers import READERS
from .sources import read_lines

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
# Reading and checking the configuration, one group of keys at a time

_LABEL_ROLES = {"focal", "interviewer", "other", "narrator"}


class _Labels(NamedTuple):
    """The speaker labels of the config: focal (the focal speaker's name first), interviewer, and
    the other labels with their role (``other`` or ``narrator``)."""

    focal: list[str]
    interviewer: list[str]
    other: dict[str, str]


def _read_yaml(path: Path) -> object:
    """The parsed YAML of the config at ``path``; raises when the file is missing or not YAML."""
    if not path.is_file():
        raise CorpusError(
            path,
            None,
            "corpus configuration not found",
            "pass the path of a corpus.yml (see README, 'Bring your own corpus')",
        )
    text = "\n".join(read_lines(path))
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(
            path,
            mark.line + 1 if mark else None,
            f"is not valid YAML ({getattr(err, 'problem', err)})",
            "fix the YAML syntax",
        ) from None


def _check_keys(raw: object, path: Path) -> dict:
    """``raw`` as a mapping with only known keys (``CONFIG_KEYS``) and every required one filled."""
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
    return raw


def _audience_groups(raw: dict, path: Path) -> list[str]:
    """``audience_groups``: a list of non-empty names."""
    groups = raw["audience_groups"]
    if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
        raise CorpusError(path, None, "`audience_groups` must be a list of names", "write e.g. [turkish, russian]")
    return list(groups)


def _speaker_labels(raw: dict, path: Path) -> _Labels:
    """``labels``: lists of labels under focal, interviewer, other and narrator (all optional)."""
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict) or set(labels) - _LABEL_ROLES:
        raise CorpusError(
            path,
            None,
            "`labels` must map focal/interviewer/other/narrator to lists of labels",
            "write e.g. labels: {focal: [JANE DOE], interviewer: [HOST]}",
        )
    focal = [raw["focal_speaker"], *map(str, labels.get("focal") or [])]
    other = {str(x): "other" for x in labels.get("other") or []}
    other.update({str(x): "narrator" for x in labels.get("narrator") or []})
    return _Labels(focal, [str(x) for x in labels.get("interviewer") or []], other)


def _unknown_speakers(raw: dict, path: Path) -> str:
    """``unknown_speakers``: interviewer (the default), other or error."""
    unknown_speakers = raw.get("unknown_speakers", "interviewer")
    if unknown_speakers not in ("interviewer", "other", "error"):
        raise CorpusError(
            path, None, f"`unknown_speakers: {unknown_speakers}` is not allowed", "use interviewer, other or error"
        )
    return unknown_speakers


def _readers(raw: dict, path: Path) -> dict[str, str]:
    """``readers``: file name -> a reader of ``READERS`` or ``compilation``."""
    readers = {str(k): str(v) for k, v in (raw.get("readers") or {}).items()}
    for file, reader in readers.items():
        if reader not in (*READERS, "compilation"):
            raise CorpusError(
                path,
                None,
                f"unknown reader '{reader}' for {file}",
                f"use one of {', '.join([*READERS, 'compilation'])}",
            )
    return readers


def _boilerplate(raw: dict, path: Path) -> list[tuple[re.Pattern, str]]:
    """``boilerplate``: (compiled pattern, reason) for each ``{pattern: <regex>, reason: <text>}``."""
    boilerplate = []
    for item in raw.get("boilerplate") or []:
        try:
            boilerplate.append((re.compile(item["pattern"]), str(item["reason"])))
        except (KeyError, TypeError, re.error) as err:
            raise CorpusError(
                path, None, f"bad boilerplate entry {item!r} ({err})", "write {pattern: <regex>, reason: <text>}"
            ) from None
    return boilerplate


def _regex(value: str | None, key: str, path: Path) -> re.Pattern | None:
    """``value`` compiled (None stays None); raises naming ``key`` when it is not a valid regex."""
    if value is None:
        return None
    try:
        return re.compile(value)
    except re.error as err:
        raise CorpusError(path, None, f"`{key}` is not a valid regular expression ({err})", "fix the pattern") from None


def _make_config(
    path: Path,
    raw: dict,
    groups: list[str],
    labels: _Labels,
    unknown_speakers: str,
    readers: dict[str, str],
    boilerplate: list[tuple[re.Pattern, str]],
) -> CorpusConfig:
    """The :class:`CorpusConfig` from the checked groups, paths relative to the config's folder.

    The two patterns (``date_marker``, ``compilation.header_pattern``) are compiled here.
    """
    root = path.parent
    compilation = raw.get("compilation") or {}
    corrections = raw.get("corrections")
    return CorpusConfig(
        path=path,
        name=str(raw["name"]),
        focal_speaker=str(raw["focal_speaker"]),
        audience_groups=groups,
        metadata=root / raw["metadata"],
        texts=root / raw.get("texts", "."),
        corrections=root / corrections if corrections else None,
        focal_labels=labels.focal,
        interviewer_labels=labels.interviewer,
        other_labels=labels.other,
        unknown_speakers=unknown_speakers,
        continuation=bool(raw.get("continuation", False)),
        readers=readers,
        kinds=tuple(raw.get("kinds") or DEFAULT_KINDS),
        boilerplate=boilerplate,
        date_marker=_regex(raw.get("date_marker"), "date_marker", path),
        header_pattern=_regex(compilation.get("header_pattern"), "compilation.header_pattern", path),
        preamble_reason=compilation.get("preamble_reason", "compilation preamble"),
    )


def load_config(path: str | Path = config.SEED_CONFIG) -> CorpusConfig:
    """Read and check a corpus configuration (see the module docstring for its keys).

    The steps: read the YAML, check its keys, check each group of keys (audience groups, labels,
    unknown speakers, readers, boilerplate), then make the :class:`CorpusConfig` (patterns compiled
    there). Every problem raises :class:`CorpusError` naming the config file.
    """
    path = Path(path)
    raw = _check_keys(_read_yaml(path), path)
    return _make_config(
        path,
        raw,
        _audience_groups(raw, path),
        _speaker_labels(raw, path),
        _unknown_speakers(raw, path),
        _readers(raw, path),
        _boilerplate(raw, path),
    )
