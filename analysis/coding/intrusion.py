"""Topics validated by reading: word-intrusion and topic-intrusion tasks drawn from a fitted
model, and their scores (Chang, Boyd-Graber, Gerrish, Wang and Blei 2009, "Reading tea leaves:
how humans interpret topic models", NIPS 22; the method that R's oolong package offers, written
here from the paper).

*Word intrusion* (Chang et al. 2009, section 3.1): a reader sees six words, five of a topic's
top words and one *intruder*, a word with low probability in that topic and high probability in
another (so that it is not a near-synonym of the five), in random order, and names the word
that does not belong. Where the topic is coherent the intruder stands out. Here each topic gets
:data:`TASKS_PER_TOPIC` tasks, each showing five words drawn from its ten top words and its own
intruder, so that a topic's precision has an interval over its tasks.

*Topic intrusion* (section 3.2): a reader sees a passage and four topics, each by its eight top
words: the passage's three most probable topics and one improbable one (the intruder), in
random order, and names the topic that does not belong. Where the model's topic shares describe
the passage, the intruder stands out.

Scores (section 3.3):

* model precision of topic k, ``MP_k = (1 / S) sum_s 1(i_ks = w_k)``, the share of answers
  (S over tasks and coders) that name the true intruder ``w_k`` (eq. 1); chance is 1/6;
* topic log odds of passage d, ``TLO_d = (1 / S) sum_s (log theta_d,j* - log theta_d,j_s)``,
  with ``j*`` the true intruder, ``j_s`` the topic coder s chose and ``theta_d`` the passage's
  topic shares (eq. 2): 0 when every coder finds the intruder, more negative the more probable
  the topics they mistook for it. NMF gives exact zeros, so shares are floored at
  :data:`THETA_FLOOR` before the logarithm.

The answer key (which option is the intruder) is kept out of the task files: the tasks go to the
readers, the key stays in ``key_<method>.csv`` beside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..io import write_csv
from ..measures.topics import TopicModel
from ..text.dtm import DocumentTermMatrix

#: Word-intrusion tasks per topic.
TASKS_PER_TOPIC = 5
#: Words of the topic shown in a word-intrusion task (plus the intruder: six options).
N_SHOWN_WORDS = 5
#: The topic's top words from which the shown words are drawn.
N_POOL_WORDS = 10
#: Passages in the topic-intrusion tasks of one model.
N_PASSAGES = 30
#: A topic's top words shown for it in a topic-intrusion task (Chang et al. 2009 show eight).
N_TOPIC_WORDS = 8
#: The passage's most probable topics shown in a topic-intrusion task (at most half of k).
N_SHOWN_TOPICS = 3
#: A topic-intrusion intruder's share of the passage is below this fraction of an even spread (1/k).
INTRUDER_SHARE = 0.5
#: Shares below this are raised to it before the log in the topic log odds.
THETA_FLOOR = 1e-4

OPTION_COLUMNS = [f"option_{i}" for i in range(1, N_SHOWN_WORDS + 2)]
#: Columns of a task file, what a reader sees.
TASK_COLUMNS = ["task_id", "kind", "passage", *OPTION_COLUMNS]
#: Columns of an answer key.
KEY_COLUMNS = [
    "task_id", "kind", "method", "k", "seed", "topic", "unit_id", "answer", "intruder", "intruder_topic",
    "option_topics", "option_shares", "topic_words",
]  # fmt: skip


def _top_features(model: TopicModel, topic: int, n: int) -> np.ndarray:
    """Indices of the topic's ``n`` heaviest features, heaviest first (ties by index)."""
    return np.argsort(-model.topic_words[topic], kind="stable")[:n]


def _label_of(labels: pd.Series, feature: int) -> str:
    return str(labels.iat[feature])


def intruder_pool(model: TopicModel, labels: pd.Series, topic: int, n_pool: int = N_POOL_WORDS) -> list[int]:
    """Candidate intruders for ``topic`` (Chang et al. 2009, section 3.1: low probability in the
    topic, high in another): the features among the ``n_pool`` top words of any other topic whose
    weight in ``topic`` ranks in the lower half of the vocabulary, and whose surface form differs
    from every one of the topic's own ``n_pool`` top words. Feature indices, sorted."""
    order = np.argsort(-model.topic_words[topic], kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    own = set(order[:n_pool].tolist())
    own_labels = {_label_of(labels, j) for j in own}
    pool = set()
    for other in range(model.k):
        if other == topic:
            continue
        for j in _top_features(model, other, n_pool).tolist():
            low = rank[j] >= order.size / 2
            if low and j not in own and _label_of(labels, j) not in own_labels:
                pool.add(j)
    return sorted(pool)


def _home_topic(model: TopicModel, feature: int, topic: int) -> int:
    """The other topic in which ``feature`` weighs most."""
    weights = model.topic_words[:, feature].copy()
    weights[topic] = -np.inf
    return int(np.argmax(weights))


def word_intrusion_tasks(
    model: TopicModel, labels: pd.Series, seed: int = 0, tasks_per_topic: int = TASKS_PER_TOPIC
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Word-intrusion tasks for every topic of ``model`` (``labels``: the surface form of each
    feature, in matrix order, e.g. ``dtm.features["label"]``). Each task shows
    :data:`N_SHOWN_WORDS` words drawn at random from the topic's :data:`N_POOL_WORDS` top words and
    one intruder from :func:`intruder_pool` (a different one for each task of a topic while the
    pool lasts), in random order; everything drawn with ``seed``.

    Returns ``(tasks, key)``: ``tasks`` has :data:`TASK_COLUMNS` (``kind`` = ``"word"``, no
    ``passage``), ``key`` has :data:`KEY_COLUMNS` (``topic`` 0-based, ``answer`` the option number
    of the intruder, 1 to 6, ``intruder`` its surface form, ``intruder_topic`` the topic it comes
    from, ``topic_words`` the topic's top words, for checking that a key belongs to a model)."""
    rng = np.random.default_rng(seed)
    tasks, key = [], []
    for topic in range(model.k):
        top = _top_features(model, topic, N_POOL_WORDS)
        pool = intruder_pool(model, labels, topic)
        if not pool:
            raise ValueError(f"topic {topic + 1} has no candidate intruder: no other topic's top word is rare in it")
        intruders = rng.permutation(pool)
        words = ", ".join(_label_of(labels, j) for j in top)
        for i in range(tasks_per_topic):
            intruder = int(intruders[i % len(intruders)])
            shown = [int(j) for j in rng.choice(top, size=N_SHOWN_WORDS, replace=False)]
            options = rng.permutation([*shown, intruder])
            answer = int(np.flatnonzero(options == intruder)[0]) + 1
            tasks.append([None, "word", "", *(_label_of(labels, j) for j in options)])
            key.append(
                [None, "word", model.method, model.k, model.seed, topic, "", answer,
                 _label_of(labels, intruder), _home_topic(model, intruder, topic), "", "", words]
            )  # fmt: skip
    return _numbered(tasks, key, model.method, "w", rng)


def _numbered(tasks: list, key: list, method: str, letter: str, rng: np.random.Generator):
    """Put the tasks in random order and number them ``<method>-<letter><nn>``."""
    order = rng.permutation(len(tasks))
    width = len(str(len(tasks)))
    task_table = pd.DataFrame([tasks[i] for i in order], columns=TASK_COLUMNS)
    key_table = pd.DataFrame([key[i] for i in order], columns=KEY_COLUMNS)
    ids = [f"{method}-{letter}{n + 1:0{width}d}" for n in range(len(order))]
    task_table["task_id"] = ids
    key_table["task_id"] = ids
    return task_table, key_table


def topic_intrusion_tasks(
    model: TopicModel, dtm: DocumentTermMatrix, seed: int = 0, n_passages: int = N_PASSAGES
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Topic-intrusion tasks for ``n_passages`` units of ``dtm`` drawn at random with ``seed``.

    Each task shows the unit's text and ``min(N_SHOWN_TOPICS, k // 2)`` of its most probable
    topics (at most half of them, so that with few topics the shown ones are not simply all but
    the least probable) plus one intruder, drawn at random from the topics whose share of the unit
    is below ``INTRUDER_SHARE / k`` (less than half what an even spread would give; Chang et al.
    2009 draw it from the unit's improbable topics), each topic shown by its
    :data:`N_TOPIC_WORDS` top words, in random order. Only units whose shown topics each hold at
    least 1/k of the unit (an even share or more) are drawn, so that in every task the model
    itself sets the shown topics clearly apart from the intruder (a unit that one topic fills
    almost alone would show a second topic as improbable as the intruder, and the task would test
    nothing): the passages scored are those the model calls a mixture of topics, and the topic log
    odds describe those.

    Returns ``(tasks, key)`` as :func:`word_intrusion_tasks`, ``kind`` = ``"topic"``, with
    ``unit_id``, ``option_topics`` (the 0-based topic of each option, ";"-separated) and
    ``option_shares`` (its share of the unit, the theta of the topic log odds)."""
    rng = np.random.default_rng(seed)
    k = model.k
    n_shown = min(N_SHOWN_TOPICS, k // 2)
    theta = np.asarray(model.doc_topics)
    order = np.argsort(-theta, axis=1, kind="stable")
    low = theta < INTRUDER_SHARE / k
    low[np.arange(len(theta))[:, None], order[:, :n_shown]] = False
    probable = np.take_along_axis(theta, order[:, n_shown - 1 : n_shown], axis=1)[:, 0] >= 1 / k
    eligible = np.flatnonzero(probable & low.any(axis=1))
    if len(eligible) == 0:
        raise ValueError("no passage has its top topics at 1/k or more and another below INTRUDER_SHARE/k")
    chosen = np.sort(rng.choice(eligible, size=min(n_passages, len(eligible)), replace=False))
    top = model.top_words
    words = [", ".join(top.loc[top["topic"] == t, "label"].head(N_TOPIC_WORDS)) for t in range(k)]
    tasks, key = [], []
    for unit in chosen:
        intruder = int(rng.choice(np.flatnonzero(low[unit])))
        options = rng.permutation([*order[unit, :n_shown].tolist(), intruder])
        answer = int(np.flatnonzero(options == intruder)[0]) + 1
        blanks = [""] * (len(OPTION_COLUMNS) - len(options))
        tasks.append([None, "topic", dtm.units["text"].iat[unit], *(words[t] for t in options), *blanks])
        key.append(
            [None, "topic", model.method, k, model.seed, "", dtm.units["unit_id"].iat[unit], answer, words[intruder],
             intruder, ";".join(str(int(t)) for t in options), ";".join(f"{theta[unit, t]:.6g}" for t in options), ""]
        )  # fmt: skip
    return _numbered(tasks, key, model.method, "t", rng)


def intrusion_tasks(model: TopicModel, dtm: DocumentTermMatrix, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Word-intrusion tasks, then topic-intrusion tasks, of one model (see the two functions),
    drawn with ``seed``: ``(tasks, key)``."""
    words, words_key = word_intrusion_tasks(model, dtm.features["label"], seed)
    topics, topics_key = topic_intrusion_tasks(model, dtm, seed + 1)
    return pd.concat([words, topics], ignore_index=True), pd.concat([words_key, topics_key], ignore_index=True)


def task_path(folder: str | Path, method: str) -> Path:
    return Path(folder) / f"tasks_{method}.csv"


def key_path(folder: str | Path, method: str) -> Path:
    return Path(folder) / f"key_{method}.csv"


def write_tasks(model: TopicModel, dtm: DocumentTermMatrix, folder: str | Path, seed: int = 0) -> list[Path]:
    """Draw :func:`intrusion_tasks` and write ``tasks_<method>.csv`` (for the readers) and
    ``key_<method>.csv`` (the answers, kept from them) into ``folder``."""
    tasks, key = intrusion_tasks(model, dtm, seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [task_path(folder, model.method), key_path(folder, model.method)]
    write_csv(tasks, paths[0])
    write_csv(key, paths[1])
    return paths


def draw_study_tasks(
    turns: pd.DataFrame, cfg, method: str, folder: str | Path, k: int | None = None, seed: int = 0
) -> list[Path]:
    """Fit ``method``'s model as ``03_topics`` does with its default parameters (the matrix of
    :func:`analysis.measures.topics.topic_dtm`, k chosen by :func:`analysis.measures.topics.choose_k` over the
    default grid unless ``k`` is given, ``seed``) and write its tasks and key (:func:`write_tasks`)."""
    from ..measures.topics import K_GRID, SEEDS, choose_k, fit_topics, grid_plan, topic_dtm, topic_grid

    dtm = topic_dtm(turns, cfg)
    plan = grid_plan(dtm, [seed + s for s in SEEDS])
    if k is None:
        ks = [g for g in K_GRID if g <= min(dtm.counts.shape)]
        grid = topic_grid(dtm, method, ks, plan.seeds, passes=plan.passes, n_folds=plan.n_folds)
        k = choose_k(grid)
    return write_tasks(fit_topics(dtm, k, method, seed, passes=plan.passes), dtm, folder, seed)


# ---------------------------------------------------------------------------------------------
# Answers and scores

#: A topic fails when the upper end of its precision's interval is below this share: readers
#: miss its intruder more often than they find it even at the most favourable end (chance, with
#: six options, is 1/6).
MIN_PRECISION = 0.5
#: Columns of an answer file.
ANSWER_COLUMNS = ["task_id", "answer"]


def answers_path(folder: str | Path, method: str, coder: str) -> Path:
    return Path(folder) / f"answers_{method}_{coder}.csv"


def read_key(folder: str | Path, method: str) -> pd.DataFrame:
    """The answer key of ``method`` in ``folder`` (:data:`KEY_COLUMNS`; ``topic`` and
    ``intruder_topic`` as integers, ``topic`` missing for topic tasks)."""
    key = pd.read_csv(key_path(folder, method), dtype={"task_id": str, "unit_id": str}, keep_default_na=False)
    key["topic"] = pd.to_numeric(key["topic"]).astype("Int64")
    return key


def read_tasks(folder: str | Path, method: str) -> pd.DataFrame:
    """The task file of ``method`` in ``folder`` (:data:`TASK_COLUMNS`, text, empty where unused)."""
    return pd.read_csv(task_path(folder, method), dtype=str, keep_default_na=False)


def n_options(tasks: pd.DataFrame) -> pd.Series:
    """The number of filled options of each task, indexed by ``task_id``."""
    return (tasks.set_index("task_id")[OPTION_COLUMNS] != "").sum(axis=1)


def read_answers(path: str | Path, tasks: pd.DataFrame) -> pd.DataFrame:
    """One coder's answer file (``task_id,answer``), checked against the tasks: every row a task
    of the file, answered once, with one of its option numbers. Bad input raises
    :class:`~analysis.errors.CorpusError` naming the file and line. Returns ``task_id``,
    ``answer`` (int)."""
    from ..errors import CorpusError

    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != ANSWER_COLUMNS:
        raise CorpusError(path, 1, f"the header is {','.join(table.columns)}", "make it task_id,answer")
    options = n_options(tasks)
    seen = set()
    for i, row in enumerate(table.itertuples(index=False), start=2):
        if row.task_id not in options.index:
            raise CorpusError(path, i, f"task {row.task_id!r} is not in the task file", "use the task ids as written")
        if row.task_id in seen:
            raise CorpusError(path, i, f"task {row.task_id} is answered twice", "keep one answer per task")
        if not row.answer.strip().isdigit() or not 1 <= int(row.answer) <= options[row.task_id]:
            raise CorpusError(
                path, i, f"answer {row.answer!r} to {row.task_id} is not an option number",
                f"answer with a whole number from 1 to {options[row.task_id]}",
            )  # fmt: skip
        seen.add(row.task_id)
    return table.assign(answer=table["answer"].astype(int))


def load_answers(folder: str | Path, method: str) -> pd.DataFrame:
    """Every coder's answers to ``method``'s tasks in ``folder`` (files ``answers_<method>_<coder>.csv``),
    stacked: ``coder``, ``task_id``, ``answer``. Empty when there are none."""
    tasks = read_tasks(folder, method)
    parts = [
        read_answers(path, tasks).assign(coder=path.stem.removeprefix(f"answers_{method}_"))
        for path in sorted(Path(folder).glob(f"answers_{method}_*.csv"))
    ]
    if not parts:
        return pd.DataFrame({"coder": [], "task_id": [], "answer": []})
    return pd.concat(parts, ignore_index=True)[["coder", "task_id", "answer"]]


def scored(key: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Each answer beside its key: ``coder``, ``task_id``, ``answer``, ``kind``, ``topic``,
    ``correct`` (the intruder was chosen) and, for topic tasks, ``log_odds``:
    ``log theta_intruder - log theta_chosen`` (Chang et al. 2009, eq. 2, one coder's term; 0 when
    correct), shares floored at :data:`THETA_FLOOR`."""
    table = answers.merge(key, on="task_id", how="inner", suffixes=("", "_key"))
    table["correct"] = table["answer"] == table["answer_key"]
    log_odds = []
    for r in table.itertuples(index=False):
        if r.kind != "topic":
            log_odds.append(np.nan)
            continue
        shares = np.maximum([float(s) for s in r.option_shares.split(";")], THETA_FLOOR)
        log_odds.append(float(np.log(shares[r.answer_key - 1]) - np.log(shares[r.answer - 1])))
    table["log_odds"] = log_odds
    return table[["coder", "task_id", "answer", "kind", "topic", "unit_id", "correct", "log_odds"]]


def _per_task(scores: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean of ``column`` over the coders who answered each task (one row per task)."""
    return scores.groupby("task_id", sort=True).agg(
        topic=("topic", "first"), unit_id=("unit_id", "first"), value=(column, "mean"), n_coders=("coder", "nunique")
    ).reset_index()  # fmt: skip


def _summary(per_task: pd.DataFrame, n_boot: int, seed: int, level: float) -> dict:
    """Tasks, answers, the mean of the tasks' values and its percentile bootstrap interval over
    tasks (:func:`analysis.stats.resampling.group_means`; no interval from fewer than two tasks)."""
    from ..stats.resampling import group_means

    if per_task.empty:
        return {"n_tasks": 0, "n_answers": 0, "mean": np.nan, "low": np.nan, "high": np.nan}
    row = group_means(per_task.assign(group=0), ["value"], "group", n_boot, level, seed).iloc[0]
    return {"n_tasks": len(per_task), "n_answers": int(per_task["n_coders"].sum()), "mean": float(row["mean"]),
            "low": float(row["low"]), "high": float(row["high"])}  # fmt: skip


def model_precision(
    key: pd.DataFrame, answers: pd.DataFrame, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> pd.DataFrame:
    """Model precision of each topic (Chang et al. 2009, eq. 1): the share of answers to its
    word-intrusion tasks that name the intruder, averaged over tasks (each task the share of its
    coders who found the intruder; equal to eq. 1 when every coder answers every task), with a
    percentile bootstrap interval that resamples the topic's tasks, and a last row ``all`` over
    every word task of the model.

    Returns ``topic`` (0-based; ``all`` for the model; 03 writes it numbered from 1,
    :func:`analysis.measures.topics.numbered`), ``n_tasks``, ``n_answers``,
    ``precision`` (0..1), ``low``, ``high`` and ``status``: ``fails`` when ``high`` is below
    :data:`MIN_PRECISION`, ``not coded`` without answers, else ``passes``."""
    word_key = key[key["kind"] == "word"]
    scores = scored(word_key, answers)
    per_task = _per_task(scores.assign(correct=scores["correct"].astype(float)), "correct")
    rows = []
    for topic in [*sorted(word_key["topic"].astype(int).unique()), "all"]:
        part = per_task if topic == "all" else per_task[per_task["topic"] == topic]
        rows.append({"topic": topic, **_summary(part, n_boot, seed, level)})
    table = pd.DataFrame(rows).rename(columns={"mean": "precision"})
    table["status"] = np.select(
        [table["n_answers"] == 0, table["high"] < MIN_PRECISION], ["not coded", "fails"], "passes"
    )
    return table


def topic_log_odds(
    key: pd.DataFrame, answers: pd.DataFrame, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[pd.DataFrame, dict]:
    """Topic log odds (Chang et al. 2009, eq. 2) of each passage of the topic-intrusion tasks,
    the mean over its coders of ``log theta_intruder - log theta_chosen`` (0 at best, negative
    when coders took a topic the model gives the passage for the intruder), and the model's mean
    over passages with a percentile bootstrap interval over passages.

    Returns ``(passages, model)``: ``passages`` has ``task_id``, ``unit_id``, ``log_odds`` and
    ``n_coders``; ``model`` is a dict with ``n_tasks``, ``n_answers``, ``mean``, ``low``,
    ``high`` and ``share_correct`` (answers that named the intruder)."""
    scores = scored(key[key["kind"] == "topic"], answers)
    per_task = _per_task(scores, "log_odds")
    summary = _summary(per_task, n_boot, seed, level)
    summary["share_correct"] = float(scores["correct"].mean()) if len(scores) else np.nan
    passages = per_task.rename(columns={"value": "log_odds"})[["task_id", "unit_id", "log_odds", "n_coders"]]
    return passages, summary


def intrusion_agreement(
    key: pd.DataFrame, answers: pd.DataFrame, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> pd.DataFrame:
    """Agreement between coders on each kind of task: Krippendorff's alpha for nominal data
    (:func:`analysis.coding.reliability.krippendorff_alpha`) with the chosen option as the code, over
    the tasks at least two coders answered, with a percentile bootstrap interval over tasks
    (Hayes and Krippendorff 2007). Returns ``kind``, ``n_coders``, ``n_tasks``, ``agreement``
    (share of tasks where all coders chose the same option), ``alpha``, ``low``, ``high``."""
    from .reliability import krippendorff_alpha

    rng = np.random.default_rng(seed)
    rows = []
    for kind in ("word", "topic"):
        ids = set(key.loc[key["kind"] == kind, "task_id"])
        wide = answers[answers["task_id"].isin(ids)].pivot(index="coder", columns="task_id", values="answer")
        wide = wide.loc[:, wide.notna().sum(axis=0) >= 2]
        data = wide.to_numpy(dtype=float)
        n = data.shape[1]
        alpha = krippendorff_alpha(data) if n else np.nan
        boot = [krippendorff_alpha(data[:, rng.integers(0, n, n)]) for _ in range(n_boot)] if n > 1 else [np.nan]
        low, high = np.nanquantile(boot, [(1 - level) / 2, (1 + level) / 2]) if n > 1 else (np.nan, np.nan)
        same = float(np.mean([len(set(c[~np.isnan(c)])) == 1 for c in data.T])) if n else np.nan
        rows.append({"kind": kind, "n_coders": len(wide), "n_tasks": n, "agreement": same, "alpha": alpha,
                     "low": float(low), "high": float(high)})  # fmt: skip
    return pd.DataFrame(rows)


def failing_topics(precision: pd.DataFrame) -> list[int]:
    """The topics (0-based) whose word-intrusion precision fails (:func:`model_precision`)."""
    rows = precision[(precision["topic"] != "all") & (precision["status"] == "fails")]
    return sorted(int(t) for t in rows["topic"])


def topics_for_tests(stable: list[int], precision: pd.DataFrame | None) -> list[int]:
    """The topics that enter the audience tests: the stable ones, less those that fail the
    word-intrusion test (none fail when nobody has answered)."""
    failing = set(failing_topics(precision)) if precision is not None else set()
    return [t for t in stable if t not in failing]


#: Who made the readings the scores rest on (said wherever they are reported).
READERS = "separate sessions of a language model, each given only the task files and the instructions"


def key_matches(key: pd.DataFrame, model: TopicModel) -> bool:
    """Whether ``key`` was drawn from ``model``: same method and k, and each topic's top words
    as the key recorded them."""
    words = key[key["kind"] == "word"].groupby("topic")["topic_words"].first()
    top = model.top_words.groupby("topic")["label"].apply(lambda s: ", ".join(s.head(N_POOL_WORDS)))
    same_model = set(key["method"]) == {model.method} and set(key["k"].astype(int)) == {model.k}
    return same_model and len(words) == model.k and all(words.get(t) == top.get(t) for t in range(model.k))
