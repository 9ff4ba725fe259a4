"""What every page of the report is made of: a notebook run as a page (:class:`RunPage`) with its
figures (:class:`FigureEntry`), and the Jinja2 templates the pages are rendered with. Kept apart
from :mod:`analysis.report.site` (the appendix, the manifest) and :mod:`analysis.report.study` (the
study page), which both use them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined


class FigureEntry(NamedTuple):
    """One published figure as the page shows it: ``name`` (file stem in ``figures/``),
    ``title`` and ``caption`` (from ``<name>.json``; the title defaults to the name),
    ``formats`` (the image formats saved, e.g. ``["png", "svg"]``) and ``has_csv`` (the data
    behind it is saved as ``<name>.csv``) and ``alt``, what it shows (its chart, axes and legend,
    :func:`analysis.figures.plots.figure_alt`; "" for a figure saved before it was recorded)."""

    name: str
    title: str
    caption: str
    formats: list[str]
    has_csv: bool
    alt: str = ""


class RunPage(NamedTuple):
    """One notebook run as the page and the manifest record it: ``name``, ``notebook`` (path),
    ``title`` (the notebook's first heading), ``parameters`` (the notebook's defaults updated by
    the run's), ``shown_parameters`` (those the page lists: no folders, no corpus configuration),
    ``figures`` (:class:`FigureEntry`), ``tables`` (CSV files without a figure), ``outputs``
    (every file the run published) and ``seconds`` (papermill's duration, None if not run)."""

    name: str
    notebook: Path
    title: str
    parameters: dict
    shown_parameters: dict
    figures: list[FigureEntry]
    tables: list[str]
    outputs: list[str]
    seconds: float | None


@lru_cache(maxsize=1)
def page_templates() -> Environment:
    """The page's Jinja2 environment: templates from the package, every value HTML-escaped
    (autoescape), an undefined variable an error rather than an empty string."""
    environment = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["json_text"] = lambda value: json.dumps(value, ensure_ascii=False)
    return environment
