"""The sentences of the coding by reading: each function turns result tables of
:mod:`analysis.coding.reliability` or :mod:`analysis.coding.intrusion` into Markdown for the notebooks."""

from __future__ import annotations

import pandas as pd

from .intrusion import MIN_PRECISION, READERS, failing_topics
from .reliability import sample_size_for_alpha


def validation_line(found: dict, table: pd.DataFrame, prevalence: pd.Series, labels: dict[str, str]) -> str:
    """The sentence on checking a coding against people: with coder files (``found``: coder ->
    path, ``table``: :func:`agreement_with_reference` of each, stacked with a ``coder`` column),
    the overall alpha of each; without, that no human validation exists and what it would take:
    the paragraphs a person must code for alpha 0.80 to be testable on the rarest frame and on
    a frame at the median prevalence (``prevalence``: share of paragraphs coded present, by
    frame; :func:`sample_size_for_alpha`), with 06_code."""
    if found:
        overall = table[(table["group"] == "all") & (table["frame"] == "all frames")].set_index("coder")
        parts = [
            f"{coder}: alpha {r.alpha:.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}] "
            f"on {int(r.n_units / len(labels))} paragraphs"
            for coder, r in overall.iterrows()
        ]
        return (
            f"**Checked against {len(found)} human coder file(s)** in the coding folder ({'; '.join(parts)}), "
            "over all frame decisions against the model-based coding; by frame and audience in the table below."
        )
    present = prevalence[(prevalence > 0) & (prevalence < 1)]
    if present.empty:
        return "**No human validation exists**, and no frame is coded present in some paragraphs but not all."
    rarest = present.idxmin()
    rare_name = labels.get(rarest, rarest)
    typical = float(present.median())
    return (
        "**No human validation exists**: no `coding_<coder>.csv` in the coding folder. To test whether a person "
        f"reading the codebook agrees with the model-based coding at alpha 0.80 (one-sided 5% level), a person would "
        f"code {sample_size_for_alpha(float(present[rarest]))} paragraphs for the rarest frame ({rare_name}, "
        f"{present[rarest]:.1%} of paragraphs), {sample_size_for_alpha(typical)} for a frame at the median share "
        f"({typical:.1%}; Bloch and Kraemer 1989): `make lab`, open `06_code.ipynb`, set `coder` and `sample_size` and "
        "code; this section then compares the file with the model-based coding, by frame and by audience."
    )


def intrusion_line(
    precision: pd.DataFrame, log_odds: dict, agreement: pd.DataFrame, coders: list[str], name: str
) -> str:
    """One Markdown paragraph on the intrusion results, naming who read."""
    overall = precision.set_index("topic").loc["all"]
    failing = failing_topics(precision)
    word = agreement.set_index("kind").loc["word"]
    fails = (
        f"topic{'s' if len(failing) > 1 else ''} {', '.join(str(t + 1) for t in failing)} "
        f"fail{'s' if len(failing) == 1 else ''} (the interval of the precision below {MIN_PRECISION}) and "
        f"{'is' if len(failing) == 1 else 'are'} left out of the audience tests, as unstable topics are"
        if failing
        else f"no topic fails (none has the interval of its precision below {MIN_PRECISION})"
    )
    agree = (
        f"Agreement between readers on the word tasks: Krippendorff's alpha {word['alpha']:.2f} "
        f"[{word['low']:.2f}, {word['high']:.2f}] over {int(word['n_tasks'])} tasks."
        if len(coders) > 1 and word["n_tasks"] > 1
        else "One reader: no agreement between readers to report."
    )
    return (
        f"**Read by {len(coders)} reader{'s' if len(coders) > 1 else ''}** ({READERS}; not people): the {name} "
        f"topics' intruder words were found in {overall['precision']:.0%} "
        f"[{overall['low']:.0%}, {overall['high']:.0%}] of {int(overall['n_tasks'])} word tasks "
        f"(model precision, chance 1/6); {fails}. Topic log odds over "
        f"{log_odds['n_tasks']} passages: {log_odds['mean']:.2f} [{log_odds['low']:.2f}, {log_odds['high']:.2f}] "
        f"(0 when every reader finds the intruder topic; {log_odds['share_correct']:.0%} of answers did). {agree}"
    )
