"""Small-group intervals and power: Welch's interval by hand and by simulation, the minimum
detectable effect against the noncentral t, the smallest exact permutation p."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.intervals import (
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
    from analysis.intervals import power_line, power_table

    power = power_table({"t": 6, "r": 6, "w": 11}, [("t", "w"), ("t", "r")], n_tests=39)
    line = power_line(power, 39, str.upper)
    assert line.startswith("* **Power.** With 6 T, 11 W, 6 R interviews, a difference of interview means must reach")
    assert f"d = {power['mde'].min():.1f} to {power['mde'].max():.1f} standard deviations" in line
    assert f"{power['mde_corrected'].min():.1f} to {power['mde_corrected'].max():.1f} after correcting over 39" in line
    # 924 splits of 6 and 6: the smallest two-sided p, 2/924, cannot reach 0.05 / 39
    assert "T vs R can never pass the correction" in line and "T vs W can never" not in line
    assert line.endswith("absence of evidence, not evidence of sameness.")
