"""Readers on tiny inline transcripts whose speakers can be checked by eye."""

from __future__ import annotations

from analysis.corpus.readers import (
    GENERIC_RULES,
    INTERVIEW_RULES,
    LABEL_LINE_MAX_WORDS,
    SHORT_QUESTION_WORDS,
    InterviewState,
    ReaderContext,
    Segment,
    _split_quotes,
    assemble_turns,
    decide_continuation,
    decide_dash,
    decide_label,
    read_generic,
    read_interview,
    read_news_report,
    reject_unlabelled,
)
from analysis.corpus.sources import split_paragraphs


def roles(text, **ctx):
    paragraphs = split_paragraphs(text.split("\n"), "t.txt")
    context = ReaderContext(focal_labels=["President Jane Doe"], interviewer_labels=["Host"], **ctx)
    segments = read_interview(paragraphs, context)
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
    segments = read_news_report(paragraphs, ReaderContext(focal_labels=["X"]))
    turns = assemble_turns(segments)
    assert [(t["role"], t["line_start"], t["text"]) for t in turns] == [
        ("narrator", 1, "Narration first."),
        ("focal", 3, "A quote"),
        ("narrator", 3, "he said. More narration."),
        ("focal", 5, "Second quote."),
    ]


def test_readers_return_a_list_of_segments():
    paragraphs = split_paragraphs(["Host: Why?", "", "President Jane Doe: Because."], "t.txt")
    context = ReaderContext(focal_labels=["President Jane Doe"], interviewer_labels=["Host"])
    for reader in (read_interview, read_generic, read_news_report):
        segments = reader(paragraphs, context)
        assert isinstance(segments, list) and all(isinstance(s, Segment) for s in segments)


def test_each_interview_rule_passes_on_a_paragraph_it_does_not_concern():
    context = ReaderContext(focal_labels=["President Jane Doe"], interviewer_labels=["Host"])
    state = InterviewState.start(context)
    (plain,) = split_paragraphs(["Just words."], "t.txt")
    assert decide_label(plain, state) is None and decide_dash(plain, state) is None
    (dashed,) = split_paragraphs(["- A question?"], "t.txt")
    assert decide_dash(dashed, state).text == "A question?"
    # The last rule always decides, so every paragraph gets a speaker.
    assert INTERVIEW_RULES[-1] is decide_continuation and GENERIC_RULES[-1] is reject_unlabelled


def test_a_label_line_has_at_most_label_line_max_words():
    def label(n_words):
        name = " ".join(["Word"] * (n_words - 1))
        return f"- Question?\n\n- Answer.\n\n{name} commentator:\n\n- I listened."

    assert roles(label(LABEL_LINE_MAX_WORDS))[-1] == ("other", "label on its own line")
    # One word more, and the line is a sentence of the answer, which the next dash follows.
    assert roles(label(LABEL_LINE_MAX_WORDS + 1))[-2:] == [
        ("focal", "dash alternation"),
        ("interviewer", "dash alternation"),
    ]


def test_a_short_question_has_at_most_short_question_words():
    def question(n_words):
        return "- Question?\n\n- Answer.\n\n" + " ".join(["word"] * (n_words - 1)) + " now?"

    assert roles(question(SHORT_QUESTION_WORDS))[-1] == ("interviewer", "unmarked short question after answer")
    assert roles(question(SHORT_QUESTION_WORDS + 1))[-1] == ("focal", "dash alternation")  # continues the answer


def test_an_address_inside_the_interviewers_turn_falls_through_to_later_rules():
    # After the interviewer's question, "Mr. President, ..." not ending with "?" is the answer.
    assert roles("Host: A question?\n\nMr. President, thank you.")[-1] == ("focal", "unmarked answer after question")


def test_an_interview_ending_on_a_label_line_gives_a_label_with_no_words():
    paragraphs = split_paragraphs("- Question?\n\nJohn Smith, a commentator:".split("\n"), "t.txt")
    segments = read_interview(paragraphs, ReaderContext(focal_labels=["President Jane Doe"]))
    assert [(s.role, s.rule, s.text) for s in segments][-1] == ("other", "label followed by no text", "")
    assert len(assemble_turns(segments)) == 1
