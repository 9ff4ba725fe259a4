"""Repeated utterances: news reports re-quoting interviews point to the canonical transcript."""

from __future__ import annotations

import pandas as pd

from analysis.corpus.duplicates import containment_table, document_overlap, mark_duplicates, shingles


def test_shingles_ignore_case_and_typography():
    assert shingles("It’s our battle – for territorial integrity") == shingles(
        "it's our battle - for Territorial Integrity"
    )
    assert ("our", "battle", "for") in shingles("It’s our battle for it")


def test_the_reworded_repeat_points_to_the_full_transcript():
    turns = pd.DataFrame(
        {
            "doc_id": ["interview", "interview", "report", "report"],
            "turn_id": ["interview-001", "interview-002", "report-001", "report-002"],
            "text": [
                "We are ready to stop today if they leave our lands and give us a timetable for it.",
                "Something else entirely, about the economy and oil prices this year.",
                "We are ready to stop today if they leave our lands and give a timetable.",  # reworded
                "The president spoke to reporters in the capital on Tuesday.",
            ],
            "role": ["focal", "focal", "focal", "focal"],
            "n_words": [19, 11, 15, 10],
        }
    )
    docs = pd.DataFrame({"doc_id": ["interview", "report"], "kind": ["interview", "news_report"]})
    assert mark_duplicates(turns, docs).tolist() == ["", "", "interview-001", ""]
    table = containment_table(turns, docs)
    assert table.loc[2, "containment"] > 0.6 and table.loc[3, "containment"] == 0


def test_only_re_reports_overlap_with_another_document(seed):
    overlap = document_overlap(seed.turns, seed.documents).set_index("doc_id")
    high = overlap[overlap["overlap"] >= 0.3]
    assert high["match_doc"].to_dict() == {"azernews_efe": "efe", "trend_efe": "efe", "aljazeera_report": "aljazeera"}
    assert high["overlap"].min() > 0.6
    # Interviews share stock phrases with each other, but far less.
    assert overlap.drop(high.index)["overlap"].max() < 0.2


def test_seed_duplicates(seed):
    docs = seed.documents.set_index("doc_id")
    assert docs["duplicate_of"][docs["duplicate_of"] != ""].to_dict() == {
        "trend_efe": "efe",
        "aljazeera_report": "aljazeera",
        "azernews_efe": "efe",
    }
    turns = seed.turns.set_index("turn_id")
    repeats = turns[turns["duplicate_of"] != ""]
    # Only quotations in news reports repeat; no interview turn repeats another interview.
    assert set(repeats["doc_id"]) == {"trend_efe", "aljazeera_report", "azernews_efe"}
    assert (repeats.index.map(lambda t: turns.loc[t, "role"]) == "focal").all()
    # "stay away from this conflict" is in the EFE interview's answer at line 2251.
    assert turns.loc["trend_efe-001", "duplicate_of"] == "efe-025"
    assert turns.loc["efe-025", "line_start"] == 2251
    # Every quotation of the two EFE reports is matched; the Al Jazeera report's paraphrased lead
    # sentence (19 words, "Russia, Iran and Turjey") is the one quotation left unmatched.
    unmatched = turns[
        (turns["doc_id"].isin(["trend_efe", "azernews_efe", "aljazeera_report"]))
        & (turns["role"] == "focal")
        & (turns["duplicate_of"] == "")
    ]
    assert unmatched.index.tolist() == ["aljazeera_report-001"]
    assert docs.loc["azernews_efe", "words_focal_unique"] == 0
