"""Utterances repeated across documents, found by fuzzy matching of word shingles.

News reports re-quote interviews, worded slightly differently (another translation, an edit). A
turn is a *repeat* when most of its word trigrams (shingles) also occur in one better-ranked
document, the *canonical* one: full interview transcripts rank above news reports and speeches,
then longer documents above shorter ones, then by ``doc_id``. Repeats point to the canonical turn
sharing most shingles, so that analyses can exclude them and never count an utterance twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from .text import words

#: Words per shingle.
SHINGLE_SIZE = 3
#: Share of a turn's shingles that must occur in the canonical document.
CONTAINMENT = 0.5
#: Turns with fewer shingles than this are too short to call repeats ("Thank you very much").
MIN_SHINGLES = 4


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """The set of ``k``-word sequences of ``text`` (lower-cased, typography normalised)."""
    w = words(text)
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def rank_documents(documents: pd.DataFrame, turns: pd.DataFrame) -> dict[str, int]:
    """Canonical order of documents: interviews first, then more words, then doc_id."""
    size = turns.groupby("doc_id")["n_words"].sum()
    order = sorted(documents["doc_id"], key=lambda d: (
        documents.set_index("doc_id").at[d, "kind"] != "interview", -int(size.get(d, 0)), d))
    return {d: i for i, d in enumerate(order)}


def containment_table(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """For every turn, its best match in a better-ranked document.

    Returns one row per turn (same index as ``turns``) with columns ``n_shingles``, ``match_doc``
    (the better-ranked document holding most of the turn's shingles, "" if none), ``containment``
    (share of the turn's shingles found in that document, 0-1) and ``match_turn`` (the turn of
    that document sharing most shingles).
    """
    rank = rank_documents(documents, turns)
    sets = [shingles(t) for t in turns["text"]]
    index: dict[tuple, set[int]] = defaultdict(set)
    for i, s in enumerate(sets):
        for sh in s:
            index[sh].add(i)
    doc_of = turns["doc_id"].tolist()
    turn_id = turns["turn_id"].tolist()
    rows = []
    for i, s in enumerate(sets):
        best = (0.0, "", "")
        if len(s) >= MIN_SHINGLES:
            per_doc: dict[str, set] = defaultdict(set)
            per_turn: Counter = Counter()
            for sh in s:
                for j in index[sh]:
                    if rank[doc_of[j]] < rank[doc_of[i]]:
                        per_doc[doc_of[j]].add(sh)
                        per_turn[j] += 1
            for doc, shared in sorted(per_doc.items(), key=lambda x: (-len(x[1]), rank[x[0]])):
                top = max((j for j in per_turn if doc_of[j] == doc), key=lambda j: (per_turn[j], -j))
                best = (len(shared) / len(s), doc, turn_id[top])
                break
        rows.append(dict(n_shingles=len(s), containment=best[0], match_doc=best[1], match_turn=best[2]))
    return pd.DataFrame(rows, index=turns.index)


def mark_duplicates(turns: pd.DataFrame, documents: pd.DataFrame,
                    threshold: float = CONTAINMENT) -> pd.Series:
    """``duplicate_of`` for every turn: the canonical turn_id it repeats, or "".

    ``turns`` needs doc_id, turn_id, text and n_words; ``documents`` needs doc_id and kind.
    """
    table = containment_table(turns, documents)
    repeat = (table["containment"] >= threshold) & (table["n_shingles"] >= MIN_SHINGLES)
    return table["match_turn"].where(repeat, "")
