"""Exploration helpers: highlighted passages, escaped."""

import numpy as np
import pandas as pd

from analysis.frames.codebook import default_codebook
from analysis.measures.topics import TopicModel
from analysis.notebook.display import show_lines
from analysis.notebook.explore import (
    concordance_view,
    frame_passages,
    frame_view,
    highlight,
    live_view,
    passages_html,
    topic_view,
)
from analysis.text.concordance import concordance
from analysis.text.dtm import build_dtm
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns


def test_highlight_marks_spans_and_escapes_the_rest():
    assert highlight("a <b> c\u2019s", [(3, 4)]) == "a &lt;<mark>b</mark>&gt; c&#x27;s"
    assert highlight("abc", [(0, 2), (1, 3)]) == "<mark>ab</mark>c"  # overlapping spans: the first wins


def test_frame_passages_highlight_counted_cues(seed_turns):
    passages = frame_passages(seed_turns, "turkey", audience="turkish", n=3)
    assert len(passages) == 3 and set(passages["audience"]) == {"turkish"}
    assert list(passages["matches"]) == sorted(passages["matches"], reverse=True)
    assert all("<mark>" in h for h in passages["html"])
    page = passages_html(passages, "Turkey <frame>")
    assert page.startswith("<h4>Turkey &lt;frame&gt;</h4>") and page.count("<blockquote") == 3


def test_concordance_view_counts_lines_by_audience_or_says_why_it_cannot_search(seed_turns):
    shown = concordance_view(seed_turns, "liberat*", audience="turkish", window=4, n=2)
    lines = concordance(seed_turns, "liberat*", window=4, audience="turkish")
    assert shown[0].data == f"**{len(lines)}** occurrences of *liberat**"
    assert list(shown[1].columns) == ["turkish"] and len(shown[2].data) == 2
    (why,) = concordance_view(seed_turns, "?!")
    assert why.data.startswith("*query '?!' must be one or more words")


def test_topic_view_shows_top_words_and_escaped_passages_cut_after_max_chars():
    turns = make_turns({"a": ("home", ["oil <gas> " * 100, "oil"])})
    dtm = build_dtm(turns, unit="turn", processor=TextProcessor(stem=False))
    model = TopicModel("nmf", 1, 0, np.array([[0.9], [0.1]]), np.eye(1, 2),
                       pd.DataFrame({"topic": [0, 0], "label": ["oil", "gas"]}), ["oil"])  # fmt: skip
    words, passages = topic_view(model, dtm, 0, n=1, max_chars=20)
    assert words.data == "**Topic 1, top words:** oil, gas"
    assert "<br>oil &lt;gas&gt; oil &lt;gas&gt;  …</blockquote>" in passages.data  # 20 characters, escaped


def test_frame_view_defines_the_frame_or_says_the_corpus_has_no_codebook(seed_turns):
    codebook = default_codebook()
    definition, passages = frame_view(seed_turns, codebook, "turkey", "turkish", n=2)
    frame = codebook.frame("turkey")
    assert definition.data.startswith(f"**{frame.label}.**") and passages.data.count("<blockquote") == 2
    (none,) = frame_view(seed_turns, None, "turkey", corpus="Harbour City")
    assert none.data.startswith("*Harbour City has no codebook")


def test_a_static_live_view_displays_once_without_controls(monkeypatch):
    import analysis.notebook.explore as explore

    shown = []
    monkeypatch.setattr(explore, "display", lambda *objs: shown.extend(objs))
    live_view("controls", lambda: ["a", "b"], static=True)
    assert shown == ["a", "b"]


def test_show_lines_displays_each_line_as_escaped_markdown(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    show_lines(["**one** <b>", "two"])
    assert shown == ["**one** &lt;b>", "two"]
