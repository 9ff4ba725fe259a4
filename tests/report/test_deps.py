"""The build graph: each notebook run depends on exactly what it reads, so Make reruns what a
change can affect and nothing else."""

from __future__ import annotations

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
    assert reading == {"04_framing_1_measure", "04_framing_2_audiences", "04_framing_3_model", "05_explore", "06_code"}
    # frames.score's default is the frame model, refitted from the coding: whoever imports frames
    # can read the coding, so it is their input too
    for name in reading:
        assert "data/coding/frames_coded.csv" in notebook_inputs(NOTEBOOKS / f"{name}.ipynb")
