"""``score(texts)``, the frame wing's public entry point: a list of strings in, a table out with one
row per text and one column per frame id; a frame is present in a text when its value is above zero.

For the project's codebook it uses the frame model trained on the coding by reading
(:mod:`analysis.frames.model`, fitted by :func:`analysis.frames.trained.project_model`), which beats
the cues on interviews it never saw; ``method="cues"`` gives the number of cue matches of each
frame (:func:`analysis.frames.cues.count_cues`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .codebook import CODEBOOK, Codebook
from .cues import check_texts, count_cues
from .model import predict, predict_proba
from .trained import project_model

#: How :func:`score` finds frames: the trained frame model, or the codebook's cue counts.
METHODS = ("model", "cues")


def default_method(codebook: Codebook | None = None) -> str:
    """The method :func:`score` uses when none is named: ``"model"`` for the project's codebook,
    whose coding the model is trained on and which it beats the cues on held-out interviews
    (``analysis.frames.evaluation``; ``tests/frames/test_evaluation.py`` holds this), ``"cues"``
    for any other codebook (no coding is known to train on)."""
    if codebook is None or (codebook.path is not None and Path(codebook.path).resolve() == CODEBOOK.resolve()):
        return "model"
    return "cues"


def score(
    texts: Sequence[str],
    codebook: Codebook | None = None,
    method: str | None = None,
    proba: bool = False,
    contexts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Frames found in each text.

    Returns a DataFrame with one row per text, in the order given (index 0..n-1), and one
    column per frame id in codebook order; a frame is present where the value is above zero.

    ``method="cues"``: integer counts of the frame's cue matches. ``method="model"``: 0/1 from the
    frame model fitted on the project's coding (:func:`analysis.frames.trained.project_model`), or
    with ``proba=True`` its probability that the frame is present (every value is then above
    zero: compare with 0.5 or use the 0/1 form). ``contexts`` gives the model, for each text, the
    question it answers ('' for none). ``method=None`` uses :func:`default_method`: the model for
    the project's codebook, the cues for any other. ``codebook`` defaults to the project's
    (``data/coding/codebook.yml``)."""
    method = method or default_method(codebook)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    texts = check_texts(texts)
    if method == "model":
        return _score_model(texts, codebook, proba, contexts)
    if proba:
        raise ValueError("probabilities come from the model: use method='model' with proba=True")
    return count_cues(texts, codebook)


def _score_model(texts: list[str], codebook: Codebook | None, proba: bool, contexts) -> pd.DataFrame:
    if codebook is not None and default_method(codebook) != "model":
        raise ValueError(
            "the frame model is trained on the project's coding and codebook; for another codebook "
            "use method='cues' or fit one with analysis.frames.model.fit_table"
        )
    model = project_model(codebook=codebook)
    return (predict_proba if proba else predict)(model, texts, contexts)
