"""Summary sentences as tables, so that the study page (``reports/index.html``) is written from
what the runs computed and never from numbers typed into its template.

A notebook's summary cell writes its sentences with :func:`write_sentences`
(``figures/<name>_summary.csv``: one row per sentence, with the numbers it states);
:mod:`analysis.report.study` reads them back. :func:`numbers_in` is the one definition of "a number
in a sentence", shared by the writer and by the test that every number on the study page appears
in a table a run wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..io import write_csv

#: A number as prose writes it: digits with optional thousands commas and decimals
#: ("1,512", "0.92", "16.0"); a sign or percent sign is not part of it. Digits inside a word
#: ("p1", "03_topics", "k8") are not numbers.
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")

#: Columns of a sentence table: ``order`` (0, 1, ... as the summary lists them), ``text`` (the
#: sentence as the notebook shows it, Markdown) and ``numbers`` (the numbers it states, separated
#: by spaces, as :func:`numbers_in` reads them).
SENTENCE_COLUMNS = ["order", "text", "numbers"]


def numbers_in(text: str) -> list[str]:
    """The numbers ``text`` states, in order, as written but without thousands commas:
    ``numbers_in("26 interviews, 1,512 words, alpha 0.92")`` is ``["26", "1512", "0.92"]``."""
    return [m.group().replace(",", "") for m in NUMBER.finditer(text)]


def sentence_table(lines: Iterable[str]) -> pd.DataFrame:
    """The sentences ``lines`` as a table with :data:`SENTENCE_COLUMNS`."""
    lines = [str(line) for line in lines]
    return pd.DataFrame(
        {"order": range(len(lines)), "text": lines, "numbers": [" ".join(numbers_in(t)) for t in lines]},
        columns=SENTENCE_COLUMNS,
    )


def write_sentences(lines: Iterable[str], path: str | Path) -> Path:
    """Write a notebook's summary sentences to ``path`` (CSV, :data:`SENTENCE_COLUMNS`) for the
    study page; returns ``path``."""
    write_csv(sentence_table(lines), path)
    return Path(path)
