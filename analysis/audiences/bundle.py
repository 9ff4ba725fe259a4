"""What an analysis of the framing notebooks returns: its result tables and its sentences, so that
a notebook cell is one call and a display (:mod:`analysis.audiences.framing`,
:mod:`analysis.audiences.heldout`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Bundle:
    """An analysis's result: ``tables`` (output name, ``framing_*`` without the run's suffix ->
    table, written by the notebook as ``<name><suffix>.csv``) and ``text`` (Markdown sentences,
    shown by the notebook). Each analysis adds the tables it computes as named fields."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    text: str = ""
