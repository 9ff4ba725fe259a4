"""One `make report` at a time per corpus, and a report that repairs itself.

``make report`` runs ``python -m analysis.report.lock --reports R --figures F --processed P -- make
report-locked``: the build takes an exclusive lock on ``R/.lock`` (``fcntl.flock``; a second
build in the same clone says it waits, then finds the first one's work done), removes what a
killed build left behind (:func:`repair`) and only then runs Make, which stays under the lock
until it exits. The lock belongs to the open file, so the operating system releases it when the
build ends, however it ends: no stale lock files.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
from pathlib import Path

#: Temporary files of a killed build: ``analysis.io.atomic_path``'s ``.<name>.<random>.tmp`` and
#: the Makefile's ``.<run>.<pid>.tmp.ipynb``.
TEMPORARY = (".*.tmp", ".*.tmp.ipynb")


def acquire(lock_file: Path, out=sys.stderr) -> int:
    """Open ``lock_file`` and lock it exclusively, waiting (and saying so) while another build
    holds it. Returns the file descriptor, inheritable so that the lock outlives an ``exec``."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(
            f"make report: another build of this report is running ({lock_file} is locked); waiting for it to end",
            file=out,
            flush=True,
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
    os.set_inheritable(fd, True)
    return fd


def remove_temporary(*folders: Path) -> list[Path]:
    """Delete the temporary files (:data:`TEMPORARY`) and staging folders (``.stage``) a killed
    build left directly in ``folders``; call it only under the lock. Returns what it removed."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for pattern in TEMPORARY:
            for path in sorted(folder.glob(pattern)):
                path.unlink(missing_ok=True)
                removed.append(path)
        stage = folder / ".stage"
        if stage.is_symlink() or stage.is_file():  # never followed: the build makes its own
            stage.unlink()
            removed.append(stage)
        elif stage.is_dir():
            shutil.rmtree(stage, ignore_errors=True)
            removed.append(stage)
    return removed


def repair(reports: Path, figures: Path, processed: Path, state: Path | None = None) -> list[str]:
    """Undo what a killed or concurrent build may have left: temporary files and staging folders
    in the three folders and the build's state ``state`` (default ``reports``), and runs whose
    published files are no longer all in ``figures`` (their stamp ``state/ran/<run>.ipynb`` is
    removed, so that Make runs them again). Returns one line per repair."""
    state = reports if state is None else state
    folders = {reports, state, state / "params", state / "outputs", figures, processed}
    lines = [f"removed {p}" for p in remove_temporary(*sorted(folders))]
    for record in sorted((state / "outputs").glob("*.json")) if (state / "outputs").is_dir() else []:
        try:
            files = json.loads(record.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            files = [""]
        missing = [f for f in files if not (figures / f).is_file()]
        if missing:
            (state / "ran" / f"{record.stem}.ipynb").unlink(missing_ok=True)
            lines.append(f"run {record.stem} lost {', '.join(missing)[:200]}: it runs again")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.report.lock", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, required=True)
    parser.add_argument("--figures", type=Path, required=True)
    parser.add_argument("--processed", type=Path, required=True)
    parser.add_argument("--lock", type=Path, help="the lock file (default: REPORTS/.lock)")
    parser.add_argument("--state", type=Path, help="the build's own records and stamps (default: REPORTS)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run under the lock")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    try:
        acquire(args.lock or args.reports / ".lock")
    except OSError as err:
        print(
            f"error: {err.filename or args.lock}: cannot take the build's lock ({err.strerror or err}). "
            "Fix: run the build where you can write (copy a read-only corpus folder first)",
            file=sys.stderr,
        )
        return 2
    for line in repair(args.reports, args.figures, args.processed, args.state):
        print(f"make report: repairing: {line}", file=sys.stderr)
    sys.stdout.flush()
    os.execvp(command[0], command)  # the lock's descriptor stays open in the command: it holds the lock


if __name__ == "__main__":
    sys.exit(main())
