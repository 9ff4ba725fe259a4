"""Reliability of the whole pipeline: no pickles, builds that survive being killed, failing
notebooks that stop the report loudly, and two clean builds that give the same bytes.

The tests marked ``slow`` run `make` on the project itself (about two minutes in all); they
need the report built, as `make test` does first.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.corpus import build_corpus, load_turns, write_corpus
from analysis.errors import CorpusError
from tests.conftest import write_corpus_folder

ROOT = config.PROJECT_ROOT
SMALL_ROW = {"doc_id": "a", "file": "a.txt", "outlet": "Daily", "audience": "home"}
FORBIDDEN = re.compile(r"\bpickle\b|read_pickle|joblib\.load|allow_pickle\s*=\s*True|torch\.load|dill\b")


def test_nothing_loads_pickles():
    sources = [
        *(ROOT / "analysis").glob("*.py"),
        *config.NOTEBOOKS.glob("*.ipynb"),
        *(ROOT / "benchmarks").glob("*.py"),
    ]
    offenders = [str(p.relative_to(ROOT)) for p in sources if FORBIDDEN.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# --------------------------------------------------------------------------------------------
# The report's own machinery against careless and hostile input (issue 16, build side)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "runs:\n  - notebook: 01_corpus\n    parameter: {}\n",
            r"report\.yml:3: unknown key 'parameter' in `runs\[0\]`\. Fix: did you mean 'parameters'\?",
        ),
        (
            "runs:\n  - notebook: 01_corpus\nextra: 1\n",
            r"report\.yml:3: unknown key 'extra'\. Fix: use only explore, runs",
        ),
        ("runs:\n  - name: x\n", r"report\.yml:2: missing required key 'notebook' in `runs\[0\]`"),
        ("runs:\n  - notebook: [01_corpus]\n", r"report\.yml:2: `runs\[0\]\.notebook` must be text, not a list"),
        ("runs:\n  - notebook: 01_corpus\n    parameters: [a, b]\n", r":3: `runs\[0\]\.parameters` must be a mapping"),
        ("runs:\n  - notebook: 01_corpus\n    name: 7\n", r":3: `runs\[0\]\.name` must be text, not the number 7"),
    ],
)
def test_the_report_definition_is_checked_against_its_schema_in_one_line(tmp_path, text, message):
    from analysis.report.rules import load_runs

    path = tmp_path / "report.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message) as caught:
        load_runs(path)
    assert "\n" not in str(caught.value) and ". Fix: " in str(caught.value)


def test_yaml_aliases_in_the_report_definition_are_refused(tmp_path):
    from analysis.report.rules import load_runs

    items = {"a": ["x"] * 9, "b": ["*a"] * 9, "c": ["*b"] * 9}
    bomb = "".join(f"{key}: &{key} [{', '.join(values)}]\n" for key, values in items.items())
    path = tmp_path / "report.yml"
    path.write_text(bomb + "runs:\n  - notebook: 01_corpus\n    parameters: {processed_dir: *c}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"report\.yml:1: uses a YAML anchor or alias"):
        load_runs(path)


@pytest.mark.parametrize("name", ["index", "manifest", "Index", "params", "outputs", "runs"])
def test_a_run_named_like_the_reports_own_files_is_refused(tmp_path, name):
    from analysis.report.rules import load_runs

    path = tmp_path / "report.yml"
    path.write_text(f"runs:\n  - notebook: 01_corpus\n    name: {name}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=f"the name '{name}' is reserved"):
        load_runs(path)


@pytest.mark.parametrize(
    "text, safe", [("../../../../ESCAPED", "ESCAPED"), ("a/../b", "a_._b"), (".hidden", "hidden"), ("", "_")]
)
def test_output_names_built_from_data_stay_plain_file_names(tmp_path, text, safe):
    from analysis.corpus.names import safe_name
    from analysis.figures.plots import save_figure

    assert safe_name(text) == safe
    assert safe_name(f"keyness_{text}_vs_x") == Path(safe_name(f"keyness_{text}_vs_x")).name
    import matplotlib.pyplot as plt

    fig = plt.figure()
    with pytest.raises(ValueError, match="not a plain file name"):
        save_figure(fig, f"keyness_{text}/x", tmp_path / "figures")
    plt.close(fig)
    assert not any(tmp_path.rglob("*x*"))


def test_two_runs_may_not_overwrite_each_others_outputs(tmp_path):
    from analysis.report.site import publish_run

    figures, reports = tmp_path / "figures", tmp_path / "reports"
    for run, content in (("keyness_a", "interview"), ("keyness_b", "turn")):
        stage = tmp_path / run
        stage.mkdir()
        (stage / "keyness_x_vs_y.csv").write_text(content, encoding="utf-8")
        if run == "keyness_a":
            publish_run(run, stage, figures, reports)
    with pytest.raises(CorpusError, match="run keyness_b writes keyness_x_vs_y.csv, which run keyness_a writes too"):
        publish_run("keyness_b", tmp_path / "keyness_b", figures, reports)
    assert (figures / "keyness_x_vs_y.csv").read_text(encoding="utf-8") == "interview"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_get_the_mode_the_umask_gives_new_files(tmp_path, umask, mode):
    from analysis.io import write_text

    old = os.umask(umask)
    try:
        write_text("x", tmp_path / "out.txt")
    finally:
        os.umask(old)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == mode


def test_the_next_build_removes_what_a_killed_one_left_and_reruns_runs_that_lost_files(tmp_path):
    from analysis.report.lock import repair

    reports, figures, processed = tmp_path / "reports", tmp_path / "figures", tmp_path / "processed"
    for folder in (reports / "outputs", reports / ".stage" / "r1.123", figures, processed):
        folder.mkdir(parents=True)
    leftovers = [figures / ".a.png.x1y2.tmp", processed / ".turns.csv.k3.tmp", reports / ".r1.123.tmp.ipynb"]
    (reports / "ran").mkdir()
    stamps = [reports / "ran" / "r1.ipynb", reports / "ran" / "r2.ipynb"]  # the runs' stamps (Make's targets)
    for path in [*leftovers, figures / "a.png", figures / "b.csv", *stamps]:
        path.write_text("x", encoding="utf-8")
    kept = figures / "notes.tmp.txt"
    kept.write_text("a researcher's file", encoding="utf-8")
    (reports / "outputs" / "r1.json").write_text('{"run": "r1", "files": ["a.png", "lost.svg"]}', encoding="utf-8")
    (reports / "outputs" / "r2.json").write_text('{"run": "r2", "files": ["b.csv"]}', encoding="utf-8")
    lines = repair(reports, figures, processed)
    assert not any(p.exists() for p in leftovers) and not (reports / ".stage").exists() and kept.exists()
    assert not stamps[0].exists() and stamps[1].exists()
    assert "run r1 lost lost.svg: it runs again" in lines


def test_tables_of_two_builds_mixed_by_hand_are_refused_by_the_loaders(tmp_path):
    """A set no build wrote (documents.csv copied in from another build): the loaders refuse it
    against tables.json instead of joining turns of one build to documents of another."""
    one = write_corpus_folder(tmp_path / "one", {"a.txt": "HOST: Hello?\n\nJANE DOE: Hi.\n"}, [SMALL_ROW])
    two = write_corpus_folder(tmp_path / "two", {"a.txt": "HOST: Hello again?\n\nJANE DOE: Hi there.\n"}, [SMALL_ROW])
    write_corpus(build_corpus(one), tmp_path / "out_one")
    write_corpus(build_corpus(two), tmp_path / "out_two")
    shutil.copy(tmp_path / "out_two" / "documents.csv", tmp_path / "out_one" / "documents.csv")
    with pytest.raises(CorpusError, match="is not from the build that wrote the other corpus tables"):
        load_turns(tmp_path / "out_one")
