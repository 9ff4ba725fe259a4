"""Readers: from the paragraphs of a document to speaker segments.

Each transcript style has a reader: a function of the paragraphs of one document and a
:class:`ReaderContext` that returns a list of :class:`Segment` objects (a piece of text with its
speaker role, the line span it came from and the name of the rule that decided the role). Text
that is in no turn (boilerplate, titles, date markers) is dropped before the readers, by the
builder. :func:`assemble_turns` then joins consecutive segments of the same speaker into turns.

The interview and generic readers are ordered lists of small rules (:data:`INTERVIEW_RULES`,
:data:`GENERIC_RULES`): each looks at a paragraph and the reader's state and either decides the
paragraph's segment or passes to the next.

Roles are ``focal`` (the person studied), ``interviewer``, ``narrator`` (a news writer or the
editor of a compilation) and ``other`` (anyone else, e.g. a studio commentator).

Readers
-------
``interview``
    Transcripts in the styles of the seed compilation: ``Host:`` / ``Correspondent:`` /
    ``President Ilham Aliyev:`` labels, or paragraphs opening with ``-`` or ``–`` that alternate
    between journalist and interviewee, with unmarked paragraphs continuing the previous speaker.
``news_report``
    News articles quoting the focal speaker: quoted words are ``focal``, the rest ``narrator``.
``generic``
    The bring-your-own format: every paragraph starts with ``SPEAKER NAME:``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..errors import CorpusError
from .normalise import count_words
from .sources import Paragraph

ROLES = ("focal", "interviewer", "narrator", "other")
#: What closes a speaker label: a colon, or the full-width colon of CJK text and of some
#: transcription services' exports ("Maria Lopez："), read the same.
COLONS = ":\uff1a"

# Rule names, reported per turn in the `rule` column of turns.csv and counted by the build.
RULE_LABEL = "label"
RULE_LABEL_NO_COLON = "label without colon"
RULE_LABEL_LINE = "label on its own line"
RULE_DASH = "dash alternation"
RULE_DASH_GAP = "dash after omitted turn"
RULE_CONTINUATION = "continuation"
RULE_VOCATIVE = "unmarked address to the interviewee"
RULE_SHORT_QUESTION = "unmarked short question after answer"
RULE_ANSWER = "unmarked answer after question"
RULE_INTRO = "intro narration"
RULE_QUOTE = "quotation marks"
RULE_NARRATION = "outside quotation marks"
RULE_CORRECTION = "correction"
RULE_GENERIC_LABEL = "speaker label"
RULE_GENERIC_UNKNOWN = "undeclared speaker label"
RULE_NOT_A_LABEL = "text before a colon, not a label"
RULE_LABEL_NOTE = "label followed only by a transcription note"
RULE_LABEL_NO_TEXT = "label followed by no text"
#: Rules that decide a label with no words after it: the builder keeps the label in dropped.csv
#: (with the rule as its reason) and counts the paragraph in rules.csv, but makes no turn of it.
WORDLESS_RULES = (RULE_LABEL_NOTE, RULE_LABEL_NO_TEXT)


@dataclass(frozen=True)
class Segment:
    """A piece of one paragraph (or a whole paragraph) attributed to one speaker.

    ``label`` is the speaker label as written ("Host", "President Ilham Aliyev", "-" for a dash,
    "" for none); ``speaker`` is a name when the text gives one, else "" (the corpus builder fills
    in a default from the role). ``new_turn`` is True when the text marks the start of a turn (a
    label or a dash), so that two marked turns of the same speaker stay apart. ``time`` is the
    time a transcription service wrote beside the label (``00:01:10``), as written, or "".
    """

    role: str
    label: str
    speaker: str
    text: str
    line_start: int
    line_end: int
    rule: str
    new_turn: bool = True
    label_words: int = 0
    time: str = ""


@dataclass(frozen=True)
class Correction:
    """A hand correction of a reader's decision, from the corrections table.

    ``segment`` is empty to correct a whole paragraph, or a verbatim piece of the paragraph that
    becomes a segment of its own with the given role.
    """

    source_file: str
    line: int
    role: str
    speaker: str
    segment: str
    reason: str
    row: int  # line of the corrections file, for messages


@dataclass
class ReaderContext:
    """What a reader needs to know besides the paragraphs.

    ``focal_labels`` and ``interviewer_labels`` are the labels (as written; compared after
    :func:`normalise_label`) that mark each role; ``corrections`` maps a paragraph's first line
    to its corrections; ``used`` collects the corrections applied so that unused (stale) ones can
    be reported. For the generic reader, ``label_counts`` holds how many paragraphs of the
    corpus open with each ``Name:`` (by normalised label) and ``label_pattern`` (config
    ``labels.pattern``) replaces the default test of what an undeclared label looks like
    (:meth:`is_label`). ``noted_lines`` are the lines of the file that were a label followed
    only by transcription notes (``DONALD TRUMP: (INAUDIBLE)``, the notes cut by the builder).
    ``problems`` collects what a reader refuses, paragraph by paragraph, so that one run lists
    every problem of a file.
    """

    focal_labels: list[str]
    interviewer_labels: list[str] = field(default_factory=list)
    other_labels: dict[str, str] = field(default_factory=dict)
    corrections: dict[int, list[Correction]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    unknown_speakers: str = "interviewer"
    continuation: bool = False
    label_counts: Counter = field(default_factory=Counter)
    label_pattern: re.Pattern | None = None
    noted_lines: frozenset[int] = frozenset()
    problems: list[CorpusError] = field(default_factory=list)

    def role_of_label(self, label: str) -> str | None:
        key = normalise_label(label)
        if key in {normalise_label(x) for x in self.focal_labels}:
            return "focal"
        if key in {normalise_label(x) for x in self.interviewer_labels}:
            return "interviewer"
        for name, role in self.other_labels.items():
            if normalise_label(name) == key:
                return role
        return None

    def is_label(self, label: str, first: bool = False) -> bool:
        """Is ``label`` (the text before a paragraph's first colon) a speaker label?

        A declared label always is. Otherwise, with ``labels.pattern`` set, a label is what the
        pattern matches in full; without it, a label must look like a name
        (:func:`looks_like_name`) and open at least two paragraphs of the corpus, or open the
        document's first paragraph (``first``: there is no current speaker to continue)."""
        if self.role_of_label(label) is not None:
            return True
        if self.label_pattern is not None:
            return self.label_pattern.fullmatch(label) is not None
        return looks_like_name(label) and (first or self.label_counts[normalise_label(label)] >= 2)

    def only_noted(self, paragraph: Paragraph) -> bool:
        """Is ``paragraph`` one line that held a label followed only by transcription notes?"""
        return paragraph.line_start == paragraph.line_end and paragraph.line_start in self.noted_lines

    def corrections_at(self, paragraph: Paragraph) -> list[Correction]:
        found = self.corrections.get(paragraph.line_start, [])
        self.used.update(id(c) for c in found)
        return found


@lru_cache(maxsize=1 << 14)
def normalise_label(label: str) -> str:
    """``label`` as it is compared: Unicode NFC after case folding (so that a label exported in
    NFD, as macOS does, or in another case is the same label), invisible characters removed
    (zero-width spaces and joiners, byte-order marks, soft hyphens: Unicode category Cf), and
    every run of whitespace (a no-break space too) one space."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFD", label).casefold())
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())


#: Lower-case words a name may hold between capitalised ones ("Ursula von der Leyen").
NAME_PARTICLES = frozenset("al bin ibn da de del della der di du el la le van von y".split())
_NAME_WORD_RE = re.compile(r"^(?:[^\W\d_][\w'’.-]*|\d+|\([^()]*\))$")


def looks_like_name(label: str) -> bool:
    """Does ``label`` look like a speaker's name or role ("JANE DOE", "Dr. Smith", "SPEAKER 2",
    "Ursula von der Leyen", "Anchor (CNN)")? At most :data:`MAX_LABEL_WORDS` words, the first
    capitalised, every other capitalised, a number, in parentheses or one of
    :data:`NAME_PARTICLES`; no sentence punctuation (? ! ; , quotation marks), and a full stop
    only closing an abbreviation of at most three letters ("Mr.", "J."). "But I will say this"
    is not a name."""
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or any(ch in label for ch in '?!;,"“”…'):
        return False
    for n, word in enumerate(words):
        if not _NAME_WORD_RE.match(word) or ("." in word and (not word.endswith(".") or len(word) > 4)):
            return False
        if word[0].isalpha() and not word[0].isupper() and (n == 0 or word not in NAME_PARTICLES):
            return False
    return True


def _lines_of(paragraph: Paragraph, start: int, end: int) -> tuple[int, int]:
    """Line span of the characters ``start:end`` of ``paragraph.text``."""
    first = paragraph.line_start + paragraph.text.count("\n", 0, start)
    last = paragraph.line_start + paragraph.text.count("\n", 0, max(start, end - 1))
    return first, last


# --------------------------------------------------------------------------------------------
# Interview transcripts (labels, dashes, continuation)

_DASH_RE = re.compile(r"^[-\u2010\u2011\u2012\u2013\u2014]\s*")
_VOCATIVE_RE = re.compile(
    r"^(?:(?:Dear\s+)?Mr\.?\s+President\b|President(?:\s+Ilham)?\s+Aliyev\s*,|Ilham\s+Heydar(?:ovich|\s+oglu)\s*,"
    r"|Your\s+(?:Excellency|Highness)\b|Sir\s*,)"
)
_LABEL_LINE_RE = re.compile(rf"^(?P<label>[^\n{COLONS}]{{2,150}})[{COLONS}]$")
#: An unmarked paragraph after the interviewee's answer, ending with "?" and of at most this many
#: words, is taken for the interviewer's next question; a longer one continues the answer (a
#: rhetorical question inside it).
SHORT_QUESTION_WORDS = 25
#: A one-line paragraph ending with a colon introduces the next paragraph's speaker only when it
#: has at most this many words: room for a name and a description (the longest such label in the
#: seed corpus, "Igor Korotchenko, Editor-in-Chief of the “Natsionalnaya oborona” magazine:", has
#: 8), while a longer line ending with a colon is a sentence leading into what follows, kept as text.
LABEL_LINE_MAX_WORDS = 15


def _other_role(role: str | None) -> str:
    return "focal" if role == "interviewer" else "interviewer"


def _label_pattern(labels: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(?P<label>{alternatives})\s*[{COLONS}]\s*", re.IGNORECASE)


def _label_without_colon(labels: list[str]) -> re.Pattern:
    # Only multi-word labels, and only before a capital letter ("President Ilham Aliyev Thank you."),
    # so that narration such as "President Ilham Aliyev gave an interview" is not taken for a label.
    multi = [x for x in labels if len(x.split()) >= 2]
    if not multi:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(x) for x in sorted(multi, key=len, reverse=True))
    return re.compile(rf"^(?P<label>{alternatives})\s+(?=[A-Z])")


@dataclass(frozen=True)
class HeldLabel:
    """A speaker label on a line of its own, waiting for the paragraph it introduces.

    ``segment`` is the turn the label opens (role, label, speaker, label words, first line; its
    text still empty); ``paragraph`` is the label's own paragraph, for the error when no text
    follows.
    """

    segment: Segment
    paragraph: Paragraph


@dataclass
class InterviewState:
    """What the interview rules know besides the paragraph at hand.

    ``label_re`` and ``label_no_colon_re`` match the context's labels with and without a colon;
    ``prev_role`` and ``prev_text`` are the role and text (labels and dashes removed, not
    stripped) of the previous segment, ``None`` and "" before the first; ``held`` is a label
    waiting for its paragraph.
    """

    ctx: ReaderContext
    label_re: re.Pattern
    label_no_colon_re: re.Pattern
    prev_role: str | None = None
    prev_text: str = ""
    held: HeldLabel | None = None

    @classmethod
    def start(cls, ctx: ReaderContext) -> InterviewState:
        """The state before a document's first paragraph, with the label patterns of ``ctx``."""
        all_labels = ctx.focal_labels + ctx.interviewer_labels + list(ctx.other_labels)
        return cls(
            ctx,
            _label_pattern(all_labels),
            _label_without_colon(ctx.focal_labels + ctx.interviewer_labels),
        )


def _unmarked(p: Paragraph, role: str | None, rule: str, new_turn: bool = True) -> Segment:
    """A segment of the whole of ``p`` (no label), with its unstripped text."""
    return Segment(role, "", "", p.text, p.line_start, p.line_end, rule, new_turn)


# The rules below each look at a paragraph and the state, and either decide its segment (or hold
# a label for the next paragraph) or pass with None. :data:`INTERVIEW_RULES` lists them in order of
# precedence; the first that decides wins.


def decide_held_label(p: Paragraph, state: InterviewState) -> Segment | None:
    """After a label on its own line, the paragraph is that label's speaker's (a dash dropped)."""
    if state.held is None:
        return None
    text = _DASH_RE.sub("", p.text, count=1)
    return replace(state.held.segment, text=text, line_end=p.line_end)


def decide_label(p: Paragraph, state: InterviewState) -> Segment | None:
    """``Label: text`` with a known label, or a multi-word label without its colon before a capital."""
    match = state.label_re.match(p.text)
    rule = RULE_LABEL
    if not match:
        match, rule = state.label_no_colon_re.match(p.text), RULE_LABEL_NO_COLON
    if not match:
        return None
    label = match.group("label")
    # A label matches only the context's labels, so role_of_label finds it; "other" is a safeguard.
    role = state.ctx.role_of_label(label) or "other"
    text = p.text[match.end() :]
    if not text.strip() and state.ctx.only_noted(p):
        rule = RULE_LABEL_NOTE
    return Segment(role, label, "", text, p.line_start, p.line_end, rule, True, count_words(label))


def hold_label_line(p: Paragraph, state: InterviewState) -> HeldLabel | None:
    """A short one-line ``Name, description:`` introduces the next paragraph's speaker.

    A label not in the context is an ``other`` speaker named by what precedes its first comma.
    At most :data:`LABEL_LINE_MAX_WORDS` words.
    """
    match = _LABEL_LINE_RE.match(p.text)
    if not match or count_words(p.text) > LABEL_LINE_MAX_WORDS or "\n" in p.text:
        return None
    label = match.group("label").strip()
    role = state.ctx.role_of_label(label) or "other"
    speaker = label.split(",")[0].strip() if role == "other" else ""
    rule = RULE_LABEL_NOTE if state.ctx.only_noted(p) else RULE_LABEL_LINE
    segment = Segment(role, label, speaker, "", p.line_start, p.line_end, rule, True, count_words(p.text))
    return segment if rule == RULE_LABEL_NOTE else HeldLabel(segment, p)


def _dashed(p: Paragraph, role: str | None, rule: str) -> Segment:
    """A segment of ``p`` without its opening dash, the dash kept as its label."""
    text = _DASH_RE.sub("", p.text, count=1)
    return Segment(role, p.text[0], "", text, p.line_start, p.line_end, rule)


def decide_dash_after_gap(p: Paragraph, state: InterviewState) -> Segment | None:
    """A dash after two or more blank lines (an omitted turn) is the same party as before."""
    if _DASH_RE.match(p.text) and p.blank_before >= 2 and state.prev_role in ("focal", "interviewer"):
        return _dashed(p, state.prev_role, RULE_DASH_GAP)
    return None


def decide_dash(p: Paragraph, state: InterviewState) -> Segment | None:
    """A dash opens the other party's turn: the interviewer's after the interviewee and vice versa."""
    if _DASH_RE.match(p.text):
        return _dashed(p, _other_role(state.prev_role), RULE_DASH)
    return None


def decide_address(p: Paragraph, state: InterviewState) -> Segment | None:
    """An address to the interviewee ("Mr. President, ...") starts an interviewer's turn."""
    if _VOCATIVE_RE.match(p.text) and state.prev_role != "interviewer":
        return _unmarked(p, "interviewer", RULE_VOCATIVE)
    return None


def decide_short_question(p: Paragraph, state: InterviewState) -> Segment | None:
    """After an answer, a question of at most :data:`SHORT_QUESTION_WORDS` words is the interviewer's."""
    text = p.text
    if state.prev_role == "focal" and text.rstrip().endswith("?") and count_words(text) <= SHORT_QUESTION_WORDS:
        return _unmarked(p, "interviewer", RULE_SHORT_QUESTION)
    return None


def decide_answer(p: Paragraph, state: InterviewState) -> Segment | None:
    """After the interviewer's question, a paragraph not itself ending with "?" is the answer."""
    asked = state.prev_role == "interviewer" and state.prev_text.rstrip().endswith("?")
    if asked and not p.text.rstrip().endswith("?"):
        return _unmarked(p, "focal", RULE_ANSWER)
    return None


def decide_intro(p: Paragraph, state: InterviewState) -> Segment | None:
    """Before any turn, or after narration, it is narration (the compilation's introduction)."""
    if state.prev_role in (None, "narrator"):
        return _unmarked(p, "narrator", RULE_INTRO, new_turn=state.prev_role is None)
    return None


def decide_continuation(p: Paragraph, state: InterviewState) -> Segment:
    """Otherwise the paragraph continues the previous speaker's turn (always decides)."""
    return _unmarked(p, state.prev_role, RULE_CONTINUATION, new_turn=False)


#: The interview rules in order of precedence; the last always decides.
INTERVIEW_RULES = (
    decide_held_label,
    decide_label,
    hold_label_line,
    decide_dash_after_gap,
    decide_dash,
    decide_address,
    decide_short_question,
    decide_answer,
    decide_intro,
    decide_continuation,
)


def _apply_rules(rules, p: Paragraph, state) -> Segment | HeldLabel:
    """The decision of the first of ``rules`` that does not pass on ``p``."""
    for rule in rules:
        decided = rule(p, state)
        if decided is not None:
            return decided
    raise AssertionError("the last rule always decides")


def _correct_paragraph(segment: Segment, corrections: list[Correction]) -> Segment:
    """``segment`` with the first whole-paragraph correction applied (role, speaker, rule).

    A correction keeps the label's speaker only when it makes the segment ``other``.
    """
    if not corrections:
        return segment
    c = corrections[0]
    if c.segment:
        raise CorpusError(
            None,
            c.row,
            "a segment correction applies only to news reports",
            "leave `segment` empty to correct the whole paragraph",
        )
    speaker = c.speaker or (segment.speaker if c.role == "other" else "")
    return replace(segment, role=c.role, rule=RULE_CORRECTION, new_turn=True, speaker=speaker)


def _unanswered(segment: Segment) -> Segment:
    """``segment``, a label that no text follows (the document ends on it, or another label comes
    next), as a wordless segment (rule ``label followed by no text``; the builder warns)."""
    return replace(segment, text="", rule=RULE_LABEL_NO_TEXT)


def read_interview(paragraphs: list[Paragraph], ctx: ReaderContext) -> list[Segment]:
    """Attribute the paragraphs of one interview transcript to speakers; returns their segments.

    Rules, in order of precedence (:data:`INTERVIEW_RULES`; each segment records the rule that
    decided it):

    1. a hand correction for the paragraph's first line (applied over whatever rule decided);
    2. ``Label: text`` with a known label (also a multi-word label without its colon before a
       capital letter);
    3. a paragraph that is only ``Name, description:`` (at most :data:`LABEL_LINE_MAX_WORDS`
       words) introduces the next paragraph's speaker (a commentator, say), whatever that
       paragraph starts with;
    4. a paragraph opening with a dash is the other party's turn: the interviewer after the
       interviewee and vice versa; after two or more blank lines (an omitted turn) it is the same
       party as before;
    5. an unmarked paragraph

       - opening with an address to the interviewee ("Mr. President, ...", "Ilham Heydarovich,")
         starts an interviewer's turn (or continues one);
       - after the interviewee's answer, a short question (at most :data:`SHORT_QUESTION_WORDS`
         words ending with "?") is the interviewer's;
       - after the interviewer's question (ending with "?"), a paragraph that does not itself end
         with "?" is the answer;
       - before any turn it is narration (the compilation's introduction);
       - otherwise it continues the previous speaker.
    """
    state = InterviewState.start(ctx)
    segments: list[Segment] = []
    for p in paragraphs:
        corrections = ctx.corrections_at(p)  # looked up (and so used) even on a label line
        decided = _apply_rules(INTERVIEW_RULES, p, state)
        if isinstance(decided, HeldLabel):
            state.held = decided
            continue
        state.held = None
        segment = _correct_paragraph(decided, corrections)
        segments.append(replace(segment, text=segment.text.strip()))
        state.prev_role, state.prev_text = segment.role, segment.text
    if state.held is not None:
        segments.append(_unanswered(state.held.segment))
    return segments


# --------------------------------------------------------------------------------------------
# News reports (quotation marks)

_OPEN_QUOTES = '\u201c"'
_CLOSE_QUOTES = '\u201d"'


def _split_quotes(text: str) -> list[tuple[bool, int, int]]:
    """Split ``text`` into (is_quote, start, end) pieces on double quotation marks.

    Curly and straight marks may be mixed (“...," he said). A quotation left open runs to the end
    of the paragraph. The quotation marks themselves belong to no piece.
    """
    pieces: list[tuple[bool, int, int]] = []
    inside, start = False, 0
    for i, ch in enumerate(text):
        if not inside and ch in _OPEN_QUOTES:
            pieces.append((False, start, i))
            inside, start = True, i + 1
        elif inside and ch in _CLOSE_QUOTES:
            pieces.append((True, start, i))
            inside, start = False, i + 1
    pieces.append((inside, start, len(text)))
    return [(q, s, e) for q, s, e in pieces if count_words(text[s:e]) > 0]


def read_news_report(paragraphs: list[Paragraph], ctx: ReaderContext) -> list[Segment]:
    """Separate a news writer's narration from the focal speaker's quoted words.

    Text inside double quotation marks is the focal speaker's (rule ``quotation marks``), text
    outside them the narrator's. Quoted words the writer did not mark, or marked words that are
    someone else's, are fixed in the corrections table, by paragraph or by verbatim segment.
    Consecutive pieces of the same speaker join into one turn.
    """
    segments: list[Segment] = []
    for p in paragraphs:
        pieces: list[tuple[str, str, str, int, int]] = []  # role, rule, speaker, start, end
        fixed: list[tuple[int, int, Correction]] = []
        for c in ctx.corrections_at(p):
            if not c.segment:
                fixed.append((0, len(p.text), c))
                continue
            at = p.text.find(c.segment)
            if at < 0:
                raise CorpusError(
                    None,
                    c.row,
                    f"segment not found in {p.source_file} line {p.line_start}",
                    "copy the segment verbatim from the raw file",
                )
            fixed.append((at, at + len(c.segment), c))
        fixed.sort(key=lambda x: x[0])
        cursor = 0
        for start, end, c in fixed + [(len(p.text), len(p.text), None)]:
            for is_quote, s, e in _split_quotes(p.text[cursor:start]):
                role, rule = ("focal", RULE_QUOTE) if is_quote else ("narrator", RULE_NARRATION)
                pieces.append((role, rule, "", cursor + s, cursor + e))
            if c is not None and count_words(p.text[start:end]):
                pieces.append((c.role, RULE_CORRECTION, c.speaker, start, end))
            cursor = max(cursor, end)
        for role, rule, speaker, s, e in pieces:
            first, last = _lines_of(p, s, e)
            piece = p.text[s:e].strip(" \n,;:")
            segments.append(Segment(role, "", speaker, piece, first, last, rule, new_turn=False))
    return segments


# --------------------------------------------------------------------------------------------
# The bring-your-own format: SPEAKER NAME: text

#: ``Name:`` at the start of a paragraph (invisible characters before it allowed), up to the
#: first colon of its first line.
#: A time as transcription services write it beside a label: ``0:03``, ``00:01:10``, ``00:00:12.500``.
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_INVISIBLE = "[\u00ad\u200b-\u200f\u2060\ufeff]*"
#: The label may carry a time before it (``[00:00:12] JANE DOE:``) or after it (``Jane Doe (00:01:10):``).
_GENERIC_LABEL_RE = re.compile(
    rf"^{_INVISIBLE}(?:[\[(]?(?P<time_before>{TIME})[\])]?[ \t]+)?(?P<label>[^\W\d_][^{COLONS}\n]*?)"
    rf"(?:\s*[\[(](?P<time_after>{TIME})[\])])?\s*[{COLONS}](?:\s+|$)"
)
#: A name and a time alone on a line, the text below it (``Speaker 1  0:03``, as Otter exports).
_TIMED_LINE_RE = re.compile(
    rf"^{_INVISIBLE}(?P<label>[^\W\d_][^{COLONS}\n]*?)[ \t]+(?P<time_alone>{TIME})[ \t]*(?:\n|$)"
)
#: A ``Name:`` opening of more words than this is a sentence with a colon, not a speaker label.
MAX_LABEL_WORDS = 8
#: Text before a colon longer than this is said to be too long to be a label.
MAX_LABEL_CHARACTERS = 80


@dataclass
class GenericState:
    """What the generic rules know besides the paragraph at hand.

    ``label`` is the paragraph's own ``SPEAKER NAME:`` match when it is a label (None
    otherwise) and ``opening`` the text before its first colon when that is not a label, both set
    for each paragraph before the rules run; ``held`` is a label alone in its paragraph,
    waiting for the next one; ``prev`` is the previous segment (None before the first).
    """

    ctx: ReaderContext
    label: re.Match | None = None
    opening: re.Match | None = None
    held: GenericHeldLabel | None = None
    prev: Segment | None = None


def match_opening(text: str) -> re.Match | None:
    """The ``Something:`` opening of ``text`` (its ``label`` group: the text before the first
    colon of the first line, a time beside it left out), or a first line of a name and a time
    only (``Speaker 1  0:03``), whether or not it is a speaker label."""
    return _GENERIC_LABEL_RE.match(text) or _TIMED_LINE_RE.match(text)


def time_of(opening: re.Match) -> str:
    """The time written beside the label of an opening (:func:`match_opening`), or ""."""
    found = opening.groupdict()
    return found.get("time_before") or found.get("time_after") or found.get("time_alone") or ""


def _match_generic_label(text: str, ctx: ReaderContext, first: bool) -> tuple[re.Match | None, re.Match | None]:
    """(label, opening): the ``SPEAKER NAME:`` opening of ``text`` when :meth:`ReaderContext.is_label`
    takes it (``first``: the document's first paragraph), else None and the opening as text."""
    match = match_opening(text)
    if match and ctx.is_label(match.group("label").strip(), first):
        return match, None
    declared = declared_label_re(tuple(ctx.focal_labels + ctx.interviewer_labels + list(ctx.other_labels)))
    found = declared.match(text)
    if found and (match is None or found.end() <= match.end()):
        return found, None
    return None, match


@lru_cache(maxsize=64)
def declared_label_re(labels: tuple[str, ...]) -> re.Pattern:
    """``Label:`` for exactly the declared ``labels`` (longest first), whatever character they start
    with (``[HOST]:``, ``1st speaker:``), which :data:`_GENERIC_LABEL_RE` (a label opens with a
    letter) does not find; case-insensitive, as labels are compared."""
    alternatives = "|".join(re.escape(x) for x in sorted(set(labels), key=len, reverse=True) if x.strip())
    return re.compile(rf"^{_INVISIBLE}(?P<label>{alternatives or '(?!x)x'})\s*[{COLONS}](?:\s+|$)", re.IGNORECASE)


@dataclass(frozen=True)
class GenericHeldLabel:
    """A ``SPEAKER NAME:`` alone in its paragraph, waiting for the paragraph it introduces."""

    opening: re.Match
    paragraph: Paragraph

    @property
    def label(self) -> str:
        return self.opening.group("label").strip()


def _labelled_segment(p: Paragraph, opening: re.Match, text: str, line_start: int, ctx: ReaderContext) -> Segment:
    """The segment of ``text`` (from ``line_start`` to the end of ``p``) said by the speaker of
    the label ``opening`` (:func:`match_opening`), with the time written beside it.

    The role is the label's (config and metadata), else ``unknown_speakers`` (rule ``undeclared
    speaker label``; when it is ``error``, ``interviewer`` until the builder refuses the
    corpus); the last correction at ``p`` overrides it. The speaker is the label, except for the
    focal speaker (filled in by the builder).
    """
    label, time = opening.group("label").strip(), time_of(opening)
    role, rule = ctx.role_of_label(label), RULE_GENERIC_LABEL
    if role is None:
        # With ``unknown_speakers: error`` the builder refuses the corpus after reading it all,
        # listing every undeclared label (rule ``undeclared speaker label``) with its count.
        role = "interviewer" if ctx.unknown_speakers == "error" else ctx.unknown_speakers
        rule = RULE_GENERIC_UNKNOWN
    for c in ctx.corrections_at(p):
        role, rule = c.role, RULE_CORRECTION
    speaker = label if role != "focal" else ""
    label_words = count_words(opening.group(0)) if time else count_words(label)
    return Segment(role, label, speaker, text.strip(), line_start, p.line_end, rule, True, label_words, time)


# The rules below each look at a paragraph and the state, and either decide its segment (or hold
# a label for the next paragraph), raise for bad input, or pass with None. :data:`GENERIC_RULES`
# lists them in order of precedence; the first that decides wins.


def decide_held_generic_label(p: Paragraph, state: GenericState) -> Segment | None:
    """An unlabelled paragraph after a label alone in its paragraph is that label's speaker's."""
    if state.held is None or state.label is not None:
        return None
    held = state.held
    return _labelled_segment(p, held.opening, p.text, held.paragraph.line_start, state.ctx)


def decide_generic_label_note(p: Paragraph, state: GenericState) -> Segment | None:
    """A label whose line held only transcription notes (``HOST: (CROSSTALK)``) is a turn with no
    words (rule ``label followed only by a transcription note``): it introduces no paragraph."""
    if state.label is None or p.text[state.label.end() :].strip() or not state.ctx.only_noted(p):
        return None
    segment = _labelled_segment(p, state.label, "", p.line_start, state.ctx)
    return replace(segment, rule=RULE_LABEL_NOTE)


def hold_generic_label(p: Paragraph, state: GenericState) -> GenericHeldLabel | None:
    """A label with no text after it introduces the next paragraph."""
    if state.label is not None and not p.text[state.label.end() :].strip():
        return GenericHeldLabel(state.label, p)
    return None


def _generic_unanswered(held: GenericHeldLabel, ctx: ReaderContext) -> Segment:
    """A label alone in its paragraph that no text follows, as a wordless segment."""
    p = held.paragraph
    return _unanswered(_labelled_segment(p, held.opening, "", p.line_start, ctx))


def decide_generic_label(p: Paragraph, state: GenericState) -> Segment | None:
    """``SPEAKER NAME: text``: the label's speaker says the text."""
    if state.label is None:
        return None
    return _labelled_segment(p, state.label, p.text[state.label.end() :], p.line_start, state.ctx)


def _continue_previous(p: Paragraph, prev: Segment, rule: str) -> Segment:
    """``p`` as a continuation of the segment ``prev`` (same speaker, no label), decided by ``rule``."""
    text = p.text.strip()
    return replace(
        prev,
        text=text,
        line_start=p.line_start,
        line_end=p.line_end,
        rule=rule,
        new_turn=False,
        label="",
        label_words=0,
    )


def decide_text_before_colon(p: Paragraph, state: GenericState) -> Segment | None:
    """A paragraph opening with ``Something:`` that is not a label ("But I will say this:")
    continues the current speaker, colon and all (corrections do not apply, as for
    :func:`decide_generic_continuation`)."""
    if state.opening is None or state.prev is None:
        return None
    return _continue_previous(p, state.prev, RULE_NOT_A_LABEL)


def decide_generic_continuation(p: Paragraph, state: GenericState) -> Segment | None:
    """With ``continuation: true``, an unlabelled paragraph continues the previous segment.

    Corrections do not apply here: one pointing at such a paragraph is reported unused.
    """
    if not state.ctx.continuation or state.prev is None:
        return None
    return _continue_previous(p, state.prev, RULE_CONTINUATION)


def reject_unlabelled(p: Paragraph, state: GenericState) -> None:
    """Any other paragraph lacks its speaker label (always raises); text before a colon that is
    too long to be a label, or does not look like one, is said to be so."""
    first = p.text.split("\n", 1)[0]
    if state.opening is not None:
        raise _not_a_label(p, state.opening.group("label").strip())
    raise CorpusError(
        p.source_file,
        p.line_start,
        f"paragraph has no speaker label: '{first[:60]}'",
        "start it with 'SPEAKER NAME: ', or set `continuation: true` in the config "
        "to let unlabelled paragraphs continue the previous speaker",
    )


def _not_a_label(p: Paragraph, opening: str) -> CorpusError:
    """The error for a document opening with ``opening:`` that is not taken for a speaker label."""
    if len(opening) > MAX_LABEL_CHARACTERS:
        problem = (
            f"the text before the colon is {len(opening)} characters long, too long to be a speaker label "
            f"(at most {MAX_LABEL_CHARACTERS}): '{opening[:40]}...'"
        )
    else:
        odd = sorted({ch for ch in opening if not (ch.isalnum() or ch.isspace() or ch in "'’.-()")})
        odd_text = f" ({' '.join(odd)} cannot be in one)" if odd else ""
        problem = (
            f"'{opening}:' does not look like a speaker label{odd_text}: a label is a name of at most "
            f"{MAX_LABEL_WORDS} words, the first capitalised, of letters, digits, ' . - and (parts in parentheses)"
        )
    return CorpusError(
        p.source_file,
        p.line_start,
        problem,
        "start the paragraph with 'SPEAKER NAME: ', or declare the label under `labels:` "
        "(or set `labels.pattern`) in the config",
    )


#: The generic rules in order of precedence; the last always decides (by raising).
GENERIC_RULES = (
    decide_held_generic_label,
    decide_generic_label_note,
    hold_generic_label,
    decide_generic_label,
    decide_text_before_colon,
    decide_generic_continuation,
    reject_unlabelled,
)


def read_generic(paragraphs: list[Paragraph], ctx: ReaderContext) -> list[Segment]:
    """Read paragraphs that each start with ``SPEAKER NAME:``; returns their segments.

    The focal speaker's labels (config ``focal_speaker`` and ``labels.focal``) give ``focal``;
    labels listed under ``labels.interviewer``, ``labels.other`` or in the document's
    ``interviewer`` metadata give their role; any other label is handled by ``unknown_speakers``
    (``interviewer``, ``other`` or ``error``). What counts as a label is
    :meth:`ReaderContext.is_label`: text before a colon that is not a label ("But I will say
    this:") continues the current speaker. A label alone on a line introduces the next
    paragraph; one that no text follows (at the end of the document, or before another label) is
    a wordless segment (rule ``label followed by no text``, which the builder warns about), as is a
    label whose line held only transcription notes (``HOST: (CROSSTALK)``). A paragraph without a
    label is an error unless ``continuation: true``, in which case it continues the previous
    speaker. The rules are :data:`GENERIC_RULES`, in order.
    """
    state = GenericState(ctx)
    segments: list[Segment] = []
    for p in paragraphs:
        first = (state.prev is None and state.held is None) or ctx.only_noted(p)
        state.label, state.opening = _match_generic_label(p.text, ctx, first)
        if state.held is not None and state.label is not None:
            segments.append(_generic_unanswered(state.held, ctx))
            state.held = None
        try:
            decided = _apply_rules(GENERIC_RULES, p, state)
        except CorpusError as err:
            ctx.problems.append(err)
            continue
        if isinstance(decided, GenericHeldLabel):
            state.held = decided
            continue
        state.held = None
        segments.append(decided)
        state.prev = decided
    if state.held is not None:
        segments.append(_generic_unanswered(state.held, ctx))
    return segments


READERS = {"interview": read_interview, "news_report": read_news_report, "generic": read_generic}


def assemble_turns(segments: list[Segment]) -> list[dict]:
    """Join consecutive segments into turns.

    A segment starts a new turn when it is marked as one (``new_turn``) or when its role or
    speaker differs from the previous segment's. Returns dicts with the columns role, label,
    speaker, text (paragraphs joined by a blank line), line_start, line_end, rule (of the turn's
    first segment), label_words (words in the labels, for word accounting) and time (written
    beside the first label, or ""). A label no words
    follow (:data:`WORDLESS_RULES`) makes no turn.
    """
    turns: list[dict] = []
    for s in segments:
        if s.rule in WORDLESS_RULES:
            continue
        last = turns[-1] if turns else None
        if last is None or s.new_turn or s.role != last["role"] or s.speaker != last["speaker"]:
            turns.append(
                dict(
                    role=s.role,
                    label=s.label,
                    speaker=s.speaker,
                    text=s.text,
                    line_start=s.line_start,
                    line_end=s.line_end,
                    rule=s.rule,
                    label_words=s.label_words,
                    time=s.time,
                )
            )
        else:
            sep = "\n\n" if s.line_start > last["line_end"] else " "
            last["text"] = f"{last['text']}{sep}{s.text}" if last["text"] else s.text
            last["line_end"] = max(last["line_end"], s.line_end)
            last["label_words"] += s.label_words
    return turns
