"""The frame model judged on interviews it never saw, and audience estimates from a coded sample
by design-based supervised learning, each one call returning its result tables and sentences
(04_framing_3_model).

The model (:mod:`analysis.frames.model`) is judged against the adjudicated coding with grouped
cross-validation beside the cue dictionary, the one-keyword baseline and the agreement of the two
codings (:mod:`analysis.frames.evaluation`); DSL (:mod:`analysis.frames.dsl`) is checked against
the full coding's audience means. Every bundle's ``tables`` maps an output name (``framing_*``,
without the run's suffix) to the table the notebook writes as ``<name><suffix>.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..coding.sample import stratified_sample
from ..coding.sheets import coded_frames
from ..frames.codebook import Codebook
from ..frames.cues import score_baseline
from ..frames.dsl import beside_full, crossfit_predictions, dsl_estimates, recovery, redraw_check
from ..frames.evaluation import by_group, compare_methods, heldout_predictions, target_verdicts
from ..frames.model import training_table
from ..frames.sentences import bounds_line, recovery_line, redraw_line, target_line
from ..stats.intervals import group_intervals, welch_table
from .bundle import Bundle
from .coded import detect, frame_shares


@dataclass
class HeldOut(Bundle):
    """``table``: every coded paragraph with its coding (:func:`analysis.frames.model.training_table`);
    ``gold``: its frame columns; ``candidates``: method -> 0/1 predictions on held-out interviews
    (model, cue dictionary, one keyword); ``evaluation``: per method and frame (and ``macro``)
    precision, recall, F1 and kappa with 95% cluster-bootstrap intervals and ``coding_agreement``
    (alpha of the two codings); ``settings``: the model's settings per fold and frame."""

    table: pd.DataFrame = None
    gold: pd.DataFrame = None
    candidates: dict = None
    evaluation: pd.DataFrame = None

    def shown(self, ids: Sequence[str]) -> pd.DataFrame:
        """F1 with frames as rows and methods as columns."""
        return self.evaluation.pivot(index="frame", columns="method", values="f1").reindex([*ids, "macro"])


def evaluate_heldout(
    units: pd.DataFrame, coding: pd.DataFrame, codebook: Codebook, alpha: pd.DataFrame, labels: dict,
    folds: int = 7, n_boot: int = 2000, seed: int = 0,
) -> HeldOut:  # fmt: skip
    """The model's predictions on held-out interviews (``folds`` grouped folds) beside the cues and
    the keyword baseline, judged against the adjudicated coding; ``alpha`` is the reliability table
    (:func:`analysis.audiences.measure.measure_reliability`)."""
    ids = codebook.ids
    table = training_table(units, coded_frames(coding, "final", ids))
    held = heldout_predictions(table, codebook, ids, n_splits=folds, seed=seed)
    gold = table[ids].reset_index(drop=True)
    candidates = {"model": held.predicted[ids], "cue dictionary": detect(table, codebook)[ids],
                  "one keyword": (score_baseline(list(table["text"]), codebook) > 0).astype(int)}  # fmt: skip
    evaluation = compare_methods(candidates, gold, table["doc_id"], ids, n_boot=n_boot, seed=seed)
    agreement = alpha.set_index("frame")["alpha"].rename({"all frames": "macro"})
    evaluation["coding_agreement"] = evaluation["frame"].map(agreement)
    model_rows = evaluation[evaluation.method == "model"]
    text = target_line(model_rows, labels, evaluation[evaluation.method == "cue dictionary"])
    tables = {"framing_model_evaluation": evaluation, "framing_model_settings": held.settings,
              "framing_model_targets": target_verdicts(model_rows)}  # fmt: skip
    return HeldOut(tables, text, table, gold, candidates, evaluation)


def evaluate_by_audience(
    heldout: HeldOut, ids: Sequence[str], audiences: Sequence[str], n_boot: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """:func:`analysis.frames.evaluation.by_group` within each compared audience (interviews
    resampled within it, ``n_boot`` // 2 resamples, at least 99)."""
    table = heldout.table
    in_groups = table["audience"].isin(audiences).to_numpy()
    candidates = {k: v[in_groups] for k, v in heldout.candidates.items()}
    return by_group(candidates, heldout.gold[in_groups], table["doc_id"][in_groups], table["audience"][in_groups], ids,
                    n_boot=max(n_boot // 2, 99), seed=seed)  # fmt: skip


def pivot_by_audience(errors: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """F1 with frames as rows and (method, audience) as columns, the keyword baseline left out."""
    kept = errors[errors.method != "one keyword"]
    return kept.pivot_table(index="frame", columns=["method", "group"], values="f1").reindex([*ids, "macro"])


@dataclass
class DesignBased(Bundle):
    """``drawn``: the focal speaker's interview answers with the coded sample (``sampled``, its
    ``probability``) and cross-fitted predictions; ``prevalence``: DSL audience means per frame;
    ``differences``: DSL audience differences; ``shares``: the full coding's shares by paragraphs
    per interview; ``checked``: DSL beside the full coding (:func:`analysis.frames.dsl.recovery`)."""

    drawn: pd.DataFrame = None
    prevalence: pd.DataFrame = None
    differences: pd.DataFrame = None
    shares: pd.DataFrame = None
    checked: pd.DataFrame = None

    def shown(self, ids: Sequence[str]) -> pd.DataFrame:
        return self.checked.pivot(
            index="frame", columns="group", values=["full", "estimate", "naive", "covered"]
        ).reindex(ids)


def check_dsl(
    heldout: HeldOut, paragraphs: pd.DataFrame, codebook: Codebook, groups: Sequence[str], coded_share: float,
    folds: int = 7, seed: int = 0, group_label=str,
) -> DesignBased:  # fmt: skip
    """Draw ``coded_share`` of the answers within each interview, train the model on that sample
    only (cross-fitted by interview, at most 5 folds), and compare the DSL audience estimates with
    the full coding's (mean over interviews of each interview's share of paragraphs)."""
    ids, table = codebook.ids, heldout.table
    answers = table[(table["role"] == "focal") & (table["kind"] == "interview") & table["audience"].isin(groups)]
    sample = stratified_sample(answers.reset_index(drop=True), coded_share, seed=seed)
    drawn = crossfit_predictions(sample, codebook, ids, n_splits=min(folds, 5), seed=seed)
    prevalence, differences = dsl_estimates(drawn, ids, weight="interviews")
    shares = frame_shares(paragraphs, ids)  # by paragraphs whatever the run's weight: the quantity DSL estimates
    full = group_intervals(shares[shares["audience"].isin(groups)], ids)
    checked = recovery(prevalence, full.rename(columns={"column": "frame", "mean": "full"}))
    tables = {"framing_dsl_sample": drawn[["para_id", "doc_id", "sampled", "probability"]],
              "framing_dsl_recovery": checked, "framing_dsl_differences": differences}  # fmt: skip
    text = recovery_line(checked, coded_share) + " " + bounds_line(prevalence, group_label)
    return DesignBased(tables, text, drawn, prevalence, differences, shares, checked)


@dataclass
class Redraws(Bundle):
    """``redrawn``/``differences``: DSL over ``n_draws`` redraws of the coded sample
    (:func:`analysis.frames.dsl.redraw_check`); ``beside``: the one draw's DSL differences beside
    the full coding's Welch intervals, with ``same_verdict``; ``verdicts``: a sentence on it."""

    redrawn: pd.DataFrame = None
    differences: pd.DataFrame = None
    beside: pd.DataFrame = None
    verdicts: str = ""


def redraw_dsl(dsl: DesignBased, ids: Sequence[str], coded_share: float, draws: int = 200, seed: int = 0) -> Redraws:
    """DSL as an estimator: the coded sample drawn again ``draws`` times (predictions fixed), and
    the audience differences beside the full coding's."""
    redrawn, differences = redraw_check(dsl.drawn, ids, coded_share, n_draws=draws, seed=seed)
    pairs = list(dict.fromkeys(zip(dsl.differences["group_a"], dsl.differences["group_b"])))
    beside = beside_full(dsl.differences, welch_table(dsl.shares, ids, pairs))
    verdicts = (f"DSL and the full coding reach the same verdict (interval above, below or across 0) for "
                f"**{int(beside['same_verdict'].sum())} of {len(beside)}** audience differences.")  # fmt: skip
    tables = {"framing_dsl_redraws": redrawn, "framing_dsl_redraws_differences": differences,
              "framing_dsl_beside_full": beside}  # fmt: skip
    return Redraws(tables, redraw_line(redrawn, differences, coded_share), redrawn, differences, beside, verdicts)
