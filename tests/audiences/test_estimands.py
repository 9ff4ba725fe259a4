"""The two estimands kept apart: a simulation in which the journalists' question is a mediator
(the audience makes the question, the question makes the frame), so that adjusting for it creates
an audience difference that the audience never made in what it heard; and the positivity counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.audiences.estimands import conditional_effects, positivity_table, total_effects
from analysis.stats.models import presence_effects


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


def _effects(rows):
    return pd.DataFrame(rows, columns=["frame", "group_a", "group_b", "ratio", "low", "high", "p", "p_holm", "note"])


def test_the_total_line_names_what_survives_and_what_the_small_sample_errors_remove():
    from analysis.audiences.sentences import total_line

    cr1 = _effects([["f", "t", "w", 0.25, 0.1, 0.6, 0.001, 0.01, ""], ["g", "t", "w", 2.0, 1.3, 3.0, 0.002, 0.02, ""]])
    cr2 = cr1.assign(p_holm=[0.03, 0.2])
    line = total_line(
        cr1, cr2, {"f": "F", "g": "G"}, translation=lambda a, b: "translated vs English" if a == "t" else ""
    )
    # the finding that holds with both errors comes first, turned to read the higher audience first
    assert (
        "2 of 2 audience contrasts survive Holm's correction with CR1 errors, 1 of them also with bias-reduced" in line
    )
    assert "(Satterthwaite degrees of freedom): F higher for w than t: odds ratio 4.00 [1.67, 10.00]." in line
    assert line.endswith(
        " With CR1 errors only: G higher for t than w (translated vs English): odds ratio 2.00 [1.30, 3.00]."
    )
    none = total_line(cr1.assign(p_holm=0.5), cr2, {"f": "F", "g": "G"})
    assert none.endswith("0 of 2 audience contrasts survive Holm's correction with CR1 errors.")
    lost = total_line(cr1, cr2.assign(p_holm=0.5), {"f": "F", "g": "G"})
    assert (
        "2 of them" not in lost
        and "0 of them also with bias-reduced CR2 errors (Satterthwaite degrees of freedom)." in lost
    )


def test_a_hypothesis_is_supported_only_when_it_passes_with_both_errors_and_keeps_its_label():
    from analysis.audiences.estimands import hypothesis_tests
    from analysis.audiences.sentences import hypotheses_line

    cr1 = _effects([["f", "w", "t", 3.0, 1.5, 6.0, 0.002, 0.0, ""], ["g", "w", "t", 2.0, 1.2, 3.3, 0.01, 0.0, ""]])
    cr2 = cr1.assign(p=[0.004, 0.2])
    tested = hypothesis_tests(cr1, cr2, [("f", "w", "t"), ("g", "w", "t")])
    assert tested["supported"].tolist() == [True, False] and tested["supported_cr1"].tolist() == [True, True]
    line = hypotheses_line(
        tested, {"f": "F", "g": "G"}, translation=lambda a, b: "English vs translated", seen="written late"
    )
    assert "written late): 1 of 2 supported: F higher for w than t (English vs translated; odds ratio 3.00" in line
    assert "Passing with CR1 errors only, so not supported: G higher for w than t (English vs translated;" in line


def test_the_conditional_line_marks_what_the_total_does_not_show():
    from analysis.audiences.sentences import conditional_line

    table = _mediated()
    given = conditional_effects(table, ["f"], ["w", "t"])
    line = conditional_line(given, total_effects(table, ["f"], ["w", "t"]), {"f": "F"})
    assert "1 of 1 contrasts survive" in line and "not in the total difference: F higher for w than t" in line
    assert "1 of 1 contrasts can be estimated" in line
