"""Keyness statistics against values worked out by hand from the published formulas."""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis.measures.keyness import (
    add_dispersion,
    add_leave_one_out,
    add_permutation_p,
    add_statistics,
    add_verdicts,
    compare_equivalents,
    count_groups,
    g2,
    keyness,
    keyness_dtm,
    keyness_name,
    log_odds_z,
    log_ratio,
    summarise_verdicts,
    top_keywords,
)
from analysis.text.dtm import build_dtm
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns

# The worked example: a feature seen 10 times in a target group of 100 tokens and 5 times in a
# reference group of 200 tokens.
A, B, N_A, N_B = 10, 5, 100, 200


def test_g2_by_hand():
    # Expected counts from the margins: 100 * 15 / 300 = 5, 200 * 15 / 300 = 10,
    # 100 * 285 / 300 = 95, 200 * 285 / 300 = 190 (Dunning 1993).
    by_hand = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
    assert by_hand == pytest.approx(7.329812, abs=1e-6)
    assert g2(A, B, N_A, N_B) == pytest.approx(by_hand)


def test_g2_agrees_with_scipy_on_many_tables():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 60, 50), rng.integers(0, 60, 50)
    ours = g2(a, b, 1000, 3000)
    for x, y, value in zip(a, b, ours):
        if x + y == 0:
            assert value == 0
            continue
        table = [[x, y], [1000 - x, 3000 - y]]
        theirs = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        assert value == pytest.approx(theirs)


def test_log_ratio_by_hand():
    # (10 / 100) / (5 / 200) = 4, log2 4 = 2 (Hardie 2014).
    assert log_ratio(A, B, N_A, N_B) == pytest.approx(2.0)
    # A zero count is taken as 0.5: log2((0.5 / 100) / (5 / 200)) = log2(0.2).
    assert log_ratio(0, B, N_A, N_B) == pytest.approx(math.log2(0.2))


def test_weighted_log_odds_by_hand():
    # Prior of 300 tokens shaped like the pooled counts: alpha_w = 300 * 15 / 300 = 15.
    # delta = ln(25 / 375) - ln(20 / 480) = ln 1.6; var = 1/25 + 1/20 = 0.09 (Monroe et al. 2008, eq. 16).
    delta, z = log_odds_z(A, B, N_A, N_B, alpha=15, alpha_0=300)
    assert delta == pytest.approx(math.log(1.6))
    assert z == pytest.approx(math.log(1.6) / 0.3)


def three_against_three(extra: dict[str, str]):
    """Six interviews of equal length; ``extra`` adds words to some of them."""
    docs = {}
    for doc_id in ["t1", "t2", "t3", "w1", "w2", "w3"]:
        audience = "turkish" if doc_id.startswith("t") else "western"
        words = "peace land army border " * 5 + extra.get(doc_id, "")
        docs[doc_id] = (audience, [words])
    return build_dtm(make_turns(docs), processor=TextProcessor(stem=False))


def test_keyness_table_uses_the_group_totals():
    dtm = three_against_three({"t1": "brother " * 4, "t2": "brother " * 4, "t3": "brother " * 4})
    table = keyness(dtm, "turkish", "western", min_count=1).set_index("label")
    row = table.loc["brother"]
    assert (row["count_target"], row["count_reference"]) == (12, 0)
    assert row["per_10k_target"] == pytest.approx(1e4 * 12 / 72)
    assert row["g2"] == pytest.approx(g2(12, 0, 72, 60))
    assert row["log_ratio"] == pytest.approx(math.log2((12 / 72) / (0.5 / 60)))
    assert (row["docs_target"], row["n_docs_target"], row["docs_reference"]) == (3, 3, 0)


def test_permutation_over_interviews_is_exact_when_few():
    # The three target interviews each say "brother"; no reference interview does. Of the
    # C(6, 3) = 20 ways to split six interviews, this split and its mirror are the most extreme:
    # two-sided p = 2 / 20.
    dtm = three_against_three({"t1": "brother " * 4, "t2": "brother " * 4, "t3": "brother " * 4})
    row = keyness(dtm, "turkish", "western", min_count=1).set_index("label").loc["brother"]
    assert row["perm_p"] == pytest.approx(0.1)
    assert row["key_for"] == "target"


def test_a_keyword_from_one_interview_is_flagged():
    dtm = three_against_three({"t1": "soros " * 12})
    row = keyness(dtm, "turkish", "western", min_count=1).set_index("label").loc["soros"]
    assert abs(row["z"]) >= 1.96
    assert row["verdict"] == "rests on one interview"
    assert (row["loo_doc"], row["top_doc"], row["top_share"], row["docs_target"]) == ("t1", "t1", 1.0, 1)


def test_reference_defaults_to_every_other_group(seed_turns):
    dtm = build_dtm(seed_turns)
    table = keyness(dtm, "turkish")
    assert set(table["n_docs_reference"]) == {20}  # 6 Russian + 11 Western + 3 other interviews
    pair = keyness(dtm, "turkish", "western").set_index("label")
    # "turkey": 139 uses in 5 of 6 Turkish interviews against 57 in 11 Western ones.
    assert pair.loc["turkey", ["count_target", "count_reference", "docs_target"]].tolist() == [139, 57, 5]
    # its interview-level p is below 0.05, but no word survives the correction over every word tested
    assert pair.loc["turkey", "perm_p"] < 0.05 and pair.loc["turkey", "q"] >= 0.05
    assert pair.loc["turkey", "verdict"] == "interview level, uncorrected"
    summary = summarise_verdicts(pair)
    assert summary.to_numpy().sum() == len(pair)
    top = top_keywords(pair, 5)
    assert list(top["side"]) == ["target"] * 5 + ["reference"] * 5


def test_same_input_same_table():
    dtm = three_against_three({"t1": "brother " * 4, "w2": "war " * 6})
    one = keyness(dtm, "turkish", "western", min_count=1, n_resamples=999, seed=3)
    two = keyness(dtm, "turkish", "western", min_count=1, n_resamples=999, seed=3)
    assert one.equals(two)


def test_the_steps_add_columns_without_changing_their_input():
    dtm = three_against_three({"t1": "brother " * 4, "t2": "brother " * 4, "w2": "war " * 6})
    groups = count_groups(dtm, "turkish", "western", min_count=1)
    assert (groups.n_a, groups.n_b, groups.a_docs.shape[0], groups.b_docs.shape[0]) == (68, 66, 3, 3)
    table = add_statistics(groups)
    steps = [
        (lambda t: add_dispersion(t, groups), ["docs_target", "top_share"]),
        (lambda t: add_permutation_p(t, groups, 999, 3), ["perm_p", "q"]),
        (lambda t: add_leave_one_out(t, groups), ["loo_z", "loo_doc"]),
        (lambda t: add_verdicts(t, 0.05), ["verdict"]),
    ]
    for step, added in steps:
        before = table.copy()
        result = step(table)
        assert table.equals(before), "a step changed its input"
        assert result[list(before.columns)].equals(before)
        assert set(added) <= set(result.columns) - set(before.columns)
        table = result
    whole = keyness(dtm, "turkish", "western", min_count=1, n_resamples=999, seed=3)
    sorted_steps = table.sort_values(["z", "feature"], ascending=[False, True], ignore_index=True)
    assert sorted_steps.equals(whole)


@pytest.mark.parametrize(
    "target, reference, message",
    [
        ("kurdish", None, "target group \\['kurdish'\\] has no units"),
        ("turkish", "turkish", "overlap"),
        ("turkish", "nordic", "reference group"),
    ],
)
def test_bad_groups_get_clear_errors(target, reference, message):
    dtm = three_against_three({})
    with pytest.raises(ValueError, match=message):
        keyness(dtm, target, reference)


def test_too_high_min_count_is_explained():
    with pytest.raises(ValueError, match="lower min_count"):
        keyness(three_against_three({}), "turkish", "western", min_count=1000)


@pytest.mark.parametrize("n_a, n_b, n_resamples", [(12, 15, 999), (6, 11, 9999), (5, 6, 9999), (3, 3, 5)])
def test_the_permutation_test_is_scipys_for_arrays_and_sparse_matrices_in_any_batch(monkeypatch, n_a, n_b, n_resamples):
    from scipy import sparse, stats

    from analysis.stats import resampling

    rng = np.random.default_rng(7)
    a = rng.random((n_a, 40)) * (rng.random((n_a, 40)) < 0.3)  # sparse-like, with ties at zero
    b = rng.random((n_b, 40)) * (rng.random((n_b, 40)) < 0.3)
    expected = stats.permutation_test(
        (a, b),
        lambda x, y, axis: x.mean(axis=axis) - y.mean(axis=axis),
        permutation_type="independent",
        vectorized=True,
        n_resamples=n_resamples,
        axis=0,
        rng=np.random.default_rng(0),
    ).pvalue
    assert np.array_equal(resampling.permutation_p(a, b, n_resamples, np.random.default_rng(0)), expected)
    monkeypatch.setattr(resampling, "_BATCH_BYTES", 8 * 40 * 3)  # three resamples a batch
    got = resampling.permutation_p(sparse.csr_matrix(a), sparse.csr_matrix(b), n_resamples, np.random.default_rng(0))
    assert np.array_equal(got, expected)


def test_verdicts_follow_the_correction_and_judge_leave_one_out_on_the_effect():
    from analysis.measures.keyness import add_verdicts

    table = pd.DataFrame(
        {
            "z": [3.0, 3.0, 3.0, 3.0, 3.0, -3.0, 1.0],
            "log_odds": [1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 0.2],
            # weakest log-odds with one interview left out: kept, kept, kept, halved and more, sign lost, kept
            "loo_log_odds": [0.6, 0.6, 0.6, 0.4, -0.1, -0.7, 0.2],
            "loo_z": [1.5, 1.5, 1.5, 1.0, -0.2, -1.5, 1.0],  # below 1.96: no longer decides anything
            "perm_p": [0.001, 0.01, 0.20, 0.001, 0.001, 0.001, 0.5],
            "q": [0.01, 0.30, 0.60, 0.01, 0.01, 0.01, 0.9],
        }
    )
    verdicts = add_verdicts(table, 0.05)["verdict"].tolist()
    assert verdicts == [
        "holds across interviews",
        "interview level, uncorrected",
        "token level only",
        "rests on one interview",
        "rests on one interview",
        "holds across interviews",
        "not key",
    ]


def test_the_global_test_finds_a_shared_difference_and_is_exact_on_few_interviews():
    from analysis.measures.keyness import global_test

    # Every Turkish interview adds "victory"; 3 + 3 interviews give C(6, 3) = 20 splits, and the
    # observed split and its mirror are the two most extreme: p = 2 / 20.
    shared = three_against_three({"t1": "victory " * 6, "t2": "victory " * 6, "t3": "victory " * 6})
    result = global_test(shared, "turkish", "western", min_count=1)
    assert result["n_resamples"] == 20 and result["p"] == pytest.approx(2 / 20)
    # The same words in every interview: nothing to find.
    same = three_against_three({})
    assert global_test(same, "turkish", "western", min_count=1)["p"] == 1.0


def test_the_keyness_summary_names_only_corrected_keywords():
    from analysis.measures.keyness import summarise_keyness

    table = pd.DataFrame(
        {
            "label": ["turkey", "brother", "sanction"],
            "z": [4.0, 2.5, -3.0],
            "perm_p": [0.0001, 0.01, 0.02],
            "verdict": ["holds across interviews", "interview level, uncorrected", "interview level, uncorrected"],
            "n_docs_target": 6,
            "n_docs_reference": 6,
        }
    )
    overall = {"statistic": 700.0, "p": 0.001, "n_resamples": 924, "n_features": 3, "null_median": 250.0}
    lines = summarise_keyness(table, overall, ("Turkish", "Russian"))
    assert "vocabularies of Turkish and Russian interviews differ" in lines[0]
    assert "1 survive the Benjamini-Hochberg correction: turkey (Turkish)." in lines[1]
    assert "brother" not in lines[1] and "2 more pass only uncorrected" in lines[1]
    # 2 / C(12, 6) = 0.0022 > 0.05 / 3 is false here: a word can survive
    assert "no single word can" not in lines[2]
    many = pd.concat([table] * 200, ignore_index=True)  # 600 words: 0.05 / 600 < 2 / 924
    assert "no single word can" in summarise_keyness(many, overall, ("Turkish", "Russian"))[2]


def test_keyword_rates_count_each_interview_with_its_tokens():
    from analysis.measures.keyness import keyword_rates

    dtm = three_against_three({"t1": "victory victory", "w2": "victory"})
    table = keyword_rates(dtm, ["victory"], "turkish").set_index("doc_id")
    assert table.loc["t1", "victory"] == 2 and table.loc["w2", "victory"] == 1 and table.loc["t2", "victory"] == 0
    assert set(table["audience"]) == {"turkish", "rest"}
    assert table.loc["t1", "n_tokens"] == 22  # 20 words of every interview plus the two added


def test_keyness_name_marks_only_what_differs_from_the_defaults():
    assert keyness_name("turkish", "western") == "keyness_turkish_vs_western"
    assert keyness_name("a", None, "interviewer", "turn") == "keyness_a_vs_rest_interviewer_turn"
    assert "/" not in keyness_name("../../x", "y")  # a plain file name, inside figures/


def _equivalents_corpus():
    """Two interviews per group; "nation" is a translation of "people" (one interview says both)."""
    texts = {"h1": ["people nation war"] * 3, "h2": ["people war peace"] * 3, "a1": ["war peace"] * 3,
             "a2": ["nation peace war"] * 3}  # fmt: skip
    turns = make_turns({d: ("home" if d[0] == "h" else "away", t) for d, t in texts.items()})
    return turns, SimpleNamespace(stop_words=["peace"], speaker_names_are_stop_words=False)


def test_keyness_dtm_leaves_out_the_corpus_stop_words_and_merges_equivalents_it_has():
    turns, cfg = _equivalents_corpus()
    matrices = keyness_dtm(turns, cfg, unit="interview", equivalents={"nation": "people", "absent": "war"})
    before = dict(zip(matrices.unmerged.features["label"], matrices.unmerged.features["count"]))
    after = dict(zip(matrices.dtm.features["label"], matrices.dtm.features["count"]))
    assert before == {"people": 6, "nation": 6, "war": 12} and after == {"people": 12, "war": 12}
    assert list(matrices.dtm.units["doc_id"]) == list(matrices.unmerged.units["doc_id"])


def test_compare_equivalents_shows_each_label_separately_then_merged():
    turns, cfg = _equivalents_corpus()
    matrices = keyness_dtm(turns, cfg, equivalents={"nation": "people"})
    table = keyness(matrices.dtm, "home", "away", min_count=1, n_resamples=9)
    both = compare_equivalents(matrices, table, {"nation": "people"}, "home", "away", min_count=1, n_resamples=9)
    assert both[["counted", "label", "count_target"]].values.tolist() == [
        ["separately", "people", 6], ["separately", "nation", 3], ["merged", "people", 9]]  # fmt: skip
    assert compare_equivalents(matrices, table, {"absent": "war"}, "home", "away").empty
