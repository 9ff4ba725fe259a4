"""The seed corpus: documents, turns and speaker roles as verified by reading the transcripts."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis import config
from analysis.corpus.normalise import count_words
from analysis.corpus.sources import read_lines
from tests.conftest import COMPILATION

INTERVIEWS = [
    "rossiya1",
    "aljazeera",
    "alarabiya",
    "trt_haber",
    "perviy_kanal",
    "cnn_turk",
    "euronews",
    "cnn_international",
    "sky_news",
    "rbc",
    "haber_global",
    "haberturk",
    "france24",
    "ntv",
    "ria_novosti",
    "a_haber",
    "tass",
    "nikkei",
    "le_figaro",
    "fox_news",
    "rai1",
    "interfax",
    "ard",
    "la_repubblica",
    "efe",
    "bbc",
]


def test_the_compilation_splits_into_its_26_interviews_in_order(seed):
    docs = seed.documents
    from_compilation = docs[docs["source_file"] == COMPILATION].sort_values("line_start")
    assert from_compilation["doc_id"].tolist() == INTERVIEWS
    assert (from_compilation["kind"] == "interview").all()


def test_four_other_documents_two_reports_on_efe_one_on_al_jazeera_and_a_speech(seed):
    others = seed.documents[seed.documents["source_file"] != COMPILATION].set_index("doc_id")
    assert others["kind"].to_dict() == {
        "trend_efe": "news_report",
        "aljazeera_report": "news_report",
        "azernews_efe": "news_report",
        "cis_summit": "speech",
    }


def test_audience_groups_of_the_interviews(seed):
    interviews = seed.documents[seed.documents["kind"] == "interview"]
    assert interviews["audience"].value_counts().to_dict() == {"western": 11, "turkish": 6, "russian": 6, "other": 3}
    by_doc = interviews.set_index("doc_id")["audience"]
    assert {d for d in ("aljazeera", "alarabiya", "nikkei")} == set(by_doc[by_doc == "other"].index)


# Turn counts checked by reading each transcript (see data/raw/corrections.csv for the seven places where the
# reader needed help). Long back-and-forth interviews (BBC, ARD, Fox) have many short turns.
TURNS = {
    "rossiya1": 16,
    "aljazeera": 41,
    "alarabiya": 23,
    "trt_haber": 53,
    "perviy_kanal": 21,
    "cnn_turk": 3,
    "euronews": 15,
    "cnn_international": 52,
    "sky_news": 37,
    "rbc": 33,
    "haber_global": 20,
    "haberturk": 29,
    "france24": 22,
    "ntv": 39,
    "ria_novosti": 15,
    "a_haber": 84,
    "tass": 20,
    "nikkei": 54,
    "le_figaro": 35,
    "fox_news": 97,
    "rai1": 17,
    "interfax": 61,
    "ard": 110,
    "la_repubblica": 17,
    "efe": 31,
    "bbc": 188,
}


def test_turn_counts_per_interview(seed):
    counts = seed.turns.groupby("doc_id").size()
    assert counts[INTERVIEWS].to_dict() == TURNS


def test_every_interview_opens_with_narration_then_alternates_between_two_parties(seed):
    for doc_id, turns in seed.turns[seed.turns["doc_id"].isin(INTERVIEWS)].groupby("doc_id"):
        assert turns.iloc[0]["role"] == "narrator", doc_id
        spoken = turns[turns["role"].isin(["focal", "interviewer"])]
        assert spoken["role"].iloc[0] == "interviewer", doc_id
        # Aliyev speaks at least a third of the turns and most of the words in every interview.
        words = spoken.groupby("role")["n_words"].sum()
        assert words["focal"] > words["interviewer"], doc_id
        assert (spoken["role"] == "focal").mean() > 0.33, doc_id


# (line in the compilation, role) pairs verified by reading, including every kind of rule and every place where
# the transcript breaks its own conventions.
VERIFIED = [
    (11, "interviewer"),
    (13, "focal"),
    (15, "interviewer"),
    (43, "focal"),  # Rossiya-1, labels
    (45, "other"),  # Igor Korotchenko's commentary after the programme (label on its own line)
    (66, "interviewer"),  # label misspelt "Correpondent:"
    (76, "focal"),
    (78, "interviewer"),  # "We?" / "Yes."
    (159, "interviewer"),  # Al Arabiya host without label
    (181, "focal"),  # "President Ilham Aliyev Thank you." (no colon)
    (206, "focal"),  # TRT answer without dash
    (302, "interviewer"),
    (304, "focal"),
    (306, "interviewer"),
    (308, "focal"),
    (315, "interviewer"),
    (317, "focal"),
    (343, "interviewer"),  # Perviy Kanal
    (360, "interviewer"),
    (362, "focal"),  # CNN Türk
    (390, "focal"),
    (392, "interviewer"),  # Euronews
    (429, "interviewer"),
    (477, "interviewer"),
    (479, "focal"),
    (491, "focal"),  # CNN International
    (544, "interviewer"),
    (546, "focal"),
    (548, "interviewer"),  # Sky: "What he meant?"
    (613, "interviewer"),
    (615, "focal"),  # RBC answer without dash
    (1045, "interviewer"),
    (1047, "focal"),
    (1055, "interviewer"),
    (1057, "focal"),  # A Haber
    (1242, "interviewer"),
    (1244, "interviewer"),
    (1246, "focal"),
    (1250, "focal"),  # TASS greetings
    (1303, "interviewer"),
    (1306, "interviewer"),
    (1308, "focal"),  # Nikkei, unanswered question
    (1360, "focal"),
    (1368, "focal"),
    (1514, "focal"),
    (1517, "focal"),
    (1651, "interviewer"),
    (1654, "interviewer"),
    (1673, "interviewer"),
    (1688, "interviewer"),
    (1690, "focal"),  # Rai 1
    (1773, "focal"),
    (1775, "interviewer"),
    (1825, "focal"),  # Interfax
    (2002, "focal"),
    (2058, "focal"),
    (2086, "focal"),
    (2089, "focal"),
    (2091, "interviewer"),  # ARD
    (2413, "interviewer"),
    (2415, "focal"),
    (2418, "focal"),
    (2420, "interviewer"),  # BBC
    (2504, "interviewer"),
    (2506, "focal"),
    (2516, "interviewer"),
    (2546, "interviewer"),
    (2602, "focal"),
    (2604, "focal"),
    (2606, "interviewer"),
    (2608, "focal"),
    (2644, "focal"),
    (2650, "interviewer"),
]


@pytest.mark.parametrize("line,role", VERIFIED)
def test_speaker_roles_verified_by_reading(seed, line, role):
    turns = seed.turns[seed.turns["source_file"] == COMPILATION]
    hit = turns[(turns["line_start"] <= line) & (turns["line_end"] >= line)]
    assert hit["role"].tolist() == [role]


def test_news_reports_separate_narration_from_quoted_words(seed):
    azernews = seed.turns[seed.turns["doc_id"] == "azernews_efe"].set_index("line_start")
    assert azernews.loc[12, "role"] == "narrator"
    quote = azernews[azernews["role"] == "focal"].loc[18]
    assert quote["text"].startswith("He wants to win time") and quote["text"].endswith("That’s what he is after")
    # A line that mixes narration and a quotation gives one turn of each.
    line34 = seed.turns[(seed.turns["doc_id"] == "azernews_efe") & (seed.turns["line_start"] == 34)]
    assert line34["role"].tolist() == ["focal"]
    assert line34["text"].iloc[0].startswith("actually 4 of the 5 occupied districts")
    # Trend opens with Aliyev's words without quotation marks (a hand correction with a segment).
    trend = seed.turns[seed.turns["doc_id"] == "trend_efe"]
    assert trend["role"].tolist() == ["focal", "narrator", "focal", "narrator"]
    assert trend["text"].iloc[1].startswith("President of the Republic of Azerbaijan Ilham Aliyev said")


def test_boilerplate_is_dropped_with_its_reason(seed):
    dropped = seed.dropped
    reasons = dropped.groupby("reason").size()
    assert reasons["image caption"] == 7  # 3 slider images, 3 gallery images, 1 photo credit
    assert reasons["social-media footer"] == 1
    assert reasons["title (kept in documents.csv)"] == 26 + 3  # compilation titles; Azernews title twice; TASS
    assert not seed.turns["text"].str.contains("Follow us|Gallery Image|Slider Image").any()


def test_every_nonempty_line_is_in_exactly_one_turn_or_dropped(seed):
    spans = pd.concat(
        [
            seed.turns[["source_file", "line_start", "line_end"]].assign(kind="turn"),
            seed.dropped[["source_file", "line_start", "line_end"]].assign(kind="dropped"),
        ]
    )
    for path in sorted(config.DATA_RAW.glob("*.txt")):
        lines = read_lines(path)
        covered = {}
        for _, s in spans[spans["source_file"] == path.name].iterrows():
            for n in range(s.line_start, s.line_end + 1):
                covered.setdefault(n, set()).add(s.kind)
        for n, line in enumerate(lines, start=1):
            if line.strip():
                assert n in covered, f"{path.name}:{n} is in no turn and not dropped"


def test_words_of_turns_labels_and_dropped_text_add_up_to_the_raw_text(seed):
    labels = seed.turns["label"].map(count_words)
    for path in sorted(config.DATA_RAW.glob("*.txt")):
        raw = count_words("\n".join(read_lines(path)))
        mine = seed.turns["source_file"] == path.name
        kept = seed.turns.loc[mine, "n_words"].sum() + labels[mine].sum()
        lost = seed.dropped.loc[seed.dropped["source_file"] == path.name, "n_words"].sum()
        assert raw == kept + lost, path.name


def test_turn_ids_are_stable_and_unique(seed):
    turns = seed.turns
    assert turns["turn_id"].is_unique
    assert turns.loc[0, "turn_id"] == f"{turns.loc[0, 'doc_id']}-001"
    assert (turns["turn_id"] == turns["doc_id"] + "-" + turns["turn"].map("{:03d}".format)).all()


def test_rule_counts_cover_every_turn(seed):
    assert seed.rules["n_turns"].sum() == len(seed.turns)
    corrections = seed.rules.loc[seed.rules["rule"] == "correction", "n_turns"].sum()
    assert corrections == 9  # 7 whole paragraphs in the compilation + 2 segments in news reports


def test_document_word_counts_by_role(seed):
    docs = seed.documents.set_index("doc_id")
    sums = seed.turns.pivot_table(index="doc_id", columns="role", values="n_words", aggfunc="sum", fill_value=0)
    for role in ("focal", "interviewer", "narrator", "other"):
        assert (docs[f"words_{role}"] == sums[role].reindex(docs.index, fill_value=0)).all()
    assert docs.loc["rossiya1", "words_other"] == 163  # Korotchenko's commentary


def test_audience_summary_in_config_order(seed):
    from analysis.corpus import summarise_audiences

    table = summarise_audiences(seed.documents, groups=["turkish", "russian", "western", "other"])
    assert table["audience"].tolist() == ["turkish", "russian", "western", "other"]
    assert table["documents"].tolist() == [6, 6, 11, 3]
    interviews = seed.documents[seed.documents["kind"] == "interview"]
    assert table["words_focal"].sum() == interviews["words_focal"].sum()


def test_rewriting_unchanged_tables_leaves_their_files_alone(seed, tmp_path):
    # Make then sees the tables' times unchanged and reruns no notebook after such a build.
    from analysis.corpus import write_corpus

    paths = write_corpus(seed, tmp_path)
    for p in paths:
        os.utime(p, ns=(1, 1))
    write_corpus(seed, tmp_path)
    assert all(p.stat().st_mtime_ns == 1 for p in paths)
    (tmp_path / "turns.csv").write_text("changed", encoding="utf-8")
    write_corpus(seed, tmp_path)
    assert (tmp_path / "turns.csv").stat().st_mtime_ns != 1


def test_length_line_computes_the_range_instead_of_a_typed_ratio():
    from analysis.corpus import length_line

    documents = pd.DataFrame(
        {
            "kind": ["interview", "interview", "interview", "news_report"],
            "outlet": ["Short", "Mid", "Long", "Wire"],
            "words_focal": [95, 3000, 7883, 10],
        }
    )
    line = length_line(documents, "Aliyev")
    assert line == (
        "3 interviews run from 95 words of Aliyev (Short) to 7,883 (Long), median 3,000: "
        "the longest is 83 times the shortest."
    )
