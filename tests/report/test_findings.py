"""The results paragraphs of the study page (analysis.report.findings): every number they state is
a cell of the hand-made tables they are given, and each names its estimand and measure."""

from __future__ import annotations

import pandas as pd

from analysis.notebook.prose import numbers_in
from analysis.report.findings import (
    contrast_paragraph,
    detectable_paragraph,
    hypotheses_paragraph,
    intrusion_sentence,
    keyness_paragraph,
    topic_paragraph,
)


def cells() -> pd.DataFrame:
    return pd.DataFrame(
        {"frame": ["law", "law", "law"], "higher": ["b", "b", "b"], "lower": ["a", "a", "a"],
         "specification": ["interview means", "paragraph model, total", "small-cluster errors (CR2)"],
         "estimate": [0.1, 4.4, 4.4], "low": [0.05, 2.8, 2.5], "high": [0.2, 6.91, 7.74]}
    )  # fmt: skip


def models() -> pd.DataFrame:
    """Two contrasts, the one of the claim stored the other way round (a against b)."""
    return pd.DataFrame(
        {"frame": ["law", "law"], "group_a": ["a", "a"], "group_b": ["b", "c"], "p_holm": [0.001, 1.0],
         "p_holm_cr2": [0.2, 1.0]}
    )  # fmt: skip


def test_a_contrast_that_survives_states_its_estimate_interval_verdicts_estimand_and_measure():
    claim = pd.Series({"frame": "law", "higher": "b", "lower": "a", "claim": "established", "holds_in": 8,
                       "estimated_in": 9, "translation": "translated vs English-language"})  # fmt: skip
    text = contrast_paragraph(claim, cells(), models(), "Law", "Jane Doe")
    assert text.startswith("**Law: b against a audiences.**")
    assert "4.40 [2.80, 6.91] times as high for b as for a" in text
    assert "over the 2 contrasts" in text and "[2.50, 7.74] and it does not survive" in text
    assert "holds in 8 of the 9 specifications" in text
    assert "total difference" in text and "language model" in text
    assert "translated against English-language interviews" in text
    assert numbers_in(text) == ["4.40", "2.80", "6.91", "95", "2", "2.50", "7.74", "8", "9"]


def hypotheses() -> pd.DataFrame:
    return pd.DataFrame(
        {"frame": ["law", "war"], "higher": ["b", "a"], "lower": ["a", "c"], "odds_ratio": [1.93, 0.8],
         "low": [1.19, 0.5], "high": [3.12, 1.3], "p_holm": [0.034, 0.0004], "supported": [False, False]}
    )  # fmt: skip


def detectable() -> pd.DataFrame:
    return pd.DataFrame(
        {"frame": ["law", "war", "law"], "group_a": ["a", "a", "a"], "group_b": ["b", "c", "c"],
         "detectable_ratio": [1.97, 2.5, 4.86], "detectable_ratio_corrected": [2.9, 3.1, 11.61],
         "alpha": [0.05] * 3, "power": [0.8] * 3, "family": [39] * 3, "survives": [True, False, False]}
    )  # fmt: skip


def test_every_hypothesis_is_stated_with_its_estimate_holm_p_and_what_it_could_have_detected():
    text = hypotheses_paragraph(hypotheses(), detectable(), {"law": "Law"})
    assert "0 of the 2 are supported" in text
    assert "Law higher for b than a: odds ratio 1.93 [1.19, 3.12], Holm p 0.034, detectable from 1.97" in text
    assert "war higher for a than c: odds ratio 0.80 [0.50, 1.30], Holm p below 0.001, detectable from 2.50" in text
    assert "0.05 level" in text and "80% power" in text and "language model" in text
    assert "detectable from" not in hypotheses_paragraph(hypotheses(), None, {})


def test_what_did_not_differ_is_said_with_the_range_of_detectable_ratios_of_the_contrasts_that_failed():
    text = detectable_paragraph(detectable())
    assert "between 2.50 and 4.86 at the 0.05 level" in text  # 1.97 survived and is left out
    assert "between 3.10 and 11.61 at Holm's strictest step" in text and "the 39 contrasts" in text
    assert "absence of evidence" in text and "language model" in text
    assert detectable_paragraph(detectable().assign(survives=True)) is None


def test_an_established_topic_difference_states_the_shares_interval_and_the_checks_verdict():
    check = pd.Series({"group_a": "a", "group_b": "b", "topic": 4, "label": "attack, civilians",
                       "verdict": "established: under NMF and LDA (similarity 0.87).", "intrusion": 0.9})  # fmt: skip
    difference = pd.Series({"share_a": 0.066, "share_b": 0.17, "difference": -1.16, "low": -1.97, "high": -0.35,
                            "p_holm": 0.019})  # fmt: skip
    text = topic_paragraph(check, difference, "nmf", "Jane Doe")
    assert "6.6% of an average a interview's answers against 17.0% of a b one" in text
    assert "-1.16 [-1.97, -0.35]" in text and "Holm p 0.019" in text
    assert "call it established: under NMF and LDA (similarity 0.87). The measure" in text


def test_keyness_names_the_words_that_hold_or_says_none_does_with_power():
    table = pd.DataFrame({"label": ["land", "peace", "war"], "z": [3.0, -2.5, 1.0],
                          "verdict": ["holds across interviews", "holds across interviews", "not key"]})  # fmt: skip
    power = pd.DataFrame({"n_a": [6], "n_b": [11], "mde": [1.52], "mde_corrected": [3.18]})
    text = keyness_paragraph(table, power, ("A", "B"))
    assert "Benjamini-Hochberg correction: land (A), peace (B)." in text
    assert "With 6 and 11 interviews" in text and "d = 1.5" in text and "3.2 after" in text
    assert "No single word holds" in keyness_paragraph(table.assign(verdict="not key"), None, ("A", "B"))


def test_a_corpus_of_ones_own_is_not_said_to_be_coded_by_a_language_model():
    from analysis.report.findings import OWN_MEASURE

    claim = pd.Series({"frame": "law", "higher": "b", "lower": "a", "holds_in": 8, "estimated_in": 9})
    texts = [contrast_paragraph(claim, cells(), models(), "Law", "Jane Doe", str, OWN_MEASURE),
             hypotheses_paragraph(hypotheses(), detectable(), {}, str, OWN_MEASURE),
             detectable_paragraph(detectable(), OWN_MEASURE)]  # fmt: skip
    assert all("language model" not in t and "own coding file" in t for t in texts)


def intrusion_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """03's intrusion tables as it writes them: topics numbered from 1, the model's row ``all``."""
    precision = pd.DataFrame(
        {"topic": ["1", "2", "3", "all"], "n_tasks": [5, 5, 5, 15], "n_answers": [10, 10, 10, 30],
         "precision": [0.1, 0.9, 1.0, 2 / 3], "low": [0.0, 0.7, 1.0, 0.42], "high": [0.3, 1.0, 1.0, 0.87],
         "status": ["fails", "passes", "passes", "passes"]}
    )  # fmt: skip
    agreement = pd.DataFrame({"kind": ["word", "topic"], "n_coders": [2, 2], "n_tasks": [15, 4],
                              "alpha": [0.861, 0.5], "low": [0.64, -0.2], "high": [1.0, 1.0]})  # fmt: skip
    return precision, agreement


def test_the_intrusion_sentence_states_the_models_precision_the_failing_topics_and_alpha():
    precision, agreement = intrusion_tables()
    text = intrusion_sentence(precision, agreement, "nmf")
    assert "found the intruder word in 67% [42%, 87%] of 15 word tasks" in text
    assert "1 of 3 topics fails (topic 1: the interval of the precision below 0.5)" in text
    assert (
        "alpha between the 2 readers is 0.86 [0.64, 1.00] over 15 word tasks and 0.50 [-0.20, 1.00] over 4 topic"
        in text
    )
    assert "separate sessions of a language model" in text and "human" not in text.lower()
    passing = intrusion_sentence(precision.assign(status="passes"), agreement.iloc[:0], "lda")
    assert "none of the 3 topics fails" in passing and "one reader, so no agreement" in passing


def test_the_study_page_states_intrusion_only_where_03_wrote_it_and_never_the_seeds_readers_for_ones_own(tmp_path):
    from pathlib import Path

    from analysis.io import write_csv
    from analysis.report.findings import OWN_READERS
    from analysis.report.pages import RunPage
    from analysis.report.study import Study, intrusion_findings

    outputs = ["topics_nmf_intrusion.csv", "topics_nmf_intrusion_agreement.csv"]
    page = RunPage("03_topics_nmf", Path("03_topics.ipynb"), "t", {"method": "nmf"}, {}, [], [], outputs, None)

    def study(seed: bool) -> Study:
        return Study("T", "N", "S", [page], tmp_path, tmp_path, tmp_path, [], "", seed, {}, {})

    assert intrusion_findings(study(True), page) == []  # no answers: 03 wrote no intrusion table
    precision, agreement = intrusion_tables()
    write_csv(precision, tmp_path / outputs[0])
    write_csv(agreement, tmp_path / outputs[1])
    [seed] = intrusion_findings(study(True), page)
    assert "1 of 3 topics fails" in seed.text and "separate sessions of a language model" in seed.text
    [own] = intrusion_findings(study(False), page)
    assert "language model" not in own.text and "answer files are in the corpus's coding folder" in own.text
    assert OWN_READERS in own.text
