"""The cue detector: each frame's cues of the codebook counted in texts.

Cues are matched case-insensitively on whole words, on text whose quotes and dashes are made
plain (:func:`analysis.corpus.normalise.plain_characters`); overlapping cues of one frame count
once. For a frame marked ``ignore_negated``, a match preceded within ``negation_window`` words of
the same clause by one of the ``negators`` is not counted ("we never target civilians"). How a cue
is written is described in :mod:`analysis.frames.codebook`. :func:`analysis.frames.score.score`
with ``method="cues"`` is :func:`count_cues`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..corpus.normalise import plain_characters
from .codebook import Codebook, default_codebook

_CLAUSE_END = re.compile(r"[.;:!?]")


_WORD = re.compile(r"[\w'-]+")


def _negated(text: str, start: int, codebook: Codebook) -> bool:
    """True if one of the codebook's negators occurs in the last words before ``start``,
    within the same clause."""
    before = text[max(0, start - 160) : start]
    clause = _CLAUSE_END.split(before)[-1]
    words = [w.lower() for w in _WORD.findall(clause)][-codebook.negation_window :]
    return any(w in codebook.negators or w.endswith("n't") for w in words)


def check_texts(texts) -> list[str]:
    """``texts`` as a list of strings; a TypeError naming the fault for one string or a non-string."""
    if isinstance(texts, str):
        raise TypeError("score() takes a list of texts, not one string; wrap it: score([text])")
    texts = list(texts)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise TypeError(f"score() needs strings; items {bad[:5]} are {sorted({type(texts[i]).__name__ for i in bad})}")
    return texts


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


def count_cues(texts: Sequence[str], codebook: Codebook | None = None) -> pd.DataFrame:
    """Each frame's cue matches in each text: one row per text in order (index 0..n-1), one integer
    column per frame id in codebook order. ``codebook`` defaults to the project's."""
    texts = check_texts(texts)
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


def score_baseline(texts: Sequence[str], codebook: Codebook | None = None) -> pd.DataFrame:
    """Like :func:`count_cues`, with each frame's one-keyword ``baseline`` expression instead of its
    cues (no negation handling)."""
    codebook = codebook or default_codebook()
    texts = [plain_characters(t) for t in check_texts(texts)]
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
    :func:`analysis.text.dtm.make_units`): the unit columns without ``text``, then one count column
    per frame id. See :func:`per_thousand_words` for rates."""
    codebook = codebook or default_codebook()
    counts = count_cues(list(units["text"]), codebook)
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
