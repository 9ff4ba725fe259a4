"""Checksums of a corpus folder: the manifest says what each file is and its sha256 (``make verify``).

The manifest (``data/raw/MANIFEST.csv``: file, sha256, what it is, ...) lists every file of the
folder: the transcripts as received and the project's curation beside them (``metadata.csv``,
``corrections.csv``, ``corpus.yml``, the reference table). :func:`verify_manifest` finds a listed
file changed or missing, and any file of the folder the manifest does not list (an added
transcript). Only the manifest itself and ``README.md`` are not checked: git records their history.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from ..errors import CorpusError
from ..io import write_text

#: Files of the folder that the manifest does not list: itself and the folder's README.
UNLISTED = ("MANIFEST.csv", "README.md")
MANIFEST_COLUMNS = ["file", "sha256", "what_it_is", "publisher_as_stated"]


def sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(manifest: Path) -> list[dict]:
    with open(manifest, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _folder_files(folder: Path) -> list[str]:
    """Every file in ``folder`` and below it, as relative paths, hidden ones and ``UNLISTED`` aside."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.relative_to(folder).as_posix() not in UNLISTED
    )  # fmt: skip


def verify_manifest(manifest: str | Path) -> list[str]:
    """Compare every file of the manifest's folder with ``manifest`` (columns file, sha256, ...).

    Returns a list of problems, each naming the file and what to do: a listed file missing or
    with another checksum, a file the manifest does not list. Empty when all match.
    """
    manifest = Path(manifest)
    record = f"if the change is intended, record it: python -m analysis verify --record FILE (manifest {manifest})"
    problems, listed = [], set()
    for row in _read_manifest(manifest):
        path = manifest.parent / row["file"]
        listed.add(row["file"])
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif (actual := sha256(path)) != row["sha256"]:
            problems.append(f"{path}: sha256 {actual} differs from the manifest's {row['sha256']}; {record}")
    for name in _folder_files(manifest.parent):
        if name not in listed:
            problems.append(f"{manifest.parent / name}: not in the manifest; {record}")
    return problems


def _name_in(manifest: Path, file: str) -> str:
    """``file``'s name in ``manifest``: its path relative to the manifest's folder."""
    folder = manifest.parent.resolve()
    for candidate in (Path(file), manifest.parent / file):
        if candidate.is_file() and candidate.resolve().is_relative_to(folder):
            return candidate.resolve().relative_to(folder).as_posix()
    raise CorpusError(
        Path(file), None, f"not a file in the manifest's folder ({manifest.parent})", "give a file beside the manifest"
    )


def record_checksums(manifest: str | Path, files: list[str]) -> None:
    """Set the sha256 of each of ``files`` in ``manifest``, adding a row for a file it does not list
    yet (then describe it in ``what_it_is`` by hand). A file is named as :func:`verify_manifest`
    names it (a path such as ``data/raw/corpus.yml``) or relative to the manifest's folder
    (``corpus.yml``). Only the checksums change: every other byte of the hand-written manifest
    stays; written atomically."""
    manifest = Path(manifest)
    text = manifest.read_text(encoding="utf-8")
    for name in [_name_in(manifest, f) for f in files]:
        digest = sha256(manifest.parent / name)
        row = re.compile(rf"^({re.escape(name)},)[0-9a-f]{{64}}(?=,)", re.MULTILINE)
        if row.search(text):
            text = row.sub(rf"\g<1>{digest}", text)
        else:
            text = text + ("" if text.endswith("\n") else "\n") + f'{name},{digest},"",""\n'
    write_text(text, manifest)
