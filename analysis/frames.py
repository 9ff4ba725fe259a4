"""Frames: the codebook (``data/coding/codebook.yml``) and the detector that counts its cues.

``score(texts)`` is the public entry point: a list of strings in, a table out with one row per
text and one column per frame id; a frame is present in a text when its value is above zero.
For the project's codebook it uses the frame model trained on the coding by reading
(:mod:`analysis.frame_model`), which beats the cues on interviews it never saw; ``method="cues"``
gives the number of cue matches of each frame, described below.

Cues are matched case-insensitively on whole words, on text whose quotes and dashes are made
plain (:func:`analysis.text.plain_characters`). A cue is a word or phrase (any spacing; a hyphen
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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .errors import CorpusError
from .io import YamlDocument, read_yaml
from .schemas import CODEBOOK_SCHEMA, check
from .text import plain_characters

CODEBOOK = config.CODEBOOK

#: The frame ids of the study, fixed by its design; the seed codebook must define exactly these.
FRAME_IDS = (
    "legal",
    "occupation",
    "victims",
    "aggressor",
    "disinformation",
    "mediation",
    "turkey",
    "russia",
    "west_bias",
    "mercenaries",
    "military",
    "peace",
    "internationalization",
)

_CLAUSE_END = re.compile(r"[.;:!?]")
_WORD = re.compile(r"[\w'-]+")


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
    :data:`analysis.schemas.CODEBOOK_SCHEMA` (every key's type, ids, unknown and missing keys, at
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
    """A checked entry of the codebook's ``frames`` list (see :data:`analysis.schemas.CODEBOOK_SCHEMA`) as a
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


def _negated(text: str, start: int, codebook: Codebook) -> bool:
    """True if one of the codebook's negators occurs in the last words before ``start``,
    within the same clause."""
    before = text[max(0, start - 160) : start]
    clause = _CLAUSE_END.split(before)[-1]
    words = [w.lower() for w in _WORD.findall(clause)][-codebook.negation_window :]
    return any(w in codebook.negators or w.endswith("n't") for w in words)


def _check_texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("score() takes a list of texts, not one string; wrap it: score([text])")
    texts = list(texts)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise TypeError(f"score() needs strings; items {bad[:5]} are {sorted({type(texts[i]).__name__ for i in bad})}")
    return texts


#: How :func:`score` finds frames: the trained frame model, or the codebook's cue counts.
METHODS = ("model", "cues")


def default_method(codebook: Codebook | None = None) -> str:
    """The method :func:`score` uses when none is named: ``"model"`` for the project's codebook,
    whose coding the model is trained on and which it beats the cues on held-out interviews
    (``analysis.frame_evaluation``; ``tests/test_frame_evaluation.py`` holds this), ``"cues"``
    for any other codebook (no coding is known to train on)."""
    if codebook is None or (codebook.path is not None and Path(codebook.path).resolve() == CODEBOOK.resolve()):
        return "model"
    return "cues"


def score(
    texts: Sequence[str],
    codebook: Codebook | None = None,
    method: str | None = None,
    proba: bool = False,
    contexts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Frames found in each text.

    Returns a DataFrame with one row per text, in the order given (index 0..n-1), and one
    column per frame id in codebook order; a frame is present where the value is above zero.

    ``method="cues"``: integer counts of the frame's cue matches. ``method="model"``: 0/1 from the
    frame model fitted on the project's coding (:func:`analysis.frame_model.project_model`), or
    with ``proba=True`` its probability that the frame is present (every value is then above
    zero: compare with 0.5 or use the 0/1 form). ``contexts`` gives the model, for each text, the
    question it answers ('' for none). ``method=None`` uses :func:`default_method`: the model for
    the project's codebook, the cues for any other. ``codebook`` defaults to the project's
    (``data/coding/codebook.yml``)."""
    method = method or default_method(codebook)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    texts = _check_texts(texts)
    if method == "model":
        return _score_model(texts, codebook, proba, contexts)
    if proba:
        raise ValueError("probabilities come from the model: use method='model' with proba=True")
    codebook = codebook or default_codebook()
    memo = codebook._scored
    if len(memo) > _MEMO_TEXTS:
        memo.clear()
    rows = []
    for text in texts:
        row = memo.get(text)
        if row is None:
            row = memo[text] = _count_cues(text, codebook)
        rows.append(row)
    counts = np.array(rows, dtype=np.int64).reshape(len(texts), len(codebook.frames))
    return pd.DataFrame(counts, columns=codebook.ids)


def _score_model(texts: list[str], codebook: Codebook | None, proba: bool, contexts) -> pd.DataFrame:
    from .frame_model import predict, predict_proba, project_model

    if codebook is not None and default_method(codebook) != "model":
        raise ValueError(
            "the frame model is trained on the project's coding and codebook; for another codebook "
            "use method='cues' or fit one with analysis.frame_model.fit_table"
        )
    model = project_model()
    return (predict_proba if proba else predict)(model, texts, contexts)


_MEMO_TEXTS = 200_000


def _count_cues(text: str, codebook: Codebook) -> tuple[int, ...]:
    plain = plain_characters(text)
    counts = []
    for frame in codebook.frames:
        matches = frame.pattern.finditer(plain)
        if frame.ignore_negated:
            counts.append(sum(1 for m in matches if not _negated(plain, m.start(), codebook)))
        else:
            counts.append(sum(1 for _ in matches))
    return tuple(counts)


def score_baseline(texts: Sequence[str], codebook: Codebook | None = None) -> pd.DataFrame:
    """Like :func:`score`, with each frame's one-keyword ``baseline`` expression instead of its
    cues (no negation handling)."""
    codebook = codebook or default_codebook()
    texts = [plain_characters(t) for t in _check_texts(texts)]
    counts = [[len(f.baseline_pattern.findall(t)) if f.baseline_pattern else 0 for f in codebook.frames] for t in texts]
    return pd.DataFrame(
        np.array(counts, dtype=np.int64).reshape(len(texts), len(codebook.frames)), columns=codebook.ids
    )


def matches(text: str, frame_id: str, codebook: Codebook | None = None) -> list[tuple[int, int, str, bool]]:
    """Every cue match of one frame in ``text``: (start, end, matched text, negated), with
    offsets into ``plain_characters(text)``. For showing passages with their cues highlighted."""
    codebook = codebook or default_codebook()
    frame = codebook.frame(frame_id)
    plain = plain_characters(text)
    return [
        (m.start(), m.end(), m.group(), frame.ignore_negated and _negated(plain, m.start(), codebook))
        for m in frame.pattern.finditer(plain)
    ]


def score_units(units: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Frame counts for a unit table with ``text`` and ``n_words`` (e.g.
    :func:`analysis.dtm.make_units`): the unit columns without ``text``, then one count column
    per frame id. See :func:`per_thousand_words` for rates."""
    codebook = codebook or default_codebook()
    counts = score(list(units["text"]), codebook, method="cues")
    return pd.concat([units.drop(columns="text").reset_index(drop=True), counts], axis=1)


def per_thousand_words(scored: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """``scored`` with the frame columns divided by ``n_words / 1000``: cue matches per 1,000
    words of the unit (0 for a unit without words)."""
    out = scored.copy()
    words = scored["n_words"].to_numpy(dtype=float)
    for frame in frame_ids:
        out[frame] = np.divide(
            1000 * scored[frame].to_numpy(dtype=float), words, out=np.zeros(len(out)), where=words > 0
        )
    return out
