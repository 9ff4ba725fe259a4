"""The report's index page and manifest, built into a temporary folder."""

import fnmatch
import json

import pytest

from analysis import config
from analysis.report.pages import FigureEntry, RunPage
from analysis.report.site import TEMPLATE, build_site, corpus_title, publish_run, render_index
from analysis.report.study import TEMPLATE as STUDY_TEMPLATE


def test_publish_moves_a_runs_files_and_records_them(tmp_path):
    stage, figures, reports = tmp_path / "stage", tmp_path / "figures", tmp_path / "reports"
    stage.mkdir()
    (stage / "a.png").write_bytes(b"png")
    (stage / "a.json").write_text('{"name": "a"}', encoding="utf-8")
    assert publish_run("run1", stage, figures, reports) == ["a.json", "a.png"]
    assert (figures / "a.png").read_bytes() == b"png" and not stage.exists()
    assert json.loads((reports / "outputs" / "run1.json").read_text())["files"] == ["a.json", "a.png"]


def test_a_rerun_removes_the_files_its_notebook_no_longer_writes(tmp_path):
    stage, figures, reports = tmp_path / "stage", tmp_path / "figures", tmp_path / "reports"
    for names in (["old.png", "kept.png"], ["kept.png"]):
        stage.mkdir()
        for name in names:
            (stage / name).write_bytes(b"x")
        publish_run("run1", stage, figures, reports)
    (figures / "other_run.png").write_bytes(b"x")
    publish_run("run1", stage, figures, reports) if stage.is_dir() else None
    assert sorted(p.name for p in figures.iterdir()) == ["kept.png", "other_run.png"]


def test_index_shows_figures_with_escaped_captions_and_a_manifest(tmp_path):
    figures, reports = tmp_path / "figures", tmp_path / "reports"
    figures.mkdir()
    (figures / "fig.png").write_bytes(b"x")
    about = {
        "name": "fig",
        "title": "Words <by> audience",
        "caption": "<script>alert(1)</script> & more",
        "formats": ["png", "svg"],
    }
    (figures / "fig.json").write_text(json.dumps(about), encoding="utf-8")
    (reports / "outputs").mkdir(parents=True)
    (reports / "outputs" / "01_corpus.json").write_text(json.dumps({"files": ["fig.json", "fig.png"]}))
    index, manifest = build_site(reports=reports, figures=figures)
    assert index == reports / "index.html" and index.is_file()  # the study page (tests/report/test_study.py)
    page = (reports / "appendix.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert 'src="../figures/fig.png"' in page and "Words &lt;by&gt; audience" in page
    assert 'href="01_corpus.html"' in page
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["packages"]["pandas"] and len(data["git_commit"] or "x" * 40) == 40
    assert "data/raw/MANIFEST.csv" in data["inputs"] and "report.yml" in data["inputs"]
    corpus = next(r for r in data["runs"] if r["name"] == "01_corpus")
    assert corpus["outputs"] == ["fig.json", "fig.png"] and "processed_dir" in corpus["parameters"]
    assert config.PROJECT_ROOT.name  # paths in the manifest are relative to the project
    assert all(not k.startswith("/") for k in data["inputs"])


def _page(name="r1", title="A title", parameters=None, caption="A caption", figure_title="A figure"):
    figure = FigureEntry(name="fig", title=figure_title, caption=caption, formats=["png", "svg"], has_csv=True)
    parameters = parameters if parameters is not None else {"group_a": "turkish"}
    return RunPage(
        name=name,
        notebook=config.NOTEBOOKS / "02_keyness.ipynb",
        title=title,
        parameters=parameters,
        shown_parameters=parameters,
        figures=[figure],
        tables=["table.csv"],
        outputs=["fig.json", "fig.png", "table.csv"],
        seconds=None,
    )


@pytest.mark.parametrize(
    "field",
    ["name", "title", "parameters", "caption", "figure_title"],
)
def test_html_in_any_field_appears_escaped(field):
    markup = '<img src=x onerror="alert(1)">'
    value = {"group_a": markup} if field == "parameters" else markup
    page = render_index([_page(**{field: value})], "../figures")
    assert markup not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page


def test_a_parameter_from_the_report_definition_appears_escaped(tmp_path):
    report = tmp_path / "report.yml"
    report.write_text(
        "runs:\n  - notebook: 02_keyness\n    name: k\n    parameters: {group_a: '</p><script>alert(1)</script>'}\n",
        encoding="utf-8",
    )
    build_site(report, tmp_path / "reports", tmp_path / "figures")
    page = (tmp_path / "reports" / "appendix.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_lists_each_figure_with_its_links_and_ships_no_script():
    page = render_index([_page()], "../figures")
    assert "<script" not in page
    assert '<img src="../figures/fig.png" alt="A figure">' in page
    for href in ("../figures/fig.png", "../figures/fig.svg", "../figures/fig.csv", "../figures/table.csv"):
        assert f'href="{href}"' in page
    assert 'href="r1.html"' in page and 'href="r1.ipynb"' in page and 'href="#r1"' in page
    assert "A caption" in page and "manifest.json" in page


def test_the_template_is_package_data():
    import tomllib

    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = project["tool"]["setuptools"]["package-data"]["analysis.report"]
    for template in (TEMPLATE, STUDY_TEMPLATE):
        assert any(fnmatch.fnmatch(f"templates/{template}", pattern) for pattern in package_data)
    assert (config.PACKAGE / "report" / "templates" / TEMPLATE).is_file()


def test_the_seed_page_names_the_coding_model_based_and_a_corpus_of_ones_own_page_claims_nothing(tmp_path):
    from analysis.report.site import measure_note

    note = measure_note()
    assert "model-based coding" in note and "separate sessions of a language model" in note
    assert "independent" not in note.lower() and "human ceiling" not in note
    assert measure_note(tmp_path / "corpus.yml") == ""
    page = render_index([_page()], "../figures", measure=note)
    measure = '<p class="measure"><strong>The measure.</strong> The frames of the 04_framing notebooks are a model'
    assert measure + "-based coding" in page
    assert 'class="measure"' not in render_index([_page()], "../figures")


def test_the_title_is_the_corpus_configurations_or_made_from_its_speaker_and_groups(byo):
    assert corpus_title(config.SEED_CONFIG) == "How Ilham Aliyev framed the 2020 Karabakh war for each audience"
    texts = {"a.txt": "HOST: Hi?\n\nJane Doe: Hello.\n"}
    assert corpus_title(byo(texts)) == "test corpus: what Jane Doe said to each audience (home, abroad)"
    assert corpus_title(byo(texts, title="Jane Doe at home and abroad")) == "Jane Doe at home and abroad"
