"""The benchmark's scaled corpora and its growth exponent: what `make bench` relies on."""

import sys

import pytest

from analysis import config
from analysis.corpus import build_corpus, write_corpus

sys.path.insert(0, str(config.PROJECT_ROOT / "benchmarks"))
from bench import growth  # noqa: E402
from make_corpus import vary, write_scaled_corpus  # noqa: E402


def test_a_scaled_corpus_is_a_bring_your_own_corpus_with_every_interview_copied(seed, tmp_path):
    seed_interviews = seed.documents.query("kind == 'interview'")
    write_corpus(seed, tmp_path / "processed")
    corpus = build_corpus(write_scaled_corpus(2, tmp_path / "scaled", processed=tmp_path / "processed"))
    docs = corpus.documents
    assert len(docs) == 2 * len(seed_interviews)
    assert docs["outlet"].nunique() == 2 * seed_interviews["outlet"].nunique()
    assert (docs.groupby("audience").size() == 2 * seed_interviews.groupby("audience").size()).all()
    first, second = (corpus.turns[corpus.turns["doc_id"].str.endswith(s)] for s in ("_000", "_001"))
    # The second copy is not an exact repeat, so the duplicate detector keeps nearly all of it:
    # only short turns without long words (questions such as "And Turkey?") repeat.
    repeated = second["duplicate_of"].fillna("").astype(bool)
    assert not first["duplicate_of"].fillna("").astype(bool).any()
    assert second.loc[repeated, "n_words"].sum() < 0.1 * second["n_words"].sum()
    assert first["n_words"].sum() == second["n_words"].sum()


def test_vary_marks_half_the_long_words_and_leaves_the_first_copy_alone():
    text = "The liberated territories and the occupied lands were returned"
    assert vary(text, 0) == text
    marked = vary(text, 3).split()
    assert [w for w in marked if w.endswith("da")] and len(marked) == len(text.split())


def test_the_growth_exponent_is_the_log_log_slope_between_the_two_largest_corpora():
    scaling = {
        1: {"corpus": {"words": 100}, "dtm": {"seconds": 1.0}},
        4: {"corpus": {"words": 400}, "dtm": {"seconds": 4.0}},
        16: {"corpus": {"words": 1600}, "dtm": {"seconds": 32.0}},
    }
    # log(32 / 4) / log(1600 / 400) = log 8 / log 4 = 1.5
    assert growth(scaling, "dtm") == pytest.approx(1.5)


def test_the_full_report_ratio_sums_the_build_and_the_runs_that_succeeded_on_both_corpora():
    from bench import scaled_report_ratio, scaled_report_table

    def part(corpus, runs):
        return {"seconds": 99.0, "corpus_seconds": corpus, "words": 1000, "runs": runs}

    ok = {"seconds": 10.0, "slowest_cells": [{"cell": 7, "seconds": 6.0, "first_line": "grid = topic_grid(...)"}]}
    scaled = {
        "scale": 16,
        "seed": part(1.0, {"a": {**ok, "seconds": 4.0}, "b": {**ok, "seconds": 5.0}, "c": ok}),
        "scaled": part(
            6.0, {"a": {**ok, "seconds": 14.0}, "b": {**ok, "seconds": 30.0}, "c": {"seconds": 1.0, "failed": "X"}}
        ),
    }
    # (6 + 14 + 30) / (1 + 4 + 5) = 5; run c failed on the scaled corpus and is left out of both sides.
    assert scaled_report_ratio(scaled) == pytest.approx(5.0)
    table = "\n".join(scaled_report_table(scaled))
    assert "| c | | | not compared | failed: `X` |" in table
    assert "**5.0** (target at most 4: not met for the runs compared only: c failed)" in table
    assert "without 04_framing*" not in table


def test_the_full_report_ratio_is_also_given_without_the_runs_that_validate_on_the_seed_only():
    from bench import scaled_report_ratio, scaled_report_table

    def part(corpus, runs):
        return {"seconds": 99.0, "corpus_seconds": corpus, "words": 1000, "runs": runs}

    def run(seconds):
        return {"seconds": seconds, "slowest_cells": []}

    scaled = {
        "scale": 16,
        "seed": part(1.0, {"01_corpus": run(3.0), "04_framing_1_measure": run(16.0), "04_framing_3_model": run(20.0)}),
        "scaled": part(4.0, {"01_corpus": run(6.0), "04_framing_1_measure": run(5.0), "04_framing_3_model": run(5.0)}),
    }
    # All: (4 + 6 + 5 + 5) / (1 + 3 + 16 + 20) = 0.5; without the 04 runs: (4 + 6) / (1 + 3) = 2.5.
    assert scaled_report_ratio(scaled) == pytest.approx(0.5)
    assert scaled_report_ratio(scaled, ("04_framing",)) == pytest.approx(2.5)
    assert "| whole report without 04_framing* (the same work" in "\n".join(scaled_report_table(scaled))


def test_the_explorer_table_states_each_page_against_its_caps():
    from explorer_page import CAPS, explorer_table

    measured = {
        "scale": 16,
        "seed": {"mb": 4.03, "open_seconds": 0.81, "build_seconds": 20, "cap_mb": 5, "cap_seconds": 2, "met": True},
        "scaled": {
            **{"mb": 26.1, "open_seconds": 1.5, "build_seconds": 200, "words": 1_650_000},
            **{"cap_mb": 25, "cap_seconds": 5, "met": False},
        },
    }
    rows = explorer_table(measured)
    assert CAPS == {"seed": (5.0, 2.0), "scaled": (25.0, 5.0)}
    assert rows[2] == "| seed | 4.03 MB | 5 MB | 0.81 s | 2 s | 20 s | yes |"
    assert rows[3] == "| 16x (1,650,000 words) | 26.10 MB | 25 MB | 1.50 s | 5 s | 200 s | NO |"
