"""The frame model and its held-out evaluation: determinism, grouping, intervals, and the seed coding."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.frames.evaluation import (
    agreement,
    agreement_intervals,
    compare_methods,
    f1_differences,
    heldout_predictions,
    learning_curve,
    target_verdicts,
)
from analysis.frames.model import fit_model, predict, predict_proba
from analysis.frames.sentences import target_line
from analysis.stats.resampling import grouped_folds

FRAMES = ["legal", "victims"]


def _toy(n_docs: int = 8, seed: int = 0) -> pd.DataFrame:
    """Paragraphs of ``n_docs`` interviews: 'legal' where sovereignty or law is argued, 'victims'
    where civilians suffer; some answers say it only in their question."""
    rng = np.random.default_rng(seed)
    legal = ["our sovereignty must be respected", "international law is on our side", "the border is recognised"]
    victims = ["civilians were killed in the city", "houses were destroyed by shelling", "children died in Ganja"]
    other = ["the weather was fine that day", "we will talk about the economy", "thank you for the question"]
    rows = []
    for d in range(n_docs):
        for k in range(12):
            is_legal, is_victim = rng.random() < 0.4, rng.random() < 0.3
            words = [rng.choice(other)]
            words += [rng.choice(legal)] if is_legal else []
            words += [rng.choice(victims)] if is_victim else []
            rows.append((f"d{d}-{k:03d}-p1", f"d{d}", " and ".join(words), "", int(is_legal), int(is_victim)))
    return pd.DataFrame(rows, columns=["para_id", "doc_id", "text", "context", *FRAMES])


def _fit(table, book, seed=0):
    return fit_model(table["text"], table["context"], table[FRAMES], table["doc_id"], book, FRAMES, seed)


def test_the_model_learns_a_frame_from_its_words_and_is_the_same_for_the_same_seed(book):
    table = _toy()
    first, second = _fit(table, book), _fit(table, book)
    texts = ["our sovereignty must be respected", "thank you for the question", "children died in Ganja"]
    p1, p2 = predict_proba(first, texts), predict_proba(second, texts)
    pd.testing.assert_frame_equal(p1, p2)
    assert p1.loc[0, "legal"] > 0.5 > p1.loc[1, "legal"] and p1.loc[2, "victims"] > 0.5 > p1.loc[1, "victims"]
    assert predict(first, texts).to_numpy().tolist() == [[1, 0], [0, 0], [0, 1]]
    assert set(first.settings["frame"]) == set(FRAMES)


def test_folds_never_split_an_interview_and_every_paragraph_is_predicted_once(book):
    table = _toy()
    folds = grouped_folds(table["doc_id"], 4)
    docs = table["doc_id"].to_numpy()
    assert all(not set(docs[train]) & set(docs[test]) for train, test in folds)
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(len(table)))
    held = heldout_predictions(table, book, FRAMES, n_splits=4)
    assert held.predicted["para_id"].tolist() == table["para_id"].tolist()
    assert held.predicted.groupby("doc_id")["fold"].nunique().max() == 1
    assert agreement(held.predicted, table, FRAMES).set_index("frame").loc["macro", "f1"] > 0.9


def test_interval_point_estimates_equal_the_plain_agreement_and_bracket_it():
    rng = np.random.default_rng(1)
    gold = pd.DataFrame(rng.integers(0, 2, (200, 2)), columns=FRAMES)
    predicted = gold.where(rng.random((200, 2)) > 0.2, 1 - gold)
    groups = np.repeat([f"i{k}" for k in range(20)], 10)
    table = agreement_intervals(predicted, gold, groups, FRAMES, n_boot=500).set_index("frame")
    plain = agreement(predicted, gold, FRAMES).set_index("frame")
    for measure in ("precision", "recall", "f1", "kappa"):
        assert np.allclose(table[measure], plain[measure])
        assert (table[f"{measure}_low"] <= table[measure]).all() and (table[measure] <= table[f"{measure}_high"]).all()
    assert table.loc["macro", "f1_high"] - table.loc["macro", "f1_low"] > 0.01


def test_target_line_names_the_frames_that_miss():
    table = pd.DataFrame(
        {
            "frame": ["legal", "victims", "macro"],
            "f1": [0.9, 0.6, 0.75],
            "f1_low": [0.8, 0.5, 0.7],
            "f1_high": [1, 0.7, 0.8],
        }
    )
    line = target_line(table, {"legal": "Law", "victims": "Victims"})
    verdicts = target_verdicts(table).set_index("frame")["verdict"]
    assert verdicts.to_dict() == {"legal": "meets 0.85", "victims": "below 0.65", "macro": "misses 0.85"}
    assert "**0.75** [0.70, 0.80]" in line and "**not met**" in line and "Below 0.65: Victims (0.60)" in line


def test_the_learning_curve_grows_with_the_paragraphs_learned_from(book):
    curve = learning_curve(_toy(12), book, FRAMES, shares=(0.2, 1.0), n_splits=3)
    sizes = curve.groupby("share")["n_paragraphs"].first()
    assert sizes[0.2] < sizes[1.0]
    assert set(curve["frame"]) == {*FRAMES, "macro"}


def _noisy(gold: pd.DataFrame, error: float, rng) -> pd.DataFrame:
    return gold.where(rng.random(gold.shape) > error, 1 - gold)


def test_the_f1_difference_is_paired_over_the_same_interviews():
    rng = np.random.default_rng(2)
    gold = pd.DataFrame(rng.integers(0, 2, (300, 2)), columns=FRAMES)
    groups = np.repeat([f"i{k}" for k in range(30)], 10)
    good, poor = _noisy(gold, 0.1, rng), _noisy(gold, 0.3, rng)
    diff = f1_differences({"good": good, "poor": poor, "same": good}, gold, groups, FRAMES, n_boot=500)
    diff = diff.set_index(["method", "frame"])
    plain = {name: agreement(t, gold, FRAMES).set_index("frame")["f1"] for name, t in (("good", good), ("poor", poor))}
    assert np.allclose(diff.loc["poor", "difference"][FRAMES], (plain["poor"] - plain["good"])[FRAMES])
    assert (diff.loc["poor", "difference_high"] < 0).all()  # clearly worse, frame by frame and macro
    assert (diff.loc["same"][["difference", "difference_low", "difference_high"]] == 0).all().all()


def test_the_target_line_says_whether_the_model_beats_the_cues_from_the_paired_interval():
    rng = np.random.default_rng(3)
    gold = pd.DataFrame(rng.integers(0, 2, (300, 2)), columns=FRAMES)
    groups = np.repeat([f"i{k}" for k in range(30)], 10)
    model = _noisy(gold, 0.1, rng)
    for cues, verdict in ((_noisy(gold, 0.3, rng), "the model is better"), (model, "cannot tell them apart")):
        table = compare_methods({"model": model, "cues": cues}, gold, groups, FRAMES, n_boot=300)
        line = target_line(table[table.method == "model"], {}, table[table.method == "cues"])
        assert "scored on the same resampled interviews" in line and verdict in line
