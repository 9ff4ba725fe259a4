"""A hostile corpus through make report: its payloads reported as text and nothing written outside its
outputs; hostile input that is not valid refused in one line.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.report.html import remote_references
from tests.hostile_corpus import FORMULA, HOSTILE_FIELDS, HOSTILE_RUNS, PAYLOAD, write_hostile_corpus
from tests.project.test_security import live_elements
from tests.system.test_own_corpus import make_report


def explorer_in_a_browser(page: Path) -> dict | None:
    """What a reader sees on the explorer page ``page`` (tests/system/test_explorer_browser.py's
    ``inspect_page``), or None without chromium or playwright (skipped locally, failed in CI)."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        assert not os.environ.get("CI"), "chromium and playwright are needed in CI"
        return None
    from tests.system.test_explorer_browser import inspect_page

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            return inspect_page(browser, page)
        finally:
            browser.close()


#: What the project's own tree may gain or change while a corpus of one's own is reported on:
#: nothing but caches and the build's own state of that corpus (.build, analysis/report/owned.py).
UNTRACKED = {
    ".venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".ipynb_checkpoints",
    ".build",
}


def files_under(root: Path) -> dict[str, int]:
    """Every file under ``root`` (caches and the virtual environment left out): its modification
    time (ns), by path relative to ``root``."""
    found = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not UNTRACKED.intersection(relative.parts):
            found[str(relative)] = path.stat().st_mtime_ns
    return found


def raw_formulas(path: Path) -> list[str]:
    """The cells of the CSV at ``path`` that open with one of the hostile corpus's formulas as
    written (a spreadsheet would run them)."""
    openings = (FORMULA, *(poison("") for poison in HOSTILE_FIELDS.values() if poison("")[:1] in "=+-@"))
    with open(path, encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row if cell.startswith(openings)]


def test_a_hostile_corpus_is_reported_as_text_and_nothing_is_written_outside_its_outputs(tmp_path):
    folder = tmp_path / "hostile"
    write_hostile_corpus(folder)
    before, project = files_under(tmp_path), files_under(config.PROJECT_ROOT)

    ran, _ = make_report(folder, f"REPORT={folder / 'hostile.yml'}")

    assert ran == {run.get("name", run["notebook"]) for run in HOSTILE_RUNS}
    outputs = [folder / "processed", folder / "figures" / "hostile", folder / "reports"]
    written = {p for p, mtime in files_under(tmp_path).items() if before.get(p) != mtime}
    assert [p for p in written if not any((tmp_path / p).is_relative_to(o) for o in outputs)] == []
    assert files_under(config.PROJECT_ROOT) == project
    pages = sorted((folder / "reports" / "hostile").glob("*.html"))
    assert {p.stem for p in pages} == ran | {"index", "appendix", "quotes", "explore"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert live_elements(text) == [], page.name
        assert "<script>alert(2)" not in text, page.name
        assert "jp-Mermaid" not in text and remote_references(text) == [], page.name
    explorer = explorer_in_a_browser(folder / "reports" / "hostile" / "explore.html")
    if explorer is not None:  # chromium and playwright (tests/system/test_explorer_browser.py)
        assert explorer["handlers"] == explorer["dialogs"] == explorer["outside"] == []
        assert PAYLOAD in explorer["text"]
    figures = [tmp_path / p for p in written if p.endswith(".svg")]  # a browser runs what an SVG holds
    assert figures and [f.name for f in figures if live_elements(f.read_text(encoding="utf-8"))] == []
    index = (folder / "reports" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert html.escape(PAYLOAD, quote=False) in index  # the corpus's name, shown as text
    tables = [tmp_path / p for p in written if p.endswith(".csv")]
    assert [(t.name, raw_formulas(t)) for t in tables if raw_formulas(t)] == []
    assert "'" + FORMULA in (folder / "processed" / "documents.csv").read_text(encoding="utf-8").replace('""', '"')


#: Hostile input that is not valid: the edit of a file of the hostile corpus (file, text, new text)
#: and the refusal expected.
OUTSIDE = r"file '{}' of document 'harb2' is outside the corpus folder"


REFUSALS = {
    "a transcript outside the corpus folder": (
        ("metadata.csv", "harb2,harb2.txt", "harb2,../../outside.txt"),
        r"metadata\.csv:3: " + OUTSIDE.format(r"\.\./\.\./outside\.txt"),
    ),
    "a transcript named by an absolute path": (
        ("metadata.csv", "harb2,harb2.txt", "harb2,{outside}"),
        r"metadata\.csv:3: " + OUTSIDE.format(r"/\S*/outside\.txt"),
    ),
    "an audience group that climbs out of the figures folder": (
        ("corpus.yml", "- overseas", "- ../../ESCAPED"),
        r"corpus\.yml:\d+: `audience_groups\[1\]` '\.\./\.\./ESCAPED' is not a plain name",
    ),
    "a run name that climbs out of the reports folder": (
        ("hostile.yml", "name: 02_keyness_hostile", "name: ../../ESCAPED"),
        r"hostile\.yml:\d+: `runs\[1\]\.name` '\.\./\.\./ESCAPED' is not a plain file name",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_hostile_input_that_is_not_valid_is_refused_in_one_line_and_nothing_escapes(case, tmp_path):
    folder = tmp_path / "hostile"
    write_hostile_corpus(folder)
    outside = tmp_path / "outside.txt"
    outside.write_text("SECRET first line\n", encoding="utf-8")
    (file, old, new), message = REFUSALS[case]
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new.format(outside=outside)), encoding="utf-8")
    project = files_under(config.PROJECT_ROOT)

    _, output = make_report(folder, f"REPORT={folder / 'hostile.yml'}", check=False)

    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors and re.search(message, errors[0]) and all("Fix: " in e for e in errors), output[-2000:]
    # The build lists every problem of a corpus in one run (issue 26): besides the refusal, only
    # the transcript that the changed metadata row no longer names may be listed.
    assert all("has no row in the metadata table" in e for e in errors[1:]), output[-2000:]
    assert "Traceback" not in output and "SECRET" not in output
    assert not list(tmp_path.rglob("ESCAPED*")) and not list(tmp_path.parent.glob("ESCAPED*"))
    assert not (folder / "figures").exists() and not (folder / "reports" / "hostile" / "index.html").exists()
    assert files_under(config.PROJECT_ROOT) == project
