"""Executed notebooks become pages that load nothing from outside (no CDN when a reader opens them)."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.report.html import notebook_html, remote_references, write_notebook_html


def _notebook(tmp_path):
    nb = new_notebook(
        cells=[
            new_markdown_cell("# A title"),
            new_code_cell("1 + 1", outputs=[new_output("execute_result", {"text/plain": "2"}, execution_count=1)]),
        ]
    )
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_page_loads_no_script_from_elsewhere(tmp_path):
    page = notebook_html(_notebook(tmp_path))
    sources = re.findall(r'<script[^>]*\bsrc="([^"]*)"', page)
    assert sources == []  # neither require.js nor MathJax from a CDN, and no empty src
    assert "<title>run</title>" in page and "A title" in page


def test_writing_the_page(tmp_path):
    out = write_notebook_html(_notebook(tmp_path), tmp_path / "run.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _widget_notebook(tmp_path):
    """A notebook as 05_explore's static preview leaves it: the widgets' state saved in its
    metadata (what makes nbconvert add its loader from unpkg) and a widget view among its outputs."""
    nb = nbformat.read(_notebook(tmp_path), as_version=4)
    state = {"version_major": 2, "version_minor": 0, "state": {"abc": {"model_name": "TextModel", "state": {}}}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "text/plain": "Text(value='peace')"}  # fmt: skip
    nb.cells.append(new_code_cell("box", outputs=[new_output("display_data", view)]))
    nbformat.write(nb, tmp_path / "widgets.ipynb")
    return tmp_path / "widgets.ipynb"


def test_a_page_whose_notebook_saved_its_widgets_fetches_nothing(tmp_path):
    page = notebook_html(_widget_notebook(tmp_path))
    assert remote_references(page) == []  # no widget loader from unpkg, no mermaid, require.js or MathJax
    assert "unpkg.com" not in page and "cdnjs" not in page and "widget-state+json" not in page
    assert "Text(value=&#39;peace&#39;)" in page or "Text(value='peace')" in page  # the view's text stays


def test_remote_references_finds_every_fetch_and_nothing_else():
    page = """<html><head>
    <script src="https://cdn.example/a.js"></script>
    <script src="//cdn.example/b.js"></script>
    <link rel="stylesheet" href="http://cdn.example/c.css">
    <link rel="modulepreload" href="https://cdn.example/d.mjs">
    <script type="module">const m = (await import("https://cdn.example/e.mjs")).default; // a comment</script>
    <script>s.src = 'https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js';</script>
    <style>/* from https://github.com/x */ @import url("https://fonts.example/f.css");
    b {background: url(//g.example/g.png)}</style>
    </head><body><img src="HTTPS://h.example/h.png">
    <a href="https://example.org/read-more">a link a reader follows</a>
    <img src="data:image/png;base64,AAAA"><img src="figures/x.png"><link rel="icon" href="favicon.ico">
    <script>var comment = 1; // not a URL</script></body></html>"""
    found = remote_references(page)
    expected = ("cdn.example/a.js", "//cdn.example/b.js", "c.css", "d.mjs", "e.mjs", "unpkg", "f.css", "g.png", "h.png")
    for url in expected:
        assert sum(url in f for f in found) == 1, (url, found)
    assert len(found) == 9 and not any("example.org" in f or "github.com" in f for f in found)
