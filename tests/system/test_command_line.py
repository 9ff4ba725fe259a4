"""Bad input on the command line: one line naming file, line and remedy, exit status 2, and nothing written."""

from __future__ import annotations

import re
import resource
import signal
import subprocess
import sys

from analysis import config
from analysis.corpus import write_corpus
from tests.corpus.test_bad_input import GOOD, ROW


def test_command_line_prints_one_line_and_exits_2_writing_nothing(byo, tmp_path):
    cfg = byo({"a.txt": GOOD}, [{**ROW, "audience": "martian"}])
    out = tmp_path / "out"
    out.mkdir()
    (out / "turns.csv").write_text("previous good table\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "corpus", "--config", str(cfg), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    assert (out / "turns.csv").read_text(encoding="utf-8") == "previous good table\n"
    assert sorted(p.name for p in out.iterdir()) == ["turns.csv"]


def test_wrong_config_type_on_the_command_line_is_one_line_and_exit_2(byo):
    cfg = byo({"a.txt": GOOD}, metadata=5)
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "corpus", "--config", str(cfg), "--out", str(cfg.parent / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "`metadata` must be text" in result.stderr
    assert not (cfg.parent / "out").exists()


def run_corpus(cfg, out, preexec_fn=None):
    return subprocess.run(
        [sys.executable, "-m", "analysis", "corpus", "--config", str(cfg), "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=preexec_fn,
    )


def assert_one_line(result, pattern):
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert re.search(pattern, result.stderr), result.stderr


def test_out_that_is_an_existing_file_is_one_line(byo, tmp_path):
    out = tmp_path / "taken.csv"
    out.write_text("a file\n", encoding="utf-8")
    assert_one_line(
        run_corpus(byo({"a.txt": GOOD}), out), r"taken\.csv: is a file, not a folder\. Fix: give --out a folder"
    )
    assert out.read_text(encoding="utf-8") == "a file\n"


def test_out_that_cannot_be_created_is_one_line(byo, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert_one_line(run_corpus(byo({"a.txt": GOOD}), tmp_path / "file" / "out"), r"cannot create the output folder")


def _small_file_size_limit():
    """In the child: files may not grow past 2 kB, and that limit gives EFBIG instead of a signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


def test_file_size_limit_while_writing_is_one_line_and_leaves_the_previous_tables(byo, tmp_path):
    out = tmp_path / "out"
    assert run_corpus(byo({"a.txt": GOOD}), out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    long = "HOST: Question?\n\nJANE DOE: " + "Answer and more words. " * 200 + "\n"  # turns.csv > 2 kB
    result = run_corpus(byo({"a.txt": long, "b.txt": GOOD}), out, preexec_fn=_small_file_size_limit)
    assert_one_line(
        result, r"out: cannot write the corpus tables \(File too large\); the previous tables are as they were"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing mixed, nothing left behind


def test_the_default_note_pattern_is_linear_on_a_run_of_whitespace(byo):
    # 200,000 spaces took 81 s with the old pattern (the scan restarted at every space); a build that
    # has not ended after 40 s (ten times the rest of its work) hangs, as the old one did
    text = "HOST: Question?" + " " * 200_000 + "x [CROSSTALK]\n\nJANE DOE: Answer.\n"
    cfg = byo({"a.txt": text})
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "corpus", "--config", str(cfg), "--out", str(cfg.parent / "out")],
        capture_output=True,
        text=True,
        timeout=40,
    )
    assert result.returncode == 0, result.stderr
    assert "1 transcription notes" in result.stdout


def test_two_builds_give_byte_identical_tables(tmp_path):
    for run in ("one", "two"):
        subprocess.run(
            [sys.executable, "-m", "analysis", "corpus", "--out", str(tmp_path / run)], check=True, capture_output=True
        )
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == ["documents.csv", "dropped.csv", "rules.csv", "tables.json", "turns.csv"]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_declared_group_without_an_interview_is_refused_before_any_run(byo, tmp_path):
    """It failed after the corpus build and the first runs, inside 02_keyness ("reference group
    ['abroad'] has no units"); now `python -m analysis runs`, which make report runs first, says so
    in one line, and following the remedy gets the runs."""
    import subprocess
    import sys

    cfg = byo({"a.txt": "HOST: Question?\n\nJANE DOE: Answer.\n"})  # groups home and abroad; one home row
    command = [sys.executable, "-m", "analysis", "runs", "--corpus", str(cfg), "--out", str(tmp_path / "state")]
    refused = subprocess.run(command, capture_output=True, text=True)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and not (tmp_path / "state").exists()
    assert refused.stderr == (
        f"error: {cfg}:5: audience group 'abroad' has no interview in metadata.csv (the report compares groups "
        "of interviews). Fix: add the rows of its interviews (audience abroad) to metadata.csv, or remove it "
        "from `audience_groups`.\n"
    )
    (cfg.parent / "b.txt").write_text("HOST: Question?\n\nJANE DOE: Answer.\n", encoding="utf-8")
    with open(cfg.parent / "metadata.csv", "a", encoding="utf-8") as f:
        f.write("b,b.txt,Outlet,abroad\n")
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0


def test_the_command_draws_the_stored_tasks_with_k_chosen_as_03_chooses_it(seed, tmp_path):
    """`python -m analysis intrusion` without --k runs 03's grid and rule (k = 8 for NMF, 4 for LDA on
    the seed) and writes byte for byte the task files and keys the readers were given."""
    from analysis.__main__ import main

    write_corpus(seed, tmp_path / "processed")
    assert main(["intrusion", "--processed", str(tmp_path / "processed"), "--out", str(tmp_path / "out")]) == 0
    for name in ("tasks_nmf.csv", "tasks_lda.csv", "key_nmf.csv", "key_lda.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (config.INTRUSION / name).read_bytes(), name
