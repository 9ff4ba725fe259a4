"""Topic models: reproducible fits, coherence by hand, stability, shares with intervals."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.dtm import build_dtm
from analysis.tokens import TextProcessor
from analysis.topics import (
    TopicModel,
    audience_shares,
    choose_k,
    exclusivity,
    fit_topics,
    grid_plan,
    heldout_likelihood,
    interview_shares,
    match_topics,
    npmi_coherence,
    representative_units,
    topic_grid,
    topic_stability,
)

from .helpers import make_turns


@pytest.fixture(scope="module")
def chunks(seed_turns):
    return build_dtm(seed_turns, unit="chunk", min_count=5, min_docs=2)


def model_with_top_words(dtm, *topics):
    """A TopicModel whose topics put their weight on the given labels, in order."""
    labels = list(dtm.features["label"])
    weights = np.zeros((len(topics), len(labels)))
    for t, words in enumerate(topics):
        for rank, word in enumerate(words):
            weights[t, labels.index(word)] = len(words) - rank
    weights /= weights.sum(axis=1, keepdims=True)
    return TopicModel(
        "nmf", len(topics), 0, np.zeros((dtm.counts.shape[0], len(topics))), weights, pd.DataFrame(), [""] * len(topics)
    )


def test_npmi_coherence_by_hand():
    # Four units: "alpha beta", "alpha beta", "alpha gamma", "gamma".
    # p(alpha) = 3/4, p(beta) = 2/4, p(alpha, beta) = 2/4:
    # npmi = ln((1/2) / (3/4 * 1/2)) / -ln(1/2) = ln(4/3) / ln 2. Beta and gamma never meet: -1.
    turns = make_turns({"d": ("home", ["alpha beta", "alpha beta", "alpha gamma", "gamma"])})
    dtm = build_dtm(turns, unit="turn", processor=TextProcessor(stem=False))
    model = model_with_top_words(dtm, ["alpha", "beta"], ["beta", "gamma"])
    assert npmi_coherence(model, dtm, n_top=2) == pytest.approx([math.log(4 / 3) / math.log(2), -1.0])


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_fixed_seed_gives_the_same_topics(chunks, method):
    one, two = fit_topics(chunks, 6, method, seed=3), fit_topics(chunks, 6, method, seed=3)
    assert np.array_equal(one.doc_topics, two.doc_topics)
    assert np.array_equal(one.topic_words, two.topic_words)
    assert one.labels == two.labels
    assert np.allclose(one.topic_words.sum(axis=1), 1)
    assert np.allclose(one.doc_topics.sum(axis=1)[chunks.units["n_tokens"].to_numpy() > 0], 1)


def test_topic_labels_are_words_of_the_text_not_stems(chunks, seed):
    model = fit_topics(chunks, 8, "nmf")
    text = " ".join(seed.turns["text"]).lower().replace("\u2019", "'")
    for label in model.top_words["label"]:
        assert label in text, label


def test_a_run_matches_itself_and_a_reordered_copy(chunks):
    model = fit_topics(chunks, 5, "nmf")
    order = [3, 0, 4, 1, 2]
    shuffled = model._replace(topic_words=model.topic_words[order])
    pairs, similarity = match_topics(model, shuffled)
    assert [order[p] for p in pairs] == [0, 1, 2, 3, 4]
    assert similarity == pytest.approx(np.ones(5))
    assert topic_stability([model, shuffled]) == pytest.approx(np.ones(5))


def test_grid_reports_coherence_and_stability_per_k(chunks):
    grid = topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=1)
    assert list(grid["k"]) == [4, 8]
    assert {"exclusivity", "exclusivity_low", "heldout", "heldout_se"} <= set(grid.columns)
    assert (grid["heldout"] < 0).all() and (grid["exclusivity"].between(0, 1)).all()
    assert ((grid["coherence_low"] <= grid["coherence"]) & (grid["coherence"] <= grid["coherence_high"])).all()
    assert grid["stability"].between(0, 1.0000001).all()
    assert grid.equals(topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=2))


def test_choose_k_without_heldout_prefers_coherent_among_stable():
    grid = pd.DataFrame({"k": [4, 6, 8], "coherence": [0.1, 0.3, 0.2], "stability": [0.9, 0.7, 0.85]})
    assert choose_k(grid) == 8
    assert choose_k(grid, min_stability=0.6) == 6
    assert choose_k(grid, min_stability=0.95) == 4


def test_choose_k_takes_the_smallest_stable_k_within_one_standard_error_of_the_best_heldout():
    grid = pd.DataFrame(
        {
            "k": [4, 6, 8, 10, 12],
            "coherence": [0.1, 0.2, 0.3, 0.4, 0.5],  # rises with k: must not decide
            "exclusivity": [0.90, 0.92, 0.94, 0.95, 0.96],
            "heldout": [-6.50, -6.42, -6.38, -6.35, -6.34],
            "heldout_se": [0.03, 0.03, 0.03, 0.03, 0.03],
            "stability": [0.9, 0.9, 0.9, 0.9, 0.7],
        }
    )
    # k = 12 is unstable; the best stable held-out is k = 10 (-6.35); within 0.03: k = 8 (-6.38), not 6.
    assert choose_k(grid) == 8
    # a k whose exclusivity falls below the next smaller stable k's splits topics: left out
    assert choose_k(grid.assign(exclusivity=[0.90, 0.92, 0.91, 0.95, 0.96])) == 10
    # nothing stable: the most stable k
    assert choose_k(grid.assign(stability=[0.5, 0.6, 0.55, 0.5, 0.5])) == 6


def test_exclusivity_is_frex_worked_by_hand(chunks):
    # two topics over four words; FREX with weight 0.7 over the top two words of each topic
    beta = np.array([[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]])
    model = TopicModel("nmf", 2, 0, np.zeros((1, 2)), beta, pd.DataFrame(), ["", ""])
    share = beta / beta.sum(axis=0)
    # topic 0: word 0 has frequency rank 4/4 and exclusivity rank 4/4 (5/6 is its largest);
    # word 1: frequency 3/4, exclusivity 3/4 (share 0.75)
    frex = lambda e, f: 1 / (0.7 / e + 0.3 / f)  # noqa: E731
    assert share[0, 0] == pytest.approx(5 / 6)
    assert exclusivity(model, n_top=2)[0] == pytest.approx((frex(1.0, 1.0) + frex(0.75, 0.75)) / 2)
    # topic 1: words 2 and 3 tie at the top (ECDF 4/4 both) and hold 0.8 of their weight (ECDF 4/4)
    assert exclusivity(model, n_top=2)[1] == pytest.approx(1.0)


def test_heldout_likelihood_holds_out_whole_interviews_and_repeats(chunks):
    one = heldout_likelihood(chunks, "nmf", [4, 6], seed=0, n_folds=3, n_jobs=1)
    assert list(one["k"]) == [4, 6]
    assert one["n_heldout"].iat[0] == one["n_heldout"].iat[1] > 0.4 * chunks.counts.sum()
    # per-word log-likelihood: worse than certainty, better than a uniform guess over the vocabulary
    assert ((one["heldout"] < 0) & (one["heldout"] > -np.log(chunks.counts.shape[1]))).all()
    assert one.equals(heldout_likelihood(chunks, "nmf", [4, 6], seed=0, n_folds=3, n_jobs=2))


def test_the_grid_plan_runs_as_asked_on_the_seed_corpus_and_scales_down_beyond(chunks):
    plan = grid_plan(chunks, range(5), passes=10, n_folds=3)
    assert (plan.passes, plan.seeds, plan.n_folds, plan.note) == (10, [0, 1, 2, 3, 4], 3, "")
    big = chunks._replace(counts=chunks.counts * 60)  # about 1.7 M tokens
    plan = grid_plan(big, range(5), passes=10, n_folds=3)
    assert plan.passes == 2 and plan.seeds == [0, 1, 2] and plan.n_folds == 2
    assert "2 LDA passes instead of 10" in plan.note


def test_audience_shares_have_intervals_over_interviews(chunks):
    model = fit_topics(chunks, 6, "nmf")
    per_interview = interview_shares(model, chunks)
    assert len(per_interview) == 26
    assert np.allclose(per_interview[list(range(6))].sum(axis=1), 1)
    shares = audience_shares(model, chunks)
    assert set(shares["group"]) == {"turkish", "russian", "western", "other"}
    assert shares.groupby("group")["share"].sum().to_numpy() == pytest.approx(np.ones(4))
    assert dict(shares.drop_duplicates("group")[["group", "n_interviews"]].values) == {
        "other": 3,
        "russian": 6,
        "turkish": 6,
        "western": 11,
    }
    assert ((shares["low"] <= shares["share"] + 1e-12) & (shares["share"] <= shares["high"] + 1e-12)).all()
    turkish = per_interview[per_interview["audience"] == "turkish"][list(range(6))].mean()
    assert shares[shares["group"] == "turkish"]["share"].to_numpy() == pytest.approx(turkish.to_numpy())
    assert shares.equals(audience_shares(model, chunks))
    # Korn and Graubard's interval for a share over the interviews, within [0, 1]
    from analysis.intervals import share_interval

    values = per_interview[per_interview["audience"] == "turkish"][0]
    first = shares[(shares["group"] == "turkish") & (shares["topic"] == 0)].iloc[0]
    assert (first["low"], first["high"]) == pytest.approx(share_interval(values)[1:])
    assert ((shares["low"] >= 0) & (shares["high"] <= 1)).all()


def test_representative_units_are_the_highest_shares(chunks):
    model = fit_topics(chunks, 6, "nmf")
    best = representative_units(model, chunks, topic=2, n=3)
    assert list(best["share"]) == sorted(model.doc_topics[:, 2], reverse=True)[:3]
    assert best["text"].str.len().gt(0).all()


@pytest.mark.parametrize(
    "k, method, message", [(1, "nmf", "k must be between 2"), (6, "plsa", "method must be one of")]
)
def test_bad_choices_get_clear_errors(chunks, k, method, message):
    with pytest.raises(ValueError, match=message):
        fit_topics(chunks, k, method)


def test_the_grid_is_the_same_with_a_progress_bar(chunks, monkeypatch, capsys):
    from analysis import caches, progress

    quiet = topic_grid(chunks, "nmf", ks=(4,), seeds=(0, 1), n_jobs=1)
    caches.clear()
    monkeypatch.setenv(progress.ENV, "1")
    monkeypatch.setattr(progress, "DELAY", 0)
    shown = topic_grid(chunks, "nmf", ks=(4,), seeds=(0, 1), n_jobs=2)
    assert shown.equals(quiet)
    assert "nmf topic models" in capsys.readouterr().err
