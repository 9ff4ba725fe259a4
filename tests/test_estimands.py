"""The two estimands kept apart: a simulation in which the journalists' question is a mediator
(the audience makes the question, the question makes the frame), so that adjusting for it creates
an audience difference that the audience never made in what it heard; and the positivity counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.estimands import conditional_effects, positivity_table, total_effects
from analysis.models import presence_effects


def _mediated(n_interviews=30, n_paragraphs=30, seed=0):
    """Audience t is asked about the frame in half its answers, audience w in 5%; a question
    raises the frame to 0.6; unasked, t carries it with 0.1 and w with (0.35 - 0.03) / 0.95, so that
    both audiences hear it in 35% of answers: no total difference, an odds ratio of about 4.6 given
    the question."""
    rng = np.random.default_rng(seed)
    rows = []
    for audience, p_asked, p_unasked in (("t", 0.5, 0.1), ("w", 0.05, 0.32 / 0.95)):
        for i in range(n_interviews):
            asked = rng.random(n_paragraphs) < p_asked
            frame = rng.random(n_paragraphs) < np.where(asked, 0.6, p_unasked)
            rows.append(
                pd.DataFrame(
                    {
                        "doc_id": f"{audience}{i}",
                        "audience": audience,
                        "day": float(rng.integers(0, 40)),
                        "f": frame.astype(int),
                        "asked_f": asked.astype(int),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_conditioning_on_a_mediator_creates_an_audience_effect_the_total_does_not_show():
    table = _mediated()
    total = total_effects(table, ["f"], ["w", "t"]).iloc[0]
    adjusted = presence_effects(table, ["f"], ["w", "t"], covariates=("day", "asked")).iloc[0]
    given = conditional_effects(table, ["f"], ["w", "t"]).set_index("given")
    assert total["low"] < 1 < total["high"] and 0.75 < total["ratio"] < 1.33
    assert adjusted["low"] > 2 and adjusted["p"] < 0.001  # the mediator's artefact
    assert given.loc["not asked", "low"] > 2  # the second estimand names it for what it is
    assert given.loc["asked", "low"] < 1 < given.loc["asked", "high"]  # both hear 0.6 after the question
    assert total_effects(table, ["f"], ["w", "t"], errors="CR2").iloc[0]["low"] < 1


def test_positivity_counts_answers_after_the_frames_question_and_refuses_an_empty_cell():
    table = pd.DataFrame(
        {
            "doc_id": ["a1", "a1", "a2", "a2", "b1", "b1", "b2", "b2"],
            "audience": ["a"] * 4 + ["b"] * 4,
            "day": [1.0, 1, 2, 2, 3, 3, 4, 4],
            "f": [1, 0, 1, 1, 0, 0, 1, 0],
            "asked_f": [1, 0, 1, 0, 0, 0, 0, 0],
        }
    )
    counts = positivity_table(table, ["f"], ["a", "b"]).set_index("audience")
    assert counts["after_question"].to_dict() == {"a": 2, "b": 0}
    assert counts["share"].to_dict() == {"a": 0.5, "b": 0.0}
    given = conditional_effects(table, ["f"], ["a", "b"], min_asked=1).set_index("given")
    assert np.isnan(given.loc["asked", "ratio"]) and "positivity" in given.loc["asked", "note"]
    assert np.isfinite(given.loc["not asked", "ratio"])
