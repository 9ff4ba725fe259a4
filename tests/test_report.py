"""The report definition: every notebook run, its parameters, and the Make rules made from it."""

import os

import pytest

from analysis import config
from analysis.errors import CorpusError
from analysis.report.rules import load_runs, notebook_parameters, write_make_rules


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
    # The groups default to the corpus's own (None), so the notebook names no audience of the seed study.
    assert params["group_a"] is None and params["group_b"] is None and params["min_count"] == 10


def test_a_corpus_without_a_report_definition_gets_every_notebook_with_its_own_groups(byo):
    from analysis.report.rules import default_runs

    cfg = byo({"a.txt": "JANE DOE: Hello.\n"}, audience_groups=["north", "south", "east"])
    runs = {r.name: r.parameters for r in default_runs(cfg)}
    assert {r.notebook.name for r in default_runs(cfg)} == {p.name for p in config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    pairs = {(p["group_a"], p["group_b"]) for n, p in runs.items() if n.startswith("02_keyness")}
    assert pairs == {("north", "south"), ("north", "east"), ("south", "east")}


def test_a_declared_group_without_an_interview_is_refused_before_any_run(byo, tmp_path):
    """It failed after the corpus build and the first runs, inside 02_keyness ("reference group
    ['abroad'] has no units"); now `python -m analysis runs`, which make report runs first, says so
    in one line, and following the remedy gets the runs."""
    import subprocess
    import sys

    cfg = byo({"a.txt": "HOST: Question?\n\nJANE DOE: Answer.\n"})  # groups home and abroad; one home row
    command = [sys.executable, "-m", "analysis", "runs", "--corpus", str(cfg), "--out", str(tmp_path / "state")]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and not (tmp_path / "state").exists()
    assert refused.stderr == (
        f"error: {cfg}:5: audience group 'abroad' has no interview in metadata.csv (the report compares groups "
        "of interviews). Fix: add the rows of its interviews (audience abroad) to metadata.csv, or remove it "
        "from `audience_groups`.\n"
    )
    (cfg.parent / "b.txt").write_text("HOST: Question?\n\nJANE DOE: Answer.\n", encoding="utf-8")
    with open(cfg.parent / "metadata.csv", "a", encoding="utf-8") as f:
        f.write("b,b.txt,Outlet,abroad\n")
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0


def test_the_default_report_writes_nothing_into_the_corpus_folder_but_its_outputs(tmp_path):
    """The starter's report.yml (the default definition) ran 06_code as a coding sitting, which wrote
    DIR/coding/, an input of the corpus: every later make report rebuilt the corpus. Run as the
    definition says, it leaves the folder as it was."""
    import papermill

    from analysis.corpus import build_corpus, write_corpus
    from analysis.report.kernels import IPCKernelManager
    from analysis.report.starter import write_starter
    from tests.own_corpus import CODEBOOK, GROUPS, SPEAKER, write_transcripts

    folder = tmp_path / "mine"
    write_starter(folder, "Harbour", SPEAKER, list(GROUPS))
    write_transcripts(folder)
    (folder / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    write_corpus(build_corpus(folder / "corpus.yml"), tmp_path / "processed")
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    (run,) = [r for r in load_runs(folder / "report.yml") if r.notebook.stem == "06_code"]
    papermill.execute_notebook(
        str(run.notebook), str(tmp_path / "06_code.ipynb"), cwd=str(config.NOTEBOOKS),
        parameters={**run.parameters, "processed_dir": str(tmp_path / "processed"),
                    "corpus_config": str(folder / "corpus.yml")},
        progress_bar=False, log_output=False, kernel_name="python3", kernel_manager_class=IPCKernelManager,
    )  # fmt: skip
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_the_starter_writes_a_corpus_folder_the_report_accepts(tmp_path):
    from analysis.corpus.settings import load_config
    from analysis.frames.codebook import load_codebook
    from analysis.report.rules import load_runs
    from analysis.report.starter import write_starter

    folder = tmp_path / "mine"
    write_starter(folder, "Council: interviews", "Ana Ruiz", "north, south")
    cfg = load_config(folder / "corpus.yml")
    assert (cfg.name, cfg.focal_speaker, cfg.audience_groups) == ("Council: interviews", "Ana Ruiz", ["north", "south"])
    assert cfg.codebook == folder / "codebook.yml" and load_codebook(cfg.codebook).ids == ["economy", "security"]
    header = (folder / "metadata.csv").read_text(encoding="utf-8").strip().split(",")
    assert header[:4] == ["doc_id", "file", "outlet", "audience"]
    assert {r.parameters.get("group_a") for r in load_runs(folder / "report.yml")} >= {"north"}
    with pytest.raises(CorpusError, match="exists already"):
        write_starter(folder, "again", "Ana Ruiz", "north,south")


@pytest.mark.parametrize(
    "groups, bad",
    [("home,<b>x</b>", "'<b>x</b>'"), ("home,rest", "'rest'"), ("N A,N_A", "'N_A'"), ("home,all", "'all'")],
)
def test_the_starter_refuses_groups_its_corpus_yml_would_refuse_and_writes_nothing(tmp_path, groups, bad):
    from analysis.corpus.settings import load_config
    from analysis.report.starter import write_starter

    with pytest.raises(CorpusError) as refusal:
        write_starter(tmp_path / "mine", "Council", "Ana Ruiz", groups)
    assert not (tmp_path / "mine").exists()
    # what the config would have said: the same problem
    (tmp_path / "c.yml").write_text(
        f"name: x\nfocal_speaker: y\nmetadata: m.csv\naudience_groups: {groups.split(',')}\n".replace("'", '"'),
        encoding="utf-8",
    )
    with pytest.raises(CorpusError) as config_refusal:
        load_config(tmp_path / "c.yml")
    assert bad in refusal.value.problem and bad in config_refusal.value.problem


@pytest.mark.parametrize(
    "text, message",
    [
        ("runs: []", r"report.yml:1: `runs` is empty"),
        ("{}", "missing required key 'runs'"),
        ("runs:\n  - notebook: 09_missing", "no notebook 09_missing.ipynb"),
        ("runs:\n  - notebook: 02_keyness\n    parameters: {group_c: x}", "has no parameter \\['group_c'\\]"),
        ("runs:\n  - notebook: 02_keyness\n  - notebook: 02_keyness", "used twice"),
        (
            "runs:\n  - notebook: 02_keyness\n    name: a/b",
            r"report.yml:3: `runs\[0\].name` 'a/b' is not a plain file name",
        ),
        ("runs: [", "is not valid YAML"),
        ("runs:\n  - &r {notebook: 01_corpus}\n  - *r", "anchor or alias"),
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
    assert "reports/ran/k.ipynb: notebooks/02_keyness.ipynb reports/params/k.yml" in text
    assert "RUN_HTML := reports/ran/k.html reports/ran/01_corpus.html" in text
    assert "reports/ran/index: $(RUN_HTML)" in text
    assert "reports/ran/study.pdf: reports/ran/index | $(STAMP)" in text
    assert "$(SRC) $(TEMPLATES) | $(STAMP)" in text
    params = tmp_path / "out" / "params" / "k.yml"
    assert params.read_text(encoding="utf-8") == "group_a: russian\n"
    os.utime(params, (1, 1))
    write_make_rules(load_runs(path), tmp_path / "out")
    assert params.stat().st_mtime == 1  # unchanged content, untouched file: Make reruns nothing
    path.write_text(path.read_text(encoding="utf-8").replace("russian", "turkish"), encoding="utf-8")
    write_make_rules(load_runs(path), tmp_path / "out")
    assert params.stat().st_mtime > 1 and params.read_text(encoding="utf-8") == "group_a: turkish\n"


def test_a_group_the_corpus_does_not_have_is_named_with_the_groups_it_has(byo):
    from analysis.corpus.settings import load_config
    from analysis.notebook.about import check_groups

    cfg = load_config(byo({"a.txt": "JANE DOE: Hello.\n"}, audience_groups=["north", "south"]))
    assert check_groups(["south", None], cfg) == ["south"]
    with pytest.raises(
        ValueError,
        match=r"audience group 'turkish' is not in this corpus \(test corpus\); its groups are: north, south",
    ):
        check_groups(["north", "turkish"], cfg)
    with pytest.raises(ValueError, match="its groups with interviews are: north"):
        check_groups(["south"], cfg, present=["north"])


def test_notebooks_read_the_corpus_make_lab_opened(byo, monkeypatch, tmp_path):
    from analysis.notebook.about import setting

    cfg = byo({"a.txt": "JANE DOE: Hello.\n"}, audience_groups=["north", "south"])
    assert setting().cfg.name != "test corpus"  # the seed study by default
    monkeypatch.setenv("DISCOURSE_CORPUS", str(cfg))
    monkeypatch.setenv("DISCOURSE_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("DISCOURSE_FIGURES", str(tmp_path / "figures"))
    chosen = setting()
    assert (chosen.cfg.audience_groups, chosen.processed, chosen.figures) == (
        ["north", "south"],
        tmp_path / "processed",
        tmp_path / "figures",
    )
    assert setting(figures_dir=str(tmp_path / "given")).figures == tmp_path / "given"  # parameters win


def _ending_notebook(path):
    """A notebook whose first cell ends it (no codebook) and whose second must never run."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from analysis.notebook.about import end_here\nend_here('*No codebook: framing is skipped.*')"
        ),
        nbformat.v4.new_code_cell("raise RuntimeError('never run')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_a_notebook_can_end_early_and_cleanly_in_the_report(tmp_path):
    import nbformat
    import papermill

    import analysis.report.kernels  # noqa: F401 (registers the engine make report uses)

    _ending_notebook(tmp_path / "in.ipynb")
    papermill.execute_notebook(
        str(tmp_path / "in.ipynb"),
        str(tmp_path / "out.ipynb"),
        engine_name="ipc",
        progress_bar=False,
        kernel_name="python3",
    )
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert len(out.cells) == 1
    assert "framing is skipped" in out.cells[0].outputs[0]["data"]["text/markdown"]


def test_run_by_hand_a_notebook_that_ends_stops_there_in_one_line(tmp_path):
    """In JupyterLab (or plain papermill) nothing drops the cells after end_here: it raises, so that
    Run All stops there with one line, instead of failing in a cell that does not apply."""
    import nbformat
    import papermill

    from analysis.report.kernels import IPCKernelManager

    _ending_notebook(tmp_path / "in.ipynb")
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(tmp_path / "in.ipynb"),
            str(tmp_path / "out.ipynb"),
            progress_bar=False,
            kernel_name="python3",
            kernel_manager_class=IPCKernelManager,
        )
    assert (caught.value.ename, caught.value.cell_index) == ("NotebookEnds", 0)
    cells = [c for c in nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if c.cell_type == "code"]
    assert "framing is skipped" in cells[0].outputs[0]["data"]["text/markdown"]
    assert cells[0].outputs[1]["traceback"] == [
        "The notebook ends here: the message above says why. The cells below do not apply to this corpus."
    ]
    assert cells[1].execution_count is None  # never run
