"""Word- and topic-intrusion tasks: seeded draws, intruders that are not the topic's words,
scores worked by hand, interval coverage by simulation, agreement as the project computes it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.coding.intrusion import (
    KEY_COLUMNS,
    MIN_PRECISION,
    TASK_COLUMNS,
    draw_study_tasks,
    failing_topics,
    intrusion_agreement,
    intrusion_tasks,
    load_answers,
    model_precision,
    read_answers,
    scored,
    topic_log_odds,
    topics_for_tests,
)
from analysis.coding.reliability import krippendorff_alpha
from analysis.corpus import load_config
from analysis.errors import CorpusError
from analysis.measures.topics import fit_topics, topic_dtm


@pytest.fixture(scope="module")
def dtm(seed_turns):
    return topic_dtm(seed_turns, load_config(config.SEED_CONFIG))


@pytest.mark.parametrize(("method", "k"), [("nmf", 8), ("lda", 4)])
def test_a_seeded_draw_is_reproducible_and_a_new_seed_draws_anew(dtm, method, k):
    model = fit_topics(dtm, k, method, 0)
    one, two, other = intrusion_tasks(model, dtm, 0), intrusion_tasks(model, dtm, 0), intrusion_tasks(model, dtm, 5)
    pd.testing.assert_frame_equal(one[0], two[0])
    pd.testing.assert_frame_equal(one[1], two[1])
    assert not one[0].equals(other[0])
    assert list(one[0].columns) == TASK_COLUMNS and list(one[1].columns) == KEY_COLUMNS
    assert one[0]["task_id"].is_unique and (one[0]["task_id"] == one[1]["task_id"]).all()


@pytest.mark.parametrize(("method", "k"), [("nmf", 8), ("lda", 4)])
def test_the_intruder_is_never_among_the_topics_own_top_words(dtm, method, k):
    model = fit_topics(dtm, k, method, 0)
    tasks, key = intrusion_tasks(model, dtm, 0)
    words = key["kind"] == "word"
    assert words.sum() == 5 * k
    for (_, task), (_, row) in zip(tasks[words].iterrows(), key[words].iterrows()):
        own = row["topic_words"].split(", ")
        options = [task[f"option_{i}"] for i in range(1, 7)]
        assert row["intruder"] not in own
        assert options[row["answer"] - 1] == row["intruder"]
        assert sorted(set(options) - {row["intruder"]}) == sorted(o for o in options if o in own)
        assert len(set(options)) == 6
        # no more weight in this topic than the topic's median word; among another topic's top words
        feature = list(dtm.features["label"]).index(row["intruder"])
        assert model.topic_words[row["topic"], feature] <= np.median(model.topic_words[row["topic"]])
        home = model.top_words[model.top_words["topic"] == row["intruder_topic"]]
        assert row["intruder"] in set(home["label"])


def test_topic_tasks_show_probable_topics_and_an_improbable_intruder(dtm):
    model = fit_topics(dtm, 8, "nmf", 0)
    _, key = intrusion_tasks(model, dtm, 0)
    topics = key[key["kind"] == "topic"]
    assert len(topics) == 30 and topics["unit_id"].is_unique
    for row in topics.itertuples():
        shares = [float(s) for s in row.option_shares.split(";")]
        intruder = shares[row.answer - 1]
        assert intruder < 0.5 / 8
        assert all(s >= 1 / 8 for i, s in enumerate(shares) if i != row.answer - 1)


def test_the_stored_seed_study_tasks_are_what_the_draw_gives(seed_turns, tmp_path):
    """The tasks the readers answered must stay the ones the code draws (k as 03 chose it)."""
    cfg = load_config(config.SEED_CONFIG)
    stored = config.INTRUSION
    for method, k in [("nmf", 8), ("lda", 4)]:
        draw_study_tasks(seed_turns, cfg, method, tmp_path, k=k)
        for name in (f"tasks_{method}.csv", f"key_{method}.csv"):
            assert (tmp_path / name).read_bytes() == (stored / name).read_bytes(), name


# --- scoring, on a key small enough to work by hand ----------------------------------------


def small_key() -> pd.DataFrame:
    """Two topics with two word tasks each, and two topic tasks."""
    rows = [
        ("w1", "word", 0, "", 2, ""),
        ("w2", "word", 0, "", 5, ""),
        ("w3", "word", 1, "", 1, ""),
        ("w4", "word", 1, "", 6, ""),
        ("t1", "topic", pd.NA, "u1", 3, "0.6;0.3;0.1"),
        ("t2", "topic", pd.NA, "u2", 1, "0;0.5;0.5"),
    ]
    key = pd.DataFrame(rows, columns=["task_id", "kind", "topic", "unit_id", "answer", "option_shares"])
    key["topic"] = key["topic"].astype("Int64")
    return key


def answers_of(**by_coder) -> pd.DataFrame:
    rows = [(coder, task, answer) for coder, answers in by_coder.items() for task, answer in answers.items()]
    return pd.DataFrame(rows, columns=["coder", "task_id", "answer"])


ANSWERS = answers_of(
    a={"w1": 2, "w2": 5, "w3": 1, "w4": 6, "t1": 3, "t2": 1},
    b={"w1": 2, "w2": 1, "w3": 3, "w4": 2, "t1": 2, "t2": 2},
)


def test_model_precision_by_hand():
    # topic 0: a finds both intruders, b one: 3 of 4 answers; topic 1: a both, b none: 2 of 4.
    table = model_precision(small_key(), ANSWERS, n_boot=200).set_index("topic")
    assert table.loc[0, "precision"] == pytest.approx(0.75)
    assert table.loc[1, "precision"] == pytest.approx(0.5)
    assert table.loc["all", "precision"] == pytest.approx(5 / 8)
    assert table.loc["all", ["n_tasks", "n_answers"]].tolist() == [4, 8]
    assert (table["low"] <= table["precision"]).all() and (table["precision"] <= table["high"]).all()


def test_topic_log_odds_by_hand():
    # t1: a finds the intruder (0); b takes the topic with 0.3: log 0.1 - log 0.3 = -log 3.
    # t2: the intruder's share 0 is floored at 1e-4; a finds it (0), b takes 0.5: log 1e-4 - log 0.5.
    passages, model = topic_log_odds(small_key(), ANSWERS, n_boot=200)
    tlo = passages.set_index("task_id")["log_odds"]
    assert tlo["t1"] == pytest.approx(-math.log(3) / 2)
    assert tlo["t2"] == pytest.approx((math.log(1e-4) - math.log(0.5)) / 2)
    assert model["mean"] == pytest.approx((tlo["t1"] + tlo["t2"]) / 2)
    assert model["share_correct"] == pytest.approx(0.5)
    assert (scored(small_key(), ANSWERS).query("coder == 'a'")["correct"]).all()


def test_a_topic_whose_intruder_is_missed_fails_and_leaves_the_tests():
    key = pd.DataFrame(
        [(f"w{i}", "word", i % 2, "", 1, "") for i in range(12)],
        columns=["task_id", "kind", "topic", "unit_id", "answer", "option_shares"],
    )
    # topic 0 (even tasks): every answer wrong; topic 1: every answer right
    answers = answers_of(**{c: {f"w{i}": 2 if i % 2 == 0 else 1 for i in range(12)} for c in "ab"})
    table = model_precision(key, answers, n_boot=200)
    assert table.set_index("topic").loc[0, "high"] < MIN_PRECISION
    assert failing_topics(table) == [0]
    assert topics_for_tests([0, 1, 2], table) == [1, 2]
    assert topics_for_tests([0, 1, 2], None) == [0, 1, 2]


def test_no_answers_leave_every_topic_not_coded_and_none_failing():
    table = model_precision(small_key(), ANSWERS.iloc[:0], n_boot=200)
    assert set(table["status"]) == {"not coded"} and failing_topics(table) == []


def test_precision_interval_covers_the_true_precision_in_simulation():
    """95% intervals over 40 tasks with two coders each, every answer right with probability 0.7:
    the percentile bootstrap over tasks should cover 0.7 in about 95 of 100 samples."""
    rng = np.random.default_rng(7)
    n_tasks, truth, runs = 40, 0.7, 200
    key = pd.DataFrame(
        [(f"w{i}", "word", 0, "", 1, "") for i in range(n_tasks)],
        columns=["task_id", "kind", "topic", "unit_id", "answer", "option_shares"],
    )
    covered = 0
    for run in range(runs):
        right = rng.random((2, n_tasks)) < truth
        answers = answers_of(
            **{c: {f"w{i}": 1 if right[j, i] else 2 for i in range(n_tasks)} for j, c in enumerate("ab")}
        )
        row = model_precision(key, answers, n_boot=400, seed=run).set_index("topic").loc["all"]
        covered += row["low"] <= truth <= row["high"]
    assert 0.89 <= covered / runs <= 0.99


def test_agreement_is_the_projects_nominal_alpha():
    # Four word tasks: the coders agree on three, (1, 1), (2, 2), (3, 3), and differ on (1, 2):
    # coincidences n_1 = 3, n_2 = 3, n_3 = 2, n = 8; D_o = 2, D_e = (64 - 22) / 7 = 6: alpha = 2/3.
    key = small_key()
    answers = answers_of(a={"w1": 1, "w2": 2, "w3": 3, "w4": 1}, b={"w1": 1, "w2": 2, "w3": 3, "w4": 2})
    table = intrusion_agreement(key, answers, n_boot=200).set_index("kind")
    assert table.loc["word", "alpha"] == pytest.approx(2 / 3)
    assert table.loc["word", "alpha"] == pytest.approx(krippendorff_alpha(np.array([[1, 2, 3, 1], [1, 2, 3, 2]])))
    assert table.loc["word", "agreement"] == pytest.approx(0.75)
    assert table.loc["topic", "n_tasks"] == 0


def tasks_table() -> pd.DataFrame:
    rows = [("w1", "word", "", "a", "b", "c", "d", "e", "f"), ("t1", "topic", "text", "x", "y", "z", "", "", "")]
    return pd.DataFrame(rows, columns=TASK_COLUMNS)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("task_id,answer\nw1,2\nw9,1\n", 3, "'w9' is not in the task file"),
        ("task_id,answer\nw1,2\nw1,3\n", 3, "answered twice"),
        ("task_id,answer\nw1,2\nt1,4\n", 3, "not an option number"),
        ("task_id,answer\nw1,x\n", 2, "not an option number"),
        ("task,answer\nw1,2\n", 1, "header"),
    ],
)
def test_a_bad_answer_file_is_refused_with_its_line(tmp_path, text, line, problem):
    path = tmp_path / "answers_nmf_a.csv"
    path.write_text(text)
    with pytest.raises(CorpusError, match=problem) as err:
        read_answers(path, tasks_table())
    assert f"{path}:{line}" in str(err.value)


def test_answer_files_are_found_by_model_and_coder(tmp_path):
    tasks_table().to_csv(tmp_path / "tasks_nmf.csv", index=False)
    (tmp_path / "answers_nmf_reader-1.csv").write_text("task_id,answer\nw1,2\nt1,3\n")
    (tmp_path / "answers_lda_reader-1.csv").write_text("task_id,answer\n")
    found = load_answers(tmp_path, "nmf")
    assert found.to_dict("list") == {"coder": ["reader-1"] * 2, "task_id": ["w1", "t1"], "answer": [2, 3]}


def test_a_topic_at_the_threshold_is_rarely_called_failing():
    """The rule's error at its edge, by simulation: a topic whose intruder is found with probability
    exactly 0.5, in 5 tasks answered by 2 readers (as in the seed study), is called failing in about
    3.5% of 200 samples (nominal 2.5%: the percentile interval over 5 tasks is a little narrow)."""
    rng = np.random.default_rng(3)
    key = pd.DataFrame(
        [(f"w{i}", "word", 0, "", 1, "") for i in range(5)],
        columns=["task_id", "kind", "topic", "unit_id", "answer", "option_shares"],
    )
    fails = 0
    for run in range(200):
        right = rng.random((2, 5)) < 0.5
        answers = answers_of(**{c: {f"w{i}": 1 if right[j, i] else 2 for i in range(5)} for j, c in enumerate("ab")})
        fails += model_precision(key, answers, n_boot=400, seed=run).loc[0, "status"] == "fails"
    assert fails / 200 <= 0.06
