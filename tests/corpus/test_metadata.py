"""The hand-curated metadata agrees with the texts and with the reference it cites."""

from __future__ import annotations

import csv
import re

import pytest

from analysis import config
from analysis.corpus.sources import read_lines
from tests.conftest import COMPILATION

LINES = read_lines(config.DATA_RAW / COMPILATION)
ROWS = list(csv.DictReader(open(config.DATA_RAW / "metadata.csv", encoding="utf-8")))
REFERENCE = {r["outlet"]: r for r in csv.DictReader(open(config.DATA_RAW / "metadata_reference.csv", encoding="utf-8"))}


@pytest.mark.parametrize("row", ROWS, ids=[r["doc_id"] for r in ROWS])
def test_quoted_evidence_is_on_the_cited_line(row):
    """Every 'line N, "..."' or 'line N ("...")' cited as evidence quotes that line of the raw file."""
    for field in ("date_source", "translation_basis", "notes"):
        for line, quote in re.findall(r'line (\d+)[,:]? \(?"([^"]+)"', row[field]):
            if row["file"] != COMPILATION:
                continue
            text = LINES[int(line) - 1].replace("’", "'")
            for part in quote.replace("’", "'").split(" ... "):
                part = part.split("[")[0].rstrip()
                assert part in text, f"{row['doc_id']}: {part!r} not on line {line}"


@pytest.mark.parametrize("row", [r for r in ROWS if "reference:" in r["date_source"]], ids=lambda r: r["doc_id"])
def test_dates_agree_with_the_reference_they_cite(row):
    outlet = row["date_source"].split("reference: metadata_reference.csv, ", 1)[1]
    assert row["date"] == REFERENCE[outlet]["date"]
    assert row["date_kind"] == REFERENCE[outlet]["date_kind"].split(" ")[0]


def test_every_interview_has_a_date_and_a_source():
    for row in ROWS:
        assert row["date"] and row["date_source"], row["doc_id"]


def test_translation_is_marked_as_inferred_unless_stated():
    for row in ROWS:
        if row["translated"]:
            assert row["translation_basis"].startswith(("inferred:", "quotes the")), row["doc_id"]
    by_audience = {}
    for row in ROWS:
        if row["kind"] == "interview":
            by_audience.setdefault(row["audience"], set()).add(row["translated"])
    assert by_audience["turkish"] == {"true"} and by_audience["russian"] == {"true"}
