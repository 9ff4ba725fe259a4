"""Group estimates from imperfect predictions and a random coded sample: design-based supervised learning.

A detector predicts every paragraph's frames (``Ŷ``); a random sample of paragraphs, each drawn
with a known probability ``π_i > 0``, is coded by reading (``Y``; ``R_i = 1`` when paragraph i is
in the sample). Design-based supervised learning (DSL; Egami, Hinck, Stewart and Wei 2023)
replaces each paragraph's outcome by the pseudo-outcome

    Ỹ_i = Ŷ_i + (R_i / π_i) (Y_i − Ŷ_i),

whose expectation over the sampling is ``Y_i`` whatever the detector's errors (the design,
not the detector, makes the correction unbiased). A group's frame prevalence is then the weighted
mean of the pseudo-outcomes of its paragraphs,

    θ̂_g = Σ_{i∈g} w_i Ỹ_i / Σ_{i∈g} w_i,

with ``w_i = 1`` (share of paragraphs) or ``w_i = 1 / n_c(i)`` (mean over interviews of each
interview's share, as :func:`analysis.audiences.coded.frame_shares` averages by audience), and the
difference between groups is ``θ̂_a − θ̂_b``. Its variance is the cluster-robust sandwich
(Liang and Zeger 1986) with interviews as clusters: with ``u_c = Σ_{i∈c} w_i (Ỹ_i − θ̂_g) / Σ_{i∈g} w_i``
for the ``C_g`` interviews of group g,

    V̂(θ̂_g) = C_g / (C_g − 1) Σ_c u_c²,   V̂(θ̂_a − θ̂_b) = V̂(θ̂_a) + V̂(θ̂_b)

(interviews are nested in groups, so the groups' estimates are independent), and the 95 %
interval is ``θ̂ ± t_{C−1} √V̂`` with C − 1 degrees of freedom (``C`` the interviews of the group, or
Welch-Satterthwaite's for a difference), the usual small-sample choice for few clusters. The
naive estimate averages ``Ŷ`` alone: it inherits the detector's errors, and where they differ
between groups its differences are biased (Egami et al. 2023, section 2).

Predictions must not depend on which paragraphs were sampled except through cross-fitting:
:func:`crossfit_predictions` trains the detector on the coded sample of the other interviews
only, as the paper's cross-fitting does.

References: Egami, N., Hinck, M., Stewart, B. M. and Wei, H. (2023). Using imperfect surrogates
for downstream inference: design-based supervised learning for social science applications of
large language models. Advances in Neural Information Processing Systems 36. Liang, K.-Y. and
Zeger, S. L. (1986). Longitudinal data analysis using generalized linear models. Biometrika 73,
13-22.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..coding.sample import stratified_sample
from ..stats.resampling import grouped_folds
from .model import fit_model, predict


def pseudo_outcomes(
    predicted: np.ndarray, coded: np.ndarray, sampled: np.ndarray, probability: np.ndarray
) -> np.ndarray:
    """Ỹ = Ŷ + (R/π)(Y − Ŷ) for arrays of paragraphs (rows) by frames (columns); ``coded`` may be
    anything (NaN) where ``sampled`` is false. ``probability`` (π) must be positive for every row."""
    predicted = np.asarray(predicted, dtype=float)
    probability = np.asarray(probability, dtype=float)
    sampled = np.asarray(sampled, dtype=bool)
    if (probability <= 0).any() or (probability > 1).any():
        raise ValueError("every paragraph needs a sampling probability in (0, 1]")
    correction = np.where(sampled[:, None], (np.nan_to_num(np.asarray(coded, dtype=float)) - predicted), 0.0)
    return predicted + correction / probability[:, None]


def _group_estimate(
    values: np.ndarray, weights: np.ndarray, clusters: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weighted means of ``values`` (rows x frames), their cluster-robust variances and the
    number of clusters."""
    total = weights.sum()
    theta = weights @ values / total
    names, index = np.unique(clusters, return_inverse=True)
    u = np.zeros((len(names), values.shape[1]))
    np.add.at(u, index, weights[:, None] * (values - theta) / total)
    c = len(names)
    variance = c / (c - 1) * (u**2).sum(axis=0) if c > 1 else np.full(values.shape[1], np.nan)
    return theta, variance, c


def _weights(clusters: np.ndarray, weight: str) -> np.ndarray:
    if weight == "paragraphs":
        return np.ones(len(clusters))
    if weight == "interviews":
        _, index, counts = np.unique(clusters, return_inverse=True, return_counts=True)
        return 1.0 / counts[index]
    raise ValueError(f"weight must be 'paragraphs' or 'interviews', not {weight!r}")


def dsl_estimates(
    table: pd.DataFrame,
    frame_ids: Sequence[str],
    by: str = "audience",
    cluster: str = "doc_id",
    weight: str = "interviews",
    level: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Frame prevalence by group, and differences between groups, by DSL.

    ``table`` has one row per paragraph of the corpus: ``by`` (the group), ``cluster`` (the
    interview), ``sampled`` (True where coded by reading), ``probability`` (π, the chance it had
    to be sampled), ``pred_<frame>`` (the detector's 0/1 or probability) and ``<frame>`` (the
    coding, read only where ``sampled``). ``weight`` as in the module docstring.

    Returns ``(prevalence, differences)``. ``prevalence``: ``frame``, ``group``, ``n_paragraphs``,
    ``n_sampled``, ``n_interviews``, ``estimate``, ``unbounded``, ``se``, ``low``, ``high`` (DSL)
    and ``naive`` (the same weighted mean of the predictions alone). A pseudo-outcome can lie
    outside [0, 1] (a sampled paragraph the model marks but the coding does not counts
    1 − 1/π, e.g. −4 at π = 0.2), so the unbiased mean ``unbounded`` can too; ``estimate``,
    ``low`` and ``high`` are kept within [0, 1], where a share lies (the interval then still
    contains every value of [0, 1] it contained; :func:`analysis.frames.sentences.bounds_line` says when this happened).
    ``differences``: ``frame``, ``group_a``, ``group_b``, ``estimate`` (a − b), ``se``, ``low``, ``high``,
    ``df``, ``p`` (two-sided t) and ``naive``."""
    frame_ids = list(frame_ids)
    predicted = table[[f"pred_{f}" for f in frame_ids]].to_numpy(dtype=float)
    sampled = table["sampled"].to_numpy(dtype=bool)
    coded = table[frame_ids].to_numpy(dtype=float) if sampled.any() else np.zeros_like(predicted)
    tilde = pseudo_outcomes(predicted, coded, sampled, table["probability"].to_numpy(dtype=float))
    clusters, groups = table[cluster].to_numpy(), table[by].to_numpy()
    fits = {}
    rows = []
    for group in sorted(set(groups)):
        rows_g = groups == group
        w = _weights(clusters[rows_g], weight)
        theta, variance, c = _group_estimate(tilde[rows_g], w, clusters[rows_g])
        naive = w @ predicted[rows_g] / w.sum()
        fits[group] = (theta, variance, c, naive)
        half = stats.t.ppf((1 + level) / 2, max(c - 1, 1)) * np.sqrt(variance)
        for j, frame in enumerate(frame_ids):
            rows.append(
                {
                    "frame": frame,
                    "group": group,
                    "n_paragraphs": int(rows_g.sum()),
                    "n_sampled": int(sampled[rows_g].sum()),
                    "n_interviews": c,
                    "estimate": min(max(theta[j], 0.0), 1.0),
                    "unbounded": theta[j],
                    "se": np.sqrt(variance[j]),
                    "low": min(max(theta[j] - half[j], 0.0), 1.0),
                    "high": min(max(theta[j] + half[j], 0.0), 1.0),
                    "naive": naive[j],
                }
            )
    return pd.DataFrame(rows), _differences(fits, frame_ids, level)


def _differences(fits: dict, frame_ids: list[str], level: float) -> pd.DataFrame:
    rows = []
    names = sorted(fits)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (ta, va, ca, na), (tb, vb, cb, nb) = fits[a], fits[b]
            se = np.sqrt(va + vb)
            with np.errstate(invalid="ignore", divide="ignore"):
                df = (va + vb) ** 2 / (va**2 / max(ca - 1, 1) + vb**2 / max(cb - 1, 1))
            df = np.where(np.isfinite(df), df, max(ca + cb - 2, 1))
            half = stats.t.ppf((1 + level) / 2, df) * se
            with np.errstate(invalid="ignore", divide="ignore"):
                p = np.where(se > 0, 2 * stats.t.sf(np.abs(ta - tb) / se, df), np.where(ta == tb, 1.0, 0.0))
            for j, frame in enumerate(frame_ids):
                rows.append(
                    {
                        "frame": frame,
                        "group_a": a,
                        "group_b": b,
                        "estimate": ta[j] - tb[j],
                        "se": se[j],
                        "low": ta[j] - tb[j] - half[j],
                        "high": ta[j] - tb[j] + half[j],
                        "df": float(df[j]),
                        "p": float(p[j]),
                        "naive": na[j] - nb[j],
                    }
                )
    return pd.DataFrame(rows)


def crossfit_predictions(
    table: pd.DataFrame, codebook, frame_ids: Sequence[str], n_splits: int = 5, seed: int = 0
) -> pd.DataFrame:
    """Cross-fitted model predictions for DSL: interviews are split into ``n_splits`` grouped
    folds; the model for a fold is fitted (:func:`analysis.frames.model.fit_model`) on the coded
    sample (``sampled``) of the other folds only and predicts every paragraph of its fold.
    ``table`` is a :func:`analysis.frames.model.training_table` with ``sampled``; returns it
    with ``pred_<frame>`` (0/1) added."""
    frame_ids = list(frame_ids)
    out = np.zeros((len(table), len(frame_ids)), dtype=int)
    sampled = table["sampled"].to_numpy(dtype=bool)
    for train, test in grouped_folds(table["doc_id"], n_splits):
        part = table.iloc[train[sampled[train]]]
        model = fit_model(part["text"], part["context"], part[frame_ids], part["doc_id"], codebook, frame_ids, seed)
        out[test] = predict(model, table.iloc[test]["text"], table.iloc[test]["context"]).to_numpy()
    return table.assign(**{f"pred_{f}": out[:, j] for j, f in enumerate(frame_ids)})


def recovery(estimates: pd.DataFrame, full: pd.DataFrame) -> pd.DataFrame:
    """The DSL prevalence (:func:`dsl_estimates`) beside the full coding's estimate of the same
    quantity (``full``: ``frame``, ``group``, ``full``): ``covered`` says whether the full value
    lies in the DSL interval, ``naive_error`` and ``dsl_error`` the distance of each estimate from it."""
    table = estimates.merge(full[["frame", "group", "full"]], on=["frame", "group"], validate="one_to_one")
    table["covered"] = (table["low"] <= table["full"]) & (table["full"] <= table["high"])
    table["dsl_error"] = table["estimate"] - table["full"]
    table["naive_error"] = table["naive"] - table["full"]
    return table


def redraw_check(
    table: pd.DataFrame,
    frame_ids: Sequence[str],
    share: float,
    n_draws: int = 200,
    seed: int = 0,
    weight: str = "interviews",
    by: str = "audience",
    cluster: str = "doc_id",
    level: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage and bias of DSL on this corpus over ``n_draws`` draws of the coded sample.

    ``table`` has every paragraph with its full coding (``<frame>``) and fixed predictions
    (``pred_<frame>``). What is redrawn: only *which* paragraphs count as coded, ``share`` of each
    interview by :func:`stratified_sample` with seeds ``seed + 1`` .. ``seed + n_draws``; the
    predictions stay as given (the model is not refitted per draw: 200 cross-fits would take
    hours). Predictions that did not see the paragraphs they predict (cross-fitted on another
    draw) are fixed with respect to every draw, so DSL is exactly unbiased for the full coding
    over the draws and the check measures its variance and intervals on this corpus's interviews.
    The target is the full coding's value of the same quantity (:func:`dsl_estimates` with every
    paragraph coded, π = 1).

    Returns ``(prevalence, differences)``, one row per frame and group (``group``) or pair
    (``group_a``, ``group_b``): ``full`` (the target), ``mean_estimate`` (mean unbounded DSL
    estimate over draws), ``bias`` (its distance from ``full``), ``rmse``, ``coverage`` (share of
    draws whose ``level`` interval contains ``full``), ``naive_bias`` (the predictions alone
    minus ``full``) and ``n_draws``."""
    frame_ids = list(frame_ids)
    whole = table.assign(sampled=True, probability=1.0)
    full_prev, full_diff = dsl_estimates(whole, frame_ids, by, cluster, weight, level)
    keys = (["frame", "group"], ["frame", "group_a", "group_b"])
    draws: tuple[list, list] = ([], [])
    for d in range(n_draws):
        drawn = stratified_sample(table, share, by=cluster, seed=seed + 1 + d)
        for out, result in zip(draws, dsl_estimates(drawn, frame_ids, by, cluster, weight, level)):
            out.append(result)
    tables = []
    for key, full, results in zip(keys, (full_prev, full_diff), draws):
        stacked = pd.concat(results, ignore_index=True)
        value = "unbounded" if "unbounded" in stacked else "estimate"
        stacked = stacked.merge(
            full[[*key, value, "naive"]].rename(columns={value: "full", "naive": "naive_full"}), on=key
        )
        stacked["error"] = stacked[value] - stacked["full"]
        stacked["covered"] = (stacked["low"] <= stacked["full"]) & (stacked["full"] <= stacked["high"])
        summary = stacked.groupby(key, sort=False).agg(
            full=("full", "first"),
            mean_estimate=(value, "mean"),
            bias=("error", "mean"),
            rmse=("error", lambda e: float(np.sqrt(np.mean(e**2)))),
            coverage=("covered", "mean"),
            naive=("naive", "first"),
        )
        summary["naive_bias"] = summary.pop("naive") - summary["full"]
        tables.append(summary.assign(n_draws=n_draws).reset_index())
    return tables[0], tables[1]


def beside_full(dsl_differences: pd.DataFrame, full_differences: pd.DataFrame) -> pd.DataFrame:
    """The DSL audience differences (:func:`dsl_estimates`) beside the full coding's differences
    of the same quantity (``full_differences``: :func:`analysis.stats.intervals.welch_table` over the
    interviews' coded shares, ``column`` the frame), pair by pair in the DSL's direction.

    Returns one row per frame and pair: ``frame``, ``group_a``, ``group_b``, ``dsl``,
    ``dsl_low``, ``dsl_high`` (DSL, a − b, interview-clustered interval), ``full``, ``full_low``,
    ``full_high`` (full coding, Welch interval over interviews) and ``same_verdict`` (both
    intervals exclude 0 on the same side, or both include it)."""
    full = full_differences.rename(columns={"column": "frame"})
    flipped = full.assign(
        group_a=full["group_b"],
        group_b=full["group_a"],
        difference=-full["difference"],
        low=-full["high"],
        high=-full["low"],
    )
    full = pd.concat([full, flipped], ignore_index=True)[["frame", "group_a", "group_b", "difference", "low", "high"]]
    table = dsl_differences[["frame", "group_a", "group_b", "estimate", "low", "high"]].merge(
        full, on=["frame", "group_a", "group_b"], suffixes=("", "_full"), validate="one_to_one"
    )
    table = table.rename(
        columns={"estimate": "dsl", "low": "dsl_low", "high": "dsl_high", "difference": "full", "low_full": "full_low",
                 "high_full": "full_high"}
    )  # fmt: skip

    def side(low, high):
        return np.sign(low).where(np.sign(low) == np.sign(high), 0)

    table["same_verdict"] = side(table["dsl_low"], table["dsl_high"]) == side(table["full_low"], table["full_high"])
    return table
