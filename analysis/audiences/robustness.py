"""One robustness table for the claims a summary makes: rows are claims ("frame higher for one
audience than another"), columns are specifications (interview means, the total model, the
difference given the question, small-cluster errors, a matched date window, leaving one
interview out, word weighting, without the smallest interviews, precision-weighted pooling), and
each cell holds the estimate in the claim's direction with its 95% interval and whether the claim
holds there.

A claim **holds** in a specification when its estimate lies on the claimed side of no difference
(0 for a difference of shares, 1 for an odds ratio) and its 95% interval excludes no difference
(uncorrected: the correction over many tests belongs to the primary test, which the summary
reports); in the leave-one-out column, when every refit keeps the sign with a permutation p below
0.05 (:func:`analysis.audiences.comparisons.leave_one_out`). A cell that could not be estimated neither holds
nor fails, and is not counted.

The pipeline reads like the rest of the package: :func:`claims_from` -> :func:`oriented` (one call
per specification) -> :func:`add_verdicts` -> :func:`robustness_matrix`, and
:func:`analysis.audiences.sentences.robustness_line`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

CLAIM_KEYS = ["frame", "higher", "lower"]
CELL_COLUMNS = [*CLAIM_KEYS, "specification", "estimate", "low", "high", "null", "holds"]


def claims_from(
    hypotheses: pd.DataFrame | None = None, established: Sequence[pd.DataFrame] = (), value: str = "difference"
) -> pd.DataFrame:
    """The claims of a summary: every pre-specified hypothesis (``hypotheses``:
    :func:`analysis.audiences.coded.directional_tests`, claim "pre-specified") and every difference that
    survives Holm's correction in one of ``established`` (tables with ``group_a``, ``group_b``,
    ``frame``, ``p_holm`` and ``difference`` or ``ratio``, oriented to the audience found higher;
    claim "established"). Returns ``frame``, ``higher``, ``lower``, ``claim``, one row per claim."""
    rows = []
    if hypotheses is not None:
        rows += [
            {"frame": r.frame, "higher": r.higher, "lower": r.lower, "claim": "pre-specified"}
            for r in hypotheses.itertuples()
        ]
    for table in established:
        for r in table[table["p_holm"] < 0.05].itertuples():
            up = (r.difference > 0) if "difference" in table else (r.ratio > 1)
            a, b = (r.group_a, r.group_b) if up else (r.group_b, r.group_a)
            rows.append({"frame": r.frame, "higher": a, "lower": b, "claim": "established"})
    claims = pd.DataFrame(rows, columns=[*CLAIM_KEYS, "claim"])
    return claims.drop_duplicates(CLAIM_KEYS).reset_index(drop=True)


def oriented(
    claims: pd.DataFrame,
    table: pd.DataFrame,
    specification: str,
    value: str = "difference",
    frame: str = "frame",
    holds: str | None = None,
) -> pd.DataFrame:
    """One specification's cells: for each claim, the row of ``table`` (``group_a``, ``group_b``,
    ``frame`` and ``value`` with ``low`` and ``high``; ``value`` "difference" (a - b, no difference
    at 0) or "ratio" (a / b, at 1)) turned to read higher against lower. ``holds`` names a column
    of ``table`` that already says whether the claim holds (leave one out). A claim the table does
    not estimate gets NaN. Returns ``CELL_COLUMNS`` (``holds`` NaN until :func:`add_verdicts`)."""
    null = 0.0 if value == "difference" else 1.0
    keyed = table.rename(columns={frame: "frame"}).set_index(["frame", "group_a", "group_b"])
    rows = []
    for c in claims.itertuples():
        row = {"frame": c.frame, "higher": c.higher, "lower": c.lower, "specification": specification, "null": null}
        for a, b, forward in ((c.higher, c.lower, True), (c.lower, c.higher, False)):
            if (c.frame, a, b) in keyed.index:
                r = keyed.loc[(c.frame, a, b)]
                estimate, low, high = (float(r[value]), _get(r, "low"), _get(r, "high"))
                if not forward:
                    estimate, low, high = _flip(estimate, low, high, value)
                row |= {"estimate": estimate, "low": low, "high": high}
                if holds:
                    row["holds"] = bool(r[holds])
                break
        rows.append(row)
    return pd.DataFrame(rows).reindex(columns=CELL_COLUMNS)


def _get(row, column) -> float:
    return float(row[column]) if column in row and pd.notna(row[column]) else np.nan


def _flip(estimate, low, high, value):
    if value == "difference":
        return -estimate, -high, -low
    return 1 / estimate, 1 / high, 1 / low


def add_verdicts(cells: pd.DataFrame) -> pd.DataFrame:
    """``cells`` with ``holds`` filled where it is empty: True when the estimate lies beyond
    ``null`` in the claim's direction and the interval's lower end does too, False when estimated
    and not so, NaN (not counted) when there is no estimate or no interval."""
    out = cells.copy().astype({"holds": object})
    empty = out["holds"].isna()
    estimated = out["estimate"].notna() & out["low"].notna()
    verdict = (out["estimate"] > out["null"]) & (out["low"] > out["null"])
    out.loc[empty & estimated, "holds"] = verdict[empty & estimated]
    return out


def robustness_matrix(
    cells: pd.DataFrame, claims: pd.DataFrame, translation: Callable = lambda a, b: ""
) -> pd.DataFrame:
    """The table a reader sees: one row per claim (``frame``, ``higher``, ``lower``, ``claim``,
    ``translation``: the label of :func:`analysis.audiences.confounders.translation_label`), one column per
    specification holding "holds|fails|not estimated: estimate [low, high]" (the verdict first, so
    no cell begins with a sign), then ``holds_in`` (the
    specifications in which the claim holds) and ``estimated_in`` (those that estimate it)."""
    out = claims.copy()
    out["translation"] = [translation(a, b) for a, b in zip(claims["higher"], claims["lower"])]
    for spec, part in cells.groupby("specification", sort=False):
        keyed = part.set_index(CLAIM_KEYS)
        out[spec] = [_cell_text(keyed.loc[tuple(k)]) for k in claims[CLAIM_KEYS].itertuples(index=False)]
    counted = cells.assign(_key=list(zip(cells["frame"], cells["higher"], cells["lower"])))
    holds = counted.groupby("_key")["holds"].agg(lambda s: int((s == True).sum()))  # noqa: E712
    estimated = counted.groupby("_key")["holds"].agg(lambda s: int(s.notna().sum()))
    keys = list(zip(claims["frame"], claims["higher"], claims["lower"]))
    out["holds_in"] = [holds.get(k, 0) for k in keys]
    out["estimated_in"] = [estimated.get(k, 0) for k in keys]
    return out


def _cell_text(r) -> str:
    if pd.isna(r["estimate"]):
        return "not estimated"
    verdict = "not estimated" if pd.isna(r["holds"]) else ("holds" if r["holds"] else "fails")
    scale = 100 if r["null"] == 0 else 1
    interval = f" [{scale * r['low']:+.1f}, {scale * r['high']:+.1f}]" if pd.notna(r["low"]) else ""
    number = f"{scale * r['estimate']:+.1f}" if r["null"] == 0 else f"{r['estimate']:.2f}"
    if r["null"] != 0 and pd.notna(r["low"]):
        interval = f" [{r['low']:.2f}, {r['high']:.2f}]"
    return f"{verdict}: {number}{interval}"


def pooled_differences(pooled: pd.DataFrame, pairs: Sequence[tuple[str, str]], level: float = 0.95) -> pd.DataFrame:
    """Differences of precision-weighted means (:func:`analysis.stats.pooling.pooled_shares`) for each
    pair and frame: ``group_a``, ``group_b``, ``frame``, ``difference`` (a - b), ``low`` and ``high``
    (t interval with the smaller group's interviews minus one as degrees of freedom, a conservative
    choice for so few), NaN where a group has no standard error."""
    keyed = pooled.set_index(["frame", "group"])
    rows = []
    for frame in pooled["frame"].unique():
        for a, b in pairs:
            if (frame, a) not in keyed.index or (frame, b) not in keyed.index:
                continue
            ra, rb = keyed.loc[(frame, a)], keyed.loc[(frame, b)]
            difference = float(ra["mean"] - rb["mean"])
            se = float(np.hypot(ra["se"], rb["se"]))
            half = stats.t.ppf((1 + level) / 2, max(min(ra["n"], rb["n"]) - 1, 1)) * se
            rows.append(
                {"group_a": a, "group_b": b, "frame": frame, "difference": difference}
                | {"low": difference - half, "high": difference + half}
            )
    return pd.DataFrame(rows, columns=["group_a", "group_b", "frame", "difference", "low", "high"])


def framing_cells(
    claims: pd.DataFrame,
    shares: pd.DataFrame,
    word_shares: pd.DataFrame,
    modelled: pd.DataFrame,
    loo: pd.DataFrame,
    groups: Sequence[str],
    window: Sequence[str] | None,
    min_units: int,
) -> pd.DataFrame:
    """Every specification of 04's robustness table for ``claims``, with verdicts
    (:func:`add_verdicts`): interview means (Welch), the total model (CR1), given the question
    (the contrast when the question did not raise the frame), small-cluster errors (the total model
    under CR2), the matched date ``window`` (the total model on its interviews; skipped when None),
    leave one interview out (``loo``, :func:`analysis.audiences.comparisons.leave_one_out`), word weighting
    (``word_shares``, Welch), without interviews of fewer than ``min_units`` answer paragraphs
    (Welch), and precision-weighted pooling (:func:`analysis.stats.pooling.pooled_shares`). ``shares``
    and ``word_shares`` are :func:`analysis.audiences.coded.frame_shares` by paragraphs and by words,
    ``modelled`` is :func:`analysis.audiences.coded.model_table`."""
    from ..stats.intervals import welch_table
    from ..stats.pooling import drop_small, pooled_shares
    from ..stats.resampling import pairs_of
    from .confounders import in_window
    from .estimands import conditional_effects, total_effects

    if claims.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    frames = sorted(set(claims["frame"]))
    pairs = pairs_of(groups)

    def welch(table):
        enough = table.groupby("audience").size()
        usable = [(a, b) for a, b in pairs if enough.get(a, 0) >= 2 and enough.get(b, 0) >= 2]
        return welch_table(table, frames, usable).rename(columns={"column": "frame"})

    given = conditional_effects(modelled, frames, groups)
    parts = [
        oriented(claims, welch(shares), "interview means"),
        oriented(claims, total_effects(modelled, frames, groups), "paragraph model, total", "ratio"),
        oriented(claims, given[given["given"] == "not asked"], "given the question (not asked)", "ratio"),
        oriented(claims, total_effects(modelled, frames, groups, errors="CR2"), "small-cluster errors (CR2)", "ratio"),
    ]
    if window is not None:
        inside = in_window(modelled, window)
        counts = inside.groupby("audience")["doc_id"].nunique()
        present = [g for g in groups if counts.get(g, 0) >= 2]
        table = total_effects(inside, frames, present) if len(present) >= 2 else pd.DataFrame(columns=["frame"])
        parts.append(
            oriented(
                claims,
                table.reindex(columns=["frame", "group_a", "group_b", "ratio", "low", "high"]),
                "matched date window",
                "ratio",
            )
        )
    parts += [
        oriented(
            claims,
            loo.assign(low=np.nan, high=np.nan).drop(columns="difference").rename(columns={"weakest": "difference"}),
            "leave one interview out",
            holds="holds",
        ),
        oriented(claims, welch(word_shares), "word weighting"),
        oriented(claims, welch(drop_small(shares, min_units)), f"without interviews under {min_units} paragraphs"),
        oriented(claims, pooled_differences(pooled_shares(shares, frames), pairs), "precision-weighted"),
    ]
    return add_verdicts(pd.concat(parts, ignore_index=True))
