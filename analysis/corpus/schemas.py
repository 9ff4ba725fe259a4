"""The declared schemas of the YAML files a researcher writes, and the check that applies them.

``CORPUS_SCHEMA`` (``corpus.yml``) and ``CODEBOOK_SCHEMA`` (``codebook.yml``) are JSON Schema
(draft 2020-12), checked by the ``jsonschema`` package before any value is used, so that a wrong
type (``labels: {focal: JD}``, ``continuation: "false"``), an unknown key or a missing one stops
with the project's one-line error instead of a traceback or a silently wrong result.
:func:`check` turns the first violation (in file order) into a :class:`CorpusError` with the line
of the value at fault (from :func:`analysis.io.read_yaml`).

Adding a key: put it under ``properties`` of its schema with a ``description`` (what it means)
and ``examples`` (one YAML line, shown as the remedy when the value is wrong), then read it in
the code and document it in the README. Unknown keys are refused (``additionalProperties:
false``), so a key is usable only once declared here; a misspelt key gets "did you mean".
What a schema cannot say (a regular expression that compiles, a ``(?P<date>...)`` group, a
label declared under two roles) the reading code checks after it, with the same kind of error.
"""

from __future__ import annotations

import difflib
from typing import Any

import jsonschema

from ..errors import CorpusError
from ..io import YamlDocument
from .names import GROUP_NAME

# --------------------------------------------------------------------------------------------
# Building blocks


def _text(description: str, example: str, **more) -> dict:
    """A non-empty string."""
    return {"type": "string", "minLength": 1, "description": description, "examples": [example], **more}


def _texts(description: str, example: str, **more) -> dict:
    """A list of non-empty strings."""
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "description": description,
            "examples": [example], **more}  # fmt: skip


def _mapping(properties: dict, required: tuple[str, ...] = (), **more) -> dict:
    """A mapping with exactly these keys (``required`` among them), no others."""
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False,
            **more}  # fmt: skip


#: Readers a transcript can be read with (``readers:``); analysis.corpus.readers.READERS plus the
#: compilation splitter (a test checks they agree).
READER_NAMES = ("interview", "news_report", "generic", "compilation")

# An audience group names output files (figures/keyness_<a>_vs_<b>.png), Make targets and table
# columns shown in the report: analysis.corpus.names.GROUP_NAME (what else a group list needs, such as
# names that do not collide, analysis.corpus.names.group_problem checks after the schema).
_GROUP_NAME = "^" + GROUP_NAME.pattern

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

CORPUS_SCHEMA: dict[str, Any] = _mapping(
    {
        "name": _text("the corpus's name, free text", "name: My interviews"),
        "description": _text("what the corpus is, free text", "description: Ten interviews with Jane Doe"),
        "title": _text(
            "the report's title (default: '<name>: what <focal_speaker> said to each audience (<groups>)')",
            "title: How Jane Doe spoke to voters at home and abroad",
        ),
        "focal_speaker": _text("the person studied, as named in the transcripts", "focal_speaker: Jane Doe"),
        "audience_groups": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {
                "type": "string",
                "minLength": 1,
                "pattern": _GROUP_NAME,
                "description": "a plain name (letters, digits, '_', '-', '.', spaces; first a letter or digit), "
                "as it names output files",
            },
            "description": "the audience groups that metadata.csv's `audience` column uses",
            "examples": ["audience_groups: [domestic, foreign]"],
        },
        "metadata": _text("the metadata table, relative to the config's folder", "metadata: metadata.csv"),
        "texts": _text("the folder of the transcripts, relative to the config's folder", "texts: transcripts"),
        "corrections": _text("the corrections table, relative to the config's folder", "corrections: corrections.csv"),
        "manifest": _text("the checksums of the raw files (make verify)", "manifest: MANIFEST.csv"),
        "labels": _mapping(
            {
                role: _texts(f"speaker labels of the {role} role", f"labels: {{{role}: [{example}]}}")
                for role, example in (
                    ("focal", "JANE DOE, J. DOE"),
                    ("interviewer", "HOST"),
                    ("other", "COMMENTATOR"),
                    ("narrator", "NARRATOR"),
                )
            }
            | {
                "pattern": _text(
                    "a regular expression an undeclared label must match in full to count as a label "
                    "(default: capitalised words that open two or more paragraphs)",
                    r"labels: {pattern: '[A-Z][A-Z .]+'}",
                )
            },
            description="speaker labels by role (case-insensitive)",
            examples=["labels: {focal: [JANE DOE], interviewer: [HOST]}"],
        ),
        "transcription_notes": {
            "type": ["string", "null"],
            "description": "a regular expression finding transcribers' notes such as (APPLAUSE) or [CROSSTALK], "
            "kept in dropped.csv and out of the speakers' words (null: none; default: capitals in brackets)",
            "examples": [r"transcription_notes: '\((?:APPLAUSE|LAUGHTER)\)'"],
        },
        "stop_words": _texts(
            "words of this corpus left out of word counts, keywords and topics (e.g. the hosts' first names)",
            "stop_words: [jake, dana]",
        ),
        "speaker_names_are_stop_words": {
            "type": "boolean",
            "description": "leave the names of the corpus's own speakers other than the focal speaker (the words "
            "of their labels, as vocatives: sean, greta) out of word counts, keywords and topics (default: true)",
            "examples": ["speaker_names_are_stop_words: false"],
        },
        "unknown_speakers": {
            "enum": ["interviewer", "other", "error"],
            "description": "the role of a label declared nowhere",
            "examples": ["unknown_speakers: interviewer"],
        },
        "continuation": {
            "type": "boolean",
            "description": "may a paragraph without a label continue the previous speaker's turn?",
            "examples": ["continuation: false"],
        },
        "readers": {
            "type": "object",
            "additionalProperties": {"enum": list(READER_NAMES)},
            "description": "the reader of each transcript file (default: generic)",
            "examples": ["readers: {all_interviews.txt: compilation}"],
        },
        "kinds": _texts("the kinds of document metadata.csv may name", "kinds: [interview, speech]", minItems=1),
        "boilerplate": {
            "type": "array",
            "items": _mapping(
                {
                    "pattern": _text("a regular expression matching whole lines", "pattern: 'Follow us on .+'"),
                    "reason": _text("why such lines are dropped", "reason: social-media footer"),
                },
                ("pattern", "reason"),
                examples=["- {pattern: 'Follow us on .+', reason: social-media footer}"],
            ),
            "description": "whole lines dropped, with the reason (dropped.csv)",
            "examples": ["boilerplate: [{pattern: 'Follow us on .+', reason: social-media footer}]"],
        },
        "date_marker": {
            "type": ["string", "null"],
            "description": "a regular expression with a (?P<date>...) group, matched at the start of line 1",
            "examples": [r"date_marker: '^date (?P<date>\d{4}-\d{2}-\d{2})\s*'"],
        },
        "codebook": _text(
            "the frame codebook of the framing notebooks (default: none, framing is skipped)",
            "codebook: codebook.yml",
        ),
        "coding": _text(
            "frames coded by reading (the format of data/coding/frames_coded.csv), which validate the cue detector",
            "coding: frames_coded.csv",
        ),
        "events": {
            "type": "object",
            "patternProperties": {_ISO_DATE: {"type": "string", "minLength": 1}},
            "additionalProperties": False,
            "description": "dates (YYYY-MM-DD) marked on the timelines, with a short label",
            "examples": ["events: {2021-03-04: debate}"],
        },
        "start_date": {
            "type": "string",
            "pattern": _ISO_DATE,
            "description": "day 0 of the week count (default: the first dated document)",
            "examples": ["start_date: 2021-01-01"],
        },
        "compilation": _mapping(
            {
                "header_pattern": _text(
                    "a regular expression finding the line that opens each document",
                    "header_pattern: '^Jane Doe was interviewed by'",
                ),
                "preamble_reason": _text("why the text before the first header is dropped", "preamble_reason: preface"),
            },
            description="how a compilation file (many documents in one) is split",
            examples=["compilation: {header_pattern: '^Jane Doe was interviewed by'}"],
        ),
    },
    ("name", "focal_speaker", "audience_groups", "metadata"),
    description="corpus.yml: how to read a corpus (README, 'Bring your own corpus')",
)

_EXAMPLE = _mapping(
    {"para_id": _text("the coded paragraph", "para_id: bbc-050-p1"), "text": _text("its text", "text: ...")},
    ("para_id", "text"),
    examples=["include: {para_id: bbc-050-p1, text: ...}"],
)

CODEBOOK_SCHEMA: dict[str, Any] = _mapping(
    {
        "edition": {
            "type": "integer",
            "minimum": 1,
            "description": "the codebook's edition",
            "examples": ["edition: 2"],
        },
        "unit": _text("the unit of coding, for coders", "unit: one paragraph of an answer"),
        "general_rules": _texts("rules that hold for every frame, for coders", "general_rules: [Code what is said.]"),
        "negation_window": {
            "type": "integer",
            "minimum": 0,
            "description": "how many words before a cue a negator cancels it",
            "examples": ["negation_window: 4"],
        },
        "negators": _texts(
            "words that negate a following cue (quote yes/no/on/off: YAML reads them as true/false)",
            "negators: [not, 'no', never]",
        ),
        "frames": {
            "type": "array",
            "minItems": 1,
            "items": _mapping(
                {
                    "id": _text(
                        "a plain lower-case name (letters, digits, '_')", "id: legal", pattern=r"^[a-z][a-z0-9_]*$"
                    ),
                    "label": _text("the frame's name as shown in figures", "label: International law"),
                    "definition": _text("what the frame is, for coders", "definition: The passage appeals to law."),
                    "cues": _texts(
                        "words, phrases or 're: regex' the detector counts", "cues: [resolution*]", minItems=1
                    ),
                    "ignore_negated": {
                        "type": "boolean",
                        "description": "a cue after a negator does not count",
                        "examples": ["ignore_negated: true"],
                    },
                    "baseline": {
                        "type": "string",
                        "description": "the one-keyword baseline, a regular expression",
                        "examples": ["baseline: 'law'"],
                    },
                    "include": _texts("when to code the frame", "include: [The passage cites a resolution.]"),
                    "exclude": _texts("when not to code it", "exclude: [A resolution only named.]"),
                    "examples": _mapping(
                        {"include": _EXAMPLE, "exclude": _EXAMPLE}, examples=["examples: {include: ...}"]
                    ),
                },
                ("id", "label", "definition", "cues"),
                examples=["- {id: legal, label: International law, definition: ..., cues: [resolution*]}"],
            ),
            "description": "the frames",
            "examples": ["frames: [{id: legal, label: International law, definition: ..., cues: [law]}]"],
        },
    },
    ("frames",),
    description="codebook.yml: the frames, their definitions and the detector's cues (data/coding/README.md)",
)

# --------------------------------------------------------------------------------------------
# Checking a document against a schema

_KIND = {
    "string": "text",
    "array": "a list",
    "object": "a mapping (key: value)",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "empty",
}


def dotted(path) -> str:
    """``("labels", "focal", 0)`` -> ``labels.focal[0]``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _described(value) -> str:
    """A value as a message names it: ``the text 'JD'``, ``a list``, ``the number 7``."""
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "empty"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "a list" if isinstance(value, list) else "a mapping"


def _subschema(schema: dict, path) -> dict:
    """The schema of the value at ``path``, or of the nearest enclosing value that has examples."""
    found, here = schema, schema
    for part in path:
        if isinstance(part, int):
            here = here.get("items", {})
        else:
            props = here.get("properties", {})
            extra = here.get("additionalProperties")
            here = props.get(part, extra if isinstance(extra, dict) else {})
        if here.get("examples"):
            found = here
    return found


def _example(schema: dict, path) -> str:
    examples = _subschema(schema, path).get("examples") or []
    return f"write e.g. `{examples[0]}`" if examples else "see the README"


def _type_message(err, schema: dict, path) -> tuple[str, str]:
    types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    expected = " or ".join(_KIND[t] for t in types)
    problem = f"`{dotted(path)}` must be {expected}, not {_described(err.instance)}"
    if "boolean" in types and isinstance(err.instance, str):
        return problem, f"write true or false without quotes, e.g. `{path[-1]}: false`"
    if "string" in types and isinstance(err.instance, bool):
        return problem, "put the word in quotes ('no', 'yes', 'on', 'off'): unquoted, YAML reads it as true or false"
    if "string" in types and isinstance(err.instance, int | float) and not isinstance(path[-1], int):
        return problem, f"put the value in quotes, e.g. `{path[-1]}: '{err.instance}'`"
    if "string" in types and isinstance(err.instance, int | float):
        return problem, f"put the value in quotes, e.g. '{err.instance}'"
    return problem, _example(schema, path)


def _unknown_key_message(err, schema: dict, path) -> tuple[str, str, tuple]:
    known = list(err.schema.get("properties", {}))
    unknown = sorted((k for k in err.instance if k not in known), key=str)[0]
    where = f" in `{dotted(path)}`" if path else ""
    close = difflib.get_close_matches(str(unknown), known, n=1, cutoff=0.6)
    remedy = f"did you mean '{close[0]}'? Rename the key" if close else f"use only {', '.join(known)}"
    return f"unknown key '{unknown}'{where}", remedy, (*path, unknown)


def _message(err, schema: dict) -> tuple[str, str, tuple]:
    """(problem, remedy, path of the value at fault) for one ``jsonschema`` error."""
    path = tuple(err.absolute_path)
    kind = err.validator
    if kind == "type":
        return (*_type_message(err, schema, path), path)
    if kind == "additionalProperties":
        return _unknown_key_message(err, schema, path)
    if kind == "required":
        missing = next(k for k in err.validator_value if k not in err.instance)
        where = f" in `{dotted(path)}`" if path else ""
        return f"missing required key '{missing}'{where}", _example(schema, (*path, missing)), path
    if kind == "enum":
        allowed = ", ".join(map(str, err.validator_value))
        return f"`{dotted(path)}: {err.instance}` is not allowed", f"use one of {allowed}", path
    if kind in ("minLength", "minItems"):
        return f"`{dotted(path)}` is empty", _example(schema, path), path
    if kind == "uniqueItems":
        return f"`{dotted(path)}` lists a value twice", "list each value once", path
    if kind == "pattern":
        rule = err.schema.get("description", f"text matching {err.validator_value}")
        return f"`{dotted(path)}` {err.instance!r} is not {rule}", "rename it", path
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return (
            f"`{dotted(path)}` must be {bound} {err.validator_value}, not {err.instance}",
            _example(schema, path),
            path,
        )
    return f"`{dotted(path)}`: {err.message}", _example(schema, path), path


def check(document: YamlDocument, schema: dict) -> Any:
    """``document.data`` if it satisfies ``schema``; else a :class:`CorpusError` for the first
    violation in file order: ``<file>:<line>: <problem>. Fix: <remedy>``."""
    if not isinstance(document.data, dict) and schema.get("type") == "object":
        raise CorpusError(
            document.path, None, "must be a YAML mapping of keys to values", "write `key: value` lines (see README)"
        )
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document.data))
    if not errors:
        return document.data
    # The first in file order; a missing key last, as a misspelt key's "did you mean" says more.
    first = min(errors, key=lambda e: (e.validator == "required", document.line(e.absolute_path) or 0, e.json_path))
    problem, remedy, path = _message(first, schema)
    raise CorpusError(document.path, document.line(path) if path else None, problem, remedy)
