"""Small-group intervals and power: Welch's interval by hand and by simulation, the minimum
detectable effect against the noncentral t, the smallest exact permutation p."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats.intervals import (
    mean_interval,
    minimum_detectable_effect,
    power_table,
    smallest_permutation_p,
    welch_interval,
    welch_table,
)


def test_welch_interval_worked_by_hand():
    a, b = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0, 8.0]
    # var a = 1, var b = 20/3; se^2 = 1/3 + 5/3 = 2; df = 4 / ((1/3)^2/2 + (5/3)^2/3) = 4 / (1/18 + 25/27)
    df = 4 / (1 / 18 + 25 / 27)
    out = welch_interval(a, b)
    assert out["difference"] == -3 and out["df"] == pytest.approx(df)
    half = stats.t.ppf(0.975, df) * np.sqrt(2)
    assert (out["low"], out["high"]) == pytest.approx((-3 - half, -3 + half))
    assert out["p"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)


@pytest.mark.parametrize("n_a, n_b, sd_b", [(3, 11, 1.0), (6, 6, 3.0), (6, 11, 0.5), (3, 3, 2.0)])
def test_welch_intervals_cover_about_95_percent_for_groups_of_3_to_11(n_a, n_b, sd_b):
    rng = np.random.default_rng(n_a * 100 + n_b)
    covered = 0
    for _ in range(2000):
        a, b = rng.normal(1.0, 1.0, n_a), rng.normal(0.0, sd_b, n_b)
        out = welch_interval(a, b)
        covered += out["low"] <= 1.0 <= out["high"]
    assert 0.93 <= covered / 2000 <= 0.975


def test_a_mean_interval_is_students():
    mean, low, high = mean_interval([2.0, 4.0, 6.0])
    half = stats.t.ppf(0.975, 2) * 2 / np.sqrt(3)
    assert (mean, low, high) == pytest.approx((4.0, 4 - half, 4 + half))
    assert np.isnan(mean_interval([1.0])[1])


def test_the_minimum_detectable_effect_gives_the_stated_power():
    d = minimum_detectable_effect(6, 11)
    df, nc = 15, d * np.sqrt(6 * 11 / 17)
    critical = stats.t.ppf(0.975, df)
    assert stats.nct.sf(critical, df, nc) + stats.nct.cdf(-critical, df, nc) == pytest.approx(0.80, abs=1e-6)
    assert d == pytest.approx(1.52, abs=0.01) and minimum_detectable_effect(6, 11, 0.05 / 39) == pytest.approx(
        2.50, abs=0.01
    )


def test_exact_permutation_tests_have_a_floor():
    assert smallest_permutation_p(6, 6) == pytest.approx(2 / 924)
    table = power_table(
        {"turkish": 6, "russian": 6, "western": 11}, [("turkish", "russian"), ("turkish", "western")], 39
    )
    row = table.set_index("group_b").loc["russian"]
    assert row["splits"] == comb(12, 6) == 924 and not row["can_pass"]  # 2/924 > 0.05/39
    assert table.set_index("group_b").loc["western", "can_pass"]


def test_welch_table_by_group_pairs():
    table = pd.DataFrame({"audience": ["t"] * 3 + ["w"] * 4, "x": [1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 8.0]})
    out = welch_table(table, ["x"], [("t", "w")]).iloc[0]
    assert out["difference"] == -3 and out["n_a"] == 3 and out["n_b"] == 4
    with pytest.raises(ValueError, match="at least two values"):
        welch_interval([1.0], [2.0, 3.0])


def test_the_power_sentence_reads_the_power_table():
    from analysis.stats.intervals import power_table
    from analysis.stats.sentences import power_line

    power = power_table({"t": 6, "r": 6, "w": 11}, [("t", "w"), ("t", "r")], n_tests=39)
    line = power_line(power, 39, str.upper)
    assert line.startswith("* **Power.** With 6 T, 11 W, 6 R interviews, a difference of interview means must reach")
    assert f"d = {power['mde'].min():.1f} to {power['mde'].max():.1f} standard deviations" in line
    assert f"{power['mde_corrected'].min():.1f} to {power['mde_corrected'].max():.1f} after correcting over 39" in line
    # 924 splits of 6 and 6: the smallest two-sided p, 2/924, cannot reach 0.05 / 39
    assert "T vs R can never pass the correction" in line and "T vs W can never" not in line
    assert line.endswith("absence of evidence, not evidence of sameness.")


def test_clopper_pearson_is_statsmodels_beta_interval_for_whole_counts():
    from statsmodels.stats.proportion import proportion_confint

    from analysis.stats.intervals import clopper_pearson

    for count, n in [(0, 6), (3, 11), (6, 6), (1, 40)]:
        assert clopper_pearson(count, n) == pytest.approx(proportion_confint(count, n, 0.05, method="beta"))


def test_a_share_interval_worked_by_hand():
    from analysis.stats.intervals import share_interval

    values = [0.0, 0.1, 0.2, 0.5]  # mean 0.2, variance of the mean (0.04 + 0.01 + 0 + 0.09) / 3 / 4
    mean, low, high = share_interval(values)
    variance = (0.04 + 0.01 + 0.0 + 0.09) / 3 / 4
    n_eff = 0.2 * 0.8 / variance * (stats.norm.ppf(0.975) / stats.t.ppf(0.975, 3)) ** 2
    x = 0.2 * n_eff
    assert mean == pytest.approx(0.2)
    assert (low, high) == pytest.approx(
        (stats.beta.ppf(0.025, x, n_eff - x + 1), stats.beta.ppf(0.975, x + 1, n_eff - x))
    )
    # the Student t interval of the same values leaves [0, 1]; this one does not
    assert mean_interval(values)[1] < 0 <= low
    # no spread, or a mean of 0: the interviews count as one yes-or-no each
    assert share_interval([0.0, 0.0, 0.0]) == pytest.approx((0.0, 0.0, 1 - 0.025 ** (1 / 3)))
    assert share_interval([1.0, 1.0]) == pytest.approx((1.0, 0.025 ** (1 / 2), 1.0))
    assert np.isnan(share_interval([0.3])[1])
    with pytest.raises(ValueError, match=r"shares must lie in \[0, 1\]"):
        share_interval([0.2, 1.5])


@pytest.mark.parametrize(
    "k, share, spread",
    [(3, 0.3, 2), (3, 0.1, 20), (6, 0.5, 2), (6, 0.1, 20), (6, 0.3, 20), (11, 0.3, 2), (11, 0.1, 20), (11, 0.5, 20)],
)
def test_share_intervals_cover_about_95_percent_and_stay_in_0_1_for_groups_of_3_to_11(k, share, spread):
    """Interviews of 3 to 60 paragraphs whose own rates vary (beta with mean ``share`` and
    concentration ``spread``: 2 very unequal interviews, 20 similar ones); the target is the mean
    of interview shares."""
    from analysis.stats.intervals import share_interval

    rng = np.random.default_rng(k * 1000 + int(share * 100) + spread)
    covered, inside = 0, True
    for _ in range(2000):
        rates = rng.beta(share * spread, (1 - share) * spread, k)
        paragraphs = rng.integers(3, 60, k)
        _, low, high = share_interval(rng.binomial(paragraphs, rates) / paragraphs)
        covered += low <= share <= high
        inside &= 0 <= low <= high <= 1
    assert inside and 0.93 <= covered / 2000 <= 0.985


def test_group_intervals_of_shares_stay_in_0_1():
    from analysis.stats.intervals import group_intervals

    table = pd.DataFrame({"audience": ["o"] * 3 + ["t"] * 6, "x": [0.0, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]})
    t = group_intervals(table, ["x"]).set_index("group")
    shares = group_intervals(table, ["x"], share=True).set_index("group")
    assert (t["low"] < 0).all() and (t["high"] > 1).any()  # [-35, 114] % as in the issue
    assert (shares["low"] >= 0).all() and (shares["high"] <= 1).all()
    assert shares["mean"].tolist() == pytest.approx(t["mean"].tolist())


def test_share_intervals_are_found_by_their_column_names():
    from analysis.stats.intervals import share_interval_columns, shares_outside

    assert share_interval_columns(["frame", "group", "n", "mean", "low", "high"]) == [("mean", "low", "high")]
    assert share_interval_columns(["topic", "share", "low", "high"]) == [("share", "low", "high")]
    # a difference of shares, an odds ratio, an alpha: not shares, whatever else the table holds
    assert share_interval_columns(["share_a", "share_b", "difference", "low", "high"]) == []
    assert (
        share_interval_columns(["ratio", "low", "high"]) == share_interval_columns(["alpha", "ci_low", "ci_high"]) == []
    )
    assert share_interval_columns(
        ["prevalence", "prevalence_low", "prevalence_high", "coherence_low", "coherence_high"]
    ) == [("prevalence", "prevalence_low", "prevalence_high")]
    assert share_interval_columns(["uptake_share", "uptake_share_low", "uptake_share_high"]) == [
        ("uptake_share", "uptake_share_low", "uptake_share_high")
    ]
    # a bare estimate is a share (a prevalence) unless the table compares two groups
    assert share_interval_columns(["group", "estimate", "low", "high"]) == [("estimate", "low", "high")]
    assert share_interval_columns(["group_a", "group_b", "estimate", "low", "high"]) == []
    # a claim's estimate under each specification (a difference or an odds ratio): a contrast too
    assert share_interval_columns(["frame", "higher", "lower", "specification", "estimate", "low", "high"]) == []
    # share_difference_low is the interval of share_difference, not of a share
    assert share_interval_columns(["share_difference", "share_difference_low", "share_difference_high"]) == []
    table = pd.DataFrame({"mean": [0.29, 0.3, 0.1], "low": [-0.08, 0.1, np.nan], "high": [0.66, 0.5, np.nan]})
    outside = shares_outside(table)
    assert outside[["estimate", "row", "low_value"]].values.tolist() == [["mean", 0, -0.08]]
    assert shares_outside(table.iloc[1:]).empty
