"""Document-term matrices: counts of features per unit of text, with the metadata attached.

A unit is an interview (all selected turns of one document), a turn, or a chunk of about N
words (consecutive sentences of one document). By default only the focal speaker's words in
interviews count, and turns that repeat another document are left out, so that no sentence is
counted twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from ..corpus import TURN_METADATA
from ..corpus.normalise import count_words
from .tokens import STOP_WORDS, TextProcessor, make_processor, split_sentences, train_sentence_splitter

UNITS = ("interview", "turn", "chunk")


class DocumentTermMatrix(NamedTuple):
    """Counts of features by unit.

    ``counts``: sparse matrix (scipy CSR, int64), one row per unit and one column per feature.
    ``units``: one row per unit, in matrix order: ``unit_id``, ``doc_id``, the document columns
    audience, outlet, kind, date and translated, ``first_turn`` and ``last_turn`` (turn ids),
    ``n_turns``, ``n_words`` (all words of the unit, see :func:`analysis.corpus.normalise.count_words`) and
    ``n_tokens`` (words counted as features, i.e. after stop words are removed) and ``text``
    (the unit's text, turns joined by line breaks, for showing examples).
    ``features``: one row per column: ``feature`` (stem or stem sequence), ``label`` (most
    frequent surface form), ``count`` (total) and ``n_docs`` (documents it occurs in).
    ``processor``: the :class:`~analysis.text.tokens.TextProcessor` that made the features.
    """

    counts: sparse.csr_matrix
    units: pd.DataFrame
    features: pd.DataFrame
    processor: TextProcessor

    def __repr__(self) -> str:
        return (
            f"DocumentTermMatrix({self.counts.shape[0]} units x {self.counts.shape[1]} "
            f"features, {int(self.counts.sum())} tokens)"
        )

    def to_frame(self, labels: bool = True) -> pd.DataFrame:
        """The counts as a dense DataFrame indexed by unit_id, columns labelled by surface form
        (``labels=True``) or by feature."""
        columns = self.features["label" if labels else "feature"]
        return pd.DataFrame(self.counts.toarray(), index=self.units["unit_id"], columns=columns)


def select_turns(
    turns: pd.DataFrame,
    role: str | Iterable[str] | None = "focal",
    kinds: Iterable[str] | None = ("interview",),
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The turns to analyse: those of ``role`` (a role, a list of roles, or None for every role)
    in documents of ``kinds`` (None for every kind), without repeated turns unless
    ``include_duplicates``. ``turns`` must carry the document metadata
    (``load_turns(with_metadata=True)``). Returns a new table; the input is not changed."""
    missing = [
        c
        for c in ["turn_id", "doc_id", "turn", "role", "text", "duplicate_of", *TURN_METADATA]
        if c not in turns.columns
    ]
    if missing:
        raise ValueError(f"turns lacks the columns {missing}; load them with load_turns(with_metadata=True)")
    keep = pd.Series(True, index=turns.index)
    if role is not None:
        roles = [role] if isinstance(role, str) else list(role)
        unknown = sorted(set(roles) - set(turns["role"]))
        if unknown:
            raise ValueError(f"no turns have the role {unknown}; roles present: {sorted(turns['role'].unique())}")
        keep &= turns["role"].isin(roles)
    if kinds is not None:
        keep &= turns["kind"].isin(list(kinds))
    if not include_duplicates:
        keep &= turns["duplicate_of"].fillna("") == ""
    return turns[keep].sort_values(["doc_id", "turn"]).reset_index(drop=True)


def paragraph_units(turns: pd.DataFrame, role: str = "focal") -> pd.DataFrame:
    """One row per paragraph (a non-empty line of a turn's text) of the selected turns (see
    :func:`select_turns`): ``para_id`` (``<turn_id>-p<k>``), ``turn_id``,
    ``doc_id``, ``audience``, ``outlet``, ``date``, ``n_words`` and ``text``."""
    rows = []
    for turn in select_turns(turns, role=role).itertuples(index=False):
        pieces = [p.strip() for p in turn.text.split("\n") if p.strip()]
        for k, text in enumerate(pieces, start=1):
            rows.append(
                (
                    f"{turn.turn_id}-p{k}",
                    turn.turn_id,
                    turn.doc_id,
                    turn.audience,
                    turn.outlet,
                    turn.date,
                    count_words(text),
                    text,
                )
            )
    return pd.DataFrame(rows, columns=["para_id", "turn_id", "doc_id", "audience", "outlet", "date", "n_words", "text"])


def make_units(turns: pd.DataFrame, unit: str = "interview", chunk_words: int = 200, splitter=None) -> pd.DataFrame:
    """Group selected turns (see :func:`select_turns`) into units with their text.

    ``unit="interview"``: one unit per document; ``"turn"``: one per turn; ``"chunk"``:
    consecutive sentences of one document (Punkt, trained on these turns unless ``splitter`` is
    given) until a chunk has at least ``chunk_words`` words; the last chunk of a document may be
    shorter. Returns the unit table described in :class:`DocumentTermMatrix` without
    ``n_tokens``.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if unit == "chunk" and chunk_words < 1:
        raise ValueError(f"chunk_words must be a positive number of words, not {chunk_words}")
    if unit == "chunk" and splitter is None:
        splitter = train_sentence_splitter(turns["text"])
    rows = []
    for doc_id, doc in turns.groupby("doc_id", sort=True):
        meta = {c: doc[c].iloc[0] for c in TURN_METADATA}
        if unit == "interview":
            pieces = [(doc_id, doc["turn_id"].iloc[0], doc["turn_id"].iloc[-1], len(doc), "\n".join(doc["text"]))]
        elif unit == "turn":
            pieces = [(t, t, t, 1, text) for t, text in zip(doc["turn_id"], doc["text"])]
        else:
            pieces = _chunks(doc, chunk_words, splitter)
        for unit_id, first, last, n_turns, text in pieces:
            rows.append(
                {
                    "unit_id": unit_id,
                    "doc_id": doc_id,
                    **meta,
                    "first_turn": first,
                    "last_turn": last,
                    "n_turns": n_turns,
                    "n_words": count_words(text),
                    "text": text,
                }
            )
    columns = ["unit_id", "doc_id", *TURN_METADATA, "first_turn", "last_turn", "n_turns", "n_words", "text"]
    return pd.DataFrame(rows, columns=columns)


def _chunks(doc: pd.DataFrame, size: int, splitter) -> list[tuple]:
    """Chunks of one document: (unit_id, first turn, last turn, n turns, text)."""
    chunks, sentences, turn_ids, words = [], [], [], 0
    for turn_id, text in zip(doc["turn_id"], doc["text"]):
        for sentence in split_sentences(text, splitter):
            sentences.append(sentence)
            if not turn_ids or turn_ids[-1] != turn_id:
                turn_ids.append(turn_id)
            words += count_words(sentence)
            if words >= size:
                chunks.append((sentences, turn_ids))
                sentences, turn_ids, words = [], [], 0
    if sentences:
        chunks.append((sentences, turn_ids))
    doc_id = doc["doc_id"].iloc[0]
    return [
        (f"{doc_id}-c{i:03d}", ids[0], ids[-1], len(ids), " ".join(s)) for i, (s, ids) in enumerate(chunks, start=1)
    ]


def build_dtm(
    turns: pd.DataFrame,
    unit: str = "interview",
    role: str | Iterable[str] | None = "focal",
    kinds: Iterable[str] | None = ("interview",),
    include_duplicates: bool = False,
    processor: TextProcessor | None = None,
    chunk_words: int = 200,
    min_count: int = 1,
    min_docs: int = 1,
    stop_words: Iterable[str] = (),
) -> DocumentTermMatrix:
    """A document-term matrix of ``turns`` (``load_turns(with_metadata=True)``).

    Turns are selected by :func:`select_turns` (``role``, ``kinds``, ``include_duplicates``) and
    grouped by :func:`make_units` (``unit``, ``chunk_words``). Features come from ``processor``;
    without one, a processor is made from the selected text (Snowball stems, stop words, phrases
    learned by :func:`analysis.text.tokens.find_phrases`), the corpus's own ``stop_words`` (config
    ``stop_words``, e.g. the hosts' first names; any case) added to the default list. Features
    seen fewer than ``min_count``
    times or in fewer than ``min_docs`` documents are dropped. Columns are sorted by feature, so
    the same turns always give the same matrix.
    """
    selected = select_turns(turns, role=role, kinds=kinds, include_duplicates=include_duplicates)
    if selected.empty:
        raise ValueError(f"no turns left after selecting role={role!r}, kinds={kinds!r}")
    extra = {w.casefold() for w in stop_words}
    processor = processor or make_processor(selected["text"], stop_words=STOP_WORDS | extra)
    units = make_units(selected, unit=unit, chunk_words=chunk_words)
    surface = [processor.count_surface(text) for text in units["text"]]
    return _assemble(units, surface, processor, min_count, min_docs)


def _assemble(
    units: pd.DataFrame, surface: list[Counter], processor: TextProcessor, min_count: int, min_docs: int
) -> DocumentTermMatrix:
    per_unit = [processor.count_features(c) for c in surface]
    all_surface: Counter = Counter()
    for c in surface:
        all_surface.update(c)
    labels = processor.labels(all_surface)
    vocabulary = sorted(labels)
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for r, counts in enumerate(per_unit):
        rows.extend([r] * len(counts))
        cols.extend(index[f] for f in counts)
        vals.extend(counts.values())
    matrix = sparse.csr_matrix(
        (np.array(vals, dtype=np.int64), (rows, cols)), shape=(len(units), len(vocabulary)), dtype=np.int64
    )
    n_docs = np.asarray(((group_indicator(units["doc_id"])[0] @ matrix) > 0).sum(axis=0)).ravel()
    features = pd.DataFrame(
        {
            "feature": vocabulary,
            "label": [labels[f] for f in vocabulary],
            "count": np.asarray(matrix.sum(axis=0)).ravel(),
            "n_docs": n_docs,
        }
    )
    keep = ((features["count"] >= min_count) & (features["n_docs"] >= min_docs)).to_numpy()
    matrix = matrix[:, keep]
    features = features[keep].reset_index(drop=True)
    units = units.assign(n_tokens=np.asarray(matrix.sum(axis=1)).ravel())
    units = units[[c for c in units.columns if c != "text"] + ["text"]]
    return DocumentTermMatrix(matrix.tocsr(), units.reset_index(drop=True), features, processor)


def group_indicator(labels, weights=None) -> tuple[sparse.csr_matrix, list]:
    """A sparse (groups x items) matrix with each item's weight (default 1) in the row of its
    label, and the groups in sorted order; ``indicator @ rows`` sums rows by group."""
    codes, groups = pd.factorize(np.asarray(labels), sort=True)
    values = np.ones(len(codes)) if weights is None else np.asarray(weights, dtype=float)
    matrix = sparse.csr_matrix((values, (codes, np.arange(len(codes)))), shape=(len(groups), len(codes)))
    return matrix, list(groups)


def group_counts(dtm: DocumentTermMatrix, by: str = "audience") -> pd.DataFrame:
    """Feature counts summed by a unit column (default audience): rows are features (indexed by
    feature, with a ``label`` column first), columns the groups in sorted order."""
    indicator, groups = group_indicator(dtm.units[by])
    sums = (indicator @ dtm.counts).toarray().T.astype(np.int64)
    table = pd.DataFrame(sums, index=dtm.features["feature"], columns=groups)
    table.insert(0, "label", dtm.features["label"].to_numpy())
    return table


def merge_features(dtm: DocumentTermMatrix, equivalents: dict[str, str]) -> DocumentTermMatrix:
    """A new matrix in which each feature labelled with a key of ``equivalents`` is counted as the
    feature labelled with its value (e.g. translations of one expression: "fundamental
    principles" -> "basic principles"), so that a translator's choice does not pass for an
    audience keyword. The merged feature keeps the target's ``feature`` and ``label``; ``count``
    and ``n_docs`` are recomputed. Labels not in the matrix are an error naming them."""
    labels = dict(zip(dtm.features["label"], range(len(dtm.features))))
    missing = sorted({*equivalents, *equivalents.values()} - set(labels))
    if missing:
        raise ValueError(f"no feature is labelled {missing}; labels are the most frequent surface forms")
    # A features x kept-features matrix sending each column to itself or to its equivalent.
    n = dtm.counts.shape[1]
    destination = np.arange(n)
    for source, target in equivalents.items():
        destination[labels[source]] = labels[target]
    keep = destination == np.arange(n)
    new_index = np.cumsum(keep) - 1
    mapping = sparse.csr_matrix((np.ones(n), (np.arange(n), new_index[destination])), shape=(n, int(keep.sum())))
    counts = (dtm.counts @ mapping).astype(dtm.counts.dtype).tocsr()
    features = dtm.features[keep].reset_index(drop=True).copy()
    features["count"] = np.asarray(counts.sum(axis=0)).ravel().astype(np.int64)
    per_doc = group_indicator(dtm.units["doc_id"])[0] @ counts
    features["n_docs"] = np.asarray((per_doc > 0).sum(axis=0)).ravel().astype(np.int64)
    return dtm._replace(counts=counts, features=features)
