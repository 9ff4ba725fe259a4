"""Frames by audience and how sure we are, each analysis one call returning its result tables and
sentences (04_framing_2_audiences).

Shares are per interview (:func:`analysis.audiences.coded.frame_shares`: the share of the focal
speaker's answer paragraphs, or of their words, carrying each frame, 0 to 1); audiences are
compared over interviews. Every bundle's ``tables`` maps an output name (``framing_*``, without the
run's suffix) to the table the notebook writes as ``<name><suffix>.csv``. ``group_label`` turns an
audience group into the words a sentence uses (the notebooks pass
:func:`analysis.figures.style.audience_label`); ``label`` is the translation label of a pair
(:func:`analysis.audiences.confounders.translation_label`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..frames.codebook import Codebook
from ..frames.cues import score_baseline
from ..frames.evaluation import agreement
from ..stats.detectable import detectable_table
from ..stats.intervals import group_intervals, power_table, welch_table
from ..stats.pooling import drop_small, pooled_shares, profile_changes
from ..stats.sentences import power_line, profile_line, small_line
from .bundle import Bundle
from .classifier import classify_audience, frame_profiles, function_word_features, word_features
from .coded import coded_and_detected, coded_pairs, detect, errors_by_group, frame_shares, model_table
from .comparisons import compare_audiences, frame_uptake, leave_one_out, robustness_table
from .confounders import common_window, label_contrasts, translation_balance, window_check
from .estimands import TOTAL_COVARIATES, conditional_effects, hypothesis_tests, positivity_table, total_effects
from .robustness import claims_from, framing_cells, robustness_matrix
from .sentences import (
    balanced_power_line,
    classifier_line,
    conditional_line,
    hypotheses_line,
    robustness_line,
    summary_lines,
    total_line,
    translation_line,
    window_line,
)


def select_hypotheses(hypotheses: Sequence, audiences: Sequence[str]) -> list[tuple[str, str, str]]:
    """The pre-specified hypotheses, (frame, audience expected higher, audience expected lower), whose
    two audiences are both compared."""
    return [tuple(h) for h in hypotheses if h[1] in audiences and h[2] in audiences]


@dataclass
class Shares(Bundle):
    """``shares``: one row per interview of the corpus's groups (frame columns 0-1); ``means``: per
    audience and frame the mean over interviews with a 95% interval within 0-1 (columns frame,
    group, n, mean, low, high); ``order``: frames by their mean over the compared audiences, highest
    first."""

    shares: pd.DataFrame = None
    means: pd.DataFrame = None
    order: list = None


def measure_shares(
    paragraphs: pd.DataFrame, ids: Sequence[str], groups: Sequence[str], audiences: Sequence[str], weight: str
) -> Shares:
    """Each interview's share of answer paragraphs (``weight`` "paragraphs") or words ("words")
    carrying each frame, and the audiences' means (:func:`group_intervals`, share intervals)."""
    shares = frame_shares(paragraphs, ids, weight=weight)
    shares = shares[shares["audience"].isin(groups)]
    means = group_intervals(shares, ids, share=True).rename(columns={"column": "frame"})
    in_audiences = means[means["group"].isin(audiences)]
    order = in_audiences.groupby("frame")["mean"].mean().sort_values(ascending=False).index.tolist()
    tables = {"framing_shares_by_interview": shares, "framing_by_audience": means}
    return Shares(tables, "", shares, means, order)


@dataclass
class Weightings(Bundle):
    """The audiences' means under three weightings (``weightings``: name -> table as ``means``) and
    ``profiles`` (:func:`analysis.stats.pooling.profile_changes`: each audience's three most frequent
    frames under each, and whether they changed)."""

    weightings: dict = None
    profiles: pd.DataFrame = None

    def shown(self, ids: Sequence[str], audiences: Sequence[str], labels: dict) -> pd.DataFrame:
        """Frames as rows, (audience, weighting) as columns, the mean share in each cell."""
        both = pd.concat([t[["frame", "group", "mean"]].assign(weighting=k) for k, t in self.weightings.items()])
        both = both[both["group"].isin(audiences)]
        return (
            both.pivot_table(index="frame", columns=["group", "weighting"], values="mean")
            .reindex(ids)
            .rename(index=labels)
        )


def reweigh_shares(
    shares: Shares, ids: Sequence[str], audiences: Sequence[str], min_paragraphs: int, labels: dict, group_label=str
) -> Weightings:
    """The equal-weight means beside the means without interviews under ``min_paragraphs`` answer
    paragraphs and the precision-weighted (random-effects) means, with the sentences on both."""
    without_small = group_intervals(drop_small(shares.shares, min_paragraphs), ids, share=True)
    without_small = without_small.rename(columns={"column": "frame"})
    pooled = pooled_shares(shares.shares, ids)
    weighted = {"equal weights": shares.means, f"without interviews under {min_paragraphs} paragraphs": without_small,
                "precision-weighted": pooled}  # fmt: skip
    profiles = profile_changes({k: v[v["group"].isin(audiences)] for k, v in weighted.items()})
    tables = {"framing_by_audience_pooled": pooled, "framing_by_audience_without_small": without_small,
              "framing_profiles_by_weighting": profiles}  # fmt: skip
    text = small_line(shares.shares, min_paragraphs, group_label) + "\n\n" + profile_line(profiles, labels, group_label)
    return Weightings(tables, text, weighted, profiles)


@dataclass
class Pairwise(Bundle):
    """``tests``: per pair of audiences and frame the difference of means, permutation p, Holm's
    ``p_holm`` and ``clear``, Welch's interval (``welch_low``, ``welch_high``, ``welch_p``) and the
    ``translation`` label (:func:`analysis.audiences.comparisons.compare_audiences`)."""

    tests: pd.DataFrame = None

    def shown(self, labels: dict) -> pd.DataFrame:
        """The differences with an uncorrected p below 0.05, frames by label."""
        return self.tests[self.tests["p"] < 0.05].assign(frame=lambda t: t["frame"].map(labels))


def compare_pairs(
    shares: Shares, ids: Sequence[str], pairs: Sequence[tuple[str, str]], label: Callable, n_resamples: int, seed: int
) -> Pairwise:
    """Permutation tests over interviews with Holm's correction for every pair and frame, beside
    Welch's intervals."""
    tests = compare_audiences(shares.shares, ids, pairs, n_resamples=n_resamples, seed=seed)
    welch = welch_table(shares.shares, ids, pairs)
    welch = welch.rename(columns={"column": "frame", "low": "welch_low", "high": "welch_high", "p": "welch_p"})
    welch = welch[["group_a", "group_b", "frame", "welch_low", "welch_high", "welch_p"]]
    tests = tests.drop(columns=["low", "high"]).merge(welch, on=["group_a", "group_b", "frame"])
    tests = tests.pipe(label_contrasts, label)
    shown = int((tests["p"] < 0.05).sum())
    text = (f"**{int(tests['clear'].sum())}** of {len(tests)} differences survive the correction; "
            f"{shown} have an uncorrected p < 0.05 (about {0.05 * len(tests):.0f} would by chance alone).")  # fmt: skip
    return Pairwise({"framing_pairwise": tests}, text, tests)


@dataclass
class Total(Bundle):
    """The total audience difference (the primary estimand): ``modelled`` (one row per answer
    paragraph, :func:`analysis.audiences.coded.model_table`), ``effects`` (odds ratios with CR1 and,
    suffixed ``_cr2``, CR2 intervals and Holm's p), ``effects_cr2`` and ``tested`` (the hypotheses,
    None without any) with ``hypotheses_text``."""

    modelled: pd.DataFrame = None
    effects: pd.DataFrame = None
    effects_cr2: pd.DataFrame = None
    tested: pd.DataFrame | None = None
    hypotheses_text: str = ""


def estimate_total(
    paragraphs: pd.DataFrame, ids: Sequence[str], audiences: Sequence[str], label: Callable,
    hypotheses: Sequence[tuple[str, str, str]], seen: str, labels: dict, group_label=str,
) -> Total:  # fmt: skip
    """Logistic models of every answer paragraph adjusted for the day only, with CR1 and CR2 errors
    (:func:`analysis.audiences.estimands.total_effects`), the smallest detectable odds ratios and the
    pre-specified hypotheses tested on them."""
    modelled = model_table(paragraphs, ids)
    effects = total_effects(modelled, ids, audiences).pipe(label_contrasts, label)
    effects_cr2 = total_effects(modelled, ids, audiences, errors="CR2")
    cr2 = effects_cr2[["frame", "group_a", "group_b", "low", "high", "p_holm"]]
    effects = effects.merge(cr2, on=["frame", "group_a", "group_b"], suffixes=("", "_cr2"))
    tables = {"framing_models": effects, "framing_detectable": detectable_table(effects)}
    text = (f"{len(modelled)} answer paragraphs in {modelled.doc_id.nunique()} interviews; "
            f"**{int((effects.p_holm < 0.05).sum())}** of {len(effects)} total contrasts survive Holm's correction "
            "with CR1 errors, "
            f"**{int((effects.p_holm_cr2 < 0.05).sum())}** with CR2 errors.")  # fmt: skip
    tested, tested_text = None, ""
    if hypotheses:
        tested = hypothesis_tests(effects, effects_cr2, hypotheses).pipe(label_contrasts, label, "higher", "lower")
        tables["framing_hypotheses"] = tested
        tested_text = hypotheses_line(tested, labels, group_label, label, seen)
    return Total(tables, text, modelled, effects, effects_cr2, tested, tested_text)


@dataclass
class Given(Bundle):
    """The second estimand, given what was asked: ``positivity`` (answers after a question raising
    the frame, per frame and audience) and ``given`` (the contrasts of the audience x question model)."""

    positivity: pd.DataFrame = None
    given: pd.DataFrame = None


def estimate_given_question(
    total: Total, ids: Sequence[str], audiences: Sequence[str], label: Callable, labels: dict, group_label=str
) -> Given:
    """:func:`analysis.audiences.estimands.conditional_effects` with its positivity table."""
    positivity = positivity_table(total.modelled, ids, audiences)
    given = conditional_effects(total.modelled, ids, audiences).pipe(label_contrasts, label)
    text = conditional_line(given, total.effects, labels, group_label, label)
    return Given({"framing_positivity": positivity, "framing_models_given_question": given}, text, positivity, given)


@dataclass
class Confounders(Bundle):
    """The matched date window (``window``: the hypotheses in it beside all interviews; ``dates``:
    first and last day, or None) and ``balance`` (:func:`translation_balance`), with ``window_text``."""

    window: pd.DataFrame = None
    dates: tuple | None = None
    balance: pd.DataFrame = None
    window_text: str = ""


def check_confounders(
    total: Total, shares: Shares, hypotheses: Sequence, date_window, audiences: Sequence[str],
    pairs: Sequence[tuple[str, str]], labels: dict, group_label=str,
) -> Confounders:  # fmt: skip
    """The hypotheses estimated again (total difference, CR2) in ``date_window`` (None: the days on
    which every compared audience was interviewed), and the pairs in which translation is balanced."""
    dates = date_window or common_window(shares.shares, audiences)
    checked = bool(hypotheses and dates)
    window = (window_check(total.modelled, shares.shares, hypotheses, dates, TOTAL_COVARIATES, errors="CR2")
              if checked else pd.DataFrame())  # fmt: skip
    balance = translation_balance(shares.shares, pairs)
    nothing = (
        "No day on which every audience was interviewed: no matched window."
        if hypotheses
        else "No hypotheses to check."
    )
    window_text = window_line(window, dates, labels, group_label) if checked else nothing
    text = window_text + "\n\n" + translation_line(balance, group_label)
    return Confounders({"framing_window": window}, text, window, dates, balance, window_text)


def compute_power(
    shares: Shares, audiences: Sequence[str], pairs: Sequence[tuple[str, str]], n_tests: int
) -> pd.DataFrame:
    """:func:`analysis.stats.intervals.power_table` for the compared audiences' interviews."""
    sizes = shares.shares[shares.shares["audience"].isin(audiences)].groupby("audience").size().to_dict()
    return power_table(sizes, pairs, n_tests=n_tests)


@dataclass
class Detector(Bundle):
    """The cue detector beside the coding: ``validation`` (precision, recall, F1, kappa per frame of
    the codebook's cues and the one-keyword baseline), ``side`` (audience means by coding and by
    detector), ``errors`` (precision and recall by audience) and ``errors_text``; all None without a
    coding."""

    validation: pd.DataFrame | None = None
    side: pd.DataFrame | None = None
    errors: pd.DataFrame | None = None
    errors_text: str = ""


def judge_detector(
    paragraphs: pd.DataFrame, shares: Shares, codebook: Codebook, weight: str, audiences: Sequence[str],
    labels: dict, coded: bool, corpus: str,
) -> Detector:  # fmt: skip
    """The cue detector (:func:`analysis.audiences.coded.detect`) judged against the full coding of
    every paragraph, its audience means beside the coded ones, and its errors by audience."""
    if not coded:
        return Detector(text=f"The cue detector has **not been validated on {corpus}**: there is no coding by "
                             "reading to compare it with (`coding:` in corpus.yml).")  # fmt: skip
    ids = codebook.ids
    detected = detect(paragraphs, codebook)
    truth = paragraphs[ids].reset_index(drop=True)
    baseline = (score_baseline(list(paragraphs["text"]), codebook) > 0).astype(int)
    by_cues, by_keyword = agreement(detected[ids], truth, ids), agreement(baseline, truth, ids)
    validation = pd.concat(
        [by_cues.assign(detector="codebook"), by_keyword.assign(detector="baseline")], ignore_index=True
    )
    macro = validation[validation["frame"] == "macro"].set_index("detector")["f1"]
    side = coded_and_detected(shares.shares, frame_shares(detected, ids, weight=weight), ids)
    errors = errors_by_group(paragraphs[paragraphs["role"] == "focal"], detected[detected["role"] == "focal"], ids)
    errors = errors[errors["audience"].isin(audiences)]
    text = (f"Against the coding of all {len(paragraphs)} paragraphs the cue detector reaches a **macro-F1 of "
            f"{macro['codebook']:.2f}** (one keyword per frame: {macro['baseline']:.2f}).")  # fmt: skip
    tables = {"framing_validation": validation, "framing_detector_vs_coding": side,
              "framing_detector_errors_by_audience": errors}  # fmt: skip
    return Detector(tables, text, validation, side, errors, _uneven_line(errors, labels))


def _uneven_line(errors: pd.DataFrame, labels: dict) -> str:
    spread = errors[errors.frame != "macro"].groupby("frame")[["precision", "recall"]].agg(lambda s: s.max() - s.min())
    uneven = spread[(spread["precision"] > 0.2) | (spread["recall"] > 0.2)].index.tolist()
    return ("Frames whose precision or recall differ by more than 0.2 between audiences: "
            + (", ".join(labels[f] for f in uneven) if uneven else "none") + ". Detected differences in these "
            "frames partly reflect the detector, not the speaker.")  # fmt: skip


@dataclass
class Questions(Bundle):
    """The journalists' side: ``means`` (per audience and frame, the mean share of question
    paragraphs, as :class:`Shares`) and ``tests`` (pairwise, as :class:`Pairwise`)."""

    means: pd.DataFrame = None
    tests: pd.DataFrame = None


def compare_questions(
    paragraphs: pd.DataFrame, ids: Sequence[str], groups: Sequence[str], pairs: Sequence[tuple[str, str]],
    label: Callable, weight: str, n_resamples: int, seed: int,
) -> Questions:  # fmt: skip
    """The frames of the journalists' questions by audience, with the same corrected tests."""
    asked = frame_shares(paragraphs, ids, role="interviewer", weight=weight)
    asked = asked[asked["audience"].isin(groups)]
    means = group_intervals(asked, ids, share=True).rename(columns={"column": "frame"})
    tests = compare_audiences(asked, ids, pairs, n_resamples=n_resamples, seed=seed).pipe(label_contrasts, label)
    text = (f"**{int(tests['clear'].sum())}** of {len(tests)} differences between the audiences' "
            "questions survive Holm's correction.")  # fmt: skip
    return Questions({"framing_questions_by_audience": means, "framing_questions_pairwise": tests}, text, means, tests)


@dataclass
class Uptake(Bundle):
    """Questions with their answers: ``uptake`` per frame (share of answers taking up a frame the
    question raised, ``introduced_share``: bringing in one it did not), ``by_audience`` the same per
    audience and ``steering`` (per compared audience: questions and the means over frames)."""

    uptake: pd.DataFrame = None
    by_audience: pd.DataFrame = None
    steering: pd.DataFrame = None


def measure_uptake(paragraphs: pd.DataFrame, ids: Sequence[str], audiences: Sequence[str]) -> Uptake:
    """:func:`analysis.audiences.comparisons.frame_uptake` over the interviews' coded question-answer pairs."""
    qa = coded_pairs(paragraphs[paragraphs["kind"] == "interview"], ids)
    overall, by_audience = frame_uptake(qa, ids), frame_uptake(qa, ids, by="audience")
    steering = by_audience[by_audience["audience"].isin(audiences)].groupby("audience").apply(lambda t: pd.Series({
        "questions": t["questions"].iat[0],
        "answers bring in an unasked frame (mean over frames)": t["introduced_share"].mean(),
        "answers take up the question's frame (mean over frames)": t["uptake"].mean(),
    }), include_groups=False)  # fmt: skip
    text = f"{len(qa)} questions with their answers in {qa['doc_id'].nunique()} interviews."
    return Uptake({"framing_uptake_by_audience": by_audience}, text, overall, by_audience, steering)


@dataclass
class OneInterview(Bundle):
    """``loo``: each pairwise difference refitted leaving out every interview in turn; ``robust``:
    the pairwise tests with ``holds`` and ``translation_confounded``; ``candidates``: its rows with p
    below 0.05."""

    loo: pd.DataFrame = None
    robust: pd.DataFrame = None
    candidates: pd.DataFrame = None


def leave_one_interview_out(
    shares: Shares, pairwise: Pairwise, ids: Sequence[str], pairs: Sequence[tuple[str, str]], label: Callable, seed: int
) -> OneInterview:
    """Whether each pairwise difference survives leaving out any one interview (999 permutations a refit)."""
    loo = leave_one_out(shares.shares, ids, pairs, n_resamples=999, seed=seed)
    robust = robustness_table(pairwise.tests, loo, None, shares.shares).pipe(label_contrasts, label)
    candidates = robust[robust["p"] < 0.05]
    text = (f"Of the {len(candidates)} differences with p < 0.05, **{int(candidates['holds'].sum())}** hold when any "
            f"one interview is left out, and **{int(candidates['translation_confounded'].sum())}** compare a "
            "translated "
            "audience with an English one.")  # fmt: skip
    return OneInterview({"framing_robustness": robust}, text, loo, robust, candidates)


@dataclass
class Claims(Bundle):
    """One row per claim of the summary, one column per specification (``table``,
    :func:`analysis.audiences.robustness.robustness_matrix`), from ``cells``."""

    cells: pd.DataFrame = None
    table: pd.DataFrame = None


def check_claims(
    paragraphs: pd.DataFrame, ids: Sequence[str], groups: Sequence[str], audiences: Sequence[str],
    shares: Shares, pairwise: Pairwise, total: Total, loo: OneInterview, dates, min_paragraphs: int,
    label: Callable, labels: dict, group_label=str, where: str = "",
) -> Claims:  # fmt: skip
    """Every pre-specified hypothesis and every difference surviving Holm's correction (interview
    means or total model) under every specification; ``where`` names the claims table's file."""
    effects = total.effects
    found = claims_from(total.tested, [pairwise.tests, effects[~effects["note"].str.contains("edge|separation")]])
    word_shares = frame_shares(paragraphs, ids, weight="words")
    word_shares = word_shares[word_shares["audience"].isin(groups)]
    cells = framing_cells(found, shares.shares, word_shares, total.modelled, loo.loo, audiences, dates, min_paragraphs)
    table = robustness_matrix(cells, found, label)
    text = robustness_line(table, labels, group_label, where)
    return Claims({"framing_robustness_cells": cells, "framing_robustness_claims": table}, text, cells, table)


@dataclass
class Classifier(Bundle):
    """``results``: per feature set :func:`classify_audience`'s result; ``summary``: one row per
    feature set (interviews, balanced accuracy, accuracy, majority baseline, shuffled labels, p,
    recall per audience)."""

    results: dict = None
    summary: pd.DataFrame = None


def classify_audiences(
    turns: pd.DataFrame, audiences: Sequence[str], codebook: Codebook, n_permutations: int, seed: int
) -> Classifier:
    """The nearest-centroid classifier on the frame profile, tf-idf words and function words only."""
    profile, chunks = frame_profiles(turns, audiences, "focal", codebook)
    feature_sets = {"frame profile": (profile, chunks), "words (tf-idf)": word_features(turns, audiences),
                    "function words only (negative control)": function_word_features(turns, audiences)}  # fmt: skip
    results = {name: classify_audience(X, units["audience"], units["doc_id"], n_permutations, seed)
               for name, (X, units) in feature_sets.items()}  # fmt: skip
    summary = pd.DataFrame({name: {"interviews": r["n_interviews"], "balanced accuracy": r["balanced_accuracy"],
                                   "accuracy": r["accuracy"], "majority baseline": r["majority"],
                                   "shuffled labels (mean)": r["chance"], "p": r["p"],
                                   **{f"recall {g}": v for g, v in r["recall"].items()}}
                            for name, r in results.items()}).T  # fmt: skip
    return Classifier({"framing_classifier": summary.reset_index(names="features")}, "", results, summary)


def summarise_framing(
    alpha: pd.DataFrame | None, shares: Shares, weighted: Weightings, pairwise: Pairwise, total: Total,
    given: Given, checks: Confounders, power: pd.DataFrame, detector: Detector, asked: Questions,
    loo: OneInterview, claimed: Claims, classifier: Classifier, audiences: Sequence[str], n_coded: int,
    speaker: str, labels: dict, group_label=str, label: Callable = lambda a, b: "", seen: str = "",
) -> list[str]:  # fmt: skip
    """The summary's bullets (:func:`analysis.audiences.sentences.summary_lines` with the primary
    estimand, the hypotheses, the profiles, the second estimand, translation, robustness, the
    classifier, the date window and power), in the order the study page reads them."""
    means = shares.means
    in_audiences = means[means["group"].isin(audiences)]
    in_audiences = in_audiences.sort_values("group", key=lambda g: g.map(audiences.index), kind="stable")
    side = None if detector.side is None else detector.side[detector.side["group"].isin(audiences)]
    robust = loo.robust
    confounded = set(zip(robust.group_a[robust.translation_confounded], robust.group_b[robust.translation_confounded]))
    lines = summary_lines(alpha, pairwise.tests, asked.tests, in_audiences, side, labels, group_label=group_label,
                          n_coded=n_coded, confounded=confounded, speaker=speaker)  # fmt: skip
    primary = [total_line(total.effects, total.effects_cr2, labels, group_label, label)]
    if total.tested is not None:
        primary.append(hypotheses_line(total.tested, labels, group_label, label, seen))
    lines[2:2] = [profile_line(weighted.profiles, labels, group_label), *primary]
    lines.append(conditional_line(given.given, total.effects, labels, group_label, label))
    lines.append(balanced_power_line(checks.balance, power, len(pairwise.tests), group_label))
    lines.append(claimed.text)
    lines.append(classifier_line(*classifier.results.values()))
    lines.append(f"* {checks.window_text}")
    lines.append(power_line(power, len(pairwise.tests), group_label))
    return lines
