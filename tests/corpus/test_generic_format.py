"""The bring-your-own format: SPEAKER NAME: text paragraphs, a metadata table and a YAML config."""

from __future__ import annotations

import pytest

from analysis.corpus import build_corpus
from analysis.corpus.normalise import count_words
from analysis.errors import CorpusError

TRANSCRIPT = """HOST: Welcome. What is your view?

JANE DOE: My view is simple.

HOST: And the second question?

JANE DOE: Two words.
"""


def test_a_small_corpus_in_the_generic_format(byo):
    cfg = byo(
        {"a.txt": TRANSCRIPT, "b.txt": "REPORTER: Hello?\n\nJane Doe: Hello to you.\n"},
        [
            {"doc_id": "a", "file": "a.txt", "outlet": "Daily", "audience": "home", "date": "2021-03-04"},
            {"doc_id": "b", "file": "b.txt", "outlet": "Abroad TV", "audience": "abroad"},
        ],
    )
    corpus = build_corpus(cfg)
    turns = corpus.turns
    assert turns["role"].tolist() == ["interviewer", "focal", "interviewer", "focal", "interviewer", "focal"]
    assert turns["speaker"].tolist() == ["HOST", "Jane Doe", "HOST", "Jane Doe", "REPORTER", "Jane Doe"]
    assert turns["text"].tolist()[:2] == ["Welcome. What is your view?", "My view is simple."]
    assert turns["line_start"].tolist() == [1, 3, 5, 7, 1, 3]
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc["a", "words_focal"] == 6 and docs.loc["a", "words_interviewer"] == 9
    assert docs.loc["b", "audience"] == "abroad"


def test_labels_declared_in_the_config_give_roles(byo):
    cfg = byo(
        {"a.txt": "ANCHOR: Question?\n\nJD: Answer.\n\nEXPERT: Comment.\n"},
        labels={"focal": ["JD"], "interviewer": ["ANCHOR"], "other": ["EXPERT"]},
        unknown_speakers="error",
    )
    assert build_corpus(cfg).turns["role"].tolist() == ["interviewer", "focal", "other"]


def test_undeclared_speakers_can_be_refused(byo):
    cfg = byo({"a.txt": "STRANGER: Who am I?\n\nJANE DOE: Nobody knows.\n"}, unknown_speakers="error")
    with pytest.raises(
        CorpusError, match=r"a\.txt:1: 1 speaker label not declared in the config: 'STRANGER' \(1 paragraph\)"
    ):
        build_corpus(cfg)


def test_undeclared_speakers_are_listed_together_with_their_counts_and_sentences_are_not(byo):
    text = (
        "MODERATOR: First question?\n\nJANE DOE: An answer.\n\nBut I will say this: it was hard.\n\n"
        "CALLER: A caller asks?\n\nJANE DOE: Yes.\n\nMODERATOR: Next?\n\nJANE DOE: No.\n"
    )
    cfg = byo(
        {"a.txt": text, "b.txt": "MODERATOR: Again?\n\nJANE DOE: Again.\n\nCALLER: Me again.\n"},
        unknown_speakers="error",
    )
    with pytest.raises(CorpusError) as refused:
        build_corpus(cfg)
    message = str(refused.value)
    assert message.startswith(
        "a.txt:1: 2 speaker labels not declared in the config: 'MODERATOR' (3 paragraphs), 'CALLER' (2 paragraphs)"
    )
    assert "labels: {interviewer: [MODERATOR, CALLER]}" in message and "But I will say this" not in message


def test_continuation_paragraphs_are_opt_in(byo):
    text = "HOST: Question?\n\nJANE DOE: First paragraph.\n\nSecond paragraph.\n"
    with pytest.raises(CorpusError, match=r"a\.txt:5: paragraph has no speaker label"):
        build_corpus(byo({"a.txt": text}))
    corpus = build_corpus(byo({"a.txt": text}, continuation=True))
    assert corpus.turns["text"].tolist() == ["Question?", "First paragraph.\n\nSecond paragraph."]
    assert corpus.turns["line_end"].tolist() == [1, 5]


def test_bom_and_windows_line_endings_simply_work(byo):
    body = "\ufeffHOST: Question?\r\n\r\nJANE DOE: Answer.\r\n".encode("utf-8")
    corpus = build_corpus(byo({"a.txt": body}))
    assert corpus.turns["text"].tolist() == ["Question?", "Answer."]
    assert corpus.turns["label"].tolist() == ["HOST", "JANE DOE"]


def test_a_sentence_before_a_colon_stays_with_the_current_speaker(byo):
    # "But I will say this:" is not a speaker: the paragraph continues Jane Doe's answer.
    text = (
        "HOST: Question?\n\nJANE DOE: First part.\n\nBut I will say this: it was hard.\n\n"
        "HOST: Next?\n\nJANE DOE: Yes.\n"
    )
    corpus = build_corpus(byo({"a.txt": text}, labels={"interviewer": ["HOST"]}))
    turns = corpus.turns
    assert turns["role"].tolist() == ["interviewer", "focal", "interviewer", "focal"]
    assert turns["text"][1] == "First part.\n\nBut I will say this: it was hard."
    rules = corpus.rules.set_index("rule")
    assert rules.loc["text before a colon, not a label", "n_paragraphs"] == 1
    assert rules.loc["text before a colon, not a label", "n_turns"] == 0
    assert rules["n_paragraphs"].sum() == 5


def test_an_undeclared_name_is_a_label_only_when_it_recurs_or_opens_the_document(byo):
    # MODERATOR opens two paragraphs: a speaker. "Senator Smith" opens one, mid-document: text
    # of the current speaker. STRANGER opens b.txt, where there is no current speaker.
    text = "MODERATOR: First?\n\nJANE DOE: One.\n\nSenator Smith: he said no.\n\nMODERATOR: Second?\n\nJANE DOE: Two.\n"
    corpus = build_corpus(byo({"a.txt": text, "b.txt": "STRANGER: Who?\n\nJANE DOE: Me.\n"}))
    turns = corpus.turns
    assert turns["label"].tolist() == ["MODERATOR", "JANE DOE", "MODERATOR", "JANE DOE", "STRANGER", "JANE DOE"]
    assert turns["rule"][0] == "undeclared speaker label" and turns["role"][0] == "interviewer"
    assert turns["text"][1] == "One.\n\nSenator Smith: he said no."


@pytest.mark.parametrize(
    "label, is_name",
    [
        ("JANE DOE", True),
        ("Dr. Smith", True),
        ("SPEAKER 2", True),
        ("Ursula von der Leyen", True),
        ("Anchor (CNN)", True),
        ("But I will say this", False),
        ("Yes, look", False),
        ("Why not?", False),
        ("Well. Then", False),
        ("one two three four five six seven eight nine", False),
    ],
)
def test_what_looks_like_a_name(label, is_name):
    from analysis.corpus.readers import looks_like_name

    assert looks_like_name(label) is is_name


def test_labels_pattern_overrides_what_an_undeclared_label_looks_like(byo):
    text = (
        "SPEAKER 1: Question?\n\nJANE DOE: Answer.\n\nNote: this is text.\n\nSPEAKER 2: Another?\n\n"
        "JANE DOE: Again.\n\nNote: still text.\n"
    )
    corpus = build_corpus(byo({"a.txt": text}, labels={"pattern": r"SPEAKER \d+"}))
    assert corpus.turns["label"].tolist() == ["SPEAKER 1", "JANE DOE", "SPEAKER 2", "JANE DOE"]
    assert corpus.turns["text"][3] == "Again.\n\nNote: still text."


def test_transcription_notes_are_kept_in_dropped_and_out_of_the_speakers_words(byo):
    text = (
        "HOST: Welcome. (APPLAUSE) What is your view?\n\n(CROSSTALK)\n\n"
        "JANE DOE: The Organization for Security and Cooperation in Europe (OSCE) agrees. [LAUGHTER]\n"
    )
    corpus = build_corpus(byo({"a.txt": text}))
    assert corpus.turns["text"].tolist() == [
        "Welcome. What is your view?",
        "The Organization for Security and Cooperation in Europe (OSCE) agrees.",
    ]
    notes = corpus.dropped[corpus.dropped["reason"] == "transcription note"]
    assert notes[["line_start", "text"]].values.tolist() == [[1, "(APPLAUSE)"], [3, "(CROSSTALK)"], [5, "[LAUGHTER]"]]
    assert corpus.documents["words_focal"][0] == 10


def test_transcription_notes_pattern_can_be_changed_or_turned_off(byo):
    text = "HOST: Hello? (laughs)\n\nJANE DOE: Hi. (APPLAUSE)\n"
    own = build_corpus(byo({"a.txt": text}, transcription_notes=r"\s*\(laughs\)"))
    assert own.turns["text"].tolist() == ["Hello?", "Hi. (APPLAUSE)"]
    off = build_corpus(byo({"a.txt": text}, transcription_notes=None))
    assert off.turns["text"].tolist() == ["Hello? (laughs)", "Hi. (APPLAUSE)"]
    assert (off.dropped["reason"] != "transcription note").all()


def test_the_seed_corpus_has_no_transcription_notes_in_its_turns(seed):
    # The default pattern finds only "[UPDATE]" in the seed, on title lines already dropped, and
    # leaves acronyms after their words ("Treaty Organization (CSTO)") in the text.
    assert (seed.dropped["reason"] != "transcription note").all()
    assert seed.turns["text"].str.contains(r"\(CSTO\)").any()


# Lines as the Trump Campaign Corpus writes them: a label followed only by a transcriber's note.
NOTED = """HOST: Welcome. What is your view?

AYATOLLAH KHAMENAI: (SPEAKING IN A FOREIGN LANGUAGE)

JANE DOE: My view is simple.

HOST: (CROSSTALK)

JANE DOE: (INAUDIBLE)

JEB BUSH: (BEGIN VIDEO CLIP)

JANE DOE: Two words.

HOST:
"""


def test_a_label_followed_only_by_a_note_is_a_turn_with_no_words(byo):
    with pytest.warns(UserWarning, match=r"a\.txt:15: speaker label 'HOST:' is followed by no text"):
        corpus = build_corpus(byo({"a.txt": NOTED}))
    turns = corpus.turns
    assert turns["speaker"].tolist() == ["HOST", "Jane Doe", "Jane Doe"]
    assert turns["text"].tolist() == ["Welcome. What is your view?", "My view is simple.", "Two words."]
    dropped = corpus.dropped
    notes = dropped[dropped["reason"] == "transcription note"]
    assert notes["text"].tolist() == [
        "(SPEAKING IN A FOREIGN LANGUAGE)",
        "(CROSSTALK)",
        "(INAUDIBLE)",
        "(BEGIN VIDEO CLIP)",
    ]
    labels = dropped[dropped["reason"] == "label followed only by a transcription note"]
    assert labels["text"].tolist() == ["AYATOLLAH KHAMENAI:", "HOST:", "JANE DOE:", "JEB BUSH:"]
    assert labels["line_start"].tolist() == [3, 7, 9, 11]
    rules = corpus.rules.set_index("rule")
    assert rules.loc["label followed only by a transcription note", "n_paragraphs"].sum() == 4
    assert rules.loc["label followed by no text", "n_paragraphs"] == 1
    assert corpus.documents.loc[0, "words_focal"] == 6


def test_a_label_before_another_label_is_warned_about_not_refused(byo):
    with pytest.warns(UserWarning, match=r"a\.txt:3: speaker label 'JANE DOE:' is followed by no text"):
        corpus = build_corpus(byo({"a.txt": "HOST: Question?\n\nJANE DOE:\n\nHOST: Again?\n\nJANE DOE: Yes.\n"}))
    assert corpus.turns["text"].tolist() == ["Question?", "Again?", "Yes."]


def test_full_width_colons_close_labels_as_colons_do(byo):
    text = (
        "HOST： What is your view?\n\nMaria Lopez： Mine is simple.\n\nHOST：(CROSSTALK)\n\nMaria Lopez： Two words.\n"
    )
    corpus = build_corpus(byo({"a.txt": text}, focal_speaker="Maria Lopez"))
    assert corpus.turns["speaker"].tolist() == ["HOST", "Maria Lopez", "Maria Lopez"]
    assert corpus.documents.loc[0, "words_focal"] == 5
    assert corpus.dropped["reason"].tolist() == ["label followed only by a transcription note", "transcription note"]


# Transcripts as transcription services export them (issue 26): every quirk in one corpus.
SERVICE = {
    # the time after the label, the text on the next line
    "rev.txt": "HOST (00:00:05):\nWelcome. What is your view?\n\nJane Doe (00:01:10):\nMy view is simple.\n\n"
    "DONALD TRUMP: (INAUDIBLE)\n\nHOST (00:02:00):\n(CROSSTALK)\nAnd then?\n\nJane Doe (00:02:30):\nThen we win.\n",
    # a time before the label
    "descript.txt": "[00:00:12] HOST: First question?\n\n[00:00:20] JANE DOE: First answer.\n\n"
    "[00:00:31] HOST: (CROSSTALK)\n\n[00:00:40] JANE DOE: Second answer. (APPLAUSE)\n",
    # a name and a time on a line, the text below it
    "otter.txt": "Speaker 1  0:03\nWhat now?\n\nJane Doe  0:09\nWe wait.\n\nSpeaker 1  1:15\nAnd later?\n\n"
    "Jane Doe  1:20\nWe see.\n",
    # WebVTT with voice tags
    "zoom.vtt": "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Host>Are you ready?</v>\n\n"
    "2\n00:00:05.000 --> 00:00:09.500\n<v Jane Doe>Ready and\nwilling.</v>\n\n"
    "NOTE the host speaks again\n\n3\n00:00:10.000 --> 00:00:12.000\n<v Host>Good.</v>\n",
}


def test_transcripts_from_transcription_services_build_with_times(byo):
    import warnings

    from analysis.corpus.sources import read_transcript

    rows = [{"doc_id": name.split(".")[0], "file": name, "outlet": "Web", "audience": "home"} for name in SERVICE]
    cfg = byo(SERVICE, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = build_corpus(cfg)
    turns = corpus.turns
    focal = turns[turns["role"] == "focal"].groupby("source_file")["text"].apply(list).to_dict()
    assert focal == {
        "descript.txt": ["First answer.", "Second answer."],
        "otter.txt": ["We wait.", "We see."],
        "rev.txt": ["My view is simple.", "Then we win."],
        "zoom.vtt": ["Ready and willing."],
    }
    assert set(turns.loc[turns["role"] != "focal", "speaker"]) == {"HOST", "Speaker 1", "Host"}
    by_file = turns.groupby("source_file")["time"].apply(list).to_dict()
    assert by_file["rev.txt"] == ["00:00:05", "00:01:10", "00:02:00", "00:02:30"]
    assert by_file["descript.txt"] == ["00:00:12", "00:00:20", "00:00:40"]
    assert by_file["otter.txt"] == ["0:03", "0:09", "1:15", "1:20"]
    assert by_file["zoom.vtt"] == ["00:00:01.000", "00:00:05.000", "00:00:10.000"]
    dropped = corpus.dropped
    assert sorted(dropped.loc[dropped["reason"] == "transcription note", "text"]) == [
        "(APPLAUSE)",
        "(CROSSTALK)",
        "(CROSSTALK)",
        "(INAUDIBLE)",
    ]
    # Every word is in a turn, a label or dropped.csv (the build checks it; here by hand for the two
    # files whose labels are lines of their own: the label line at each turn's first line).
    for file in ("rev.txt", "otter.txt"):
        lines = read_transcript(cfg.parent / file)
        mine = turns[turns["source_file"] == file]
        labels = sum(count_words(lines[n - 1]) for n in mine["line_start"])
        lost = dropped.loc[dropped["source_file"] == file, "n_words"].sum()
        assert count_words("\n".join(lines)) == mine["n_words"].sum() + labels + lost


def test_declared_labels_match_whatever_character_they_start_with(byo):
    text = "[HOST]: First question?\n\n1st speaker: An answer.\n\n[HOST]: And?\n\n1st speaker: Done.\n"
    cfg = byo({"a.txt": text}, labels={"focal": ["1st speaker"], "interviewer": ["[HOST]"]}, unknown_speakers="error")
    corpus = build_corpus(cfg)
    assert corpus.turns["role"].tolist() == ["interviewer", "focal", "interviewer", "focal"]
    assert corpus.turns["text"].tolist() == ["First question?", "An answer.", "And?", "Done."]
