"""Shared fixtures: the seed corpus built once, and a factory for small bring-your-own corpora."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from analysis import config
from analysis.corpus import attach_metadata, build_corpus

COMPILATION = "002_7e6423926252e8bc.txt"


@pytest.fixture(scope="session")
def seed():
    """The seed corpus tables, built from data/raw (nothing written)."""
    return build_corpus(config.SEED_CONFIG)


@pytest.fixture(scope="session")
def seed_turns(seed):
    """The seed corpus's turns with their document metadata, as load_turns(with_metadata=True)."""
    return attach_metadata(seed.turns, seed.documents)


def write_corpus_folder(folder: Path, texts: dict[str, str | bytes], rows: list[dict], **config_keys) -> Path:
    """Write a bring-your-own corpus (texts, metadata.csv, corpus.yml) into ``folder``; return the config."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in texts.items():
        path = folder / name
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    columns = sorted(
        {k for r in rows for k in r},
        key=lambda c: (
            ["doc_id", "file", "outlet", "audience"].index(c) if c in ("doc_id", "file", "outlet", "audience") else 10
        ),
    )
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    cfg = {
        "name": "test corpus",
        "focal_speaker": "Jane Doe",
        "audience_groups": ["home", "abroad"],
        "metadata": "metadata.csv",
    }
    cfg.update(config_keys)
    path = folder / "corpus.yml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def byo(tmp_path):
    """Factory: byo(texts, rows, **config) -> path of a corpus.yml in a fresh folder."""
    counter = iter(range(1000))

    def make(texts, rows=None, **config_keys):
        if rows is None:
            rows = [
                {"doc_id": Path(n).stem.lower(), "file": n, "outlet": "Outlet", "audience": "home"}
                for n in texts
                if n.endswith(".txt")
            ]
        return write_corpus_folder(tmp_path / f"corpus{next(counter)}", texts, rows, **config_keys)

    return make
