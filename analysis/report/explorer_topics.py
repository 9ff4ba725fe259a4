"""The explorer page's topics tab: each topic model 03_topics fitted, refitted as 03 fits it and read
with the tables 03 published (:mod:`analysis.report.explorer`).

The model is refitted with :func:`analysis.measures.topics.fit_topics` on 03's matrix
(:func:`analysis.measures.topics.topic_dtm`) with the run's parameters and the k of its published top-words
table; the refit's top words are compared with that table and the page says if they differ.
Stability (over seeds) and status come from 03's ``<name>_top_words.csv``, resampling stability
and the match under the other method from ``<name>_checks_topics.csv`` (:mod:`analysis.measures.topic_checks`),
shares by audience with intervals from ``<name>_by_audience.csv`` (:func:`analysis.measures.topics.audience_shares`),
all read by column name. Topics are numbered as 03 numbers them in every table it writes
(:func:`analysis.measures.topics.numbered`): the model's topic index plus one.

The word-intrusion results (:mod:`analysis.coding.intrusion`) come from 03's
``<name>_intrusion.csv`` (each topic's model precision with its bootstrap interval and status;
a topic fails when the rule of :func:`analysis.coding.intrusion.failing_topics` says so) and
``<name>_intrusion_agreement.csv`` (Krippendorff's alpha between readers), written only when
someone answered the tasks (:func:`intrusion_payload`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..coding.intrusion import MIN_PRECISION, READERS, failing_topics
from ..io import read_csv
from ..measures.topics import fit_topics, grid_plan, representative_units, topic_dtm

#: The relevance slider's steps: lambda from 0 to 1 by 0.1 (Sievert and Shirley 2014 found 0.6
#: best for their readers; the slider starts there).
LAMBDAS = tuple(round(x / 10, 1) for x in range(11))
#: Words listed per topic at each lambda.
N_WORDS = 10
#: Characters of a passage shown; the rest is cut (the page says so with an ellipsis).
PASSAGE_CHARS = 700
#: Who read the seed study's intrusion tasks, as the page says it (the wording 03 uses).
SEED_READERS = f"The readers were {READERS}: not people."
#: Who read a corpus of one's own's tasks: the page cannot vouch for them.
OWN_READERS = "The readers are those whose answer files are in this corpus's coding folder; its documentation says who."


def relevance(topic_words: np.ndarray, word_share: np.ndarray, lam: float) -> np.ndarray:
    """Relevance of every word to every topic (Sievert and Shirley 2014, eq. 1):
    ``lam * log p(w|t) + (1 - lam) * log(p(w|t) / p(w))``, natural logs. ``topic_words`` is topics x
    words, each row p(w|t) summing to 1; ``word_share`` is p(w), the word's share of all tokens.
    lambda = 1 ranks by probability in the topic, lambda = 0 by lift (how much more the topic uses
    the word than the corpus). A word with p(w|t) = 0 gets -inf."""
    if not 0 <= lam <= 1:
        raise ValueError(f"lambda must be between 0 and 1, not {lam}")
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(topic_words)
        score = lam * log_p + (1 - lam) * (log_p - np.log(word_share)[None, :])
    return np.where(topic_words > 0, score, -np.inf)


def ranked_words(topic_words: np.ndarray, word_share: np.ndarray, labels: np.ndarray, n: int = N_WORDS) -> list:
    """Per topic, per lambda of :data:`LAMBDAS`, its ``n`` most relevant word labels (ties by
    label): ``[topic][lambda step] -> list of labels``."""
    out = [[] for _ in range(topic_words.shape[0])]
    for lam in LAMBDAS:
        scores = relevance(topic_words, word_share, lam)
        for t in range(topic_words.shape[0]):
            order = np.lexsort((labels, -scores[t]))[:n]
            out[t].append([str(labels[i]) for i in order])
    return out


def passages(model, dtm, turns: pd.DataFrame, topic: int, n: int, docs_index: dict) -> list[dict]:
    """The ``n`` passages most typical of ``topic`` (:func:`analysis.measures.topics.representative_units`)
    with their interview (index into the page's interviews), raw-file line span, share of the topic
    and text (cut at :data:`PASSAGE_CHARS`)."""
    lines = turns.set_index("turn_id")
    rows = []
    for unit in representative_units(model, dtm, topic, n).itertuples():
        text = unit.text if len(unit.text) <= PASSAGE_CHARS else unit.text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
        rows.append(
            {
                "doc": docs_index.get(unit.doc_id),
                "lines": f"{int(lines.at[unit.first_turn, 'line_start'])}-{int(lines.at[unit.last_turn, 'line_end'])}",
                "share": round(float(unit.share), 3),
                "text": text,
            }
        )
    return rows


#: The number columns of 03's tables that the page reads (the rest stay text).
NUMBERS = ("topic", "stability", "exclusivity", "resample_stability", "n_interviews", "share", "low", "high")


def _published(figures: Path, name: str, table: str) -> pd.DataFrame | None:
    """03's table ``<name>_<table>.csv`` in ``figures`` (None if it is not there), read by column
    name: the columns of :data:`NUMBERS` as numbers (an empty cell NaN), ``matched`` as a truth
    value, every other column as text."""
    path = Path(figures) / f"{name}_{table}.csv"
    if not path.is_file():
        return None
    found = read_csv(path)
    for column in [c for c in NUMBERS if c in found]:
        found[column] = pd.to_numeric(found[column].replace("", np.nan))
    if "matched" in found:
        found["matched"] = found["matched"].str.lower() == "true"
    return found


def _round(value, digits: int = 3):
    """A table's number for the page: rounded, or None when empty."""
    return None if pd.isna(value) else round(float(value), digits)


def _numbers(path: Path, columns: tuple[str, ...]) -> pd.DataFrame | None:
    """The table at ``path`` (None if it is not there) with ``columns`` as numbers (an empty cell
    NaN) and every other column as text (``topic`` too: the model's row is ``all``)."""
    if not path.is_file():
        return None
    found = read_csv(path)
    for column in columns:
        found[column] = pd.to_numeric(found[column].replace("", np.nan))
    return found


def _precision_text(row) -> str:
    """A precision with its interval as 03 and the study page write it ("80% [40%, 100%]"), formatted
    here so that the page shows the same digits (JavaScript rounds some halves otherwise)."""
    if pd.isna(row["low"]):
        return f"{row['precision']:.0%} (no interval)"
    return f"{row['precision']:.0%} [{row['low']:.0%}, {row['high']:.0%}]"


def intrusion_payload(figures: Path, name: str, readers: str = SEED_READERS) -> dict | None:
    """03's word-intrusion results for one model (``<name>_intrusion.csv`` and
    ``<name>_intrusion_agreement.csv`` in ``figures``, read by column name), or None when 03 wrote
    none (nobody answered its tasks). Returns ``topics`` (per topic number, as 03 numbers them:
    ``precision``, ``low``, ``high``, ``n_tasks``, ``text`` (the three as 03 writes them) and
    ``fails``, true when the rule of
    :func:`analysis.coding.intrusion.failing_topics` says so), ``model`` (the same over every word
    task), ``min_precision`` (the rule's threshold), ``alpha`` (per kind of task, ``word`` and
    ``topic``: ``alpha``, ``low``, ``high``, ``text``, ``n_tasks``, ``n_coders``; None when fewer than two
    readers answered a task) and ``readers``, the sentence on who read."""
    figures = Path(figures)
    precision = _numbers(figures / f"{name}_intrusion.csv", ("precision", "low", "high", "n_tasks"))
    if precision is None:
        return None
    failing = set(failing_topics(precision))

    def scores(row) -> dict:
        return {"precision": _round(row["precision"]), "low": _round(row["low"]), "high": _round(row["high"]),
                "n_tasks": int(row["n_tasks"]), "text": _precision_text(row)}  # fmt: skip

    rows = precision.set_index("topic")
    topics = {int(t): {**scores(r), "fails": int(t) in failing} for t, r in rows.drop(index="all").iterrows()}
    agreement = _numbers(figures / f"{name}_intrusion_agreement.csv", ("n_coders", "n_tasks", "alpha", "low", "high"))
    alpha = {}
    for r in agreement.itertuples() if agreement is not None else []:
        usable = r.n_coders >= 2 and r.n_tasks >= 1 and not pd.isna(r.alpha)
        text = f"{r.alpha:.2f}" + ("" if pd.isna(r.low) else f" [{r.low:.2f}, {r.high:.2f}]")
        alpha[r.kind] = {"alpha": _round(r.alpha), "low": _round(r.low), "high": _round(r.high), "text": text,
                         "n_tasks": int(r.n_tasks), "n_coders": int(r.n_coders)} if usable else None  # fmt: skip
    return {"topics": topics, "model": scores(rows.loc["all"]), "alpha": alpha, "min_precision": MIN_PRECISION,
            "readers": readers}  # fmt: skip


def model_payload(
    run, parameters: dict, turns, cfg, figures: Path, docs_index: dict, n_passages: int, readers: str = SEED_READERS
) -> dict | None:
    """One fitted model for the page, or None when 03's run has not published its top words. Its
    ``intrusion`` is :func:`intrusion_payload` (None: no intrusion coding; ``readers`` says who
    read). Its ``topics`` hold per topic: ``number`` (03's), ``label``, ``stability``, ``status``, ``exclusivity``,
    ``resample_stability``, ``other_match`` (the matched topic's words under the other method or
    None), ``words`` (:func:`ranked_words`), ``passages``, ``shares`` (per group ``group``,
    ``n``, ``share``, ``low``, ``high``) and ``intrusion`` (its row of the model's ``intrusion``
    topics, or None)."""
    name = f"topics_{parameters['method']}"
    top = _published(figures, name, "top_words")
    if top is None:
        return None
    p = parameters
    dtm = topic_dtm(turns, cfg, unit=p["unit"], role=p["role"], chunk_words=p["chunk_words"])
    plan = grid_plan(dtm, range(p["seed"], p["seed"] + p["n_seeds"]))
    model = fit_topics(dtm, len(top), p["method"], p["seed"], passes=plan.passes)
    words = model.top_words.groupby("topic")["label"].apply(", ".join).to_numpy()
    counts = np.asarray(dtm.counts.sum(axis=0)).ravel()
    ranked = ranked_words(model.topic_words, counts / counts.sum(), dtm.features["label"].to_numpy())
    checks = _published(figures, name, "checks_topics")
    shares = _published(figures, name, "by_audience")
    intrusion = intrusion_payload(figures, name, readers)
    topics = []
    for t, row in enumerate(top.itertuples()):
        number = int(row.topic)  # 03's number; t is the model's index
        check = checks[checks["topic"] == number] if checks is not None else pd.DataFrame()
        check = check.iloc[0] if len(check) else None
        mine = shares[shares["topic"] == number] if shares is not None else pd.DataFrame(columns=["group"])
        topics.append(
            {
                "number": number,
                "label": model.labels[t],
                "stability": round(float(row.stability), 3),
                "status": str(row.status),
                "exclusivity": round(float(row.exclusivity), 3),
                "resample_stability": None if check is None else round(float(check["resample_stability"]), 3),
                "other_match": None if check is None or not bool(check["matched"]) else str(check["other_words"]),
                "words": ranked[t],
                "passages": passages(model, dtm, turns, t, n_passages, docs_index),
                "shares": [_share_row(s) for s in mine.itertuples()],
                "intrusion": None if intrusion is None else intrusion["topics"].get(number),
            }
        )
    return {
        "method": p["method"].upper(),
        "run": run.name if run is not None else name,
        "k": len(top),
        "matches_03": bool(list(words) == list(top["top_words"])),
        "lambdas": list(LAMBDAS),
        "intrusion": None if intrusion is None else {k: v for k, v in intrusion.items() if k != "topics"},
        "topics": topics,
    }


def _share_row(row) -> dict:
    """A group's share of a topic as the page shows it (empty interval bounds as None)."""
    low, high = (None if pd.isna(v) else round(float(v), 4) for v in (row.low, row.high))
    return {
        "group": row.group,
        "n": int(row.n_interviews),
        "share": round(float(row.share), 4),
        "low": low,
        "high": high,
    }
