"""Regression models checked against what can be worked by hand: with only the group in the
model, the Poisson rate ratio is the ratio of pooled rates with SE sqrt(1/C_a + 1/C_b), and the
logistic odds ratio is the ratio of pooled odds; clustered intervals keep their coverage by
simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.models import design, presence_effects, rate_effects, war_day


def _counts():
    # three interviews per group: counts of a word and the interviews' words
    return pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "audience": ["t", "t", "t", "w", "w", "w"],
            "n_words": [100, 400, 500, 1000, 1500, 500],
            "turkey": [3, 9, 8, 6, 10, 4],
        }
    )


def test_a_poisson_rate_ratio_is_the_ratio_of_pooled_rates_with_its_textbook_error():
    table = rate_effects(_counts(), ["turkey"], ["t", "w"], covariates=(), scale=1.0).iloc[0]
    # pooled rates: 20 / 1000 words against 20 / 3000 words -> rate ratio 3
    assert table["ratio"] == pytest.approx(3.0)
    se = np.sqrt(1 / 20 + 1 / 20)  # Var(log RR) = 1/C_a + 1/C_b in the Poisson model
    assert table["low"] == pytest.approx(3.0 * np.exp(-1.959964 * se), rel=1e-4)
    assert table["high"] == pytest.approx(3.0 * np.exp(1.959964 * se), rel=1e-4)


def test_quasi_poisson_widens_the_interval_by_the_estimated_dispersion():
    plain = rate_effects(_counts(), ["turkey"], ["t", "w"], covariates=(), scale=1.0).iloc[0]
    quasi = rate_effects(_counts(), ["turkey"], ["t", "w"], covariates=()).iloc[0]
    assert quasi["ratio"] == pytest.approx(plain["ratio"])
    counts = _counts()
    expected = np.where(counts["audience"] == "t", 20 / 1000, 20 / 3000) * counts["n_words"]
    dispersion = (((counts["turkey"] - expected) ** 2 / expected).sum()) / (6 - 2)
    width = lambda row: np.log(row["high"]) - np.log(row["low"])  # noqa: E731
    assert width(quasi) == pytest.approx(width(plain) * np.sqrt(dispersion), rel=1e-3)


def test_a_logistic_odds_ratio_is_the_ratio_of_pooled_odds():
    rows = [
        ("a", "t", 1),
        ("a", "t", 1),
        ("a", "t", 0),
        ("b", "t", 1),
        ("c", "w", 0),
        ("c", "w", 1),
        ("d", "w", 0),
        ("d", "w", 0),
        ("e", "w", 0),
        ("e", "w", 1),
    ]
    paragraphs = pd.DataFrame(rows, columns=["doc_id", "audience", "legal"])
    row = presence_effects(paragraphs, ["legal"], ["t", "w"], covariates=()).iloc[0]
    # Turkish: 3 of 4 -> odds 3; Western: 2 of 6 -> odds 0.5; odds ratio 6
    assert row["ratio"] == pytest.approx(6.0, rel=1e-6) and row["n_interviews"] == 5


def test_collinear_and_constant_covariates_are_left_out_and_named():
    table = pd.DataFrame(
        {"audience": ["t", "t", "w", "w"], "translated": [1, 1, 0, 0], "day": [1, 2, 3, 5], "flat": [1, 1, 1, 1]}
    )
    X, dropped = design(table, ["t", "w"], ["translated", "day", "flat"])
    assert dropped == ["translated", "flat"] and list(X.columns) == ["const", "group[w]", "day"]


def test_war_days_count_from_the_start_and_refuse_other_formats():
    days = war_day(pd.Series(["2020-09-27", "2020-10-05", "20201106", ""]))
    assert days.iloc[0] == 0 and days.iloc[1] == 8 and days.iloc[2:].isna().all()


def test_exposure_must_be_positive():
    counts = _counts().assign(n_words=[0, 400, 500, 1000, 1500, 500])
    with pytest.raises(ValueError, match="positive n_words"):
        rate_effects(counts, ["turkey"], ["t", "w"])


def _clustered(seed, n_per_group=(6, 11), paragraphs=30, effect=0.0, sd=0.8):
    rng = np.random.default_rng(seed)
    rows = []
    for group, n in zip(["t", "w"], n_per_group):
        for k in range(n):
            u = rng.normal(0, sd)  # an interview effect shared by its paragraphs
            p = 1 / (1 + np.exp(-(-0.5 + (effect if group == "t" else 0) + u)))
            rows += [(f"{group}{k}", group, int(rng.random() < p)) for _ in range(paragraphs)]
    return pd.DataFrame(rows, columns=["doc_id", "audience", "legal"])


def test_clustered_intervals_hold_their_coverage_with_few_interviews():
    # No true difference: the 95% interval of the odds ratio should contain 1 in about 95% of
    # samples of 6 and 11 interviews with interview-level variation; a naive logistic fit that
    # ignores the clustering covers far less (about 60% here).
    covered = sum(
        (row := presence_effects(_clustered(s), ["legal"], ["t", "w"], covariates=()).iloc[0])["low"]
        <= 1
        <= row["high"]
        for s in range(200)
    )
    assert covered / 200 >= 0.90


def _shares():
    # three interviews per group: a topic's share of each interview and its words
    return pd.DataFrame(
        {
            "doc_id": list("abcdef"),
            "audience": ["t", "t", "t", "w", "w", "w"],
            "n_tokens": [100.0, 300.0, 600.0, 200.0, 200.0, 600.0],
            "topic": [0.30, 0.20, 0.25, 0.10, 0.05, 0.15],
        }
    )


def test_a_fractional_logit_odds_ratio_is_the_ratio_of_word_weighted_odds_with_a_quasi_binomial_error():
    from scipy import stats

    from analysis.stats.models import share_effects

    data = _shares()
    row = share_effects(data, ["topic"], ["t", "w"], covariates=()).iloc[0]
    # With the group alone, the fitted share of a group is its word-weighted mean share.
    w, s, t = data["n_tokens"], data["topic"], data["audience"] == "t"
    p_t, p_w = (w[t] * s[t]).sum() / w[t].sum(), (w[~t] * s[~t]).sum() / w[~t].sum()
    odds = lambda p: p / (1 - p)  # noqa: E731
    assert row["ratio"] == pytest.approx(odds(p_t) / odds(p_w))
    # Var(log OR) = phi * (1 / (W_t p_t (1 - p_t)) + 1 / (W_w p_w (1 - p_w))), phi = Pearson X2 / (n - 2).
    fitted = np.where(t, p_t, p_w)
    phi = (w * (s - fitted) ** 2 / (fitted * (1 - fitted))).sum() / (6 - 2)
    se = np.sqrt(phi * (1 / (w[t].sum() * p_t * (1 - p_t)) + 1 / (w[~t].sum() * p_w * (1 - p_w))))
    half = stats.t.ppf(0.975, 6 - 2) * se
    assert np.log(row["low"]) == pytest.approx(np.log(row["ratio"]) - half, rel=1e-6)
    assert np.log(row["high"]) == pytest.approx(np.log(row["ratio"]) + half, rel=1e-6)


def test_share_effects_refuse_interviews_without_words():
    from analysis.stats.models import share_effects

    with pytest.raises(ValueError, match="positive n_tokens"):
        share_effects(_shares().assign(n_tokens=0.0), ["topic"], ["t", "w"], covariates=())
