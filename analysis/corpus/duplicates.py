"""Utterances repeated across documents, found by fuzzy matching of word shingles.

News reports re-quote interviews, worded slightly differently (another translation, an edit).
Matching works in two steps, on word trigrams (*shingles*) of spoken turns (narration, the
writer's own formulaic text, is never a repeat):

1. a document *re-reports* a better-ranked one when at least :data:`DOC_OVERLAP` of its spoken
   shingles occur there (full interview transcripts rank above news reports and speeches, then
   longer documents above shorter ones, then by ``doc_id``); different interviews sharing stock
   phrases ("thank you very much, Mr. President") stay far below that;
2. within such a pair, a turn is a *repeat* when at least :data:`CONTAINMENT` of its shingles occur
   in turns of the same role in the canonical document; it points to the canonical turn sharing
   most shingles, so that analyses can exclude it and never count an utterance twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd
from scipy import sparse

from .normalise import words

#: Words per shingle.
SHINGLE_SIZE = 3
#: Share of a turn's shingles that must occur in the canonical document.
CONTAINMENT = 0.5
#: Share of a document's spoken shingles found in a better-ranked document for it to count as re-reporting it.
DOC_OVERLAP = 0.3
#: Roles whose turns can repeat (narration is the writer's own text).
SPOKEN = ("focal", "interviewer", "other")
#: Turns with fewer shingles than this are too short to call repeats ("Thank you very much").
MIN_SHINGLES = 4


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of ``k``-word sequences of ``text`` (lower-cased, typography normalised)."""
    w = words(text)
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def rank_documents(documents: pd.DataFrame, turns: pd.DataFrame) -> dict[str, int]:
    """Canonical order of documents: interviews first, then more words, then doc_id."""
    size = turns.groupby("doc_id")["n_words"].sum()
    kind = documents.set_index("doc_id")["kind"]
    order = sorted(documents["doc_id"], key=lambda d: (kind[d] != "interview", -int(size.get(d, 0)), d))
    return {d: i for i, d in enumerate(order)}


def document_overlap(
    turns: pd.DataFrame, documents: pd.DataFrame, turn_shingles: list[set] | None = None
) -> pd.DataFrame:
    """For every document, the better-ranked document sharing most of its spoken shingles.

    Returns one row per document with ``doc_id``, ``match_doc`` ("" if none) and ``overlap`` (share
    of the document's spoken shingles found in ``match_doc``, 0-1; ties go to the better-ranked
    document).

    The shared shingles of every pair of documents come from one sparse product of the
    document-by-shingle matrix with itself, so the work grows with the shingles documents have
    in common rather than with the square of the number of documents. ``turn_shingles`` (the
    shingles of each turn, in the order of ``turns``) saves computing them again.
    """
    rank = rank_documents(documents, turns)
    order = sorted(rank, key=rank.get)
    if turn_shingles is None:
        turn_shingles = [shingles(t) for t in turns["text"]]
    sets: dict[str, set] = {}
    for d, role, s in zip(turns["doc_id"], turns["role"], turn_shingles):
        if role in SPOKEN:
            sets.setdefault(d, set()).update(s)
    vocabulary: dict[tuple, int] = {}
    rows, cols = [], []
    for i, d in enumerate(order):
        for sh in sets.get(d, ()):
            rows.append(i)
            cols.append(vocabulary.setdefault(sh, len(vocabulary)))
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(order), max(len(vocabulary), 1))
    )
    shared = (matrix @ matrix.T).tocsr()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    result = []
    for i, d in enumerate(order):
        row = shared.getrow(i)
        better = row.indices < i
        best = (0.0, "")
        if sizes[i] and better.any():
            candidates, counts = row.indices[better], row.data[better]
            share = counts / sizes[i]
            top = np.lexsort((candidates, -share))[0]  # highest share, then the better-ranked document
            if share[top] > 0:
                best = (float(share[top]), order[candidates[top]])
        result.append(dict(doc_id=d, match_doc=best[1], overlap=best[0]))
    return pd.DataFrame(result)


def containment_table(turns: pd.DataFrame, documents: pd.DataFrame, doc_overlap: float = DOC_OVERLAP) -> pd.DataFrame:
    """For every turn, its best match in the document its own document re-reports.

    Returns one row per turn (same index as ``turns``) with columns ``n_shingles``, ``match_doc``
    (the canonical document, "" when the turn's document re-reports none or the turn is
    narration), ``containment`` (share of the turn's shingles found in same-role turns of
    ``match_doc``, 0-1) and ``match_turn`` (the turn of ``match_doc`` sharing most shingles).
    """
    sets = [shingles(t) for t in turns["text"]]
    canonical = document_overlap(turns, documents, sets).set_index("doc_id")
    canonical = canonical.loc[canonical["overlap"] >= doc_overlap, "match_doc"].to_dict()
    doc_of, role_of, turn_id = turns["doc_id"].tolist(), turns["role"].tolist(), turns["turn_id"].tolist()
    index: dict[tuple, list[int]] = defaultdict(list)
    for j, s in enumerate(sets):
        if role_of[j] in SPOKEN and doc_of[j] in canonical.values():
            for sh in s:
                index[sh].append(j)
    rows = []
    for i, s in enumerate(sets):
        target = canonical.get(doc_of[i], "")
        best = (0.0, "", "")
        if target and role_of[i] in SPOKEN and len(s) >= MIN_SHINGLES:
            shared: set = set()
            per_turn: Counter = Counter()
            for sh in s:
                hits = [j for j in index.get(sh, ()) if doc_of[j] == target and role_of[j] == role_of[i]]
                if hits:
                    shared.add(sh)
                    per_turn.update(hits)
            if per_turn:
                top = min(per_turn, key=lambda j: (-per_turn[j], j))
                best = (len(shared) / len(s), target, turn_id[top])
        rows.append(dict(n_shingles=len(s), containment=best[0], match_doc=best[1], match_turn=best[2]))
    return pd.DataFrame(rows, index=turns.index)


def mark_duplicates(turns: pd.DataFrame, documents: pd.DataFrame, threshold: float = CONTAINMENT) -> pd.Series:
    """``duplicate_of`` for every turn: the canonical turn_id it repeats, or "".

    ``turns`` needs doc_id, turn_id, role, text and n_words; ``documents`` needs doc_id and kind.
    """
    table = containment_table(turns, documents)
    repeat = (table["containment"] >= threshold) & (table["n_shingles"] >= MIN_SHINGLES)
    return table["match_turn"].where(repeat, "")
