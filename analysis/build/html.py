"""Executed notebooks as HTML pages that work offline.

nbconvert's default page loads require.js and MathJax from a CDN when it is opened; the project
otherwise works without a network, and a page that reaches out to a third party when a reviewer
opens it leaks that it was opened. :func:`write_notebook_html` converts with both turned off and
drops the empty script tags that leaves (a ``src=""`` would fetch the page itself again). The
notebooks use no LaTeX, so nothing is lost; mermaid diagrams, which nbconvert loads only when a
page has one, do not occur.

``python -m analysis.build.html NOTEBOOK.ipynb OUT.html`` is what ``make report`` runs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from ..io import write_text

_EMPTY_SCRIPT = re.compile(r"<script src=\"\">\s*</script>\n?")


def notebook_html(notebook: str | Path) -> str:
    """The HTML page of an executed notebook, loading nothing from outside the page."""
    exporter = HTMLExporter(mathjax_url="", require_js_url="")
    resources = {"metadata": {"name": Path(notebook).stem}}
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4), resources=resources)
    return _EMPTY_SCRIPT.sub("", body)


def write_notebook_html(notebook: str | Path, out: str | Path) -> Path:
    """Write :func:`notebook_html` of ``notebook`` to ``out`` atomically; returns ``out``."""
    write_text(notebook_html(notebook), out)
    return Path(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m analysis.build.html NOTEBOOK.ipynb OUT.html")
    write_notebook_html(sys.argv[1], sys.argv[2])
