"""The bring-your-own format: SPEAKER NAME: text paragraphs, a metadata table and a YAML config."""

from __future__ import annotations

import pytest

from analysis.corpus import build_corpus
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
    with pytest.raises(CorpusError, match=r"a\.txt:1: speaker 'STRANGER' is not declared"):
        build_corpus(cfg)


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
