"""A corpus of one's own, end to end, as the README's "Bring your own corpus" walks through it:
`python -m analysis new DIR`, transcripts and metadata rows, a codebook of its own, then
`make report CORPUS=DIR`. Slow: it runs every notebook on the made-up corpus (about three minutes),
then again the runs an edit affects."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from analysis import config
from tests.own_corpus import CODEBOOK, GROUPS, SPEAKER, write_transcripts
from tests.system.test_builds import make_env
from tests.system.test_study_page import check_page

ROOT = config.PROJECT_ROOT
SEED_WORDS = re.compile(r"aliyev|karabakh|turkish|russian|western|azerbaij", re.IGNORECASE)


def state(*folders: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folders``: its checksum and modification time (ns)."""
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_report(folder: Path, *options: str, check: bool = True) -> tuple[set[str], str]:
    """Run `make report CORPUS=folder` with ``options`` (e.g. ``REPORT=...``); the names of the runs
    it executed, and its output. ``check``: it must succeed (else: it must fail)."""
    result = subprocess.run(
        ["make", "--no-print-directory", "report", f"CORPUS={folder}", *options],
        cwd=ROOT,
        env=make_env(),
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert (result.returncode == 0) == check, output[-3000:]
    return set(re.findall(r"^== running \S+ as (\S+) with", output, re.MULTILINE)), output


def test_a_corpus_of_ones_own_gets_its_own_complete_report_and_leaves_the_seed_alone(tmp_path):
    folder = tmp_path / "harbour"
    seed = state(config.FIGURES, config.REPORTS, config.DATA_PROCESSED)
    starter = subprocess.run(
        [sys.executable, "-m", "analysis", "new", str(folder), "--name", "Harbour City interviews",
         "--speaker", SPEAKER, "--groups", ",".join(GROUPS)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert starter.returncode == 0, starter.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["codebook.yml", "corpus.yml", "metadata.csv", "report.yml"]
    write_transcripts(folder)
    (folder / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")

    ran, _ = make_report(folder)
    framing = {"04_framing_1_measure", "04_framing_2_audiences", "04_framing_3_model"}
    runs = {"01_corpus", "02_keyness_harbourside_vs_overseas", "03_topics_nmf", "03_topics_lda", *framing,
            "05_explore", "06_code"}  # fmt: skip
    assert ran == runs
    index = (folder / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Harbour City interviews" in index and SPEAKER in index
    assert "No coding by reading exists for this corpus" in index  # a section it cannot fill, explained
    check_page(index, folder / "figures", folder / "reports")  # every section; each number from a table
    assert (folder / "reports" / "study.pdf").is_file() or make_env().get("PDF") == "no"
    explorer = (folder / "reports" / "explore.html").read_text(encoding="utf-8")  # the offline explorer
    assert 'href="explore.html"' in index and "Harbour City interviews" in explorer
    data = json.loads(re.search(r'id="explore-data">(.*?)</script>', explorer, re.S).group(1))
    assert [m["method"] for m in data["topics"]] == ["NMF", "LDA"] and data["frames"]["status"] == "no coding"
    assert [c["id"] for c in data["keywords"]["comparisons"]] == ["|".join(GROUPS)]
    appendix = (folder / "reports" / "appendix.html").read_text(encoding="utf-8")
    for run in runs:
        assert (folder / "reports" / f"{run}.html").is_file() and f'href="{run}.html"' in appendix
    assert (folder / "figures" / "keyness_harbourside_vs_overseas.png").is_file()
    assert "not been validated" in (folder / "reports" / "04_framing_2_audiences.html").read_text(encoding="utf-8")
    manifest = (folder / "reports" / "manifest.json").read_text(encoding="utf-8")
    assert '"harb1.txt"' in manifest and "data/raw" not in manifest
    outputs = [p for sub in ("figures", "reports", "processed") for p in (folder / sub).rglob("*") if p.is_file()]
    mentions = [str(p) for p in outputs if SEED_WORDS.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert mentions == []

    # Editing the codebook reruns exactly the runs that read it; leftovers of a killed build go.
    leftovers = [folder / "figures" / ".framing_by_audience.png.k1l2m3.tmp", folder / "processed" / ".turns.csv.x9.tmp"]
    for path in leftovers:
        path.write_text("partial", encoding="utf-8")
    (folder / "codebook.yml").write_text(CODEBOOK.replace("[safety, police,", "[safety, police, parking,"), "utf-8")
    ran, _ = make_report(folder)
    assert ran == {*framing, "05_explore", "06_code"}
    assert not any(path.exists() for path in leftovers)

    # Editing the metadata changes the tables every run reads: every run, once.
    metadata = folder / "metadata.csv"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Overseas Radio 1", "Overseas TV 1"), "utf-8")
    assert make_report(folder)[0] == runs
    assert make_report(folder)[0] == set()

    assert state(config.FIGURES, config.REPORTS, config.DATA_PROCESSED) == seed
