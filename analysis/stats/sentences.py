"""The sentences of the statistics any stage uses: each function turns a result table of
:mod:`analysis.stats.intervals` or :mod:`analysis.stats.pooling` into Markdown."""

from __future__ import annotations

import pandas as pd


def power_line(
    power: pd.DataFrame, n_tests: int, group_label=str, measure: str = "a difference of interview means"
) -> str:
    """The summary sentence of a :func:`power_table` over a family of ``n_tests`` tests: the
    interviews per group, the range of minimum detectable effects (Cohen's d at 80% power) before
    and after the correction, the pairs whose exact permutation test can never pass it, and that
    an absent finding is not evidence of sameness. ``measure`` names what d standardises."""
    sizes = {}
    for r in power.itertuples():
        sizes[r.group_a], sizes[r.group_b] = r.n_a, r.n_b
    text = (
        f"* **Power.** With {', '.join(f'{n} {group_label(g)}' for g, n in sizes.items())} interviews, {measure} "
        f"must reach d = {power['mde'].min():.1f} to {power['mde'].max():.1f} standard deviations to be detected "
        f"with 80% power, {power['mde_corrected'].min():.1f} to {power['mde_corrected'].max():.1f} after "
        f"correcting over {n_tests} tests"
    )
    never = power[~power["can_pass"]]
    if len(never):
        pairs = ", ".join(f"{group_label(a)} vs {group_label(b)}" for a, b in zip(never["group_a"], never["group_b"]))
        text += f"; {pairs} can never pass the correction with an exact permutation test"
    return text + ". An absent finding is absence of evidence, not evidence of sameness."


def small_line(shares: pd.DataFrame, min_units: int, group_label=str) -> str:
    """One Markdown sentence: the minimum, why (a share of fewer paragraphs moves in steps of at
    least 1 / (min_units - 1)), and the interviews below it with their paragraphs, words and
    audience."""
    small = shares[shares["n_units"] < min_units].sort_values("n_units")
    step = 1 / max(min_units - 1, 1)
    text = (
        f"**Small interviews.** The minimum is {min_units} answer paragraphs: a share of fewer moves in steps of "
        f"{step:.0%} or more, so one paragraph's coding decides a large part of its interview's value, and an "
        "equal-weight mean gives it the weight of the longest interview. "
    )
    if small.empty:
        return text + "No interview falls below it."
    names = "; ".join(
        f"{r.outlet} ({group_label(r.audience)}, {r.n_units} paragraph{'s' if r.n_units != 1 else ''}, "
        f"{r.n_words:,} words)"
        for r in small.itertuples()
    )
    return text + f"{len(small)} of {len(shares)} interviews fall below it: {names}."


def _named(frames: str, labels: dict) -> str:
    return ", ".join(labels.get(f, f) for f in frames.split(", "))


def _weightings(names: list[str]) -> str:
    return "under " + ", ".join(names)


def profile_line(changes: pd.DataFrame, labels: dict, group_label=str) -> str:
    """One Markdown sentence flagging each group whose top frames change between the weightings
    of :func:`profile_changes`, or saying that none does."""
    changed = changes[changes["changed"]]
    names = list(dict.fromkeys(changes["weighting"]))
    if changed.empty:
        return (
            "* **Profiles under other weightings.** The top frames of every audience are the same "
            + _weightings(names)
            + "."
        )
    items = []
    for r in changed.itertuples():
        before = changes[(changes["group"] == r.group) & (changes["weighting"] == names[0])]["top"].iat[0]
        items.append(
            f"{group_label(r.group)} {r.weighting}: {_named(r.top, labels)} (equal weights: {_named(before, labels)})"
        )
    return (
        "* **Profiles under other weightings: changed.** The top frames differ from the equal-weight ones for "
        + "; ".join(items)
        + ". Read these profiles as resting on how interviews are weighed."
    )
