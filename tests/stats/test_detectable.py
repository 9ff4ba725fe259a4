"""The smallest detectable odds ratio of a contrast: a case worked by hand, the standard error read
back from an interval, power checked by simulation, and the table 04_framing_2_audiences writes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.stats.detectable import detectable_ratio, detectable_table, log_se


def test_detectable_ratio_worked_by_hand():
    # z_0.975 = 1.959964, z_0.80 = 0.841621: their sum 2.801585 times se 0.5 is 1.400793, exp of it 4.058
    assert detectable_ratio(0.5) == pytest.approx(math.exp(2.801585 * 0.5), rel=1e-6)
    assert round(detectable_ratio(0.5), 3) == 4.058
    # Student's t with 22 df: t_0.975 = 2.073873, t_0.80 = 0.858266
    assert detectable_ratio(0.5, df=22) == pytest.approx(math.exp((2.073873 + 0.858266) * 0.5), rel=1e-6)
    assert detectable_ratio(0.5, alpha=0.05 / 39) > detectable_ratio(0.5)


def test_the_standard_error_is_read_back_from_the_interval():
    se, log_ratio = 0.3, math.log(2.0)
    low, high = math.exp(log_ratio - 1.959964 * se), math.exp(log_ratio + 1.959964 * se)
    assert log_se(low, high) == pytest.approx(se, rel=1e-6)
    half = stats.t.ppf(0.975, 22) * se
    assert log_se(math.exp(log_ratio - half), math.exp(log_ratio + half), df=22) == pytest.approx(se, rel=1e-9)
    with pytest.raises(ValueError, match="positive and ordered"):
        log_se(0.0, 2.0)


@pytest.mark.parametrize("df", [None, 22])
def test_a_true_ratio_at_the_detectable_size_is_found_with_80_percent_power_by_simulation(df):
    rng = np.random.default_rng(7)
    se, n = 0.4, 200_000
    truth = math.log(detectable_ratio(se, df=df))
    estimates = rng.normal(truth, se, n)
    # The standard error itself is estimated: with df, it varies as a chi-square over df.
    se_hat = se * np.sqrt(rng.chisquare(df, n) / df) if df else np.full(n, se)
    critical = stats.t.ppf(0.975, df) if df else stats.norm.ppf(0.975)
    power = np.mean(np.abs(estimates / se_hat) > critical)
    assert power == pytest.approx(0.80, abs=0.015)


def test_the_table_gives_each_contrast_its_detectable_ratio_before_and_after_correction():
    effects = pd.DataFrame(
        {"frame": ["x", "y", "z"], "group_a": ["a", "a", "a"], "group_b": ["b", "c", "c"],
         "ratio": [2.0, 1.1, np.inf], "low": [1.2, 0.5, np.nan], "high": [3.3, 2.4, np.nan],
         "p_holm": [0.01, 1.0, 1.0], "n_interviews": [23, 23, 23]}
    )  # fmt: skip
    table = detectable_table(effects)
    assert table["frame"].tolist() == ["x", "y"]  # z has no interval (a fit at the edge)
    se = (math.log(2.4) - math.log(0.5)) / (2 * stats.t.ppf(0.975, 22))
    y = table.iloc[1]
    assert y["se_log"] == pytest.approx(se) and y["df"] == 22
    assert y["detectable_ratio"] == pytest.approx(math.exp((stats.t.ppf(0.975, 22) + stats.t.ppf(0.8, 22)) * se))
    # Holm's strictest step over the 3 contrasts of the family, the one without an interval included
    assert y["alpha_corrected"] == pytest.approx(0.05 / 3) and y["family"] == 3
    assert y["detectable_ratio_corrected"] == pytest.approx(detectable_ratio(se, 0.05 / 3, df=22))
    assert table["survives"].tolist() == [True, False]
