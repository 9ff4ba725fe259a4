"""Notebook runs as the report makes them: outputs only in their folders, and a notebook that ends
early ends cleanly, in the report and by hand.
"""

import pytest

from analysis import config
from analysis.report.rules import load_runs


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
