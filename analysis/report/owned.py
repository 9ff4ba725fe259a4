"""What the build of a corpus of one's own keeps for itself, outside the corpus folder.

A corpus folder arrives as data (a zip, a synced folder), so nothing in it is trusted as build
state: the Make rules, parameter files, records of published files and stamps of a corpus's
report live in the project's own ``.build/corpora/<key>/``, ``<key>`` derived from the folder's
resolved path (:func:`build_dir`). A ``runs.mk``, ``outputs`` record, ``.built`` stamp or
``.stage`` shipped inside the folder is never read.

``python -m analysis.report.owned prepare DIR OUT_FIGURES OUT_REPORTS`` (run by the Makefile while
it reads itself) checks the folder before Make uses it: it exists, can be written, and none of
the folders the build writes into is or passes through a symbolic link, or is something other
than a folder. It then records a hash of every input file (:func:`input_files`: every file of the
folder but its outputs and hidden files and folders such as ``.git``) in one stamp file per input
(``inputs/<stamp_name>``), rewritten only when the file's content changes, and one stamp of all
inputs (``inputs.sha``). Make depends on these stamps, so no name from the corpus folder is ever
spliced into Make syntax, and what reruns follows the inputs' content, not times a folder ships.
It prints the build folder (relative to the project) and exits 0, or prints one line
``path: problem. Fix: remedy`` and prints no folder.

``python -m analysis.report.owned clean DIR`` removes what the build made in the folder: the
corpus tables, the files the project's records say it published in ``figures``, the report
pages of the runs it recorded, and the corpus's build folder; nothing through a link, nothing
the records do not name.

Standard library only: it runs before ``.venv`` exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
#: The project's own build state of corpora of one's own (git-ignored).
BUILD_ROOT = Path(".build") / "corpora"
#: The folders the build writes into, inside the corpus folder.
OUTPUT_FOLDERS = ("processed", "figures", "reports")
#: The corpus tables ``python -m analysis corpus`` writes.
TABLE_FILES = ("documents.csv", "turns.csv", "dropped.csv", "rules.csv", "tables.json")
#: Characters Make or a shell would interpret in a path (besides white space): the Makefile
#: refuses a CORPUS or REPORT holding one before it uses it; :func:`check_path_text` likewise.
UNSAFE_CHARACTERS = "$#,()'\"`;&|<>*?[]{}%:=!^~\\"


class Refused(Exception):
    """A corpus folder the build must not use: the message is ``path: problem. Fix: remedy``."""


def check_path_text(text: str, what: str) -> None:
    """Refuse ``text`` (a path given as ``what``) if it holds white space or a character of
    :data:`UNSAFE_CHARACTERS`."""
    bad = sorted({c for c in text if c in UNSAFE_CHARACTERS or c.isspace()})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise Refused(
            f"{what}={text!r}: the path holds {shown}, which Make or a shell would interpret. "
            "Fix: rename or link the folder to a path of letters, digits and - _ . / + @ only"
        )


def build_dir(corpus_dir: str | Path) -> Path:
    """The project's build folder of the corpus folder ``corpus_dir`` (relative to the project):
    ``.build/corpora/<first 16 hex digits of the sha256 of its resolved path>``, so that two
    folders, or a copy of a folder, never share build state."""
    resolved = str(Path(corpus_dir).resolve())
    return BUILD_ROOT / hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def stamp_name(relative: str) -> str:
    """The name of the stamp of the input ``relative`` (a path relative to the corpus folder, '/'
    separated): a hash, so that the name is safe in Make whatever the file is called."""
    return hashlib.sha256(relative.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def input_files(folder: Path) -> dict[str, Path]:
    """Every input of the corpus folder ``folder`` by path relative to it ('/' separated): every
    regular file but those of the output folders (:data:`OUTPUT_FOLDERS`) and hidden files and
    folders (``.git``, ``.DS_Store``); links to folders are not followed."""
    folder = Path(folder)
    found = {}
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        at_top = here == folder
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (at_top and d in OUTPUT_FOLDERS))
        for name in sorted(files):
            path = here / name
            if not name.startswith(".") and path.is_file():
                found[path.relative_to(folder).as_posix()] = path
    return found


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` unless it holds it already (so that its time stays)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def write_input_stamps(folder: Path, build: Path) -> dict[str, str]:
    """Hash every input of ``folder`` and write its stamp ``build/inputs/<stamp_name>`` when its
    content changed (stamps of files gone are removed), and ``build/inputs.sha`` when any did.
    Returns the hashes by relative path."""
    hashes = {name: _file_hash(path) for name, path in input_files(folder).items()}
    stamps = build / "inputs"
    stamps.mkdir(parents=True, exist_ok=True)
    wanted = {stamp_name(name): digest for name, digest in hashes.items()}
    for stamp in stamps.iterdir():
        if stamp.name not in wanted:
            stamp.unlink()
    for name, digest in wanted.items():
        _write_if_changed(stamps / name, digest + "\n")
    _write_if_changed(build / "inputs.sha", json.dumps(hashes, indent=0, sort_keys=True) + "\n")
    return hashes


def check_outputs(folder: Path, *outputs: Path) -> None:
    """Refuse unless every folder the build writes into (``processed``, ``figures``, ``reports``
    and ``outputs``) lies in ``folder`` through real folders: no part of its path below
    ``folder`` is a symbolic link or something other than a folder."""
    for output in [folder / name for name in OUTPUT_FOLDERS] + [Path(o) for o in outputs]:
        try:
            parts = Path(os.path.abspath(output)).relative_to(os.path.abspath(folder)).parts
        except ValueError:
            raise Refused(f"{output}: not inside the corpus folder {folder}. Fix: keep outputs in the folder") from None
        path = folder
        for part in parts:
            path = path / part
            if path.is_symlink():
                raise Refused(
                    f"{path}: is a link (to {os.readlink(path)}), so the build would write or delete through it. "
                    f"Fix: remove the link (the build makes {path.name}/ itself) or copy the folder without it"
                )
            if path.exists() and not path.is_dir():
                raise Refused(f"{path}: is not a folder, and the build writes into it. Fix: rename or remove it")


def prepare(corpus_dir: str, *outputs: str) -> Path:
    """Check the corpus folder and its output folders (see the module docstring), write the input
    stamps and return the build folder."""
    check_path_text(corpus_dir, "CORPUS")
    folder = Path(corpus_dir)
    if not folder.is_dir():
        raise Refused(f"{corpus_dir}: not a folder. Fix: point CORPUS at the folder of your corpus.yml")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Refused(
            f"{corpus_dir}: the corpus folder cannot be written, and the report is written into it. "
            "Fix: copy the folder to a place you can write (cp -r) and run make report CORPUS= on the copy"
        )
    check_outputs(folder, *(Path(o) for o in outputs))
    build = build_dir(folder)
    build.mkdir(parents=True, exist_ok=True)
    _write_if_changed(build / "corpus.txt", str(folder.resolve()) + "\n")
    write_input_stamps(folder, build)
    return build


def plain(name: str) -> bool:
    """True if ``name`` is a plain file name: no folder part, not '.', '..' or hidden."""
    return bool(name) and "/" not in name and "\\" not in name and "\0" not in name and not name.startswith(".")


def _recorded_runs(state: Path) -> dict[str, list[str]]:
    """The runs of one report's build state ``state`` and the files each published (its
    ``outputs/<run>.json`` records, written by this checkout)."""
    runs = {p.stem: [] for p in sorted((state / "params").glob("*.yml"))} if (state / "params").is_dir() else {}
    for record in sorted((state / "outputs").glob("*.json")) if (state / "outputs").is_dir() else []:
        try:
            files = json.loads(record.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            files = []
        runs[record.stem] = [f for f in files if isinstance(f, str) and plain(f)]
    return runs


def _unlink_inside(folder: Path, name: str) -> None:
    """Remove the file ``folder/name`` if it is a file or link lying directly in ``folder``."""
    path = folder / name
    if plain(name) and (path.is_file() or path.is_symlink()) and path.parent.resolve() == folder.resolve():
        path.unlink()


def clean(corpus_dir: str) -> list[str]:
    """Remove what the build made in the corpus folder ``corpus_dir`` (see the module docstring);
    returns one line per folder cleaned."""
    folder = Path(corpus_dir)
    check_outputs(folder)
    build = build_dir(folder)
    lines = []
    processed = folder / "processed"
    if processed.is_dir():
        for name in TABLE_FILES:
            _unlink_inside(processed, name)
        for tmp in processed.glob(".*.tmp"):
            _unlink_inside(processed, tmp.name)
        lines.append(f"cleaned {processed}")
    for state in sorted(p for p in (build / "reports").rglob("params") if p.is_dir()) if build.is_dir() else []:
        state = state.parent
        sub = state.relative_to(build / "reports")
        figures, reports = folder / "figures" / sub, folder / "reports" / sub
        if not plain(sub.name) and sub != Path("."):
            continue
        check_outputs(folder, figures, reports)
        for run, files in _recorded_runs(state).items():
            for name in files:
                _unlink_inside(figures, name) if figures.is_dir() else None
            for suffix in (".ipynb", ".html", ".failed.ipynb"):
                _unlink_inside(reports, run + suffix) if reports.is_dir() else None
        for name in ("index.html", "manifest.json"):
            _unlink_inside(reports, name) if reports.is_dir() else None
        lines.append(f"cleaned {figures} and {reports}")
    for output in (folder / "figures", folder / "reports"):
        for sub in sorted(output.rglob("*"), reverse=True) if output.is_dir() else []:
            if sub.is_dir() and not sub.is_symlink() and sub.name == ".stage":
                shutil.rmtree(sub, ignore_errors=True)
            elif sub.is_dir() and not sub.is_symlink() and not any(sub.iterdir()):
                sub.rmdir()
    shutil.rmtree(build, ignore_errors=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if len(args) >= 2 and args[0] == "prepare":
            print(prepare(args[1], *args[2:]).as_posix())
        elif len(args) == 2 and args[0] == "clean":
            for line in clean(args[1]):
                print(line)
        else:
            print("usage: python -m analysis.report.owned prepare DIR [OUTPUT ...] | clean DIR", file=sys.stderr)
            return 2
    except Refused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 2
    except OSError as err:
        print(
            f"error: {err.filename or args[1]}: {err.strerror or err}. Fix: check the folder's permissions",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
