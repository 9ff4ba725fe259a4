"""The coding by reading: complete coverage of the corpus, the reliability sample, adjudication and
the sheets' checks."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.coding.sample import reliability_sample
from analysis.coding.sheets import (
    FRAMES_CODED,
    adjudicate,
    assemble_coding,
    coded_frames,
    load_coding,
    read_sheet,
    uncoded,
)
from analysis.coding.units import coding_units
from analysis.corpus.sources import read_lines
from analysis.errors import CorpusError
from tests.helpers import FRAME_IDS


@pytest.fixture(scope="module")
def units(seed_turns):
    return coding_units(seed_turns)


@pytest.fixture(scope="module")
def coding():
    return load_coding(FRAMES_CODED)


def test_units_are_every_answer_and_question_paragraph(units):
    # 26 interviews, the speech and one news-report paragraph that repeats no interview
    assert units["doc_id"].nunique() == 28
    assert (units["role"] == "focal").sum() == 700 and (units["role"] == "interviewer").sum() == 562
    assert units["para_id"].is_unique


def test_unit_line_spans_point_at_the_paragraph_in_the_raw_file(units):
    lines = {f: read_lines(config.DATA_RAW / f) for f in units["source_file"].unique()}
    for row in units.itertuples():
        raw = " ".join(" ".join(lines[row.source_file][row.line_start - 1 : row.line_end]).split())
        assert " ".join(row.text.split()[:6]) in raw, row.para_id


def test_every_unit_of_the_corpus_is_coded(units, coding):
    # A change to the corpus that adds paragraphs fails here until they are coded.
    assert uncoded(coding, units, "final") == []
    assert uncoded(coding, units, "pass1") == []
    assert set(coding["para_id"]) <= set(units["para_id"])


def test_the_second_coding_is_the_drawn_sample_of_a_quarter_with_every_document(units, coding):
    second = set(coding.loc[coding["coder"] == "pass2", "para_id"])
    sample = reliability_sample(units)
    assert second == set(sample["para_id"])
    assert len(second) >= 0.25 * len(units)
    for (doc, role), part in units.groupby(["doc_id", "role"]):
        assert second & set(part["para_id"]), (doc, role)


def test_the_final_coding_is_the_first_except_where_a_disagreement_was_settled(coding):
    sheets = {c: coding.loc[coding["coder"] == c, ["para_id", "frames", "note"]] for c in ("pass1", "pass2", "final")}
    both = sheets["pass1"].merge(sheets["pass2"], on="para_id")
    disputed = set(both.loc[both["frames_x"] != both["frames_y"], "para_id"])
    final = sheets["final"].set_index("para_id")
    first = sheets["pass1"].set_index("para_id")
    changed = set(final.index[final["frames"] != first.loc[final.index, "frames"]])
    assert changed <= disputed
    assert (final.loc[sorted(disputed), "note"] != "").all()  # every settled disagreement gives its reason


def test_coded_frames_are_zero_one_columns(coding):
    wide = coded_frames(coding, "final")
    assert list(wide.columns) == ["para_id", *FRAME_IDS]
    assert set(pd.unique(wide[list(FRAME_IDS)].to_numpy().ravel())) <= {0, 1}


def test_a_sheet_with_an_unknown_frame_names_its_line(tmp_path):
    sheet = tmp_path / "coder.csv"
    sheet.write_text("para_id,frames,note\na-1-p1,legal,\na-1-p2,legl peace,\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"coder\.csv:3: frame ids \['legl'\] are not in the codebook"):
        read_sheet(sheet, FRAME_IDS)


def test_a_paragraph_coded_twice_is_refused(tmp_path):
    sheet = tmp_path / "coder.csv"
    sheet.write_text("para_id,frames\na-1-p1,legal\na-1-p1,peace\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="coded twice"):
        read_sheet(sheet, FRAME_IDS)


def test_adjudication_must_settle_exactly_the_disagreements():
    first = pd.DataFrame({"para_id": ["x", "y"], "frames": ["legal", ""], "note": ""})
    second = pd.DataFrame({"para_id": ["x", "y"], "frames": ["legal", "peace"], "note": ""})
    settled = pd.DataFrame({"para_id": ["y"], "frames": ["peace"], "note": ["a settlement as a goal"]})
    final = adjudicate(first, second, settled).set_index("para_id")
    assert final.loc["y", "frames"] == "peace" and final.loc["x", "note"] == ""
    with pytest.raises(ValueError, match="unsettled"):
        adjudicate(first, second, settled.iloc[:0])
    with pytest.raises(ValueError, match="not disputed"):
        adjudicate(first, second, pd.concat([settled, settled.assign(para_id="x")]))


def test_assembled_rows_follow_the_units_and_the_coders(units):
    first = pd.DataFrame({"para_id": list(units["para_id"][:2]), "frames": ["", "legal"], "note": ""})
    table = assemble_coding(units, {"final": first, "pass1": first})
    assert list(table["coder"]) == ["pass1", "final", "pass1", "final"]
    with pytest.raises(ValueError, match="not coding units"):
        assemble_coding(units, {"pass1": first.assign(para_id="nowhere")})


def test_the_readme_shows_the_reliability_computed_from_the_stored_coding(coding):
    from analysis.coding.reliability import alpha_markdown, alpha_table
    from analysis.frames.codebook import default_codebook

    first, second = coded_frames(coding, "pass1"), coded_frames(coding, "pass2")
    table = alpha_table(first[first["para_id"].isin(second["para_id"])], second, list(FRAME_IDS), n_boot=2000, seed=0)
    readme = (config.PROJECT_ROOT / "data" / "coding" / "README.md").read_text(encoding="utf-8")
    assert alpha_markdown(table, default_codebook().labels) in readme
