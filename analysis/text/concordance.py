"""Concordance (key word in context): every occurrence of a word or phrase, with its context."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..corpus.normalise import WORD_RE, normalize_text
from .dtm import select_turns
from .tokens import stem, strip_clitic

COLUMNS = ["doc_id", "outlet", "audience", "date", "turn_id", "line_start", "left", "match", "right"]


def _query_patterns(query: str, stemmed: bool) -> list[re.Pattern]:
    """One pattern per query word; a trailing ``*`` matches any ending ("liberat*")."""
    words = normalize_text(query).lower().split()
    if not words or not all(WORD_RE.fullmatch(w.rstrip("*")) for w in words):
        raise ValueError(
            f"query {query!r} must be one or more words, each optionally ending "
            "in * (for example 'line of contact' or 'liberat*')"
        )
    if stemmed:
        words = [w if w.endswith("*") else stem(strip_clitic(w)) for w in words]
    return [re.compile(re.escape(w[:-1]) + r"\S*" if w.endswith("*") else re.escape(w)) for w in words]


def concordance(
    turns: pd.DataFrame,
    query: str,
    window: int = 8,
    audience: str | Iterable[str] | None = None,
    role: str | Iterable[str] | None = "focal",
    kinds: Iterable[str] | None = ("interview",),
    include_duplicates: bool = False,
    stemmed: bool = False,
) -> pd.DataFrame:
    """Every occurrence of ``query`` (a word or phrase, case-insensitive; a word ending in ``*``
    matches any ending) in the selected turns, with ``window`` words of context each side.
    A possessive or contracted form matches its word ("Turkey's" matches "turkey"); with
    ``stemmed=True`` every form with the same Snowball stem matches too ("lands" finds "land"),
    as the features of :mod:`analysis.text.tokens` count them.

    ``turns`` is ``load_turns(with_metadata=True)``; ``role``, ``kinds`` and
    ``include_duplicates`` select turns as in :func:`analysis.text.dtm.select_turns`, and
    ``audience`` keeps only the given group(s). Context stays within the turn.

    Returns one row per occurrence, in document and text order, with columns ``doc_id``,
    ``outlet``, ``audience``, ``date``, ``turn_id``, ``line_start`` (line of the turn in its
    raw file), ``left``, ``match`` (the words as written, quotes and dashes made plain) and
    ``right``.
    """
    if window < 0:
        raise ValueError(f"window must be a number of words >= 0, not {window}")
    patterns = _query_patterns(query, stemmed)
    selected = _select(turns, audience, role, kinds, include_duplicates)
    rows = []
    for turn in selected.itertuples(index=False):
        about = (turn.doc_id, turn.outlet, turn.audience, turn.date, turn.turn_id, turn.line_start)
        rows.extend((*about, *context) for context in _find_in_text(turn.text, patterns, window, stemmed))
    return pd.DataFrame(rows, columns=COLUMNS)


def _select(
    turns: pd.DataFrame,
    audience: str | Iterable[str] | None,
    role: str | Iterable[str] | None,
    kinds: Iterable[str] | None,
    include_duplicates: bool,
) -> pd.DataFrame:
    """The turns :func:`analysis.text.dtm.select_turns` keeps, of the ``audience`` group(s) only
    (None: every audience), in their order."""
    selected = select_turns(turns, role=role, kinds=kinds, include_duplicates=include_duplicates)
    if audience is not None:
        groups = [audience] if isinstance(audience, str) else list(audience)
        selected = selected[selected["audience"].isin(groups)]
    return selected


def _find_in_text(text: str, patterns: list[re.Pattern], window: int, stemmed: bool) -> list[tuple[str, str, str]]:
    """Every run of words of ``text`` that ``patterns`` (one per query word, from
    :func:`_query_patterns`) match word by word, in text order, as (left, match, right):
    up to ``window`` words each side, the text normalised and on one line. Words are compared
    lower-cased without clitics, and stemmed if ``stemmed``."""
    text = normalize_text(text).replace("\n", " ")
    spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    words = _comparable_words(text, spans, stemmed)
    n = len(patterns)
    found = []
    for i in range(len(spans) - n + 1):
        if all(p.fullmatch(words[i + j]) for j, p in enumerate(patterns)):
            found.append(_cut_context(text, spans, i, i + n - 1, window))
    return found


def _comparable_words(text: str, spans: list[tuple[int, int]], stemmed: bool) -> list[str]:
    """The words of ``text`` at ``spans`` (start, end character offsets) as a query compares
    them: lower case, clitic removed, Snowball stem if ``stemmed``."""
    words = [strip_clitic(text[s:e].lower()) for s, e in spans]
    return [stem(w) for w in words] if stemmed else words


def _cut_context(text: str, spans: list[tuple[int, int]], first: int, last: int, window: int) -> tuple[str, str, str]:
    """(left, match, right) for the words ``first`` to ``last`` (indices into ``spans``):
    the matched text as written and up to ``window`` words of context each side, stripped."""
    start, end = spans[first][0], spans[last][1]
    left_from = spans[max(first - window, 0)][0] if window else start
    right_to = spans[min(last + window, len(spans) - 1)][1] if window else end
    return text[left_from:start].strip(), text[start:end], text[end:right_to].strip()


def count_hits(table: pd.DataFrame, by: str = "audience") -> pd.DataFrame:
    """Occurrences and the number of interviews they come from, per group of a concordance
    table: columns ``hits`` and ``interviews``, one row per group."""
    grouped = table.groupby(by)
    return pd.DataFrame({"hits": grouped.size(), "interviews": grouped["doc_id"].nunique()})
