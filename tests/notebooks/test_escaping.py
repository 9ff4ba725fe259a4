"""Corpus text that looks like HTML, Markdown or a formula reaches the executed notebooks' pages as text."""

from __future__ import annotations

import html
import shutil

import pytest
import yaml

from analysis import config
from analysis.corpus import load_config, write_corpus
from analysis.report.html import remote_references
from tests.hostile_corpus import DIAGRAM, PAYLOAD
from tests.notebooks.test_runs import QUICK_RUNS
from tests.project.test_security import live_elements


@pytest.fixture(scope="module")
def hostile(seed, tmp_path_factory):
    """The seed corpus with HTML in every outlet, speaker and label, in the text of every turn and in
    the corpus's name (a fenced mermaid diagram too): its processed tables and config (audience
    groups cannot hold HTML: the schema refuses it, see test_bad_input)."""
    folder = tmp_path_factory.mktemp("hostile")
    turns = seed.turns.assign(
        text=seed.turns["text"] + f" {PAYLOAD}",
        speaker=PAYLOAD + seed.turns["speaker"],
        label=PAYLOAD + seed.turns["label"],
    )
    documents = seed.documents.assign(outlet=f"{PAYLOAD} " + seed.documents["outlet"])
    write_corpus(seed._replace(turns=turns, documents=documents), folder / "processed")
    groups = load_config(config.SEED_CONFIG).audience_groups
    cfg = {
        "name": f"{PAYLOAD} corpus{DIAGRAM}",
        "focal_speaker": "Ilham Aliyev",
        "audience_groups": groups,
        "metadata": "m.csv",
        "codebook": "codebook.yml",
        "coding": "frames_coded.csv",
    }  # the seed's frames and coding, copied in (a corpus's files stay in its folder)
    shutil.copy(config.CODEBOOK, folder / "codebook.yml")
    shutil.copy(config.FRAMES_CODED, folder / "frames_coded.csv")
    (folder / "corpus.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    for raw in config.DATA_RAW.glob("*.txt"):  # 04 locates the coded paragraphs in the corpus's transcripts
        (folder / raw.name).symlink_to(raw)
    return folder


NOTEBOOK_RUNS = [
    ("01_corpus.ipynb", {}),
    ("05_explore.ipynb", {"static_preview": True, "query": "peace", "n_topics": 3}),
    # The analysis notebooks with the quick parameters of tests/notebooks/test_runs.py, but
    # 04_framing_3_model, which shows no corpus text (frame ids, audience names and numbers only).
    *QUICK_RUNS[:4],
]


@pytest.mark.parametrize("name, parameters", NOTEBOOK_RUNS)
def test_corpus_text_reaches_the_notebook_pages_escaped(name, parameters, hostile, tmp_path):
    import papermill

    from analysis.report.html import notebook_html
    from analysis.report.kernels import IPCKernelManager

    papermill.execute_notebook(
        str(config.NOTEBOOKS / name),
        str(tmp_path / name),
        cwd=str(config.NOTEBOOKS),
        parameters={
            **parameters,
            "processed_dir": str(hostile / "processed"),
            "figures_dir": str(tmp_path),
            "corpus_config": str(hostile / "corpus.yml"),
        },
        progress_bar=False,
        log_output=False,
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        execution_timeout=600,
    )
    page = notebook_html(tmp_path / name)
    assert html.escape(PAYLOAD) in page or html.escape(PAYLOAD, quote=False) in page  # the text is shown...
    assert live_elements(page) == []  # ...as text, never as an element
    assert "jp-Mermaid" not in page and remote_references(page) == []  # no diagram, nothing fetched
