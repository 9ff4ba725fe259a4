"""The measures stage's sentences (analysis/measures/sentences.py) on tables small enough to read:
what 03_topics says beside its tables. The summary's writers moved here unchanged are tested in
tests/measures/test_topic_comparisons.py and tests/measures/test_topic_checks.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures.sentences import (
    differences_caption,
    holm_line,
    k_choice_lines,
    match_line,
    models_line,
    passage_lines,
    skipped_lines,
    stable_line,
)
from analysis.measures.topic_checks import TopicChecks
from analysis.measures.topic_comparisons import TopicComparison, translation_caption
from analysis.measures.topics import GridPlan, TopicChoice, TopicModel, k_rule_note
from analysis.text.dtm import build_dtm
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns

GRID = pd.DataFrame(
    {
        "k": [2, 3],
        "coherence": [0.1, 0.2],
        "exclusivity": [0.5, 0.6],
        "heldout": [-7.0, -6.9],
        "heldout_se": [0.2, 0.2],
        "stability": [0.9, 0.85],
    }
)


def _choice(k, asked=(2, 3), note=""):
    return TopicChoice(GRID, k, GridPlan(10, [0, 1], 3, note), 3, list(asked), [2, 3])


def test_k_choice_says_why_k_and_what_the_matrix_cannot_hold():
    assert k_choice_lines(_choice(2)) == [k_rule_note(GRID, 2)]
    lines = k_choice_lines(_choice(3, asked=(2, 3, 8), note="Reduced grid."))
    assert lines[:2] == ["Reduced grid.", "*This corpus allows at most 3 topics: the grid keeps k <= 3.*"]
    assert lines[2].endswith("It is the largest k of the grid: a larger one might be chosen.")
    assert k_choice_lines(_choice(3), n_topics=3) == ["k = 3, set by the n_topics parameter."]


def test_stable_and_holm_lines_count_by_hand():
    assert stable_line([0], 2, 0.8, 5) == "**1 of 2 topics is stable** (at least 0.8 across 5 seeds)."
    assert stable_line([0, 1], 2, 0.8, 5).startswith("**2 of 2 topics are stable**")
    tests = pd.DataFrame({"survives_holm": [True, False, False], "p": [0.001, 0.03, 0.2]})
    assert holm_line(tests) == "**1** of 3 tests survive Holm's correction; 2 have an uncorrected p < 0.05."


def test_skipped_pairs_are_said_in_italics_missing_ones_first():
    comparison = TopicComparison([], [("a", "b")], ["C vs D cannot be tested."], set(), pd.DataFrame(), pd.DataFrame())
    assert skipped_lines(comparison) == ["*a vs b: not in this corpus, skipped.*", "*C vs D cannot be tested.*"]


def test_models_line_counts_the_interviews_of_the_compared_audiences():
    shares = pd.DataFrame({"audience": ["t", "t", "w", "w", "r"]})
    effects = pd.DataFrame({"p_holm": [0.01, 0.2]})
    assert models_line(shares, [("t", "w")], effects) == "4 interviews; **1** of 2 contrasts survive Holm's correction."


def test_match_line_counts_matches_and_topics_that_come_back():
    topics = pd.DataFrame({"matched": [True, False, True], "resample_stability": [0.9, 0.7, 0.85]})
    checked = TopicChecks(("NMF", "LDA"), topics, pd.DataFrame(), 20)
    assert match_line(checked, 0.8) == (
        "2 of 3 NMF topics have an LDA match (similarity at least 0.5); 2 of 3 come back across 20 resampled "
        "sets of interviews (at least 0.8)."
    )


def test_differences_caption_ends_with_the_translation_sentence():
    caption = differences_caption({("t", "w")}, str.upper)
    assert caption.startswith("Odds ratio of each topic's share between pairs of audiences")
    assert caption.endswith(translation_caption({("t", "w")}, str.upper)) and "T vs W compares translated" in caption
    assert differences_caption(set()).endswith("not tested.")


def test_passage_lines_quote_the_unit_that_carries_each_topic_most_cut_at_a_word():
    turns = make_turns({"a": ("home", ["short words here", "long " * 200])})
    dtm = build_dtm(turns, unit="turn", processor=TextProcessor(stem=False))
    model = TopicModel("nmf", 1, 0, np.array([[0.2], [0.9]]), np.eye(1, 3), pd.DataFrame(), ["long"])
    (line,) = passage_lines(model, dtm)
    head, quote = line.split("\n\n> ")
    assert head.startswith("**Topic 1: long** (90% of the passage) · ")
    assert quote == "long " * 119 + "long …"  # the 600 characters end after the 120th word's space
