"""Precision-weighted pooling against an independent implementation and hand-worked limits; the
small-interview sentence and the profile flags on hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from analysis.stats.pooling import drop_small, pooled_shares, profile_changes, random_effects_mean
from analysis.stats.sentences import profile_line, small_line


def test_random_effects_mean_is_statsmodels_dersimonian_laird_when_tau2_is_positive():
    y, v = np.array([0.1, 0.3, 0.5, 0.2]), np.array([0.01, 0.02, 0.05, 0.01])
    mean, se, tau2 = random_effects_mean(y, v)
    reference = combine_effects(y, v, method_re="dl")
    assert (mean, se, tau2) == pytest.approx((reference.mean_effect_re, reference.sd_eff_w_re, reference.tau2))


def test_tau2_is_truncated_at_zero_so_the_mean_is_the_inverse_variance_mean():
    # values closer together than their variances allow: Q < k - 1 (statsmodels returns tau2 < 0)
    y, v = np.array([0.20, 0.21, 0.19]), np.array([0.01, 0.02, 0.05])
    mean, se, tau2 = random_effects_mean(y, v)
    w = 1 / v
    assert tau2 == 0.0
    assert mean == pytest.approx((w * y).sum() / w.sum()) and se == pytest.approx(w.sum() ** -0.5)


def _shares():
    # audience t: one interview of 1 paragraph carrying the frame, two of 20 with 2 and 4
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e", "f"],
            "audience": ["t", "t", "t", "w", "w", "w"],
            "outlet": ["Tiny", "B", "C", "D", "E", "F"],
            "n_units": [1, 20, 20, 10, 10, 10],
            "n_words": [95, 2000, 2100, 900, 1000, 1100],
            "f": [1.0, 0.1, 0.2, 0.3, 0.4, 0.5],
            "g": [0.0, 0.5, 0.6, 0.1, 0.1, 0.2],
        }
    )


def test_a_one_paragraph_interview_moves_the_equal_mean_not_the_pooled_one_and_intervals_stay_shares():
    shares = _shares()
    pooled = pooled_shares(shares, ["f", "g"]).set_index(["frame", "group"])
    equal = shares.groupby("audience")["f"].mean()["t"]  # (1 + 0.1 + 0.2) / 3 = 0.433
    assert equal == pytest.approx(1.3 / 3)
    assert pooled.loc[("f", "t"), "mean"] < 0.25  # the 1-paragraph interview weighs 1 / 41 of the paragraphs
    assert ((pooled["low"] >= 0) & (pooled["high"] <= 1)).all()
    assert drop_small(shares, 5)["doc_id"].tolist() == ["b", "c", "d", "e", "f"]


def test_small_line_names_the_interviews_below_the_minimum_with_their_size():
    text = small_line(_shares(), 5)
    assert "1 of 6 interviews fall below it: Tiny (t, 1 paragraph, 95 words)" in text
    assert "steps of 25% or more" in text
    assert "No interview falls below it" in small_line(_shares(), 1)


def test_a_changed_top_frame_is_flagged_with_both_profiles():
    equal = pd.DataFrame({"frame": ["f", "g", "h"], "group": "t", "mean": [0.5, 0.4, 0.1]})
    other = pd.DataFrame({"frame": ["f", "g", "h"], "group": "t", "mean": [0.5, 0.05, 0.1]})
    changes = profile_changes({"equal weights": equal, "pooled": other}, k=2)
    assert changes["changed"].tolist() == [False, True]
    line = profile_line(changes, {"f": "F", "g": "G", "h": "H"})
    assert "changed" in line and "t pooled: F, H (equal weights: F, G)" in line
    assert "changed" not in profile_line(
        profile_changes({"equal weights": equal, "same": equal}), {"f": "F", "g": "G", "h": "H"}
    )
