"""Agreement statistics by hand and against scikit-learn; the validation computed from the
stored coding."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from analysis.coding.sheets import FIRST_EDITION, SAMPLE_FILE, load_codes
from analysis.errors import CorpusError
from analysis.frames.cues import score_baseline
from analysis.frames.evaluation import agreement, cohen_kappa
from analysis.frames.score import score
from tests.helpers import FRAME_IDS


def test_kappa_by_hand():
    # 10 items; a codes 5 present, b codes 5 present; they agree on 8 (4 both, 4 neither).
    # p_o = 0.8; p_e = 0.5 * 0.5 + 0.5 * 0.5 = 0.5; kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6.
    a = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    b = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert cohen_kappa(a, b) == pytest.approx(0.6)
    assert cohen_kappa(a, a) == 1.0
    with pytest.raises(ValueError, match="same, non-zero number"):
        cohen_kappa(a, b[:5])


def test_agreement_matches_scikit_learn():
    rng = np.random.default_rng(4)
    gold = pd.DataFrame(rng.integers(0, 2, (60, 3)), columns=["a", "b", "c"])
    predicted = pd.DataFrame(rng.integers(0, 4, (60, 3)), columns=["a", "b", "c"])  # counts
    table = agreement(predicted, gold, ["a", "b", "c"]).set_index("frame")
    for frame in "abc":
        p, g = predicted[frame] > 0, gold[frame] > 0
        assert table.loc[frame, "precision"] == pytest.approx(precision_score(g, p))
        assert table.loc[frame, "recall"] == pytest.approx(recall_score(g, p))
        assert table.loc[frame, "f1"] == pytest.approx(f1_score(g, p))
        assert table.loc[frame, "kappa"] == pytest.approx(cohen_kappa_score(g, p))
    assert table.loc["macro", "f1"] == pytest.approx(table.loc[["a", "b", "c"], "f1"].mean())


@pytest.fixture(scope="module")
def coded():
    sample = pd.read_csv(SAMPLE_FILE)
    gold = load_codes(FIRST_EDITION / "frames_pass1.csv", sample, list(FRAME_IDS))
    return sample, gold


def test_the_stored_coding_is_complete_and_stratified(coded):
    sample, gold = coded
    assert len(sample) == len(gold) == 132
    assert sample.groupby(["audience", "split"]).size().to_dict() == {
        ("other", "dev"): 6,
        ("other", "heldout"): 6,
        ("russian", "dev"): 20,
        ("russian", "heldout"): 20,
        ("turkish", "dev"): 20,
        ("turkish", "heldout"): 20,
        ("western", "dev"): 20,
        ("western", "heldout"): 20,
    }
    assert gold["speaker_ok"].all()
    assert gold[list(FRAME_IDS)].sum().min() >= 9  # every frame coded at least nine times


def test_the_codebook_beats_the_baseline_on_the_held_out_half(coded):
    sample, gold = coded
    held = (sample["split"] == "heldout").to_numpy()
    texts = list(sample.loc[held, "text"])
    truth = gold[held].reset_index(drop=True)
    ours = agreement(score(texts, method="cues"), truth, list(FRAME_IDS)).set_index("frame")
    baseline = agreement(score_baseline(texts), truth, list(FRAME_IDS)).set_index("frame")
    assert ours.loc["macro", "f1"] > baseline.loc["macro", "f1"] + 0.1


def test_a_sheet_that_does_not_match_the_sample_is_refused(coded, tmp_path):
    sample, _ = coded
    sheet = pd.read_csv(FIRST_EDITION / "frames_pass1.csv", dtype=str, keep_default_na=False)
    sheet.iloc[:-1].to_csv(tmp_path / "short.csv", index=False)
    with pytest.raises(CorpusError, match="does not match the sample"):
        load_codes(tmp_path / "short.csv", sample, list(FRAME_IDS))
    sheet.loc[0, "frames"] = "legal sovereignty"
    sheet.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(CorpusError, match="bad.csv:2: frame ids \\['sovereignty'\\]"):
        load_codes(tmp_path / "bad.csv", sample, list(FRAME_IDS))


def test_the_second_pass_codes_the_held_out_half_and_sets_a_ceiling_above_the_detector(coded):
    sample, gold = coded
    held = (sample["split"] == "heldout").to_numpy()
    held_sample = sample[held].reset_index(drop=True)
    second = load_codes(FIRST_EDITION / "frames_pass2.csv", held_sample, list(FRAME_IDS))
    assert len(second) == 66 and second["speaker_ok"].all()
    first = gold[held].reset_index(drop=True)
    passes = agreement(second, first, list(FRAME_IDS)).set_index("frame")
    detector = agreement(score(list(held_sample["text"]), method="cues"), first, list(FRAME_IDS)).set_index("frame")
    # The passes were coded apart, so they differ somewhere, yet agree far better than chance.
    assert (second[list(FRAME_IDS)] != first[list(FRAME_IDS)]).any(axis=None)
    assert passes.loc["macro", "kappa"] > detector.loc["macro", "kappa"]
    assert passes.loc[list(FRAME_IDS), "kappa"].min() > 0.6
