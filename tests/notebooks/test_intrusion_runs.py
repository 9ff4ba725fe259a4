"""03_topics leaves a topic that fails the intrusion test out of the audience tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import config


def test_03_leaves_a_topic_that_fails_out_of_the_audience_tests(seed, tmp_path):
    """Made-up answers (in tmp only): every answer to topic 1's word tasks is wrong, the rest right.
    03 labels topic 1 as failing, writes the scores and tests no difference on it."""
    import shutil

    import papermill

    from analysis.coding.intrusion import read_key
    from analysis.corpus import write_corpus
    from analysis.report.findings import intrusion_sentence
    from analysis.report.kernels import IPCKernelManager

    write_corpus(seed, tmp_path / "processed")
    folder = tmp_path / "coding" / "intrusion"
    shutil.copytree(config.INTRUSION, folder, ignore=shutil.ignore_patterns("answers_*"))
    key = read_key(folder, "nmf")
    wrong = (key["topic"] == 0).fillna(False).to_numpy()
    for coder in ("one", "two"):
        answers = np.where(wrong, np.where(key["answer"] == 1, 2, 1), key["answer"])
        pd.DataFrame({"task_id": key["task_id"], "answer": answers}).to_csv(
            folder / f"answers_nmf_{coder}.csv", index=False
        )
    (tmp_path / "figures").mkdir()
    parameters = {"method": "nmf", "n_topics": 8, "n_seeds": 2, "n_resamples": 99,
                  "comparisons": [["turkish", "russian"]], "processed_dir": str(tmp_path / "processed"),
                  "figures_dir": str(tmp_path / "figures"), "coding_dir": str(tmp_path / "coding")}  # fmt: skip
    papermill.execute_notebook(
        str(config.NOTEBOOKS / "03_topics.ipynb"), str(tmp_path / "out.ipynb"), cwd=str(config.NOTEBOOKS),
        parameters=parameters, progress_bar=False, kernel_name="python3", kernel_manager_class=IPCKernelManager,
    )  # fmt: skip
    topics = pd.read_csv(tmp_path / "figures" / "topics_nmf_k8_top_words.csv")
    assert topics.loc[0, "status"] == "stable" and topics.loc[0, "intrusion"] == "fails"
    assert (topics.loc[1:, "intrusion"] == "passes").all()
    differences = pd.read_csv(tmp_path / "figures" / "topics_nmf_k8_differences.csv")
    assert not differences.loc[differences["topic"] == 1, "stable"].any()  # numbered from 1, as 03 writes them
    assert differences.loc[differences["topic"] == 2, "stable"].all()
    precision = pd.read_csv(tmp_path / "figures" / "topics_nmf_k8_intrusion.csv")
    assert precision.loc[0, ["topic", "precision"]].tolist() == ["1", 0] and precision.iloc[-1]["n_answers"] == 80
    agreement = pd.read_csv(tmp_path / "figures" / "topics_nmf_k8_intrusion_agreement.csv")
    sentence = intrusion_sentence(precision, agreement, "nmf")  # the study page's, from the written tables
    assert "1 of 8 topics fails (topic 1:" in sentence and "separate sessions of a language model" in sentence
    assert "human" not in sentence.lower()
