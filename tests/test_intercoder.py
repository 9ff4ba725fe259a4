"""Krippendorff's alpha against Krippendorff's worked example, a table worked by hand, and an
independent implementation (the krippendorff package); bootstrap intervals by simulation."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from analysis.intercoder import alpha_table, binary_alpha, coincidences, krippendorff_alpha, verdict

NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the nominal example: four
# observers, twelve units, missing values; alpha = 0.743.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)


def test_the_published_nominal_example():
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)


def test_a_binary_table_worked_by_hand():
    # Two coders, six paragraphs: A = 1 1 0 0 0 0, B = 1 0 0 0 0 0.
    # Coincidences: paragraph 1 gives o11 += 2, paragraph 2 gives o01 += 1 and o10 += 1, the four
    # others give o00 += 2 each: o = [[8, 1], [1, 2]], n0 = 9, n1 = 3, n = 12.
    # alpha = 1 - (n - 1) * (o01 + o10) / (n0 n1 + n1 n0) = 1 - 11 * 2 / 54 = 16/27.
    a, b = [1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]
    values, o = coincidences(np.array([a, b], dtype=float))
    assert list(values) == [0, 1] and o.tolist() == [[8, 1], [1, 2]]
    assert binary_alpha(a, b) == pytest.approx(16 / 27)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    data = rng.integers(0, 3, size=(3, 40)).astype(float)
    data[rng.random(data.shape) < 0.15] = NAN
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(expected)


def test_perfect_agreement_is_one_and_constant_codes_are_undefined():
    assert binary_alpha([1, 0, 1, 0], [1, 0, 1, 0]) == 1
    assert np.isnan(binary_alpha([0, 0, 0], [0, 0, 0]))
    assert verdict(float("nan")) == "undefined"


def _codings(n, rate, flip, seed):
    rng = np.random.default_rng(seed)
    truth = rng.random((n, 2)) < rate
    noisy = truth ^ (rng.random((n, 2)) < flip)
    ids = [f"p{i}" for i in range(n)]
    first = pd.DataFrame(truth.astype(int), columns=["x", "y"]).assign(para_id=ids)
    second = pd.DataFrame(noisy.astype(int), columns=["x", "y"]).assign(para_id=ids)
    return first, second


def test_the_table_per_frame_and_overall_matches_the_direct_computation():
    first, second = _codings(200, 0.3, 0.05, seed=1)
    table = alpha_table(first, second, ["x", "y"], n_boot=200, seed=3)
    assert list(table["frame"]) == ["x", "y", "all frames"]
    for frame in ["x", "y"]:
        row = table.set_index("frame").loc[frame]
        assert row["alpha"] == pytest.approx(binary_alpha(first[frame], second[frame]))
        assert row["ci_low"] <= row["alpha"] <= row["ci_high"]
    pooled = binary_alpha(first[["x", "y"]].to_numpy().ravel(), second[["x", "y"]].to_numpy().ravel())
    assert table.set_index("frame").loc["all frames", "alpha"] == pytest.approx(pooled)
    # the same seed gives the same interval
    assert table.equals(alpha_table(first, second, ["x", "y"], n_boot=200, seed=3))


def test_the_codings_must_cover_the_same_paragraphs():
    first, second = _codings(20, 0.3, 0.1, seed=2)
    with pytest.raises(ValueError, match="different paragraphs"):
        alpha_table(first, second.iloc[1:], ["x", "y"])


def test_bootstrap_intervals_cover_the_population_alpha_about_95_percent():
    # Population: paragraphs coded present at rate 0.3, the second coder flipping 10 % of
    # decisions. Its alpha is computed on a very large sample; 200 samples of 300 paragraphs
    # (the size of our reliability sample) should cover it about 95 % of the time.
    big_a, big_b = _codings(400_000, 0.3, 0.1, seed=99)
    population = binary_alpha(big_a["x"], big_b["x"])
    covered = 0
    for seed in range(200):
        first, second = _codings(300, 0.3, 0.1, seed=seed)
        row = alpha_table(first[["para_id", "x"]], second[["para_id", "x"]], ["x"], n_boot=400, seed=seed).iloc[0]
        covered += row["ci_low"] <= population <= row["ci_high"]
    assert 0.90 <= covered / 200 <= 0.99
