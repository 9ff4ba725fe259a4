"""The sentences of the coding by reading: each function turns result tables of
:mod:`analysis.coding.reliability` into Markdown for the notebooks."""

from __future__ import annotations

import pandas as pd

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
