"""The frame model on the seed study's interviews: judged on interviews it never saw, it beats the cue
detector it replaces by default.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.frames.codebook import default_codebook
from analysis.frames.evaluation import (
    agreement,
    heldout_predictions,
)
from analysis.frames.score import score


@pytest.fixture(scope="module")
def seed_table(seed_turns):
    from analysis.coding.sheets import coded_frames, load_coding
    from analysis.coding.units import coding_units
    from analysis.frames.model import training_table

    ids = default_codebook().ids
    return training_table(coding_units(seed_turns), coded_frames(load_coding(), "final", ids))


def test_on_held_out_seed_interviews_the_model_beats_the_cues_it_replaces_by_default(seed_table, book):
    # What justifies score()'s default: grouped folds, settings chosen inside the training folds.
    ids = book.ids
    held = heldout_predictions(seed_table, book, ids, n_splits=4)
    gold = seed_table[ids].reset_index(drop=True)
    model = agreement(held.predicted, gold, ids).set_index("frame")
    cues = agreement(score(list(seed_table["text"]), book, method="cues"), gold, ids).set_index("frame")
    assert len(seed_table) == 1262 and seed_table["doc_id"].nunique() == 28
    assert model.loc["macro", "f1"] > cues.loc["macro", "f1"] + 0.02
    assert score([seed_table["text"].iat[0]], book).shape == (1, 13)  # the project's codebook: the model


def test_score_keeps_its_contract_with_either_method():
    texts = ["We will restore our territorial integrity under international law.", "", "Thank you."]
    model = score(texts)
    assert list(model.columns) == default_codebook().ids and list(model.index) == [0, 1, 2]
    assert model.loc[0, "legal"] == 1 and set(np.unique(model.to_numpy())) <= {0, 1}
    proba = score(texts, method="model", proba=True)
    assert ((proba > 0) & (proba < 1)).all(axis=None) and proba.loc[0, "legal"] > 0.5
    assert (score(texts, method="cues").loc[0, "legal"]) == 2
    with pytest.raises(ValueError, match="method must be one of model, cues"):
        score(texts, method="bayes")
    with pytest.raises(ValueError, match="probabilities come from the model"):
        score(texts, method="cues", proba=True)
    with pytest.raises(ValueError, match="3 contexts for 1 texts"):
        score(["x"], contexts=["a", "b", "c"])
