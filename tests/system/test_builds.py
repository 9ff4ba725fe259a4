"""Builds of the whole report that survive being killed, failing notebooks that stop the report loudly,
and two clean builds that give the same bytes (they run make on the project itself and need the
report built, as make test does first).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis import config
from analysis.corpus import build_corpus, load_documents, load_turns, write_corpus
from tests.conftest import write_corpus_folder
from tests.report.test_builds import ROOT, SMALL_ROW


def make_env() -> dict:
    """The environment without the jobserver of a `make test` that may be running us; without
    Chromium, with PDF=no (make report then stops at the PDF, exit 2, by design)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        env["PDF"] = "no"
    return env


def snapshot(*folders: Path, pattern: str = "*") -> dict[str, str]:
    return {
        str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(folder.glob(pattern))
        if p.is_file()
    }


def kill_build(process: subprocess.Popen) -> None:
    """SIGKILL a build started with ``start_new_session=True`` and everything it started, and wait
    until all of it is gone. Jupyter kernels run in sessions of their own, so killing the build's
    process group alone would leave a kernel running on (ipykernel stops an orphan only within a
    second) and writing into the folders the next build uses."""
    os.killpg(process.pid, signal.SIGSTOP)  # frozen, the build starts nothing new while it is listed
    started = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGKILL)
    for child in started:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    process.wait()
    while not all(map(ended, started)):
        time.sleep(0.01)


def ended(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE  # dead, waiting to be reaped
    except psutil.NoSuchProcess:
        return True


def needs_report():
    if not (config.REPORTS / "index.html").is_file():
        pytest.skip("the report is not built (make test builds it first)")


# The corpus build with a pause before each rename of io.atomic_path: it prints the table about to
# be replaced and waits for a line on stdin, so that a test kills it at a known step of the write
# instead of at a moment guessed from a clock (how long the build takes depends on the machine).
PAUSED_CORPUS_BUILD = """
import os, runpy, sys
replace = os.replace
def paused(source, target):
    print("replacing", os.path.basename(target), flush=True)
    sys.stdin.readline()
    replace(source, target)
os.replace = paused
sys.argv = ["analysis", "corpus", "--out", sys.argv[1]]
runpy.run_module("analysis", run_name="__main__")
"""


def kill_at_rename(out: Path, renames_done: int) -> bool:
    """Run the paused corpus build into ``out``, let it make ``renames_done`` renames, then kill it
    while it waits before the next; False when the build ended before reaching that rename."""
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_CORPUS_BUILD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seen = 0
    while seen <= renames_done:
        line = process.stdout.readline()
        if not line:
            process.wait()
            return False
        if line.startswith("replacing "):
            seen += 1
            if seen <= renames_done:
                process.stdin.write("\n")
                process.stdin.flush()
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def visible_files(folder: Path) -> dict[str, bytes] | None:
    """What a researcher sees in ``folder`` (its files but the hidden ones), or None if it is gone."""
    if not folder.is_dir():
        return None
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_killed_corpus_build_never_leaves_a_mixed_set_of_tables_on_disk(tmp_path):
    """Killed at every rename of the write: the folder holds the previous tables or the new ones,
    every file of one build, never documents.csv of one build beside turns.csv of another (what a
    researcher opening the CSVs in a spreadsheet would see), and the next build restores and
    completes it, leaving nothing beside the folder."""
    built, out = tmp_path / "built", tmp_path / "processed"
    subprocess.run([sys.executable, "-m", "analysis", "corpus", "--out", str(built)], check=True, capture_output=True)
    new = visible_files(built)
    # The previous tables: a small corpus of another build, unlike the new ones in every table.
    cfg = write_corpus_folder(tmp_path / "small", {"a.txt": "HOST: Hello?\n\nJANE DOE: Hi.\n"}, [SMALL_ROW])
    write_corpus(build_corpus(cfg), out)
    (out / ".kept").write_text("a file of the folder's own\n", encoding="utf-8")
    previous, previous_documents = visible_files(out), load_documents(out)
    kills = 0
    while True:
        shutil.rmtree(out)
        for leftover in tmp_path.glob(".processed.*"):
            shutil.rmtree(leftover)
        out.mkdir()
        for name, data in previous.items():
            (out / name).write_bytes(data)
        (out / ".kept").write_text("a file of the folder's own\n", encoding="utf-8")
        if not kill_at_rename(out, kills):
            break
        kills += 1
        on_disk = visible_files(out)
        assert on_disk in (previous, new, None), f"killed after {kills - 1} renames: a mixed set"
        if on_disk == previous:
            assert load_documents(out).equals(previous_documents)
        elif on_disk is None:  # between the two renames: the previous set waits beside the folder
            assert visible_files(tmp_path / ".processed.previous") == previous
        subprocess.run([sys.executable, "-m", "analysis", "corpus", "--out", str(out)], check=True, capture_output=True)
        assert visible_files(out) == new and (out / ".kept").is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["built", "processed", "small"]
        assert len(load_turns(out)) > 1000
    assert kills >= 2  # the build renames at least twice (old folder aside, new folder in place)
    assert visible_files(out) == new and sorted(p.name for p in tmp_path.iterdir()) == ["built", "processed", "small"]


def test_a_killed_report_keeps_its_outputs_and_the_next_build_repairs_itself():
    needs_report()
    # The outputs, not the hidden temporaries of a build (such as reports/.01_corpus.tmp.ipynb, left
    # by a build killed before), which the next build overwrites.
    before = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="[!.]*.*")
    before = {k: v for k, v in before.items() if not k.startswith("reports/") or k.endswith((".ipynb", ".html"))}
    (config.REPORTS / "params" / "01_corpus.yml").touch()  # makes the first notebook run again
    process = subprocess.Popen(
        ["make", "--no-print-directory", "report"],
        cwd=ROOT,
        env=make_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Killed in the middle of the notebook: once it has staged a figure, which it publishes only at the end.
    while process.poll() is None and not any(config.REPORTS.glob(".stage/01_corpus.*/*")):
        time.sleep(0.01)
    assert process.poll() is None, "the report finished before it could be killed"
    kill_build(process)
    after = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="*.*")
    assert {k: after.get(k) for k in before} == before
    result = subprocess.run(
        ["make", "--no-print-directory", "report"], cwd=ROOT, env=make_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    repaired = snapshot(config.FIGURES, config.REPORTS, config.DATA_PROCESSED, pattern="*.*")
    assert {k: repaired.get(k) for k in before if not k.endswith((".ipynb", ".html"))} == {
        k: v for k, v in before.items() if not k.endswith((".ipynb", ".html"))
    }


def test_a_failing_notebook_stops_the_report_naming_notebook_cell_and_parameters(tmp_path):
    needs_report()
    definition = tmp_path / "failing.yml"
    definition.write_text(
        "runs:\n  - notebook: 02_keyness\n    name: zz_failing_check\n"
        "    parameters: {group_a: martian, group_b: western}\n",
        encoding="utf-8",
    )
    before = snapshot(config.FIGURES)
    try:
        result = subprocess.run(
            ["make", "--no-print-directory", "report", f"REPORT={definition}"],
            cwd=ROOT,
            env=make_env(),
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        assert result.returncode != 0
        assert "FAILED notebooks/02_keyness.ipynb (run zz_failing_check" in output
        assert re.search(r'Exception encountered at "In \[\d+\]"', output)
        assert "audience group 'martian' is not in this corpus" in output and "its groups are: turkish" in output
        # Another definition reports into a folder of its own: reports/failing/, figures/failing/.
        assert (config.REPORTS / "failing" / "zz_failing_check.failed.ipynb").is_file()
        assert "kept in reports/failing/zz_failing_check.failed.ipynb" in output
        assert not (config.REPORTS / "failing" / "zz_failing_check.ipynb").exists()
        assert snapshot(config.FIGURES) == before
    finally:
        shutil.rmtree(config.REPORTS / "failing", ignore_errors=True)
        shutil.rmtree(config.FIGURES / "failing", ignore_errors=True)


def test_two_clean_builds_give_identical_tables_and_figures():
    needs_report()
    tracked = (config.DATA_PROCESSED, config.FIGURES)
    first = snapshot(*tracked)
    assert any(k.endswith(".png") for k in first) and any(k.endswith(".csv") for k in first)
    for target in ("clean", "report"):
        result = subprocess.run(
            ["make", "--no-print-directory", target], cwd=ROOT, env=make_env(), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-2000:]
    second = snapshot(*tracked)
    assert second.keys() == first.keys()
    assert [k for k in first if first[k] != second[k]] == []
    # The whole pipeline ran, notebooks included, and the raw data still matches its checksums.
    from analysis.corpus.checksums import verify_manifest

    assert verify_manifest(config.DATA_RAW / "MANIFEST.csv") == []


ONE_RUN = "runs:\n  - notebook: 01_corpus\n"


def run_make(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, env=make_env(), capture_output=True, text=True
    )


def test_two_reports_at_once_end_complete_one_waiting_for_the_other(tmp_path):
    needs_report()
    definition = tmp_path / "zz_twice.yml"
    definition.write_text(ONE_RUN, encoding="utf-8")
    out = config.REPORTS / "zz_twice"
    try:
        first = subprocess.Popen(
            ["make", "--no-print-directory", "report", f"REPORT={definition}"],
            cwd=ROOT, env=make_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        while first.poll() is None and not any((out / ".stage").glob("*")):
            time.sleep(0.05)  # the first build holds the lock once it stages a figure
        second = run_make("report", f"REPORT={definition}")
        assert first.wait() == 0, first.stdout.read()[-2000:]
        assert second.returncode == 0, second.stderr[-2000:]
        assert "is locked); waiting for it to end" in second.stderr
        assert "== running" not in second.stdout  # the first build's work was done and is reused
        published = json.loads((out / "outputs" / "01_corpus.json").read_text(encoding="utf-8"))["files"]
        index = (out / "appendix.html").read_text(encoding="utf-8")
        assert published and all((config.FIGURES / "zz_twice" / f).is_file() for f in published)
        assert all(f"{f[:-5]}.png" in index for f in published if f.endswith(".json"))
        assert not list(out.glob(".*.tmp*")) and not (out / ".stage").exists() or not any((out / ".stage").iterdir())
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(config.FIGURES / "zz_twice", ignore_errors=True)


def test_a_clone_in_a_folder_whose_path_has_a_space_builds_its_report(tmp_path):
    needs_report()
    clone = tmp_path / "my projects" / "discourse"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    (clone / ".venv").symlink_to(ROOT / ".venv")  # the installed environment, not a second install
    (clone / "one.yml").write_text(ONE_RUN, encoding="utf-8")
    result = run_make("report", "REPORT=one.yml", cwd=clone)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert (clone / "reports" / "one" / "index.html").is_file()
    assert (clone / "reports" / "one" / "01_corpus.html").is_file()
