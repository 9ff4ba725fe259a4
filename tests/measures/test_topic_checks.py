"""The checks before a topic difference is called established: folding in, the question-adjusted
difference against statsmodels, matching across models, resampled interviews, the verdicts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import sparse

from analysis.measures.sentences import checks_line
from analysis.measures.topic_checks import (
    CHECK_COLUMNS,
    check_differences,
    check_topics,
    fold_in,
    match_across,
    question_adjusted,
    question_counts,
    question_logits,
    resample_stability,
)
from analysis.measures.topic_comparisons import compare_topic_pairs, interview_table, share_logits
from analysis.measures.topics import TopicModel, fit_topics
from analysis.text.dtm import DocumentTermMatrix, build_dtm
from tests.helpers import make_turns

PHI = np.array([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.5]])


def _model(phi, method="nmf", seed=0):
    k = phi.shape[0]
    return TopicModel(method, k, seed, np.zeros((1, k)), phi, pd.DataFrame(), [f"t{t}" for t in range(k)])


def test_folding_in_worked_by_hand_and_against_a_grid_search():
    theta = fold_in(np.array([[2, 2, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0]]), PHI)
    assert theta.tolist() == [[1.0, 0.0], [0.5, 0.5], [0.0, 0.0]]
    # Overlapping topics: the maximum-likelihood mixture found independently on a fine grid.
    phi = np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.6]])
    counts = np.array([[5, 3, 2]])
    grid = np.linspace(0, 1, 100001)
    loglik = (counts[0] * np.log(np.outer(grid, phi[0]) + np.outer(1 - grid, phi[1]))).sum(axis=1)
    assert fold_in(counts, phi)[0, 0] == pytest.approx(grid[loglik.argmax()], abs=1e-4)


def test_the_question_adjusted_difference_is_ols_as_statsmodels_computes_it():
    rng = np.random.default_rng(3)
    audience = np.array(["a"] * 6 + ["b"] * 5)
    asked = rng.normal(size=11)
    answers = 0.8 * (audience == "a") + 0.5 * asked + rng.normal(0, 0.3, 11)
    logits = pd.DataFrame({"doc_id": range(11), "audience": audience, 0: answers})
    questions = pd.DataFrame({"doc_id": range(11), 0: asked})
    got = question_adjusted(logits, questions, "a", "b", 0)
    fit = sm.OLS(answers, sm.add_constant(np.column_stack([audience == "a", asked]).astype(float))).fit()
    assert got["difference"] == pytest.approx(fit.params[1])
    assert [got["low"], got["high"]] == pytest.approx(fit.conf_int()[1].tolist())
    assert got["p"] == pytest.approx(fit.pvalues[1]) and (got["n_a"], got["n_b"]) == (6, 5)
    # Interviews without questions leave b with one: it cannot be checked.
    questions.loc[questions["doc_id"] >= 7, 0] = np.nan
    assert np.isnan(question_adjusted(logits, questions, "a", "b", 0)["p"])


def test_matching_across_models_pairs_topics_in_any_order_and_states_the_similarity():
    one, two = _model(PHI), _model(PHI[::-1] * 0.5 + 0.125, "lda")
    table = match_across(one, two, min_similarity=0.9)
    assert table["other_topic"].tolist() == [1, 0]
    # cos([.5,.5,0,0], [.375,.375,.125,.125]) = 0.375 / (0.7071 * 0.5590) = 0.9487
    assert table["similarity"].tolist() == pytest.approx([0.9487, 0.9487], abs=1e-4)
    assert table["matched"].all() and not match_across(one, two, 0.95)["matched"].any()


def test_journalists_words_are_counted_per_interview_in_the_answers_vocabulary():
    docs = {"d1": ("x", ["harbour ferry harbour ferry"] * 3), "d2": ("y", ["market rent market rent"] * 3)}
    turns = make_turns(docs)
    turns.loc[turns["doc_id"].eq("d1") & turns["role"].eq("interviewer"), "text"] = "What about the ferry?"
    dtm = build_dtm(turns, unit="interview")
    questions = question_counts(turns, dtm)
    counts = questions.attrs["counts"].toarray()
    ferry = dtm.features["label"].tolist().index("ferry")
    assert questions["doc_id"].tolist() == ["d1", "d2"] and counts[0, ferry] == 3 and counts[1].sum() == 0
    asked = question_logits(questions, _model(np.eye(dtm.counts.shape[1])[[ferry, (ferry + 1) % 4]] * 1.0))
    assert asked.loc[0, 0] == pytest.approx(np.log(3.5 / 0.5)) and asked.loc[1].drop("doc_id").isna().all()


def _blocks(seed=0):
    """Ten interviews of two clearly separate vocabularies, three units each."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(30):
        mix = rng.uniform(0.1, 0.9)
        rows.append(np.concatenate([rng.poisson(20 * mix, 10), rng.poisson(20 * (1 - mix), 10)]))
    units = pd.DataFrame({"doc_id": np.repeat([f"d{d}" for d in range(10)], 3), "unit_id": range(30)})
    features = pd.DataFrame({"feature": [f"w{j}" for j in range(20)], "label": [f"w{j}" for j in range(20)]})
    return DocumentTermMatrix(sparse.csr_matrix(np.array(rows)), units, features, None)


def test_topics_of_separate_vocabularies_come_back_in_resampled_interviews():
    dtm = _blocks()
    model = fit_topics(dtm, 2, "nmf")
    stability = resample_stability(model, dtm, n_resamples=8, seed=1, n_jobs=1)
    assert (stability > 0.9).all()
    assert stability.tolist() == resample_stability(model, dtm, n_resamples=8, seed=1, n_jobs=1).tolist()


def _survivor(topic=0, a="t", b="w", difference=1.0):
    return {"group_a": a, "group_b": b, "topic": topic, "label": f"t{topic}", "stable": True, "survives_holm": True,
            "difference": difference, "p": 0.001}  # fmt: skip


def test_the_verdict_names_each_check_and_carries_the_translation_label():
    tests = pd.DataFrame([_survivor(0), _survivor(1), _survivor(0, "t", "r")])
    match = pd.DataFrame({"topic": [0, 1], "other_topic": [1, 0], "similarity": [0.7, 0.3], "matched": [True, False]})
    other = pd.DataFrame(
        {"group_a": ["t", "t"], "group_b": ["w", "r"], "topic": [1, 1], "difference": [0.8, 0.9], "p": [0.001, 0.001]}
    )
    rng = np.random.default_rng(0)
    audience = np.array(["t"] * 5 + ["w"] * 5 + ["r"] * 5)
    asked = rng.normal(size=15)
    logits = pd.DataFrame({"doc_id": range(15), "audience": audience, 0: 2.0 * (audience == "t") + 0.1 * asked,
                           1: rng.normal(size=15)})  # fmt: skip
    questions = pd.DataFrame({"doc_id": range(15), 0: asked, 1: asked})
    checks = check_differences(tests, [0.9, 0.9], match, other, logits, questions, {("t", "w")}, 0.8, ("NMF", "LDA"))
    assert checks["established"].tolist() == [True, False, True]
    first, second, third = checks["verdict"]
    assert first.startswith("established: under NMF and LDA (similarity 0.70), across resampled interviews and given")
    assert first.endswith("translated against English interviews, so it may be the translators' wording as much as the "
                          "speaker's")  # fmt: skip
    assert "no LDA topic matches it (best similarity 0.30)" in second and "translated against English" in second
    assert "translated" not in third
    # Without questions, a difference otherwise established says the questions could not be checked.
    unchecked = check_differences(tests.iloc[[2]], [0.9, 0.9], match, other, logits, None, set(), 0.8)
    assert unchecked["verdict"].iat[0].endswith("; the journalists' questions could not be checked")
    # Unstable across resampled interviews, or not shown by the other model: not established.
    shaky = check_differences(tests.iloc[[2]], [0.5, 0.9], match, other.assign(difference=-0.8), logits, questions)
    assert "unstable across resampled interviews (0.500)" in shaky["verdict"].iat[0]
    assert "LDA topic 2 (similarity 0.70) does not show it" in shaky["verdict"].iat[0]
    line = checks_line(checks, str.upper)
    assert "2 of 3 differences that survive Holm are established. Topic 1 (t0), T vs W: established" in line
    sentences = [s for s in line.split(". ") if "established" in s and "T vs W" in s]
    assert sentences and all("translated against English interviews" in s for s in sentences)
    assert checks_line(checks.iloc[:0]).endswith("No difference survives Holm under NMF, so none is established.")


def test_check_topics_matches_the_other_method_and_refits_on_resampled_interviews():
    dtm = _blocks()
    days = np.repeat(np.arange(10), 3)
    units = dtm.units.assign(audience=np.where(days < 5, "t", "w"), outlet="o", translated="false", n_tokens=1,
                             date=[f"2020-10-{d + 1:02d}" for d in days])  # fmt: skip
    dtm = dtm._replace(units=units)
    model = fit_topics(dtm, 2, "nmf")
    shares = interview_table(model, dtm)
    comparison = compare_topic_pairs(shares, model.labels, [("t", "w")], [0, 1], 99)
    turns = make_turns({"d0": ("t", ["w0 w1"])})  # no interviewer words in the matrix's interviews
    checked = check_topics(model, dtm, turns.assign(role="focal"), comparison, share_logits(shares, [0, 1]),
                           n_resamples=99, n_topic_resamples=4, n_jobs=1)  # fmt: skip
    other = fit_topics(dtm, 2, "lda")
    expected = match_across(model, other)
    expected = expected.assign(other_words=[other.labels[t] for t in expected["other_topic"]])
    pd.testing.assert_frame_equal(checked.topics.drop(columns="resample_stability"), expected)
    assert checked.topics["resample_stability"].tolist() == resample_stability(model, dtm, 4, n_jobs=1).tolist()
    assert checked.methods == ("NMF", "LDA") and checked.n_resamples == 4
    assert list(checked.checks.columns) == CHECK_COLUMNS
