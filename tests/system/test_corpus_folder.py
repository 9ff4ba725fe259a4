"""A corpus folder is data: a folder a colleague shares (a zip, a synced folder) can run no code,
and nothing the build writes or deletes leaves it (issue 28, the adversarial review's cases).

Each test prepares the folder as an attacker would, beside a sibling folder ``outside`` holding a
user's files, runs the build, and checks that no file outside the corpus folder appeared, changed
or went (:func:`outside_state`) and that no command from the data ran (no ``PWNED`` marker). The
build's own state lives in the project's ``.build/corpora/`` (analysis/report/owned.py)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from analysis import config
from analysis.corpus import build_corpus, load_config, write_corpus
from analysis.errors import CorpusError
from analysis.report.owned import build_dir, input_files
from analysis.report.rules import load_runs
from analysis.report.site import _corpus_inputs
from analysis.report.starter import write_starter
from tests.own_corpus import CODEBOOK, GROUPS, SPEAKER, write_transcripts
from tests.system.test_builds import make_env

ROOT = config.PROJECT_ROOT
#: A report definition of one quick run, so that a test that builds takes seconds, not minutes.
ONE_RUN = "runs: [{notebook: 01_corpus}]\n"


def run_make(*args: str, cwd: Path = ROOT, env: dict | None = None) -> tuple[int, str]:
    """``make --no-print-directory ARGS`` in ``cwd``: its exit status and output."""
    result = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, env=env or make_env(), capture_output=True, text=True
    )
    return result.returncode, result.stdout + result.stderr


def outside_state(tmp_path: Path, folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and link under ``tmp_path`` but inside ``folder``: size and first bytes."""
    found = {}
    for path in tmp_path.rglob("*"):
        if path.is_relative_to(folder):
            continue
        if path.is_symlink():
            found[str(path)] = (-1, os.readlink(path).encode())
        elif path.is_file():
            found[str(path)] = (path.stat().st_size, path.read_bytes()[:200])
    return found


def markers() -> list[Path]:
    """Files a payload of these tests would make (its commands run in the project folder)."""
    return [p for where in (ROOT, ROOT.parent) for p in where.glob("PWNED*")]


@pytest.fixture
def shared(tmp_path):
    """A valid corpus folder ``tmp_path/shared`` (the made-up corpus of tests/own_corpus.py with a
    codebook and a one-run report definition ``one.yml``) and a sibling ``tmp_path/outside`` with a
    user's files; after the test, nothing outside the corpus folder may have changed and no
    payload may have run. The corpus's build state is removed."""
    folder = tmp_path / "shared"
    write_starter(folder, "Harbour City interviews", SPEAKER, list(GROUPS))
    write_transcripts(folder)
    (folder / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "one.yml").write_text(ONE_RUN, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("a user's file\n", encoding="utf-8")
    (outside / "holiday.png").write_bytes(b"\x89PNG a user's picture")
    (outside / "budget.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (outside / "secret.yml").write_text(CODEBOOK.replace("Money matters", "SECRET"), encoding="utf-8")
    for marker in markers():
        marker.unlink()
    before = outside_state(tmp_path, folder)
    yield folder
    ran = markers()
    for marker in ran:
        marker.unlink()
    shutil.rmtree(ROOT / build_dir(folder), ignore_errors=True)
    assert ran == [], "a command from the corpus folder ran"
    assert outside_state(tmp_path, folder) == before, "a file outside the corpus folder appeared, changed or went"


def set_config(folder: Path, **values) -> None:
    cfg = yaml.safe_load((folder / "corpus.yml").read_text(encoding="utf-8"))
    cfg.update(values)
    (folder / "corpus.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


def one_error(output: str) -> str:
    """The one line that refuses the build: ``error: ...`` with a remedy, and no traceback."""
    errors = [line for line in output.splitlines() if line.startswith("error:") or " *** " in line]
    assert errors and "Traceback" not in output, output[-3000:]
    assert "Fix:" in errors[0], errors
    return errors[0]


# --- 1 and 2: no name from data reaches Make or a shell -------------------------------------

#: Payloads Make or a shell would run (their commands run in the project folder, where the build
#: runs), by what they try.
PAYLOADS = {
    "make function": "x$(shell touch PWNED_make)",
    "backticks": "x`touch PWNED_tick`",
    "semicolon": "x;touch PWNED_semi;",
    "newline": "x\ntouch PWNED_newline\n",
    "hash": "x#$(shell touch PWNED_hash)",
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_codebook_or_coding_file_name_in_the_config_runs_no_command(shared, payload):
    """Case 1: ``codebook: cb$(shell ...).yml`` (the file present) reached Make's rules."""
    name = PAYLOADS[payload]
    (shared / f"cb{name}.yml").write_text(CODEBOOK, encoding="utf-8")
    (shared / f"coding{name}.csv").write_text("doc_id,paragraph,frame\n", encoding="utf-8")
    set_config(shared, codebook=f"cb{name}.yml", coding=f"coding{name}.csv")
    status, output = run_make("-n", "report", f"CORPUS={shared}")
    assert status == 0, output[-3000:]  # the names are carried, not interpreted


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_transcript_file_name_runs_no_command(shared, payload):
    name = PAYLOADS[payload] + ".txt"
    os.replace(shared / "harb1.txt", shared / name)
    metadata = (shared / "metadata.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(metadata))
    for row in rows:
        if row[1] == "harb1.txt":
            row[1] = name
    with open(shared / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    status, output = run_make("-n", "report", f"CORPUS={shared}")
    assert status == 0, output[-3000:]


@pytest.mark.parametrize("payload", [*PAYLOADS, "space", "ampersand", "quote", "parenthesis", "percent", "dollar"])
@pytest.mark.parametrize("variable", ["CORPUS", "REPORT"])
def test_a_corpus_or_report_path_make_or_a_shell_would_interpret_is_refused_in_one_line(shared, variable, payload):
    """CORPUS= and REPORT= are refused before Make uses them when they hold a character Make or
    a shell interprets (issue 29, item 8: names with &, ', (, % or $ ended in raw errors)."""
    odd = {"space": "a b", "ampersand": "a&b", "quote": "a'b", "parenthesis": "a(b)", "percent": "a%b"}
    name = {"dollar": "a$b", **odd, **PAYLOADS}[payload]
    target = shared.parent / f"corpus{name}"
    if variable == "CORPUS":
        shutil.copytree(shared, target)
        args = [f"CORPUS={target}"]
    else:
        target = shared / f"one{name}.yml"
        (target).write_text(ONE_RUN, encoding="utf-8")
        args = [f"CORPUS={shared}", f"REPORT={target}"]
    status, output = run_make("report", *args)
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    assert status == 2, output[-3000:]
    assert f"{variable}=" in one_error(output)
    assert "running" not in output and not (shared / "processed").exists()


# --- 1 and 5: generated build files and built state are the project's -----------------------


def test_a_shipped_runs_mk_is_never_read(shared):
    """Case 2: a folder that arrives with its own ``reports/runs.mk`` had its rules read."""
    rules = "$(shell touch PWNED_runs_mk)\nreport-locked: pwn\npwn:\n\ttouch PWNED_runs_mk_recipe\n"
    for where in (shared / "reports", shared / "reports" / "one"):
        where.mkdir(parents=True, exist_ok=True)
        (where / "runs.mk").write_text(rules, encoding="utf-8")
        os.utime(where / "runs.mk", (4_000_000_000, 4_000_000_000))  # "newer" than anything
    status, output = run_make("-n", "report", f"CORPUS={shared}")
    assert status == 0, output[-3000:]


def test_a_shipped_outputs_record_deletes_nothing_and_shipped_tables_are_rebuilt(shared, tmp_path):
    """Cases 3 (a shipped ``reports/<run>/outputs/01_corpus.json`` naming ``../../outside/victim.txt``
    made publish_run delete it) and 5 (a shipped ``processed/`` with a matching ``tables.json`` and
    a fresh ``.built`` made the report show an outlet that is in no transcript)."""
    record = shared / "reports" / "one" / "outputs" / "01_corpus.json"
    record.parent.mkdir(parents=True)
    victim = os.path.relpath(tmp_path / "outside" / "victim.txt", shared / "figures" / "one")
    record.write_text(json.dumps({"run": "01_corpus", "files": [victim, "../../outside/victim.txt"]}), "utf-8")
    phantom = build_corpus(shared / "corpus.yml")
    documents = phantom.documents.assign(outlet="Phantom FM")
    write_corpus(phantom._replace(documents=documents), shared / "processed")
    (shared / "processed" / ".built").touch()
    for stale in (shared / "processed").iterdir():
        os.utime(stale, (4_000_000_000, 4_000_000_000))

    status, output = run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")

    assert status == 0, output[-3000:]
    assert "Phantom FM" not in (shared / "processed" / "documents.csv").read_text(encoding="utf-8")
    page = (shared / "reports" / "one" / "01_corpus.html").read_text(encoding="utf-8")
    assert "Phantom FM" not in page and "Harbourside Radio 1" in page


def test_a_copied_built_folder_is_rebuilt_from_its_own_inputs(shared, tmp_path):
    """Case 5: a built folder copied with ``cp -r`` and given one more turn produced, with exit 0,
    a page still counting the old turns (the copied runs.mk named the original's targets)."""
    assert run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")[0] == 0
    copy = tmp_path / "shared" / "copy"  # inside the watched corpus folder, so the fixture allows it
    shutil.copytree(shared, tmp_path / "copy", symlinks=True)
    shutil.move(tmp_path / "copy", copy)
    with open(copy / "harb1.txt", "a", encoding="utf-8") as f:
        f.write(f"\nHOST: One more?\n\n{SPEAKER}: One more answer about the ferry timetable.\n")
    status, output = run_make("report", f"CORPUS={copy}", f"REPORT={copy / 'one.yml'}")
    shutil.rmtree(ROOT / build_dir(copy), ignore_errors=True)
    assert status == 0, output[-3000:]
    turns = (copy / "processed" / "turns.csv").read_text(encoding="utf-8")
    original = (shared / "processed" / "turns.csv").read_text(encoding="utf-8")
    assert "One more answer about the ferry timetable" in turns and "One more answer" not in original
    assert "as 01_corpus with" in output  # the copy's page was made again, from the copy's tables


def test_exported_corpus_variables_do_not_redirect_a_build(tmp_path):
    """Case 5: exported DISCOURSE_CORPUS / DISCOURSE_PROCESSED made the seed's `make report` show
    another corpus under the seed's title: no recipe of the Makefile sees them."""
    env = {**make_env(), "DISCOURSE_CORPUS": str(tmp_path / "corpus.yml"), "DISCOURSE_PROCESSED": str(tmp_path)}
    probe = '_probe: ; @echo "[$$DISCOURSE_CORPUS][$$DISCOURSE_PROCESSED][$$DISCOURSE_FIGURES]"'
    status, output = run_make(f"--eval={probe}", "_probe", env={**env, "DISCOURSE_FIGURES": str(tmp_path)})
    assert status == 0 and output.strip() == "[][][]", output


# --- 3: outputs stay inside -------------------------------------------------------------------


@pytest.mark.parametrize("output", ["processed", "figures", "reports", "reports/one", "figures/one"])
def test_an_output_folder_that_is_a_link_outside_is_refused_in_one_line(shared, tmp_path, output):
    """Case 3: a ``processed/`` or ``figures/`` linked to a folder outside received the tables and
    figures there."""
    target = tmp_path / "outside"
    (shared / output).parent.mkdir(parents=True, exist_ok=True)
    (shared / output).symlink_to(target, target_is_directory=True)
    status, output_text = run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")
    assert status == 2 and "is a link" in one_error(output_text), output_text[-3000:]


def test_make_clean_deletes_nothing_through_a_linked_figures_folder(shared, tmp_path):
    """Case 3: `make clean CORPUS=DIR` with ``figures/`` linked to a user's picture folder deleted
    the .png and .csv files in it."""
    (shared / "figures").symlink_to(tmp_path / "outside", target_is_directory=True)
    (shared / "reports").mkdir()
    (shared / "reports" / "keep.txt").write_text("x", encoding="utf-8")
    status, output = run_make("clean", f"CORPUS={shared}")
    assert status == 2 and "is a link" in one_error(output)
    assert (shared / "reports" / "keep.txt").is_file()


def test_make_clean_removes_only_what_the_project_recorded(shared):
    """`make clean CORPUS=DIR` on a folder the project never built removes the corpus tables it
    makes, and no file it did not write."""
    for name in ("figures/holiday.png", "figures/one/notes.csv", "reports/mine.html", "processed/turns.csv"):
        (shared / name).parent.mkdir(parents=True, exist_ok=True)
        (shared / name).write_text("x", encoding="utf-8")
    status, output = run_make("clean", f"CORPUS={shared}")
    assert status == 0, output
    assert not (shared / "processed" / "turns.csv").exists()
    assert all((shared / n).is_file() for n in ("figures/holiday.png", "figures/one/notes.csv", "reports/mine.html"))


# --- 4: every path from data stays inside -----------------------------------------------------


@pytest.mark.parametrize("key", ["codebook", "coding"])
@pytest.mark.parametrize("where", ["../outside/secret.yml", "{outside}/secret.yml", "/dev/zero", "fifo"])
def test_a_codebook_or_coding_outside_the_folder_or_not_a_file_is_refused(shared, tmp_path, key, where):
    """Case 4: ``codebook: ../../secret/cb.yml`` (or an absolute path) was read and shown;
    ``codebook: /dev/zero`` ended in a MemoryError (a FIFO blocked, issue 29 item 6)."""
    if where == "fifo":
        os.mkfifo(shared / "fifo")
    set_config(shared, **{key: where.format(outside=tmp_path / "outside")})
    with pytest.raises(CorpusError, match=rf"corpus\.yml:\d+: `{key}: .*` (points outside|is not a regular file)"):
        load_config(shared / "corpus.yml")
    status, output = run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")
    assert status != 0 and "SECRET" not in output and key in one_error(output), output[-3000:]
    (shared / "fifo").unlink(missing_ok=True)


@pytest.mark.parametrize(
    "parameters",
    [{"coding_dir": "{outside}"}, {"codebook_path": "{outside}/secret.yml"}, {"codebook_path": "../outside/x.yml"}],
)
def test_a_path_parameter_of_a_report_definition_stays_in_the_corpus_folder(shared, tmp_path, parameters):
    """Case 4: ``coding_dir`` and ``codebook_path`` of 06_code wrote ``sample_seed0_n60.csv`` outside
    and showed an outside codebook: Make overrides only processed_dir, corpus_config, figures_dir."""
    params = {k: v.format(outside=tmp_path / "outside") for k, v in parameters.items()}
    definition = {"runs": [{"notebook": "06_code", "parameters": {"static_preview": True, **params}}]}
    (shared / "bad.yml").write_text(yaml.safe_dump(definition), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.yml: run 1: parameter \w+: .* (leads outside|is not a regular)"):
        load_runs(shared / "bad.yml", corpus_folder=shared)
    status, output = run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'bad.yml'}")
    assert status != 0 and "parameter" in one_error(output), output[-3000:]
    assert "running" not in output


def test_a_path_parameter_inside_the_folder_is_passed_resolved(shared):
    definition = {"runs": [{"notebook": "06_code", "parameters": {"codebook_path": "codebook.yml"}}]}
    (shared / "good.yml").write_text(yaml.safe_dump(definition), encoding="utf-8")
    (run,) = load_runs(shared / "good.yml", corpus_folder=shared)
    assert run.parameters == {"codebook_path": str((shared / "codebook.yml").resolve())}


# --- issue 29: names, folders and places Make could not handle ------------------------------


def test_a_report_definition_without_a_stem_is_refused_before_it_replaces_the_default_page(shared):
    """Issue 29 item 4: ``REPORT=DIR/.yml`` wrote into the default report's folders."""
    (shared / ".yml").write_text(ONE_RUN, encoding="utf-8")
    status, output = run_make("report", f"CORPUS={shared}", f"REPORT={shared / '.yml'}")
    assert status == 2 and "no stem" in one_error(output)
    assert not (shared / "reports").exists()


def test_transcript_names_with_a_space_or_a_colon_are_built(shared):
    """Issue 29 item 8: transcript names with a space or a colon ended in raw Make errors."""
    metadata = (shared / "metadata.csv").read_text(encoding="utf-8")
    for old, new in (("harb1.txt", "harb 1.txt"), ("harb2.txt", "harb:2.txt")):
        os.replace(shared / old, shared / new)
        metadata = metadata.replace(f",{old},", f",{new},")
    (shared / "metadata.csv").write_text(metadata, encoding="utf-8")
    status, output = run_make("report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")
    assert status == 0, output[-3000:]
    assert "harb:2.txt" in (shared / "processed" / "turns.csv").read_text(encoding="utf-8")
    manifest = json.loads((shared / "reports" / "one" / "manifest.json").read_text(encoding="utf-8"))
    assert {"harb 1.txt", "harb:2.txt"} <= set(manifest["inputs"])


def test_make_from_another_folder_says_how_to_run_it_in_one_line(tmp_path):
    """Issue 29 item 7: `make -f path/Makefile` from another folder ended in ModuleNotFoundError."""
    status, output = run_make("-f", str(ROOT / "Makefile"), "help", cwd=tmp_path)
    assert status == 2 and "make -C" in one_error(output) and "ModuleNotFoundError" not in output
    status, output = run_make("-C", str(ROOT), "help", cwd=tmp_path)  # the remedy works
    assert status == 0 and "make report" in output


def read_only_make(folder: Path, *args: str) -> tuple[int, str]:
    """``make ARGS`` with ``folder`` read-only: by its mode for a user; for root, who writes
    whatever the mode says, through a read-only bind mount of it in a mount namespace of the
    make's own (util-linux's unshare; skipped where the machine does not allow one)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return run_make(*args)
        finally:
            folder.chmod(0o755)
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("root with no mount namespace cannot make a folder read-only")
    script = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec make --no-print-directory "$@"'
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), *args],
        cwd=ROOT,
        env=make_env(),
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout + result.stderr


def test_a_read_only_corpus_folder_gets_one_line_not_a_traceback(shared):
    """Issue 29 item 7: a read-only corpus folder ended in a traceback from the lock."""
    status, output = read_only_make(shared, "report", f"CORPUS={shared}", f"REPORT={shared / 'one.yml'}")
    assert status == 2 and "cannot be written" in one_error(output), output[-2000:]
    assert "Traceback" not in output


def test_a_corpus_folder_that_is_a_git_repository_has_no_git_inputs(shared):
    """Issue 29 item 9: a corpus folder that is a git repository made ``.git/*`` inputs: every
    commit reran the build and the manifest hashed git objects."""
    (shared / ".git" / "objects" / "ab").mkdir(parents=True)
    (shared / ".git" / "objects" / "ab" / "cdef").write_bytes(b"blob")
    (shared / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    inputs = set(_corpus_inputs(shared / "corpus.yml", shared / "one.yml"))
    assert "harb1.txt" in inputs and not [name for name in inputs if ".git" in name]
    assert not [name for name in input_files(shared) if ".git" in name]
