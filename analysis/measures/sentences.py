"""The measures stage's sentences: the summary lines written from the result tables of the topic
comparisons (:mod:`analysis.measures.topic_comparisons`) and their checks
(:mod:`analysis.measures.topic_checks`), as Markdown bullet points that 03_topics shows and
writes for the study page (:func:`analysis.notebook.prose.write_sentences`), and the sentences
03_topics shows beside its tables (the choice of k, the stable topics, what survives Holm, a
passage per topic).

Each writer takes the tables a notebook shows and returns its sentences; nothing here computes a
statistic. ``group_label`` turns an audience group's name into the words a reader knows
(:func:`analysis.figures.style.audience_label` in the notebooks). The module reads the stage's
other modules and none of them reads it, so a bundle of results never waits on its sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.sentences import power_line
from ..text.dtm import DocumentTermMatrix
from .topic_checks import MIN_MATCH, TopicChecks
from .topic_comparisons import TopicComparison, translation_caption
from .topics import TopicChoice, TopicModel, k_rule_note, representative_units


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _ratio(r) -> str:
    return f"{np.exp(r.difference):.2f} [{np.exp(r.low):.2f}, {np.exp(r.high):.2f}]"


def topic_summary_lines(
    tests: pd.DataFrame,
    effects: pd.DataFrame,
    power: pd.DataFrame,
    n_topics: int,
    group_label=str,
    confounded: set[tuple[str, str]] = frozenset(),
    untestable: Sequence[str] = (),
) -> list[str]:
    """The summary of the audience comparison of topics, as Markdown bullet points computed from
    the tables the notebook shows: ``tests``
    (:func:`analysis.measures.topic_comparisons.compare_topic_shares`), ``effects``
    (:func:`analysis.measures.topic_comparisons.pair_effects`, with ``frame`` the topic and ``p_holm``) and ``power``
    (:func:`analysis.stats.intervals.power_table` over the same family).

    A difference that survives Holm's correction over the stable topics and pairs
    (``survives_holm``) is listed as such, never called established here (that takes the checks
    of :mod:`analysis.measures.topic_checks`, summarised by :func:`checks_line`);
    one with an uncorrected p below 0.05 is a pattern to examine, never a finding. Effects are
    odds ratios of the share (geometric means over interviews) with 95% Welch intervals; the model's
    effects are reported under the same rule
    (Holm over its contrasts), and a model result the permutation test does not confirm is said
    to rest on the model. A pair in ``confounded``
    (:func:`analysis.measures.topic_comparisons.translation_confounded`) is said to be open to
    translation as an explanation. ``untestable``
    (:func:`analysis.measures.topic_comparisons.untestable_pairs`) are the sentences for pairs
    left out, said first."""
    lines = [f"* **Not testable.** {line}" for line in untestable]
    if tests.empty:
        return lines or ["* **Differences.** No pair of audiences to compare."]
    tested = tests[tests["stable"].astype(bool)]
    n_stable = tested["topic"].nunique()
    lines += [
        f"* **Topics compared.** {n_stable} of {n_topics} topics {'is' if n_stable == 1 else 'are'} stable enough "
        "across seeds to compare; "
        + (
            f"the other {n_topics - n_stable} {'is' if n_topics - n_stable == 1 else 'are'} shown but not tested."
            if n_stable < n_topics
            else "all are tested."
        )
    ]
    if tested.empty:
        return [*lines, "* **Differences.** No topic is stable enough to compare audiences on."]
    lines.append(_differences_line(tested, effects, group_label, set(confounded)))
    lines.append(_model_effects_line(effects, tested, group_label))
    lines.append(power_line(power, len(tested), group_label, "a difference in a topic's log-ratio"))
    shown = sorted({(a, b) for a, b in zip(tested["group_a"], tested["group_b"])} & set(confounded))
    if shown:
        lines.append(
            "* **Translation.** "
            + ", ".join(f"{group_label(a)} vs {group_label(b)}" for a, b in shown)
            + " compare interviews that mostly reach us translated with ones that mostly do not: a topic difference "
            "there may be the translators' wording as much as the speaker's choice of subject."
        )
    return lines


def _name(r, group_label) -> str:
    return f"topic {r.topic + 1} ({r.label}), {group_label(r.group_a)} vs {group_label(r.group_b)}"


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _model_beside(effects: pd.DataFrame, r) -> str:
    """The model's odds ratio for the same pair and topic as test row ``r``, or ""."""
    same = (effects["group_a"] == r.group_a) & (effects["group_b"] == r.group_b)
    match = effects[same & (effects["frame"] == r.topic)]
    if match.empty:
        return ""
    m = match.iloc[0]
    return f"; weighted model {m.ratio:.2f} [{m.low:.2f}, {m.high:.2f}], Holm p {_p(m.p_holm)}"


def _differences_line(tested: pd.DataFrame, effects: pd.DataFrame, group_label, confounded=frozenset()) -> str:
    established = tested[tested["survives_holm"]].sort_values("p")
    candidates = tested[(tested["p"] < 0.05) & ~tested["survives_holm"]].sort_values("p")
    text = f"* **Differences between audiences** ({len(tested)} tests, Holm over all): "
    if len(established):
        text += "survive Holm under this model (not yet established: see the checks): " + "; ".join(
            f"{_name(r, group_label)}: share {_pct(r.share_a)} vs {_pct(r.share_b)}, odds ratio {_ratio(r)}, "
            f"permutation p {_p(r.p)}, Holm p {_p(r.p_holm)}{_model_beside(effects, r)}"
            + ("; translated against English interviews" if (r.group_a, r.group_b) in confounded else "")
            for r in established.itertuples()
        )
        text += ". "
    else:
        text += "none survives the correction. "
    if len(candidates):
        text += (
            f"{len(candidates)} with an uncorrected p < 0.05 (about {0.05 * len(tested):.1f} expected by chance), "
            "patterns to examine, not findings: "
            + "; ".join(
                f"{_name(r, group_label)} ({_pct(r.share_a)} vs {_pct(r.share_b)}, odds ratio {_ratio(r)}, "
                f"p {_p(r.p)}, Holm p = {r.p_holm:.2f}"
                + ("; translated against English interviews)" if (r.group_a, r.group_b) in confounded else ")")
                for r in candidates.head(4).itertuples()
            )
            + ("; …" if len(candidates) > 4 else "")
            + "."
        )
    return text.rstrip()


def _model_effects_line(effects: pd.DataFrame, tested: pd.DataFrame, group_label) -> str:
    text = "* **Weighted by words, adjusted for the day of the war** (fractional logit, 95% intervals): "
    if effects.empty:
        return text + "no model could be fitted."
    passed = effects[effects["p_holm"] < 0.05]
    if passed.empty:
        best = effects.sort_values("p").iloc[0]
        return text + (
            f"no contrast survives Holm's correction over {len(effects)}; the smallest p is "
            f"topic {int(best.frame) + 1}, {group_label(best.group_a)} vs {group_label(best.group_b)}: "
            f"odds ratio {best.ratio:.2f} [{best.low:.2f}, {best.high:.2f}], p {_p(best.p)}."
        )
    established = tested[tested["survives_holm"]]
    confirmed = set(zip(established["group_a"], established["group_b"], established["topic"]))
    alone = passed[[key not in confirmed for key in zip(passed["group_a"], passed["group_b"], passed["frame"])]]
    text += f"{len(passed)} of {len(effects)} contrasts survive Holm's correction"
    if alone.empty:
        return text + ", each also surviving Holm in the permutation test."
    parts = [
        f"topic {int(r.frame) + 1}, {group_label(r.group_a)} vs {group_label(r.group_b)}: odds ratio {r.ratio:.2f} "
        f"[{r.low:.2f}, {r.high:.2f}], Holm p {_p(r.p_holm)}"
        for r in alone.sort_values("p").itertuples()
    ]
    return (
        text + f"; {len(alone)} of them rest on the model alone (the permutation test over interviews, each weighing "
        "the same, does not confirm them), so they depend on its weighting and assumptions: " + "; ".join(parts) + "."
    )


def checks_line(checks: pd.DataFrame, group_label=str, methods: tuple[str, str] = ("NMF", "LDA")) -> str:
    """The summary's sentence on :func:`analysis.measures.topic_checks.check_differences`: how many
    of the differences that survive Holm are established, each named with its verdict (which
    carries the translation label in the same sentence)."""
    this, other = methods
    head = f"* **Checked against {other}, resampled interviews and the journalists' questions.** "
    if checks.empty:
        return head + f"No difference survives Holm under {this}, so none is established."
    parts = [
        f"topic {r.topic + 1} ({r.label}), {group_label(r.group_a)} vs {group_label(r.group_b)}: {r.verdict}"
        for r in checks.itertuples()
    ]
    n = int(checks["established"].sum())
    return (
        head
        + f"{n} of {len(checks)} differences that survive Holm {'is' if n == 1 else 'are'} established. "
        + (". ".join(p[0].upper() + p[1:] for p in parts) + ".")
    )


def k_choice_lines(choice: TopicChoice, n_topics: int | str = "auto", min_stability: float = 0.8) -> list[str]:
    """What 03 says on the number of topics (:func:`analysis.measures.topics.choose_topics`), as
    Markdown: the grid's reduction for a large corpus (``choice.plan.note``) and the k the matrix
    cannot hold when there are any, then why k was chosen (:func:`analysis.measures.topics.k_rule_note`,
    with a warning when it is the grid's largest k) or that ``n_topics`` set it."""
    lines = [choice.plan.note] if choice.plan.note else []
    if any(k > choice.largest for k in choice.asked):
        lines.append(f"*This corpus allows at most {choice.largest} topics: the grid keeps k <= {choice.largest}.*")
    if n_topics != "auto":
        return [*lines, f"k = {choice.k}, set by the n_topics parameter."]
    note = k_rule_note(choice.grid, choice.k, min_stability)
    if choice.k == max(choice.kept):
        note += " It is the largest k of the grid: a larger one might be chosen."
    return [*lines, note]


def stable_line(stable: Sequence[int], k: int, min_stability: float, n_seeds: int) -> str:
    """How many of the ``k`` topics are ``stable`` across ``n_seeds`` seeds, in bold."""
    return (
        f"**{len(stable)} of {k} topics {'is' if len(stable) == 1 else 'are'} stable** (at least {min_stability} "
        f"across {n_seeds} seeds)."
    )


def skipped_lines(comparison: TopicComparison) -> list[str]:
    """The pairs of audiences ``comparison`` could not test, in italics, one sentence each: those
    the corpus does not have, then those with a group of fewer than two interviews."""
    return [f"*{a} vs {b}: not in this corpus, skipped.*" for a, b in comparison.skipped] + [
        f"*{line}*" for line in comparison.untestable
    ]


def differences_caption(confounded: set[tuple[str, str]], group_label=str) -> str:
    """The caption of 03's figure of differences in topic share, with the sentence
    :func:`analysis.measures.topic_comparisons.translation_caption` adds for the pairs of ``confounded``."""
    return (
        "Odds ratio of each topic's share between pairs of audiences (log scale) with 95% Welch intervals over "
        "interviews; filled dots survive Holm's correction over all stable topics and pairs, grey ones are unstable "
        "topics or topics that failed the word-intrusion test, not tested."
        + translation_caption(confounded, group_label)
    )


def holm_line(tests: pd.DataFrame) -> str:
    """How many of ``tests`` (the tested rows of :func:`analysis.measures.topic_comparisons.compare_topic_shares`)
    survive Holm's correction and how many have an uncorrected p below 0.05."""
    return (
        f"**{int(tests['survives_holm'].sum())}** of {len(tests)} tests survive Holm's correction; "
        f"{int((tests['p'] < 0.05).sum())} have an uncorrected p < 0.05."
    )


def models_line(shares: pd.DataFrame, pairs: Sequence[tuple[str, str]], effects: pd.DataFrame) -> str:
    """How many interviews of ``shares`` the share model used (those of the audiences of ``pairs``)
    and how many of its contrasts ``effects`` (:func:`analysis.measures.topic_comparisons.model_shares`)
    survive Holm's correction."""
    groups = {g for pair in pairs for g in pair}
    return (
        f"{shares['audience'].isin(groups).sum()} interviews; **{int((effects['p_holm'] < 0.05).sum())}** "
        f"of {len(effects)} contrasts survive Holm's correction."
    )


def match_line(checked: TopicChecks, min_stability: float) -> str:
    """How many topics of the model have a match under the other method (similarity at least
    :data:`analysis.measures.topic_checks.MIN_MATCH`) and how many come back across resampled
    interviews (stability at least ``min_stability``), from :func:`analysis.measures.topic_checks.check_topics`."""
    this, other = checked.methods
    topics, k = checked.topics, len(checked.topics)
    return (
        f"{int(topics['matched'].sum())} of {k} {this} topics have an {other} match (similarity at least {MIN_MATCH}); "
        f"{int((topics['resample_stability'] >= min_stability).sum())} of {k} come back across "
        f"{checked.n_resamples} resampled sets of interviews (at least {min_stability})."
    )


def passage_lines(model: TopicModel, dtm: DocumentTermMatrix, max_chars: int = 600) -> list[str]:
    """For each topic of ``model``, in Markdown: its number (from 1) and label, the unit of ``dtm``
    with the highest share of it (:func:`analysis.measures.topics.representative_units`) with that
    share, its outlet and date, and its text quoted, cut at the last word within ``max_chars``
    characters (marked " …")."""
    lines = []
    for t in range(model.k):
        best = representative_units(model, dtm, t, n=1).iloc[0]
        text = best["text"] if len(best["text"]) <= max_chars else best["text"][:max_chars].rsplit(" ", 1)[0] + " …"
        lines.append(
            f"**Topic {t + 1}: {model.labels[t]}** ({best['share']:.0%} of the passage) · "
            f"{best['outlet']}, {best['date']}\n\n> {text}"
        )
    return lines
