"""Reliability of the whole pipeline: no pickles, builds that survive being killed, failing
notebooks that stop the report loudly, and two clean builds that give the same bytes.

The tests marked ``slow`` run `make` on the project itself (about two minutes in all); they
need the report built, as `make test` does first.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config

ROOT = config.PROJECT_ROOT
FORBIDDEN = re.compile(r"\bpickle\b|read_pickle|joblib\.load|allow_pickle\s*=\s*True|torch\.load|dill\b")


def make_env() -> dict:
    """The environment without the jobserver of a `make test` that may be running us."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def snapshot(*folders: Path, pattern: str = "*") -> dict[str, str]:
    return {str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.glob(pattern)) if p.is_file()}


def needs_report():
    if not (config.REPORTS / "index.html").is_file():
        pytest.skip("the report is not built (make test builds it first)")


def test_nothing_loads_pickles():
    sources = [*(ROOT / "analysis").glob("*.py"), *config.NOTEBOOKS.glob("*.ipynb"), *(ROOT / "benchmarks").glob("*.py")]
    offenders = [str(p.relative_to(ROOT)) for p in sources if FORBIDDEN.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_killed_corpus_build_leaves_the_previous_tables(tmp_path):
    out = tmp_path / "processed"
    command = [sys.executable, "-m", "analysis", "corpus", "--out", str(out)]
    subprocess.run(command, check=True, capture_output=True)
    before = snapshot(out)
    for delay in (0.3, 0.8, 1.3):  # before, during and near the end of the build
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert {p.name for p in out.iterdir()} == {Path(k).name for k in before}  # no half-written files
        assert snapshot(out) == before
    subprocess.run(command, check=True, capture_output=True)
    assert snapshot(out) == before


@pytest.mark.slow
def test_a_killed_report_keeps_its_outputs_and_the_next_build_repairs_itself():
    needs_report()
    before = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="*.*")
    before = {k: v for k, v in before.items() if not k.startswith("reports/") or k.endswith((".ipynb", ".html"))}
    (config.REPORTS / "params" / "01_corpus.yml").touch()  # makes the first notebook run again
    process = subprocess.Popen(["make", "--no-print-directory", "report"], cwd=ROOT, env=make_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stage = config.REPORTS / ".stage" / "01_corpus"
    deadline = time.time() + 60
    while not stage.exists() and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="*.*")
    assert {k: after.get(k) for k in before} == before
    result = subprocess.run(["make", "--no-print-directory", "report"], cwd=ROOT, env=make_env(),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    repaired = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="*.*")
    assert {k: repaired.get(k) for k in before if not k.endswith((".ipynb", ".html"))} == \
        {k: v for k, v in before.items() if not k.endswith((".ipynb", ".html"))}


@pytest.mark.slow
def test_a_failing_notebook_stops_the_report_naming_notebook_cell_and_parameters(tmp_path):
    needs_report()
    definition = tmp_path / "failing.yml"
    definition.write_text("runs:\n  - notebook: 02_keyness\n    name: zz_failing_check\n"
                          "    parameters: {group_a: martian, group_b: western}\n", encoding="utf-8")
    before = snapshot(config.FIGURES)
    try:
        result = subprocess.run(["make", "--no-print-directory", "report", f"REPORT={definition}"], cwd=ROOT,
                                env=make_env(), capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "FAILED notebooks/02_keyness.ipynb (run zz_failing_check" in output
        assert re.search(r'Exception encountered at "In \[\d+\]"', output)
        assert "group ['martian'] has no units" in output
        assert (config.REPORTS / "zz_failing_check.failed.ipynb").is_file()
        assert not (config.REPORTS / "zz_failing_check.ipynb").exists()
        assert snapshot(config.FIGURES) == before
    finally:
        for path in [*config.REPORTS.glob("zz_failing_check*"), *config.REPORTS.glob(".zz_failing_check*"),
                     config.REPORTS / "params" / "zz_failing_check.yml", config.REPORTS / "runs-failing.mk"]:
            path.unlink(missing_ok=True)


@pytest.mark.slow
def test_two_clean_builds_give_identical_tables_and_figures():
    needs_report()
    tracked = (config.DATA_PROCESSED, config.FIGURES)
    first = snapshot(*tracked)
    assert any(k.endswith(".png") for k in first) and any(k.endswith(".csv") for k in first)
    for target in ("clean", "report"):
        result = subprocess.run(["make", "--no-print-directory", target], cwd=ROOT, env=make_env(),
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-2000:]
    second = snapshot(*tracked)
    assert second.keys() == first.keys()
    assert [k for k in first if first[k] != second[k]] == []
    # The whole pipeline ran, notebooks included, and the raw data still matches its checksums.
    from analysis.manifest import verify_manifest
    assert verify_manifest(config.DATA_RAW / "MANIFEST.csv") == []
