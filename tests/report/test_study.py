"""The study page (reports/index.html): its sentences from tables, worked by hand, and the built
page's promise that every number in its prose is one a run wrote."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.corpus import corpus_table
from analysis.notebook.prose import numbers_in, sentence_table, write_sentences
from analysis.report.study import (
    cite_as,
    corpus_sentences,
    finding_line,
    first_sentence,
    hypotheses_sentences,
    inline,
    notable_frames,
    paragraph_in_context,
    place_figures,
    reliability_sentence,
    seen_sentence,
)


def documents() -> pd.DataFrame:
    """Five interviews and a speech: home 2 (one translated), abroad 3 (one of unknown status)."""
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e", "s"],
            "audience": ["home", "home", "abroad", "abroad", "abroad", "home"],
            "kind": ["interview"] * 5 + ["speech"],
            "date": ["2021-03-02", "2021-03-09", "2021-02-27", "", "2021-04-01", "2021-01-01"],
            "translated": ["true", "false", "false", "false", None, "true"],
            "words_focal": [100, 250, 40, 60, 1000, 9999],
        }
    )


def test_corpus_table_counts_interviews_words_dates_and_translation_by_hand():
    table = corpus_table(documents(), ["home", "abroad"])
    assert table["audience"].tolist() == ["home", "abroad", "all"]
    assert table["interviews"].tolist() == [2, 3, 5]
    assert table["words_focal"].tolist() == [350, 1100, 1450]
    assert table["first_date"].tolist() == ["2021-03-02", "2021-02-27", "2021-02-27"]
    assert table["last_date"].tolist() == ["2021-03-09", "2021-04-01", "2021-04-01"]
    assert table["translated"].tolist() == [1, 0, 1]
    assert table["english"].tolist() == [1, 2, 3]
    assert table["translation_unknown"].tolist() == [0, 1, 1]


def test_corpus_sentences_state_the_tables_numbers():
    sentences = corpus_sentences(corpus_table(documents(), ["home", "abroad"]), "Jane Doe", str)
    assert sentences[0] == (
        "The corpus holds 5 interviews of Jane Doe (2 for home audiences and 3 for abroad audiences), "
        "with 1,450 words of Jane Doe's answers, given between 27 February 2021 and 1 April 2021."
    )
    assert sentences[1].startswith("The transcripts of 1 of 2 home interviews are translations")
    assert sentences[1].endswith("except 1 whose translation status is unknown.")


def test_numbers_in_reads_prose_numbers_and_not_digits_inside_words():
    assert numbers_in("26 interviews, 1,512 words, alpha 0.92 [0.88, 0.95]; p1 03_topics 16.0 %") == [
        "26", "1512", "0.92", "0.88", "0.95", "16.0"
    ]  # fmt: skip
    table = sentence_table(["* **A.** 3 of 39", "none"])
    assert table.to_dict("list") == {"order": [0, 1], "text": ["* **A.** 3 of 39", "none"], "numbers": ["3 39", ""]}


def test_write_sentences_round_trips(tmp_path):
    path = write_sentences(["* **Measurement.** 334 paragraphs", "=1+1 is not a formula"], tmp_path / "s.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["text"].iloc[0] == "* **Measurement.** 334 paragraphs" and back["numbers"].iloc[0] == "334"


def test_reliability_sentence_names_the_language_model_and_the_interval():
    alpha = pd.DataFrame(
        {"frame": ["legal", "victims", "all frames"], "alpha": [0.97, 0.61, 0.921], "ci_low": [0.93, 0.4, 0.9],
         "ci_high": [1.0, 0.8, 0.94]}
    )  # fmt: skip
    text = reliability_sentence(alpha)
    assert "separate session of a language model" in text
    assert "alpha 0.92 [0.90, 0.94]" in text and "lowest frame is at 0.61 [0.40, 0.80]" in text
    assert "human" not in text


def test_hypotheses_are_listed_and_counted():
    table = pd.DataFrame(
        {"frame": ["legal", "victims"], "higher": ["b", "b"], "lower": ["a", "a"], "supported": [False, True]}
    )
    first, second = hypotheses_sentences(table, {"legal": "Law", "victims": "Victims"}, str)
    assert first == (
        "The report definition states 2 directional hypotheses: Law more often for b than for a audiences and "
        "Victims more often for b than for a audiences."
    )
    assert second == "1 of the 2 pre-specified hypotheses is supported after Holm's correction."


def test_what_had_been_seen_comes_from_the_runs_parameter_or_is_said_unrecorded():
    assert seen_sentence("written on 1 May,\n after the shares had been seen.") == (
        "When they were written: written on 1 May, after the shares had been seen."
    )
    assert "does not record when" in seen_sentence(None) and "hypotheses_seen" in seen_sentence("  ")


def test_notable_frames_are_those_below_005_smallest_p_first():
    pairwise = pd.DataFrame({"frame": ["x", "y", "z", "y", "w"], "p": [0.04, 0.01, 0.2, 0.03, 0.049]})
    assert notable_frames(pairwise) == ["y", "x", "w"]
    assert notable_frames(pairwise, limit=1) == ["y"]
    assert notable_frames(pairwise[pairwise.p > 0.1]) == []


def test_a_corpus_of_ones_own_is_cited_as_its_own_study_built_with_the_software():
    citation = {"title": "interview-discourse: how X framed Y", "version": "0.1.0"}
    assert cite_as(citation, None, dt.date(2026, 1, 2), "Harbour City interviews") == (
        "Harbour City interviews (2026), report built with interview-discourse version 0.1.0."
    )


def test_a_quoted_paragraph_is_found_with_the_question_before_it_and_its_whole_answer():
    turns = pd.DataFrame(
        {"turn_id": ["d-001", "d-002", "d-003", "e-001"], "doc_id": ["d", "d", "d", "e"],
         "role": ["interviewer", "focal", "focal", "focal"],
         "text": ["Will you  stop?", "First line.\n\nSecond line.\nThird.", "More.", "Other."]}
    )  # fmt: skip
    context = paragraph_in_context(turns, "d-002-p2")
    assert context == {
        "doc_id": "d",
        "question": "Will you stop?",
        "paragraphs": [
            ("d-002-p1", "First line.", False),
            ("d-002-p2", "Second line.", True),
            ("d-002-p3", "Third.", False),
        ],
    }
    assert paragraph_in_context(turns, "e-001-p1")["question"] == ""  # no question before it in its document
    assert paragraph_in_context(turns, "x-001-p1") is None


def test_the_abstract_takes_the_first_sentence_of_a_summary_bullet_with_its_brackets_whole():
    bullet = (
        "* **Differences in the answers.** 1 of 39 survive Holm's correction: Law (A 7% vs B 22%, Welch 95% "
        "interval [-21, -9], p < 0.001. Holm 0.008). 4 more have p below 0.05."
    )
    assert first_sentence(bullet) == (
        "1 of 39 survive Holm's correction: Law (A 7% vs B 22%, Welch 95% interval [-21, -9], p < 0.001. Holm 0.008)."
    )
    assert first_sentence("No lead. Two.") == "No lead."


def test_the_claims_robustness_table_is_shown_without_its_id_columns(tmp_path):
    from analysis.io import write_csv
    from analysis.report.pages import RunPage
    from analysis.report.study import Study, results

    claims = pd.DataFrame(
        {"frame": ["victims"], "higher": ["b"], "lower": ["a"], "claim": ["Victims higher for b than a"],
         "translation": ["translated against English"], "interview means": ["holds: +5.0 [+1.0, +9.0]"],
         "holds_in": [1], "estimated_in": [1]}
    )  # fmt: skip
    write_csv(claims, tmp_path / "framing_robustness_claims.csv")
    write_csv(sentence_table(["* **A.** one", "* **B.** two"]), tmp_path / "framing_summary.csv")
    page = RunPage(
        "04_framing_2_audiences",
        Path("04_framing_2_audiences.ipynb"),
        "t",
        {},
        {},
        [],
        [],
        ["framing_robustness_claims.csv"],
        None,
    )
    study = Study("T", "N", "S", [page], tmp_path, tmp_path, tmp_path, [], "", True, {}, {})
    table = [b for b in results(study).blocks if b.kind == "table"]
    assert len(table) == 1 and table[0].columns == [
        "claim", "translation", "interview means", "holds in", "estimated in"
    ]  # fmt: skip
    assert table[0].rows == [
        ["Victims higher for b than a", "translated against English", "holds: +5.0 [+1.0, +9.0]", 1, 1]
    ]


def test_figures_follow_the_bullets_they_show_and_the_abstract_states_the_total_difference():
    texts = ["* **Measurement.** m", "* **Profiles.** p", "* **The total difference (primary).** t. More.",
             "* **Differences in A's answers.** d", "* **Differences in the journalists' questions.** q"]  # fmt: skip
    assert place_figures(texts) == {
        1: ["framing_by_audience"], 2: ["framing_interviews"], 4: ["framing_questions_by_audience"]
    }  # fmt: skip
    assert finding_line(texts) == texts[2] and first_sentence(texts[2]) == "t."
    assert finding_line(texts[3:]) == texts[3] and finding_line(texts[:2]) is None
    assert place_figures(texts[:1]) == {
        0: ["framing_by_audience", "framing_interviews", "framing_questions_by_audience"]
    }


def test_cite_as_comes_from_citation_cff():
    citation = {
        "title": "T",
        "version": "0.1.0",
        "authors": [{"given-names": "Ann", "family-names": "Lee"}, {"name": "B"}],
    }
    assert (
        cite_as(citation, "a" * 40, dt.date(2026, 12, 6))
        == "Ann Lee and B (2026). T, version 0.1.0, commit aaaaaaaaaaaa."
    )


def test_summary_markdown_is_escaped_and_only_bold_becomes_markup():
    assert str(inline("* **Result.** <b>x</b> & y")) == "<strong>Result.</strong> &lt;b&gt;x&lt;/b&gt; &amp; y"


# --------------------------------------------------------------------------------------------
# The built page


def unmatched_numbers(paragraphs: list[str], values: set[float]) -> list[str]:
    """The numbers of ``paragraphs`` that no value of ``values`` gives at the precision written
    (as itself or as a percentage)."""
    missing = []
    for text in paragraphs:
        for token in numbers_in(text):
            places = len(token.split(".")[1]) if "." in token else 0
            x = float(token)
            if not any(abs(round(v, places) - x) < 1e-9 or abs(round(100 * v, places) - x) < 1e-9 for v in values):
                missing.append(f"{token} in: {text[:120]}")
    return missing


def test_unmatched_numbers_finds_a_number_no_table_holds():
    values = {0.9234, 26.0, 0.16}
    assert unmatched_numbers(["alpha 0.92 over 26 interviews, 16.0 % of paragraphs"], values) == []
    assert unmatched_numbers(["alpha 0.93"], values) == ["0.93 in: alpha 0.93"]


def _luminance(hex_colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.1, 1.4.3)."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_worked_by_hand():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0 and contrast("#777777", "#777777") == 1.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes AA on white


def test_every_text_colour_of_the_study_pages_passes_wcag_aa_on_every_background():
    templates = config.PACKAGE / "report" / "templates"
    for name in ("study.html.j2", "quotes.html.j2"):
        css = (templates / name).read_text(encoding="utf-8")
        texts = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", css))
        backgrounds = set(re.findall(r"background:\s*(#[0-9a-f]{6})", css)) | {"#ffffff"}
        assert texts and len(backgrounds) > 1
        failing = [(t, b, round(contrast(t, b), 2)) for t in texts for b in backgrounds if contrast(t, b) < 4.5]
        assert failing == [], name
