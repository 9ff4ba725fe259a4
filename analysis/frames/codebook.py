"""The codebook (``data/coding/codebook.yml``): the frames with their labels, definitions and
cues, read and checked. The bottom of the frame wing: it imports nothing of :mod:`analysis.frames`
or :mod:`analysis.coding`; the cue detector is :mod:`analysis.frames.cues`, the public entry point
:func:`analysis.frames.score.score`.

Cues are matched case-insensitively on whole words, on text whose quotes and dashes are made
plain (:func:`analysis.corpus.normalise.plain_characters`). A cue is a word or phrase (any spacing; a hyphen
matches a hyphen or a space), a word ending in ``*`` (any ending), or a regular expression
written ``re: ...`` (matched from the start of a word too); a cue that can match without matching
a character (``*``, ``re:``, ``re: a?``) would find its frame in every text and is refused.
Overlapping cues of one frame count once. For a frame marked ``ignore_negated``, a match preceded
within ``negation_window`` words of the same clause by one of the ``negators`` is not counted ("we
never target civilians").
"""

from __future__ import annotations

import re
import re._parser as _parser  # the parser of Python's re: the shortest match of a cue
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..corpus.normalise import plain_characters
from ..corpus.schemas import CODEBOOK_SCHEMA, check
from ..errors import CorpusError
from ..io import YamlDocument, read_yaml

CODEBOOK = config.CODEBOOK


@dataclass
class Frame:
    """One frame of a codebook: ``id``, ``label``, ``definition``, ``cues`` (as written),
    ``ignore_negated``, ``baseline`` (a regular expression) and the compiled patterns."""

    id: str
    label: str
    definition: str
    cues: list[str]
    ignore_negated: bool = False
    baseline: str = ""
    pattern: re.Pattern = field(repr=False, default=None)
    baseline_pattern: re.Pattern | None = field(repr=False, default=None)


@dataclass
class Codebook:
    """A parsed codebook: ``frames`` in file order, ``negators`` and ``negation_window``."""

    frames: list[Frame]
    negators: frozenset[str]
    negation_window: int
    path: Path | None = None
    # Counts already computed, by text: notebooks score the same turns again at every rerun.
    _scored: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.frames]

    @property
    def labels(self) -> dict[str, str]:
        return {f.id: f.label for f in self.frames}

    def frame(self, frame_id: str) -> Frame:
        for f in self.frames:
            if f.id == frame_id:
                return f
        raise KeyError(f"no frame {frame_id!r}; frames: {', '.join(self.ids)}")


_WORD_START = r"(?<!\w)"


def cue_pattern(cue: str) -> str:
    """The regular expression of one cue (see the module docstring), anchored at the start of a
    word like every cue."""
    return _WORD_START + _cue_body(cue)


def _cue_body(cue: str) -> str:
    """A cue's expression without the word-start anchor (empty for a cue of no word)."""
    cue = cue.strip()
    if cue.startswith("re:"):
        return f"(?:{cue[3:].strip()})"
    words = plain_characters(cue).split()
    if not words:
        return ""
    parts = []
    for word in words:
        wildcard = word.endswith("*")
        word = word.rstrip("*")
        piece = r"[-\s]".join(re.escape(p) for p in word.split("-"))
        parts.append(piece + (r"\w*" if wildcard else ""))
    end = "" if words[-1].endswith("*") else r"(?!\w)"
    return r"\s+".join(parts) + end


def _compile(pattern: str, where: str, path: Path) -> re.Pattern:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as err:
        raise CorpusError(
            path,
            None,
            f"{where}: the pattern {pattern!r} is not a valid regular expression ({err})",
            "correct the cue (after 're:' it is a Python regex)",
        ) from None


def load_codebook(path: str | Path = CODEBOOK) -> Codebook:
    """Read and check a codebook; raise :class:`CorpusError` naming the frame at fault."""
    path = Path(path)
    document = _read_codebook_file(path)
    frames, seen = [], set()
    for i, entry in enumerate(document.data["frames"]):
        frame_id = entry["id"]
        if frame_id in seen:
            raise CorpusError(
                path,
                document.line(("frames", i, "id")),
                f"frame {i + 1}: the id {frame_id!r} is used twice",
                "give each frame its own id",
            )
        seen.add(frame_id)
        frames.append(_build_frame(entry, frame_id, path))
        _check_cues_match_something(document, i, frame_id)
    data = document.data
    negators = frozenset(n.lower() for n in data.get("negators", []))
    return Codebook(frames, negators, int(data.get("negation_window", 4)), path)


def _read_codebook_file(path: Path) -> YamlDocument:
    """The codebook at ``path``, read safely (:func:`analysis.io.read_yaml`) and checked against
    :data:`analysis.corpus.schemas.CODEBOOK_SCHEMA` (every key's type, ids, unknown and missing keys, at
    least one frame); a :class:`CorpusError` with the line at fault if not."""
    document = read_yaml(path, "codebook")
    check(document, CODEBOOK_SCHEMA)
    return document


def _check_cues_match_something(document: YamlDocument, i: int, frame_id: str) -> None:
    """Raise, with the cue's line, when a cue of frame ``i`` can match without matching a single
    character: ``*``, ``re:``, ``re: a?``, ``re: \\b``. Such a cue finds the frame in every text,
    an empty one too, and would make its counts and the model's cue features meaningless.
    (The shortest match is read from the compiled expression by Python's own regex parser.)"""
    for j, cue in enumerate(document.data["frames"][i]["cues"]):
        if _parser.parse(_cue_body(str(cue))).getwidth()[0] == 0:
            raise CorpusError(
                document.path,
                document.line(("frames", i, "cues", j)),
                f"frame {frame_id}, cue {str(cue)!r} matches without matching a single character, so it "
                "would find the frame in every text, even an empty one",
                "give the cue a word to match (`econom*`, not `*`; after `re:` a pattern that needs at least "
                "one character)",
            )


def _build_frame(entry: dict, frame_id: str, path: Path) -> Frame:
    """A checked entry of the codebook's ``frames`` list (see :data:`analysis.corpus.schemas.CODEBOOK_SCHEMA`) as a
    :class:`Frame` with its patterns compiled: the definition on one line, the baseline empty
    if not given; a :class:`CorpusError` naming the frame if a cue or the baseline does not
    compile."""
    cues = [str(c) for c in entry["cues"]]
    baseline = str(entry.get("baseline") or "")
    return Frame(
        frame_id,
        str(entry["label"]),
        " ".join(str(entry["definition"]).split()),
        cues,
        bool(entry.get("ignore_negated", False)),
        baseline,
        _frame_pattern(cues, frame_id, path),
        _compile(baseline, f"frame {frame_id}, baseline", path) if baseline else None,
    )


def _frame_pattern(cues: list[str], frame_id: str, path: Path) -> re.Pattern:
    """One compiled pattern matching any of a frame's ``cues``; each cue is also compiled on
    its own, so that a bad one is named in the :class:`CorpusError`."""
    # One alternation behind a single word-start check, longest cues first: checking the
    # anchor once per position instead of once per cue makes scoring about seven times faster.
    bodies = sorted((_cue_body(c) for c in cues), key=lambda p: (-len(p), p))
    pattern = _compile(_WORD_START + "(?:" + "|".join(f"(?:{p})" for p in bodies) + ")", f"frame {frame_id}", path)
    for cue in cues:
        _compile(cue_pattern(cue), f"frame {frame_id}, cue {cue!r}", path)
    return pattern


_DEFAULT: dict[Path, tuple[float, Codebook]] = {}


def default_codebook() -> Codebook:
    """The project's codebook, read once (and again if the file changes)."""
    mtime = CODEBOOK.stat().st_mtime
    cached = _DEFAULT.get(CODEBOOK)
    if cached is None or cached[0] != mtime:
        _DEFAULT[CODEBOOK] = (mtime, load_codebook(CODEBOOK))
    return _DEFAULT[CODEBOOK][1]
