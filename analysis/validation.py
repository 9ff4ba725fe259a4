"""Agreement between a detector and human coding, frame by frame.

Precision, recall and F1 treat the human codes as the truth; Cohen's kappa (Cohen 1960) measures
agreement beyond chance, for the detector against a coder or for two coders against each other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


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
