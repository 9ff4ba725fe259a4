"""Checksums of the raw files: the manifest says what each file is and its sha256."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path


def sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_manifest(manifest: str | Path) -> list[str]:
    """Compare every file listed in ``manifest`` (columns file, sha256, ...) with its checksum.

    Returns a list of problems (missing file, changed checksum); empty when all match. Files
    live beside the manifest.
    """
    manifest = Path(manifest)
    problems = []
    with open(manifest, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            path = manifest.parent / row["file"]
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif (actual := sha256(path)) != row["sha256"]:
                problems.append(f"{path}: sha256 {actual} differs from the manifest's {row['sha256']}")
    return problems
