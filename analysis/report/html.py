"""Executed notebooks as HTML pages that fetch nothing when opened.

nbconvert's default page loads require.js and MathJax from a CDN, and carries three more ways to
reach out to a third party when a reader opens it: a mermaid loader in every page, which imports
mermaid from cdnjs as soon as the page holds a diagram (a fenced ``mermaid`` block in any Markdown,
even one quoting corpus text); and, when the executed notebook saved the state of its widgets
(05_explore makes its controls even for the static preview), a loader that appends
``https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js``, an unpinned version fetched
every time the page is opened. The project otherwise works without a network, and a page that
reaches out leaks that it was opened. :func:`notebook_html` converts with lab's template minus all
four (:data:`OFFLINE_TEMPLATE`) and drops the widgets' saved state and views first: a static page
cannot run the controls anyway, and every notebook shows plain output in the report
(``static_preview``). The notebooks use no LaTeX and no diagrams, so nothing is lost.

:func:`remote_references` lists what a page would fetch from elsewhere; a test holds every page
written under ``reports/`` to none.

``python -m analysis.report.html NOTEBOOK.ipynb OUT.html`` is what ``make report`` runs.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

from ..io import write_text

#: lab's page template without the scripts that load code from a CDN: require.js, MathJax, the
#: mermaid loader and the widget loader (their blocks in nbconvert's ``lab/index.html.j2``).
OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""

_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def without_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without its widgets' saved state (``metadata.widgets``) and without widget views in
    its outputs (an output keeps its other forms, such as ``text/plain``; one with nothing else is
    dropped): the state is what makes nbconvert add its widget loader from unpkg. Changes ``nb``."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None and _WIDGET_VIEW in data:
                del data[_WIDGET_VIEW]
                if not data:
                    continue
            outputs.append(output)
        if "outputs" in cell:
            cell.outputs = outputs
    return nb


def notebook_html(notebook: str | Path) -> str:
    """The HTML page of an executed notebook, fetching nothing from outside the page."""
    exporter = HTMLExporter(
        template_name="lab",
        template_file="offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})],
    )
    resources = {"metadata": {"name": Path(notebook).stem}}
    nb = without_widgets(nbformat.read(notebook, as_version=4))
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def write_notebook_html(notebook: str | Path, out: str | Path) -> Path:
    """Write :func:`notebook_html` of ``notebook`` to ``out`` atomically; returns ``out``."""
    write_text(notebook_html(notebook), out)
    return Path(out)


# --------------------------------------------------------------------------------------------
# What a page would fetch from elsewhere

#: An absolute URL: a scheme followed by ``//`` (``https://``, ``ftp://``, ``file://``), or a
#: protocol-relative ``//host``.
_ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
#: An absolute URL anywhere in a script body (``//`` alone is a JavaScript comment there).
_ABSOLUTE_INSIDE = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'`)<>]*", re.IGNORECASE)
#: What a style sheet fetches: ``@import "..."``, ``@import url(...)`` or ``url(...)``, absolute.
_CSS_FETCH = re.compile(r"(?:@import\s*(?:url\(\s*)?|url\(\s*)[\"']?\s*((?:[a-z][a-z0-9+.-]*:)?//[^\s\"')]*)", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
#: ``<link rel=...>`` kinds that load a script or style.
_LOADING_LINKS = {"stylesheet", "preload", "modulepreload", "prefetch", "import"}


class _References(HTMLParser):
    """Collects every absolute URL a page would fetch (see :func:`remote_references`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._body: str | None = None  # the tag whose text is being read: script or style

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        for name in ("src", "srcset", "data", "poster"):
            if _ABSOLUTE.match(attrs.get(name, "")):
                self.found.append(f"<{tag} {name}={attrs[name]!r}>")
        rel = set(attrs.get("rel", "").lower().split())
        if tag == "link" and rel & _LOADING_LINKS and _ABSOLUTE.match(attrs.get("href", "")):
            self.found.append(f"<link rel={attrs['rel']!r} href={attrs['href']!r}>")
        if tag in ("script", "style"):
            self._body = tag

    def handle_endtag(self, tag):
        if tag == self._body:
            self._body = None

    def handle_data(self, data):
        if self._body == "script":
            self.found += [f"<script> {url}" for url in _ABSOLUTE_INSIDE.findall(data)]
        elif self._body == "style":
            self.found += [f"<style> {url}" for url in _CSS_FETCH.findall(_CSS_COMMENT.sub("", data))]


def remote_references(page: str) -> list[str]:
    """Every absolute URL in ``page`` that a browser could fetch when it opens it: in a ``src``
    (or ``srcset``, ``data``, ``poster``) attribute, in the ``href`` of a ``<link>`` that loads a
    script or style, anywhere in the body of a ``<script>`` element (an ``import()``, a loader's
    URL), or in a ``<style>``'s ``@import`` or ``url()`` (its comments aside). Links a reader
    follows (``<a href>``) and ``data:`` images are not fetches. Each item says where it stood."""
    parser = _References()
    parser.feed(page)
    parser.close()
    return parser.found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m analysis.report.html NOTEBOOK.ipynb OUT.html")
    write_notebook_html(sys.argv[1], sys.argv[2])
