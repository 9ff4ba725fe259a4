"""The measure of framing and its reliability, each analysis one call returning its result tables
and sentences (04_framing_1_measure; the other framing notebooks recompute :func:`measure_reliability`).

* :func:`measure_reliability`: Krippendorff's alpha per frame between the two codings of the reliability
  sample (:func:`analysis.coding.reliability.alpha_table`) and the paragraphs they disagree on.
* :func:`compare_people`: every person's coding (06_code's ``coding_<coder>.csv``) against the
  coding the analyses use.
* :func:`draw_examples`: paragraphs carrying each frame, drawn at random per audience.

Each bundle's ``tables`` maps an output name (``framing_*``, without the run's suffix) to the table
the notebook writes as ``<name><suffix>.csv`` in its figures folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..coding.reliability import agreement_with_reference, alpha_table
from ..coding.sentences import validation_line
from ..coding.sheets import coded_frames, read_sheet
from .coded import disagreements, examples

#: What the reliability section says of a corpus without a coding by reading.
NO_RELIABILITY = "*No coding by reading, so no reliability to measure.*"


@dataclass
class Reliability:
    """``alpha``: one row per frame and ``all frames`` (columns frame, alpha, low, high, ... as
    :func:`alpha_table`); ``disputed``: one row per paragraph the two codings differ on
    (:func:`analysis.audiences.coded.disagreements`); ``text``: a Markdown sentence. Both tables are
    None without a coding."""

    alpha: pd.DataFrame | None
    disputed: pd.DataFrame | None
    text: str

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        if self.alpha is None:
            return {}
        return {"framing_reliability": self.alpha, "framing_disagreements": self.disputed}

    def shown(self, labels: dict) -> pd.DataFrame | None:
        """``alpha`` with the frames' labels, for display."""
        return (
            None if self.alpha is None else self.alpha.assign(frame=self.alpha["frame"].map(lambda f: labels.get(f, f)))
        )


def measure_reliability(
    coding: pd.DataFrame | None, units: pd.DataFrame, ids: Sequence[str], n_boot: int = 2000, seed: int = 0
) -> Reliability:
    """Alpha between the first coding (``pass1``, the paragraphs coded twice) and the second
    (``pass2``) with ``n_boot`` bootstrap resamples of paragraphs from ``seed``, and the
    disagreements with the adjudicated coding (``final``) and its reasons. ``coding`` is
    :func:`analysis.coding.sheets.load_coding`'s table (None: no coding by reading), ``units`` the
    coding units (:func:`analysis.coding.units.coding_units`)."""
    if coding is None:
        return Reliability(None, None, NO_RELIABILITY)
    first, second = coded_frames(coding, "pass1", ids), coded_frames(coding, "pass2", ids)
    first = first[first["para_id"].isin(second["para_id"])]
    alpha = alpha_table(first, second, ids, n_boot=n_boot, seed=seed)
    sheets = {c: coding.loc[coding.coder == c, ["para_id", "frames", "note"]] for c in ("pass1", "pass2", "final")}
    disputed = disagreements(sheets["pass1"], sheets["pass2"], sheets["final"], units)
    text = (
        f"{len(second)} paragraphs coded twice ({len(second) / len(units):.0%} of {len(units)}, "
        f"every one of the {units.doc_id.nunique()} documents represented); the two codings differ on "
        f"{len(disputed)} of them, settled by a third reading (below)."
    )
    return Reliability(alpha, disputed, text)


@dataclass
class PersonAgreement:
    """``table``: alpha per frame (and ``all frames``) of each person's coding against the coding
    the analyses use, over all the paragraphs the person coded and within each audience (columns as
    :func:`analysis.coding.reliability.agreement_with_reference`, plus ``coder``; empty without
    one); ``text``: the sentence on what exists (empty without a coding by reading)."""

    table: pd.DataFrame
    text: str

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"framing_human_agreement": self.table} if len(self.table) else {}

    def shown(self, ids: Sequence[str]) -> pd.DataFrame:
        """Alpha with frames as rows and (coder, audience) as columns."""
        return self.table.pivot_table(index="frame", columns=["coder", "group"], values="alpha").reindex(
            [*ids, "all frames"]
        )


def compare_people(
    found: dict[str, Path],
    coding: pd.DataFrame | None,
    units: pd.DataFrame,
    ids: Sequence[str],
    labels: dict,
    n_boot: int = 2000,
    seed: int = 0,
) -> PersonAgreement:
    """Each coder's sheet in ``found`` (coder -> path, :func:`analysis.coding.reliability.coder_files`)
    against the adjudicated coding of ``coding`` (None: no coding by reading, nothing to compare)."""
    if coding is None:
        return PersonAgreement(pd.DataFrame(), "")
    final = coded_frames(coding, "final", ids)
    groups = units[["para_id", "audience"]].rename(columns={"audience": "group"})
    tables = [
        agreement_with_reference(
            coded_frames(read_sheet(p, ids).assign(coder=c), c, ids), final, groups, ids, n_boot=n_boot, seed=seed
        ).assign(coder=c)
        for c, p in found.items()
    ]
    table = pd.concat(tables, ignore_index=True) if found else pd.DataFrame()
    return PersonAgreement(table, validation_line(found, table, final[ids].mean(), labels))


def draw_examples(
    paragraphs: pd.DataFrame, ids: Sequence[str], labels: dict, audiences: Sequence[str], seed: int = 0
) -> pd.DataFrame:
    """Up to three answer paragraphs per frame and audience carrying the frame, drawn at random
    with ``seed`` (:func:`analysis.audiences.coded.examples`), with the frame's label in ``frame``."""
    drawn = [examples(paragraphs, f, audiences, per_group=3, seed=seed).assign(frame=labels[f]) for f in ids]
    return pd.concat(drawn, ignore_index=True)


def pick_first_examples(table: pd.DataFrame) -> pd.DataFrame:
    """One example per frame and audience (the first drawn), the columns shown."""
    return table.groupby(["frame", "audience"], sort=False).head(1)[["frame", "audience", "outlet", "para_id", "text"]]
