"""The sentences of the frame instrument: each function turns result tables of
:mod:`analysis.frames.evaluation` and :mod:`analysis.frames.dsl` into Markdown for the notebooks."""

from __future__ import annotations

import pandas as pd

from .evaluation import TARGET_FRAME_F1, TARGET_MACRO_F1


def target_line(table: pd.DataFrame, labels: dict[str, str], baseline: pd.DataFrame | None = None) -> str:
    """One Markdown paragraph stating where the model stands against the target (macro-F1 at least
    0.85, no frame below 0.65, on held-out interviews), from :func:`agreement_intervals` of the
    model (and of the cue dictionary as ``baseline``, to say whether the model beats it)."""
    frames = table[table["frame"] != "macro"]
    macro = table[table["frame"] == "macro"].iloc[0]
    short = frames[frames["f1"] < TARGET_MACRO_F1]
    below = frames[frames["f1"] < TARGET_FRAME_F1]
    met = macro["f1"] >= TARGET_MACRO_F1 and below.empty
    text = (
        f"On interviews it never saw, the model reaches a macro-F1 of **{macro['f1']:.2f}** "
        f"[{macro['f1_low']:.2f}, {macro['f1_high']:.2f}]: the target (macro-F1 {TARGET_MACRO_F1}, no frame below "
        f"{TARGET_FRAME_F1}) is **{'met' if met else 'not met'}**. "
    )
    if baseline is not None:
        cue = baseline[baseline["frame"] == "macro"].iloc[0]
        text += f"The cue dictionary reaches {cue['f1']:.2f} [{cue['f1_low']:.2f}, {cue['f1_high']:.2f}]"
        text += _paired_clause(cue) + ". "
    if len(short):
        text += (
            "Below 0.85: "
            + ", ".join(f"{labels.get(r.frame, r.frame)} ({r.f1:.2f})" for r in short.itertuples())
            + ". "
        )
    text += (
        "Below 0.65: " + ", ".join(f"{labels.get(r.frame, r.frame)} ({_below(r.f1)})" for r in below.itertuples()) + "."
        if len(below)
        else "No frame is below 0.65."
    )
    return text


def _below(f1: float) -> str:
    """An F1 under the 0.65 floor, with a third decimal where two would round it up to the floor."""
    return f"{f1:.3f}" if round(f1, 2) >= TARGET_FRAME_F1 else f"{f1:.2f}"


def _paired_clause(cue: pd.Series) -> str:
    """How the model's macro-F1 compares with the cue dictionary's, from the paired interval of the
    difference (cues minus model) when :func:`compare_methods` gave one."""
    if "f1_minus_first" not in cue or pd.isna(cue["f1_minus_first"]):
        return ""
    gain, low, high = -cue["f1_minus_first"], -cue["f1_minus_first_high"], -cue["f1_minus_first_low"]
    if low > 0:
        verdict = "the model is better"
    elif high < 0:
        verdict = "the cue dictionary is better"
    else:
        verdict = "the data cannot tell them apart"
    interval = f"{gain:+.2f} [{low:+.2f}, {high:+.2f}]"
    return f"; the model's gain over it, scored on the same resampled interviews, is {interval}: {verdict}"


def recovery_line(table: pd.DataFrame, share: float) -> str:
    """One Markdown sentence stating how many audience estimates from a ``share`` coded sample
    plus the model contain the full coding's value, and how far the DSL and the naive estimates
    are from it on average (percentage points)."""
    inside = int(table["covered"].sum())
    return (
        f"With a {share:.0%} random coded sample and the model's predictions, **{inside} of {len(table)}** "
        f"audience-by-frame estimates contain the full coding's value in their 95% interval; the DSL estimates "
        f"are {100 * table['dsl_error'].abs().mean():.1f} points from it on average, the model's predictions "
        f"alone {100 * table['naive_error'].abs().mean():.1f} points."
    )


def bounds_line(prevalence: pd.DataFrame, group_label=str) -> str:
    """One Markdown sentence on the DSL prevalence estimates (:func:`dsl_estimates`) whose
    unbiased value lies outside [0, 1], with the lowest or highest and why; "" when none does."""
    outside = prevalence[(prevalence["unbounded"] < 0) | (prevalence["unbounded"] > 1)]
    if outside.empty:
        return ""
    worst = outside.loc[(outside["unbounded"] - outside["unbounded"].clip(0, 1)).abs().idxmax()]
    return (
        f"{len(outside)} of {len(prevalence)} DSL estimates fall outside [0, 1] before bounding (furthest: "
        f"{worst['frame']}, {group_label(worst['group'])}, {worst['unbounded']:.3f}) and are shown at the bound: "
        "a coded paragraph that the model marks but the coding does not counts 1 − 1/π, so the unbiased mean of a "
        "rare frame in a group with few coded paragraphs can fall below 0."
    )


def redraw_line(prevalence: pd.DataFrame, differences: pd.DataFrame, share: float, level: float = 0.95) -> str:
    """One Markdown sentence from :func:`redraw_check`: over how many draws, what was redrawn,
    mean and lowest coverage of the audience-by-frame estimates and of the differences, and the
    mean absolute bias of DSL and of the predictions alone (percentage points)."""
    n = int(prevalence["n_draws"].iloc[0])

    def part(table: pd.DataFrame, what: str) -> str:
        low = table.loc[table["coverage"].idxmin()]
        where = low["group"] if "group" in table else f"{low['group_a']} vs {low['group_b']}"
        return (
            f"{what}: {table['coverage'].mean():.1%} mean coverage of the {level:.0%} intervals "
            f"(lowest {low['coverage']:.1%}, {low['frame']} in {where}), "
            f"mean absolute bias {100 * table['bias'].abs().mean():.2f} points "
            f"(the model's predictions alone {100 * table['naive_bias'].abs().mean():.2f})"
        )

    return (
        f"Over **{n} draws** of a {share:.0%} coded sample within each interview (only which paragraphs are coded is "
        "redrawn; the model's predictions are the cross-fitted ones above, kept fixed): "
        + part(prevalence, f"{len(prevalence)} audience-by-frame estimates")
        + "; "
        + part(differences, f"{len(differences)} audience differences")
        + "."
    )
