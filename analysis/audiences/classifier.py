"""Can the audience be told from what was said? A nearest-centroid classifier of interviews,
evaluated leaving one interview out with a permutation baseline (:func:`classify_audience`), on
three kinds of features: the frames found in chunks of speech (:func:`frame_profiles`), tf-idf
words (:func:`word_features`) and, as a negative control, English function words only
(:func:`function_word_features`); :func:`analysis.audiences.sentences.classifier_line` says what the
three runs show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.metrics import balanced_accuracy_score

from ..frames.codebook import Codebook, default_codebook
from ..frames.cues import score_units
from ..stats.progress import progress
from ..text.dtm import build_dtm, make_units, select_turns


def classify_audience(
    features: pd.DataFrame, audiences: pd.Series, doc_ids: pd.Series, n_permutations: int = 199, seed: int = 0
) -> dict:
    """Can the audience be told from these features? A nearest-centroid classifier, evaluated
    leaving one interview out: features are standardised on the training units, each
    audience's centroid is the mean of its training units, and the held-out interview (the mean
    of its units) goes to the audience whose centroid is most similar (cosine).

    Accuracy flatters a classifier when audiences differ in size (11 Western interviews against
    6 and 6), so the statistic is the balanced accuracy, the mean of the audiences' recalls. The
    baseline permutes the audience labels among interviews ``n_permutations`` times and repeats
    the whole evaluation; ``p`` is the share of permutations with a balanced accuracy at least as
    high, the observed run counted (Phipson and Smyth 2010). Every permutation is evaluated
    exactly, with all its folds, but without refitting: the folds' standardisation uses no
    label, so it is computed once and reused, and each fold's centroids come from the audience
    totals minus the left-out interview (:func:`predict_left_out`). A permutation then costs
    interviews x features x audiences instead of interviews squared x features (on a corpus of
    416 interviews and 15,717 word features: 199 permutations in 11 s, where refitting took
    about 17 s per permutation).

    Returns a dict: ``accuracy`` (share of interviews right), ``balanced_accuracy``, ``recall``
    (per audience), ``majority`` (the accuracy of always naming the largest audience),
    ``chance`` (mean balanced accuracy of the permutations), ``p``, ``n_interviews``,
    ``confusion`` (DataFrame, true audiences in rows)."""
    codes, docs = pd.factorize(doc_ids.to_numpy(), sort=True)
    doc_audience = pd.Series(audiences.to_numpy(), index=doc_ids.to_numpy()).groupby(level=0).first().reindex(docs)
    labels = sorted(doc_audience.unique())
    sums = sum_by_interview(_feature_matrix(features), codes, len(docs))
    truth = doc_audience.to_numpy()
    predicted = predict_left_out(sums, truth, labels)
    balanced = float(balanced_accuracy_score(truth, predicted))
    null = _permuted_accuracies(sums, truth, labels, n_permutations, seed)
    confusion = pd.crosstab(pd.Series(truth, name="true"), pd.Series(predicted, name="predicted"))
    confusion = confusion.reindex(index=labels, columns=labels, fill_value=0)
    return {
        "accuracy": float(np.mean(predicted == truth)),
        "balanced_accuracy": balanced,
        "recall": {label: float(np.mean(predicted[truth == label] == label)) for label in labels},
        "majority": float(pd.Series(truth).value_counts(normalize=True).iloc[0]),
        "chance": float(np.mean(null)),
        "p": (1 + sum(n >= balanced - 1e-12 for n in null)) / (1 + n_permutations),
        "n_interviews": len(docs),
        "confusion": confusion,
    }


def _feature_matrix(features: pd.DataFrame):
    """``features`` as a float matrix: scipy sparse when every column is sparse (as
    :func:`word_features` gives), else a dense array."""
    if len(features.columns) and all(isinstance(t, pd.SparseDtype) for t in features.dtypes):
        return sparse.csr_matrix(features.sparse.to_coo(), dtype=float)
    return features.to_numpy(dtype=float)


class InterviewSums(NamedTuple):
    """Per interview, what a classifier needs to leave it out by subtraction: ``sums`` and
    ``squares`` (interviews x features: the sum of its units' values and of their squares) and
    ``counts`` (its number of units, float)."""

    sums: np.ndarray
    squares: np.ndarray
    counts: np.ndarray


def sum_by_interview(X, codes: np.ndarray, n_docs: int) -> InterviewSums:
    """:class:`InterviewSums` of the units ``X`` (units x features, a dense array or a scipy
    sparse matrix) whose interviews are ``codes`` (0 .. ``n_docs`` - 1, one per unit)."""
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_docs, len(codes)))
    squared = X.multiply(X) if sparse.issparse(X) else X**2
    sums = np.asarray((indicator @ X).todense() if sparse.issparse(X) else indicator @ X, dtype=float)
    squares = np.asarray((indicator @ squared).todense() if sparse.issparse(X) else indicator @ squared, dtype=float)
    return InterviewSums(sums, squares, np.bincount(codes, minlength=n_docs).astype(float))


class LeftOutScales(NamedTuple):
    """What stays the same however the audiences are assigned, for each interview left out.
    ``weight`` (interviews x features): 1 / variance of the units of every other interview (1
    where that variance is 0). Interviews x interviews, the products over features of weight
    x something of the left-out interview with every interview's sums: ``offset_gram`` (its
    offset: its mean unit minus the other interviews' mean), ``sums_gram`` (its sums) and
    ``mean_gram`` (the other interviews' mean). Per interview, sums over features of weight
    x: ``offset_sums`` (offset x its sums), ``offset_mean`` (offset x mean), ``norm_query``
    (offset squared), ``own_squares`` (its sums squared), ``own_mean`` (its sums x mean) and
    ``mean_squares`` (mean squared)."""

    weight: np.ndarray
    offset_gram: np.ndarray
    sums_gram: np.ndarray
    mean_gram: np.ndarray
    offset_sums: np.ndarray
    offset_mean: np.ndarray
    norm_query: np.ndarray
    own_squares: np.ndarray
    own_mean: np.ndarray
    mean_squares: np.ndarray


def left_out_scales(sums: InterviewSums) -> LeftOutScales:
    """The standardisation of every leave-one-interview-out fold, by subtracting the left-out
    interview from the totals (one pass over interviews x features, not one per fold), and
    the products that do not depend on the audiences. It uses no audience label, so the
    permutation test computes it once and reuses it."""
    n = sums.counts.sum() - sums.counts[:, None]
    mean = (sums.sums.sum(axis=0) - sums.sums) / n
    variance = np.maximum((sums.squares.sum(axis=0) - sums.squares) / n - mean**2, 0)
    sd = np.sqrt(variance)
    sd[sd == 0] = 1
    weight = 1 / sd**2
    offset = weight * (sums.sums / sums.counts[:, None] - mean)
    return LeftOutScales(
        weight,
        offset @ sums.sums.T,
        (weight * sums.sums) @ sums.sums.T,
        (weight * mean) @ sums.sums.T,
        (offset * sums.sums).sum(axis=1),
        (offset * mean).sum(axis=1),
        (offset * (sums.sums / sums.counts[:, None] - mean)).sum(axis=1),
        (weight * sums.sums**2).sum(axis=1),
        (weight * sums.sums * mean).sum(axis=1),
        (weight * mean**2).sum(axis=1),
    )


def predict_left_out(
    sums: InterviewSums, truth: np.ndarray, labels: list[str], scales: LeftOutScales | None = None
) -> np.ndarray:
    """Each interview's audience as the nearest-centroid classifier trained on all the other
    interviews predicts it; ``truth`` holds the interviews' audiences (one of ``labels`` each).
    Returns an object array, one label per interview.

    The classifier: features standardised by the units of the other interviews, each
    audience's centroid the mean of its units among them, the left-out interview's mean unit
    given to the audience whose centroid is most similar (cosine). Every fold is computed at
    once by subtraction: the audience totals minus the left-out interview give its centroids,
    and the cosine's dot product and norms are expanded into sums over features that either do
    not depend on the audiences (:func:`left_out_scales`, computed once) or are one matrix
    product of interviews x features x audiences, so the cost grows with interviews x
    features, not their square."""
    scales = scales or left_out_scales(sums)
    onehot = (truth[:, None] == np.array(labels, dtype=object)[None, :]).astype(float)
    own = onehot.astype(bool)
    label_sums = onehot.T @ sums.sums
    n = (onehot.T @ sums.counts)[None, :] - own * sums.counts[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        dot = (scales.offset_gram @ onehot - own * scales.offset_sums[:, None]) / n - scales.offset_mean[:, None]
        square = scales.weight @ (label_sums**2).T - 2 * own * (scales.sums_gram @ onehot)
        square += own * scales.own_squares[:, None]
        cross = scales.mean_gram @ onehot - own * scales.own_mean[:, None]
        norm2 = square / n**2 - 2 * cross / n + scales.mean_squares[:, None]
        similarity = dot / (np.sqrt(np.maximum(norm2, 0)) * np.sqrt(scales.norm_query)[:, None] + 1e-12)
    return np.array(labels, dtype=object)[np.argmax(similarity, axis=1)]


def _permuted_accuracies(
    sums: InterviewSums, truth: np.ndarray, labels: list[str], n_permutations: int, seed: int
) -> list[float]:
    """Balanced accuracy of :func:`predict_left_out` with the audiences of ``truth`` shuffled
    among the interviews, ``n_permutations`` times (a generator seeded with ``seed``, one
    permutation drawn per run). The folds' standardisation does not depend on the audiences,
    so it is computed once (:func:`left_out_scales`) and every permutation costs four matrix
    products."""
    rng = np.random.default_rng(seed)
    scales = left_out_scales(sums)
    null = []
    for _ in progress(range(n_permutations), desc="classifier permutations"):
        shuffled = rng.permutation(truth)
        null.append(float(balanced_accuracy_score(shuffled, predict_left_out(sums, shuffled, labels, scales))))
    return null


def word_features(
    turns: pd.DataFrame, audiences: Sequence[str], unit: str = "chunk", min_docs: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tf-idf word features of the focal speaker's chunks in interviews of ``audiences``
    (features seen in at least ``min_docs`` interviews). Returns (features, unit table)."""
    selected = turns[turns["audience"].isin(list(audiences))]
    dtm = build_dtm(selected, unit=unit, min_docs=min_docs)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(dtm.counts)
    return pd.DataFrame.sparse.from_spmatrix(tfidf, columns=dtm.features["label"]), dtm.units


def frame_profiles(
    turns: pd.DataFrame, audiences: Sequence[str], role: str = "focal", codebook: Codebook | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Presence (1/0) of each frame in the chunks of about 200 words of ``role`` speech in
    interviews of ``audiences``: returns (profiles, one column per frame; unit table)."""
    codebook = codebook or default_codebook()
    selected = select_turns(turns[turns["audience"].isin(list(audiences))], role=role)
    chunks = score_units(make_units(selected, unit="chunk"), codebook)
    return (chunks[codebook.ids] > 0).astype(float), chunks.drop(columns=codebook.ids)


def function_word_features(
    turns: pd.DataFrame, audiences: Sequence[str], unit: str = "chunk"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The negative control for :func:`word_features`: tf-idf of English function words only
    (scikit-learn's stop-word list) in the focal speaker's chunks in interviews of
    ``audiences``. Function words carry style, not content; if they tell the audiences apart as
    well as all words do, the word result reflects translation and transcription style more than
    what was said. Returns (features, unit table)."""
    selected = select_turns(turns[turns["audience"].isin(list(audiences))], role="focal")
    units = make_units(selected, unit=unit)
    vocabulary = sorted(ENGLISH_STOP_WORDS)
    counts = CountVectorizer(vocabulary=vocabulary, token_pattern=r"(?u)\b\w+\b").transform(units["text"])
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return pd.DataFrame.sparse.from_spmatrix(tfidf, columns=vocabulary), units.drop(columns=["text"])
