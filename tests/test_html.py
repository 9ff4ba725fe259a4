"""Executed notebooks become pages that load nothing from outside (no CDN when a reader opens them)."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.build.html import notebook_html, write_notebook_html


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
