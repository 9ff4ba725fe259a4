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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats.intervals import group_intervals, holm, power_table, welch_interval
from ..stats.models import EFFECT_COLUMNS, share_effects, war_day
from ..stats.resampling import pairs_of, permutation_p
from ..text.dtm import DocumentTermMatrix
from .topics import TopicModel, audience_shares, interview_shares

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


@dataclass(frozen=True)
class ShareTables:
    """Topic shares as 03 shows and compares them (:func:`tabulate_shares`): ``by_audience``
    (:func:`analysis.measures.topics.audience_shares`: mean share per topic and audience, 0..1, with
    95% intervals within [0, 1]), ``per_interview`` (:func:`interview_table`: one row per interview,
    its shares, ``n_tokens``, ``date``, ``day`` and ``translated``), ``logits`` (:func:`share_logits`
    of every topic, natural log) and ``intervals`` (per topic and audience the mean logit with its
    95% Student t interval over interviews, :func:`analysis.stats.intervals.group_intervals`)."""

    by_audience: pd.DataFrame
    per_interview: pd.DataFrame
    logits: pd.DataFrame
    intervals: pd.DataFrame


def tabulate_shares(model: TopicModel, dtm: DocumentTermMatrix) -> ShareTables:
    """The tables of :class:`ShareTables` for ``model`` fitted to ``dtm``."""
    per_interview = interview_table(model, dtm)
    logits = share_logits(per_interview, range(model.k))
    return ShareTables(audience_shares(model, dtm), per_interview, logits, group_intervals(logits, range(model.k)))


@dataclass(frozen=True)
class TopicComparison:
    """The audience comparison of topic shares (:func:`compare_topic_pairs`): ``pairs`` (the pairs
    asked for whose audiences both have interviews), ``skipped`` (the pairs asked for that the corpus
    does not have), ``untestable`` (:func:`untestable_pairs`: a sentence per pair with a group of
    fewer than two interviews), ``confounded`` (:func:`translation_confounded`) and ``differences``
    (:func:`compare_topic_shares` of ``pairs`` with ``translated_vs_english``, whether the pair is
    in ``confounded``)."""

    pairs: list[tuple[str, str]]
    skipped: list[tuple[str, str]]
    untestable: list[str]
    confounded: set[tuple[str, str]]
    differences: pd.DataFrame
    power: pd.DataFrame

    @property
    def tested(self) -> pd.DataFrame:
        """The rows of ``differences`` that were tested: stable topics only."""
        return self.differences[self.differences["stable"]]


def compare_topic_pairs(
    shares: pd.DataFrame,
    labels: Sequence[str],
    comparisons: Sequence[Sequence[str]] | None,
    stable: Sequence[int],
    n_resamples: int = 9999,
    seed: int = 0,
    groups: Sequence[str] = (),
    group_label=str,
) -> TopicComparison:
    """Compare the topic shares of every pair of ``comparisons`` (pairs of audiences; None: every
    pair of ``groups``, in order) on the interviews of ``shares`` (:func:`interview_table`) with
    :func:`compare_topic_shares`, leaving out the pairs whose audiences have no interview there.
    ``group_label`` names a group in the sentences on untestable pairs. Returns an
    :class:`TopicComparison`."""
    present = set(shares["audience"])
    asked = [tuple(pair) for pair in (comparisons or pairs_of(groups))]
    pairs = [(a, b) for a, b in asked if a in present and b in present]
    confounded = translation_confounded(shares, pairs)
    differences = compare_topic_shares(shares, labels, pairs, stable, n_resamples, seed)
    differences["translated_vs_english"] = [
        pair in confounded for pair in zip(differences["group_a"], differences["group_b"])
    ]
    skipped = [pair for pair in asked if pair not in pairs]
    sizes = shares.groupby("audience").size().to_dict()
    power = power_table(sizes, pairs, n_tests=max(1, int(differences["stable"].sum())))
    untestable = untestable_pairs(shares, pairs, group_label)
    return TopicComparison(pairs, skipped, untestable, confounded, differences, power)


def odds_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (:func:`compare_topic_shares`) with its log odds ratio ``difference`` and its
    interval ``low``, ``high`` replaced by the odds ratio of the share ``ratio``, ``ratio_low`` and
    ``ratio_high`` (exp of each; 1 = no difference), as a reader reads them; a copy."""
    ratios = {"ratio": "difference", "ratio_low": "low", "ratio_high": "high"}
    return table.assign(**{new: np.exp(table[old]) for new, old in ratios.items()}).drop(columns=list(ratios.values()))


def model_shares(
    shares: pd.DataFrame, stable: Sequence[int], comparison: TopicComparison, groups: Sequence[str]
) -> pd.DataFrame:
    """The words-weighted fractional logit model of every stable topic's share with the day of the
    war (:func:`analysis.stats.models.share_effects`) on the interviews of the audiences of
    ``groups`` (in that order) that ``comparison``'s pairs compare, as :func:`pair_effects` (``frame``
    the 0-based topic, ``ratio`` the odds ratio of the share with its 95% interval ``low``, ``high``,
    ``p`` and ``p_holm`` over the rows), with ``translated_vs_english`` for the pairs of
    ``comparison.confounded``. No stable topic or no group: an empty table with these columns."""
    groups = [g for g in groups if any(g in pair for pair in comparison.pairs)]
    effects = (
        pair_effects(share_effects(shares, stable, groups), comparison.pairs)
        if groups and stable
        else pd.DataFrame(columns=[*EFFECT_COLUMNS, "p_holm"])
    )
    effects["translated_vs_english"] = [
        pair in comparison.confounded for pair in zip(effects["group_a"], effects["group_b"])
    ]
    return effects
