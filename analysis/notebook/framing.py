"""What the three framing notebooks (04_framing_1_measure, _2_audiences, _3_model) share: the
corpus, codebook, coding and paragraphs they run on (:func:`load_framing`, one call), the
writing of a bundle's tables, and their figures with their captions (``save_*``: one call each).

Every notebook computes what it shows from the corpus and the coding, never from another run's
output, so the three runs are independent in the build graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..audiences.coded import detect, paragraph_table
from ..audiences.comparisons import with_weeks
from ..audiences.confounders import translation_note
from ..coding.reliability import coder_files
from ..coding.sheets import coded_frames, load_coding, uncoded
from ..coding.units import coding_units
from ..corpus import load_documents, load_turns
from ..corpus.settings import CorpusConfig
from ..figures.plots import (
    plot_coded_vs_detected,
    plot_group_heatmap,
    plot_interview_points,
    plot_learning_curve,
    plot_method_f1,
    plot_timeline,
    save_figure,
)
from ..figures.style import audience_label
from ..frames.codebook import Codebook, load_codebook
from ..io import write_csv
from ..stats.resampling import pairs_of
from .about import check_groups, coding_folder, coding_kind, corpus_name, end_here, setting, short_name, week_start


@dataclass
class Framing:
    """A framing notebook's corpus: ``cfg`` and its ``codebook``, the ``figures`` folder, the
    compared ``audiences``, the speaker's short name, the corpus tables (``turns`` with metadata,
    ``documents``), the coding ``units``, the ``coding`` by reading (None without one) and the file
    it came from, ``paragraphs`` (every unit with 0/1 frame columns: coded, else detected by cues),
    the share ``weight`` and ``note`` (what the notebook says first; empty with a coding)."""

    cfg: CorpusConfig
    codebook: Codebook
    figures: Path
    audiences: list[str]
    speaker: str
    turns: pd.DataFrame
    documents: pd.DataFrame
    units: pd.DataFrame
    coding: pd.DataFrame | None
    coding_path: Path | None
    paragraphs: pd.DataFrame
    weight: str
    note: str

    @property
    def ids(self) -> list[str]:
        return self.codebook.ids

    @property
    def labels(self) -> dict:
        return self.codebook.labels

    @property
    def coded(self) -> bool:
        return self.coding is not None

    @property
    def measure(self) -> str:
        return "coded" if self.coded else "detected"

    @property
    def suffix(self) -> str:
        """What every output name ends with: nothing for shares by paragraphs, ``_words`` by words."""
        return "" if self.weight == "paragraphs" else f"_{self.weight}"

    @property
    def share_of(self) -> str:
        return "share of paragraphs" if self.weight == "paragraphs" else "share of words"

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return pairs_of(self.audiences)

    @property
    def groups(self) -> list[str]:
        """The corpus's audience groups (the compared ``audiences`` are some of them)."""
        return list(self.cfg.audience_groups)

    @property
    def people(self) -> dict[str, Path]:
        """Each person's coding found in the corpus's coding folder (coder -> file); none without a coding."""
        return coder_files(coding_folder(self.cfg)) if self.coded else {}

    @property
    def start(self) -> pd.Timestamp:
        """Day 0 of the week count (:func:`analysis.notebook.about.week_start`)."""
        return week_start(self.cfg, self.documents)

    @property
    def description(self) -> str:
        units = self.units
        return (
            f"{len(units)} paragraphs {self.measure} ({(units.role == 'focal').sum()} of answers, "
            f"{(units.role == 'interviewer').sum()} of questions) in {units.doc_id.nunique()} documents; "
            f"{len(self.ids)} frames; audiences {self.audiences}"
        )

    def write(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write each table as ``<name><suffix>.csv`` in the figures folder."""
        for name, table in tables.items():
            write_csv(table, self.figures / f"{name}{self.suffix}.csv")

    def save(self, fig, name: str, caption: str) -> None:
        save_figure(fig, f"{name}{self.suffix}", self.figures, caption=caption)


def load_framing(
    processed_dir=None,
    figures_dir=None,
    corpus_config=None,
    audiences: Sequence[str] | None = None,
    weight: str = "paragraphs",
    coding_file=None,
) -> Framing:
    """The corpus a framing notebook runs on (the notebooks' path parameters, as
    :func:`analysis.notebook.about.setting`); ``audiences`` None means every audience group. Ends
    the notebook with a sentence saying why (:func:`end_here`) when the corpus has no codebook. The
    paragraphs are the coding's (``coding_file``, else the corpus's ``coding:``; every unit must be
    coded) or, without a coding, the cue detector's, and ``note`` says so."""
    processed, figures, cfg = setting(processed_dir, figures_dir, corpus_config)
    audiences = check_groups(audiences or cfg.audience_groups, cfg)
    codebook = load_codebook(cfg.codebook) if cfg.codebook else None
    if codebook is None:
        end_here(
            f"**{corpus_name(cfg)} has no codebook** (`codebook:` in its corpus.yml), so there are no frames to "
            "measure: framing is skipped. Write one (the starter's codebook.yml shows the format) to run it."
        )
    ids, coding_path = codebook.ids, coding_file or cfg.coding
    turns, documents = load_turns(processed, with_metadata=True), load_documents(processed)
    units = coding_units(turns, raw_dir=cfg.texts)
    coding, note = None, ""
    if coding_path is not None:
        coding = load_coding(coding_path, ids)
        missing = uncoded(coding, units)
        assert not missing, (
            f"{len(missing)} paragraphs are not coded, e.g. {missing[:3]}: code them first (data/coding/README.md)"
        )
        paragraphs = paragraph_table(units, coded_frames(coding, "final", ids), documents)
    else:
        paragraphs = paragraph_table(units, detect(units, codebook)[["para_id", *ids]], documents)
        note = (
            f"**No coding by reading** for {corpus_name(cfg)} (`coding:` in its corpus.yml): the frames below are "
            "the cue detector's, which has **not been validated on this corpus**."
        )
    return Framing(cfg, codebook, figures, audiences, short_name(cfg), turns, documents, units, coding,
                   coding_path, paragraphs, weight, note)  # fmt: skip


def save_audience_figures(f: Framing, shares: pd.DataFrame, means: pd.DataFrame, order: list[str]) -> None:
    """The heat map of the audiences' mean shares (``framing_by_audience``) and every interview as
    a point (``framing_interviews``), frames in ``order``."""
    shown = means.assign(frame=lambda t: pd.Categorical(t["frame"], order, ordered=True)).sort_values("frame")
    share_of, speaker, measure = f.share_of, f.speaker, f.measure
    title = f"Frames by audience: {share_of} of {speaker}'s answers carrying each frame ({measure})"
    fig = plot_group_heatmap(shown, "frame", "mean", f.labels, f.groups, percent=True, title=title,
                             colorbar_label=f"Mean {share_of} (%)",
                             xlabel="Cells: mean over interviews [95% interval, kept within 0-100%]")  # fmt: skip
    f.save(fig, "framing_by_audience", caption=(
        f"{measure.capitalize()} frames in {speaker}'s answers by audience: {share_of} carrying each frame, mean over "
        "interviews with 95% intervals kept within 0-100% (Korn and Graubard's interval for a share over a few "
        "interviews). " + translation_note(shares, f.audiences, audience_label)))  # fmt: skip
    title = f"Every interview: {share_of} of {speaker}'s answers carrying each frame ({measure})"
    fig = plot_interview_points(
        shares, order, f.labels, f.audiences, ylabel=f"{share_of.capitalize()} (%)", title=title
    )
    f.save(fig, "framing_interviews", caption=(
        f"Each interview as a point ({share_of} of {speaker}'s answer paragraphs {measure} with the frame; size: "
        "paragraphs), the bar its audience's mean."))  # fmt: skip


def save_question_figure(f: Framing, asked_means: pd.DataFrame, order: list[str]) -> None:
    """The heat map of the frames in the journalists' questions (``framing_questions_by_audience``)."""
    shown = asked_means.assign(frame=lambda t: pd.Categorical(t["frame"], order, ordered=True)).sort_values("frame")
    share_of, measure = f.share_of, f.measure
    fig = plot_group_heatmap(shown, "frame", "mean", f.labels, f.groups, percent=True,
                             title=f"Frames in the journalists' questions: {share_of} ({measure})",
                             colorbar_label=f"Mean {share_of} (%)",
                             xlabel="Cells: mean over interviews [95% interval, kept within 0-100%]")  # fmt: skip
    f.save(fig, "framing_questions_by_audience", caption=(
        f"{measure.capitalize()} frames in the journalists' questions by audience: {share_of} of question paragraphs, "
        "mean over interviews with 95% intervals kept within 0-100% (Korn and Graubard)."))  # fmt: skip


def save_detector_figure(f: Framing, side: pd.DataFrame) -> None:
    """The audience means by the cue detector against the coding (``framing_detector_vs_coding``)."""
    fig = plot_coded_vs_detected(
        side, f.labels, f.audiences, title="Audience means: the cue detector against the coding"
    )
    f.save(fig, "framing_detector_vs_coding", caption=(
        f"For each audience and frame, the mean share of {f.speaker}'s answer paragraphs carrying the frame by the "
        "coding (x) and by the cue detector (y); on the dashed line they agree. Frames off by 8 points or more are "
        "named."))  # fmt: skip


def save_timeline(f: Framing, weekly: pd.DataFrame, shares: pd.DataFrame, order: list[str], events: dict) -> None:
    """The six most frequent frames week by week (``framing_timeline``), every interview as a point."""
    fig = plot_timeline(weekly, order[:6], f.labels, events,
                        title=f"The six most frequent frames, week by week ({f.measure})",
                        ylabel=f"{f.share_of.capitalize()} (%)", points=with_weeks(shares, f.start),
                        groups=f.groups)  # fmt: skip
    f.save(fig, "framing_timeline", caption=(
        f"Weekly means of the {f.share_of} of {f.speaker}'s answers carrying the six most frequent frames, over the "
        "interviews given that week (n below each week), with 95% intervals kept within 0-100% and every interview "
        "as a point in its audience's colour: weeks differ in their audiences"
        + (f"; dashed lines mark {', '.join(events.values())}." if events else ".")))  # fmt: skip


def save_model_figure(f: Framing, evaluation: pd.DataFrame, methods: list[str], folds: int, n_documents: int) -> None:
    """F1 of each frame by method on held-out interviews (``framing_model_evaluation``)."""
    kind = coding_kind(f.coding_path)
    fig = plot_method_f1(evaluation, f.labels, methods, title="Frames on held-out interviews: model, cues, keyword",
                         agreement_label=f"agreement of two {kind} (alpha)")  # fmt: skip
    f.save(fig, "framing_model_evaluation", caption=(
        f"F1 of each frame on interviews the model never saw ({folds}-fold grouped cross-validation over "
        f"{n_documents} documents), 95% intervals from resampling interviews; bar: agreement of two "
        f"{kind} (alpha); dashed and dotted lines: the 0.85 and 0.65 targets."))  # fmt: skip


def save_learning_curve(f: Framing, curve: pd.DataFrame) -> None:
    """Held-out F1 against coded paragraphs (``framing_model_learning_curve``)."""
    fig = plot_learning_curve(curve, f.labels, title="Learning curve: held-out F1 against coded paragraphs")
    f.save(fig, "framing_model_learning_curve", caption=(
        "Held-out F1 of each frame (thin) and macro-F1 (thick) against the mean number of coded paragraphs the model "
        "learned from (random shares of the training interviews, grouped folds); dashed and dotted: the 0.85 and "
        "0.65 targets."))  # fmt: skip
