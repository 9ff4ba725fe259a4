"""Audience comparisons of topic shares: on a log-ratio scale, stable topics only, corrected as
one family, with a model-based effect and the power limits beside them.

An interview's topic shares sum to one, so a rise of one topic is a fall of others and the
shares are not free to vary on their own (Aitchison 1986). Each topic is therefore compared on
the log-ratio of its share to the rest of the interview, the topic against all others pooled
(an additive log-ratio after amalgamating the other parts): the *empirical logit*

    logit_t = log((s_t n + 0.5) / ((1 - s_t) n + 0.5)),

with s_t the topic's share of the interview's n tokens. The half-token pseudo-count (Haldane
1956; Cox 1970, section 3.2) keeps a topic an interview never touches finite without letting a
95-word interview swing the scale: it shrinks a share of 0 to about 0.5 / n.

For each pair of audiences and each stable topic: the difference of the audiences' mean logits
(a log odds ratio of the share, each interview one point) with Welch's t interval, valid for 3 to
11 interviews (:mod:`analysis.stats.intervals`), the permutation test over interviews beside it
(:func:`analysis.stats.resampling.permutation_p`, exact when the splits are few), and Holm's correction
over every stable topic and pair tested, one family (Holm 1979). Topics below the stability
threshold are shown, labelled unstable, and never tested: a topic that changes with the seed is
not a fixed quantity to compare.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.intervals import holm, welch_interval
from ..stats.models import war_day
from ..stats.resampling import permutation_p
from ..text.dtm import DocumentTermMatrix
from .topics import TopicModel, interview_shares

#: Tokens added to a topic's and to the rest's count before the log-ratio (see the module docstring).
PSEUDO_COUNT = 0.5

TEST_COLUMNS = [
    "group_a",
    "group_b",
    "topic",
    "label",
    "stable",
    "n_a",
    "n_b",
    "share_a",
    "share_b",
    "difference",
    "low",
    "high",
    "welch_p",
    "p",
    "p_holm",
    "survives_holm",
]


def share_logits(shares: pd.DataFrame, topics: Sequence[int], pseudo: float = PSEUDO_COUNT) -> pd.DataFrame:
    """The empirical logit of each topic's share per interview (module docstring). ``shares`` is
    :func:`analysis.measures.topics.interview_shares` (one row per interview, ``n_tokens``, one column
    per topic, 0..1); returns a copy with those columns replaced by their log-ratios (natural
    log, the topic against the rest of the interview)."""
    out = shares.copy()
    n = shares["n_tokens"].to_numpy(dtype=float)
    if (n <= 0).any():
        raise ValueError("every interview needs tokens to take log-ratios of its topic shares")
    for t in topics:
        s = shares[t].to_numpy(dtype=float)
        out[t] = np.log((s * n + pseudo) / ((1 - s) * n + pseudo))
    return out


def interview_table(model: TopicModel, dtm: DocumentTermMatrix) -> pd.DataFrame:
    """:func:`analysis.measures.topics.interview_shares` with each interview's ``date`` and ``day`` of the
    war (:func:`analysis.stats.models.war_day`), as the share model needs."""
    shares = interview_shares(model, dtm)
    dates = dtm.units.groupby("doc_id", sort=True)["date"].first()
    shares["date"] = dates.reindex(shares["doc_id"]).to_numpy()
    shares["day"] = war_day(shares["date"]).to_numpy()
    translated = dtm.units.groupby("doc_id", sort=True)["translated"].first()
    shares["translated"] = translated.reindex(shares["doc_id"]).to_numpy()
    return shares


def translation_confounded(shares: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The pairs of audiences whose shares of translated interviews (``translated`` == "true")
    differ by more than half: a difference between them may be the translators' as much as the
    speaker's."""
    translated = shares.groupby("audience")["translated"].agg(lambda s: (s == "true").mean())
    return {(a, b) for a, b in pairs if abs(translated.get(a, np.nan) - translated.get(b, np.nan)) > 0.5}


def stable_topics(stability: Sequence[float], threshold: float) -> list[int]:
    """The topics (0-based) whose stability across seeds reaches ``threshold``."""
    return [t for t, s in enumerate(stability) if s >= threshold]


def compare_topic_shares(
    shares: pd.DataFrame,
    labels: Sequence[str],
    pairs: Sequence[tuple[str, str]],
    stable: Sequence[int],
    n_resamples: int = 9999,
    seed: int = 0,
) -> pd.DataFrame:
    """Every pair of audiences and every topic (``topic`` 0-based, ``label``; 03 writes it numbered
    from 1, :func:`analysis.measures.topics.numbered`): ``share_a`` and ``share_b`` (mean share over
    interviews, 0..1), ``difference`` (mean log-ratio a - b, a log odds ratio of the share) with
    Welch's 95% interval ``low``, ``high`` and ``welch_p``, the permutation p over interviews
    ``p``, ``p_holm`` (Holm over the rows with ``stable`` true: every stable topic in every
    pair, one family) and ``survives_holm`` (``p_holm`` < 0.05; whether the difference is
    *established* is decided by :func:`analysis.measures.topic_checks.check_differences`). Unstable
    topics keep their shares and interval for display; their p-values are empty. ``shares`` is
    :func:`analysis.measures.topics.interview_shares`; pairs whose groups have fewer than two interviews
    are left out."""
    topics = list(range(len(labels)))
    logits = share_logits(shares, topics)
    rng = np.random.default_rng(seed)
    rows = []
    for a, b in pairs:
        in_a, in_b = shares["audience"] == a, shares["audience"] == b
        if in_a.sum() < 2 or in_b.sum() < 2:
            continue
        p = permutation_p(logits.loc[in_a, topics].to_numpy(), logits.loc[in_b, topics].to_numpy(), n_resamples, rng)
        for t in topics:
            welch = welch_interval(logits.loc[in_a, t], logits.loc[in_b, t])
            rows.append(
                {
                    "group_a": a,
                    "group_b": b,
                    "topic": t,
                    "label": labels[t],
                    "stable": t in stable,
                    "n_a": int(in_a.sum()),
                    "n_b": int(in_b.sum()),
                    "share_a": shares.loc[in_a, t].mean(),
                    "share_b": shares.loc[in_b, t].mean(),
                    "difference": welch["difference"],
                    "low": welch["low"],
                    "high": welch["high"],
                    "welch_p": welch["p"] if t in stable else np.nan,
                    "p": p[t] if t in stable else np.nan,
                }
            )
    # Typed even when empty: an empty object column would select columns, not rows, in table[table["stable"]].
    table = pd.DataFrame(rows, columns=TEST_COLUMNS[:-2]).astype({"stable": bool, "p": float})
    table["p_holm"] = np.nan
    tested = table["stable"].to_numpy(dtype=bool)
    if tested.any():
        table.loc[tested, "p_holm"] = holm(table.loc[tested, "p"].to_numpy())
    table["survives_holm"] = table["p_holm"] < 0.05
    return table[TEST_COLUMNS]


def translation_caption(confounded: set[tuple[str, str]], group_label=str) -> str:
    """The sentence a figure's caption adds for the pairs in ``confounded``
    (:func:`translation_confounded`), or "" when there are none."""
    if not confounded:
        return ""
    pairs = ", ".join(f"{group_label(a)} vs {group_label(b)}" for a, b in sorted(confounded))
    return (
        f" {pairs} compare{'s' if len(confounded) == 1 else ''} translated with English-language interviews: a "
        "difference there may be the translators' wording as much as the speaker's."
    )


def untestable_pairs(shares: pd.DataFrame, pairs: Sequence[tuple[str, str]], group_label=str) -> list[str]:
    """One sentence per pair of ``pairs`` that :func:`compare_topic_shares` leaves out because a
    group has fewer than two interviews in ``shares`` (``audience``, one row per interview): a
    group of one interview has no spread between interviews, so no interval or test over
    interviews can be computed for it."""
    sizes = shares["audience"].value_counts()
    lines = []
    for a, b in pairs:
        small = [g for g in (a, b) if sizes.get(g, 0) < 2]
        if small:
            counts = " and ".join(
                f"{group_label(g)} has {sizes.get(g, 0)} interview{'' if sizes.get(g, 0) == 1 else 's'}" for g in small
            )
            lines.append(
                f"{group_label(a)} vs {group_label(b)} cannot be tested: {counts}, and a comparison over interviews "
                "needs at least two in each group."
            )
    return lines


def pair_effects(effects: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The rows of a model's effect table (:func:`analysis.stats.models.share_effects`) for ``pairs``,
    each turned to read ``a`` against ``b`` (ratio and interval inverted where the model had
    them the other way round), with ``p_holm`` over the rows kept (one family). Its ``frame``
    column holds the 0-based topic; 03 writes it as ``topic`` numbered from 1
    (:func:`analysis.measures.topics.numbered`)."""
    rows = []
    for a, b in pairs:
        same = effects[(effects["group_a"] == a) & (effects["group_b"] == b)]
        flipped = effects[(effects["group_a"] == b) & (effects["group_b"] == a)]
        flipped = flipped.assign(
            group_a=a, group_b=b, ratio=1 / flipped["ratio"], low=1 / flipped["high"], high=1 / flipped["low"]
        )
        rows += [same, flipped]
    table = pd.concat(rows, ignore_index=True)
    table["p_holm"] = holm(table["p"].to_numpy()) if len(table) else []
    return table
