"""Exploration helpers: highlighted passages, escaped."""

from analysis.notebook.explore import frame_passages, highlight, passages_html


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
