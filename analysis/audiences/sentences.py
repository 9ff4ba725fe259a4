"""The sentences of the audience comparisons: each function turns result tables of
:mod:`analysis.audiences.coded`, :mod:`~analysis.audiences.estimands`, :mod:`~analysis.audiences.confounders`,
:mod:`~analysis.audiences.robustness` and :mod:`~analysis.audiences.classifier` into Markdown (``*_line``: one
sentence or bullet; ``summary_lines``: the framing summary's bullets), for the notebooks and the study page."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def summary_lines(
    alpha: pd.DataFrame | None,
    tests: pd.DataFrame,
    question_tests: pd.DataFrame,
    means: pd.DataFrame,
    side_by_side: pd.DataFrame | None,
    labels: dict,
    group_label=str,
    n_coded: int = 0,
    confounded: set[tuple[str, str]] = frozenset(),
    effects: pd.DataFrame | None = None,
    hypotheses: pd.DataFrame | None = None,
    speaker: str = "the focal speaker",
) -> list[str]:
    """The notebook's summary, as Markdown bullet points computed from the tables it shows.

    ``alpha`` is :func:`analysis.coding.reliability.alpha_table`; ``tests`` and ``question_tests`` are
    :func:`analysis.audiences.comparisons.compare_audiences` on the coded shares of answers and of questions
    (with ``welch_low`` and ``welch_high`` from :func:`analysis.stats.intervals.welch_table`, an
    established difference is stated with its Welch interval);
    ``means`` is :func:`analysis.audiences.comparisons.audience_frames` of the answers; ``side_by_side`` is
    :func:`coded_and_detected`. A difference is called established only when it survives Holm's
    correction (``p_holm < 0.05``); one with an uncorrected p below 0.05 is called a pattern to
    examine, never a finding. ``group_label`` names a group in prose; a pair of groups in
    ``confounded`` (translated against English interviews) is said to be open to that explanation.
    ``effects`` (:func:`analysis.stats.models.presence_effects` with a ``p_holm`` column) and
    ``hypotheses`` (:func:`directional_tests`) add the model-based lines, under the same rule.
    ``speaker`` names the focal speaker in prose. A corpus without a coding by reading has no
    ``alpha`` and no ``side_by_side`` (None): its frames are the detector's, and the first and last
    lines say that the detector has not been validated on it."""
    if alpha is None:
        measured = (
            f"* **Measurement.** No coding by reading: the frames of these {n_coded} paragraphs are the cue "
            "detector's, which has **not been validated on this corpus**; read every difference as the "
            "detector's, not as established framing."
        )
    else:
        measured = _measurement_line(alpha, n_coded, labels)
    lines = [measured, _profile_line(means, labels, group_label)]
    lines.append(_difference_line(f"{speaker}'s answers", tests, labels, group_label, confounded))
    lines.append(_difference_line("the journalists' questions", question_tests, labels, group_label, confounded))
    if effects is not None:
        lines.append(_model_line(effects, labels, group_label, confounded))
    if hypotheses is not None and len(hypotheses):
        lines.append(_hypotheses_line(hypotheses, labels, group_label))
    if side_by_side is None:
        return lines
    gap = side_by_side.assign(gap=side_by_side["difference"].abs()).groupby("frame")["gap"].mean().sort_values()
    worst = gap.index[-1]
    lines.append(
        f"* **The cue detector** misses the coded share of paragraphs by {100 * gap.mean():.0f} points on "
        f"average over frames and audiences, most for {labels[worst]} ({100 * gap.iloc[-1]:.0f} points): "
        "its estimates are a check on the coding, not a substitute for it."
    )
    return lines


def _measurement_line(alpha: pd.DataFrame, n_coded: int, labels: dict) -> str:
    frames = alpha[alpha["frame"] != "all frames"]
    overall = alpha[alpha["frame"] == "all frames"].iloc[0]
    tentative = [labels[f] for f in frames.loc[frames["verdict"] == "tentative", "frame"]]
    unreliable = [labels[f] for f in frames.loc[frames["verdict"].isin(["unreliable", "undefined"]), "frame"]]
    text = (
        f"* **Measurement.** {n_coded} paragraphs coded by reading from the codebook (in the seed study by separate "
        "sessions of a language model, not by people: a model-based coding, data/coding/README.md); a second coding of "
        f"{int(overall['n_units'] / len(frames))} of them, made in a separate session without the first, agrees at "
        f"Krippendorff's alpha {overall['alpha']:.2f} [{overall['ci_low']:.2f}, {overall['ci_high']:.2f}] over all "
        "frame decisions, the agreement of two codings, not a check against human reading. "
    )
    uncertain = [labels[f] for f in frames.loc[(frames["alpha"] >= 0.80) & (frames["ci_low"] < 0.80), "frame"]]
    if not tentative and not unreliable:
        text += "Every frame reaches 0.80"
        return text + (f", though the interval of {', '.join(uncertain)} reaches below it." if uncertain else ".")
    if tentative:
        text += f"Below 0.80, so conclusions about them are tentative: {', '.join(tentative)}. "
    if unreliable:
        text += f"Below 0.667, too unreliable to draw conclusions from: {', '.join(unreliable)}. "
    return text.rstrip()


def _profile_line(means: pd.DataFrame, labels: dict, group_label) -> str:
    tops = {g: part.nlargest(3, "mean")["frame"].tolist() for g, part in means.groupby("group", sort=False)}
    shared = set.intersection(*(set(t) for t in tops.values()))
    text = (
        "* **Profiles.** The three most frequent frames: "
        + "; ".join(f"{group_label(g)}: {', '.join(labels[f] for f in t)}" for g, t in tops.items())
        + ". "
    )
    if len(shared) == 3:
        return text + "All audiences share the same top three."
    return text + (
        f"Shared by all: {', '.join(labels[f] for f in sorted(shared))}."
        if shared
        else "No frame is in every top three."
    )


def _difference_line(whose: str, tests: pd.DataFrame, labels: dict, group_label, confounded=frozenset()) -> str:
    established = tests[tests["p_holm"] < 0.05]
    patterns = tests[(tests["p"] < 0.05) & (tests["p_holm"] >= 0.05)]

    def describe(r):
        caveat = (
            "; translated against English interviews, so translation may explain it"
            if ((r.group_a, r.group_b) in confounded)
            else ""
        )
        interval = (
            f", difference {100 * r.difference:+.0f} points, Welch 95% interval [{100 * r.welch_low:+.0f}, "
            f"{100 * r.welch_high:+.0f}]"
            if hasattr(r, "welch_low")
            else ""
        )
        return (
            f"{labels[r.frame]} ({group_label(r.group_a)} {100 * r.mean_a:.0f}% vs {group_label(r.group_b)} "
            f"{100 * r.mean_b:.0f}% of paragraphs{interval}, {_p(r.p)}, Holm-corrected {r.p_holm:.3f}{caveat})"
        )

    text = f"* **Differences in {whose}.** {len(established)} of {len(tests)} survive Holm's correction"
    text += ": " + "; ".join(describe(r) for r in established.itertuples()) + "." if len(established) else "."
    if len(patterns):
        text += (
            f" {len(patterns)} more have an uncorrected p below 0.05 (about {0.05 * len(tests):.0f} would by chance "
            "alone): patterns to examine in the texts, not findings."
        )
    return text


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _model_line(effects: pd.DataFrame, labels: dict, group_label, confounded=frozenset()) -> str:
    usable = ~effects["note"].str.contains("edge|separation")
    kept = effects[(effects["p_holm"] < 0.05) & usable]
    text = (
        "* **Every paragraph weighed, adjusted for the day of the war, the question and the paragraph's length** "
        f"(logistic models clustered by interview): {len(kept)} of {len(effects)} audience contrasts survive "
        "Holm's correction"
    )
    if not len(kept):
        return text + "."
    strongest = kept.assign(size=np.abs(np.log(kept["ratio"]))).nlargest(5, "size")
    items = [
        f"{labels[r.frame]} ({group_label(r.group_a)} vs {group_label(r.group_b)}: odds ratio {r.ratio:.2f} "
        f"[{r.low:.2f}, {r.high:.2f}]{'; translated against English' if (r.group_a, r.group_b) in confounded else ''})"
        for r in strongest.itertuples()
    ]
    more = f"; {len(kept) - len(items)} more in the table" if len(kept) > len(items) else ""
    return text + ", the largest: " + "; ".join(items) + more + "."


def _hypotheses_line(hypotheses: pd.DataFrame, labels: dict, group_label) -> str:
    def name(r):
        return f"{labels[r.frame]} higher for {group_label(r.higher)} than {group_label(r.lower)}"

    supported = [name(r) for r in hypotheses.itertuples() if r.supported]
    rejected = [name(r) for r in hypotheses.itertuples() if not r.supported]
    text = (
        f"* **Pre-specified hypotheses** (one family, Holm-corrected): {len(supported)} of {len(hypotheses)} supported"
    )
    text += ": " + "; ".join(supported) + "." if supported else "."
    if rejected:
        text += " Not supported: " + "; ".join(rejected) + "."
    return text


def total_line(
    total: pd.DataFrame, total_cr2: pd.DataFrame, labels: dict, group_label=str, translation=lambda a, b: ""
) -> str:
    """The summary's sentences on the total difference (:func:`total_effects` under CR1 and CR2):
    how many contrasts survive Holm's correction with CR1 errors and how many of them also with
    the small-sample CR2 errors, the latter named first with their odds ratios and translation
    labels (the finding that holds under both), then, in a sentence of their own, those that hold
    with CR1 errors only. The first sentence is the one the study page's abstract states."""
    keys = ["frame", "group_a", "group_b"]
    kept = total[(total["p_holm"] < 0.05) & _usable(total)][[*keys, "ratio", "low", "high", "p_holm"]]
    both = kept.merge(total_cr2[[*keys, "p_holm"]], on=keys, suffixes=("", "_cr2"))
    lost = both[both["p_holm_cr2"] >= 0.05]
    robust = both[both["p_holm_cr2"] < 0.05]

    def named(rows: pd.DataFrame) -> str:
        return "; ".join(_contrast(r, labels, group_label, translation) for r in rows.itertuples())

    text = (
        "* **The total difference (primary estimand: what each audience heard, adjusted only for the day the "
        "interview was given; a logistic model of every answer paragraph, errors clustered by interview).** "
        f"{len(kept)} of {len(total)} audience contrasts survive Holm's correction with CR1 errors"
    )
    if not len(kept):
        return text + "."
    text += f", {len(robust)} of them also with bias-reduced CR2 errors (Satterthwaite degrees of freedom)"
    text += (": " + named(robust) + ".") if len(robust) else "."
    if len(lost):
        text += " With CR1 errors only: " + named(lost) + "."
    return text


def _contrast(r, labels, group_label, translation) -> str:
    """A contrast row (``frame``, ``group_a``, ``group_b``, ``ratio``, ``low``, ``high``) in words,
    turned so that the audience named first is the one with the frame more often."""
    a, b, ratio, low, high = r.group_a, r.group_b, r.ratio, r.low, r.high
    if ratio < 1:
        a, b, ratio, low, high = b, a, 1 / ratio, 1 / high, 1 / low
    label = translation(a, b)
    return (
        f"{labels.get(r.frame, r.frame)} higher for {group_label(a)} than {group_label(b)}"
        f"{' (' + label + ')' if label else ''}: odds ratio {ratio:.2f} [{low:.2f}, {high:.2f}]"
    )


def _usable(effects: pd.DataFrame) -> pd.Series:
    return ~effects["note"].fillna("").str.contains("edge|separation")


def hypotheses_line(
    tested: pd.DataFrame, labels: dict, group_label=str, translation=lambda a, b: "", seen: str = ""
) -> str:
    """The summary's sentence on the pre-specified hypotheses tested on the total difference
    (:func:`hypothesis_tests`): which are supported (Holm below 0.05 under CR1 and CR2 errors),
    which only under CR1, and which are not, each supported or CR1-only one with its translation
    label in the same sentence. ``seen`` says what had been seen when they were written."""

    def name(r):
        label = translation(r.higher, r.lower)
        return (
            f"{labels.get(r.frame, r.frame)} higher for {group_label(r.higher)} than {group_label(r.lower)} "
            f"({label + '; ' if label else ''}odds ratio {r.odds_ratio:.2f}, Holm p {r.p_holm:.3f} with CR1 "
            f"errors, {r.p_holm_cr2:.3f} with CR2)"
        )

    supported = tested[tested["supported"]]
    only_cr1 = tested[tested["supported_cr1"] & ~tested["supported"]]
    rest = tested[~tested["supported_cr1"]]
    text = (
        "* **Pre-specified hypotheses, tested on the total difference** (one family, Holm-corrected"
        f"{'; ' + seen if seen else ''}): {len(supported)} of {len(tested)} supported"
    )
    text += (": " + "; ".join(name(r) for r in supported.itertuples()) + ".") if len(supported) else "."
    if len(only_cr1):
        text += (
            " Passing with CR1 errors only, so not supported: "
            + "; ".join(name(r) for r in only_cr1.itertuples())
            + "."
        )
    if len(rest):
        text += (
            " Not supported: "
            + "; ".join(
                f"{labels.get(r.frame, r.frame)} higher for {group_label(r.higher)} than {group_label(r.lower)}"
                for r in rest.itertuples()
            )
            + "."
        )
    return text


def conditional_line(
    conditional: pd.DataFrame, total: pd.DataFrame, labels: dict, group_label=str, translation=lambda a, b: ""
) -> str:
    """The summary's sentence on the difference given what was asked (:func:`conditional_effects`):
    how many contrasts survive Holm's correction when the question did not raise the frame, those
    the total difference does not show (the mark of conditioning on a mediator), and for how many
    pairs the contrast after such a question can be estimated at all (positivity)."""
    keys = ["frame", "group_a", "group_b"]
    unasked = conditional[conditional["given"] == "not asked"]
    kept = unasked[(unasked["p_holm"] < 0.05) & _usable(unasked)]
    in_total = kept.merge(total[[*keys, "p_holm"]], on=keys, suffixes=("", "_total"))
    only_here = in_total[in_total["p_holm_total"] >= 0.05]
    asked = conditional[conditional["given"] == "asked"]
    text = (
        "* **Given what was asked (a second estimand, never a stand-in for the total: an audience x question "
        "interaction).** When the journalist's question did not raise the frame, "
        f"{len(kept)} of {len(unasked)} contrasts survive Holm's correction"
    )
    if len(only_here):
        text += "; not in the total difference: " + "; ".join(
            _contrast(r, labels, group_label, translation) for r in only_here.itertuples()
        )
        text += " (differences in how the speaker answered comparable questions, not in what the audiences heard)"
    return text + (
        f". After a question that raised the frame, {int(asked['p'].notna().sum())} of {len(asked)} contrasts can be "
        "estimated at all (both audiences need answers after such a question: the positivity table)."
    )


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


def robustness_line(matrix: pd.DataFrame, labels: dict, group_label=str, where: str = "") -> str:
    """The summary's sentence on the robustness table: for every claim, in how many of the
    specifications that estimate it the claim holds, with its translation label, and where the
    table is."""
    if matrix.empty:
        return "* **Robustness of every claim.** The summary claims no difference between audiences: nothing to check."
    items = []
    for r in matrix.itertuples():
        label = f", {r.translation}" if r.translation else ""
        items.append(
            f"{labels.get(r.frame, r.frame)} higher for {group_label(r.higher)} than {group_label(r.lower)} "
            f"({r.claim}{label}): {r.holds_in} of {r.estimated_in}"
        )
    robust = int((matrix["holds_in"] == matrix["estimated_in"]).sum())
    return (
        f"* **Robustness of every claim** (table{' ' + where if where else ''}): the specifications in which each "
        "claim holds (estimate on the claimed side, 95% interval excluding no difference): " + "; ".join(items) + ". "
        f"{robust} of {len(matrix)} claims hold in every specification that estimates them."
    )


def classifier_line(frames: dict, words: dict, function_words: dict, margin: float = 0.15) -> str:
    """The summary sentence of :func:`classify_audience` run on frame profiles, on words and on
    function words only (the negative control): balanced accuracies beside the majority
    baseline. When function words come within ``margin`` of all words, the words' success is said
    to be as much translation and style as content."""
    styled = function_words["balanced_accuracy"] >= words["balanced_accuracy"] - margin
    return (
        f"* **Telling audiences apart** (balanced accuracy; always naming the largest audience: "
        f"{frames['majority']:.0%} of interviews): from frames {frames['balanced_accuracy']:.0%} "
        f"(p = {frames['p']:.2f}), from words {words['balanced_accuracy']:.0%}, from function words alone "
        f"{function_words['balanced_accuracy']:.0%}: "
        + (
            "the words' result is as much translation and style as content."
            if styled
            else "the words carry more than style."
        )
    )
