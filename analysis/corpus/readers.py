"""Readers: from the paragraphs of a document to speaker segments.

Each transcript style has a reader. A reader returns :class:`Segment` objects (a piece of text
with its speaker role, the line span it came from and the name of the rule that decided the
role) and :class:`Dropped` pieces (boilerplate, titles, date markers) so that every non-empty
paragraph of a raw file is accounted for. :func:`assemble_turns` then joins consecutive segments
of the same speaker into turns.

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
from dataclasses import dataclass, field, replace

from ..errors import CorpusError
from ..text import count_words
from .sources import Paragraph

ROLES = ("focal", "interviewer", "narrator", "other")

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


@dataclass(frozen=True)
class Segment:
    """A piece of one paragraph (or a whole paragraph) attributed to one speaker.

    ``label`` is the speaker label as written ("Host", "President Ilham Aliyev", "-" for a dash,
    "" for none); ``speaker`` is a name when the text gives one, else "" (the corpus builder fills
    in a default from the role). ``new_turn`` is True when the text marks the start of a turn (a
    label or a dash), so that two marked turns of the same speaker stay apart.
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


@dataclass(frozen=True)
class Dropped:
    """Text of a raw file that is not part of any turn, and why."""

    source_file: str
    line_start: int
    line_end: int
    reason: str
    text: str


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

    ``focal_labels`` and ``interviewer_labels`` are the labels (as written, case-insensitive) that
    mark each role; ``corrections`` maps a paragraph's first line to its corrections; ``used``
    collects the corrections applied so that unused (stale) ones can be reported.
    """

    focal_labels: list[str]
    interviewer_labels: list[str] = field(default_factory=list)
    other_labels: dict[str, str] = field(default_factory=dict)
    corrections: dict[int, list[Correction]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    unknown_speakers: str = "interviewer"
    continuation: bool = False

    def role_of_label(self, label: str) -> str | None:
        key = _key(label)
        if key in {_key(x) for x in self.focal_labels}:
            return "focal"
        if key in {_key(x) for x in self.interviewer_labels}:
            return "interviewer"
        for name, role in self.other_labels.items():
            if _key(name) == key:
                return role
        return None

    def corrections_at(self, paragraph: Paragraph) -> list[Correction]:
        found = self.corrections.get(paragraph.line_start, [])
        self.used.update(id(c) for c in found)
        return found


def _key(label: str) -> str:
    return " ".join(label.replace("\u00a0", " ").split()).casefold()


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
_LABEL_LINE_RE = re.compile(r"^(?P<label>[^\n:]{2,150}):$")
SHORT_QUESTION_WORDS = 25


def _other_role(role: str | None) -> str:
    return "focal" if role == "interviewer" else "interviewer"


def _label_pattern(labels: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(?P<label>{alternatives})\s*:\s*", re.IGNORECASE)


def _label_without_colon(labels: list[str]) -> re.Pattern:
    # Only multi-word labels, and only before a capital letter ("President Ilham Aliyev Thank you."),
    # so that narration such as "President Ilham Aliyev gave an interview" is not taken for a label.
    multi = [x for x in labels if len(x.split()) >= 2]
    if not multi:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(x) for x in sorted(multi, key=len, reverse=True))
    return re.compile(rf"^(?P<label>{alternatives})\s+(?=[A-Z])")


def read_interview(paragraphs: list[Paragraph], ctx: ReaderContext) -> tuple[list[Segment], list[Dropped]]:
    """Attribute the paragraphs of one interview transcript to speakers.

    Rules, in order of precedence (each segment records the rule that decided it):

    1. a hand correction for the paragraph's first line;
    2. ``Label: text`` with a known label (also a multi-word label without its colon before a
       capital letter);
    3. a paragraph that is only ``Name, description:`` introduces the next paragraph's speaker
       (a commentator, say), whatever that paragraph starts with;
    4. a paragraph opening with a dash is the other party's turn: the interviewer after the
       interviewee and vice versa; after two or more blank lines (an omitted turn) it is the same
       party as before;
    5. an unmarked paragraph

       - opening with an address to the interviewee ("Mr. President, ...", "Ilham Heydarovich,")
         starts an interviewer's turn (or continues one);
       - after the interviewee's answer, a short question (at most 25 words ending with "?") is the
         interviewer's;
       - after the interviewer's question (ending with "?"), a paragraph that does not itself end
         with "?" is the answer;
       - before any turn it is narration (the compilation's introduction);
       - otherwise it continues the previous speaker.
    """
    all_labels = ctx.focal_labels + ctx.interviewer_labels + list(ctx.other_labels)
    label_re = _label_pattern(all_labels)
    label_nc_re = _label_without_colon(ctx.focal_labels + ctx.interviewer_labels)
    segments: list[Segment] = []
    pending: tuple[str, str, str, Paragraph] | None = None  # role, label, speaker, label paragraph
    prev_role: str | None = None
    prev_text = ""
    for p in paragraphs:
        text = p.text
        label, speaker, label_words, new_turn = "", "", 0, True
        corrections = ctx.corrections_at(p)
        match = label_re.match(text)
        match_nc = None if match else label_nc_re.match(text)
        line_start = p.line_start
        if pending is not None:
            role, label, speaker, label_p = pending
            label_words = count_words(label_p.text)
            line_start = label_p.line_start
            text = _DASH_RE.sub("", text, count=1)
            rule = RULE_LABEL_LINE
            pending = None
        elif match or match_nc:
            m = match or match_nc
            label = m.group("label")
            role = ctx.role_of_label(label)
            label_words = count_words(label)
            text = text[m.end() :]
            rule = RULE_LABEL if match else RULE_LABEL_NO_COLON
        elif (lm := _LABEL_LINE_RE.match(text)) and count_words(text) <= 15 and "\n" not in text:
            label = lm.group("label").strip()
            role = ctx.role_of_label(label) or "other"
            speaker = label.split(",")[0].strip() if role == "other" else ""
            pending = (role, label, speaker, p)
            continue
        elif _DASH_RE.match(text):
            label = text[0]
            text = _DASH_RE.sub("", text, count=1)
            if p.blank_before >= 2 and prev_role in ("focal", "interviewer"):
                role, rule = prev_role, RULE_DASH_GAP
            else:
                role, rule = _other_role(prev_role), RULE_DASH
        elif _VOCATIVE_RE.match(text) and prev_role != "interviewer":
            role, rule = "interviewer", RULE_VOCATIVE
        elif prev_role == "focal" and text.rstrip().endswith("?") and count_words(text) <= SHORT_QUESTION_WORDS:
            role, rule = "interviewer", RULE_SHORT_QUESTION
        elif prev_role == "interviewer" and prev_text.rstrip().endswith("?") and not text.rstrip().endswith("?"):
            role, rule = "focal", RULE_ANSWER
        elif prev_role in (None, "narrator"):
            role, rule, new_turn = "narrator", RULE_INTRO, prev_role is None
        else:
            role, rule, new_turn = prev_role, RULE_CONTINUATION, False
        if corrections:
            c = corrections[0]
            if c.segment:
                raise CorpusError(
                    None,
                    c.row,
                    "a segment correction applies only to news reports",
                    "leave `segment` empty to correct the whole paragraph",
                )
            role, rule, new_turn = c.role, RULE_CORRECTION, True
            speaker = c.speaker or (speaker if role == "other" else "")
        if role is None:
            role = "other"
        segments.append(
            Segment(role, label, speaker, text.strip(), line_start, p.line_end, rule, new_turn, label_words)
        )
        prev_role, prev_text = role, text
    if pending is not None:
        role, label, speaker, label_p = pending
        raise CorpusError(
            label_p.source_file,
            label_p.line_start,
            f"speaker label '{label}:' is followed by no text",
            "remove the label or add what the speaker said",
        )
    return segments, []


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


def read_news_report(paragraphs: list[Paragraph], ctx: ReaderContext) -> tuple[list[Segment], list[Dropped]]:
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
    return segments, []


# --------------------------------------------------------------------------------------------
# The bring-your-own format: SPEAKER NAME: text

_GENERIC_LABEL_RE = re.compile(r"^(?P<label>[^\W\d_][^:\n]{0,79}?)\s*:(?:\s+|$)")
MAX_LABEL_WORDS = 8


def read_generic(paragraphs: list[Paragraph], ctx: ReaderContext) -> tuple[list[Segment], list[Dropped]]:
    """Read paragraphs that each start with ``SPEAKER NAME:``.

    The focal speaker's labels (config ``focal_speaker`` and ``labels.focal``) give ``focal``;
    labels listed under ``labels.interviewer``, ``labels.other`` or in the document's
    ``interviewer`` metadata give their role; any other label is handled by ``unknown_speakers``
    (``interviewer``, ``other`` or ``error``). A label alone on a line introduces the next
    paragraph. A paragraph without a label is an error unless ``continuation: true``, in which
    case it continues the previous speaker.
    """
    segments: list[Segment] = []
    pending: tuple[str, Paragraph] | None = None
    prev: Segment | None = None
    for p in paragraphs:
        m = _GENERIC_LABEL_RE.match(p.text)
        if m and count_words(m.group("label")) > MAX_LABEL_WORDS:
            m = None
        if pending is not None and m is None:
            label, label_p = pending
            text, line_start, label_words = p.text, label_p.line_start, count_words(label)
            pending = None
        elif m:
            if pending is not None:
                raise CorpusError(
                    p.source_file,
                    pending[1].line_start,
                    f"speaker label '{pending[0]}:' is followed by no text",
                    "remove the label or add what the speaker said",
                )
            label = m.group("label").strip()
            text = p.text[m.end() :]
            if not text.strip():
                pending = (label, p)
                continue
            line_start, label_words = p.line_start, count_words(label)
        else:
            if ctx.continuation and prev is not None:
                prev = replace(
                    prev,
                    text=p.text.strip(),
                    line_start=p.line_start,
                    line_end=p.line_end,
                    rule=RULE_CONTINUATION,
                    new_turn=False,
                    label="",
                    label_words=0,
                )
                segments.append(prev)
                continue
            first = p.text.split("\n", 1)[0]
            raise CorpusError(
                p.source_file,
                p.line_start,
                f"paragraph has no speaker label: '{first[:60]}'",
                "start it with 'SPEAKER NAME: ', or set `continuation: true` in the config "
                "to let unlabelled paragraphs continue the previous speaker",
            )
        role = ctx.role_of_label(label)
        rule = RULE_GENERIC_LABEL
        if role is None:
            if ctx.unknown_speakers == "error":
                raise CorpusError(
                    p.source_file,
                    line_start,
                    f"speaker '{label}' is not declared in the config",
                    "add it under `labels:` in the corpus config, or set `unknown_speakers: interviewer`",
                )
            role, rule = ctx.unknown_speakers, RULE_GENERIC_UNKNOWN
        for c in ctx.corrections_at(p):
            role, rule = c.role, RULE_CORRECTION
        speaker = label if role != "focal" else ""
        prev = Segment(role, label, speaker, text.strip(), line_start, p.line_end, rule, True, label_words)
        segments.append(prev)
    if pending is not None:
        raise CorpusError(
            pending[1].source_file,
            pending[1].line_start,
            f"speaker label '{pending[0]}:' is followed by no text",
            "remove the label or add what the speaker said",
        )
    return segments, []


READERS = {"interview": read_interview, "news_report": read_news_report, "generic": read_generic}


def assemble_turns(segments: list[Segment]) -> list[dict]:
    """Join consecutive segments into turns.

    A segment starts a new turn when it is marked as one (``new_turn``) or when its role or
    speaker differs from the previous segment's. Returns dicts with the columns role, label,
    speaker, text (paragraphs joined by a blank line), line_start, line_end, rule (of the turn's
    first segment) and label_words (words in the labels, for word accounting).
    """
    turns: list[dict] = []
    for s in segments:
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
                )
            )
        else:
            sep = "\n\n" if s.line_start > last["line_end"] else " "
            last["text"] = f"{last['text']}{sep}{s.text}" if last["text"] else s.text
            last["line_end"] = max(last["line_end"], s.line_end)
            last["label_words"] += s.label_words
    return turns
