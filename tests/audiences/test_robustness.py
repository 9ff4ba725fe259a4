"""The robustness table's verdicts on hand-made tables: a claim holds where its estimate is on the
claimed side and the interval excludes no difference, whichever way round the table states the
pair; the count per claim and the summary sentence follow."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.audiences.robustness import add_verdicts, claims_from, oriented, pooled_differences, robustness_matrix
from analysis.audiences.sentences import robustness_line

CLAIMS = pd.DataFrame(
    {"frame": ["f", "g"], "higher": ["w", "t"], "lower": ["t", "w"], "claim": ["pre-specified", "established"]}
)


def _cells():
    # the table states t against w: f is 10 points lower for t (so higher for w), g 3 points higher for t
    differences = pd.DataFrame(
        {
            "group_a": ["t", "t"],
            "group_b": ["w", "w"],
            "frame": ["f", "g"],
            "difference": [-0.10, 0.03],
            "low": [-0.18, -0.02],
            "high": [-0.02, 0.08],
        }
    )
    # odds ratios w against t: f 2.0 [1.2, 3.3] holds; g 1/0.5 -> t vs w 2.0 but [0.9, ...] fails
    ratios = pd.DataFrame(
        {
            "group_a": ["w", "w"],
            "group_b": ["t", "t"],
            "frame": ["f", "g"],
            "ratio": [2.0, 0.5],
            "low": [1.2, 0.2],
            "high": [3.3, 1.1],
        }
    )
    loo = pd.DataFrame(
        {
            "group_a": ["t", "t"],
            "group_b": ["w", "w"],
            "frame": ["f", "g"],
            "difference": [-0.06, 0.01],
            "holds": [True, False],
        }
    )
    parts = [
        oriented(CLAIMS, differences, "means"),
        oriented(CLAIMS, ratios, "model", "ratio"),
        oriented(CLAIMS, loo.assign(low=np.nan, high=np.nan), "leave one out", holds="holds"),
        oriented(CLAIMS, differences.iloc[:1], "only f"),
    ]
    return add_verdicts(pd.concat(parts, ignore_index=True))


def test_cells_are_turned_to_the_claims_direction_and_judged():
    cells = _cells().set_index(["frame", "specification"])
    assert cells.loc[("f", "means"), ["estimate", "low", "high"]].tolist() == [0.10, 0.02, 0.18]
    assert cells.loc[("f", "means"), "holds"] == True  # noqa: E712
    assert cells.loc[("g", "means"), "holds"] == False  # noqa: E712  (interval includes 0)
    assert cells.loc[("g", "model"), "estimate"] == 2.0 and cells.loc[("g", "model"), "low"] == 1 / 1.1
    assert cells.loc[("g", "model"), "holds"] == False  # noqa: E712
    assert cells.loc[("f", "leave one out"), "holds"] == True  # noqa: E712
    assert pd.isna(cells.loc[("g", "only f"), "holds"])  # not estimated: not counted


def test_the_matrix_counts_the_specifications_a_claim_holds_in_and_the_line_says_so():
    matrix = robustness_matrix(_cells(), CLAIMS, lambda a, b: "English vs translated" if a == "w" else "")
    assert matrix["holds_in"].tolist() == [4, 0] and matrix["estimated_in"].tolist() == [4, 3]
    assert matrix.loc[0, "means"] == "holds: +10.0 [+2.0, +18.0]"
    assert matrix.loc[1, "only f"] == "not estimated"
    line = robustness_line(matrix, {"f": "F", "g": "G"}, where="figures/x.csv")
    assert "F higher for w than t (pre-specified, English vs translated): 4 of 4" in line
    assert "G higher for t than w (established): 0 of 3" in line
    assert "1 of 2 claims hold in every specification" in line and "figures/x.csv" in line


def test_claims_come_from_the_hypotheses_and_the_established_differences_once_each():
    hypotheses = pd.DataFrame({"frame": ["f"], "higher": ["w"], "lower": ["t"]})
    tests = pd.DataFrame(
        {
            "group_a": ["t", "t"],
            "group_b": ["w", "w"],
            "frame": ["f", "g"],
            "difference": [-0.1, 0.2],
            "p_holm": [0.01, 0.2],
        }
    )
    effects = pd.DataFrame({"group_a": ["t"], "group_b": ["w"], "frame": ["h"], "ratio": [3.0], "p_holm": [0.001]})
    claims = claims_from(hypotheses, [tests, effects])
    assert claims[["frame", "higher", "lower", "claim"]].values.tolist() == [
        ["f", "w", "t", "pre-specified"],
        ["h", "t", "w", "established"],
    ]


def test_pooled_differences_add_the_variances():
    pooled = pd.DataFrame(
        {"frame": ["f", "f"], "group": ["t", "w"], "n": [4, 6], "mean": [0.3, 0.1], "se": [0.03, 0.04]}
    )
    row = pooled_differences(pooled, [("t", "w")]).iloc[0]
    from scipy import stats

    half = stats.t.ppf(0.975, 3) * 0.05
    assert np.isclose(row["difference"], 0.2) and np.isclose(row["high"] - row["low"], 2 * half)
