"""The build graph: each notebook run depends on exactly what it reads, so Make reruns what a
change can affect and nothing else."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis import config
from analysis.report.deps import imported_modules, module_closure, notebook_inputs

NOTEBOOKS = config.NOTEBOOKS


def test_imports_are_found_absolute_and_relative():
    source = (
        "import analysis.frames.codebook\nfrom analysis import config, text\n"
        "from .comparisons import holm\nfrom .. import io\nfrom ..text.dtm import select_turns\n"
        "from analysis.coding.sheets import FRAMES_CODED\nimport pandas\nfrom analysis import not_a_module\n"
        "from analysis.corpus.tables import load_turns"
    )
    assert imported_modules(source, "audiences.coded") == {
        "frames.codebook",
        "config",
        "text",
        "audiences.comparisons",
        "io",
        "text.dtm",
        "coding.sheets",
        "corpus.tables",
    }


def test_relative_imports_inside_a_subpackage_resolve_against_it():
    source = "from ..errors import CorpusError\nfrom .sources import read_lines\nfrom .. import config"
    assert imported_modules(source, "corpus.build") == {"errors", "corpus.sources", "config"}


def test_the_closure_follows_the_package_imports():
    closure = module_closure(["audiences.comparisons"])
    expected = {"", "audiences", "audiences.comparisons", "frames.codebook", "text.dtm", "corpus", "corpus.tables"}
    assert expected | {"stats.resampling", "config"} <= set(closure)
    assert "report.site" not in closure and "figures.plots" not in closure


def test_the_corpus_build_reads_no_measure_and_no_plot():
    closure = set(module_closure(["corpus.build"]))
    assert {"corpus.readers", "corpus.sources", "corpus.duplicates"} <= closure
    assert not {m for m in closure if m.split(".")[0] in {"figures", "frames", "measures", "text", "coding"}}


def test_framing_exploration_and_coding_read_the_codebook_and_nothing_else_does():
    reading = {p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if "data/coding/codebook.yml" in notebook_inputs(p)}
    assert reading == {"04_framing", "05_explore", "06_code"}
    # frames.score's default is the frame model, refitted from the coding: whoever imports frames
    # can read the coding, so it is their input too
    for name in reading:
        assert "data/coding/frames_coded.csv" in notebook_inputs(NOTEBOOKS / f"{name}.ipynb")


def _dry_run(*what_if: str) -> str:
    pending = subprocess.run(["make", "-n", "report"], cwd=config.PROJECT_ROOT, capture_output=True, text=True).stdout
    if _runs(pending) or "building the corpus" in pending or "writing reports" in pending:
        pytest.skip("the report is not built and up to date (make test builds it first)")
    args = [a for f in what_if for a in ("-W", f)]
    return subprocess.run(
        ["make", "-n", *args, "report"], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout


def _runs(output: str) -> set[str]:
    return set(re.findall(r"== running \S+ as (\S+) with", output))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_the_codebook_reruns_exactly_framing_and_exploration():
    output = _dry_run("data/coding/codebook.yml")
    assert _runs(output) == {"04_framing", "05_explore", "06_code"}
    assert "building the corpus" not in output and "writing reports/index.html" in output


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_the_coding_reruns_the_notebooks_that_import_the_frames():
    assert _runs(_dry_run("data/coding/frames_coded.csv")) == {"04_framing", "05_explore", "06_code"}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_a_plotting_module_does_not_rebuild_the_corpus():
    output = _dry_run("analysis/figures/plots.py")
    assert "building the corpus" not in output
    assert "05_explore" not in _runs(output)  # exploration draws no figure
