"""03_topics on a corpus whose group has one interview: it says the group cannot be tested, and runs on."""

from __future__ import annotations


def test_03_topics_runs_on_a_corpus_whose_group_has_one_interview_and_says_it_cannot_be_tested(tmp_path):
    """Issue 29 item 1, end to end: the notebook stopped with KeyError 'established'."""
    import papermill
    import yaml

    from analysis import config
    from analysis.corpus import build_corpus, write_corpus
    from analysis.report.kernels import IPCKernelManager
    from tests.own_corpus import GROUPS, SPEAKER, write_transcripts

    (tmp_path / "metadata.csv").write_text("doc_id,file,outlet,audience,date,kind,translated\n", encoding="utf-8")
    write_transcripts(tmp_path)
    rows = (tmp_path / "metadata.csv").read_text(encoding="utf-8").splitlines()
    dropped = ("over2", "over3", "over4")
    (tmp_path / "metadata.csv").write_text("\n".join(r for r in rows if not r.startswith(dropped)) + "\n")
    for doc in dropped:
        (tmp_path / f"{doc}.txt").unlink()
    cfg = {"name": "one", "focal_speaker": SPEAKER, "audience_groups": list(GROUPS), "metadata": "metadata.csv",
           "labels": {"interviewer": ["HOST"]}}  # fmt: skip
    (tmp_path / "corpus.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    write_corpus(build_corpus(tmp_path / "corpus.yml"), tmp_path / "processed")
    (tmp_path / "figures").mkdir()
    parameters = {"k_grid": [3, 4], "n_seeds": 2, "n_resamples": 99, "processed_dir": str(tmp_path / "processed"),
                  "figures_dir": str(tmp_path / "figures"), "corpus_config": str(tmp_path / "corpus.yml")}  # fmt: skip
    papermill.execute_notebook(
        str(config.NOTEBOOKS / "03_topics.ipynb"), str(tmp_path / "out.ipynb"), cwd=str(config.NOTEBOOKS),
        parameters=parameters, progress_bar=False, kernel_name="python3", kernel_manager_class=IPCKernelManager,
    )  # fmt: skip
    out = (tmp_path / "out.ipynb").read_text(encoding="utf-8")
    assert "cannot be tested: Overseas has 1 interview" in out
