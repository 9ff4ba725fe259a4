"""The frame model: one logistic regression per frame, trained on the coding by reading.

Each paragraph is described by three blocks of features:

* its words and two-word phrases, tf-idf weighted (sublinear term frequency, terms in at least
  two paragraphs; Salton and Buckley 1988);
* the codebook's cue counts for each frame (:func:`analysis.frames.score.score` with ``method="cues"``),
  as ``log(1 + count)``;
* its context: for an answer, the words and cue counts of the question it answers (an answer
  that denies mercenaries often names them only in the question), scaled by ``context_weight``;
  a question, or an answer without one, has an empty context.

One L2-penalised logistic regression per frame (liblinear, balanced class weights) gives a
probability; the frame is predicted present above a threshold. The penalty ``C`` and the
threshold of each frame, and the context weight shared by all frames, are chosen by grouped
cross-validation over the training interviews only (:func:`fit_model`), never on paragraphs the
model is judged on. Everything is deterministic for a fixed ``seed``.

Nothing is stored: :func:`project_model` refits from ``data/coding/`` on first use (a few
seconds) and keeps the fit in memory, keyed on the checksums of the coding, the codebook and the
corpus tables, so a changed coding is never answered by a stale model. No pickles.

References: Salton, G. and Buckley, C. (1988). Term-weighting approaches in automatic text
retrieval. Information Processing and Management 24(5), 513-523. Fan, R.-E. et al. (2008).
LIBLINEAR: a library for large linear classification. JMLR 9, 1871-1874.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ..corpus.normalise import plain_characters
from ..stats.resampling import grouped_folds
from .cues import count_cues

#: The settings searched by the inner cross-validation: penalties, context weights, thresholds.
C_GRID = (1.0, 10.0, 100.0)
CONTEXT_GRID = (0.0, 0.5)
THRESHOLDS = tuple(np.round(np.arange(0.2, 0.81, 0.05), 2))
#: Inner folds (grouped by interview) for choosing the settings.
INNER_FOLDS = 4


@dataclass
class FrameModel:
    """A fitted frame model: the vectorizers, one classifier per frame (``frame_ids`` order) with
    its ``C`` and ``threshold``, the shared ``context_weight``, and the codebook whose cues are
    features. ``settings`` is a table of the chosen values with their inner cross-validated F1."""

    frame_ids: list[str]
    words: TfidfVectorizer
    context: TfidfVectorizer
    classifiers: list[LogisticRegression]
    thresholds: np.ndarray
    context_weight: float
    codebook: object
    settings: pd.DataFrame = field(default_factory=pd.DataFrame)


def _cue_block(texts: Sequence[str], codebook) -> sparse.csr_matrix:
    counts = count_cues(list(texts), codebook).to_numpy(dtype=float)
    return sparse.csr_matrix(np.log1p(counts))


def _vectorizer(ngrams: tuple[int, int]) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=ngrams, min_df=2, sublinear_tf=True, preprocessor=_plain_lower, dtype=np.float64)


def _plain_lower(text: str) -> str:
    return plain_characters(text).lower()


def _fit_vectorizers(texts: Sequence[str], contexts: Sequence[str]) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = _vectorizer((1, 2)).fit(texts)
    context = _vectorizer((1, 1)).fit([*texts, *[c for c in contexts if c]])
    return words, context


def _features(
    texts: Sequence[str], contexts: Sequence[str], words, context, weight: float, codebook
) -> sparse.csr_matrix:
    """The feature matrix of paragraphs (rows) with their contexts ('' for none)."""
    blocks = [words.transform(texts), _cue_block(texts, codebook)]
    if weight:
        blocks += [weight * context.transform(contexts), weight * _cue_block(contexts, codebook)]
    return sparse.hstack(blocks, format="csr")


def _classifier(c: float, seed: int) -> LogisticRegression:
    # liblinear's dual coordinate descent: with more features than paragraphs it is about 15 times
    # faster than the primal solver here (0.02 s against 0.3 s a fit on the seed coding).
    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", dual=True, max_iter=2000, random_state=seed
    )


def _probabilities(classifier: LogisticRegression, features: sparse.csr_matrix) -> np.ndarray:
    if len(classifier.classes_) == 1:  # a frame never (or always) coded in the training data
        return np.full(features.shape[0], float(classifier.classes_[0]))
    return classifier.predict_proba(features)[:, 1]


def _fit_one(features, y: np.ndarray, c: float, seed: int) -> LogisticRegression:
    if y.min() == y.max():
        constant = LogisticRegression()
        constant.classes_ = np.array([int(y[0])])
        return constant
    return _classifier(c, seed).fit(features, y)


def _check_training(texts, contexts, labels: np.ndarray, groups) -> None:
    n = len(texts)
    if not (len(contexts) == n and labels.shape[0] == n and len(groups) == n):
        raise ValueError(
            f"texts ({n}), contexts ({len(contexts)}), labels ({labels.shape[0]}) and groups ({len(groups)}) "
            "must be the same length"
        )
    if len(set(groups)) < 2:
        raise ValueError("the model needs coded paragraphs from at least two interviews (groups) to choose settings")


def inner_scores(
    texts: Sequence[str],
    contexts: Sequence[str],
    labels: np.ndarray,
    groups: Sequence[str],
    codebook,
    seed: int = 0,
    n_folds: int = INNER_FOLDS,
) -> pd.DataFrame:
    """Out-of-fold probabilities of every setting, by grouped cross-validation over ``groups``
    (interviews): one row per (frame, context_weight, C, threshold) with its F1 over all
    out-of-fold paragraphs. The vocabulary is learned within each training fold."""
    labels = np.asarray(labels, dtype=int)
    folds = grouped_folds(groups, n_folds)
    texts, contexts = list(texts), list(contexts)
    rows = []
    for weight in CONTEXT_GRID:
        oof = np.zeros((len(C_GRID), len(texts), labels.shape[1]))
        for train, test in folds:
            words, context = _fit_vectorizers([texts[i] for i in train], [contexts[i] for i in train])
            x_train = _features(
                [texts[i] for i in train], [contexts[i] for i in train], words, context, weight, codebook
            )
            x_test = _features([texts[i] for i in test], [contexts[i] for i in test], words, context, weight, codebook)
            for k, c in enumerate(C_GRID):
                for j in range(labels.shape[1]):
                    oof[k, test, j] = _probabilities(_fit_one(x_train, labels[train, j], c, seed), x_test)
        for k, c in enumerate(C_GRID):
            for j in range(labels.shape[1]):
                for t in THRESHOLDS:
                    rows.append((j, weight, c, t, _f1(labels[:, j], oof[k, :, j] > t)))
    return pd.DataFrame(rows, columns=["frame_index", "context_weight", "C", "threshold", "f1"])


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    tp = int((truth.astype(bool) & predicted).sum())
    denominator = int(truth.sum()) + int(predicted.sum())
    return 2 * tp / denominator if denominator else 0.0


def choose_settings(scores: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """From :func:`inner_scores`: the context weight with the best mean over frames of each
    frame's best F1, then per frame the (C, threshold) with the best F1 under it (ties: the
    smaller C, then the threshold nearest 0.5). Returns ``frame``, ``context_weight``, ``C``,
    ``threshold`` and ``inner_f1``."""
    best = scores.groupby(["context_weight", "frame_index"])["f1"].max().groupby("context_weight").mean()
    weight = float(best.index[int(np.argmax(best.to_numpy()))])
    chosen = scores[scores["context_weight"] == weight].assign(_mid=lambda t: (t["threshold"] - 0.5).abs())
    chosen = chosen.sort_values(["frame_index", "f1", "C", "_mid"], ascending=[True, False, True, True])
    top = chosen.drop_duplicates("frame_index").sort_values("frame_index")
    return pd.DataFrame(
        {
            "frame": [frame_ids[j] for j in top["frame_index"]],
            "context_weight": weight,
            "C": top["C"].to_numpy(),
            "threshold": top["threshold"].to_numpy(),
            "inner_f1": top["f1"].to_numpy(),
        }
    )


def fit_model(
    texts: Sequence[str],
    contexts: Sequence[str],
    labels: np.ndarray | pd.DataFrame,
    groups: Sequence[str],
    codebook,
    frame_ids: Sequence[str] | None = None,
    seed: int = 0,
) -> FrameModel:
    """Choose the settings by grouped cross-validation over ``groups`` (:func:`inner_scores`,
    :func:`choose_settings`), then fit every frame's classifier on all the paragraphs given.

    ``texts``: the paragraphs; ``contexts``: for each, the question it answers ('' for none);
    ``labels``: 0/1, one row per paragraph and one column per frame (a DataFrame's columns name
    the frames); ``groups``: the interview of each paragraph."""
    if isinstance(labels, pd.DataFrame):
        frame_ids = list(frame_ids or labels.columns)
        labels = labels[frame_ids].to_numpy()
    labels = np.asarray(labels, dtype=int)
    frame_ids = list(frame_ids or codebook.ids)
    texts, contexts = list(texts), list(contexts)
    _check_training(texts, contexts, labels, list(groups))
    settings = choose_settings(inner_scores(texts, contexts, labels, list(groups), codebook, seed), frame_ids)
    weight = float(settings["context_weight"].iat[0])
    words, context = _fit_vectorizers(texts, contexts)
    x = _features(texts, contexts, words, context, weight, codebook)
    classifiers = [_fit_one(x, labels[:, j], c, seed) for j, c in enumerate(settings["C"])]
    return FrameModel(
        frame_ids, words, context, classifiers, settings["threshold"].to_numpy(), weight, codebook, settings
    )


def predict_proba(model: FrameModel, texts: Sequence[str], contexts: Sequence[str] | None = None) -> pd.DataFrame:
    """The model's probability that each frame is present: one row per text in order, one column
    per frame id. ``contexts`` (the question each text answers, '' for none) defaults to none."""
    texts = list(texts)
    contexts = [""] * len(texts) if contexts is None else list(contexts)
    if len(contexts) != len(texts):
        raise ValueError(f"{len(contexts)} contexts for {len(texts)} texts")
    if not texts:
        return pd.DataFrame(np.zeros((0, len(model.frame_ids))), columns=model.frame_ids)
    x = _features(texts, contexts, model.words, model.context, model.context_weight, model.codebook)
    return pd.DataFrame(np.column_stack([_probabilities(c, x) for c in model.classifiers]), columns=model.frame_ids)


def predict(model: FrameModel, texts: Sequence[str], contexts: Sequence[str] | None = None) -> pd.DataFrame:
    """0/1 presence of each frame (probability above the frame's threshold), as :func:`predict_proba`."""
    probabilities = predict_proba(model, texts, contexts)
    return (probabilities > model.thresholds).astype(int)


def training_table(units: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """The coded paragraphs ready for the model: the columns of ``units``
    (:func:`analysis.coding.units.coding_units`) for every coded paragraph, ``context`` (the text of
    the question an answer paragraph answers, all its paragraphs joined; '' for questions and
    unanswered paragraphs) and the 0/1 frame columns of ``coded``
    (:func:`analysis.coding.sheets.coded_frames`). Rows in unit order."""
    question_text = units.groupby("turn_id", sort=False)["text"].apply(" ".join)
    asked = units["question_id"].fillna("").map(lambda q: question_text.get(q, "") if q else "")
    table = units.assign(context=asked.to_numpy())
    return table.merge(coded, on="para_id", how="inner", validate="one_to_one")


def fit_table(table: pd.DataFrame, codebook, frame_ids: Sequence[str] | None = None, seed: int = 0) -> FrameModel:
    """:func:`fit_model` on a :func:`training_table`, grouped by ``doc_id``."""
    frame_ids = list(frame_ids or codebook.ids)
    return fit_model(
        table["text"], table["context"], table[frame_ids].to_numpy(), table["doc_id"], codebook, frame_ids, seed
    )
