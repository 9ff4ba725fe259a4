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
