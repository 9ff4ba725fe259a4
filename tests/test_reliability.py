"""Reliability of the whole pipeline: no pickles, builds that survive being killed, failing
notebooks that stop the report loudly, and two clean builds that give the same bytes.

The tests marked ``slow`` run `make` on the project itself (about two minutes in all); they
need the report built, as `make test` does first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from analysis import config
from analysis.corpus import build_corpus, load_documents, load_turns, write_corpus
from analysis.errors import CorpusError

from .conftest import write_corpus_folder

ROOT = config.PROJECT_ROOT
SMALL_ROW = {"doc_id": "a", "file": "a.txt", "outlet": "Daily", "audience": "home"}
FORBIDDEN = re.compile(r"\bpickle\b|read_pickle|joblib\.load|allow_pickle\s*=\s*True|torch\.load|dill\b")


def make_env() -> dict:
    """The environment without the jobserver of a `make test` that may be running us."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


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


def test_nothing_loads_pickles():
    sources = [
        *(ROOT / "analysis").glob("*.py"),
        *config.NOTEBOOKS.glob("*.ipynb"),
        *(ROOT / "benchmarks").glob("*.py"),
    ]
    offenders = [str(p.relative_to(ROOT)) for p in sources if FORBIDDEN.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


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


def kill_at_rename(out: Path, renames_done: int) -> list[str]:
    """Run the paused corpus build into ``out``, let it rename ``renames_done`` tables into place,
    then kill it while it waits before the next rename; returns the names of the renamed tables."""
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_CORPUS_BUILD, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    names = []
    while len(names) <= renames_done:
        line = process.stdout.readline()
        assert line, f"the build ended after renaming {names}"
        if line.startswith("replacing "):
            names.append(line.split()[1])
            if len(names) <= renames_done:
                process.stdin.write("\n")
                process.stdin.flush()
    process.send_signal(signal.SIGKILL)
    process.wait()
    return names[:renames_done]


def test_a_killed_corpus_build_never_gives_a_mixed_set_of_tables(tmp_path):
    """Killed at each rename of the table set: the loaders give the previous corpus whole or refuse
    the set; never documents of one build with turns of another. The next build repairs it."""
    built, out = tmp_path / "built", tmp_path / "processed"
    subprocess.run([sys.executable, "-m", "analysis", "corpus", "--out", str(built)], check=True, capture_output=True)
    new = {p.name: p.read_bytes() for p in built.iterdir()}
    # The previous tables: a small corpus of another build, unlike the new ones in every table.
    cfg = write_corpus_folder(tmp_path / "small", {"a.txt": "HOST: Hello?\n\nJANE DOE: Hi.\n"}, [SMALL_ROW])
    write_corpus(build_corpus(cfg), out)
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    previous_documents = load_documents(out)
    temporary = re.compile(r"\.(" + "|".join(map(re.escape, new)) + r")\.\w+\.tmp")
    # Killed with every file staged but none in place, after each table, and before tables.json.
    for renames_done in range(len(new)):
        for path in out.iterdir():
            path.unlink()
        for name, data in previous.items():
            (out / name).write_bytes(data)
        renamed = kill_at_rename(out, renames_done)
        on_disk = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
        assert on_disk == {name: new[name] if name in renamed else previous[name] for name in new}
        if renames_done == 0:
            assert load_documents(out).equals(previous_documents)
        else:
            with pytest.raises(CorpusError, match="is not from the build that wrote the other corpus tables"):
                load_documents(out)
            with pytest.raises(CorpusError, match="a build was interrupted"):
                load_turns(out)
        # Nothing is left to remove the files staged but not renamed: they stay, hidden and named
        # after their table, and nothing reads them.
        leftovers = [p for p in out.iterdir() if p.name.startswith(".")]
        assert len(leftovers) == len(new) - renames_done and all(temporary.fullmatch(p.name) for p in leftovers)
        for path in leftovers:
            path.unlink()
    subprocess.run([sys.executable, "-m", "analysis", "corpus", "--out", str(out)], check=True, capture_output=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == new
    assert len(load_turns(out)) > 1000


@pytest.mark.slow
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
    stage = config.REPORTS / ".stage" / "01_corpus"
    while process.poll() is None and not any(stage.glob("*")):
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


@pytest.mark.slow
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
        assert "group ['martian'] has no units" in output
        assert (config.REPORTS / "zz_failing_check.failed.ipynb").is_file()
        assert not (config.REPORTS / "zz_failing_check.ipynb").exists()
        assert snapshot(config.FIGURES) == before
    finally:
        for path in [
            *config.REPORTS.glob("zz_failing_check*"),
            *config.REPORTS.glob(".zz_failing_check*"),
            config.REPORTS / "params" / "zz_failing_check.yml",
            config.REPORTS / "runs-failing.mk",
        ]:
            path.unlink(missing_ok=True)


@pytest.mark.slow
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
