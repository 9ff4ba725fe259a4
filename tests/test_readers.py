"""Readers on tiny inline transcripts whose speakers can be checked by eye."""

from __future__ import annotations

from analysis.corpus.readers import ReaderContext, _split_quotes, assemble_turns, read_interview, read_news_report
from analysis.corpus.sources import split_paragraphs


def roles(text, **ctx):
    paragraphs = split_paragraphs(text.split("\n"), "t.txt")
    context = ReaderContext(focal_labels=["President Jane Doe"], interviewer_labels=["Host"], **ctx)
    segments, _ = read_interview(paragraphs, context)
    return [(t["role"], t["rule"]) for t in assemble_turns(segments)]


def test_labels_decide_and_unmarked_paragraphs_continue():
    text = (
        "Intro by the editor.\n\nHost: First question?\n\nPresident Jane Doe: An answer.\n\nMore of it.\n\nHost: Next?"
    )
    assert roles(text) == [
        ("narrator", "intro narration"),
        ("interviewer", "label"),
        ("focal", "label"),
        ("interviewer", "label"),
    ]


def test_dashes_alternate_starting_with_the_interviewer():
    text = "- Question one?\n\n- Answer one.\n\n- Question two?\n\n- Answer two."
    assert [r for r, _ in roles(text)] == ["interviewer", "focal", "interviewer", "focal"]


def test_two_blank_lines_mark_an_omitted_turn():
    # The answer to the first question is missing: the next dash is the interviewer again.
    text = "- Are you invited?\n\n\n- If invited, will you go?\n\n- Yes."
    assert roles(text) == [
        ("interviewer", "dash alternation"),
        ("interviewer", "dash after omitted turn"),
        ("focal", "dash alternation"),
    ]


def test_unmarked_paragraphs_between_dashes():
    text = (
        "- Question?\n\nAn answer whose dash is missing.\n\n- Next question?\n\n- Long answer.\n\n"
        "It goes on.\n\nMr. President, one more question?\n\n- Reply.\n\n- Short one.\n\n- Yes.\n\n"
        "And what next?"
    )
    assert roles(text) == [
        ("interviewer", "dash alternation"),
        ("focal", "unmarked answer after question"),
        ("interviewer", "dash alternation"),
        ("focal", "dash alternation"),  # "It goes on." continues it
        ("interviewer", "unmarked address to the interviewee"),
        ("focal", "dash alternation"),
        ("interviewer", "dash alternation"),
        ("focal", "dash alternation"),
        ("interviewer", "unmarked short question after answer"),
    ]


def test_a_label_on_its_own_line_introduces_the_next_paragraph():
    text = "- Question?\n\n- Answer.\n\nJohn Smith, a commentator:\n\n- I listened carefully."
    turns = roles(text)
    assert turns[-1] == ("other", "label on its own line")


def test_quotation_marks_split_narration_from_quotes():
    text = 'He said: “We are ready,” the president said, "and we will win."'
    pieces = [(q, text[s:e]) for q, s, e in _split_quotes(text)]
    assert pieces == [
        (False, "He said: "),
        (True, "We are ready,"),
        (False, " the president said, "),
        (True, "and we will win."),
    ]
    # A quotation left open runs to the end of the paragraph; mixed curly and straight marks are fine.
    assert [q for q, _, _ in _split_quotes("“Open quote, no close")] == [True]
    mixed = '“Mixed marks," he said.'
    assert [mixed[s:e] for q, s, e in _split_quotes(mixed)] == ["Mixed marks,", " he said."]


def test_news_report_turns_keep_their_line_numbers():
    lines = ["Narration first.", "", "“A quote,” he said. More narration.", "", '"Second quote."']
    paragraphs = split_paragraphs(lines, "n.txt")
    segments, _ = read_news_report(paragraphs, ReaderContext(focal_labels=["X"]))
    turns = assemble_turns(segments)
    assert [(t["role"], t["line_start"], t["text"]) for t in turns] == [
        ("narrator", 1, "Narration first."),
        ("focal", 3, "A quote"),
        ("narrator", 3, "he said. More narration."),
        ("focal", 5, "Second quote."),
    ]
