"""Krippendorff's alpha against Krippendorff's worked example, a table worked by hand, and an
independent implementation (the krippendorff package); bootstrap intervals by simulation."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from analysis.coding.reliability import alpha_table, binary_alpha, coincidences, krippendorff_alpha, verdict

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


def test_the_sample_size_for_alpha_is_krippendorffs_table():
    from analysis.coding.reliability import sample_size_for_alpha

    # Krippendorff (2019), two coders, level 0.05, p_c = 0.25: 139 units for alpha 0.80, 81 for 0.667
    assert sample_size_for_alpha(0.25) == 139 and sample_size_for_alpha(0.25, alpha_min=0.667) == 81
    assert sample_size_for_alpha(0.75) == 139  # the rarer value counts
    assert sample_size_for_alpha(0.05) > sample_size_for_alpha(0.25)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        sample_size_for_alpha(0.0)


def test_a_human_coder_file_is_found_and_compared_by_frame_and_audience(tmp_path):
    from analysis.coding.reliability import agreement_with_reference, coder_files
    from analysis.coding.sentences import validation_line
    from analysis.coding.sheets import coded_frames, read_sheet

    ids = ["a", "b"]
    paras = [f"p{i}" for i in range(8)]
    reference = pd.DataFrame({"para_id": paras, "a": [1, 0, 1, 0, 1, 0, 1, 0], "b": [0, 0, 1, 1, 0, 0, 1, 1]})
    # the person agrees with the reference on every paragraph but p0 (frame a) and reads only six
    (tmp_path / "coding_jane.csv").write_text(
        "para_id,frames,note\np0,,\np1,,\np2,a b,\np3,b,\np4,a,\np5,,\n", encoding="utf-8"
    )
    (tmp_path / "sample_seed0_n6.csv").write_text("para_id\n", encoding="utf-8")
    found = coder_files(tmp_path)
    assert list(found) == ["jane"] and coder_files(tmp_path / "missing") == {}
    sheet = coded_frames(read_sheet(found["jane"], ids).assign(coder="jane"), "jane", ids)
    groups = pd.DataFrame({"para_id": paras, "group": ["t", "t", "t", "w", "w", "w", "w", "w"]})
    table = agreement_with_reference(sheet, reference, groups, ids, n_boot=50)
    assert set(table["group"]) == {"all", "t", "w"}
    frame_b = table[(table.group == "all") & (table.frame == "b")].iloc[0]
    assert frame_b["alpha"] == 1.0 and frame_b["n_units"] == 6
    frame_a = table[(table.group == "all") & (table.frame == "a")].iloc[0]
    # frame a on six paragraphs: person 0 0 1 0 1 0, reference 1 0 1 0 1 0; alpha by hand from the
    # coincidences: n = 12, n_1 = 5, n_0 = 7, one disagreeing pair -> 1 - 11 * 2 / (2 * 5 * 7) = 0.686
    assert frame_a["alpha"] == pytest.approx(1 - 11 * 2 / (2 * 5 * 7))
    assert table[(table.group == "t") & (table.frame == "a")]["n_units"].iat[0] == 3
    line = validation_line(found, table.assign(coder="jane"), reference[ids].mean(), {"a": "A", "b": "B"})
    assert line.startswith("**Checked against 1 human coder file(s)**") and "on 6 paragraphs" in line
    none = validation_line({}, pd.DataFrame(), pd.Series({"a": 0.25, "b": 0.5}), {"a": "A", "b": "B"})
    assert "No human validation exists" in none and "code 139 paragraphs for the rarest frame (A, 25.0%" in none


def test_the_seed_coding_is_named_model_based_and_a_corpus_of_ones_own_by_reading(tmp_path):
    from analysis import config
    from analysis.corpus.settings import load_config
    from analysis.notebook.about import coding_folder, coding_kind

    assert coding_kind(config.FRAMES_CODED) == "model-based codings"
    assert coding_kind(tmp_path / "frames_coded.csv") == coding_kind(None) == "codings by reading"
    assert coding_folder(load_config(config.SEED_CONFIG)) == config.DATA_CODING
    assert coding_folder(load_config(config.SEED_CONFIG), str(tmp_path)) == tmp_path  # a coding_dir given
