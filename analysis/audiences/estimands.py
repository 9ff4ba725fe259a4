"""Two estimands of an audience difference in framing, kept apart.

* The **total** difference (:func:`total_effects`): how much more often the audience heard the
  frame, whatever led to it. The journalists' questions are part of what an audience brings to an
  interview (in the seed study 47 of the 53 answer paragraphs that follow a question on civilian
  victims are in Turkish interviews), so adjusting for them would remove part of the audience's
  effect: a question is a mediator, not a confounder (Rosenbaum 1984; Pearl 2001). The total
  model adjusts only for what comes before the audience's influence: the day of the war. This is
  the primary estimand; the pre-specified hypotheses are tested on it.
* The difference **given what was asked** (:func:`conditional_effects`): among answers to questions
  that did not raise the frame, and among those that did, from a model with an audience x asked
  interaction. A different question (does the speaker bring the frame in of his own accord, does
  he take it up differently), never a stand-in for the total. It can be estimated only where an
  audience has answers after such a question: :func:`positivity_table` counts them.

References: Rosenbaum, P. R. (1984). The consequences of adjustment for a concomitant variable
that has been affected by the treatment. Journal of the Royal Statistical Society A 147, 656-666.
Pearl, J. (2001). Direct and indirect effects. Proceedings of UAI 2001, 411-420.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from ..stats.intervals import holm
from ..stats.models import EFFECT_COLUMNS, _t_test, design, effect_row, fit_clustered, group_contrast, presence_effects

#: Covariates of the total estimand: only what precedes the audience (the day of the war).
TOTAL_COVARIATES = ("day",)

CONDITIONAL_COLUMNS = [
    "frame",
    "given",
    "group_a",
    "group_b",
    "ratio",
    "low",
    "high",
    "p",
    "asked_a",
    "asked_b",
    "note",
]


def total_effects(
    modelled: pd.DataFrame, frame_ids: Sequence[str], groups: Sequence[str], errors: str = "CR1"
) -> pd.DataFrame:
    """The total audience difference per frame: :func:`analysis.stats.models.presence_effects` with the
    day of the war as the only covariate (``modelled`` is :func:`analysis.audiences.coded.model_table`), and
    ``p_holm`` over every contrast of the table. ``errors``: "CR1" or "CR2" (few clusters)."""
    effects = presence_effects(modelled, frame_ids, groups, covariates=TOTAL_COVARIATES, errors=errors)
    return effects.assign(p_holm=holm(effects["p"].to_numpy()))


def positivity_table(modelled: pd.DataFrame, frame_ids: Sequence[str], groups: Sequence[str]) -> pd.DataFrame:
    """Per frame and audience, the answer paragraphs (``paragraphs``) and those that follow a
    question raising the frame (``after_question``, and their ``share``): where an audience has
    none, the difference given that the question raised the frame cannot be estimated for it."""
    rows = []
    for frame in frame_ids:
        asked = modelled.get(f"asked_{frame}", pd.Series(0, index=modelled.index))
        for g in groups:
            mine = modelled["audience"] == g
            rows.append(
                {
                    "frame": frame,
                    "audience": g,
                    "paragraphs": int(mine.sum()),
                    "after_question": int(asked[mine].sum()),
                    "share": float(asked[mine].mean()) if mine.any() else np.nan,
                }
            )
    return pd.DataFrame(rows)


def conditional_design(table: pd.DataFrame, groups: Sequence[str], asked: str) -> tuple[pd.DataFrame, list[str]]:
    """The model matrix of the estimand given the question: :func:`analysis.stats.models.design` with
    the day, then one column ``asked[g]`` per group that has answers after such a question (1 for
    its paragraphs whose question raised the frame), so that a group's coefficient is its log odds
    when the question did not raise the frame and ``group + asked[g]`` when it did. Returns the
    matrix and the groups with an ``asked`` column."""
    X, _ = design(table, list(groups), TOTAL_COVARIATES)
    with_asked = [g for g in groups if ((table["audience"] == g) & (table[asked] == 1)).any()]
    for g in with_asked:
        X[f"asked[{g}]"] = ((table["audience"] == g) & (table[asked] == 1)).astype(float)
    return X, with_asked


def conditional_effects(
    modelled: pd.DataFrame,
    frame_ids: Sequence[str],
    groups: Sequence[str],
    min_asked: int = 5,
    errors: str = "CR1",
) -> pd.DataFrame:
    """The audience difference given what was asked: per frame, a logistic regression of the
    frame's presence on the audience, the day and an audience x asked interaction
    (:func:`conditional_design`), errors clustered by interview. For every pair, the odds ratio
    when the question did not raise the frame (``given`` "not asked") and, where both audiences
    have at least ``min_asked`` answer paragraphs after such a question, when it did (``given``
    "asked"; otherwise the row's ``note`` says why it is missing). ``asked_a``, ``asked_b`` count
    those paragraphs. Returns ``CONDITIONAL_COLUMNS`` with ``p_holm`` over the rows."""
    data = modelled[modelled["audience"].isin(groups)].reset_index(drop=True)
    clusters = pd.factorize(data["doc_id"])[0]
    rows = []
    for frame in frame_ids:
        table = data.assign(_asked=data.get(f"asked_{frame}", 0))
        X, with_asked = conditional_design(table, groups, "_asked")
        result, note, tester = fit_clustered(table[frame].astype(float), X, clusters, errors)
        names = list(X.columns)
        test = tester or (lambda v, r=result: _t_test(r, v))
        counts = table[table["_asked"] == 1].groupby("audience").size()
        for a, b in combinations(groups, 2):
            base = group_contrast(names, groups, a, b)
            n_a, n_b = int(counts.get(a, 0)), int(counts.get(b, 0))
            rows.append(_row(frame, "not asked", a, b, test(base), n_a, n_b, note))
            if min(n_a, n_b) >= min_asked:
                vector = base + _asked_vector(names, a) - _asked_vector(names, b)
                rows.append(_row(frame, "asked", a, b, test(vector), n_a, n_b, note))
            else:
                rows.append(
                    {"frame": frame, "given": "asked", "group_a": a, "group_b": b, "asked_a": n_a, "asked_b": n_b}
                    | {"note": f"fewer than {min_asked} answers after such a question: not estimable (positivity)"}
                )
    table = pd.DataFrame(rows).reindex(columns=CONDITIONAL_COLUMNS)
    estimated = table["p"].notna()
    table.loc[estimated, "p_holm"] = holm(table.loc[estimated, "p"].to_numpy())
    return table


def _asked_vector(names: list[str], group: str) -> np.ndarray:
    vector = np.zeros(len(names))
    vector[names.index(f"asked[{group}]")] = 1
    return vector


def _row(frame, given, a, b, tested, n_a, n_b, note) -> dict:
    return effect_row(frame, a, b, tested, note, asked_a=n_a, asked_b=n_b) | {"given": given}


def hypothesis_tests(
    total: pd.DataFrame, total_cr2: pd.DataFrame, hypotheses: Sequence[tuple[str, str, str]]
) -> pd.DataFrame:
    """The pre-specified hypotheses tested on the total difference
    (:func:`analysis.audiences.coded.directional_tests` on :func:`total_effects`), once with CR1 and once
    with CR2 errors: the CR1 columns, then ``low_cr2``, ``high_cr2``, ``p_holm_cr2``, and
    ``supported`` only where Holm's p is below 0.05 under both (a verdict must survive the
    small-sample errors); ``supported_cr1`` keeps the CR1 verdict."""
    from .coded import directional_tests

    cr1 = directional_tests(total, hypotheses).rename(columns={"supported": "supported_cr1"})
    cr2 = directional_tests(total_cr2, hypotheses)
    out = cr1.assign(low_cr2=cr2["low"], high_cr2=cr2["high"], p_holm_cr2=cr2["p_holm"])
    out["supported"] = out["supported_cr1"] & (out["p_holm_cr2"] < 0.05)
    return out


__all__ = [
    "CONDITIONAL_COLUMNS",
    "EFFECT_COLUMNS",
    "TOTAL_COVARIATES",
    "conditional_design",
    "conditional_effects",
    "hypothesis_tests",
    "positivity_table",
    "total_effects",
]
