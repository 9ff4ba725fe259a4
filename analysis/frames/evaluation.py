"""The frame model judged as a reviewer would: on interviews it never saw.

:func:`heldout_predictions` splits the coded interviews into folds (grouped k-fold: every
paragraph of an interview falls in the same fold), fits :func:`analysis.frames.model.fit_model`
on the other folds (choosing its settings by an inner grouped cross-validation on those folds
only) and predicts the held-out fold. :func:`agreement_intervals` gives precision, recall, F1
and Cohen's kappa against the adjudicated coding with 95 % percentile intervals from a cluster
bootstrap that resamples whole interviews (Field and Welsh 2007), because paragraphs of one
interview are not independent. :func:`learning_curve` shows held-out F1 against the number of
coded paragraphs the model learned from, so a user can see whether coding more would help.

References: Field, C. A. and Welsh, A. H. (2007). Bootstrapping clustered data. JRSS B 69(3),
369-390. Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
Psychological Measurement 20, 37-46. Varma, S. and Simon, R. (2006). Bias in error estimation
when using cross-validation for model selection. BMC Bioinformatics 7, 91 (why the settings are
chosen inside each training fold).

:func:`agreement` is the frame-by-frame agreement of any 0/1 coding with a reference coding:
precision, recall and F1 take the reference as the truth; Cohen's kappa (Cohen 1960) measures
agreement beyond chance, for a detector against the coding by reading or for two codings against
each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..stats.resampling import grouped_folds
from .model import fit_model, predict_proba

#: The target the issue sets for held-out interviews: macro-F1, and the floor for every frame.
TARGET_MACRO_F1 = 0.85
TARGET_FRAME_F1 = 0.65


def cohen_kappa(a: Sequence[int], b: Sequence[int]) -> float:
    """Cohen's kappa of two binary codings: (p_o - p_e) / (1 - p_e), p_o the share of items on
    which they agree and p_e the agreement expected from their marginal rates. 1 when both
    codings are identical and constant (no disagreement to correct for)."""
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if len(a) != len(b) or len(a) == 0:
        raise ValueError("kappa needs two codings of the same, non-zero number of items")
    observed = np.mean(a == b)
    expected = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
    if expected == 1:
        return 1.0
    return float((observed - expected) / (1 - expected))


def agreement(predicted: pd.DataFrame, gold: pd.DataFrame, frame_ids: Sequence[str]) -> pd.DataFrame:
    """Per-frame agreement of ``predicted`` (counts or 0/1; present when > 0) with ``gold``
    (0/1), rows aligned by position.

    Returns one row per frame and a final ``macro`` row (unweighted means) with columns
    ``frame``, ``n_gold`` (items coded present), ``n_predicted``, ``tp``, ``fp``, ``fn``,
    ``precision``, ``recall``, ``f1`` and ``kappa``. Precision is 0 when nothing is predicted,
    recall 0 when nothing is coded; F1 is 0 when both are 0."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} coded items")
    rows = []
    for frame in frame_ids:
        p = predicted[frame].to_numpy() > 0
        g = gold[frame].to_numpy() > 0
        tp, fp, fn = int((p & g).sum()), int((p & ~g).sum()), int((~p & g).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {
                "frame": frame,
                "n_gold": int(g.sum()),
                "n_predicted": int(p.sum()),
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "kappa": cohen_kappa(p, g),
            }
        )
    table = pd.DataFrame(rows)
    macro = table[["precision", "recall", "f1", "kappa"]].mean()
    table.loc[len(table)] = {
        "frame": "macro",
        "n_gold": table["n_gold"].sum(),
        "n_predicted": table["n_predicted"].sum(),
        "tp": table["tp"].sum(),
        "fp": table["fp"].sum(),
        "fn": table["fn"].sum(),
        **macro.to_dict(),
    }
    return table


class HeldOut(NamedTuple):
    """Held-out predictions: ``predicted`` (0/1) and ``probability``, each with ``para_id``,
    ``doc_id``, ``fold`` and one column per frame, rows in the order of the training table;
    ``settings``: the settings each fold's inner cross-validation chose (``fold`` added)."""

    predicted: pd.DataFrame
    probability: pd.DataFrame
    settings: pd.DataFrame


def heldout_predictions(
    table: pd.DataFrame, codebook, frame_ids: Sequence[str], n_splits: int = 7, seed: int = 0
) -> HeldOut:
    """Predictions for every paragraph of ``table`` (:func:`analysis.frames.model.training_table`)
    by a model that never saw its interview: grouped ``n_splits``-fold over ``doc_id``."""
    frame_ids = list(frame_ids)
    labels = table[frame_ids].to_numpy()
    probability = np.zeros(labels.shape)
    predicted = np.zeros(labels.shape, dtype=int)
    fold_of = np.zeros(len(table), dtype=int)
    chosen = []
    for k, (train, test) in enumerate(grouped_folds(table["doc_id"], n_splits)):
        part = table.iloc[train]
        model = fit_model(part["text"], part["context"], labels[train], part["doc_id"], codebook, frame_ids, seed)
        held = table.iloc[test]
        p = predict_proba(model, held["text"], held["context"]).to_numpy()
        probability[test], predicted[test], fold_of[test] = p, (p > model.thresholds).astype(int), k
        chosen.append(model.settings.assign(fold=k))
    head = table[["para_id", "doc_id"]].reset_index(drop=True).assign(fold=fold_of)
    return HeldOut(
        pd.concat([head, pd.DataFrame(predicted, columns=frame_ids)], axis=1),
        pd.concat([head, pd.DataFrame(probability, columns=frame_ids)], axis=1),
        pd.concat(chosen, ignore_index=True),
    )


def _cluster_counts(predicted: np.ndarray, gold: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per interview and frame the counts tp, fp, fn, tn: array (interviews, frames, 4)."""
    names, index = np.unique(groups, return_inverse=True)
    p, g = predicted > 0, gold > 0
    cells = np.stack([p & g, p & ~g, ~p & g, ~p & ~g], axis=-1).astype(float)
    counts = np.zeros((len(names), p.shape[1], 4))
    np.add.at(counts, index, cells)
    return names, counts


def _measures(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall, F1 and kappa from counts (..., 4) of tp, fp, fn, tn (same conventions
    as :func:`analysis.frames.evaluation.agreement`: 0 where undefined; kappa 1 when chance agreement is 1)."""
    tp, fp, fn, tn = (counts[..., i] for i in range(4))
    n = tp + fp + fn + tn
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        observed = (tp + tn) / n
        p_pred, p_gold = (tp + fp) / n, (tp + fn) / n
        expected = p_pred * p_gold + (1 - p_pred) * (1 - p_gold)
        kappa = np.where(expected < 1, (observed - expected) / (1 - expected), 1.0)
    return {"precision": precision, "recall": recall, "f1": f1, "kappa": kappa}


def _resampled_measures(predicted, gold, groups, frame_ids, n_boot, seed):
    """Point measures and their cluster-bootstrap replicates: two dicts of arrays, (frames,) and
    (n_boot, frames), each measure with a last column for the macro mean over frames. The same
    ``seed`` and ``groups`` give the same resampled interviews for every method."""
    frame_ids = list(frame_ids)
    p, g = predicted[frame_ids].to_numpy(), gold[frame_ids].to_numpy()
    if len(p) != len(g) or len(g) != len(groups):
        raise ValueError(f"{len(p)} predictions, {len(g)} coded items and {len(groups)} groups: they must match")
    names, counts = _cluster_counts(p, g, np.asarray(groups))
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(names), np.full(len(names), 1 / len(names)), size=n_boot).astype(float)
    boot = _measures(np.einsum("bc,cfk->bfk", weights, counts))
    point = _measures(counts.sum(axis=0))
    with_macro = {name: np.append(point[name], point[name].mean()) for name in point}
    boot_macro = {name: np.column_stack([boot[name], boot[name].mean(axis=1)]) for name in boot}
    return with_macro, boot_macro, p, g


def agreement_intervals(
    predicted: pd.DataFrame,
    gold: pd.DataFrame,
    groups: Sequence[str],
    frame_ids: Sequence[str],
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Per-frame agreement of ``predicted`` (present when > 0) with ``gold`` (0/1), rows aligned
    by position, with cluster-bootstrap intervals over ``groups`` (interviews).

    Returns one row per frame and a final ``macro`` row (unweighted mean over frames, its
    interval from the same resamples): ``frame``, ``n_gold``, ``n_predicted``, then for each of
    ``precision``, ``recall``, ``f1``, ``kappa`` the estimate and ``<measure>_low``,
    ``<measure>_high``. The point estimates equal :func:`analysis.frames.evaluation.agreement`."""
    return _agreement_table(_resampled_measures(predicted, gold, groups, frame_ids, n_boot, seed), frame_ids, level)


def _agreement_table(resampled: tuple, frame_ids: Sequence[str], level: float) -> pd.DataFrame:
    """The table of :func:`agreement_intervals` from one method's :func:`_resampled_measures`."""
    point, boot, p, g = resampled
    qs = [(1 - level) / 2, (1 + level) / 2]
    table = pd.DataFrame(
        {
            "frame": [*frame_ids, "macro"],
            "n_gold": [*g.sum(axis=0), g.sum()],
            "n_predicted": [*(p > 0).sum(0), (p > 0).sum()],
        }
    )
    for name in ("precision", "recall", "f1", "kappa"):
        low, high = np.quantile(boot[name], qs, axis=0)
        table[name] = point[name]
        table[f"{name}_low"], table[f"{name}_high"] = low, high
    return table


def f1_differences(
    methods: dict[str, pd.DataFrame],
    gold: pd.DataFrame,
    groups: Sequence[str],
    frame_ids: Sequence[str],
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """F1 of every method minus F1 of the first, per frame and macro, with a paired interval: both
    methods are scored on the same resampled interviews, so the interval is that of the difference
    (two overlapping intervals of separate F1s say little about it). Columns ``method``, ``frame``,
    ``difference``, ``difference_low``, ``difference_high``."""
    resampled = {name: _resampled_measures(t, gold, groups, frame_ids, n_boot, seed) for name, t in methods.items()}
    return _difference_table(resampled, frame_ids, level)


def _difference_table(resampled: dict[str, tuple], frame_ids: Sequence[str], level: float) -> pd.DataFrame:
    """The table of :func:`f1_differences` from each method's :func:`_resampled_measures`."""
    names = list(resampled)
    first_point, first_boot = resampled[names[0]][:2]
    qs = [(1 - level) / 2, (1 + level) / 2]
    rows = []
    for name in names[1:]:
        point, boot = resampled[name][:2]
        low, high = np.quantile(boot["f1"] - first_boot["f1"], qs, axis=0)
        rows.append(
            pd.DataFrame(
                {
                    "method": name,
                    "frame": [*frame_ids, "macro"],
                    "difference": point["f1"] - first_point["f1"],
                    "difference_low": low,
                    "difference_high": high,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def compare_methods(
    methods: dict[str, pd.DataFrame],
    gold: pd.DataFrame,
    groups: Sequence[str],
    frame_ids: Sequence[str],
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`agreement_intervals` for each named method (name -> 0/1 or count table), stacked
    with a ``method`` column; every method is resampled with the same interviews (one seed).
    Every method after the first also carries ``f1_minus_first`` with ``_low`` and ``_high``:
    its F1 minus the first method's, with the paired interval of :func:`f1_differences`. Each
    method is resampled once for both."""
    resampled = {name: _resampled_measures(t, gold, groups, frame_ids, n_boot, seed) for name, t in methods.items()}
    table = pd.concat(
        [_agreement_table(r, frame_ids, 0.95).assign(method=name) for name, r in resampled.items()],
        ignore_index=True,
    )
    if len(methods) < 2:
        return table
    differences = _difference_table(resampled, frame_ids, 0.95).rename(
        columns=lambda c: c.replace("difference", "f1_minus_first")
    )
    return table.merge(differences, on=["method", "frame"], how="left")


def by_group(
    methods: dict[str, pd.DataFrame],
    gold: pd.DataFrame,
    groups: Sequence[str],
    by: Sequence[str],
    frame_ids: Sequence[str],
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`compare_methods` within each value of ``by`` (e.g. the audience of each row):
    the same columns plus ``group``. Where a method's precision or recall differs between
    groups, its estimates of differences between them are biased."""
    by, groups = np.asarray(by), np.asarray(groups)
    parts = []
    for value in sorted(set(by)):
        rows = np.flatnonzero(by == value)
        chosen = {name: t.iloc[rows].reset_index(drop=True) for name, t in methods.items()}
        parts.append(
            compare_methods(
                chosen, gold.iloc[rows].reset_index(drop=True), groups[rows], frame_ids, n_boot, seed
            ).assign(group=value)
        )
    return pd.concat(parts, ignore_index=True)


def target_verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """For one method's :func:`agreement_intervals`: each frame's F1 against the targets:
    ``frame``, ``f1``, ``f1_low``, ``f1_high``, ``verdict`` (``meets 0.85``, ``above 0.65`` or
    ``below 0.65``) and, on the ``macro`` row, whether the macro-F1 meets 0.85."""
    out = table[["frame", "f1", "f1_low", "f1_high"]].copy()
    out["verdict"] = np.where(
        out["f1"] >= TARGET_MACRO_F1,
        f"meets {TARGET_MACRO_F1}",
        np.where(out["f1"] >= TARGET_FRAME_F1, f"above {TARGET_FRAME_F1}", f"below {TARGET_FRAME_F1}"),
    )
    macro = out["frame"] == "macro"  # the macro-F1 is judged against 0.85 alone
    out.loc[macro, "verdict"] = np.where(out.loc[macro, "f1"] >= TARGET_MACRO_F1, "meets 0.85", "misses 0.85")
    return out


def learning_curve(
    table: pd.DataFrame,
    codebook,
    frame_ids: Sequence[str],
    shares: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
    n_splits: int = 4,
    seed: int = 0,
) -> pd.DataFrame:
    """Held-out F1 against the number of coded paragraphs learned from. For each grouped fold and
    each share, the model is fitted (with its inner choice of settings) on a random ``share`` of
    the training interviews (whole interviews, seeded) and judged on the held-out fold; F1 is
    pooled over the folds' predictions. Returns ``share``, ``n_paragraphs`` (mean training
    paragraphs over folds), ``frame`` (with a ``macro`` row) and ``f1``."""
    frame_ids = list(frame_ids)
    labels = table[frame_ids].to_numpy()
    rng = np.random.default_rng(seed)
    folds = grouped_folds(table["doc_id"], n_splits)
    rows = []
    for share in shares:
        predicted, sizes = np.zeros(labels.shape, dtype=int), []
        for train, test in folds:
            docs = np.unique(table["doc_id"].to_numpy()[train])
            keep = rng.permutation(docs)[: max(2, int(round(share * len(docs))))]
            train = train[np.isin(table["doc_id"].to_numpy()[train], keep)]
            part, held = table.iloc[train], table.iloc[test]
            model = fit_model(part["text"], part["context"], labels[train], part["doc_id"], codebook, frame_ids, seed)
            predicted[test] = (
                predict_proba(model, held["text"], held["context"]).to_numpy() > model.thresholds
            ).astype(int)
            sizes.append(len(train))
        f1 = _measures(_cluster_counts(predicted, labels, np.zeros(len(labels)))[1].sum(axis=0))["f1"]
        for frame, value in zip([*frame_ids, "macro"], [*f1, f1.mean()]):
            rows.append({"share": share, "n_paragraphs": float(np.mean(sizes)), "frame": frame, "f1": value})
    return pd.DataFrame(rows)
