"""The built report (make test builds it first): its pages fetch nothing, its tables keep intervals
inside what their quantity can be, its notebooks number topics alike and show no progress bars.
"""

from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis import config
from analysis.report.html import remote_references
from tests.measures.test_topics import numbering_disagreements
from tests.notebooks.test_runs import progress_output


def test_no_page_of_the_report_fetches_anything():
    """Every page `make report` wrote under reports/ (the front page and every executed notebook's)."""
    pages = sorted(config.REPORTS.rglob("*.html"))
    if not (config.REPORTS / "index.html").is_file():
        if os.environ.get("CI"):
            pytest.fail("reports/index.html is missing (make report builds it)")
        pytest.skip("reports/index.html is missing (make report builds it)")
    found = {str(p.relative_to(config.REPORTS)): remote_references(p.read_text(encoding="utf-8")) for p in pages}
    assert len(pages) > 1 and {name: urls for name, urls in found.items() if urls} == {}


def test_no_csv_of_the_built_report_has_a_share_interval_outside_0_1():
    """Every table the report writes (figures/*.csv, after make report): no interval of a share,
    by the naming convention of analysis.stats.intervals.share_interval_columns, leaves [0, 1]."""
    from analysis import config
    from analysis.stats.intervals import share_interval_columns, shares_outside

    tables = sorted(config.FIGURES.glob("*.csv"))
    if not (config.REPORTS / "index.html").is_file() or not tables:
        pytest.skip("the report is not built (make test builds it first)")
    checked, outside = 0, {}
    for path in tables:
        try:
            table = pd.read_csv(path)
        except pd.errors.EmptyDataError:  # a table with no columns holds no interval
            continue
        checked += bool(share_interval_columns(table.columns))
        bad = shares_outside(table)
        if len(bad):
            outside[path.name] = bad.head(3).to_dict("records")
    assert checked >= 3, f"only {checked} tables with share intervals found: has the naming convention changed?"
    assert outside == {}


def test_the_reports_topic_tables_number_every_topic_as_its_top_words_table():
    """Every table and summary sentence 03 wrote for the report numbers a topic as the run's
    top-words table does (from 1), with the same label under the same number."""
    runs = sorted(p.name.removesuffix("_top_words.csv") for p in config.FIGURES.glob("topics_*_top_words.csv"))
    if not runs:
        pytest.skip("no topic tables in figures/ (make report writes them)")
    assert {name: numbering_disagreements(config.FIGURES, name) for name in runs} == {name: [] for name in runs}


def test_the_report_shows_no_progress_bars():
    """The slow steps draw progress bars only on a terminal (analysis.stats.progress): none may reach an
    executed notebook of the report, and so none its HTML."""
    executed = sorted(config.REPORTS.glob("[0-9][0-9]_*.ipynb"))
    if not executed:
        pytest.skip("no executed notebooks in reports/ (make report runs them)")
    assert {p.name: progress_output(p) for p in executed} == {p.name: [] for p in executed}
