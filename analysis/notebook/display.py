"""What the notebooks display as HTML, with every piece of corpus text escaped.

A pandas Styler writes cell values, index labels and column names into its HTML as they are, so
an outlet named ``<img src=x onerror=alert(1)> TV`` became a live element in the executed
notebooks' pages (a plain DataFrame escapes, a Styler does not, and any later ``.format()`` call
undoes ``styler.format.escape``). :func:`styled` escapes the values themselves before the Styler
sees them, so whatever formatting a notebook adds afterwards the text stays text; notebooks write
``table.pipe(styled)`` where pandas has ``table.style``. Markdown renders any HTML it contains, so
the notebooks display Markdown through :class:`Markdown`, which shows ``<``, ``&`` and ``[`` as
text, and runs of three or more backticks or tildes too (a code fence: a corpus whose name held a
fenced ``mermaid`` block made a diagram in 01_corpus's page, for which nbconvert's page imported
mermaid from a CDN): a summary sentence naming an outlet or quoting a passage keeps its bold and its quote
marks but can hold no element, no link and no code block.
"""

from __future__ import annotations

import html
import re

import IPython.display
import pandas as pd
from pandas.io.formats.style import Styler


def _escape(value):
    return html.escape(value) if isinstance(value, str) else value


def escaped(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell, column name and index label HTML-escaped
    (``<`` -> ``&lt;``, ``&`` -> ``&amp;``, quotes too); numbers and other values unchanged."""
    out = table.rename(columns=_escape, index=_escape)
    for i, dtype in enumerate(out.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out.isetitem(i, out.iloc[:, i].map(_escape))
    return out


def styled(table: pd.DataFrame, formats: dict | str | None = None, precision: int | None = None) -> Styler:
    """``table.style`` with its text escaped (see :func:`escaped`), formatted by ``formats`` (as
    for :meth:`Styler.format`) and ``precision``; chain ``.hide(axis="index")`` and the like."""
    return escaped(table).style.format(formats, precision=precision)


#: A run of backticks or tildes that can open a fenced code block (CommonMark: three or more).
_FENCE = re.compile(r"`{3,}|~{3,}")
_ENTITY = {"`": "&#96;", "~": "&#126;"}


class Markdown(IPython.display.Markdown):
    """IPython's Markdown, with the characters that start HTML (``<``, ``&``), a link (``[``) or a
    fenced code block (three or more backticks or tildes) written as entities, so text from the
    corpus in it shows as text; the rest of Markdown (emphasis, quotes, lists, a `code` span)
    works as usual."""

    def __init__(self, data=None, url=None, filename=None, metadata=None):
        if isinstance(data, str):
            data = data.replace("&", "&amp;").replace("<", "&lt;").replace("[", "&#91;")
            data = _FENCE.sub(lambda run: _ENTITY[run[0][0]] * len(run[0]), data)
        super().__init__(data, url, filename, metadata)


def show_lines(lines) -> None:
    """Display each of ``lines`` (Markdown sentences, as the ``sentences`` writers return them) as
    its own :class:`Markdown` paragraph; nothing for none."""
    for line in lines:
        IPython.display.display(Markdown(line))


def style_concordance(table: pd.DataFrame, columns: list[str] | None = None):
    """A pandas Styler that shows a concordance the way AntConc does: left context aligned
    right, the match in bold, right context aligned left. Every text shown is HTML-escaped (see
    :func:`analysis.notebook.display.styled`), outlet and audience as much as the contexts."""
    columns = columns or ["outlet", "audience", "left", "match", "right"]
    return (
        styled(table[columns])
        .set_uuid("kwic")
        .hide(axis="index")
        .set_properties(subset=["left"], **{"text-align": "right"})
        .set_properties(subset=["match"], **{"font-weight": "bold", "text-align": "center"})
        .set_properties(subset=["right"], **{"text-align": "left"})
    )
