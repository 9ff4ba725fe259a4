"""The report definition: every notebook run, its parameters, and the Make rules made from it."""

import os

import pytest

from analysis import config
from analysis.build.rules import load_runs, notebook_parameters, write_make_rules
from analysis.errors import CorpusError


def test_every_notebook_is_in_the_report():
    runs = load_runs()
    assert {r.notebook.name for r in runs} == {p.name for p in config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}


def test_the_report_compares_each_pair_of_audiences_and_both_topic_methods():
    runs = {r.name: r.parameters for r in load_runs()}
    pairs = {(p["group_a"], p["group_b"]) for n, p in runs.items() if n.startswith("02_keyness")}
    assert pairs == {("turkish", "western"), ("russian", "western"), ("turkish", "russian")}
    assert {p["method"] for n, p in runs.items() if n.startswith("03_topics")} == {"nmf", "lda"}


def test_parameters_are_read_from_the_tagged_cell():
    params = notebook_parameters(config.NOTEBOOKS / "02_keyness.ipynb")
    assert params["group_a"] == "turkish" and params["group_b"] == "western" and params["min_count"] == 10


@pytest.mark.parametrize(
    "text, message",
    [
        ("runs: []", "no list of runs"),
        ("runs:\n  - notebook: 09_missing", "no notebook 09_missing.ipynb"),
        ("runs:\n  - notebook: 02_keyness\n    parameters: {group_c: x}", "has no parameter \\['group_c'\\]"),
        ("runs:\n  - notebook: 02_keyness\n  - notebook: 02_keyness", "used twice"),
        ("runs:\n  - notebook: 02_keyness\n    name: a/b", "not a plain file name"),
        ("runs: [", "cannot read the report definition"),
    ],
)
def test_bad_definitions_are_explained(tmp_path, text, message):
    path = tmp_path / "report.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_runs(path)


def test_parameter_files_change_only_when_parameters_change(tmp_path):
    path = tmp_path / "report.yml"
    path.write_text(
        "runs:\n  - notebook: 02_keyness\n    name: k\n    parameters: {group_a: russian}\n  - notebook: 01_corpus\n",
        encoding="utf-8",
    )
    rules = write_make_rules(load_runs(path), tmp_path / "out")
    text = rules.read_text(encoding="utf-8")
    assert "reports/k.ipynb: notebooks/02_keyness.ipynb reports/params/k.yml" in text
    assert "RUN_HTML := reports/k.html reports/01_corpus.html" in text
    assert "reports/index.html reports/manifest.json &: $(RUN_HTML)" in text
    assert "$(SRC) $(TEMPLATES) | $(STAMP)" in text
    params = tmp_path / "out" / "params" / "k.yml"
    assert params.read_text(encoding="utf-8") == "group_a: russian\n"
    os.utime(params, (1, 1))
    write_make_rules(load_runs(path), tmp_path / "out")
    assert params.stat().st_mtime == 1  # unchanged content, untouched file: Make reruns nothing
    path.write_text(path.read_text(encoding="utf-8").replace("russian", "turkish"), encoding="utf-8")
    write_make_rules(load_runs(path), tmp_path / "out")
    assert params.stat().st_mtime > 1 and params.read_text(encoding="utf-8") == "group_a: turkish\n"
