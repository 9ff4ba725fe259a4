"""Checks of audience differences against what else differs between audiences: when the
interviews were given, and whether they reach us translated.

* :func:`window_check`: the pre-specified contrasts re-estimated on the interviews of a date
  window only (a matched window: Western interviews fall later in the war, median day 27 against
  15.5 for Turkish ones, so a difference that is really a change over the war would shrink or
  vanish inside a window where every audience was interviewed). Shown beside the estimates from
  all interviews, with the interviews behind each. :func:`common_window` finds the days on
  which every audience was interviewed, the window used when the study fixes none.
* :func:`translation_balance`: for each pair of audiences, the share of interviews that reach us
  translated, and whether the pair is balanced (the same share), so that translation cannot
  explain a difference between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..stats.intervals import welch_interval
from ..stats.models import presence_effects
from .coded import directional_tests
from .translation import translation_note  # noqa: F401 (04 and the tests take it from here too)

WINDOW_COLUMNS = [
    "frame",
    "higher",
    "lower",
    "scope",
    "n_higher",
    "n_lower",
    "odds_ratio",
    "low",
    "high",
    "p_one_sided",
    "p_holm",
    "supported",
    "share_difference",
    "share_difference_low",
    "share_difference_high",
    "note",
]


def in_window(table: pd.DataFrame, window: Sequence[str], date: str = "date") -> pd.DataFrame:
    """The rows of ``table`` whose ``date`` (YYYY-MM-DD) lies in ``window`` = (first day, last
    day), both included; rows without a date are left out."""
    first, last = (pd.Timestamp(d) for d in window)
    if last < first:
        raise ValueError(f"the window ends ({window[1]}) before it starts ({window[0]})")
    dates = pd.to_datetime(table[date], errors="coerce", format="%Y-%m-%d")
    return table[(dates >= first) & (dates <= last)]


def common_window(table: pd.DataFrame, audiences: Sequence[str], date: str = "date") -> tuple[str, str] | None:
    """The days on which every one of ``audiences`` was interviewed, as (first day, last day):
    from the latest first interview of an audience to the earliest last one, over the rows of
    ``table`` (one per interview, ``audience`` and ``date`` YYYY-MM-DD). None when an audience
    has no dated interview or the audiences' spans do not overlap. The default window of the
    date check when the study fixes none."""
    dates = pd.to_datetime(table[date], errors="coerce", format="%Y-%m-%d")
    spans = [dates[table["audience"] == a].agg(["min", "max"]) for a in audiences]
    if not spans or any(span.isna().any() for span in spans):
        return None
    first, last = max(span["min"] for span in spans), min(span["max"] for span in spans)
    return (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}") if first <= last else None


def window_check(
    modelled: pd.DataFrame,
    shares: pd.DataFrame,
    hypotheses: Sequence[tuple[str, str, str]],
    window: Sequence[str],
    covariates: Sequence[str] = ("day", "asked", "log_words", "translated"),
    errors: str = "CR1",
) -> pd.DataFrame:
    """Each pre-specified hypothesis ``(frame, higher, lower)`` estimated twice, on all
    interviews (``scope`` "all") and on those of ``window`` only (``scope`` "window"): the odds
    ratio of the frame's presence in an answer paragraph from :func:`analysis.stats.models.presence_effects`
    (``modelled`` is :func:`analysis.audiences.coded.model_table`) with its 95% interval, the one-sided p and
    Holm's correction over the hypotheses of that scope (:func:`analysis.audiences.coded.directional_tests`),
    and the difference of interview shares (``shares``: :func:`analysis.audiences.coded.frame_shares`,
    higher - lower, 0..1) with Welch's 95% interval. ``n_higher`` and ``n_lower`` count the
    interviews behind each. A hypothesis whose audiences have fewer than two interviews in the
    window gets no estimate there, and ``note`` says so. Returns ``WINDOW_COLUMNS``."""
    parts = [
        _estimate_scope(modelled, shares, hypotheses, covariates, "all", errors),
        _estimate_scope(
            in_window(modelled, window), in_window(shares, window), hypotheses, covariates, "window", errors
        ),
    ]
    order = {h: i for i, h in enumerate(hypotheses)}
    table = pd.concat(parts, ignore_index=True)
    table["_order"] = [order[(f, h, lo)] for f, h, lo in zip(table["frame"], table["higher"], table["lower"])]
    return table.sort_values(["_order", "scope"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _estimate_scope(modelled, shares, hypotheses, covariates, scope: str, errors: str = "CR1") -> pd.DataFrame:
    counts = shares.groupby("audience")["doc_id"].nunique()
    enough = [h for h in hypotheses if counts.get(h[1], 0) >= 2 and counts.get(h[2], 0) >= 2]
    groups = sorted({g for _, higher, lower in enough for g in (higher, lower)})
    frames = sorted({h[0] for h in enough})
    tested = pd.DataFrame()
    if enough:
        effects = presence_effects(modelled, frames, groups, covariates=covariates, errors=errors)
        tested = directional_tests(effects, enough).set_index(["frame", "higher", "lower"])
        notes = effects.drop_duplicates("frame").set_index("frame")["note"]
    rows = []
    for frame, higher, lower in hypotheses:
        a, b = shares.loc[shares["audience"] == higher, frame], shares.loc[shares["audience"] == lower, frame]
        row = {"frame": frame, "higher": higher, "lower": lower, "scope": scope, "n_higher": len(a), "n_lower": len(b)}
        if (frame, higher, lower) in tested.index:
            t = tested.loc[(frame, higher, lower)]
            welch = welch_interval(a, b)
            row |= {c: t[c] for c in ("odds_ratio", "low", "high", "p_one_sided", "p_holm", "supported")}
            row |= {
                "share_difference": welch["difference"],
                "share_difference_low": welch["low"],
                "share_difference_high": welch["high"],
            }
            row["note"] = notes.get(frame, "")
        else:
            row["note"] = "fewer than two interviews of an audience: not estimated"
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=WINDOW_COLUMNS)


def window_line(table: pd.DataFrame, window: Sequence[str], labels: dict, group_label=str) -> str:
    """One Markdown sentence comparing the window's estimates (:func:`window_check`) with all
    interviews': how many hypotheses are supported (after Holm within each scope) in each, how
    many keep their odds ratio on the same side of 1, and which cross it, said to be reversed
    only when the window's interval excludes 1 on the other side."""
    full = table[table["scope"] == "all"].reset_index(drop=True)
    inside = table[table["scope"] == "window"].reset_index(drop=True)
    estimated = inside["odds_ratio"].notna()
    same_side = estimated & ((inside["odds_ratio"] > 1) == (full["odds_ratio"] > 1))
    crossed = inside[estimated & ~same_side]
    reversed_ = crossed[(crossed["low"] > 1) | (crossed["high"] < 1)]
    text = (
        f"**Matched date window, {window[0]} to {window[1]}** ({_window_sizes(inside, group_label)}): "
        f"{int(full['supported'].eq(True).sum())} of {len(full)} pre-specified hypotheses are supported after "
        f"Holm's correction on all interviews, {int(inside['supported'].eq(True).sum())} of {int(estimated.sum())} "
        f"in the window; {int(same_side.sum())} of {int(estimated.sum())} keep their odds ratio on the same side of 1."
    )
    if len(crossed):
        text += " On the other side of 1 in the window: " + _hypotheses(crossed, labels, group_label)
        text += (
            f". {len(reversed_)} of these intervals {'excludes' if len(reversed_) == 1 else 'exclude'} 1 (a reversal)."
            if len(reversed_)
            else ". Every one of these intervals includes 1: no reversal, the window is too small to tell."
        )
    kept = inside[inside["supported"].eq(True)]
    if len(kept):
        text += " Supported in the window: " + _hypotheses(kept, labels, group_label) + "."
    return text + " With fewer interviews the window's intervals are wider; a correction lost there is not a reversal."


def _hypotheses(rows: pd.DataFrame, labels: dict, group_label) -> str:
    """The hypotheses of ``rows`` with their odds ratios, joined by semicolons."""
    return "; ".join(
        f"{labels.get(r.frame, r.frame)}, {group_label(r.higher)} vs {group_label(r.lower)}: odds ratio "
        f"{r.odds_ratio:.2f} [{r.low:.2f}, {r.high:.2f}]"
        for r in rows.itertuples()
    )


def _window_sizes(inside: pd.DataFrame, group_label) -> str:
    sizes = {}
    for r in inside.itertuples():
        sizes[r.higher], sizes[r.lower] = r.n_higher, r.n_lower
    return ", ".join(f"{n} {group_label(g)}" for g, n in sizes.items()) + " interviews"


def translation_balance(shares: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """For each pair of audiences: the interviews of each (``n_a``, ``n_b``), how many reach us
    translated (``translated_a``, ``translated_b``: ``translated`` == "true"), how many have no
    known status (``unknown_a``, ``unknown_b``: never counted as not translated) and ``balanced``
    (the same share translated in both and no unknown status, so translation cannot explain a
    difference between them)."""
    rows = []
    for a, b in pairs:
        part_a, part_b = shares[shares["audience"] == a], shares[shares["audience"] == b]
        t_a, t_b = int((part_a["translated"] == "true").sum()), int((part_b["translated"] == "true").sum())
        u_a, u_b = (int((~part["translated"].isin(["true", "false"])).sum()) for part in (part_a, part_b))
        share_a = t_a / len(part_a) if len(part_a) else np.nan
        share_b = t_b / len(part_b) if len(part_b) else np.nan
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "n_a": len(part_a),
                "n_b": len(part_b),
                "translated_a": t_a,
                "translated_b": t_b,
                "unknown_a": u_a,
                "unknown_b": u_b,
                "balanced": bool(np.isclose(share_a, share_b)) and u_a == u_b == 0,
            }
        )
    return pd.DataFrame(rows)


def translation_line(balance: pd.DataFrame, group_label=str) -> str:
    """One Markdown sentence naming the pairs in which translation is balanced, with the counts."""
    balanced = balance[balance["balanced"]]
    if balanced.empty:
        return (
            "**Translation** is balanced in no pair of audiences: every comparison mixes translated and English text."
        )
    names = "; ".join(
        f"{group_label(r.group_a)} vs {group_label(r.group_b)} ({r.translated_a} of {r.n_a} and {r.translated_b} of "
        f"{r.n_b} interviews translated)"
        for r in balanced.itertuples()
    )
    only = "the only pair" if len(balanced) == 1 else "the pairs"
    return (
        f"**Translation** is balanced in {names}: {only} that translation does not split, so a difference there "
        "cannot be the difference between translated and English text (translators and source languages may "
        "still differ). Every other pair sets translated interviews against English ones."
    )


def translation_label(shares: pd.DataFrame) -> Callable[[str, str], str]:
    """A function of two audiences giving the label a contrast between them carries: "translated
    vs English-language" when most interviews of the first reach us translated (``translated`` ==
    "true") and most of the second do not ("false"), the reverse for the reverse, "" otherwise.
    An interview of unknown status counts for neither, so it never makes a pair look confounded."""
    status = shares.groupby("audience")["translated"]
    translated = status.agg(lambda s: (s.astype(str) == "true").mean()).to_dict()
    english = status.agg(lambda s: (s.astype(str) == "false").mean()).to_dict()

    def label(a: str, b: str) -> str:
        if translated.get(a, 0) > 0.5 and english.get(b, 0) > 0.5:
            return "translated vs English-language"
        if english.get(a, 0) > 0.5 and translated.get(b, 0) > 0.5:
            return "English-language vs translated"
        return ""

    return label


def label_contrasts(
    table: pd.DataFrame, label: Callable[[str, str], str], a: str = "group_a", b: str = "group_b"
) -> pd.DataFrame:
    """``table`` with a ``translation`` column: :func:`translation_label` of each row's pair
    (``a`` and ``b`` name the columns of the two audiences), so that a contrast between translated
    and English-language interviews says so wherever it is shown."""
    return table.assign(translation=[label(x, y) for x, y in zip(table[a], table[b])])


def balanced_power_line(balance: pd.DataFrame, power: pd.DataFrame, n_tests: int, group_label=str) -> str:
    """The summary's sentence on what the pairs that translation leaves balanced
    (:func:`translation_balance`) can show: for each, the smallest two-sided p an exact
    permutation test over its interviews can give (``power``: :func:`analysis.stats.intervals.power_table`)
    against Holm's first threshold 0.05 / ``n_tests``, and so whether any of its differences of
    interview means could be established at all."""
    keyed = power.set_index(["group_a", "group_b"])
    balanced = [
        (r.group_a, r.group_b)
        for r in balance[balance["balanced"]].itertuples()
        if (r.group_a, r.group_b) in keyed.index
    ]
    if not balanced:
        return (
            "* **Translation.** No pair of audiences is balanced in translation: every contrast sets translated "
            "against English-language interviews, and translation may explain any difference."
        )
    items = []
    for a, b in balanced:
        r = keyed.loc[(a, b)]
        verdict = "can pass" if r["can_pass"] else "can never pass"
        items.append(
            f"{group_label(a)} vs {group_label(b)} ({r['n_a']} and {r['n_b']} interviews): smallest exact p "
            f"{r['smallest_p']:.5f} against 0.05/{n_tests} = {0.05 / n_tests:.5f}, so it {verdict} the correction"
        )
    rest = (
        " Every other contrast sets translated against English-language interviews and is labelled so."
        if len(balanced) < len(balance)
        else ""
    )
    return (
        "* **Translation.** The only contrasts translation does not confound are those of the balanced pair"
        + ("s" if len(items) > 1 else "")
        + ": "
        + "; ".join(items)
        + "."
        + rest
    )
