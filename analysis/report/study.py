"""The study page: ``reports/index.html``, the report read as a study, and ``reports/study.pdf``.

The page answers the research question in prose: abstract, question and hypotheses, corpus,
measurement, results with their figures, close reading (quotes), limitations, how to reproduce,
and a footer to cite it by. Every sentence with a number comes from a function of this module fed
with a table a run wrote into ``figures/`` (``corpus_by_audience.csv`` from 01, the
``*_summary.csv`` sentence tables of 03 and 04, 04's reliability, pairwise, hypotheses, power and
examples tables) or from ``manifest.json``; nothing is typed into the template
(``templates/study.html.j2``). A section whose tables a run did not write (a corpus without a
codebook or coding, a run that failed) says so in one sentence instead of staying empty.

The figure gallery that used to be the front page is the appendix (``appendix.html``,
:mod:`analysis.report.site`), linked from here.

``python -m analysis.report.study pdf reports/index.html reports/study.pdf`` prints the page to PDF
with headless Chromium (:func:`write_pdf`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from markupsafe import Markup

from .. import config
from ..figures.style import audience_label
from ..io import read_csv, write_text
from . import findings
from .pages import RunPage

#: The study page's template, in ``analysis/report/templates/`` (package data).
TEMPLATE = "study.html.j2"
#: The appendix: every run with its figures and parameters (:mod:`analysis.report.site`).
APPENDIX = "appendix.html"
#: The quoted paragraphs where they sit: the question before each and its whole answer.
QUOTES = "quotes.html"
QUOTES_TEMPLATE = "quotes.html.j2"
#: How many quotes per audience the close reading shows for a frame, and how many frames.
QUOTES_PER_AUDIENCE = 3
MAX_QUOTED_FRAMES = 3
#: The framing notebooks whose runs the page reads: the measure (the examples quoted) and the audiences
#: (the hypotheses, their parameters, the claims and the summary).
FRAMING_MEASURE = "04_framing_1_measure"
FRAMING = "04_framing_2_audiences"
#: What the page says when the 04_framing_2_audiences run's ``hypotheses_seen`` parameter is not given.
UNRECORDED_HYPOTHESES_NOTE = (
    "The report definition does not record when these hypotheses were written or what had been seen by then "
    "(the hypotheses_seen parameter of 04_framing_2_audiences); a reader should ask before treating them as fixed "
    "in advance."
)


def seen_sentence(seen: str | None) -> str:
    """What had been seen when the hypotheses were written, from the 04_framing_2_audiences run's
    ``hypotheses_seen`` parameter (report.yml), or that it is not recorded."""
    if not seen or not str(seen).strip():
        return UNRECORDED_HYPOTHESES_NOTE
    seen = " ".join(str(seen).split()).rstrip(".")
    return f"When they were written: {seen}."


# --------------------------------------------------------------------------------------------
# Prose: each function turns a table a run wrote into sentences (Markdown: **bold** only)


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _date(iso: str) -> str:
    """'2020-10-05' as '5 October 2020' (the number check reads the table's date as 2020, 10, 5)."""
    day = dt.date.fromisoformat(str(iso)[:10])
    return f"{day.day} {day:%B %Y}"


def corpus_sentences(corpus: pd.DataFrame, speaker: str, group_label=audience_label) -> list[str]:
    """What the corpus holds, from 01's ``corpus_by_audience.csv``
    (:func:`analysis.corpus.corpus_table`): interviews and words per audience, dates, translation."""
    groups, total = corpus[corpus["audience"] != "all"], corpus[corpus["audience"] == "all"].iloc[0]
    per_group = [f"{int(r.interviews)} for {group_label(r.audience)} audiences" for r in groups.itertuples()]
    text = (
        f"The corpus holds {int(total.interviews)} interviews of {speaker} ({_join(per_group)}), "
        f"with {int(total.words_focal):,} words of {speaker}'s answers"
    )
    if total.first_date and str(total.first_date) != "nan":
        text += f", given between {_date(total.first_date)} and {_date(total.last_date)}"
    sentences = [text + "."]
    translated = [
        f"{int(r.translated)} of {int(r.interviews)} {group_label(r.audience)}"
        for r in groups.itertuples()
        if r.translated
    ]
    if translated:
        sentences.append(
            f"The transcripts of {_join(translated)} interviews are translations; "
            f"the others are read as transcribed"
            + (
                f", except {int(total.translation_unknown)} whose translation status is unknown."
                if total.translation_unknown
                else "."
            )
        )
    else:
        sentences.append("No transcript is marked as a translation.")
    return sentences


def reliability_sentence(alpha: pd.DataFrame) -> str:
    """The agreement of two codings by separate language-model sessions, from 04's
    ``framing_reliability.csv`` (:func:`analysis.coding.reliability.alpha_table`)."""
    overall = alpha[alpha["frame"] == "all frames"].iloc[0]
    frames = alpha[alpha["frame"] != "all frames"]
    low = frames.sort_values("alpha").iloc[0]
    return (
        f"Two codings, each by a separate session of a language model that did not see the other's coding, "
        f"agree on the paragraphs coded twice at Krippendorff's alpha {overall['alpha']:.2f} "
        f"[{overall['ci_low']:.2f}, {overall['ci_high']:.2f}] over all frame decisions (95% bootstrap interval); "
        f"the lowest frame is at {low['alpha']:.2f} [{low['ci_low']:.2f}, {low['ci_high']:.2f}]."
    )


def hypotheses_sentences(hypotheses: pd.DataFrame, labels: dict, group_label=audience_label) -> list[str]:
    """The pre-specified hypotheses as a reader should read them, from 04's
    ``framing_hypotheses.csv`` (frame, higher, lower, supported): how many and how many held."""
    listed = [
        f"{labels.get(r.frame, r.frame)} more often for {group_label(r.higher)} "
        f"than for {group_label(r.lower)} audiences"
        for r in hypotheses.itertuples()
    ]
    held = int(hypotheses["supported"].astype(str).str.lower().eq("true").sum()) if "supported" in hypotheses else None
    sentences = [f"The report definition states {len(hypotheses)} directional hypotheses: {_join(listed)}."]
    if held is not None:
        verb = "is" if held == 1 else "are"
        sentences.append(
            f"{held} of the {len(hypotheses)} pre-specified hypotheses {verb} supported after Holm's correction."
        )
    return sentences


def notable_frames(pairwise: pd.DataFrame, limit: int = MAX_QUOTED_FRAMES) -> list[str]:
    """The frames whose audience difference is most notable, for the close reading: those with a
    pair of audiences at an uncorrected p below 0.05 in 04's ``framing_pairwise.csv``, smallest p
    first, at most ``limit``."""
    below = pairwise[pairwise["p"] < 0.05].sort_values(["p", "frame"], kind="stable")
    return list(dict.fromkeys(below["frame"]))[:limit]


def limitation_sentences(corpus: pd.DataFrame, coded: bool, group_label=audience_label) -> list[str]:
    """The limits a reader must weigh, with the numbers of the corpus table."""
    groups = corpus[corpus["audience"] != "all"]
    sizes = [f"{int(r.interviews)} {group_label(r.audience)}" for r in groups.itertuples()]
    out = []
    if coded:
        out.append(
            "**Model-based coding.** Every frame decision was made by reading, by separate sessions of a language "
            "model working from the codebook; no person has coded the paragraphs, so the agreement reported is "
            "that of two model-based codings, and a systematic reading error the model repeats would not show in it."
        )
    else:
        out.append(
            "**No coding by reading.** The frames are those of the cue detector, which has not been validated "
            "on this corpus."
        )
    translated = groups[groups["translated"] > 0]
    english = groups[groups["english"] > 0]
    if len(translated) and len(english):
        out.append(
            "**Translation.** Audience is confounded with translation: "
            + _join(
                [f"{int(r.translated)} of {int(r.interviews)} {group_label(r.audience)}" for r in groups.itertuples()]
            )
            + " interviews are translations, so a difference between a translated and an English-language group "
            "may be the translator's wording as much as the speaker's."
        )
    out.append(
        f"**Few interviews.** The groups hold {_join(sizes)} interviews: with so few, only large differences can "
        "pass a correction for many tests, and one short interview moves a group's mean."
    )
    out.append(
        "**Which interviews exist.** The corpus holds the interviews that were given and published; who was granted "
        "an interview, and which were transcribed, is itself part of the communication strategy studied."
    )
    out.append(
        "**Paragraph units.** Frames are coded per paragraph of the transcript, whose breaks the publisher made; "
        "a share of paragraphs weighs a short paragraph like a long one."
    )
    return out


def cite_as(citation: dict, commit: str | None, built: dt.date, study: str | None = None) -> str:
    """A "cite as" line from ``CITATION.cff`` (parsed): authors, year, title, version, commit.
    For a corpus of one's own (``study``: its name) the line cites that study as built with the
    software, named by the part of its title before the first colon (the rest names the seed study)."""
    if study is not None:
        software = str(citation.get("title", "interview-discourse")).split(":")[0]
        version = f" version {citation['version']}" if citation.get("version") else ""
        return f"{study} ({built.year}), report built with {software}{version}" + (
            f", commit {commit[:12]}." if commit else "."
        )
    authors = [
        a.get("name") or " ".join(p for p in (a.get("given-names"), a.get("family-names")) if p)
        for a in citation.get("authors", [])
    ]
    year = str(citation.get("date-released", built.isoformat()))[:4]
    text = f"{_join(authors) if authors else 'Anonymous'} ({year}). {citation.get('title', 'Untitled')}"
    if citation.get("version"):
        text += f", version {citation['version']}"
    return text + (f", commit {commit[:12]}." if commit else ".")


# --------------------------------------------------------------------------------------------
# Blocks the template renders


_BOLD = re.compile(r"\*\*(.+?)\*\*")
#: The end of a sentence: a full stop, ? or ! before a space and a capital letter or digit, not
#: inside brackets (a summary's intervals and parentheses hold full stops of their own).
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9*])")


def first_sentence(markdown: str) -> str:
    """The first sentence of a summary bullet after its bold lead-in ("* **Differences.** 1 of 39
    survive ... . 4 more ..." gives "1 of 39 survive ... ."); brackets are kept whole."""
    text = markdown.strip().removeprefix("* ")
    if text.startswith("**"):
        text = _BOLD.sub("", text, count=1).strip()
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if depth == 0 and char in ".?!" and _SENTENCE_END.match(text, i + 1):
            return text[: i + 1]
    return text


def inline(markdown: str) -> Markup:
    """A summary sentence as HTML: escaped, its leading '* ' dropped, ``**x**`` as ``<strong>``
    (the only Markdown the summary functions write besides ``*italics*``, shown as text)."""
    text = html.escape(markdown.strip().removeprefix("* "), quote=False)
    return Markup(_BOLD.sub(r"<strong>\1</strong>", text))


@dataclass
class Block:
    """One piece of a section: ``kind`` is 'p' (``text``, Markup), 'missing' (``text``: what
    the section cannot show and why), 'figure' (``figure``: FigureEntry), 'table' (``columns``,
    ``rows``, ``caption``) or 'quotes' (``quotes``: dicts with text, outlet, date, para_id, href)."""

    kind: str
    text: Markup | str = ""
    figure: object = None
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    caption: str = ""
    quotes: list = field(default_factory=list)
    heading: str = ""


@dataclass
class Section:
    """A section of the page: ``id`` (anchor), ``title`` and its ``blocks``."""

    id: str
    title: str
    blocks: list[Block]


def _ps(sentences: list[str]) -> Block:
    return Block("p", Markup(" ").join(inline(s) for s in sentences))


def _missing(text: str) -> Block:
    return Block("missing", text)


# --------------------------------------------------------------------------------------------
# Reading what the runs wrote


@dataclass
class Study:
    """What the page is built from: the runs (:class:`RunPage`, from the appendix), the figures
    and reports folders, the corpus's name, speaker, codebook labels and definitions, the
    processed tables' folder, the manifest and CITATION.cff."""

    title: str
    name: str
    speaker: str
    runs: list[RunPage]
    figures: Path
    reports: Path
    processed: Path
    frames: list[tuple[str, str, str]]  # id, label, definition
    unit: str
    seed: bool
    manifest: dict
    citation: dict

    def table(self, name: str) -> pd.DataFrame | None:
        """``figures/<name>`` as a table if a run wrote it, else None."""
        path = self.figures / name
        return _typed(read_csv(path)) if path.is_file() else None

    def run(self, notebook: str, words: bool = False) -> RunPage | None:
        """The first run of ``notebook`` (``words``: the one weighting by words)."""
        for page in self.runs:
            if page.notebook.stem == notebook and (page.parameters.get("weight") == "words") == words:
                return page
        return None

    def figure(self, name: str):
        """The FigureEntry ``name`` some run published, else None."""
        return next((f for page in self.runs for f in page.figures if f.name == name), None)

    @property
    def labels(self) -> dict:
        return {i: label for i, label, _ in self.frames}


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """A table read as text with its numeric columns as numbers and "True"/"False" as booleans
    (an empty cell in a numeric column is NaN)."""
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if values.isin(["True", "False"]).all() and len(values):
            out[column] = values.eq("True")
            continue
        numbers = pd.to_numeric(values.replace("", None), errors="coerce")
        if numbers.notna().sum() == (values != "").sum() and (values != "").any():
            out[column] = numbers
    return out


def _frame_suffix(page: RunPage | None) -> str:
    return "_words" if page is not None and page.parameters.get("weight") == "words" else ""


# --------------------------------------------------------------------------------------------
# The sections


def abstract(study: Study) -> Section:
    """Four to six sentences: corpus, measure, reliability, what held, what could not be told."""
    corpus, alpha = study.table("corpus_by_audience.csv"), study.table("framing_reliability.csv")
    summary = study.table("framing_summary.csv")
    blocks = []
    sentences = [f"This study asks whether {study.speaker} framed the same events differently for different audiences."]
    if corpus is not None:
        sentences += corpus_sentences(corpus, study.speaker)[:1]
    if alpha is not None:
        sentences.append(
            "Frames were coded in every paragraph by reading, by sessions of a language model working from a codebook "
            f"of {len(study.frames)} frames. " + reliability_sentence(alpha).split("; ")[0] + "."
        )
    finding = finding_line(list(summary.sort_values("order")["text"])) if summary is not None else None
    if finding is not None:
        sentences.append(first_sentence(finding))
    hypotheses = study.table("framing_hypotheses.csv")
    if hypotheses is not None and len(hypotheses):
        sentences += hypotheses_sentences(hypotheses, study.labels)[1:]
    blocks.append(_ps(sentences))
    if corpus is None:
        blocks.append(_missing("01_corpus has not written corpus_by_audience.csv: run make report."))
    return Section("abstract", "Abstract", blocks)


def question(study: Study) -> Section:
    hypotheses = study.table("framing_hypotheses.csv")
    blocks = [
        _ps(
            [
                f"Do the frames in {study.speaker}'s answers differ by the audience an interview was given for: in "
                "what each audience heard (the total difference, the primary estimand), and given what the "
                "journalists asked (the second estimand)?"
            ]
        )
    ]
    if hypotheses is None or not len(hypotheses):
        blocks.append(_missing(f"The report definition states no hypotheses (the hypotheses parameter of {FRAMING})."))
    else:
        blocks.append(_ps(hypotheses_sentences(hypotheses, study.labels)[:1]))
        framing = study.run(FRAMING)
        blocks.append(Block("p", seen_sentence(framing.parameters.get("hypotheses_seen") if framing else None)))
    return Section("question", "The question and what was expected", blocks)


def corpus_section(study: Study) -> Section:
    corpus = study.table("corpus_by_audience.csv")
    if corpus is None:
        return Section("corpus", "The corpus", [_missing("01_corpus has not written corpus_by_audience.csv.")])
    shown = corpus.assign(
        audience=[("All audiences" if a == "all" else audience_label(a)) for a in corpus["audience"]],
        words_focal=[f"{int(w):,}" for w in corpus["words_focal"]],
    )
    columns = ["Audience", "Interviews", f"Words of {study.speaker}", "First", "Last", "Translated", "English",
               "Unknown"]  # fmt: skip
    blocks = [
        _ps(corpus_sentences(corpus, study.speaker)),
        Block("table", columns=columns, rows=shown.fillna("").values.tolist(), caption="Interviews by audience"),
    ]
    figure = study.figure("corpus_words_by_interview")
    if figure is not None:
        blocks.append(Block("figure", figure=figure))
    return Section("corpus", "The corpus", blocks)


def measurement(study: Study) -> Section:
    blocks = []
    if not study.frames:
        return Section("measurement", "How frames were measured", [
            _missing("This corpus has no codebook (codebook: in corpus.yml), so no frames were measured.")
        ])  # fmt: skip
    unit = study.unit.strip()
    blocks.append(_ps([f"The unit of coding: {unit[:1].lower()}{unit[1:]}" if unit else "The unit is one paragraph."]))
    blocks.append(Block("table", columns=["Frame", "Definition"], rows=[[lab, d] for _, lab, d in study.frames],
                        caption="The codebook: the frames and when a paragraph carries each"))  # fmt: skip
    alpha = study.table("framing_reliability.csv")
    if alpha is None:
        blocks.append(
            _missing(
                "No coding by reading exists for this corpus (coding: in corpus.yml): the frames are counted by the "
                "codebook's cue detector, which has not been validated here, and no reliability can be measured."
            )
        )
    else:
        blocks.append(
            _ps(
                [
                    "Each paragraph was coded by reading, by a language model: separate sessions of a language model "
                    "read every paragraph with the question it answers and applied the codebook's rules.",
                    reliability_sentence(alpha),
                    "The second coding was made by a session that did not see the first, and the paragraphs on which "
                    "they differ were settled by a third reading.",
                    "A human validation, people coding a random sample of paragraphs from the same codebook, would "
                    "show whether the model reads the frames as a trained coder does; none exists yet.",
                ]
            )
        )
    return Section("measurement", "How frames were measured", blocks)


def frame_findings(study: Study) -> list[Block]:
    """The frame findings as paragraphs (:mod:`analysis.report.findings`): each contrast that survives
    with the figure of every interview's shares after them, the pre-specified hypotheses, and what
    the contrasts that did not survive could have shown. Empty if 04_framing_2_audiences wrote no claims table."""
    framing = study.run(FRAMING)
    suffix = _frame_suffix(framing)
    claims, cells = study.table("framing_robustness_claims.csv"), study.table("framing_robustness_cells.csv")
    models, detectable = study.table("framing_models.csv"), study.table("framing_detectable.csv")
    hypotheses = study.table("framing_hypotheses.csv")
    measure = findings.MEASURE if study.seed else findings.OWN_MEASURE
    blocks = []
    if claims is not None and cells is not None and models is not None:
        blocks.append(Block("p", heading="Frames"))
        held = claims[claims["claim"] == "established"]
        for _, claim in held.iterrows():
            label = study.labels.get(claim["frame"], claim["frame"])
            text = findings.contrast_paragraph(claim, cells, models, label, study.speaker, audience_label, measure)
            blocks.append(Block("p", inline(text)))
        if not len(held):
            blocks.append(_ps(["No frame contrast survives Holm's correction on the total difference."]))
        figure = study.figure("framing_interviews" + suffix)
        if figure is not None:
            blocks.append(Block("figure", figure=figure))
    if hypotheses is not None and len(hypotheses):
        blocks.append(Block("p", inline(findings.hypotheses_paragraph(hypotheses, detectable, study.labels,
                                                                      audience_label, measure))))  # fmt: skip
    if detectable is not None:
        text = findings.detectable_paragraph(detectable, measure)
        if text is not None:
            blocks.append(Block("p", inline(text)))
    return blocks


def topic_findings(study: Study, page: RunPage) -> list[Block]:
    """The topic differences a 03_topics run's checks establish, each as a paragraph, with the run's
    difference figure; a sentence if none is."""
    method = str(page.parameters.get("method", ""))
    checks = next((study.table(f) for f in page.outputs if f.endswith("_checks.csv")), None)
    differences = next((study.table(f) for f in page.outputs if f.endswith("_differences.csv")), None)
    if checks is None or "established" not in checks:
        return []
    blocks = []
    held = checks[checks["established"].astype(str).str.lower().eq("true")]
    for _, check in held.iterrows():
        row = None
        if differences is not None:
            same = differences[["group_a", "group_b", "topic"]].eq(check[["group_a", "group_b", "topic"]]).all(axis=1)
            match = differences[same]
            row = match.iloc[0] if len(match) else None
        blocks.append(Block("p", inline(findings.topic_paragraph(check, row, method, study.speaker, audience_label))))
    if not len(held):
        blocks.append(_ps([f"No topic difference of the {method.upper()} model passes 03's checks."]))
    return blocks


def intrusion_findings(study: Study, page: RunPage) -> list[Block]:
    """The word-intrusion sentence of a 03_topics run (:func:`findings.intrusion_sentence`), or
    nothing when the run wrote no intrusion results (nobody answered its tasks)."""
    precision = next((study.table(f) for f in page.outputs if f.endswith("_intrusion.csv")), None)
    if precision is None or not {"topic", "precision", "status"} <= set(precision.columns):
        return []
    agreement = next((study.table(f) for f in page.outputs if f.endswith("_intrusion_agreement.csv")), None)
    readers = findings.READERS if study.seed else findings.OWN_READERS
    method = str(page.parameters.get("method", ""))
    return [Block("p", inline(findings.intrusion_sentence(precision, agreement, method, readers)))]


def keyness_findings(study: Study) -> list[Block]:
    """Single words, one paragraph and figure per 02_keyness run."""
    blocks = []
    for page in [p for p in study.runs if p.notebook.stem == "02_keyness"]:
        figure = next((f for f in page.figures if f.name.startswith("keyness_")), None)
        table = study.table(f"{figure.name}.csv") if figure is not None else None
        if table is None or "verdict" not in table:
            continue
        power = study.table(f"{figure.name}_power.csv")
        a, b = page.parameters.get("group_a"), page.parameters.get("group_b")
        names = (audience_label(a), audience_label(b) if b else "all other")
        if not blocks:
            blocks.append(Block("p", heading="Words"))
        blocks += [Block("p", inline(findings.keyness_paragraph(table, power, names))), Block("figure", figure=figure)]
    return blocks


def results(study: Study) -> Section:
    blocks = frame_findings(study)
    shown = {b.figure.name for b in blocks if b.kind == "figure"}
    framing = study.run(FRAMING)
    summary = study.table(f"framing_summary{_frame_suffix(framing)}.csv")
    if summary is None:
        blocks.append(_missing(f"{FRAMING} has not written its summary (framing_summary.csv): no frame results."))
    else:
        blocks.append(Block("p", heading=f"Frames by audience: every result of {FRAMING}"))
        # Each figure after the bullet it shows (profiles; the audience difference; the questions), by
        # the bullet's bold lead; a figure whose bullet is missing comes after the last one.
        suffix = _frame_suffix(framing)
        texts = list(summary.sort_values("order")["text"])
        placed = place_figures(texts)
        for i, text in enumerate(texts):
            blocks.append(Block("p", inline(text)))
            for name in placed.get(i, []):
                figure = study.figure(name + suffix)
                if figure is not None and figure.name not in shown:
                    blocks.append(Block("figure", figure=figure))
        robustness = _robustness_block(study)
        if robustness is not None:
            blocks.append(robustness)
    for page in [p for p in study.runs if p.notebook.stem == "03_topics"]:
        sentences = [f for f in page.outputs if f.endswith("_summary.csv")]
        if not sentences:
            continue
        blocks.append(Block("p", heading=f"Topics ({page.parameters.get('method', '').upper()})"))
        blocks += intrusion_findings(study, page)
        blocks += topic_findings(study, page)
        difference = next((f for f in page.figures if f.name.endswith("_differences")), None)
        if difference is not None:
            blocks.append(Block("figure", figure=difference))
        table = study.table(sentences[0])
        blocks += [Block("p", inline(t)) for t in table.sort_values("order")["text"]]
    blocks += keyness_findings(study)
    return Section("results", "Results", blocks)


#: Which figure follows which summary bullet: (figure, the starts of the bullet's lead it shows, in
#: order of preference).
FIGURE_LEADS = (
    ("framing_by_audience", ("* **Profiles.**",)),
    ("framing_interviews", ("* **The total difference", "* **Differences in")),
    ("framing_questions_by_audience", ("* **Differences in the journalists' questions",)),
)


def place_figures(texts: list[str]) -> dict[int, list[str]]:
    """Index of the summary bullet each figure of :data:`FIGURE_LEADS` follows: the first bullet
    starting with its most preferred lead (the last bullet if none does)."""
    placed: dict[int, list[str]] = {}
    for name, leads in FIGURE_LEADS:
        hits = [next((i for i, t in enumerate(texts) if t.startswith(lead)), None) for lead in leads]
        at = next((h for h in hits if h is not None), len(texts) - 1)
        placed.setdefault(at, []).append(name)
    return placed


def finding_line(texts: list[str]) -> str | None:
    """The summary bullet the abstract states as the finding: the total difference (the primary
    estimand) if the summary has it, else the differences in the answers."""
    for lead in ("* **The total difference", "* **Differences in"):
        hit = next((t for t in texts if t.startswith(lead)), None)
        if hit is not None:
            return hit
    return None


def _robustness_block(study: Study) -> Block | None:
    """The robustness table of the claims (a CSV with a ``claim`` column a run wrote), if any."""
    for page in study.runs:
        for name in page.outputs:
            if "robust" in name and name.endswith(".csv") and not name.endswith("_words.csv"):
                table = study.table(name)
                if table is not None and "claim" in table.columns:
                    # The claim's sentence names its frame and audiences: their id columns are not repeated.
                    shown = table.drop(columns=[c for c in ("frame", "higher", "lower") if c in table.columns])
                    return Block("table", columns=[c.replace("_", " ") for c in shown.columns],
                                 rows=shown.fillna("").values.tolist(),
                                 caption=f"In which specifications each claim holds ({name})")  # fmt: skip
    return None


def _paragraph_context(study: Study) -> tuple[pd.DataFrame, dict]:
    """The turns (turn_id, doc_id, role, text, in order) and each document's date, from the
    processed tables (empty if they are missing)."""
    turns = study.processed / "turns.csv"
    docs = study.processed / "documents.csv"
    if not (turns.is_file() and docs.is_file()):
        return pd.DataFrame(columns=["turn_id", "doc_id", "role", "text"]), {}
    table = read_csv(turns)[["turn_id", "doc_id", "role", "text"]]
    doc_date = read_csv(docs).set_index("doc_id")["date"].to_dict()
    return table, doc_date


def paragraph_in_context(turns: pd.DataFrame, para_id: str) -> dict | None:
    """Where the paragraph ``para_id`` (``<turn_id>-p<k>``: the k-th non-empty line of the turn)
    sits: ``doc_id``, ``question`` (the text of the nearest interviewer turn before it in the same
    document, "" if none) and ``paragraphs`` (every paragraph of its turn as (id, text, is_it)).
    None if the turn is not in ``turns``."""
    turn_id, _, k = para_id.rpartition("-p")
    rows = turns.index[turns["turn_id"] == turn_id]
    if not len(rows) or not k.isdigit():
        return None
    at = turns.index.get_loc(rows[0])
    turn = turns.iloc[at]
    before = turns.iloc[:at]
    asked = before[(before["doc_id"] == turn["doc_id"]) & (before["role"] == "interviewer")]
    lines = [line.strip() for line in str(turn["text"]).splitlines() if line.strip()]
    paragraphs = [(f"{turn_id}-p{i}", line, f"{turn_id}-p{i}" == para_id) for i, line in enumerate(lines, 1)]
    return {
        "doc_id": turn["doc_id"],
        "question": " ".join(str(asked.iloc[-1]["text"]).split()) if len(asked) else "",
        "paragraphs": paragraphs,
    }


def close_reading(study: Study) -> Section:
    framing = study.run(FRAMING_MEASURE)
    pairwise, examples = study.table("framing_pairwise.csv"), study.table("framing_examples.csv")
    if pairwise is None or examples is None:
        return Section("close-reading", "Close reading", [
            _missing(f"{FRAMING} and {FRAMING_MEASURE} have not written the comparisons and example paragraphs: "
                     "no quotes to show.")
        ])  # fmt: skip
    frames = notable_frames(pairwise)
    coded = study.table("framing_reliability.csv") is not None
    rule = (
        f"For each of the (at most {MAX_QUOTED_FRAMES}) frames with a difference between two audiences at an "
        f"uncorrected p below 0.05, up to {QUOTES_PER_AUDIENCE} of {study.speaker}'s answer paragraphs "
        + (
            "coded as carrying the frame"
            if coded
            else "that the cue detector tags with the frame (there is no coding by reading)"
        )
        + " from each audience, drawn at random with the run's seed, preferring those of at most 80 words "
        "(analysis.audiences.coded.examples). A quote shows what the frame looks like; it is not evidence of how often."
    )
    blocks = [_ps([rule])]
    if not frames:
        blocks.append(_missing("No frame differs between audiences at p < 0.05: no close reading."))
    turns, doc_date = _paragraph_context(study)
    for frame in frames:
        label = study.labels.get(frame, frame)
        chosen = examples[examples["frame"] == label]
        blocks.append(Block("p", heading=label))
        for group, rows in chosen.groupby("audience", sort=False):
            quotes = []
            for r in rows.head(QUOTES_PER_AUDIENCE).itertuples():
                context = paragraph_in_context(turns, r.para_id)
                date = doc_date.get(context["doc_id"], "") if context else ""
                quotes.append({"text": r.text, "outlet": r.outlet, "date": date, "para_id": r.para_id,
                               "href": f"{QUOTES}#{r.para_id}" if context else "", "context": context,
                               "frame": label, "audience": audience_label(group)})  # fmt: skip
            blocks.append(Block("quotes", heading=audience_label(group), quotes=quotes))
    if framing is None:
        blocks.append(_missing(f"No {FRAMING_MEASURE} run in the report definition."))
    return Section("close-reading", "Close reading", blocks)


def limitations(study: Study) -> Section:
    corpus = study.table("corpus_by_audience.csv")
    if corpus is None:
        return Section("limitations", "Limitations", [_missing("01_corpus has not written its corpus table.")])
    coded = study.table("framing_reliability.csv") is not None
    return Section("limitations", "Limitations", [Block("p", inline(s)) for s in limitation_sentences(corpus, coded)])


#: Inputs whose checksums the page shows (the manifest has all).
KEY_INPUTS = ("data/raw/MANIFEST.csv", "data/coding/codebook.yml", "data/coding/frames_coded.csv", "report.yml",
              "corpus.yml", "codebook.yml", "metadata.csv")  # fmt: skip


def reproduce(study: Study) -> Section:
    commit = study.manifest.get("git_commit") or "not recorded (not a git checkout)"
    inputs = study.manifest.get("inputs", {})
    rows = [[name, digest] for name, digest in inputs.items() if name in KEY_INPUTS]
    blocks = [
        Block("p", Markup("On a clone of the repository at commit <code>{}</code>:").format(commit)),
        Block(
            "code",
            "make report   # build the corpus, run every notebook, write this page and study.pdf\n"
            "make test     # check the raw data, build the report, run the tests",
        ),  # fmt: skip
        Block(
            "table",
            columns=["Input", "sha256"],
            rows=rows,
            caption="Checksums of the main inputs (every input is in manifest.json)",
        ),  # fmt: skip
    ]
    return Section("reproduce", "How to reproduce", blocks)


def sections(study: Study) -> list[Section]:
    """The page's sections, in order."""
    builders = (abstract, question, corpus_section, measurement, results, close_reading, limitations, reproduce)
    return [build(study) for build in builders]


# --------------------------------------------------------------------------------------------
# Writing the page and the PDF


def load_study(
    runs: list[RunPage], reports: Path, figures: Path, title: str, corpus_config: Path | None = None
) -> Study:
    """The :class:`Study` of a built report (the seed's if ``corpus_config`` is None)."""
    from ..corpus.settings import load_config
    from ..frames.codebook import load_codebook

    cfg = load_config(corpus_config or config.SEED_CONFIG)
    codebook_path = config.CODEBOOK if corpus_config is None else cfg.codebook
    frames, unit = [], ""
    if codebook_path is not None and Path(codebook_path).is_file():
        frames = [(f.id, f.label, " ".join(f.definition.split())) for f in load_codebook(codebook_path).frames]
        unit = (yaml.safe_load(Path(codebook_path).read_text(encoding="utf-8")) or {}).get("unit", "") or ""
    manifest_path = reports / "manifest.json"
    citation = config.PROJECT_ROOT / "CITATION.cff"
    return Study(
        title=title,
        name=cfg.name,
        speaker=cfg.focal_speaker,
        runs=runs,
        figures=figures,
        reports=reports,
        processed=config.DATA_PROCESSED if corpus_config is None else Path(corpus_config).parent / "processed",
        frames=frames,
        unit=" ".join(unit.split()),
        seed=corpus_config is None,
        manifest=json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {},
        citation=yaml.safe_load(citation.read_text(encoding="utf-8")) if citation.is_file() else {},
    )


def render_study(study: Study, href_figures: str, built: dt.date | None = None, parts=None) -> str:
    """The study page's HTML (``parts``: its :func:`sections`, computed if None)."""
    from .pages import page_templates

    built = built or dt.datetime.now(dt.UTC).date()
    commit = study.manifest.get("git_commit")
    return (
        page_templates()
        .get_template(TEMPLATE)
        .render(
            title=study.title,
            sections=sections(study) if parts is None else parts,
            href_figures=href_figures,
            appendix=APPENDIX,
            manifest="manifest.json",
            commit=commit or "not recorded",
            built=built.isoformat(),
            cite=cite_as(study.citation, commit, built, None if study.seed else study.name),
            pdf="study.pdf",
        )
    )


def build_study(
    runs: list[RunPage], reports: Path, figures: Path, title: str, corpus_config: Path | None = None
) -> Path:
    """Write ``reports/index.html``, the study page; returns its path."""
    from .pages import page_templates

    study = load_study(runs, reports, figures, title, corpus_config)
    parts = sections(study)
    index = reports / "index.html"
    write_text(render_study(study, os.path.relpath(figures, reports).replace(os.sep, "/"), parts=parts), index)
    quotes = [q for part in parts for block in part.blocks if block.kind == "quotes" for q in block.quotes]
    page = (
        page_templates()
        .get_template(QUOTES_TEMPLATE)
        .render(title=study.title, quotes=[q for q in quotes if q["context"]])
    )
    write_text(page, reports / QUOTES)
    return index


class ChromiumMissing(RuntimeError):
    """No headless Chromium to print the PDF with."""


def find_chromium() -> str | None:
    """The headless browser that prints the PDF: Debian's ``chromium`` (or ``chromium-browser``,
    ``google-chrome``), else None."""
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def write_pdf(page: Path, out: Path, chromium: str | None = None) -> Path:
    """Print the study page ``page`` to ``out`` with headless Chromium and the page's print
    stylesheet (A4, page numbers in the margin, figures as the SVG they are shown as, so vector
    graphics; fonts embedded). Nothing is fetched: the page loads only local files and the
    browser runs with networking off. Raises :class:`ChromiumMissing` (one line, with the remedy)
    if Chromium is missing, after removing a PDF of an earlier page at ``out``."""
    chromium = chromium or find_chromium()
    if chromium is None:
        out.unlink(missing_ok=True)
        raise ChromiumMissing(
            f"{out}: not written: the PDF is printed by headless Chromium, which is not installed. "
            "Fix: install it (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) and "
            "run make report again, or build without the PDF: make report PDF=no (the study page index.html "
            "is complete)."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        tmp = out.with_name(f".{out.name}.tmp")
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--allow-file-access-from-files", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             "--virtual-time-budget=20000", f"--print-to-pdf={tmp}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if result.returncode != 0 or not tmp.is_file():
            raise SystemExit(f"{out}: Chromium could not print {page}: {result.stderr.strip()[-500:]}")
        tmp.replace(out)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "pdf":
        sys.exit("usage: python -m analysis.report.study pdf reports/index.html reports/study.pdf")
    try:
        write_pdf(Path(sys.argv[2]), Path(sys.argv[3]))
    except ChromiumMissing as missing:
        # One line, not a traceback, and exit 2 so that make never records the PDF as built.
        print(f"make report: {missing}", file=sys.stderr)
        sys.exit(2)
