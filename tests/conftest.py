"""Shared fixtures (the seed corpus built once, a factory for small bring-your-own corpora) and the
suite's tiers.

The tier of a test is the folder it lives in (CONTRIBUTING.md, "Tests"): ``tests/notebooks/`` runs
notebooks in Jupyter kernels (marker ``notebook``), ``tests/system/`` runs Make, the command line or
a browser, or reads the built report (marker ``system``); every other folder mirrors a stage of the
package and holds its unit tests, which ``make check`` runs. A unit test that starts a process
fails, so a test cannot sit in the quick tier while doing a system test's work.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from analysis import config
from analysis.corpus import attach_metadata, build_corpus

COMPILATION = "002_7e6423926252e8bc.txt"

# Property-based tests (hypothesis) try 300 inputs each in make test and CI, 50 in make check
# (--hypothesis-profile=check), where the unit tier has a minute.
settings.register_profile("full", max_examples=300)
settings.register_profile("check", max_examples=50)
settings.load_profile("full")

#: Folders of tests/ whose tests form a tier of their own, and the marker each gets (pyproject.toml
#: declares them; ``make check`` deselects both).
TIERS = {"notebooks": "notebook", "system": "system"}
TESTS = Path(__file__).parent
#: Commands a unit test may start (see _unit_tests_start_no_process).
ALLOWED_COMMANDS = {"git", "uname"}


def tier_of(path: Path) -> str:
    """``notebook``, ``system`` or ``unit``: the tier of the test file ``path``, by its folder."""
    return TIERS.get(Path(path).resolve().relative_to(TESTS).parts[0], "unit")


def pytest_collection_modifyitems(items):
    for item in items:
        tier = tier_of(item.path)
        if tier != "unit":
            item.add_marker(tier)


@pytest.fixture(autouse=True)
def _unit_tests_start_no_process(request, monkeypatch):
    """In the unit tier, starting a process (Make, the command line, a kernel, a browser) fails the
    test with the remedy: such a test belongs in tests/system/ or tests/notebooks/. Only the
    commands the report's record asks once for milliseconds may run: ``git`` (the commit it was
    built from) and ``uname`` (which Python's ``platform.processor()`` runs)."""
    if tier_of(request.node.path) != "unit":
        return
    start = subprocess.Popen._execute_child

    def refuse(self, args, *rest, **kwargs):
        if isinstance(args, (list, tuple)) and args and Path(str(args[0])).name in ALLOWED_COMMANDS:
            return start(self, args, *rest, **kwargs)
        raise AssertionError(
            f"a unit test started a process ({args!r}); move the test to tests/system/ or tests/notebooks/"
        )

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)


@pytest.fixture(scope="session")
def seed():
    """The seed corpus tables, built from data/raw (nothing written)."""
    return build_corpus(config.SEED_CONFIG)


@pytest.fixture(scope="session")
def seed_turns(seed):
    """The seed corpus's turns with their document metadata, as load_turns(with_metadata=True)."""
    return attach_metadata(seed.turns, seed.documents)


@pytest.fixture(scope="session")
def book():
    """The project's codebook (data/coding/codebook.yml)."""
    from analysis.frames.codebook import load_codebook

    return load_codebook()


@pytest.fixture(scope="session")
def chunks(seed_turns):
    """The seed corpus's chunk matrix as the topic models take it (about 200 words a chunk)."""
    from analysis.text.dtm import build_dtm

    return build_dtm(seed_turns, unit="chunk", min_count=5, min_docs=2)


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
