"""The project installs from its own files: pyproject.toml, environment.yml and requirements.lock agree."""

from __future__ import annotations

import re
import tomllib

import yaml

from analysis import config


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    extras = {_name(d) for group in project["optional-dependencies"].values() for d in group}
    pypi = {_name(d) for d in project["dependencies"]} | extras
    assert conda == pypi
    assert "python>=3.11" in env["dependencies"] and project["requires-python"] == ">=3.11"


def test_lock_pins_every_dependency():
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (config.PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = {_name(line) for line in lock.splitlines() if "==" in line}
    extras = {_name(d) for group in project["optional-dependencies"].values() for d in group}
    assert {_name(d) for d in project["dependencies"]} | extras <= pinned


def test_ci_runs_the_readme_test_command():
    assert "make test" in (config.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_one_version_and_a_citation_that_carries_it():
    import analysis

    citation = yaml.safe_load((config.PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == analysis.__version__
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
