"""Design-based supervised learning: the formula by hand, and bias and coverage by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.coding.sample import stratified_sample
from analysis.frames.dsl import beside_full, dsl_estimates, pseudo_outcomes, recovery, redraw_check
from analysis.frames.sentences import bounds_line, recovery_line, redraw_line

TRUTH = {"a": 0.3, "b": 0.5}
#: The detector errs differently by group: (sensitivity, false-positive rate).
DETECTOR = {"a": (0.9, 0.05), "b": (0.6, 0.2)}


def test_pseudo_outcomes_worked_by_hand():
    predicted = np.array([[1.0], [0.0], [1.0]])
    coded = np.array([[0.0], [np.nan], [1.0]])
    tilde = pseudo_outcomes(predicted, coded, np.array([True, False, True]), np.array([0.5, 0.5, 0.25]))
    # 1 + (0 - 1) / 0.5 = -1; unsampled keeps its prediction; 1 + 0 = 1
    assert tilde[:, 0].tolist() == [-1.0, 0.0, 1.0]
    with pytest.raises(ValueError, match="sampling probability"):
        pseudo_outcomes(predicted, coded, np.array([True, False, True]), np.array([0.5, 0.0, 0.25]))


def test_estimates_and_cluster_variance_worked_by_hand():
    # Two interviews of group g, fully coded (pi = 1): the estimate is the coded share.
    table = pd.DataFrame(
        {
            "audience": "g",
            "doc_id": ["x", "x", "y", "y"],
            "sampled": True,
            "probability": 1.0,
            "pred_f": [1, 1, 1, 1],
            "f": [1, 0, 1, 1],
        }
    )
    prevalence, _ = dsl_estimates(table, ["f"], weight="paragraphs")
    row = prevalence.iloc[0]
    assert row["estimate"] == 0.75 and row["naive"] == 1.0
    # u_x = (0.25 - 0.75) / 4 = -0.125, u_y = 0.125; V = 2/1 * (2 * 0.015625) = 0.0625
    assert row["se"] == pytest.approx(0.25)
    by_interview, _ = dsl_estimates(table, ["f"], weight="interviews")
    assert by_interview.iloc[0]["estimate"] == pytest.approx((0.5 + 1.0) / 2)


def _simulate(rng: np.random.Generator, n_clusters: int = 30, size: int = 20, share: float = 0.25) -> pd.DataFrame:
    parts = []
    for group, p in TRUTH.items():
        prevalence = np.clip(p + rng.normal(0, 0.1, n_clusters), 0.01, 0.99)
        truth = rng.random((n_clusters, size)) < prevalence[:, None]
        sensitivity, false_positive = DETECTOR[group]
        predicted = np.where(truth, rng.random(truth.shape) < sensitivity, rng.random(truth.shape) < false_positive)
        sampled = rng.random(truth.shape) < share
        parts.append(
            pd.DataFrame(
                {
                    "audience": group,
                    "doc_id": np.repeat([f"{group}{c}" for c in range(n_clusters)], size),
                    "f": truth.ravel().astype(int),
                    "pred_f": predicted.ravel().astype(int),
                    "sampled": sampled.ravel(),
                    "probability": share,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def test_dsl_is_unbiased_and_covers_where_the_naive_estimate_is_biased():
    rng = np.random.default_rng(2023)
    true_difference = TRUTH["a"] - TRUTH["b"]
    estimates, covered, naive = [], [], []
    for _ in range(400):
        prevalence, differences = dsl_estimates(_simulate(rng), ["f"], weight="paragraphs")
        d = differences.iloc[0]
        estimates.append(d["estimate"])
        naive.append(d["naive"])
        covered.append(d["low"] <= true_difference <= d["high"])
        covered.append(all(r.low <= TRUTH[r.group] <= r.high for r in prevalence.itertuples()))
    estimates = np.array(estimates)
    monte_carlo_se = estimates.std(ddof=1) / np.sqrt(len(estimates))
    assert abs(estimates.mean() - true_difference) < 3 * monte_carlo_se
    # 800 intervals (400 differences, 400 pairs of group means): a binomial 95% band around 0.95
    # for the differences and the joint coverage of two independent intervals (0.95^2 ~ 0.90).
    coverage_difference = np.mean(covered[0::2])
    coverage_both = np.mean(covered[1::2])
    assert 0.92 <= coverage_difference <= 0.98, coverage_difference
    assert 0.86 <= coverage_both <= 0.94, coverage_both
    # The naive difference: 0.305 - 0.40 expected, against a true -0.20.
    assert np.mean(naive) - true_difference > 0.08


def test_a_stratified_sample_records_its_exact_probabilities():
    table = pd.DataFrame({"doc_id": ["a"] * 10 + ["b"] * 3})
    drawn = stratified_sample(table, 0.2, seed=1)
    assert drawn.groupby("doc_id")["sampled"].sum().tolist() == [2, 1]
    assert drawn.groupby("doc_id")["probability"].first().tolist() == [0.2, pytest.approx(1 / 3)]
    assert drawn.equals(stratified_sample(table, 0.2, seed=1))


def test_the_recovery_line_counts_covered_cells():
    estimates = pd.DataFrame(
        {
            "frame": ["f", "f"],
            "group": ["a", "b"],
            "estimate": [0.3, 0.5],
            "low": [0.2, 0.45],
            "high": [0.4, 0.55],
            "naive": [0.2, 0.7],
        }
    )
    full = pd.DataFrame({"frame": ["f", "f"], "group": ["a", "b"], "full": [0.35, 0.6]})
    table = recovery(estimates, full)
    assert table["covered"].tolist() == [True, False]
    assert recovery_line(table, 0.2).startswith(
        "With a 20% random coded sample and the model's predictions, **1 of 2**"
    )
    assert "7.5 points from it on average, the model's predictions alone 12.5 points" in recovery_line(table, 0.2)


def test_estimates_stay_in_zero_one_and_the_reason_is_said_when_the_unbiased_mean_leaves_it():
    # One interview-group with a frame the model marks in a coded paragraph the coding lacks:
    # pseudo-outcomes 1 + (0 - 1) / 0.5 = -1 and 0 (unsampled, not predicted): mean -0.5.
    table = pd.DataFrame(
        {
            "audience": "g",
            "doc_id": ["x", "x", "y", "y"],
            "sampled": [True, False, True, False],
            "probability": 0.5,
            "pred_f": [1, 0, 1, 0],
            "f": [0, 0, 0, 0],
        }
    )
    prevalence, _ = dsl_estimates(table, ["f"], weight="paragraphs")
    row = prevalence.iloc[0]
    assert row["unbounded"] == -0.5 and row["estimate"] == 0.0 and row["low"] == 0.0 and row["high"] >= 0.0
    assert bounds_line(prevalence, str.upper).startswith(
        "1 of 1 DSL estimates fall outside [0, 1] before bounding (furthest: f, G, -0.500)"
    )
    assert bounds_line(prevalence.assign(unbounded=0.2)) == ""


def test_redrawn_samples_give_unbiased_estimates_that_cover_the_full_coding():
    """A simulation: one corpus with full coding and fixed predictions whose errors differ by
    group; only the coded sample is redrawn, 300 times."""
    corpus = _simulate(np.random.default_rng(7), n_clusters=8, size=25)
    prevalence, differences = redraw_check(corpus, ["f"], share=0.25, n_draws=300, seed=1, weight="interviews")
    # The target worked independently: the mean over interviews of each interview's coded share.
    by_interview = corpus.groupby(["audience", "doc_id"])["f"].mean().groupby("audience").mean()
    assert prevalence.set_index("group")["full"].to_dict() == pytest.approx(by_interview.to_dict())
    assert differences.iloc[0]["full"] == pytest.approx(by_interview["a"] - by_interview["b"])
    for table in (prevalence, differences):
        monte_carlo_se = table["rmse"] / np.sqrt(300)  # rmse ~ sd when unbiased
        assert (table["bias"].abs() < 3 * monte_carlo_se).all(), table
        # Interview-clustered intervals treat the interviews as drawn too, so over redraws of the
        # sample alone they cover at least their level (here the design variance is all there is).
        assert (table["coverage"] >= 0.93).all(), table
    assert abs(differences.iloc[0]["naive_bias"]) > 0.08  # the detector's group-dependent errors
    line = redraw_line(prevalence, differences, 0.25)
    assert line.startswith("Over **300 draws** of a 25% coded sample within each interview")
    assert f"{prevalence['coverage'].mean():.1%} mean coverage" in line


def test_dsl_differences_sit_beside_the_full_codings_in_the_same_direction():
    dsl = pd.DataFrame(
        {"frame": ["f", "g"], "group_a": "a", "group_b": "b", "estimate": [0.2, 0.05], "low": [0.1, -0.05],
         "high": [0.3, 0.15]}
    )  # fmt: skip
    # The full coding's Welch table reads b against a for f, a against b for g.
    full = pd.DataFrame(
        {"column": ["f", "g"], "group_a": ["b", "a"], "group_b": ["a", "b"], "difference": [-0.25, 0.1],
         "low": [-0.4, 0.02], "high": [-0.1, 0.18]}
    )  # fmt: skip
    table = beside_full(dsl, full)
    assert table[["full", "full_low", "full_high"]].to_numpy().tolist() == [[0.25, 0.1, 0.4], [0.1, 0.02, 0.18]]
    assert table["same_verdict"].tolist() == [True, False]  # g: DSL crosses 0, the full coding does not
