"""The benchmark's scaled corpora and its growth exponent: what `make bench` relies on."""

import sys

import pytest

from analysis import config
from analysis.corpus import build_corpus, load_documents

sys.path.insert(0, str(config.PROJECT_ROOT / "benchmarks"))
from bench import growth  # noqa: E402
from make_corpus import vary, write_scaled_corpus  # noqa: E402


def test_a_scaled_corpus_is_a_bring_your_own_corpus_with_every_interview_copied(tmp_path):
    seed_interviews = load_documents(config.DATA_PROCESSED).query("kind == 'interview'")
    corpus = build_corpus(write_scaled_corpus(2, tmp_path))
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
