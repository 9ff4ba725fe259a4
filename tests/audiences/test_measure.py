"""The framing notebooks' calls (analysis.audiences.measure, .framing, .bundle) on tables small enough
to check by hand: each returns what the cells it replaced computed, and its tables under their
output names. The notebooks run in full in tests/notebooks/test_runs.py."""

from __future__ import annotations

import pandas as pd

from analysis.audiences.bundle import Bundle
from analysis.audiences.framing import select_hypotheses
from analysis.audiences.measure import (
    NO_RELIABILITY,
    compare_people,
    draw_examples,
    measure_reliability,
    pick_first_examples,
)
from analysis.coding.reliability import alpha_table
from analysis.coding.sheets import coded_frames

IDS = ["legal", "victims"]


def _coding() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four paragraphs coded three times; the two passes differ on p2 and p4."""
    units = pd.DataFrame({"para_id": ["p1", "p2", "p3", "p4"], "doc_id": ["a", "a", "b", "b"],
                          "role": ["focal"] * 4, "text": ["one", "two", "three", "four"]})  # fmt: skip
    passes = {"pass1": ["legal", "legal victims", "", "victims"], "pass2": ["legal", "legal", "", ""],
              "final": ["legal", "legal victims", "", "victims"]}  # fmt: skip
    rows = [(coder, p, f, "settled" if coder == "final" else "") for coder, frames in passes.items()
            for p, f in zip(units["para_id"], frames)]  # fmt: skip
    return pd.DataFrame(rows, columns=["coder", "para_id", "frames", "note"]), units


def test_reliability_is_alpha_between_the_passes_with_the_disagreements_settled():
    coding, units = _coding()
    result = measure_reliability(coding, units, IDS, n_boot=99, seed=0)
    expected = alpha_table(
        coded_frames(coding, "pass1", IDS), coded_frames(coding, "pass2", IDS), IDS, n_boot=99, seed=0
    )
    pd.testing.assert_frame_equal(result.alpha, expected)
    assert list(result.disputed["para_id"]) == ["p2", "p4"] and set(result.disputed["reason"]) == {"settled"}
    assert result.text.startswith("4 paragraphs coded twice (100% of 4") and "differ on 2 of them" in result.text
    assert set(result.tables) == {"framing_reliability", "framing_disagreements"}
    assert list(result.shown({"legal": "Law"})["frame"])[0] == "Law"


def test_without_a_coding_there_is_nothing_to_measure_or_compare():
    _, units = _coding()
    none = measure_reliability(None, units, IDS)
    assert none.alpha is None and none.tables == {} and none.text == NO_RELIABILITY
    nobody = compare_people({}, None, units, IDS, {})
    assert nobody.tables == {} and nobody.text == "" and not len(nobody.table)


def test_examples_are_drawn_per_frame_and_audience_and_one_of_each_is_shown():
    paragraphs = pd.DataFrame({"para_id": ["p1", "p2", "p3"], "audience": ["x", "x", "y"], "role": "focal",
                               "outlet": ["o1", "o1", "o2"], "text": ["a", "b", "c"], "n_words": 1,
                               "legal": [1, 1, 1], "victims": [0, 1, 0]})  # fmt: skip
    drawn = draw_examples(paragraphs, IDS, {"legal": "Law", "victims": "Victims"}, ["x", "y"], seed=0)
    assert sorted(drawn.loc[drawn["frame"] == "Law", "para_id"]) == ["p1", "p2", "p3"]
    assert list(drawn.loc[drawn["frame"] == "Victims", "para_id"]) == ["p2"]
    shown = pick_first_examples(drawn)
    assert len(shown) == 3 and list(shown.columns) == ["frame", "audience", "outlet", "para_id", "text"]


def test_only_hypotheses_between_compared_audiences_are_tested():
    hypotheses = [["turkey", "turkish", "western"], ["russia", "russian", "western"]]
    assert select_hypotheses(hypotheses, ["turkish", "western"]) == [("turkey", "turkish", "western")]
    assert Bundle().tables == {} and Bundle().text == ""
