"""The explorer page's build (analysis/report/explorer.py, explorer_data.py): what it embeds, how it
escapes it, which colours it uses and when Make rebuilds it. The page in a browser:
tests/system/test_explorer_browser.py."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.coding.intrusion import intrusion_agreement, model_precision
from analysis.errors import CorpusError
from analysis.figures.style import _SPARE, AUDIENCE_COLORS
from analysis.io import write_csv
from analysis.measures.keyness import VERDICTS
from analysis.measures.topics import numbered
from analysis.report.explorer import FETCHERS, bokeh_offline, json_for_script
from analysis.report.explorer_data import VERDICT_COLORS, Caps, chosen_terms, comparison_payload, comparisons
from analysis.report.explorer_topics import OWN_READERS, SEED_READERS, intrusion_payload, ranked_words, relevance
from analysis.report.html import remote_references
from analysis.report.rules import EXPLORE_CAPS, Run, explore_caps, write_make_rules

HOSTILE = (
    '</script><script>alert(1)</script><!-- <img src=x onerror="alert(2)"> & \u2028 =HYPERLINK("http://x.invalid/")'
)


def test_embedded_json_cannot_end_its_script_and_reads_back_the_same():
    payload = {"outlet": HOSTILE, "lines": [[0, 3, HOSTILE, "word", HOSTILE]]}
    text = json_for_script(payload)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == payload
    assert remote_references(f'<script type="application/json">{text}</script>') == []  # an address quoted, not fetched


def test_verdict_colours_are_one_per_verdict_and_never_an_audience_colour():
    assert len(VERDICT_COLORS) == len(VERDICTS) == len(set(VERDICT_COLORS))
    audience = {c.lower() for c in [*AUDIENCE_COLORS.values(), *_SPARE]}
    assert not audience & {c.lower() for c in VERDICT_COLORS}


def test_the_chooser_offers_every_pair_and_each_group_against_the_rest():
    assert comparisons(["a", "b", "c"]) == [("a", "b"), ("a", "c"), ("b", "c"), ("a", None), ("b", None), ("c", None)]
    assert comparisons(["home", "abroad"]) == [("home", "abroad")]  # against the rest is the pair itself


def _table(rows):
    columns = ["label", "per_10k_target", "per_10k_reference", "verdict", "docs_target", "docs_reference", "z"]
    table = pd.DataFrame(rows, columns=columns)
    return table.assign(n_docs_target=4, n_docs_reference=5)


def test_a_comparison_carries_keynesss_own_rates_verdicts_and_interviews():
    table = _table(
        [
            ["war", 12.5, 3.25, "holds across interviews", 4, 2, 3.1],
            ["peace", 1.0, 9.0, "rests on one interview", 1, 3, -2.2],
            ["land", 2.0, 2.0, "not key", 2, 2, 0.0],
        ]
    )
    payload = comparison_payload("a", None, table, ["peace", "war"])  # "land" is not among the shown words
    assert payload["id"] == "a|" and (payload["n_a"], payload["n_b"], payload["tested"]) == (4, 5, 3)
    assert payload["rows"] == [
        [1, 12.5, 3.25, VERDICTS.index("holds across interviews"), 6, 3.1],
        [0, 1.0, 9.0, VERDICTS.index("rests on one interview"), 4, -2.2],
    ]


def test_the_words_shown_are_the_strongest_in_any_comparison_up_to_the_cap():
    one = _table([["war", 1, 1, "not key", 1, 1, 5.0], ["land", 1, 1, "not key", 1, 1, 0.5]])
    two = _table([["peace", 1, 1, "not key", 1, 1, -4.0], ["land", 1, 1, "not key", 1, 1, 1.0]])
    assert chosen_terms({("a", "b"): one, ("a", None): two}, 2) == (["war", "peace"], 3)


def test_bokehjs_is_inline_with_its_cdn_loaders_removed():
    bundle = bokeh_offline()
    assert len(bundle) > 500_000 and "<script src" not in bundle  # the library itself, not a link to it
    assert not any(url in bundle for url in FETCHERS)
    assert remote_references(f"<html><head>{bundle}</head></html>") == []


def test_make_rebuilds_the_page_after_keywords_topics_or_frames_and_not_after_the_other_runs(tmp_path):
    notebooks = {n: tmp_path / f"{n}.ipynb" for n in ("01_corpus", "02_keyness", "03_topics", "05_explore")}
    from analysis import config

    runs = [Run(name, config.NOTEBOOKS / f"{name}.ipynb", {}) for name in notebooks]
    text = write_make_rules(runs, tmp_path).read_text(encoding="utf-8")
    rule = next(line for line in text.splitlines() if line.startswith("reports/ran/explore:"))
    assert "reports/ran/02_keyness.ipynb" in rule and "reports/ran/03_topics.ipynb" in rule
    assert "01_corpus" not in rule and "05_explore" not in rule
    assert "analysis/report/templates/explore.js" in rule and "analysis/measures/keyness.py" in rule
    assert "analysis/figures/plots.py" not in rule  # the page draws with Bokeh, not with the report's figures
    assert "reports/ran/explore" in next(line for line in text.splitlines() if line.startswith("report-locked:"))


def test_relevance_by_hand_at_both_ends_and_between():
    # two topics over three words; p(w) = (0.5, 0.3, 0.2)
    topic_words = np.array([[0.6, 0.3, 0.1], [0.2, 0.0, 0.8]])
    share = np.array([0.5, 0.3, 0.2])
    assert np.allclose(relevance(topic_words, share, 1.0)[0], np.log([0.6, 0.3, 0.1]))
    assert np.allclose(relevance(topic_words, share, 0.0)[0], np.log([1.2, 1.0, 0.5]))
    middle = relevance(topic_words, share, 0.6)[1]
    assert np.isclose(middle[2], 0.6 * math.log(0.8) + 0.4 * math.log(4.0)) and middle[1] == -np.inf
    ranked = ranked_words(topic_words, share, np.array(["a", "b", "c"]), n=2)
    assert ranked[0][10] == ["a", "b"] and ranked[0][0] == ["a", "b"] and ranked[1][0] == ["c", "a"]
    with pytest.raises(ValueError, match="lambda"):
        relevance(topic_words, share, 1.5)


def test_a_report_definition_sets_the_pages_caps_and_a_bad_one_is_refused_with_its_line(tmp_path):
    definition = tmp_path / "report.yml"
    definition.write_text("explore: {max_terms: 40, lines_per_term: 3}\nruns: [{notebook: 01_corpus}]\n")
    assert explore_caps(definition) == {**EXPLORE_CAPS, "max_terms": 40, "lines_per_term": 3}
    assert Caps(**explore_caps(None)) == Caps()  # the defaults are the page's
    definition.write_text("explore:\n  max_terms: 0\nruns: [{notebook: 01_corpus}]\n")
    with pytest.raises(CorpusError, match=r"report\.yml:2") as refused:
        explore_caps(definition)
    assert "Fix:" in str(refused.value)
    definition.write_text("explore: {max_words: 10}\nruns: [{notebook: 01_corpus}]\n")
    with pytest.raises(CorpusError, match="max_words"):
        explore_caps(definition)


def _write_intrusion(figures, name: str, answers: dict) -> None:
    """03's intrusion tables, as 03 writes them (numbered from 1), for made-up answers to a key of
    three topics with five word tasks each (the intruder is always option 1) and no topic task."""
    key = pd.DataFrame(
        [(f"w{t}{i}", "word", t, "", 1, "") for t in range(3) for i in range(5)],
        columns=["task_id", "kind", "topic", "unit_id", "answer", "option_shares"],
    )
    rows = [(c, task, a(task)) for c, a in answers.items() for task in key["task_id"]]
    frame = pd.DataFrame(rows, columns=["coder", "task_id", "answer"])
    write_csv(numbered(model_precision(key, frame, n_boot=200)), figures / f"{name}_intrusion.csv")
    write_csv(intrusion_agreement(key, frame, n_boot=200), figures / f"{name}_intrusion_agreement.csv")


def test_the_topics_tab_shows_each_topics_precision_flags_a_failing_one_and_the_readers_alpha(tmp_path):
    """Made-up answers (in tmp only): both readers miss every intruder of the first topic and find
    every other; one reader misses the second topic's last intruder. The first topic (number 1, as
    03 numbers it) fails word intrusion, the others pass; alpha is the readers' on word tasks; the
    readers are named as separate sessions of a language model."""

    def reader(misses: set):
        return lambda task: 2 if task.startswith("w0") or task in misses else 1

    _write_intrusion(tmp_path, "topics_nmf", {"a": reader(set()), "b": reader({"w14"})})
    shown = intrusion_payload(tmp_path, "topics_nmf")
    assert sorted(shown["topics"]) == [1, 2, 3]
    assert shown["topics"][1]["precision"] == 0 and shown["topics"][1]["fails"]
    assert shown["topics"][1]["text"] == "0% [0%, 0%]"
    assert shown["topics"][2]["precision"] == pytest.approx(0.9) and not shown["topics"][2]["fails"]
    assert shown["topics"][3]["precision"] == 1 and not shown["topics"][3]["fails"]
    assert shown["model"]["precision"] == round(19 / 30, 3) and shown["model"]["n_tasks"] == 15
    word = shown["alpha"]["word"]
    assert word["n_coders"] == 2 and word["n_tasks"] == 15 and word["low"] <= word["alpha"] <= word["high"]
    assert word["text"] == f"{word['alpha']:.2f} [{word['low']:.2f}, {word['high']:.2f}]"
    assert shown["alpha"]["topic"] is None  # no topic task was answered by two readers
    assert shown["readers"] == SEED_READERS and "separate sessions of a language model" in SEED_READERS
    assert "human" not in json.dumps(shown).lower()


def test_without_intrusion_answers_the_topics_tab_says_no_coding_was_done(tmp_path):
    """03 writes no intrusion table when nobody answered: the payload is None and the page's script
    says that no intrusion coding was done; a corpus of one's own does not get the seed's readers."""
    assert intrusion_payload(tmp_path, "topics_nmf") is None
    from importlib.resources import files

    glue = files("analysis.report").joinpath("templates", "explore.js").read_text(encoding="utf-8")
    assert "No intrusion coding was done" in glue and "fails word intrusion" in glue
    _write_intrusion(tmp_path, "topics_lda", {"a": lambda task: 1})
    own = intrusion_payload(tmp_path, "topics_lda", OWN_READERS)
    assert own["readers"] == OWN_READERS and "language model" not in OWN_READERS
    assert own["alpha"]["word"] is None  # one reader: no agreement to report
