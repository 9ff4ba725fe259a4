"""The study page's results as a study's results: one paragraph of prose per finding, with its
estimate, interval and robustness verdict, and what the study could have detected where nothing
differed.

Every function takes the tables the runs wrote into ``figures/`` and returns Markdown sentences
(``**bold**`` only), so every number on the page is one a run computed:

- a frame contrast that survives (04's ``framing_robustness_claims.csv``, claim "established",
  with its estimates per specification from ``framing_robustness_cells.csv`` and the Holm
  verdicts of ``framing_models.csv``): :func:`contrast_paragraph`;
- the pre-specified hypotheses (``framing_hypotheses.csv``): :func:`hypotheses_paragraph`;
- the contrasts that did not survive, with the smallest odds ratio each could have shown
  (``framing_detectable.csv``, :mod:`analysis.stats.detectable`): :func:`detectable_paragraph`;
- a topic difference 03's checks establish (``<run>_checks.csv`` and ``<run>_differences.csv``):
  :func:`topic_paragraph`;
- whether readers recognise a model's topics (03's ``<run>_intrusion.csv`` and
  ``<run>_intrusion_agreement.csv``, :mod:`analysis.coding.intrusion`): :func:`intrusion_sentence`;
- single words (02's ``keyness_<a>_vs_<b>.csv`` and ``_power.csv``): :func:`keyness_paragraph`.

Columns are read by name, so a table that gains columns (03's topic checks) does not break them.
"""

from __future__ import annotations

import pandas as pd

from ..coding import intrusion as topic_intrusion

#: The estimand and the measure, named in every paragraph on frames.
ESTIMAND = (
    "the total difference, the primary estimand: what each audience heard, adjusted only for the day the "
    "interview was given, from a logistic model of every answer paragraph with errors clustered by interview"
)
MEASURE = "frames coded by reading by separate sessions of a language model (a model-based coding, not people)"
#: The measure on a corpus of one's own, whose coding by reading the page cannot vouch for.
OWN_MEASURE = "frames coded by reading, from the corpus's own coding file"
#: Who read the seed study's intrusion tasks (the wording 03 uses, :data:`analysis.coding.intrusion.READERS`).
READERS = f"{topic_intrusion.READERS}, not people"
#: Who read a corpus of one's own's intrusion tasks, which the page cannot vouch for.
OWN_READERS = "the readers whose answer files are in the corpus's coding folder (its documentation says who they are)"
#: The robustness table's specifications that carry the headline estimate and its small-cluster check.
TOTAL_SPEC = "paragraph model, total"
CR2_SPEC = "small-cluster errors (CR2)"


def _interval(x: float, low: float, high: float) -> str:
    return f"{x:.2f} [{low:.2f}, {high:.2f}]"


def _p(p: float) -> str:
    return "below 0.001" if p < 0.001 else f"{p:.3f}"


def _pair(table: pd.DataFrame, frame: str, a: str, b: str) -> pd.DataFrame:
    """The rows of ``table`` (frame, group_a, group_b) for ``frame`` and the pair {a, b}, either way."""
    pair = ((table["group_a"] == a) & (table["group_b"] == b)) | ((table["group_a"] == b) & (table["group_b"] == a))
    return table[(table["frame"] == frame) & pair]


def _translation(note) -> str:
    note = "" if note is None or pd.isna(note) else str(note).strip()
    if not note:
        return ""
    return (
        f" The contrast sets {note.replace(' vs ', ' against ')} interviews, so it may be the translators' "
        "wording as much as the speaker's."
    )


def contrast_paragraph(
    claim: pd.Series,
    cells: pd.DataFrame,
    models: pd.DataFrame,
    label: str,
    speaker: str,
    group_label=str,
    measure: str = MEASURE,
) -> str:
    """One frame contrast that survives, as a paragraph: ``claim`` is a row of the claims table
    (frame, higher, lower, holds_in, estimated_in, translation), ``cells`` the robustness cells
    (frame, higher, lower, specification, estimate, low, high), ``models`` the total contrasts
    (frame, group_a, group_b, p_holm, p_holm_cr2) for the Holm verdicts."""
    higher, lower = group_label(claim["higher"]), group_label(claim["lower"])
    mine = cells[(cells["frame"] == claim["frame"]) & (cells["higher"] == claim["higher"])
                 & (cells["lower"] == claim["lower"])].set_index("specification")  # fmt: skip
    total = mine.loc[TOTAL_SPEC]
    text = (
        f"**{label}: {higher} against {lower} audiences.** In {speaker}'s answers, the odds that a paragraph "
        f"carries this frame are {_interval(total['estimate'], total['low'], total['high'])} times as high for "
        f"{higher} as for {lower} audiences (odds ratio with its 95% interval; estimand: {ESTIMAND}; measure: "
        f"{measure})."
    )
    model = _pair(models, claim["frame"], claim["higher"], claim["lower"])
    if len(model):
        family = len(models)
        survives_cr2 = "p_holm_cr2" in model and bool(model["p_holm_cr2"].iloc[0] < 0.05)
        text += f" It survives Holm's correction over the {family} contrasts of the family"
        if CR2_SPEC in mine.index:
            cr2 = mine.loc[CR2_SPEC]
            text += f"; with small-cluster CR2 errors its interval is [{cr2['low']:.2f}, {cr2['high']:.2f}] and it " + (
                "survives Holm's correction too." if survives_cr2 else "does not survive Holm's correction."
            )
        else:
            text += "."
    text += (
        f" Robustness: it holds in {int(claim['holds_in'])} of the {int(claim['estimated_in'])} specifications "
        "of the robustness table (interview means, the paragraph models, a matched date window, leaving one "
        "interview out, word weighting and the others listed there)."
    )
    return text + _translation(claim.get("translation"))


def hypotheses_paragraph(
    hypotheses: pd.DataFrame, detectable: pd.DataFrame | None, labels: dict, group_label=str, measure: str = MEASURE
) -> str:
    """The pre-specified hypotheses as one paragraph: how many are supported, then each with its
    odds ratio, 95% interval, Holm p and, from ``detectable`` (:func:`analysis.stats.detectable.detectable_table`),
    the smallest odds ratio its standard error lets the study detect."""
    supported = int(hypotheses["supported"].astype(str).str.lower().eq("true").sum())
    n = len(hypotheses)
    text = (
        f"**The pre-specified hypotheses.** {supported} of the {n} are supported, each tested one-sided on the "
        f"total difference with Holm's correction over the {n} and with both CR1 and small-cluster CR2 errors "
        f"(estimand: {ESTIMAND}; measure: {measure})."
    )
    parts = []
    for r in hypotheses.itertuples():
        part = (
            f"{labels.get(r.frame, r.frame)} higher for {group_label(r.higher)} than {group_label(r.lower)}: odds "
            f"ratio {_interval(r.odds_ratio, r.low, r.high)}, Holm p {_p(r.p_holm)}"
            + (" (supported)" if str(r.supported).lower() == "true" else "")
        )
        if detectable is not None:
            row = _pair(detectable, r.frame, r.higher, r.lower)
            if len(row):
                part += f", detectable from {row['detectable_ratio'].iloc[0]:.2f}"
        parts.append(part)
    text += " " + "; ".join(parts) + "."
    if detectable is not None and len(detectable):
        d = detectable.iloc[0]
        text += (
            f' ("Detectable from": the smallest odds ratio, either way, that a two-sided test at the '
            f"{d['alpha']:.2f} level finds with {d['power']:.0%} power at the hypothesis's own standard error.)"
        )
    return text


def detectable_paragraph(detectable: pd.DataFrame, measure: str = MEASURE) -> str | None:
    """What the contrasts that did not survive Holm's correction could have shown: the range of
    their smallest detectable odds ratios at the uncorrected level and at Holm's strictest step
    (:func:`analysis.stats.detectable.detectable_table`). None if every contrast survived."""
    failed = detectable[~detectable["survives"].astype(str).str.lower().eq("true")]
    if not len(failed):
        return None
    d = failed.iloc[0]
    return (
        "**What did not differ, and what the study could have seen.** A contrast that does not survive Holm's "
        "correction is absence of evidence, not evidence that the audiences heard the same. At each such contrast's "
        f"own standard error, the smallest odds ratio (either way) that the study detects with {d['power']:.0%} "
        f"power is between {failed['detectable_ratio'].min():.2f} and {failed['detectable_ratio'].max():.2f} at the "
        f"{d['alpha']:.2f} level without correction, and between {failed['detectable_ratio_corrected'].min():.2f} "
        f"and {failed['detectable_ratio_corrected'].max():.2f} at Holm's strictest step (the level divided by the "
        f"{int(d['family'])} contrasts). A frame whose odds differ between two audiences by less than that could "
        "have gone unseen; framing_detectable.csv gives the figure for every contrast (estimand: the total "
        f"difference; measure: {measure})."
    )


def topic_paragraph(check: pd.Series, difference: pd.Series | None, method: str, speaker: str, group_label=str) -> str:
    """A topic difference that 03's checks establish: ``check`` a row of ``<run>_checks.csv``
    (group_a, group_b, label, verdict), ``difference`` its row of ``<run>_differences.csv``
    (share_a, share_b, difference, low, high, p_holm)."""
    a, b = group_label(check["group_a"]), group_label(check["group_b"])
    text = f"**A topic: {check['label']} ({method.upper()}), {a} against {b} audiences.**"
    if difference is not None:
        text += (
            f" The topic takes {difference['share_a']:.1%} of an average {a} interview's answers against "
            f"{difference['share_b']:.1%} of a {b} one: a log odds ratio of the shares of "
            f"{_interval(difference['difference'], difference['low'], difference['high'])} (Welch 95% interval over "
            f"interviews), Holm p {_p(difference['p_holm'])}."
        )
    verdict = str(check["verdict"]).strip().rstrip(".")
    return (
        text + f" The checks of 03_topics call it {verdict}. The measure is a topic model of {speaker}'s answers, "
        "not a coding by reading."
    )


def intrusion_sentence(
    precision: pd.DataFrame, agreement: pd.DataFrame | None, method: str, readers: str = READERS
) -> str:
    """One sentence on the word-intrusion test of a 03_topics run's model: ``precision`` is its
    ``<run>_intrusion.csv`` (``topic``, a last row ``all`` over every word task, ``n_tasks``,
    ``precision``, ``low``, ``high``, ``status``: ``fails`` by :func:`analysis.coding.intrusion.
    model_precision`'s rule), ``agreement`` its ``<run>_intrusion_agreement.csv`` (``kind``,
    ``n_coders``, ``n_tasks``, ``alpha``, ``low``, ``high``; alpha is stated for each kind of task
    two readers answered) or None; ``readers`` says who read
    (:data:`READERS` for the seed study, :data:`OWN_READERS` otherwise)."""
    is_all = precision["topic"].astype(str) == "all"
    overall, topics = precision[is_all].iloc[0], precision[~is_all]
    failing = topics[topics["status"] == "fails"]
    fails = (
        f"{len(failing)} of {len(topics)} topics fail{'s' if len(failing) == 1 else ''} (topic "
        f"{', '.join(str(t) for t in failing['topic'])}: the interval of the precision below "
        f"{topic_intrusion.MIN_PRECISION}) and "
        f"{'is' if len(failing) == 1 else 'are'} left out of the audience tests"
        if len(failing)
        else f"none of the {len(topics)} topics fails (no topic has the interval of its precision below "
        f"{topic_intrusion.MIN_PRECISION})"
    )
    rows = {r["kind"]: r for _, r in agreement.iterrows()} if agreement is not None else {}
    usable = {kind: r for kind, r in rows.items() if r["n_coders"] >= 2 and r["n_tasks"] >= 2}
    agree = (
        f"; Krippendorff's alpha between the {int(usable['word']['n_coders'])} readers is "
        + " and ".join(
            f"{_interval(r['alpha'], r['low'], r['high'])} over {int(r['n_tasks'])} {kind} tasks"
            for kind, r in usable.items()
        )
        if "word" in usable
        else "; one reader, so no agreement between readers to report"
    )
    return (
        f"**Do readers recognise the {method.upper()} topics?** In the word-intrusion test "
        f"the readers found the intruder word in {overall['precision']:.0%} [{overall['low']:.0%}, "
        f"{overall['high']:.0%}] of {int(overall['n_tasks'])} word tasks (mean model precision with a 95% bootstrap "
        f"interval over tasks; chance 1/6); {fails}{agree}. The readers were {readers}."
    )


def keyness_paragraph(table: pd.DataFrame, power: pd.DataFrame | None, names: tuple[str, str]) -> str:
    """Single words of one group against another (02's keyness table with its ``verdict`` column
    and, if written, its power table: n_a, n_b, mde, mde_corrected)."""
    holding = table[table["verdict"] == "holds across interviews"]
    text = f"**Words: {names[0]} against {names[1]} interviews.** "
    if len(holding):
        words = ", ".join(f"{r.label} ({names[0] if r.z > 0 else names[1]})" for r in holding.itertuples())
        text += f"These words hold across interviews after the Benjamini-Hochberg correction: {words}."
    else:
        text += (
            "No single word holds across interviews after the Benjamini-Hochberg correction (an interview-level "
            "permutation test); the words with an uncorrected difference are patterns to read in context, not findings."
        )
    if power is not None and len(power):
        p = power.iloc[0]
        text += (
            f" With {int(p['n_a'])} and {int(p['n_b'])} interviews, a word's difference in rate must reach "
            f"d = {p['mde']:.1f} standard deviations to be detected with 80% power, {p['mde_corrected']:.1f} after "
            "the correction."
        )
    return text
