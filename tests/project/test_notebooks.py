"""Notebooks are stored clean and parameterised for papermill."""

from __future__ import annotations

import json

import pytest

from analysis import config

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_tagged_parameters_cell_after_a_note(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert cells[tagged[0] - 1]["cell_type"] == "markdown"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_are_short_calls_into_the_package(path):
    """Notebooks tell the story and call `analysis`; logic that grows beyond a short cell belongs
    in the package, where it is tested."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert max(len(src.splitlines()) for src in code) <= 15
    assert any("from analysis" in src for src in code)
    assert sum(c["cell_type"] == "markdown" for c in cells) >= 3
