"""The suite mirrors the package: a folder of unit tests per stage, and two tiers of their own
(``tests/notebooks/``, ``tests/system/``) that ``make check`` leaves out (CONTRIBUTING.md, "Tests")."""

from __future__ import annotations

import subprocess

import pytest

from analysis import config
from tests.conftest import TESTS, TIERS, tier_of
from tests.project.test_layout import PACKAGE

#: Folders of unit tests that are not a stage of the package.
OWN_FOLDERS = {"project", *TIERS}


def _stages() -> set[str]:
    return {p.parent.name for p in PACKAGE.glob("*/__init__.py")}


def test_every_stage_of_the_package_has_its_folder_of_tests_and_no_test_sits_at_the_top():
    folders = {p.parent.name for p in TESTS.glob("*/__init__.py")}
    assert _stages() <= folders
    assert folders <= _stages() | OWN_FOLDERS
    assert not list(TESTS.glob("test_*.py"))


def test_a_tests_tier_is_its_folder():
    assert tier_of(TESTS / "system" / "test_browser.py") == "system"
    assert tier_of(TESTS / "notebooks" / "test_runs.py") == "notebook"
    assert tier_of(TESTS / "corpus" / "test_readers.py") == "unit"


def test_pyproject_declares_exactly_the_tiers_markers():
    text = (config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = text.split("markers = [", 1)[1].split("]", 1)[0]
    assert sorted(line.split('"')[1].split(":")[0] for line in declared.strip().splitlines()) == sorted(TIERS.values())


def test_a_unit_test_that_starts_a_process_fails_with_the_remedy():
    with pytest.raises(AssertionError, match="move the test to tests/system/ or tests/notebooks/"):
        subprocess.run(["true"], check=False)
    assert subprocess.run(["git", "--version"], capture_output=True, check=False).returncode == 0
