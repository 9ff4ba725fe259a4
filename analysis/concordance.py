"""Concordance (key word in context): every occurrence of a word or phrase, with its context."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd

from .dtm import select_turns
from .text import WORD_RE, normalize_text
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
    as the features of :mod:`analysis.tokens` count them.

    ``turns`` is ``load_turns(with_metadata=True)``; ``role``, ``kinds`` and
    ``include_duplicates`` select turns as in :func:`analysis.dtm.select_turns`, and
    ``audience`` keeps only the given group(s). Context stays within the turn.

    Returns one row per occurrence, in document and text order, with columns ``doc_id``,
    ``outlet``, ``audience``, ``date``, ``turn_id``, ``line_start`` (line of the turn in its
    raw file), ``left``, ``match`` (the words as written, quotes and dashes made plain) and
    ``right``.
    """
    if window < 0:
        raise ValueError(f"window must be a number of words >= 0, not {window}")
    patterns = _query_patterns(query, stemmed)
    selected = select_turns(turns, role=role, kinds=kinds, include_duplicates=include_duplicates)
    if audience is not None:
        groups = [audience] if isinstance(audience, str) else list(audience)
        selected = selected[selected["audience"].isin(groups)]
    n = len(patterns)
    rows = []
    for turn in selected.itertuples(index=False):
        text = normalize_text(turn.text).replace("\n", " ")
        spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
        lowered = [strip_clitic(text[s:e].lower()) for s, e in spans]
        if stemmed:
            lowered = [stem(w) for w in lowered]
        for i in range(len(spans) - n + 1):
            if all(p.fullmatch(lowered[i + j]) for j, p in enumerate(patterns)):
                start, end = spans[i][0], spans[i + n - 1][1]
                left_from = spans[max(i - window, 0)][0] if window else start
                right_to = spans[min(i + n - 1 + window, len(spans) - 1)][1] if window else end
                rows.append(
                    (
                        turn.doc_id,
                        turn.outlet,
                        turn.audience,
                        turn.date,
                        turn.turn_id,
                        turn.line_start,
                        text[left_from:start].strip(),
                        text[start:end],
                        text[end:right_to].strip(),
                    )
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def count_hits(table: pd.DataFrame, by: str = "audience") -> pd.DataFrame:
    """Occurrences and the number of interviews they come from, per group of a concordance
    table: columns ``hits`` and ``interviews``, one row per group."""
    grouped = table.groupby(by)
    return pd.DataFrame({"hits": grouped.size(), "interviews": grouped["doc_id"].nunique()})


def style_concordance(table: pd.DataFrame, columns: list[str] | None = None):
    """A pandas Styler that shows a concordance the way AntConc does: left context aligned
    right, the match in bold, right context aligned left. Text is HTML-escaped."""
    columns = columns or ["outlet", "audience", "left", "match", "right"]
    view = table[columns].copy()
    for column in ("left", "match", "right"):
        if column in view:
            view[column] = view[column].map(html.escape)
    return (
        view.style.set_uuid("kwic")
        .hide(axis="index")
        .set_properties(subset=["left"], **{"text-align": "right"})
        .set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
        .set_properties(subset=["right"], **{"text-align": "left"})
    )
