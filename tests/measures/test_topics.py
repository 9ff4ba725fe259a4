"""Topic models: reproducible fits, coherence by hand, stability, shares with intervals."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.measures.topics import (
    TopicModel,
    audience_shares,
    choose_k,
    choose_topics,
    describe_topics,
    exclusivity,
    fit_across_seeds,
    fit_topics,
    grid_plan,
    interview_shares,
    match_topics,
    npmi_coherence,
    numbered,
    representative_units,
    topic_stability,
    topics_name,
)
from analysis.text.dtm import build_dtm
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns


def model_with_top_words(dtm, *topics):
    """A TopicModel whose topics put their weight on the given labels, in order."""
    labels = list(dtm.features["label"])
    weights = np.zeros((len(topics), len(labels)))
    for t, words in enumerate(topics):
        for rank, word in enumerate(words):
            weights[t, labels.index(word)] = len(words) - rank
    weights /= weights.sum(axis=1, keepdims=True)
    return TopicModel(
        "nmf", len(topics), 0, np.zeros((dtm.counts.shape[0], len(topics))), weights, pd.DataFrame(), [""] * len(topics)
    )


def test_npmi_coherence_by_hand():
    # Four units: "alpha beta", "alpha beta", "alpha gamma", "gamma".
    # p(alpha) = 3/4, p(beta) = 2/4, p(alpha, beta) = 2/4:
    # npmi = ln((1/2) / (3/4 * 1/2)) / -ln(1/2) = ln(4/3) / ln 2. Beta and gamma never meet: -1.
    turns = make_turns({"d": ("home", ["alpha beta", "alpha beta", "alpha gamma", "gamma"])})
    dtm = build_dtm(turns, unit="turn", processor=TextProcessor(stem=False))
    model = model_with_top_words(dtm, ["alpha", "beta"], ["beta", "gamma"])
    assert npmi_coherence(model, dtm, n_top=2) == pytest.approx([math.log(4 / 3) / math.log(2), -1.0])


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_fixed_seed_gives_the_same_topics(chunks, method):
    one, two = fit_topics(chunks, 6, method, seed=3), fit_topics(chunks, 6, method, seed=3)
    assert np.array_equal(one.doc_topics, two.doc_topics)
    assert np.array_equal(one.topic_words, two.topic_words)
    assert one.labels == two.labels
    assert np.allclose(one.topic_words.sum(axis=1), 1)
    assert np.allclose(one.doc_topics.sum(axis=1)[chunks.units["n_tokens"].to_numpy() > 0], 1)


def test_topic_labels_are_words_of_the_text_not_stems(chunks, seed):
    model = fit_topics(chunks, 8, "nmf")
    text = " ".join(seed.turns["text"]).lower().replace("\u2019", "'")
    for label in model.top_words["label"]:
        assert label in text, label


def test_a_run_matches_itself_and_a_reordered_copy(chunks):
    model = fit_topics(chunks, 5, "nmf")
    order = [3, 0, 4, 1, 2]
    shuffled = model._replace(topic_words=model.topic_words[order])
    pairs, similarity = match_topics(model, shuffled)
    assert [order[p] for p in pairs] == [0, 1, 2, 3, 4]
    assert similarity == pytest.approx(np.ones(5))
    assert topic_stability([model, shuffled]) == pytest.approx(np.ones(5))


def test_choose_k_without_heldout_prefers_coherent_among_stable():
    grid = pd.DataFrame({"k": [4, 6, 8], "coherence": [0.1, 0.3, 0.2], "stability": [0.9, 0.7, 0.85]})
    assert choose_k(grid) == 8
    assert choose_k(grid, min_stability=0.6) == 6
    assert choose_k(grid, min_stability=0.95) == 4


def test_choose_k_takes_the_smallest_stable_k_within_one_standard_error_of_the_best_heldout():
    grid = pd.DataFrame(
        {
            "k": [4, 6, 8, 10, 12],
            "coherence": [0.1, 0.2, 0.3, 0.4, 0.5],  # rises with k: must not decide
            "exclusivity": [0.90, 0.92, 0.94, 0.95, 0.96],
            "heldout": [-6.50, -6.42, -6.38, -6.35, -6.34],
            "heldout_se": [0.03, 0.03, 0.03, 0.03, 0.03],
            "stability": [0.9, 0.9, 0.9, 0.9, 0.7],
        }
    )
    # k = 12 is unstable; the best stable held-out is k = 10 (-6.35); within 0.03: k = 8 (-6.38), not 6.
    assert choose_k(grid) == 8
    # a k whose exclusivity falls below the next smaller stable k's splits topics: left out
    assert choose_k(grid.assign(exclusivity=[0.90, 0.92, 0.91, 0.95, 0.96])) == 10
    # nothing stable: the most stable k
    assert choose_k(grid.assign(stability=[0.5, 0.6, 0.55, 0.5, 0.5])) == 6


def test_exclusivity_is_frex_worked_by_hand(chunks):
    # two topics over four words; FREX with weight 0.7 over the top two words of each topic
    beta = np.array([[0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.4, 0.4]])
    model = TopicModel("nmf", 2, 0, np.zeros((1, 2)), beta, pd.DataFrame(), ["", ""])
    share = beta / beta.sum(axis=0)
    # topic 0: word 0 has frequency rank 4/4 and exclusivity rank 4/4 (5/6 is its largest);
    # word 1: frequency 3/4, exclusivity 3/4 (share 0.75)
    frex = lambda e, f: 1 / (0.7 / e + 0.3 / f)  # noqa: E731
    assert share[0, 0] == pytest.approx(5 / 6)
    assert exclusivity(model, n_top=2)[0] == pytest.approx((frex(1.0, 1.0) + frex(0.75, 0.75)) / 2)
    # topic 1: words 2 and 3 tie at the top (ECDF 4/4 both) and hold 0.8 of their weight (ECDF 4/4)
    assert exclusivity(model, n_top=2)[1] == pytest.approx(1.0)


def test_the_grid_plan_runs_as_asked_on_the_seed_corpus_and_scales_down_beyond(chunks):
    plan = grid_plan(chunks, range(5), passes=10, n_folds=3)
    assert (plan.passes, plan.seeds, plan.n_folds, plan.note) == (10, [0, 1, 2, 3, 4], 3, "")
    big = chunks._replace(counts=chunks.counts * 60)  # about 1.7 M tokens
    plan = grid_plan(big, range(5), passes=10, n_folds=3)
    assert plan.passes == 2 and plan.seeds == [0, 1, 2] and plan.n_folds == 2
    assert "2 LDA passes instead of 10" in plan.note


def test_audience_shares_have_intervals_over_interviews(chunks):
    model = fit_topics(chunks, 6, "nmf")
    per_interview = interview_shares(model, chunks)
    assert len(per_interview) == 26
    assert np.allclose(per_interview[list(range(6))].sum(axis=1), 1)
    shares = audience_shares(model, chunks)
    assert set(shares["group"]) == {"turkish", "russian", "western", "other"}
    assert shares.groupby("group")["share"].sum().to_numpy() == pytest.approx(np.ones(4))
    assert dict(shares.drop_duplicates("group")[["group", "n_interviews"]].values) == {
        "other": 3,
        "russian": 6,
        "turkish": 6,
        "western": 11,
    }
    assert ((shares["low"] <= shares["share"] + 1e-12) & (shares["share"] <= shares["high"] + 1e-12)).all()
    turkish = per_interview[per_interview["audience"] == "turkish"][list(range(6))].mean()
    assert shares[shares["group"] == "turkish"]["share"].to_numpy() == pytest.approx(turkish.to_numpy())
    assert shares.equals(audience_shares(model, chunks))
    # Korn and Graubard's interval for a share over the interviews, within [0, 1]
    from analysis.stats.intervals import share_interval

    values = per_interview[per_interview["audience"] == "turkish"][0]
    first = shares[(shares["group"] == "turkish") & (shares["topic"] == 0)].iloc[0]
    assert (first["low"], first["high"]) == pytest.approx(share_interval(values)[1:])
    assert ((shares["low"] >= 0) & (shares["high"] <= 1)).all()


def test_representative_units_are_the_highest_shares(chunks):
    model = fit_topics(chunks, 6, "nmf")
    best = representative_units(model, chunks, topic=2, n=3)
    assert list(best["share"]) == sorted(model.doc_topics[:, 2], reverse=True)[:3]
    assert best["text"].str.len().gt(0).all()


@pytest.mark.parametrize(
    "k, method, message", [(1, "nmf", "k must be between 2"), (6, "plsa", "method must be one of")]
)
def test_bad_choices_get_clear_errors(chunks, k, method, message):
    with pytest.raises(ValueError, match=message):
        fit_topics(chunks, k, method)


#: The tables 03_topics writes for a run ``<name>`` (``<name>_<suffix>.csv``).
WRITTEN_BY_03 = ("top_words", "intrusion", "by_audience", "differences", "models", "checks_topics", "checks",
                 "summary")  # fmt: skip
#: Its figures whose labels name topics ("3: pipeline, energy, oil"), read from their alt text
#: (``<name>_<suffix>.json``, analysis.figures.plots.save_figure).
FIGURES_OF_03 = ("by_audience", "interviews", "differences")


def numbering_disagreements(figures: Path, name: str) -> list[str]:
    """Where 03's tables of run ``name`` in ``figures`` number topics otherwise than its top-words
    table: a ``topic`` or ``other_topic`` that is not one of its numbers, a ``label`` under a
    number whose top words start otherwise, a summary sentence's "topic N (label)" (not "LDA topic
    N", the other model's) or a figure's label "N: label" likewise."""
    from analysis.io import read_csv

    top = read_csv(figures / f"{name}_top_words.csv")
    labels = {t: ", ".join(words.split(", ")[:3]) for t, words in zip(top["topic"], top["top_words"])}
    found = []
    for suffix in WRITTEN_BY_03[1:]:
        path = figures / f"{name}_{suffix}.csv"
        table = read_csv(path) if path.is_file() else pd.DataFrame()
        for column in [c for c in ("topic", "other_topic") if c in table]:
            found += [f"{path.name}: {column} {t}" for t in set(table[column]) - set(labels) - {"all"}]
        if {"topic", "label"} <= set(table.columns):
            found += [f"{path.name}: topic {t} labelled {lab!r}, not {labels.get(t)!r}"
                      for t, lab in set(zip(table["topic"], table["label"])) if labels.get(t) != lab]  # fmt: skip
        for text in table["text"] if "text" in table else []:
            named = re.findall(r"(?<![A-Z]{3} )\b[Tt]opic (\d+) \(([^)]+)\)", text)
            found += [f"{path.name}: topic {t} ({lab})" for t, lab in named if labels.get(t) != lab]
    for suffix in FIGURES_OF_03:
        path = figures / f"{name}_{suffix}.json"
        alt = json.loads(path.read_text(encoding="utf-8"))["alt"] if path.is_file() else ""
        found += [f"{path.name}: {t}: {word}" for t, word in re.findall(r"(?:^|[ ,;|(])(\d+): ([^,;|…]+)", alt)
                  if labels.get(t, "").split(", ")[0] != word]  # fmt: skip
    return found


def _tables_of_03(folder: Path, first: int) -> None:
    """A run's tables with topics numbered from ``first`` (1 as 03 writes them; 0 as it once did)."""
    top = pd.DataFrame({"topic": [1, 2], "top_words": ["war, peace, talks, grain", "grain, ships, ports, sea"]})
    top.to_csv(folder / "t_top_words.csv", index=False)
    shares = pd.DataFrame({"topic": [0, 1], "label": ["war, peace, talks", "grain, ships, ports"], "group": "a"})
    (numbered(shares) if first == 1 else shares).to_csv(folder / "t_by_audience.csv", index=False)
    summary = f"The largest difference: topic {first} (war, peace, talks), a vs b."
    pd.DataFrame({"order": [0], "text": [summary]}).to_csv(folder / "t_summary.csv", index=False)
    alt = f"Heat map: across, a (n=3); down, {first}: war, peace, talks, {first + 1}: grain, ships, ports"
    (folder / "t_by_audience.json").write_text(json.dumps({"alt": alt}), encoding="utf-8")


def test_numbered_turns_the_models_index_into_the_readers_number_and_leaves_its_input_alone():
    table = pd.DataFrame({"topic": [0, 3, "all"], "other_topic": [2, 0, None], "label": ["a", "b", "c"]})
    shown = numbered(table)
    assert shown["topic"].tolist() == [1, 4, "all"] and shown["other_topic"].tolist()[:2] == [3, 1]
    assert table["topic"].tolist() == [0, 3, "all"]
    assert numbered(pd.DataFrame({"topic": np.arange(3)}))["topic"].dtype.kind == "i"


def test_the_check_finds_tables_of_03_that_number_topics_otherwise(tmp_path):
    """The check the report's tables pass (tests/project/test_notebooks.py): tables numbered from 1 agree;
    a table and a sentence numbered from 0 beside a top-words table numbered from 1 do not."""
    _tables_of_03(tmp_path, first=1)
    assert numbering_disagreements(tmp_path, "t") == []
    _tables_of_03(tmp_path, first=0)
    found = numbering_disagreements(tmp_path, "t")
    assert "t_by_audience.csv: topic 0" in found and "t_summary.csv: topic 0 (war, peace, talks)" in found
    assert "t_by_audience.csv: topic 1 labelled 'grain, ships, ports', not 'war, peace, talks'" in found
    assert "t_by_audience.json: 0: war" in found and "t_by_audience.json: 1: grain" in found


def test_topics_name_marks_only_what_differs_from_the_defaults():
    assert topics_name("nmf", "auto", 8) == "topics_nmf"
    assert topics_name("lda", 6, 6, "interviewer", "turn") == "topics_lda_k6_interviewer_turn"


def test_describe_topics_numbers_from_one_and_reads_the_intrusion_verdicts():
    model = TopicModel(
        "nmf", 2, 0, np.array([[0.75, 0.25], [0.25, 0.75], [0.5, 0.5]]), np.array([[0.7, 0.3, 0.0], [0.0, 0.3, 0.7]]),
        pd.DataFrame({"topic": [0, 0, 1, 1], "label": ["war", "peace", "oil", "gas"]}), ["war", "oil"],
    )  # fmt: skip
    table = describe_topics(model, [0.9, 0.5], stable=[0])
    assert list(table["topic"]) == [1, 2] and list(table["top_words"]) == ["war, peace", "oil, gas"]
    assert list(table["status"]) == ["stable", "unstable"] and list(table["share"]) == [0.5, 0.5]
    assert list(table["intrusion"]) == ["not coded"] * 2 and table["intrusion_precision"].isna().all()
    assert table["exclusivity"].tolist() == pytest.approx(exclusivity(model).tolist())
    read = pd.DataFrame({"status": ["passes", "fails"], "precision": [0.8, 0.2], "low": [0.6, 0.0], "high": [1.0, 0.4]})
    table = describe_topics(model, [0.9, 0.5], [0], read)
    assert list(table["intrusion"]) == ["passes", "fails"] and list(table["intrusion_precision_high"]) == [1.0, 0.4]


def test_fit_across_seeds_shows_the_seeds_model_and_its_stability_against_the_others(chunks):
    seeded = fit_across_seeds(chunks, 4, "nmf", 1, [0, 1, 2], min_stability=0.8)
    own, others = fit_topics(chunks, 4, "nmf", 1), [fit_topics(chunks, 4, "nmf", s) for s in (0, 2)]
    assert np.array_equal(seeded.model.topic_words, own.topic_words)
    assert seeded.stability == pytest.approx(topic_stability([own, *others]))
    assert seeded.stable == [t for t in range(4) if seeded.stability[t] >= 0.8]


def test_choose_topics_keeps_the_k_the_matrix_allows_and_takes_a_set_k():
    turns = make_turns({"a": ("home", ["alpha beta gamma", "beta gamma delta"]), "b": ("away", ["gamma delta alpha"])})
    dtm = build_dtm(turns, unit="turn", processor=TextProcessor(stem=False))  # 3 units x 4 words
    choice = choose_topics(dtm, "nmf", [2, 3, 5], n_topics=2, seeds=[0, 1])
    assert (choice.k, choice.largest, choice.asked, choice.kept) == (2, 3, [2, 3, 5], [2, 3])
    assert list(choice.grid["k"]) == [2, 3] and choice.plan.seeds == [0, 1]
