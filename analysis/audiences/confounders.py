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
