"""Topic models with scikit-learn, the number of topics chosen on the corpus, and topic shares
by audience with interview-level uncertainty (compared between audiences in
:mod:`analysis.measures.topic_comparisons`).

* ``method="nmf"``: non-negative matrix factorisation of the tf-idf matrix (sublinear term
  frequency, l2-normalised rows), random initialisation from the seed.
* ``method="lda"``: latent Dirichlet allocation on counts, online variational Bayes (Hoffman,
  Blei and Bach 2010) with ``passes`` passes over the units.

A topic is shown by its top words, each a readable surface form (see
:meth:`analysis.text.tokens.TextProcessor.labels`).

Topic numbers: inside the package a topic is the model's 0-based index (``topic`` columns,
``model.labels[t]``); everything a reader sees numbers it from 1. 03_topics writes every table
through :func:`numbered` (``topic`` and ``other_topic`` = index + 1), as its top-words table,
figure labels, sentences and the explorer number topics.

Choosing k (:func:`topic_grid`, :func:`choose_k`): stability across seeds first, then
exclusivity (FREX, :func:`exclusivity`) and held-out likelihood with whole interviews held out
(:func:`heldout_likelihood`); coherence is shown beside them. For each k and each of several
seeds, the coherence of the
topics is the mean normalised pointwise mutual information (NPMI; Bouma 2009) of every pair of
a topic's top words, with probabilities estimated from the units of the corpus itself
(Aletras and Stevenson 2013; Lau, Newman and Baldwin 2014). Stability is how well the topics of
runs with different seeds match: topics are paired one to one by the Hungarian algorithm on
the cosine similarity of their word weights, and the mean similarity of the pairs is averaged
over all pairs of runs (after Greene, O'Callaghan and Cunningham 2014, who match top-word
lists).

At campaign scale (:func:`grid_plan`) the grid makes fewer LDA passes, with fewer seeds and
folds, in parallel processes; up to :data:`FULL_GRID_TOKENS` tokens it runs as asked.

Fitted models are remembered for the session (up to about 256 MB of them), keyed on the
matrix's content and the fitting choices: the grid's runs are reused when a notebook fits the
chosen k, and a rerun after changing an unrelated parameter fits nothing again. The arrays of
a returned model are read-only for that reason; copy them to change them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import NamedTuple

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer

from ..stats.intervals import group_intervals
from ..stats.progress import progress
from ..stats.resampling import grouped_folds
from ..text.dtm import DocumentTermMatrix, build_dtm, group_indicator
from ..text.tokens import corpus_stop_words

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


def topic_dtm(
    turns: pd.DataFrame, cfg, unit: str = "chunk", role: str = "focal", chunk_words: int = 200, min_count: int = 5
) -> DocumentTermMatrix:
    """The matrix ``03_topics`` fits its models to: ``role``'s words in ``unit``s (chunks of about
    ``chunk_words`` words by default), words seen at least ``min_count`` times in at least two
    interviews, without the corpus's stop words and speakers' names (``cfg``: its
    :class:`~analysis.corpus.CorpusConfig`)."""
    stop_words = corpus_stop_words(cfg.stop_words, turns, cfg.speaker_names_are_stop_words)
    return build_dtm(
        turns, unit=unit, role=role, chunk_words=chunk_words, min_count=min_count, min_docs=2, stop_words=stop_words
    )


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


def _estimate(counts, k: int, method: str, seed: int, passes: int):
    """Fit one model to a count matrix: returns (estimator, tf-idf transformer or None, unit
    weights, topic components), unnormalised."""
    if method == "nmf":
        transformer = TfidfTransformer(sublinear_tf=True).fit(counts.astype(float))
        model = NMF(n_components=k, init="random", random_state=seed, max_iter=1000, tol=1e-4)
        weights = model.fit_transform(transformer.transform(counts.astype(float)))
        return model, transformer, weights, model.components_
    model = LatentDirichletAllocation(
        n_components=k, learning_method="online", max_iter=passes, batch_size=64, random_state=seed
    )
    weights = model.fit_transform(counts)
    return model, None, weights, model.components_


def _fit(dtm: DocumentTermMatrix, k: int, method: str, seed: int, n_top: int, passes: int) -> TopicModel:
    _, _, weights, components = _estimate(dtm.counts, k, method, seed, passes)
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


def stable_topics(stability: Sequence[float], threshold: float) -> list[int]:
    """The topics (0-based) whose stability across seeds reaches ``threshold``."""
    return [t for t, s in enumerate(stability) if s >= threshold]


class SeededTopics(NamedTuple):
    """A model and how it holds across seeds (:func:`fit_across_seeds`): ``model``, ``stability``
    (per topic, the mean cosine similarity to its matched topic in the runs with the other seeds,
    1 = identical) and ``stable`` (the 0-based topics whose stability reaches the threshold)."""

    model: TopicModel
    stability: np.ndarray
    stable: list[int]


def fit_across_seeds(
    dtm: DocumentTermMatrix,
    k: int,
    method: str,
    seed: int,
    seeds: Iterable[int],
    passes: int = 10,
    min_stability: float = 0.8,
) -> SeededTopics:
    """The model of ``seed`` (:func:`fit_topics`), its :func:`topic_stability` against the models
    of the other ``seeds`` (same k, method and passes) and its :func:`stable_topics` at
    ``min_stability``."""
    model = fit_topics(dtm, k, method, seed, passes=passes)
    others = [fit_topics(dtm, k, method, s, passes=passes) for s in seeds if s != seed]
    stability = topic_stability([model, *others])
    return SeededTopics(model, stability, stable_topics(stability, min_stability))


def describe_topics(
    model: TopicModel, stability: Sequence[float], stable: Sequence[int], precision: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per topic of ``model``, as 03 shows and writes it (``_top_words.csv``): ``topic``
    (numbered from 1), ``top_words`` (its ten top words, comma-separated), ``stability`` (across
    seeds, 0..1), ``status`` ("stable" for the topics in ``stable``, else "unstable"),
    ``exclusivity`` (FREX, :func:`exclusivity`), ``share`` (mean share over all units, 0..1) and
    the word-intrusion verdict from ``precision`` (:func:`analysis.coding.intrusion.intrusion_results`'
    ``precision``, one row per topic, or None before anyone has read the tasks): ``intrusion``
    ("passes", "fails", or "not coded"), ``intrusion_precision`` with its 95% interval
    ``intrusion_precision_low`` and ``intrusion_precision_high`` (shares 0..1, empty when not
    coded)."""
    k = model.k
    read = precision.iloc[:k] if precision is not None else pd.DataFrame(index=range(k))
    words = model.top_words.groupby("topic")["label"].apply(", ".join)
    return pd.DataFrame(
        {
            "topic": np.arange(k) + 1,
            "top_words": words.to_numpy(),
            "stability": stability,
            "status": ["stable" if t in stable else "unstable" for t in range(k)],
            "exclusivity": exclusivity(model),
            "share": model.doc_topics.mean(axis=0),
            "intrusion": read.get("status", "not coded"),
            "intrusion_precision": read.get("precision"),
            "intrusion_precision_low": read.get("low"),
            "intrusion_precision_high": read.get("high"),
        }
    )


def exclusivity(model: TopicModel, n_top: int = 10, weight: float = 0.7) -> np.ndarray:
    """Exclusivity of each topic: the mean FREX score of its ``n_top`` most probable words.

    FREX (Roberts, Stewart and Airoldi 2016, section 3.4; after Bischof and Airoldi 2012) is the
    weighted harmonic mean of a word's rank, within the topic, by exclusivity
    (beta_kv / sum_j beta_jv, how much of the word's weight this topic holds) and by frequency
    (beta_kv), each rank the empirical CDF over the vocabulary (0 to 1):

        FREX_kv = 1 / (weight / ECDF_k(exclusivity_kv) + (1 - weight) / ECDF_k(beta_kv))

    ``weight`` = 0.7 is stm's default for exclusivity. Ranges from 0 to 1; near 1 when a topic's
    top words are both frequent in it and rare in the others. Coherence rewards topics whose
    words co-occur, exclusivity topics that are not variants of one another: more topics raise
    the first and lower the second, so the two are read together."""
    beta = np.asarray(model.topic_words, dtype=float)
    share = np.divide(beta, beta.sum(axis=0, keepdims=True), out=np.zeros_like(beta), where=beta.sum(axis=0) > 0)
    n_words = beta.shape[1]
    scores = []
    for t in range(model.k):
        top = np.argsort(-beta[t], kind="stable")[:n_top]
        freq_rank = np.searchsorted(np.sort(beta[t]), beta[t, top], side="right") / n_words
        excl_rank = np.searchsorted(np.sort(share[t]), share[t, top], side="right") / n_words
        scores.append(float(np.mean(1 / (weight / excl_rank + (1 - weight) / freq_rank))))
    return np.array(scores)


#: Weight of the training corpus's word frequencies mixed into held-out word probabilities, so
#: that a word a model gives no weight (NMF has exact zeros) has a finite log-likelihood.
BACKGROUND = 0.01


def heldout_likelihood(
    dtm: DocumentTermMatrix,
    method: str,
    ks: Iterable[int],
    seed: int = 0,
    n_folds: int = 3,
    passes: int = 10,
    n_jobs: int = -1,
) -> pd.DataFrame:
    """Held-out log-likelihood per word by document completion (Wallach, Murray, Salakhutdinov
    and Mimno 2009), with whole interviews held out.

    The interviews are split into ``n_folds`` groups (:func:`analysis.stats.resampling.grouped_folds` on ``doc_id``),
    so that no held-out unit shares an interview with the training units. For each fold and k a
    model is fitted on the other folds; each held-out unit's words are split at random in two
    halves (binomial thinning with ``seed``); the unit's topic shares are inferred from the
    first half (LDA: variational inference; NMF: the fitted factorisation applied to the half's
    tf-idf) and the second half is scored under p(w) = (1 - b) sum_t theta_t phi_tw + b q(w),
    with phi the topics' word distributions, q the training word frequencies (add-one) and
    b = :data:`BACKGROUND`. Higher is better; perplexity is exp(-value).

    Returns one row per k: ``k``, ``heldout`` (log-likelihood per held-out word, mean over
    folds), ``heldout_se`` (standard error over folds) and ``n_heldout`` (words scored)."""
    groups = dtm.units["doc_id"].to_numpy()
    if len(set(groups)) < 2:
        raise ValueError("held-out likelihood needs at least two interviews")
    folds = grouped_folds(groups, n_folds)
    ks = list(ks)
    jobs = [(k, f) for k in ks for f in range(len(folds))]
    run = delayed(_heldout_fold)
    scores = Parallel(n_jobs=n_jobs)(run(dtm.counts, folds[f], k, method, seed + f, passes) for k, f in jobs)
    table = pd.DataFrame([(k, f, *score) for (k, f), score in zip(jobs, scores)], columns=["k", "fold", "ll", "n"])
    per_word = table.assign(heldout=table["ll"] / table["n"])
    out = per_word.groupby("k", sort=False).agg(
        heldout=("heldout", "mean"), heldout_se=("heldout", "sem"), n_heldout=("n", "sum")
    )
    return out.reset_index()


def _heldout_fold(counts, fold: tuple, k: int, method: str, seed: int, passes: int) -> tuple[float, int]:
    """(summed log-likelihood, words scored) of one fold's held-out second halves."""
    train, test = fold
    counts = sparse.csr_matrix(counts)
    model, transformer, _, components = _estimate(counts[train], k, method, seed, passes)
    phi = _normalise_rows(components)
    background = np.asarray(counts[train].sum(axis=0), dtype=float).ravel() + 1
    background /= background.sum()
    held = counts[test].tocsr().astype(np.int64)
    first = held.copy()
    first.data = np.random.default_rng(seed).binomial(held.data, 0.5)
    second = (held - first).tocoo()
    first.eliminate_zeros()
    first = first.astype(float)
    if transformer is not None:
        theta = model.transform(transformer.transform(first))
    else:
        theta = model.transform(first)
    theta = _normalise_rows(theta)
    theta[theta.sum(axis=1) == 0] = 1 / k
    keep = second.data > 0
    rows, cols, n = second.row[keep], second.col[keep], second.data[keep]
    p = (1 - BACKGROUND) * np.einsum("ij,ji->i", theta[rows], phi[:, cols]) + BACKGROUND * background[cols]
    return float(np.sum(n * np.log(p))), int(n.sum())


class GridPlan(NamedTuple):
    """How much fitting the grid does for a corpus of a given size: ``passes`` (LDA passes over
    the units), ``seeds`` (runs per k for stability), ``n_folds`` (held-out folds) and ``note``
    (why, for the notebook)."""

    passes: int
    seeds: list[int]
    n_folds: int
    note: str


#: Tokens up to which the grid runs as asked; beyond, :func:`grid_plan` scales it down.
FULL_GRID_TOKENS = 120_000


def grid_plan(dtm: DocumentTermMatrix, seeds: Iterable[int], passes: int = 10, n_folds: int = 3) -> GridPlan:
    """The grid's settings for this matrix. Up to :data:`FULL_GRID_TOKENS` tokens (the seed
    corpus has about 29,000) everything runs as asked. Beyond, the cost of a fit grows with the
    units (online variational Bayes updates the topics after every batch of 64 units, Hoffman,
    Blei and Bach 2010), so LDA's passes shrink in proportion to the corpus (at least two): each
    fit still makes at least as many online updates as the full passes over a corpus of that
    size, and a large corpus gives more units per update. Seeds are capped at three (stability
    needs at least two runs; three give three pairs) and held-out folds at two. The 16x corpus of
    ``make bench`` (1.7 M words) runs this reduced grid in its full report."""
    seeds = list(seeds)
    tokens = int(dtm.counts.sum())
    if tokens <= FULL_GRID_TOKENS:
        return GridPlan(passes, seeds, n_folds, "")
    scaled = max(2, int(passes * FULL_GRID_TOKENS / tokens))
    plan = GridPlan(min(passes, scaled), seeds[:3], min(n_folds, 2), "")
    note = (
        f"The corpus has {tokens:,} tokens (over {FULL_GRID_TOKENS:,}): the grid runs {plan.passes} LDA passes "
        f"instead of {passes}, {len(plan.seeds)} seeds and {plan.n_folds} held-out folds, to stay within budget."
    )
    return plan._replace(note=note)


def topic_grid(
    dtm: DocumentTermMatrix,
    method: str = "nmf",
    ks: Iterable[int] = K_GRID,
    seeds: Iterable[int] = SEEDS,
    n_top: int = 10,
    passes: int = 10,
    n_jobs: int = -1,
    n_folds: int = 3,
) -> pd.DataFrame:
    """Coherence, exclusivity, held-out likelihood and stability for each number of topics in
    ``ks``, over runs with ``seeds``.

    The runs are fitted in ``n_jobs`` parallel processes (-1: one per core); the result does
    not depend on it.

    Returns one row per k with columns ``k``, ``coherence`` (mean NPMI over topics and runs,
    :func:`npmi_coherence`), ``coherence_low`` and ``coherence_high`` (the lowest and highest
    run), ``exclusivity`` (mean FREX over topics and runs, :func:`exclusivity`), ``heldout``,
    ``heldout_se`` and ``n_heldout`` (:func:`heldout_likelihood` with the first seed and
    ``n_folds`` folds; omitted when ``n_folds`` is 0), ``stability`` (mean matched cosine
    similarity over all pairs of runs, 1 = identical topics) and ``stability_low`` (the least
    similar pair of runs)."""
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
        excl = [float(exclusivity(m, n_top).mean()) for m in runs]
        rows.append(
            {
                "k": k,
                "coherence": np.mean(coherence),
                "coherence_low": min(coherence),
                "coherence_high": max(coherence),
                "exclusivity": float(np.mean(excl)),
                "exclusivity_low": min(excl),
                "stability": np.mean(pairs),
                "stability_low": min(pairs),
            }
        )
    grid = pd.DataFrame(rows)
    if n_folds:
        heldout = heldout_likelihood(dtm, method, ks, seeds[0], n_folds, passes, n_jobs)
        grid = grid.merge(heldout, on="k", how="left")
        grid = grid[[*grid.columns[:6], "heldout", "heldout_se", "n_heldout", "stability", "stability_low"]]
    return grid


def choose_k(grid: pd.DataFrame, min_stability: float = 0.8) -> int:
    """The number of topics, by three rules applied in turn:

    1. *stable*: only k whose stability reaches ``min_stability``; if none does, the most stable
       k, and the rules stop there (topics that change with the seed cannot carry comparisons);
    2. *exclusive* (when the grid has ``exclusivity``): a stable k whose exclusivity is lower
       than that of the next smaller stable k is left out: its extra topics split existing ones
       into variants rather than finding new ones (Roberts, Stewart and Airoldi 2016);
    3. *predictive* (when the grid has ``heldout``): the smallest remaining k whose held-out
       log-likelihood lies within one standard error (over folds) of the best remaining k, the
       one-standard-error rule (Breiman, Friedman, Olshen and Stone 1984; Hastie, Tibshirani and
       Friedman 2009, section 7.10): more topics must predict held-out interviews better by more
       than the folds' noise. Without ``heldout``, the most coherent remaining k.

    Coherence on the training units (NPMI) is shown beside these but does not choose: on small
    corpora it tends to rise with k and so to pick the grid's largest k."""
    stable = grid[grid["stability"] >= min_stability].sort_values("k")
    if stable.empty:
        return int(grid.loc[grid["stability"].idxmax(), "k"])
    if "exclusivity" in stable:
        falls = stable["exclusivity"].diff() < 0
        stable = stable[~falls]
    if "heldout" not in stable or stable["heldout"].isna().any():
        return int(stable.loc[stable["coherence"].idxmax(), "k"])
    best = stable.loc[stable["heldout"].idxmax()]
    close = stable[stable["heldout"] >= best["heldout"] - np.nan_to_num(best["heldout_se"])]
    return int(close["k"].min())


def k_rule_note(grid: pd.DataFrame, k: int, min_stability: float = 0.8) -> str:
    """One sentence on why :func:`choose_k` picked ``k`` from ``grid``, with the numbers."""
    row = grid.set_index("k").loc[k]
    stable = grid[grid["stability"] >= min_stability]
    if stable.empty:
        return (
            f"No k reaches stability {min_stability} (the most stable, k = {k}, reaches {row['stability']:.2f}); "
            "its topics differ between seeds, and only topics that are stable on their own enter comparisons."
        )
    text = f"k = {k}: stability {row['stability']:.2f} (at least {min_stability} for {len(stable)} of {len(grid)} k)"
    if "heldout" in grid:
        best = stable.loc[stable["heldout"].idxmax()]
        text += (
            f"; held-out log-likelihood {row['heldout']:.3f} per word, within one standard error "
            f"({best['heldout_se']:.3f}) of the best, {best['heldout']:.3f} at k = {int(best['k'])}, and the "
            "smallest such k"
        )
    return text + f"; exclusivity {row['exclusivity']:.3f}, coherence {row['coherence']:.3f}."


@dataclass(frozen=True)
class TopicChoice:
    """The number of topics and how it was chosen (:func:`choose_topics`): ``grid`` (:func:`topic_grid`
    over the grid's k the matrix allows), ``k`` (chosen, or as asked), ``plan`` (the :class:`GridPlan`
    the grid ran with), ``largest`` (the most topics the matrix allows: the smaller of its units and
    words), ``asked`` (the grid's k as asked) and ``kept`` (those the grid ran: 2 to ``largest``)."""

    grid: pd.DataFrame
    k: int
    plan: GridPlan
    largest: int
    asked: list[int]
    kept: list[int]


def choose_topics(
    dtm: DocumentTermMatrix,
    method: str,
    k_grid: Iterable[int] = K_GRID,
    n_topics: int | str = "auto",
    seeds: Iterable[int] = SEEDS,
    min_stability: float = 0.8,
) -> TopicChoice:
    """The grid of :func:`topic_grid` on ``dtm`` for the k of ``k_grid`` the matrix allows (a
    model has at most as many topics as units and as words; none left: k = 2), run as
    :func:`grid_plan` sets it for ``seeds``, and the number of topics: :func:`choose_k` at
    ``min_stability`` when ``n_topics`` is "auto", else ``n_topics``. The sentences on the
    choice are :func:`analysis.measures.sentences.k_choice_lines`."""
    asked = list(k_grid)
    plan = grid_plan(dtm, seeds)
    largest = min(dtm.counts.shape)
    kept = [k for k in asked if 2 <= k <= largest] or [2]
    grid = topic_grid(dtm, method, kept, seeds=plan.seeds, passes=plan.passes, n_folds=plan.n_folds)
    k = choose_k(grid, min_stability) if n_topics == "auto" else int(n_topics)
    return TopicChoice(grid, k, plan, largest, asked, kept)


def topics_name(method: str, n_topics: int | str, k: int, role: str = "focal", unit: str = "chunk") -> str:
    """The name 03 gives its outputs (``figures/<name>_*``): ``topics_<method>``, then ``_k<k>``
    when the number of topics was set rather than chosen, ``_<role>`` for a role other than the
    focal speaker and ``_<unit>`` for a unit other than chunks, so that two runs that differ in
    one of these never write the same files."""
    return (
        f"topics_{method}"
        + ("" if n_topics == "auto" else f"_k{k}")
        + ("" if role == "focal" else f"_{role}")
        + ("" if unit == "chunk" else f"_{unit}")
    )


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
    model: TopicModel, dtm: DocumentTermMatrix, by: str = "audience", confidence: float = 0.95
) -> pd.DataFrame:
    """Mean topic share per group, each interview weighing the same, with an interval over the
    group's interviews that stays within [0, 1] (:func:`analysis.stats.intervals.share_interval`, Korn
    and Graubard's; percentile bootstrap intervals are too narrow for 3 to 11 interviews).

    Returns one row per topic and group: ``topic`` (0-based; 03 writes it numbered from 1,
    :func:`numbered`), ``label``, ``group``, ``n_interviews``,
    ``share`` (0..1), ``low`` and ``high`` (the ``confidence`` interval; empty for a group of one
    interview, whose share has no spread)."""
    shares = _interview_shares_by(model, dtm, by)
    means = group_intervals(shares, range(model.k), by, confidence, share=True)
    table = means.rename(columns={"column": "topic", "n": "n_interviews", "mean": "share"})
    table["label"] = [model.labels[t] for t in table["topic"]]
    table = table.sort_values(["group", "topic"], ignore_index=True)
    return table[["topic", "label", "group", "n_interviews", "share", "low", "high"]]


#: The columns of 03's tables that hold a topic (the model's index inside the package).
TOPIC_COLUMNS = ("topic", "other_topic")


def numbered(table: pd.DataFrame, columns: Iterable[str] = TOPIC_COLUMNS) -> pd.DataFrame:
    """``table`` as a reader sees it: each of ``columns`` it has turned from the model's 0-based
    topic index to the topic's number, index + 1 (the number of 03's top-words table, figure
    labels and sentences). A cell that is not an index (the model's row ``all``, an empty cell)
    stays as it is; integer columns stay integers. Returns a copy; ``table`` is unchanged."""
    out = table.copy()
    for column in [c for c in columns if c in out]:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values):
            out[column] = values + 1
        else:
            out[column] = [v + 1 if isinstance(v, (int, np.integer)) else v for v in values]
    return out


def representative_units(model: TopicModel, dtm: DocumentTermMatrix, topic: int, n: int = 3) -> pd.DataFrame:
    """The ``n`` units with the highest share of ``topic``: the unit table's rows (with
    ``text``) plus ``share``, highest first."""
    if not 0 <= topic < model.k:
        raise ValueError(f"topic must be between 0 and {model.k - 1}, not {topic}")
    share = model.doc_topics[:, topic]
    order = np.lexsort((dtm.units["unit_id"].to_numpy(), -share))[:n]
    return dtm.units.iloc[order].assign(share=share[order]).reset_index(drop=True)
