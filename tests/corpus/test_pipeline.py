"""The whole corpus build: deterministic, atomic, and never touching the raw data."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from analysis import config
from analysis.corpus import build_corpus, write_corpus
from analysis.corpus.checksums import record_checksums, sha256, verify_manifest
from analysis.errors import CorpusError


def test_raw_files_match_the_manifest():
    assert verify_manifest(config.DATA_RAW / "MANIFEST.csv") == []


def test_building_leaves_raw_data_untouched(tmp_path):
    before = {p.name: sha256(p) for p in config.DATA_RAW.iterdir()}
    write_corpus(build_corpus(), tmp_path)
    assert {p.name: sha256(p) for p in config.DATA_RAW.iterdir()} == before


def test_the_build_makes_no_network_connection(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    write_corpus(build_corpus(), tmp_path)


def test_a_failed_write_leaves_the_previous_table(tmp_path, monkeypatch):
    corpus = build_corpus()
    write_corpus(corpus, tmp_path)
    before = (tmp_path / "turns.csv").read_bytes()

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(corpus.turns), "to_csv", broken)
    with pytest.raises(OSError):
        write_corpus(corpus, tmp_path)
    assert (tmp_path / "turns.csv").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("curated", ["metadata.csv", "corpus.yml", "corrections.csv", "metadata_reference.csv"])
def test_verify_finds_a_changed_curated_file(tmp_path, curated):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    assert verify_manifest(raw / "MANIFEST.csv") == []
    with open(raw / curated, "a", encoding="utf-8") as f:
        f.write("\n")
    assert [p.split(":")[0] for p in verify_manifest(raw / "MANIFEST.csv")] == [str(raw / curated)]


def test_verify_finds_an_added_transcript_and_records_an_intended_change(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    (raw / "005_new.txt").write_text("HOST: Hi?\n\nIlham Aliyev: Hello.\n", encoding="utf-8")
    (raw / "corpus.yml").write_text((raw / "corpus.yml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    problems = verify_manifest(raw / "MANIFEST.csv")
    assert [p.split(": ", 1)[1][:20] for p in problems] == [
        "sha256 " + sha256(raw / "corpus.yml")[:13],
        "not in the manifest;",
    ]
    assert "python -m analysis verify --record FILE" in problems[1]
    before = (raw / "MANIFEST.csv").read_text(encoding="utf-8")
    record_checksums(raw / "MANIFEST.csv", ["corpus.yml", "005_new.txt"])
    assert verify_manifest(raw / "MANIFEST.csv") == []
    after = (raw / "MANIFEST.csv").read_text(encoding="utf-8")
    assert after.splitlines()[: len(before.splitlines())] != before.splitlines()  # corpus.yml's row changed...
    assert sum(a != b for a, b in zip(after.splitlines(), before.splitlines(), strict=False)) == 1  # ...only it


def test_a_file_is_recorded_by_the_path_verify_names_it_by(tmp_path, monkeypatch):
    raw = tmp_path / "data" / "raw"
    shutil.copytree(config.DATA_RAW, raw)
    (raw / "corpus.yml").write_text((raw / "corpus.yml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    named = verify_manifest(raw / "MANIFEST.csv")[0].split(": ")[0]
    monkeypatch.chdir(tmp_path)
    record_checksums(raw / "MANIFEST.csv", [str(Path(named).relative_to(tmp_path))])  # data/raw/corpus.yml
    assert verify_manifest(raw / "MANIFEST.csv") == []
    with pytest.raises(CorpusError, match="not a file in the manifest's folder"):
        record_checksums(raw / "MANIFEST.csv", [str(tmp_path / "outside.txt")])
