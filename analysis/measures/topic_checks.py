"""Checks a topic difference must pass before it is called established: the other topic model,
resampled interviews, and what the journalists asked.

A difference between audiences in one topic model's topic (:func:`analysis.measures.topic_comparisons.
compare_topic_shares`, surviving Holm) is *established* only when

1. the topic is stable across resampled interviews (:func:`resample_stability`: the model is
   refitted on bootstrap samples of whole interviews, and the topic's mean matched similarity
   reaches the stability threshold), not only across seeds;
2. the other method (NMF for LDA, LDA for NMF), fitted with the same k on the same matrix (the
   same vocabulary), has a matching topic (:func:`match_across`: Hungarian assignment on the
   cosine similarity of the topic-word distributions, similarity at least
   :data:`MIN_MATCH`) whose difference between the same audiences has the same sign and a
   Holm-corrected p below 0.05 over the differences being checked (a replication, corrected
   over the replications attempted); and
3. it survives adjusting for the journalists' questions (:func:`question_adjusted`): a linear
   model over the interviews of the two audiences of the answers' log-ratio on the audience and
   on the log-ratio of the same topic in the journalists' questions of that interview (folded in
   with the topics held fixed, :func:`fold_in`) keeps the sign with p < 0.05 (Holm over the
   differences being checked). This is the difference *given what was asked*, a second
   estimand beside the total; the questions are themselves shaped by the audience.

Where a check cannot be made (no question text, too few interviews with questions), the verdict
says so instead of passing or failing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import sparse, stats

from ..stats.intervals import holm
from ..text.dtm import DocumentTermMatrix
from .topic_comparisons import PSEUDO_COUNT, TopicComparison, compare_topic_shares, interview_table
from .topics import TopicModel, _estimate, _normalise_rows, fit_topics, match_topics

#: Smallest cosine similarity of topic-word distributions for two topics of different models to
#: count as the same topic. Between runs of one method the stability threshold is 0.8; NMF (on
#: tf-idf) and LDA (on counts) weigh words differently, so a lower bar is set for the same subject.
MIN_MATCH = 0.5

#: Bootstrap samples of interviews for :func:`resample_stability`.
N_RESAMPLES = 20


def match_across(model: TopicModel, other: TopicModel, min_similarity: float = MIN_MATCH) -> pd.DataFrame:
    """Each topic of ``model`` with its topic in ``other`` (same k, same matrix): ``topic``,
    ``other_topic`` (both 0-based; 03 writes them numbered from 1, :func:`analysis.measures.topics.numbered`),
    ``similarity`` (cosine of the topic-word distributions) and ``matched``
    (similarity at least ``min_similarity``)."""
    if model.topic_words.shape != other.topic_words.shape:
        raise ValueError("the two models need the same k and the same vocabulary to be matched")
    index, similarity = match_topics(model, other)
    return pd.DataFrame(
        {
            "topic": np.arange(model.k),
            "other_topic": index,
            "similarity": similarity,
            "matched": similarity >= min_similarity,
        }
    )


def _resampled_fit(counts, rows: np.ndarray, k: int, method: str, seed: int, passes: int) -> np.ndarray:
    _, _, _, components = _estimate(counts[rows], k, method, seed, passes)
    return _normalise_rows(components)


def resample_stability(
    model: TopicModel,
    dtm: DocumentTermMatrix,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    passes: int = 10,
    n_jobs: int = -1,
) -> np.ndarray:
    """Per topic of ``model``: its mean matched similarity (:func:`analysis.measures.topics.match_topics`)
    to the topics of the same method and k refitted on ``n_resamples`` bootstrap samples of whole
    interviews (drawn with replacement, each drawn interview bringing all its units), with the
    seed of ``model``. 1 = the topic comes back whatever interviews the corpus happens to hold."""
    doc_ids = dtm.units["doc_id"].to_numpy()
    names = np.unique(doc_ids)
    members = {name: np.flatnonzero(doc_ids == name) for name in names}
    rng = np.random.default_rng(seed)
    samples = [np.concatenate([members[n] for n in rng.choice(names, len(names))]) for _ in range(n_resamples)]
    counts = sparse.csr_matrix(dtm.counts)
    run = delayed(_resampled_fit)
    fits = Parallel(n_jobs=n_jobs)(run(counts, rows, model.k, model.method, model.seed, passes) for rows in samples)
    similarities = [match_topics(model, model._replace(topic_words=phi))[1] for phi in fits]
    return np.mean(similarities, axis=0)


def fold_in(counts, topic_words: np.ndarray, n_iter: int = 200, tol: float = 1e-8) -> np.ndarray:
    """Topic shares of new texts with the topics held fixed: for each row of ``counts`` (texts x
    words, the model's vocabulary), the mixture weights theta maximising
    sum_w n_w log sum_t theta_t phi_tw, by EM (the folding-in of Hofmann 1999), with phi =
    ``topic_words`` (rows summing to 1). A row without words gets zeros."""
    counts = sparse.csr_matrix(counts, dtype=float)
    phi = np.asarray(topic_words, dtype=float)
    k = phi.shape[0]
    theta = np.full((counts.shape[0], k), 1.0 / k)
    totals = np.asarray(counts.sum(axis=1)).ravel()
    for _ in range(n_iter):
        mixture = theta @ phi  # texts x words
        ratio = counts.multiply(1.0 / np.where(mixture > 0, mixture, 1.0)).tocsr()
        updated = theta * (ratio @ phi.T)
        updated = _normalise_rows(updated)
        change = np.abs(updated - theta).max() if len(theta) else 0.0
        theta = updated
        if change < tol:
            break
    theta[totals == 0] = 0.0
    return theta


def question_counts(turns: pd.DataFrame, dtm: DocumentTermMatrix, role: str = "interviewer") -> pd.DataFrame:
    """The journalists' words per interview in the vocabulary of ``dtm``: one row per interview
    of ``dtm`` (sorted by ``doc_id``) with ``doc_id`` and ``n_tokens``, and the sparse counts as
    ``.attrs["counts"]``. ``turns`` is ``load_turns(with_metadata=True)``; only ``role`` turns of
    the interviews in ``dtm`` count."""
    docs = sorted(set(dtm.units["doc_id"]))
    asked = turns[(turns["role"] == role) & turns["doc_id"].isin(docs)]
    index = {f: j for j, f in enumerate(dtm.features["feature"])}
    rows = {d: i for i, d in enumerate(docs)}
    r, c, v = [], [], []
    for doc, text in zip(asked["doc_id"], asked["text"]):
        for feature, n in dtm.processor.count_features(dtm.processor.count_surface(text)).items():
            if feature in index:
                r.append(rows[doc])
                c.append(index[feature])
                v.append(n)
    counts = sparse.csr_matrix((v, (r, c)), shape=(len(docs), len(index)), dtype=float)
    table = pd.DataFrame({"doc_id": docs, "n_tokens": np.asarray(counts.sum(axis=1)).ravel()})
    table.attrs["counts"] = counts
    return table


def question_logits(questions: pd.DataFrame, model: TopicModel, pseudo: float = PSEUDO_COUNT) -> pd.DataFrame:
    """Per interview (rows of :func:`question_counts`) and topic: the empirical logit of the
    topic's share of the journalists' words, as the answers' (:func:`analysis.measures.topic_comparisons.
    share_logits`); NaN where the journalists have no word in the vocabulary."""
    theta = fold_in(questions.attrs["counts"], model.topic_words)
    n = questions["n_tokens"].to_numpy(dtype=float)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        logits = np.log((theta * n + pseudo) / ((1 - theta) * n + pseudo))
    logits[n[:, 0] == 0] = np.nan
    return pd.concat([questions[["doc_id"]], pd.DataFrame(logits, columns=range(model.k))], axis=1)


def _ols(y: np.ndarray, x: np.ndarray) -> tuple[float, float, float, float]:
    """The first slope of an OLS fit of y on [1, x] with its t interval (95%) and p."""
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    df = len(y) - design.shape[1]
    residual = y - design @ beta
    sigma2 = residual @ residual / df
    se = np.sqrt(sigma2 * np.linalg.inv(design.T @ design)[1, 1])
    half = stats.t.ppf(0.975, df) * se
    p = 2 * stats.t.sf(abs(beta[1]) / se, df) if se > 0 else float(beta[1] == 0)
    return float(beta[1]), float(beta[1] - half), float(beta[1] + half), float(p)


def question_adjusted(logits: pd.DataFrame, asked: pd.DataFrame, a: str, b: str, topic: int) -> dict:
    """The difference a − b of the answers' log-ratio of ``topic`` given the journalists' log-ratio
    of it: OLS over the interviews of a and b that have questions, answer ~ 1 + [audience = a] +
    question, with its 95% t interval and p (``difference``, ``low``, ``high``, ``p``,
    ``n_a``, ``n_b``). ``logits`` is :func:`analysis.measures.topic_comparisons.share_logits` of the
    answers (``doc_id``, ``audience``), ``asked`` :func:`question_logits`. NaNs when fewer than
    two interviews with questions remain in a group (it cannot be checked)."""
    answers = logits[["doc_id", "audience"]].assign(answer=logits[topic].to_numpy(dtype=float))
    both = answers.merge(asked[["doc_id"]].assign(question=asked[topic].to_numpy(dtype=float)), on="doc_id")
    both = both[both["audience"].isin([a, b]) & both["question"].notna()]
    n_a, n_b = int((both["audience"] == a).sum()), int((both["audience"] == b).sum())
    if n_a < 2 or n_b < 2:
        return {"difference": np.nan, "low": np.nan, "high": np.nan, "p": np.nan, "n_a": n_a, "n_b": n_b}
    x = np.column_stack([(both["audience"] == a).to_numpy(float), both["question"].to_numpy(float)])
    difference, low, high, p = _ols(both["answer"].to_numpy(float), x)
    return {"difference": difference, "low": low, "high": high, "p": p, "n_a": n_a, "n_b": n_b}


CHECK_COLUMNS = [
    "group_a",
    "group_b",
    "topic",
    "label",
    "resample_stability",
    "other_topic",
    "similarity",
    "other_difference",
    "other_p_holm",
    "asked_difference",
    "asked_low",
    "asked_high",
    "asked_p_holm",
    "translated_vs_english",
    "established",
    "verdict",
]


def check_differences(
    tests: pd.DataFrame,
    resampled: Sequence[float],
    match: pd.DataFrame,
    other_tests: pd.DataFrame,
    logits: pd.DataFrame,
    asked: pd.DataFrame | None,
    confounded: set[tuple[str, str]] = frozenset(),
    min_stability: float = 0.8,
    methods: tuple[str, str] = ("NMF", "LDA"),
) -> pd.DataFrame:
    """The checks of the module docstring for every difference of ``tests``
    (:func:`analysis.measures.topic_comparisons.compare_topic_shares`) that survives Holm.

    ``resampled``: :func:`resample_stability` per topic; ``match``: :func:`match_across` of this
    model against the other; ``other_tests``: the other model's ``compare_topic_shares`` (its
    topics tested whatever their stability); ``logits``: the answers' share logits
    (:func:`analysis.measures.topic_comparisons.share_logits`); ``asked``: :func:`question_logits`, or
    None when the corpus has no journalists' words; ``confounded``: the translation-confounded
    pairs (:func:`analysis.measures.topic_comparisons.translation_confounded`); ``methods``: (this
    model's name, the other's).

    Returns one row per difference checked, the columns of :data:`CHECK_COLUMNS`: ``topic`` and
    ``other_topic`` 0-based (03 writes them numbered from 1, :func:`analysis.measures.topics.numbered`), ``other_*``
    (the matched topic's difference and its Holm p over the rows, in the same direction; NaN
    without a match), ``asked_*`` (:func:`question_adjusted` with Holm over the rows), whether the
    pair compares translated with English interviews, ``established`` (every check passed, or the
    questions could not be checked) and ``verdict`` (what passed and what did not, in words)."""
    this, other = methods
    survivors = tests[tests["stable"].astype(bool) & tests["survives_holm"].astype(bool)]
    rows = []
    for r in survivors.itertuples():
        m = match.set_index("topic").loc[r.topic]
        same = other_tests[
            (other_tests["group_a"] == r.group_a) & (other_tests["group_b"] == r.group_b)
            & (other_tests["topic"] == m["other_topic"])
        ]  # fmt: skip
        replicated = bool(m["matched"]) and len(same) == 1
        adjusted = question_adjusted(logits, asked, r.group_a, r.group_b, r.topic) if asked is not None else {}
        rows.append(
            {
                "group_a": r.group_a,
                "group_b": r.group_b,
                "topic": r.topic,
                "label": r.label,
                "difference": r.difference,
                "resample_stability": resampled[r.topic],
                "other_topic": int(m["other_topic"]),
                "similarity": float(m["similarity"]),
                "matched": bool(m["matched"]),
                "other_difference": same["difference"].iat[0] if replicated else np.nan,
                "other_p": same["p"].iat[0] if replicated else np.nan,
                "asked_difference": adjusted.get("difference", np.nan),
                "asked_low": adjusted.get("low", np.nan),
                "asked_high": adjusted.get("high", np.nan),
                "asked_p": adjusted.get("p", np.nan),
                "translated_vs_english": (r.group_a, r.group_b) in confounded,
            }
        )
    table = pd.DataFrame(rows, columns=[*CHECK_COLUMNS, "difference", "matched", "other_p", "asked_p"])
    for column in ("other", "asked"):
        p = table[f"{column}_p"].to_numpy(dtype=float)
        holm_p = np.full(len(p), np.nan)
        if np.isfinite(p).any():
            holm_p[np.isfinite(p)] = holm(p[np.isfinite(p)])
        table[f"{column}_p_holm"] = holm_p
    verdicts = [_verdict(r, min_stability, this, other) for r in table.itertuples()]
    table["established"] = [v[0] for v in verdicts]
    table["verdict"] = [v[1] for v in verdicts]
    return table[CHECK_COLUMNS].astype({"established": bool, "translated_vs_english": bool})


def _verdict(r, min_stability: float, this: str, other: str) -> tuple[bool, str]:
    """(established, the verdict in words) for one row of :func:`check_differences`."""
    fails, notes = [], []
    if r.resample_stability < min_stability:
        fails.append(f"the topic is unstable across resampled interviews ({r.resample_stability:.3f})")
    if not r.matched:
        fails.append(f"no {other} topic matches it (best similarity {r.similarity:.2f})")
    elif not (np.sign(r.other_difference) == np.sign(r.difference) and r.other_p_holm < 0.05):
        fails.append(f"{other} topic {r.other_topic + 1} (similarity {r.similarity:.2f}) does not show it")
    if np.isnan(r.asked_p):
        notes.append("the journalists' questions could not be checked")
    elif not (np.sign(r.asked_difference) == np.sign(r.difference) and r.asked_p_holm < 0.05):
        fails.append("it does not survive adjusting for the journalists' questions on the topic")
    if fails:
        text = f"survives Holm under {this} but not established: " + "; ".join(fails)
    else:
        text = f"established: under {this} and {other} (similarity {r.similarity:.2f}), across resampled interviews" + (
            "" if notes else " and given the journalists' questions"
        )
    text += "".join(f"; {n}" for n in notes)
    if r.translated_vs_english:
        text += (
            "; translated against English interviews, so it may be the translators' wording as much as the speaker's"
        )
    return not fails, text


@dataclass(frozen=True)
class TopicChecks:
    """The checks of a model's differences (:func:`check_topics`): ``methods`` (this model's name
    and the other method's, upper case), ``topics`` (one row per topic of the model: its
    :func:`match_across` row, ``topic``, ``other_topic`` 0-based, ``similarity``, ``matched``, then
    ``other_words``, the matched topic's top words, and ``resample_stability``, from
    :func:`resample_stability`), ``checks`` (:func:`check_differences`) and ``n_resamples`` (the
    bootstrap samples of interviews behind ``resample_stability``)."""

    methods: tuple[str, str]
    topics: pd.DataFrame
    checks: pd.DataFrame
    n_resamples: int


def check_topics(
    model: TopicModel,
    dtm: DocumentTermMatrix,
    turns: pd.DataFrame,
    comparison: TopicComparison,
    logits: pd.DataFrame,
    min_stability: float = 0.8,
    n_resamples: int = 9999,
    seed: int = 0,
    passes: int = 10,
    n_topic_resamples: int = N_RESAMPLES,
    n_jobs: int = -1,
) -> TopicChecks:
    """Check every difference of ``comparison`` (:func:`analysis.measures.topic_comparisons.compare_topic_pairs`
    of ``model`` fitted to ``dtm``) that survives Holm, as the module docstring says: the other
    method (NMF for LDA, LDA for NMF) fitted with the same k, ``seed`` and ``passes`` on ``dtm`` and
    its differences for the same pairs (``n_resamples`` permutations, every topic tested), the model
    refitted on ``n_topic_resamples`` bootstrap samples of interviews, and the journalists'
    questions of ``turns`` (when it has any) folded into the model's topics. ``logits`` are the
    answers' share logits (:func:`analysis.measures.topic_comparisons.share_logits`); ``n_jobs``
    processes refit the resamples (the result does not depend on it). Returns a :class:`TopicChecks`."""
    other_method = "lda" if model.method == "nmf" else "nmf"
    methods = (model.method.upper(), other_method.upper())
    other_model = fit_topics(dtm, model.k, other_method, seed, passes=passes)
    match = match_across(model, other_model).assign(
        other_words=lambda m: [other_model.labels[t] for t in m["other_topic"]]
    )
    other_tests = compare_topic_shares(
        interview_table(other_model, dtm), other_model.labels, comparison.pairs, range(model.k), n_resamples, seed
    )
    resampled = resample_stability(model, dtm, n_topic_resamples, seed, passes=passes, n_jobs=n_jobs)
    asked = question_logits(question_counts(turns, dtm), model) if (turns["role"] == "interviewer").any() else None
    checks = check_differences(
        comparison.differences,
        resampled,
        match,
        other_tests,
        logits,
        asked,
        comparison.confounded,
        min_stability,
        methods,
    )
    return TopicChecks(methods, match.assign(resample_stability=resampled), checks, n_topic_resamples)
