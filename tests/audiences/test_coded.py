"""Frame measures from the coding by reading, on tiny tables whose shares can be checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.audiences.coded import (
    coded_and_detected,
    coded_pairs,
    detect,
    disagreements,
    errors_by_group,
    frame_shares,
    paragraph_table,
)

FRAMES = ["legal", "victims"]


def _paragraphs():
    # Interview a (turkish): a question turn, then a two-paragraph answer; interview b (western):
    # one question, one answer paragraph, then a second answer turn to the same question.
    rows = [
        ("a-001-p1", "a", "a-001", "interviewer", "turkish", "", 10, 1, 0, "Is international law on your side?"),
        ("a-002-p1", "a", "a-002", "focal", "turkish", "a-001", 30, 1, 1, "International law. Civilians were killed."),
        ("a-002-p2", "a", "a-002", "focal", "turkish", "a-001", 10, 0, 0, "Thank you."),
        ("b-001-p1", "b", "b-001", "interviewer", "western", "", 5, 0, 1, "Were civilians killed?"),
        ("b-002-p1", "b", "b-002", "focal", "western", "b-001", 20, 0, 0, "We never target civilians."),
        ("b-003-p1", "b", "b-003", "focal", "western", "b-001", 20, 0, 1, "Ganja was shelled; civilians were killed."),
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "para_id",
            "doc_id",
            "turn_id",
            "role",
            "audience",
            "question_id",
            "n_words",
            "legal",
            "victims",
            "text",
        ],
    )
    return table.assign(outlet=table["doc_id"].str.upper(), kind="interview", date="2020-10-01", translated="false")


def test_shares_of_paragraphs_and_of_words_worked_by_hand():
    by_paragraph = frame_shares(_paragraphs(), FRAMES).set_index("doc_id")
    assert by_paragraph.loc["a", "legal"] == 0.5 and by_paragraph.loc["a", "victims"] == 0.5
    assert by_paragraph.loc["b", "legal"] == 0 and by_paragraph.loc["b", "victims"] == 0.5
    assert by_paragraph.loc["a", "n_units"] == 2 and by_paragraph.loc["a", "n_words"] == 40
    by_words = frame_shares(_paragraphs(), FRAMES, weight="words").set_index("doc_id")
    assert by_words.loc["a", "legal"] == pytest.approx(30 / 40)
    questions = frame_shares(_paragraphs(), FRAMES, role="interviewer").set_index("doc_id")
    assert questions.loc["a", "legal"] == 1 and questions.loc["b", "victims"] == 1


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="weight"):
        frame_shares(_paragraphs(), FRAMES, weight="tokens")
    with pytest.raises(ValueError, match="no paragraphs of role"):
        frame_shares(_paragraphs(), FRAMES, role="narrator")


def test_uncoded_units_stop_the_analysis():
    units = _paragraphs().drop(columns=FRAMES)
    coded = _paragraphs()[["para_id", *FRAMES]].iloc[1:]
    documents = pd.DataFrame({"doc_id": ["a", "b"], "date": ["", ""], "translated": ["", ""]})
    with pytest.raises(ValueError, match="1 coding units are not coded"):
        paragraph_table(units, coded, documents)


def test_question_answer_pairs_from_the_coding():
    pairs = coded_pairs(_paragraphs(), FRAMES).set_index("question_id")
    assert list(pairs.index) == ["a-001", "b-001"]
    assert pairs.loc["a-001", ["q_legal", "a_legal", "a_victims"]].tolist() == [1, 1, 1]
    # interview b: two answer turns to one question, merged; the second carries victims
    assert pairs.loc["b-001", "answer_id"] == "b-002" and pairs.loc["b-001", "a_victims"] == 1


def test_the_detector_beside_the_coding_and_its_errors_by_audience():
    coded = _paragraphs()
    found = detect(coded)
    # "We never target civilians." is negated for victims; the Ganja paragraph is found
    assert found.set_index("para_id").loc["b-002-p1", "victims"] == 0
    assert found.set_index("para_id").loc["b-003-p1", "victims"] == 1
    codebook_ids = [c for c in found.columns if c not in coded.columns or c in FRAMES]
    assert set(FRAMES) <= set(codebook_ids)
    side = coded_and_detected(frame_shares(coded, FRAMES), frame_shares(found, FRAMES), FRAMES)
    row = side.set_index(["frame", "group"]).loc[("legal", "turkish")]
    assert row["coded"] == 0.5 and row["difference"] == row["detected"] - row["coded"]
    errors = errors_by_group(coded, found, FRAMES)
    assert set(errors["audience"]) == {"turkish", "western"}
    western = errors[(errors["audience"] == "western") & (errors["frame"] == "victims")].iloc[0]
    assert western["n_gold"] == 2 and western["tp"] == 2


def test_disagreements_list_both_passes_and_the_reason():
    first = pd.DataFrame({"para_id": ["x", "y"], "frames": ["legal", ""]})
    second = pd.DataFrame({"para_id": ["x", "y"], "frames": ["legal", "victims"]})
    final = pd.DataFrame({"para_id": ["x", "y"], "frames": ["legal", "victims"], "note": ["", "civilians in Ganja"]})
    units = pd.DataFrame({"para_id": ["x", "y"], "role": ["focal", "focal"], "text": ["t1", "t2"]})
    table = disagreements(first, second, final, units)
    assert table.to_dict("records") == [
        {
            "para_id": "y",
            "role": "focal",
            "pass1": "",
            "pass2": "victims",
            "final": "victims",
            "reason": "civilians in Ganja",
            "text": "t2",
        }
    ]


def _summary(p_values, p_holm, alphas=(0.9, 0.9), ci_low=(0.85, 0.85)):
    from analysis.audiences.sentences import summary_lines

    return summary_lines(*_summary_inputs(p_values, p_holm, alphas, ci_low), speaker="Aliyev")


def _summary_inputs(p_values=(0.2, 0.5), p_holm=(0.4, 0.5), alphas=(0.9, 0.9), ci_low=(0.85, 0.85)):
    labels = {"legal": "Law", "victims": "Victims"}
    alpha = pd.DataFrame(
        {
            "frame": ["legal", "victims", "all frames"],
            "n_units": [100, 100, 200],
            "alpha": [*alphas, 0.9],
            "ci_low": [*ci_low, 0.85],
            "ci_high": [1, 1, 1],
            "verdict": [("reliable" if a >= 0.8 else "tentative" if a >= 0.667 else "unreliable") for a in alphas]
            + ["reliable"],
        }
    )
    tests = pd.DataFrame(
        {
            "group_a": "turkish",
            "group_b": "western",
            "frame": ["legal", "victims"],
            "mean_a": [0.4, 0.1],
            "mean_b": [0.1, 0.2],
            "p": p_values,
            "p_holm": p_holm,
        }
    )
    means = pd.DataFrame(
        {"frame": ["legal", "victims"] * 2, "group": ["turkish"] * 2 + ["western"] * 2, "mean": [0.4, 0.1, 0.1, 0.2]}
    )
    side = pd.DataFrame({"frame": ["legal", "victims"], "group": "turkish", "difference": [0.1, -0.02]})
    return alpha, tests, tests, means, side, labels, str, 300


def test_the_summary_calls_established_only_what_survives_holm():
    lines = _summary(p_values=[0.001, 0.03], p_holm=[0.002, 0.06])
    answers = next(line for line in lines if "Aliyev's answers" in line)
    assert "1 of 2 survive Holm's correction: Law (turkish 40% vs western 10% of paragraphs, p = 0.001" in answers
    assert "1 more have an uncorrected p below 0.05" in answers and "not findings" in answers
    assert "Victims (" not in answers  # the uncorrected one is never named as a difference


def test_the_summary_says_when_nothing_survives():
    lines = _summary(p_values=[0.2, 0.5], p_holm=[0.4, 0.5])
    answers = next(line for line in lines if "Aliyev's answers" in line)
    assert "0 of 2 survive Holm's correction." in answers and "uncorrected" not in answers


def test_the_summary_grades_reliability_by_krippendorffs_thresholds():
    line = _summary([0.2, 0.5], [0.4, 0.5], alphas=(0.7, 0.5), ci_low=(0.6, 0.4))[0]
    assert "tentative: Law" in line and "too unreliable to draw conclusions from: Victims" in line
    line = _summary([0.2, 0.5], [0.4, 0.5], alphas=(0.85, 0.95), ci_low=(0.75, 0.9))[0]
    assert "Every frame reaches 0.80, though the interval of Law reaches below it." in line


def test_the_measurement_sentence_names_the_coding_model_based_and_never_independent_human():
    line = _summary([0.2, 0.5], [0.4, 0.5])[0]
    assert "separate sessions of a language model, not by people" in line
    assert "made in a separate session without the first" in line and "not a check against human reading" in line
    assert "independent" not in line.lower() and "human coders" not in line.lower()


def test_model_and_hypothesis_lines_follow_the_correction():
    from analysis.audiences.coded import directional_tests
    from analysis.audiences.sentences import summary_lines

    effects = pd.DataFrame(
        {
            "frame": ["legal", "victims"],
            "group_a": "turkish",
            "group_b": "western",
            "ratio": [0.2, 3.0],
            "low": [0.1, 0.5],
            "high": [0.4, 9.0],
            "p": [0.0001, 0.02],
            "note": ["", ""],
        }
    )
    effects["p_holm"] = [0.0002, 0.02 * 1]
    hypotheses = directional_tests(effects, [("legal", "western", "turkish"), ("victims", "western", "turkish")])
    # legal: odds ratio western/turkish = 5, one-sided p = 0.00005; victims points the other way
    assert hypotheses["odds_ratio"].tolist() == pytest.approx([5.0, 1 / 3])
    assert hypotheses["supported"].tolist() == [True, False]
    with_models = summary_lines(
        *_summary_inputs(), effects=effects, hypotheses=hypotheses, confounded={("turkish", "western")}
    )
    model = next(line for line in with_models if "Every paragraph weighed" in line)
    assert "2 of 2 audience contrasts survive" in model and "translated against English" in model
    stated = next(line for line in with_models if "Pre-specified" in line)
    assert "1 of 2 supported: Law higher for western than turkish" in stated
    assert "Not supported: Victims higher for western than turkish" in stated


def test_an_established_difference_is_stated_with_its_welch_interval():
    from analysis.audiences.sentences import summary_lines

    alpha, tests, _, means, side, labels, label, n = _summary_inputs(p_values=[0.001, 0.03], p_holm=[0.002, 0.06])
    tests = tests.assign(difference=[0.3, -0.1], welch_low=[0.12, -0.25], welch_high=[0.48, 0.05])
    answers = next(
        line for line in summary_lines(alpha, tests, tests, means, side, labels, label, n) if "answers" in line
    )
    assert (
        "Law (turkish 40% vs western 10% of paragraphs, difference +30 points, Welch 95% interval [+12, +48]" in answers
    )


def test_the_model_table_keeps_an_unknown_translation_status_apart():
    from analysis.audiences.coded import model_table

    paragraphs = pd.DataFrame(
        {
            "role": ["focal"] * 3,
            "kind": ["interview"] * 3,
            "turn_id": ["t1", "t2", "t3"],
            "question_id": [None, None, None],
            "date": ["2020-10-01"] * 3,
            "n_words": [10, 20, 30],
            "translated": ["true", "false", ""],
            "x": [1, 0, 1],
        }
    )
    table = model_table(paragraphs, ["x"])
    assert table["translated"].tolist() == [1, 0, 0] and table["translation_unknown"].tolist() == [0, 0, 1]


def test_without_a_speaker_the_summary_names_the_focal_speaker_not_the_seed_studys():
    from analysis.audiences.sentences import summary_lines

    lines = summary_lines(*_summary_inputs())
    assert any("The focal speaker's answers" in line or "the focal speaker's answers" in line for line in lines)
    assert not any("Aliyev" in line for line in lines)
