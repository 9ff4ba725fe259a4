"""Topic models with scikit-learn, the number of topics chosen on the corpus, and topic shares
by audience with interview-level uncertainty.

* ``method="nmf"``: non-negative matrix factorisation of the tf-idf matrix (sublinear term
  frequency, l2-normalised rows), random initialisation from the seed.
* ``method="lda"``: latent Dirichlet allocation on counts, online variational Bayes (Hoffman,
  Blei and Bach 2010) with ``passes`` passes over the units.

A topic is shown by its top words, each a readable surface form (see
:meth:`analysis.tokens.TextProcessor.labels`).

Choosing k (:func:`topic_grid`): for each k and each of several seeds, the coherence of the
topics is the mean normalised pointwise mutual information (NPMI; Bouma 2009) of every pair of
a topic's top words, with probabilities estimated from the units of the corpus itself
(Aletras and Stevenson 2013; Lau, Newman and Baldwin 2014). Stability is how well the topics of
runs with different seeds match: topics are paired one to one by the Hungarian algorithm on
the cosine similarity of their word weights, and the mean similarity of the pairs is averaged
over all pairs of runs (after Greene, O'Callaghan and Cunningham 2014, who match top-word
lists).

Fitted models are remembered for the session (up to about 256 MB of them), keyed on the
matrix's content and the fitting choices: the grid's runs are reused when a notebook fits the
chosen k, and a rerun after changing an unrelated parameter fits nothing again. The arrays of
a returned model are read-only for that reason; copy them to change them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer

from .dtm import DocumentTermMatrix, group_indicator
from .progress import progress
from .resampling import compare_groups, group_means

METHODS = ("nmf", "lda")

#: The default grid of topic numbers.
K_GRID = (4, 6, 8, 10, 12, 14, 16)

#: The default seeds of a stability check (five runs).
SEEDS = (0, 1, 2, 3, 4)


class TopicModel(NamedTuple):
    """A fitted topic model.

    ``method``, ``k``, ``seed``: how it was fitted. ``doc_topics``: array (units x k), each
    row the unit's topic shares summing to 1 (a unit with no features gets zeros).
    ``topic_words``: array (k x features), each row a topic's word weights summing to 1.
    ``top_words``: one row per topic and rank: ``topic`` (0-based), ``rank`` (1-based),
    ``feature``, ``label`` (surface form) and ``weight``. ``labels``: one short label per topic,
    its three top words ("lands, villages, liberated").
    """

    method: str
    k: int
    seed: int
    doc_topics: np.ndarray
    topic_words: np.ndarray
    top_words: pd.DataFrame
    labels: list[str]


def _check(dtm: DocumentTermMatrix, method: str, k: int) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    n_units, n_features = dtm.counts.shape
    if not 2 <= k <= min(n_units, n_features):
        raise ValueError(
            f"k must be between 2 and {min(n_units, n_features)} (the number of units "
            f"and of features) for this matrix, not {k}"
        )


_FITTED: dict[tuple, TopicModel] = {}
_FITTED_BYTES = 256 * 2**20


def _fingerprint(dtm: DocumentTermMatrix) -> str:
    """A digest of the matrix's counts, features and labels (a model shows the labels)."""
    counts = dtm.counts.tocsr()
    digest = hashlib.blake2b(repr(counts.shape).encode(), digest_size=16)
    for part in (counts.indptr, counts.indices, counts.data):
        digest.update(np.ascontiguousarray(part).tobytes())
    for column in ("feature", "label"):
        digest.update("\n".join(dtm.features[column]).encode() + b"\0")
    return digest.hexdigest()


def _remember(key: tuple, model: TopicModel) -> TopicModel:
    model.doc_topics.flags.writeable = False
    model.topic_words.flags.writeable = False
    _FITTED[key] = model
    size = lambda m: m.doc_topics.nbytes + m.topic_words.nbytes  # noqa: E731
    while len(_FITTED) > 1 and sum(size(m) for m in _FITTED.values()) > _FITTED_BYTES:
        del _FITTED[next(iter(_FITTED))]
    return model


def fit_topics(
    dtm: DocumentTermMatrix, k: int, method: str = "nmf", seed: int = 0, n_top: int = 10, passes: int = 10
) -> TopicModel:
    """Fit a topic model with ``k`` topics to ``dtm`` (see the module docstring for the two
    methods). The same matrix, k, method and seed give the same model."""
    _check(dtm, method, k)
    key = (_fingerprint(dtm), k, method, seed, n_top, passes)
    if key not in _FITTED:
        _remember(key, _fit(dtm, k, method, seed, n_top, passes))
    return _FITTED[key]


def _fit(dtm: DocumentTermMatrix, k: int, method: str, seed: int, n_top: int, passes: int) -> TopicModel:
    if method == "nmf":
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(dtm.counts.astype(float))
        model = NMF(n_components=k, init="random", random_state=seed, max_iter=1000, tol=1e-4)
        weights = model.fit_transform(tfidf)
        components = model.components_
    else:
        model = LatentDirichletAllocation(
            n_components=k, learning_method="online", max_iter=passes, batch_size=64, random_state=seed
        )
        weights = model.fit_transform(dtm.counts)
        components = model.components_
    doc_topics = _normalise_rows(weights)
    topic_words = _normalise_rows(components)
    order = np.argsort(-topic_words, axis=1, kind="stable")[:, :n_top]
    rows = [
        (t, r + 1, dtm.features["feature"].iat[j], dtm.features["label"].iat[j], topic_words[t, j])
        for t in range(k)
        for r, j in enumerate(order[t])
    ]
    top = pd.DataFrame(rows, columns=["topic", "rank", "feature", "label", "weight"])
    labels = [", ".join(top.loc[top["topic"] == t, "label"].head(3)) for t in range(k)]
    return TopicModel(method, k, seed, doc_topics, topic_words, top, labels)


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)


def npmi_coherence(model: TopicModel, dtm: DocumentTermMatrix, n_top: int = 10) -> np.ndarray:
    """Coherence of each topic: the mean NPMI of all pairs of its ``n_top`` top words, with
    p(w) the share of units containing w and p(w1, w2) the share containing both:

        npmi(w1, w2) = log(p(w1, w2) / (p(w1) p(w2))) / -log p(w1, w2),  -1 if they never co-occur.

    Ranges from -1 to 1; higher is more coherent (Bouma 2009; Lau, Newman and Baldwin 2014)."""
    present = (dtm.counts > 0).astype(np.float64).tocsc()
    n_units = present.shape[0]
    scores = []
    for t in range(model.k):
        top = np.argsort(-model.topic_words[t], kind="stable")[:n_top]
        sub = present[:, top]
        joint = (sub.T @ sub).toarray() / n_units
        p = np.diag(joint)
        values = []
        for i, j in combinations(range(len(top)), 2):
            if joint[i, j] == 0:
                values.append(-1.0)
            elif joint[i, j] == 1:
                values.append(1.0)
            else:
                values.append(np.log(joint[i, j] / (p[i] * p[j])) / -np.log(joint[i, j]))
        scores.append(float(np.mean(values)) if values else np.nan)
    return np.array(scores)


def match_topics(one: TopicModel, two: TopicModel) -> tuple[np.ndarray, np.ndarray]:
    """Pair each topic of ``one`` with a topic of ``two`` (Hungarian algorithm on the cosine
    similarity of their word weights). Returns (index into ``two`` for each topic of ``one``,
    the similarity of each pair)."""
    a = one.topic_words / np.linalg.norm(one.topic_words, axis=1, keepdims=True)
    b = two.topic_words / np.linalg.norm(two.topic_words, axis=1, keepdims=True)
    similarity = a @ b.T
    rows, cols = linear_sum_assignment(-similarity)
    return cols[np.argsort(rows)], similarity[rows, cols][np.argsort(rows)]


def topic_stability(models: list[TopicModel]) -> np.ndarray:
    """Per topic of ``models[0]``: the mean similarity to its matched topic in each other run."""
    if len(models) < 2:
        raise ValueError("stability needs at least two runs")
    return np.mean([match_topics(models[0], other)[1] for other in models[1:]], axis=0)


def topic_grid(
    dtm: DocumentTermMatrix,
    method: str = "nmf",
    ks: Iterable[int] = K_GRID,
    seeds: Iterable[int] = SEEDS,
    n_top: int = 10,
    passes: int = 10,
    n_jobs: int = -1,
) -> pd.DataFrame:
    """Coherence and stability for each number of topics in ``ks``, over runs with ``seeds``.

    The runs are fitted in ``n_jobs`` parallel processes (-1: one per core); the result does
    not depend on it.

    Returns one row per k with columns ``k``, ``coherence`` (mean NPMI over topics and runs),
    ``coherence_low`` and ``coherence_high`` (the lowest and highest run), ``stability`` (mean
    matched cosine similarity over all pairs of runs, 1 = identical topics) and
    ``stability_low`` (the least similar pair of runs)."""
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ValueError("the grid needs at least two seeds to measure stability")
    ks = list(ks)
    for k in ks:
        _check(dtm, method, k)
    digest = _fingerprint(dtm)
    keys = [(digest, k, method, seed, n_top, passes) for k in ks for seed in seeds]
    missing = [key for key in dict.fromkeys(keys) if key not in _FITTED]
    # Results come back in order as they finish (return_as="generator"), so the bar counts fits done.
    fits = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_fit)(dtm, *key[1:]) for key in missing)
    models = list(progress(fits, f"{method} topic models", total=len(missing)))
    fitted = {key: _remember(key, model) for key, model in zip(missing, models)}
    fitted = [fitted[key] if key in fitted else _FITTED[key] for key in keys]
    rows = []
    for i, k in enumerate(ks):
        runs = fitted[i * len(seeds) : (i + 1) * len(seeds)]
        coherence = [float(np.mean(npmi_coherence(m, dtm, n_top))) for m in runs]
        pairs = [float(np.mean(match_topics(a, b)[1])) for a, b in combinations(runs, 2)]
        rows.append(
            {
                "k": k,
                "coherence": np.mean(coherence),
                "coherence_low": min(coherence),
                "coherence_high": max(coherence),
                "stability": np.mean(pairs),
                "stability_low": min(pairs),
            }
        )
    return pd.DataFrame(rows)


def choose_k(grid: pd.DataFrame, min_stability: float = 0.8) -> int:
    """The k with the highest coherence among those whose stability is at least
    ``min_stability``; if none is that stable, the most stable k."""
    stable = grid[grid["stability"] >= min_stability]
    if stable.empty:
        return int(grid.loc[grid["stability"].idxmax(), "k"])
    return int(stable.loc[stable["coherence"].idxmax(), "k"])


def interview_shares(model: TopicModel, dtm: DocumentTermMatrix) -> pd.DataFrame:
    """Topic shares per interview: the mean of its units' shares weighted by their tokens.

    Returns one row per document: ``doc_id``, ``audience``, ``outlet``, ``n_tokens``, then one
    column per topic (0 .. k-1), each row summing to 1."""
    units = dtm.units
    indicator, _ = group_indicator(units["doc_id"], weights=units["n_tokens"])
    shares = _normalise_rows(np.asarray(indicator @ model.doc_topics))
    meta = (
        units.groupby("doc_id", sort=True)
        .agg(audience=("audience", "first"), outlet=("outlet", "first"), n_tokens=("n_tokens", "sum"))
        .reset_index()
    )
    return pd.concat([meta, pd.DataFrame(shares, columns=range(model.k))], axis=1)


def _interview_shares_by(model: TopicModel, dtm: DocumentTermMatrix, by: str) -> pd.DataFrame:
    """:func:`interview_shares` with the unit column ``by`` of each interview."""
    shares = interview_shares(model, dtm)
    shares[by] = dtm.units.groupby("doc_id", sort=True)[by].first().to_numpy()
    return shares


def audience_shares(
    model: TopicModel,
    dtm: DocumentTermMatrix,
    by: str = "audience",
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean topic share per group, each interview weighing the same, with a bootstrap interval
    that resamples interviews within the group (see :func:`analysis.resampling.group_means`).

    Returns one row per topic and group: ``topic``, ``label``, ``group``, ``n_interviews``,
    ``share`` (0..1), ``low`` and ``high`` (the ``confidence`` interval; empty for a group
    of one interview, whose share has no spread to resample)."""
    shares = _interview_shares_by(model, dtm, by)
    means = group_means(shares, range(model.k), by, n_resamples, confidence, seed)
    table = means.rename(columns={"column": "topic", "n": "n_interviews", "mean": "share"})
    table["label"] = [model.labels[t] for t in table["topic"]]
    table = table.sort_values(["group", "topic"], ignore_index=True)
    return table[["topic", "label", "group", "n_interviews", "share", "low", "high"]]


def share_differences(
    model: TopicModel,
    dtm: DocumentTermMatrix,
    group_a: str,
    group_b: str,
    by: str = "audience",
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Difference in mean topic share between two groups of interviews, with a bootstrap
    interval and a permutation p-value over interviews (see
    :func:`analysis.resampling.compare_groups`).

    Returns one row per topic: ``topic``, ``label``, ``share_a``, ``share_b``, ``difference``
    (a - b, in shares 0..1), ``low``, ``high``, ``p`` and ``clear`` (True when the interval
    excludes zero)."""
    shares = _interview_shares_by(model, dtm, by)
    diff = compare_groups(shares, range(model.k), by, group_a, group_b, n_resamples, confidence, seed)
    table = diff.rename(columns={"column": "topic", "mean_a": "share_a", "mean_b": "share_b"})
    table.insert(1, "label", model.labels)
    table["clear"] = (table["low"] > 0) | (table["high"] < 0)
    return table


def representative_units(model: TopicModel, dtm: DocumentTermMatrix, topic: int, n: int = 3) -> pd.DataFrame:
    """The ``n`` units with the highest share of ``topic``: the unit table's rows (with
    ``text``) plus ``share``, highest first."""
    if not 0 <= topic < model.k:
        raise ValueError(f"topic must be between 0 and {model.k - 1}, not {topic}")
    share = model.doc_topics[:, topic]
    order = np.lexsort((dtm.units["unit_id"].to_numpy(), -share))[:n]
    return dtm.units.iloc[order].assign(share=share[order]).reset_index(drop=True)
