"""What Make reruns after an edit, read from a dry run of make report: exactly the runs that read what changed."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from analysis import config


def _dry_run(*what_if: str) -> str:
    pending = subprocess.run(["make", "-n", "report"], cwd=config.PROJECT_ROOT, capture_output=True, text=True).stdout
    if _runs(pending) or "building the corpus" in pending or "writing reports" in pending:
        pytest.skip("the report is not built and up to date (make test builds it first)")
    args = [a for f in what_if for a in ("-W", f)]
    return subprocess.run(
        ["make", "-n", *args, "report"], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout


def _runs(output: str) -> set[str]:
    return set(re.findall(r"== running \S+ as (\S+) with", output))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_the_codebook_reruns_exactly_framing_and_exploration():
    output = _dry_run("data/coding/codebook.yml")
    assert _runs(output) == {
        "04_framing_1_measure",
        "04_framing_2_audiences",
        "04_framing_3_model",
        "05_explore",
        "06_code",
    }
    assert "building the corpus" not in output and "writing reports/index.html" in output


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_the_coding_reruns_the_notebooks_that_import_the_frames():
    framing = {"04_framing_1_measure", "04_framing_2_audiences", "04_framing_3_model"}
    assert _runs(_dry_run("data/coding/frames_coded.csv")) == {*framing, "05_explore", "06_code"}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_editing_a_plotting_module_does_not_rebuild_the_corpus():
    output = _dry_run("analysis/figures/plots.py")
    assert "building the corpus" not in output
    assert "05_explore" not in _runs(output)  # exploration draws no figure
