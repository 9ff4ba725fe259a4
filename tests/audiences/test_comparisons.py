"""Frame comparisons: rates per interview, Holm's correction by hand, question-answer uptake,
weeks, leave-one-out and the audience classifier."""

import numpy as np
import pandas as pd
import pytest

from analysis.audiences.classifier import classify_audience, predict_left_out, sum_by_interview
from analysis.audiences.comparisons import (
    audience_frames,
    compare_audiences,
    frame_rates,
    frame_uptake,
    holm,
    leave_one_out,
    question_answer_pairs,
    robustness_table,
    weekly_frames,
)
from tests.helpers import FRAME_IDS, make_turns


@pytest.fixture(scope="module")
def turns(seed_turns):
    return seed_turns


@pytest.fixture(scope="module")
def rates(turns):
    return frame_rates(turns)


def test_holm_by_hand():
    # m = 4: sorted p 0.01, 0.02, 0.03, 0.04 times 4, 3, 2, 1 = 0.04, 0.06, 0.06, 0.04
    # -> monotone 0.04, 0.06, 0.06, 0.06.
    assert holm(np.array([0.03, 0.01, 0.04, 0.02])) == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert holm(np.array([0.5, 0.9])) == pytest.approx([1.0, 1.0])


def test_rates_are_per_thousand_words_of_each_interview():
    docs = {"t1": ("turkish", ["Turkey is our brother and Turkey helps."]), "w1": ("western", ["Peace now."])}
    table = frame_rates(make_turns(docs)).set_index("doc_id")
    assert table.loc["t1", "n_words"] == 7 and table.loc["t1", "turkey"] == pytest.approx(2 / 7 * 1000)
    presence = frame_rates(make_turns(docs), normalise="presence").set_index("doc_id")
    assert presence.loc["t1", "turkey"] == 1 and presence.loc["w1", "turkey"] == 0


def test_the_seed_corpus_gives_one_row_per_interview(rates):
    assert len(rates) == 26 and set(FRAME_IDS) <= set(rates.columns)
    assert rates["n_words"].sum() == 85852
    means = audience_frames(rates, list(FRAME_IDS), n_resamples=200)
    turkish = means[(means["group"] == "turkish") & (means["frame"] == "turkey")].iloc[0]
    assert turkish["mean"] == pytest.approx(rates.loc[rates["audience"] == "turkish", "turkey"].mean())
    assert turkish["low"] <= turkish["mean"] <= turkish["high"] and turkish["n"] == 6


def test_pairwise_comparisons_are_corrected_and_reproducible(rates):
    pairs = [("turkish", "western"), ("russian", "western")]
    one = compare_audiences(rates, ["turkey", "russia"], pairs, n_resamples=999)
    assert len(one) == 4 and (one["p_holm"] >= one["p"]).all()
    assert one.equals(compare_audiences(rates, ["turkey", "russia"], pairs, n_resamples=999))
    with pytest.raises(ValueError, match="one row per interview"):
        compare_audiences(pd.concat([rates, rates]), ["turkey"], pairs)


def test_question_answer_pairs_and_uptake():
    docs = {"t1": ("turkish", ["Turkey supports us.", "Peace will come."])}  # each answer follows "What do you say?"
    turns = make_turns(docs)
    turns.loc[2, "text"] = "What about Turkey?"  # the second question raises the turkey frame; its answer does not
    pairs = question_answer_pairs(turns)
    assert len(pairs) == 2 and pairs["q_turkey"].tolist() == [0, 1] and pairs["a_turkey"].tolist() == [1, 0]
    uptake = frame_uptake(pairs, ["turkey"]).iloc[0]
    assert (uptake["asked"], uptake["taken_up"], uptake["introduced"]) == (1, 0, 1)
    assert uptake["introduced_share"] == 1.0


def test_weeks_count_from_the_start_of_the_war(rates):
    weekly = weekly_frames(rates, ["turkey"], share=False)
    assert weekly["week"].tolist() == [1, 2, 3, 4, 5, 6] and weekly["n"].sum() == 26
    assert str(weekly["week_start"].iat[0].date()) == "2020-09-27"


def test_each_week_has_its_interviews_audiences_and_a_share_interval():
    from analysis.stats.intervals import share_interval

    shares = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "audience": ["turkish", "turkish", "western", "russian"],
            "date": ["2020-09-28", "2020-09-30", "2020-10-02", "2020-10-05"],
            "x": [0.0, 0.1, 0.6, 0.2],
            "y": [0.5, 0.5, 0.5, 0.0],
        }
    )
    weekly = weekly_frames(shares, ["x", "y"])
    assert weekly[["week", "frame", "n"]].values.tolist() == [[1, "x", 3], [1, "y", 3], [2, "x", 1], [2, "y", 1]]
    assert weekly["groups"].tolist() == ["turkish 2, western 1"] * 2 + ["russian 1"] * 2
    first = weekly.iloc[0]
    assert (first["mean"], first["low"], first["high"]) == pytest.approx(share_interval([0.0, 0.1, 0.6]))
    assert weekly["low"].iloc[:2].ge(0).all() and weekly["high"].iloc[:2].le(1).all()
    assert weekly["low"].iloc[2:].isna().all()  # one interview: no interval
    undated = weekly_frames(shares.assign(date=""), ["x", "y"])
    assert undated.empty and list(undated.columns) == list(weekly.columns)


def test_a_difference_resting_on_one_interview_does_not_hold():
    rows = [
        {"doc_id": f"{g}{i}", "audience": g, "x": 10.0 if (g, i) == ("a", 0) else 1.0 + 0.01 * i}
        for g in "ab"
        for i in range(4)
    ]
    table = leave_one_out(pd.DataFrame(rows), ["x"], [("a", "b")], n_resamples=99).iloc[0]
    assert not table["holds"] and table["weakest_without"] == "a0"


def test_classifier_finds_separable_audiences_and_not_shuffled_ones():
    rng = np.random.default_rng(0)
    docs = [f"d{i}" for i in range(12)]
    audience = ["x"] * 6 + ["y"] * 6
    rows = []
    for d, a in zip(docs, audience):
        for _ in range(5):
            rows.append((d, a, rng.normal(3 if a == "x" else -3), rng.normal()))
    units = pd.DataFrame(rows, columns=["doc_id", "audience", "f1", "f2"])
    result = classify_audience(units[["f1", "f2"]], units["audience"], units["doc_id"], n_permutations=49)
    assert result["accuracy"] == 1.0 and result["p"] == pytest.approx(1 / 50) and result["chance"] < 0.8
    assert result["confusion"].to_numpy().trace() == 12


def test_interview_sums_by_hand_and_the_left_out_prediction():
    # Units of three interviews: d0 has two units, d1 and d2 one each.
    X = np.array([[1.0, 2.0], [3.0, 0.0], [-4.0, 1.0], [5.0, 5.0]])
    sums = sum_by_interview(X, np.array([0, 0, 1, 2]), 3)
    assert sums.sums.tolist() == [[4.0, 2.0], [-4.0, 1.0], [5.0, 5.0]]
    assert sums.squares.tolist() == [[10.0, 4.0], [16.0, 1.0], [25.0, 25.0]]
    assert sums.counts.tolist() == [2.0, 1.0, 1.0]
    # Four interviews, two per audience, far apart on the first feature: each left-out one
    # lands with its own audience.
    sums = sum_by_interview(np.array([[5.0, 1.0], [6.0, -1.0], [-5.0, 1.0], [-6.0, -1.0]]), np.arange(4), 4)
    truth = np.array(["x", "x", "y", "y"], dtype=object)
    assert predict_left_out(sums, truth, ["x", "y"]).tolist() == ["x", "x", "y", "y"]


def test_robustness_table_flags_translation_confounds(rates):
    pairs = [("turkish", "western"), ("turkish", "russian")]
    tests = compare_audiences(rates, ["turkey"], pairs, n_resamples=99)
    loo = leave_one_out(rates, ["turkey"], pairs, n_resamples=99)
    table = robustness_table(tests, loo, tests, rates).set_index(["group_a", "group_b"])
    # Every Turkish interview is translated, no Western one is; Turkish and Russian both are.
    assert table.loc[("turkish", "western"), "translation_confounded"]
    assert not table.loc[("turkish", "russian"), "translation_confounded"]
    assert (table["p_with_repeats"] == table["p"]).all()


def test_balanced_accuracy_and_the_majority_baseline_when_audiences_differ_in_size():
    # 9 interviews of x and 3 of y, and features that carry nothing: always naming x would be
    # right 75 % of the time, so accuracy alone would flatter the classifier.
    rng = np.random.default_rng(1)
    rows = [(f"d{i}", "x" if i < 9 else "y", rng.normal(), rng.normal()) for i in range(12) for _ in range(4)]
    units = pd.DataFrame(rows, columns=["doc_id", "audience", "f1", "f2"])
    result = classify_audience(units[["f1", "f2"]], units["audience"], units["doc_id"], n_permutations=49)
    assert result["majority"] == 0.75
    recall = result["recall"]
    assert result["balanced_accuracy"] == pytest.approx((recall["x"] + recall["y"]) / 2)
    assert result["p"] > 0.05


def test_function_words_are_the_negative_control(seed_turns):
    from analysis.audiences.classifier import function_word_features

    features, units = function_word_features(seed_turns, ["turkish", "western"])
    assert {"the", "and", "of"} <= set(features.columns) and "azerbaijan" not in features.columns
    assert len(features) == len(units) and set(units["audience"]) == {"turkish", "western"}


def test_the_classifier_line_reads_the_negative_control():
    from analysis.audiences.sentences import classifier_line

    frames = {"balanced_accuracy": 0.55, "majority": 0.48, "p": 0.04}
    styled = classifier_line(frames, {"balanced_accuracy": 0.97}, {"balanced_accuracy": 0.86})
    assert "from words 97%, from function words alone 86%: the words' result is as much translation" in styled
    content = classifier_line(frames, {"balanced_accuracy": 0.97}, {"balanced_accuracy": 0.50})
    assert content.endswith("the words carry more than style.")


def _refit_left_out(X: np.ndarray, codes: np.ndarray, truth: np.ndarray, labels: list[str]) -> list[str]:
    """The nearest-centroid classifier refitted from the units for every left-out interview, by
    the definition (standardise on the other interviews' units, centroids, cosine): the slow
    route that predict_left_out must agree with."""
    predicted = []
    for d in range(len(truth)):
        train = X[codes != d]
        mean, sd = train.mean(axis=0), train.std(axis=0)
        sd[sd == 0] = 1
        query = (X[codes == d].mean(axis=0) - mean) / sd
        best, best_similarity = None, -np.inf
        for label in labels:
            rows = np.isin(codes, [e for e in range(len(truth)) if e != d and truth[e] == label])
            centroid = (X[rows].mean(axis=0) - mean) / sd
            similarity = centroid @ query / (np.linalg.norm(centroid) * np.linalg.norm(query) + 1e-12)
            if similarity > best_similarity:
                best, best_similarity = label, similarity
        predicted.append(best)
    return predicted


def test_left_out_predictions_by_subtraction_equal_a_refit_for_every_fold():
    # 30 interviews of three audiences and uneven sizes, 1-6 units each, 40 weakly
    # informative features, one of them constant: the permutation test's fast route must give
    # exactly what refitting every fold from the units gives, for the true and for shuffled labels.
    rng = np.random.default_rng(3)
    truth = np.array(["a"] * 14 + ["b"] * 10 + ["c"] * 6, dtype=object)
    codes = np.repeat(np.arange(30), rng.integers(1, 7, size=30))
    shift = {"a": 0.0, "b": 0.4, "c": -0.4}
    X = rng.normal(size=(len(codes), 40)) + np.array([shift[truth[c]] for c in codes])[:, None]
    X[:, 5] = 2.0
    sums = sum_by_interview(X, codes, 30)
    for labels_of_interviews in (truth, rng.permutation(truth), rng.permutation(truth)):
        fast = predict_left_out(sums, labels_of_interviews, ["a", "b", "c"]).tolist()
        assert fast == _refit_left_out(X, codes, labels_of_interviews, ["a", "b", "c"])


def test_sparse_word_features_classify_as_their_dense_copy():
    from scipy import sparse

    rng = np.random.default_rng(4)
    dense = rng.poisson(0.3, size=(60, 25)).astype(float)
    units = pd.DataFrame({"doc_id": [f"d{i // 4}" for i in range(60)], "audience": ["x"] * 32 + ["y"] * 28})
    as_sparse = pd.DataFrame.sparse.from_spmatrix(sparse.csr_matrix(dense))
    a = classify_audience(as_sparse, units["audience"], units["doc_id"], n_permutations=19)
    b = classify_audience(pd.DataFrame(dense), units["audience"], units["doc_id"], n_permutations=19)
    assert (a["balanced_accuracy"], a["p"], a["chance"]) == (b["balanced_accuracy"], b["p"], b["chance"])


def test_repeated_text_merges_into_the_interview_it_repeats(turns, seed):
    from analysis.audiences.comparisons import merge_repeats, repeated_documents

    # the corpus build's own document-level answer
    documents = seed.documents.set_index("doc_id")["duplicate_of"]
    assert repeated_documents(turns) == {d: o for d, o in documents.items() if o}
    assert repeated_documents(turns) == {"aljazeera_report": "aljazeera", "azernews_efe": "efe", "trend_efe": "efe"}
    without, with_repeats = frame_rates(turns), frame_rates(turns, include_duplicates=True)
    # the count of interviews is unchanged: 26, EFE is one Western interview, not three
    assert with_repeats["doc_id"].tolist() == without["doc_id"].tolist() and len(with_repeats) == 26
    assert with_repeats.groupby("audience").size().to_dict() == {"other": 3, "russian": 6, "turkish": 6, "western": 11}
    # every kind of document: the speech is added, the two EFE reports are not
    assert set(frame_rates(turns, include_duplicates=True, kinds=None)["doc_id"]) - set(without["doc_id"]) == {
        "cis_summit"
    }
    # EFE gains exactly the focal words of the two reports
    merged = merge_repeats(turns)
    reported = turns[turns["doc_id"].isin(["trend_efe", "azernews_efe"]) & (turns["role"] == "focal")]["n_words"].sum()
    gain = with_repeats.set_index("doc_id")["n_words"] - without.set_index("doc_id")["n_words"]
    assert gain["efe"] == reported > 0
    assert merged.loc[merged["doc_id"] == "efe", "audience"].eq("western").all()
    assert not merged.duplicated(["doc_id", "turn"]).any()
    assert len(merged) == len(turns) and turns["doc_id"].isin(["trend_efe"]).any()  # input untouched
