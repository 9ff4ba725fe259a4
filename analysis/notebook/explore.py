"""Helpers for interactive exploration (notebooks/05_explore.ipynb): passages with their frame
cues highlighted, and small HTML views that a widget callback can display.

All text shown is HTML-escaped before any markup is added.
"""

from __future__ import annotations

import html

import pandas as pd

from ..corpus.normalise import plain_characters
from ..frames.codebook import Codebook, default_codebook
from ..frames.cues import matches
from ..frames.score import score
from ..text.dtm import paragraph_units


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` (made plain as the detector sees it) as HTML, each (start, end) span in <mark>."""
    plain = plain_characters(text)
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [html.escape(plain[last:start]), "<mark>", html.escape(plain[start:end]), "</mark>"]
        last = end
    out.append(html.escape(plain[last:]))
    return "".join(out)


def frame_passages(
    turns: pd.DataFrame, frame_id: str, audience: str | None = None, n: int = 5, codebook: Codebook | None = None
) -> pd.DataFrame:
    """The ``n`` paragraphs of the focal speaker's answers with the most cue matches of a frame
    (ties: in corpus order), optionally of one audience: ``para_id``, ``outlet``, ``audience``,
    ``date``, ``matches`` and ``html`` (the paragraph with the counted cues highlighted; negated
    matches, which do not count, are not highlighted)."""
    codebook = codebook or default_codebook()
    codebook.frame(frame_id)  # unknown frame: KeyError naming the frames
    paragraphs = paragraph_units(turns)
    if audience is not None:
        paragraphs = paragraphs[paragraphs["audience"] == audience]
    counts = score(list(paragraphs["text"]), codebook, method="cues")[frame_id].to_numpy()
    paragraphs = paragraphs.assign(matches=counts)
    top = paragraphs[paragraphs["matches"] > 0].sort_values("matches", ascending=False, kind="stable").head(n)
    top["html"] = [
        highlight(t, [(s, e) for s, e, _, negated in matches(t, frame_id, codebook) if not negated])
        for t in top["text"]
    ]
    return top[["para_id", "outlet", "audience", "date", "matches", "html"]].reset_index(drop=True)


def passages_html(passages: pd.DataFrame, title: str) -> str:
    """An HTML block: a heading and one quoted paragraph per row of :func:`frame_passages`
    (or any table with outlet, date and html columns)."""
    items = "".join(
        f"<blockquote style='border-left:3px solid #ccc;margin:.6em 0;padding-left:.8em'>"
        f"<small>{html.escape(str(r.outlet))}, {html.escape(str(r.date))}</small><br>{r.html}</blockquote>"
        for r in passages.itertuples()
    )
    return f"<h4>{html.escape(title)}</h4>" + (items or "<p>No passage.</p>")
