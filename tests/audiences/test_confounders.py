"""Confounder checks: the date window re-estimates the pre-specified contrasts on the window's
interviews only, beside all interviews; translation balance per pair; the sentences' wording."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.audiences.coded import directional_tests
from analysis.audiences.confounders import common_window, in_window, translation_balance, window_check
from analysis.audiences.sentences import translation_line, window_line
from analysis.stats.models import presence_effects

HYPOTHESES = [("turkey", "t", "w")]
WINDOW = ("2020-10-05", "2020-10-19")


def _data():
    """Eight interviews (four per audience), half inside the window; four answer paragraphs each."""
    dates = ["2020-10-01", "2020-10-05", "2020-10-12", "2020-10-30"]
    rows, shares = [], []
    for g, present in (("t", [1, 1, 1, 0, 1, 0, 1, 1]), ("w", [0, 0, 1, 0, 0, 1, 0, 0])):
        for i, date in enumerate(dates):
            doc = f"{g}{i}"
            flags = [present[(2 * i + j) % 8] for j in range(4)]
            rows += [{"doc_id": doc, "audience": g, "date": date, "turkey": f} for f in flags]
            shares.append({"doc_id": doc, "audience": g, "date": date, "turkey": np.mean(flags)})
    return pd.DataFrame(rows), pd.DataFrame(shares)


def test_the_window_includes_both_ends_and_drops_undated_rows():
    table = pd.DataFrame({"date": ["2020-10-04", "2020-10-05", "2020-10-19", "2020-10-20", "", "5 Oct"]})
    assert in_window(table, WINDOW).index.tolist() == [1, 2]
    with pytest.raises(ValueError, match="ends"):
        in_window(table, ("2020-10-19", "2020-10-05"))


def test_the_window_re_estimates_on_its_interviews_only_beside_all_interviews():
    paragraphs, shares = _data()
    table = window_check(paragraphs, shares, HYPOTHESES, WINDOW, covariates=())
    assert table["scope"].tolist() == ["all", "window"]
    full, inside = table.iloc[0], table.iloc[1]
    assert (full["n_higher"], full["n_lower"], inside["n_higher"], inside["n_lower"]) == (4, 4, 2, 2)
    expected_all = directional_tests(presence_effects(paragraphs, ["turkey"], ["t", "w"], covariates=()), HYPOTHESES)
    assert full["odds_ratio"] == pytest.approx(expected_all["odds_ratio"].iat[0])
    window_rows = paragraphs[paragraphs["date"].isin(["2020-10-05", "2020-10-12"])]
    expected = directional_tests(presence_effects(window_rows, ["turkey"], ["t", "w"], covariates=()), HYPOTHESES)
    assert inside["odds_ratio"] == pytest.approx(expected["odds_ratio"].iat[0])
    assert inside["low"] == pytest.approx(expected["low"].iat[0])
    # the interview shares' difference with Welch beside the model
    a = shares[(shares.audience == "t") & shares.date.isin(["2020-10-05", "2020-10-12"])]["turkey"]
    b = shares[(shares.audience == "w") & shares.date.isin(["2020-10-05", "2020-10-12"])]["turkey"]
    assert inside["share_difference"] == pytest.approx(a.mean() - b.mean())


def test_a_window_with_one_interview_of_an_audience_gives_no_estimate_and_says_so():
    paragraphs, shares = _data()
    table = window_check(paragraphs, shares, HYPOTHESES, ("2020-10-12", "2020-10-12"), covariates=())
    inside = table[table["scope"] == "window"].iloc[0]
    assert np.isnan(inside["odds_ratio"]) and "fewer than two interviews" in inside["note"]


def _rows(or_all, or_window, low, high, supported=(False, False)):
    return pd.DataFrame(
        {
            "frame": "turkey",
            "higher": "t",
            "lower": "w",
            "scope": ["all", "window"],
            "n_higher": [6, 6],
            "n_lower": [11, 4],
            "odds_ratio": [or_all, or_window],
            "low": [1.2, low],
            "high": [3.0, high],
            "supported": list(supported),
        }
    )


def test_the_window_sentence_calls_a_reversal_only_when_the_interval_excludes_one():
    crossed = window_line(_rows(2.0, 0.8, 0.3, 2.1, (True, False)), WINDOW, {"turkey": "Turkey"}, str.upper)
    assert "(6 T, 4 W interviews)" in crossed
    assert "1 of 1 pre-specified hypotheses are supported after Holm's correction on all interviews, 0 of 1" in crossed
    assert "Turkey, T vs W: odds ratio 0.80 [0.30, 2.10]" in crossed and "no reversal" in crossed
    reversed_ = window_line(_rows(2.0, 0.4, 0.2, 0.8), WINDOW, {"turkey": "Turkey"}, str.upper)
    assert "1 of these intervals excludes 1 (a reversal)" in reversed_
    same = window_line(_rows(2.0, 1.5, 0.7, 3.0), WINDOW, {"turkey": "Turkey"}, str.upper)
    assert "1 of 1 keep their odds ratio on the same side of 1" in same and "other side" not in same
    kept = window_line(_rows(2.0, 1.5, 1.1, 3.0, (True, True)), WINDOW, {"turkey": "Turkey"}, str.upper)
    assert "Supported in the window: Turkey, T vs W: odds ratio 1.50 [1.10, 3.00]." in kept


def test_translation_is_balanced_only_where_both_audiences_are_translated_alike(seed):
    docs = seed.documents[seed.documents["kind"] == "interview"]
    pairs = [("turkish", "russian"), ("turkish", "western"), ("russian", "western")]
    balance = translation_balance(docs, pairs)
    assert balance["balanced"].tolist() == [True, False, False]
    assert balance.iloc[0][["translated_a", "translated_b"]].tolist() == [6, 6]
    line = translation_line(balance, str.capitalize)
    assert "Turkish vs Russian (6 of 6 and 6 of 6 interviews translated): the only pair" in line
    assert "no pair" in translation_line(balance[~balance["balanced"]])


def test_the_default_window_runs_from_the_last_first_interview_to_the_first_last_one():
    table = pd.DataFrame(
        {
            "audience": ["t", "t", "t", "w", "w", "r"],
            "date": ["2020-10-01", "2020-10-20", "", "2020-10-05", "2020-10-30", "2020-10-12"],
        }
    )
    assert common_window(table, ["t", "w"]) == ("2020-10-05", "2020-10-20")
    assert common_window(table, ["t", "w", "r"]) == ("2020-10-12", "2020-10-12")
    # Spans that do not meet, or an audience without a dated interview: no window.
    apart = table.assign(date=["2020-10-01", "2020-10-02", "", "2020-10-05", "2020-10-30", ""])
    assert common_window(apart, ["t", "w"]) is None
    assert common_window(apart, ["t", "r"]) is None


def test_translation_labels_turn_with_the_pair_and_ignore_unknown_status():
    from analysis.audiences.confounders import label_contrasts, translation_label

    shares = pd.DataFrame(
        {
            "audience": ["t", "t", "w", "w", "w", "r", "r"],
            "translated": ["true", "true", "false", "false", "", "true", "true"],
        }
    )
    label = translation_label(shares)
    assert label("t", "w") == "translated vs English-language" and label("w", "t") == "English-language vs translated"
    assert label("t", "r") == ""
    table = label_contrasts(pd.DataFrame({"group_a": ["t", "t"], "group_b": ["w", "r"]}), label)
    assert table["translation"].tolist() == ["translated vs English-language", ""]
    unknown = translation_label(shares.assign(translated=["true", "true", "", "", "", "true", "true"]))
    assert unknown("t", "w") == ""  # unknown is not English


def test_the_balanced_pair_is_said_to_be_unable_to_pass_when_its_exact_floor_is_above_holm():
    from analysis.audiences.sentences import balanced_power_line
    from analysis.stats.intervals import power_table

    balance = pd.DataFrame({"group_a": ["t", "t"], "group_b": ["r", "w"], "balanced": [True, False]})
    power = power_table({"t": 6, "r": 6, "w": 10}, [("t", "r"), ("t", "w")], n_tests=39)
    line = balanced_power_line(balance, power, 39)
    # C(12, 6) = 924 splits, two-sided floor 2/924 = 0.00216 > 0.05/39 = 0.00128
    assert "t vs r (6 and 6 interviews): smallest exact p 0.00216 against 0.05/39 = 0.00128" in line
    assert "can never pass the correction" in line and "Every other contrast" in line
    alone = balanced_power_line(balance.iloc[:1], power, 39)
    assert "Every other contrast" not in alone  # one pair, balanced: there is no other
    assert "No pair" in balanced_power_line(balance.assign(balanced=False), power, 39)


def test_an_unknown_translation_status_is_never_counted_as_not_translated():
    from analysis.audiences.comparisons import robustness_table, translation_table
    from analysis.stats.models import design

    docs = pd.DataFrame(
        {"audience": ["a", "a", "b", "b", "c", "c"], "translated": ["false", "false", "false", "", "true", "true"]}
    )
    balance = translation_balance(docs, [("a", "b")]).iloc[0]
    # a and b both have no translated interview, but b's second status is unknown: not balanced
    assert (balance["unknown_a"], balance["unknown_b"], balance["balanced"]) == (0, 1, False)
    assert translation_table(docs).loc["b"].to_dict() == {"false": 1, "true": 0, "unknown": 1}
    keys = {"group_a": ["b"], "group_b": ["c"], "frame": ["x"]}
    tests = pd.DataFrame({**keys, "difference": [0.1], "p": [0.5], "p_holm": [0.5]})
    loo = pd.DataFrame({**keys, "holds": [False], "weakest_without": [""]})
    # b: 0 of 1 known translated; c: 2 of 2; the unknown one does not dilute b's share
    assert robustness_table(tests, loo, None, docs.assign(doc_id=range(6)))["translation_confounded"].item()
    # in a model, unknown is a level of its own beside translated, not a 0 of translated
    table = pd.DataFrame(
        {
            "audience": ["a", "a", "a", "b", "b", "b"],
            "translated": [0, 1, 0, 1, 0, 0],
            "translation_unknown": [0, 0, 1, 0, 0, 1],
        }
    )
    X, dropped = design(table, ["a", "b"], ["translated"])
    assert "translation_unknown" in X.columns and dropped == []


def test_the_translation_note_names_translated_and_original_groups_with_counts(seed):
    from analysis.audiences.confounders import translation_note

    docs = seed.documents[seed.documents["kind"] == "interview"]
    note = translation_note(docs, ["turkish", "russian", "western"], str.capitalize)
    counts = docs.groupby("audience")["translated"].agg(lambda s: (s == "true").sum())
    assert note.startswith(f"Translated: Turkish {counts['turkish']} of {(docs.audience == 'turkish').sum()}")
    assert "not translated: Western" in note and note.endswith("may be translation.")
    both = pd.DataFrame({"audience": ["a", "b", "b"], "translated": ["true", "true", ""]})
    assert translation_note(both, ["a", "b"]) == "Translated: a 1 of 1, b 1 of 2 (1 unknown)."
