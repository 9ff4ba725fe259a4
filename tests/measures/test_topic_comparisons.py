"""Audience comparisons of topic shares: the log-ratio worked by hand, Welch and the exact
permutation test against scipy, Holm over the stable topics only, and the summary's wording
rules (established only after Holm; unstable topics never tested)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.measures.sentences import topic_summary_lines
from analysis.measures.topic_comparisons import (
    compare_topic_pairs,
    compare_topic_shares,
    model_shares,
    odds_ratios,
    pair_effects,
    share_logits,
    tabulate_shares,
    translation_caption,
    translation_confounded,
    untestable_pairs,
)
from analysis.measures.topics import fit_topics, stable_topics
from analysis.stats.intervals import power_table
from analysis.text.dtm import build_dtm
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns


def _shares(seed=0):
    """Four interviews per audience, three topics (rows sum to one); topic 0 much larger for t."""
    rng = np.random.default_rng(seed)
    rows = []
    for g, base in (("t", [0.6, 0.2, 0.2]), ("w", [0.2, 0.4, 0.4])):
        for i in range(4):
            s = np.array(base) + rng.uniform(-0.05, 0.05, 3)
            s /= s.sum()
            rows.append({"doc_id": f"{g}{i}", "audience": g, "n_tokens": 200 + 100 * i, 0: s[0], 1: s[1], 2: s[2]})
    return pd.DataFrame(rows)


def test_the_log_ratio_is_the_empirical_logit_worked_by_hand():
    table = pd.DataFrame({"doc_id": ["a"], "audience": ["t"], "n_tokens": [95], 0: [0.0], 1: [1.0]})
    logits = share_logits(table, [0, 1])
    # share 0 of 95 tokens: log(0.5 / 95.5); share 1: log(95.5 / 0.5)
    assert logits.loc[0, 0] == pytest.approx(np.log(0.5 / 95.5))
    assert logits.loc[0, 1] == pytest.approx(np.log(95.5 / 0.5))
    assert table.loc[0, 0] == 0.0  # the input is left alone
    with pytest.raises(ValueError, match="needs tokens"):
        share_logits(table.assign(n_tokens=0), [0])


def test_welch_and_exact_permutation_agree_with_scipy_and_holm_covers_stable_topics_only():
    shares = _shares()
    table = compare_topic_shares(shares, ["zero", "one", "two"], [("t", "w")], stable=[0, 1], n_resamples=9999)
    logits = share_logits(shares, [0, 1, 2])
    a, b = logits.loc[logits.audience == "t", 0], logits.loc[logits.audience == "w", 0]
    row = table.iloc[0]
    assert row["difference"] == pytest.approx(a.mean() - b.mean())
    assert row["welch_p"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    exact = stats.permutation_test(
        (a.to_numpy(), b.to_numpy()),
        lambda x, y: x.mean() - y.mean(),
        permutation_type="independent",
        n_resamples=np.inf,
    )
    assert row["p"] == pytest.approx(exact.pvalue)  # 70 splits, every one enumerated: 2/70
    unstable = table[~table["stable"]].iloc[0]
    assert unstable["topic"] == 2 and np.isnan(unstable["p"]) and np.isnan(unstable["p_holm"])
    assert not unstable["survives_holm"]
    tested = table[table["stable"]]
    assert tested["p_holm"].tolist() == pytest.approx(np.minimum(1, 2 * tested["p"].min()) * np.ones(2))


def test_a_pair_with_one_interview_is_left_out():
    shares = _shares()
    shares = shares[~shares["doc_id"].isin(["w1", "w2", "w3"])]
    assert compare_topic_shares(shares, ["a", "b", "c"], [("t", "w")], [0, 1, 2], 99).empty


def test_stable_topics_reach_the_threshold():
    assert stable_topics([0.95, 0.79, 0.8], 0.8) == [0, 2]


def _tests(p, p_holm, stable=True, established=None):
    established = [h < 0.05 for h in p_holm] if established is None else established
    return pd.DataFrame(
        {
            "group_a": "t",
            "group_b": "w",
            "topic": range(len(p)),
            "label": [f"words {i}" for i in range(len(p))],
            "stable": stable,
            "n_a": 6,
            "n_b": 11,
            "share_a": 0.3,
            "share_b": 0.1,
            "difference": np.log(3.0),
            "low": np.log(1.5),
            "high": np.log(6.0),
            "welch_p": p,
            "p": p,
            "p_holm": p_holm,
            "survives_holm": established,
        }
    )


def _effects(p_holm):
    return pd.DataFrame(
        {
            "frame": range(len(p_holm)),
            "group_a": "t",
            "group_b": "w",
            "ratio": 2.0,
            "low": 1.2,
            "high": 3.3,
            "p": p_holm,
            "p_holm": p_holm,
        }
    )


POWER = power_table({"t": 6, "w": 11}, [("t", "w")], n_tests=2)


def test_the_summary_calls_established_only_what_survives_holm():
    lines = topic_summary_lines(_tests([0.001, 0.03], [0.002, 0.06]), _effects([0.5, 0.5]), POWER, 2, str.upper)
    text = "\n".join(lines)
    established, patterns = text.split("patterns to examine")
    assert "survive Holm under this model (not yet established: see the checks): topic 1 (words 0)" in established
    assert "topic 2" not in established
    assert "topic 2 (words 1), T vs W" in patterns and "not findings" in patterns
    assert "odds ratio 3.00 [1.50, 6.00]" in text  # the effect with its interval
    assert "80% power" in text and "after correcting over 2 tests" in text


def test_the_summary_says_when_nothing_survives_and_never_tests_unstable_topics():
    tests = _tests([0.2, 0.001], [0.4, np.nan], stable=[True, False], established=[False, False])
    text = "\n".join(topic_summary_lines(tests, _effects([0.6]), POWER, 2, str.upper))
    assert "none survives the correction" in text
    assert "1 of 2 topics is stable enough" in text and "the other 1 is shown but not tested" in text
    assert "words 1" not in text  # the unstable topic's small p is never reported
    assert "no contrast survives Holm's correction over 1" in text


def test_a_model_result_the_permutation_test_does_not_establish_is_said_to_rest_on_the_model():
    tests = _tests([0.001, 0.2], [0.002, 0.4])
    text = "\n".join(topic_summary_lines(tests, _effects([0.01, 0.02]), POWER, 2, str.upper))
    model_line = next(line for line in text.split("\n") if "fractional logit" in line)
    assert "2 of 2 contrasts survive" in model_line
    assert "1 of them rest on the model alone" in model_line and "topic 2, T vs W" in model_line
    assert "topic 1," not in model_line.split("model alone")[1]


def test_pairs_read_in_the_asked_direction_and_translation_is_flagged():
    effects = _effects([0.01]).assign(group_a="w", group_b="t", ratio=4.0, low=2.0, high=8.0)
    turned = pair_effects(effects, [("t", "w")]).iloc[0]
    assert (turned["group_a"], turned["ratio"], turned["low"], turned["high"]) == ("t", 0.25, 0.125, 0.5)
    shares = pd.DataFrame({"audience": ["t", "t", "w", "w", "r"], "translated": ["true", "true", "false", "", "true"]})
    assert translation_confounded(shares, [("t", "w"), ("t", "r")]) == {("t", "w")}
    text = "\n".join(topic_summary_lines(_tests([0.001], [0.001]), _effects([0.5]), POWER, 1, str.upper, {("t", "w")}))
    assert "* **Translation.** T vs W" in text
    assert (
        "Holm p = 0.001; weighted model 2.00 [1.20, 3.30], Holm p = 0.500; translated against English interviews"
        in text
    )


def test_a_group_of_one_interview_is_said_untestable_and_the_summary_does_not_crash():
    """Issue 29 item 1: a group with one interview crashed 03_topics (KeyError 'established')."""
    shares = _shares()
    shares = shares[~shares["doc_id"].isin(["w1", "w2", "w3"])]
    tests = compare_topic_shares(shares, ["a", "b", "c"], [("t", "w")], [0, 1, 2], 99)
    assert "survives_holm" in tests[tests["stable"]].columns  # rows selected, not columns
    untestable = untestable_pairs(shares, [("t", "w")], str.upper)
    assert untestable == [
        "T vs W cannot be tested: W has 1 interview, and a comparison over interviews needs at least two in each group."
    ]
    text = "\n".join(topic_summary_lines(tests, _effects([]), POWER, 3, str.upper, untestable=untestable))
    assert text == f"* **Not testable.** {untestable[0]}"
    assert untestable_pairs(_shares(), [("t", "w")]) == []


def test_a_figure_caption_names_the_translated_against_english_pairs():
    assert translation_caption(set()) == ""
    assert translation_caption({("t", "w"), ("r", "w")}, str.upper) == (
        " R vs W, T vs W compare translated with English-language interviews: a difference there may be the "
        "translators' wording as much as the speaker's."
    )


def _translated_shares():
    """:func:`_shares` with every t interview translated and no w interview, and a day of the war."""
    shares = _shares()
    return shares.assign(translated=np.where(shares["audience"] == "t", "true", "false"), day=range(len(shares)))


def test_compare_topic_pairs_skips_missing_pairs_and_flags_translation():
    shares = _translated_shares()
    comparison = compare_topic_pairs(shares, ["zero", "one", "two"], [["t", "w"], ["t", "x"]], [0, 1], 999, seed=3)
    assert comparison.pairs == [("t", "w")] and comparison.skipped == [("t", "x")] and comparison.untestable == []
    assert comparison.confounded == {("t", "w")} and comparison.differences["translated_vs_english"].all()
    alone = compare_topic_shares(shares, ["zero", "one", "two"], [("t", "w")], [0, 1], 999, seed=3)
    pd.testing.assert_frame_equal(comparison.differences.drop(columns="translated_vs_english"), alone)
    assert list(comparison.tested["topic"]) == [0, 1]
    pd.testing.assert_frame_equal(comparison.power, power_table({"t": 4, "w": 4}, [("t", "w")], n_tests=2))
    every = compare_topic_pairs(shares, ["zero", "one", "two"], None, [0], 99, groups=["t", "w"])
    assert every.pairs == [("t", "w")] and every.skipped == []


def test_compare_topic_pairs_says_a_group_of_one_interview_cannot_be_tested():
    shares = _translated_shares().iloc[:5]  # four t interviews, one w
    comparison = compare_topic_pairs(shares, ["zero", "one", "two"], [("t", "w")], [0], 99, group_label=str.upper)
    assert comparison.differences.empty and comparison.untestable[0].startswith("T vs W cannot be tested: W has 1")


def test_odds_ratios_replace_the_log_differences():
    table = pd.DataFrame(
        {"topic": [1, 2], "difference": [0.0, np.log(2)], "low": [-1.0, 0.0], "high": [1.0, np.log(4)]}
    )
    ratios = odds_ratios(table)
    assert list(ratios.columns) == ["topic", "ratio", "ratio_low", "ratio_high"]
    assert ratios["ratio"].tolist() == pytest.approx([1, 2]) and ratios["ratio_high"].tolist() == pytest.approx(
        [np.e, 4]
    )


def test_model_shares_reads_each_pair_as_asked_and_is_empty_without_a_stable_topic():
    shares = _translated_shares()
    comparison = compare_topic_pairs(shares, ["zero", "one", "two"], [("w", "t")], [0], 99)
    effects = model_shares(shares, [0], comparison, ["t", "w", "x"])
    assert effects[["group_a", "group_b", "frame"]].values.tolist() == [["w", "t", 0]]
    assert effects["ratio"].iat[0] < 1 and effects["translated_vs_english"].iat[0]  # topic 0 is larger for t
    empty = model_shares(shares, [], comparison, ["t", "w"])
    assert empty.empty and {"ratio", "p_holm", "translated_vs_english"} <= set(empty.columns)


def test_tabulate_shares_gives_each_interview_its_logits_and_each_audience_its_intervals():
    docs = {f"{g}{i}": (g, [f"{a} {a} {b}", f"{b} {b} {a}"]) for g, a, b in (("t", "oil", "gas"), ("w", "gas", "oil"))
            for i in range(3)}  # fmt: skip
    dtm = build_dtm(make_turns(docs), unit="turn", processor=TextProcessor(stem=False))
    model = fit_topics(dtm, 2, "nmf")
    shares = tabulate_shares(model, dtm)
    assert list(shares.per_interview["doc_id"]) == sorted(docs) and len(shares.intervals) == 2 * 2
    row = shares.per_interview.iloc[0]
    assert shares.logits.loc[0, 0] == pytest.approx(
        np.log((row[0] * row["n_tokens"] + 0.5) / ((1 - row[0]) * row["n_tokens"] + 0.5))
    )
    assert set(shares.by_audience["group"]) == {"t", "w"} and shares.by_audience["share"].between(0, 1).all()
