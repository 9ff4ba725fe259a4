"""Helpers for interactive exploration (notebooks/05_explore.ipynb): passages with their frame
cues highlighted, and the views 05 shows (:func:`concordance_view`, :func:`topic_view`,
:func:`frame_view`: each a list of things to display), under controls that redraw them or once,
plainly (:func:`live_view`).

All text shown is HTML-escaped before any markup is added.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from ..corpus.normalise import plain_characters
from ..frames.codebook import Codebook, default_codebook
from ..frames.cues import matches
from ..frames.score import score
from ..measures.topics import TopicModel, representative_units
from ..text.concordance import concordance, count_hits
from ..text.dtm import DocumentTermMatrix, paragraph_units
from .display import Markdown, style_concordance


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


def concordance_view(turns: pd.DataFrame, query: str, audience: str = "all", window: int = 8, n: int = 40) -> list:
    """05's concordance of ``query`` in the focal speaker's answers (``audience``: one group, or
    "all"), ``window`` words each side: how many occurrences, the hits and interviews per audience
    (:func:`analysis.text.concordance.count_hits`, one column per audience) and the first ``n``
    lines; or, for a query that cannot be searched, one line saying why."""
    try:
        lines = concordance(turns, query, window=window, audience=None if audience == "all" else audience)
    except ValueError as err:
        return [Markdown(f"*{err}*")]
    shown = [Markdown(f"**{len(lines)}** occurrences of *{query}*")]
    if len(lines):
        shown += [count_hits(lines).T, style_concordance(lines.head(n))]
    return shown


def topic_view(model: TopicModel, dtm: DocumentTermMatrix, topic: int, n: int = 3, max_chars: int = 700) -> list:
    """05's view of ``topic`` (0-based; shown numbered from 1): its top words, then the ``n`` units
    of ``dtm`` that carry it most (:func:`analysis.measures.topics.representative_units`), each cut
    after ``max_chars`` characters (marked " …") and escaped."""
    words = model.top_words[model.top_words["topic"] == topic]["label"]
    best = representative_units(model, dtm, topic, n=n).assign(
        html=lambda b: b["text"].map(lambda s: html.escape(s[:max_chars] + (" …" if len(s) > max_chars else "")))
    )
    return [
        Markdown(f"**Topic {topic + 1}, top words:** " + ", ".join(words)),
        HTML(passages_html(best, f"Passages that carry topic {topic + 1} most")),
    ]


def frame_view(
    turns: pd.DataFrame, codebook: Codebook | None, frame_id: str, audience: str = "all", n: int = 4, corpus: str = ""
) -> list:
    """05's view of a frame: its label and definition, then the ``n`` passages of ``audience`` (or
    "all") with the most cues of it highlighted (:func:`frame_passages`); without a codebook, one
    line saying that the corpus (named ``corpus``) has none."""
    if codebook is None:
        return [Markdown(f"*{corpus} has no codebook (`codebook:` in its corpus.yml): no frames to show.*")]
    frame = codebook.frame(frame_id)
    passages = frame_passages(turns, frame.id, None if audience == "all" else audience, n=n, codebook=codebook)
    return [
        Markdown(f"**{frame.label}.** {frame.definition}"),
        HTML(passages_html(passages, "Passages with the most cues (highlighted)")),
    ]


def live_view(controls, render, *boxes, static: bool = False) -> None:
    """Display what ``render()`` returns (a list, as the views above) under ``controls``, again
    whenever the value of one of ``boxes`` changes; with ``static``, once, plainly, without the
    controls (the report's preview, where controls cannot run)."""
    if static:
        display(*render())
        return
    import ipywidgets as widgets

    output = widgets.Output()

    def update(*_):
        output.clear_output()
        with output:
            display(*render())

    for box in boxes:
        box.observe(update, names="value")
    display(controls, output)
    update()
