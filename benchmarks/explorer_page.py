"""Size and open time of the offline explorer page (reports/explore.html) against its caps.

The page must stay under 5 MB and open in under 2 s on the seed corpus, and under 25 MB and 5 s
on a corpus of about 1.5 million words (issue 25). ``make bench`` runs this for the seed corpus
(with the report's published topic and framing tables in figures/, when ``make report`` has
written them) and for the scaled corpus of ``make_corpus.py`` (16 copies, about 1.7 million words;
its folder has a codebook but no coding and no published topic tables, so its page holds the
keywords tab in full, the tabs that are bounded by ``passages_per_topic`` and
``paragraphs_per_frame`` say there is nothing to show).

The open time is what a reader waits for: from asking Debian's chromium (headless, under
Playwright, every request outside the page's folder refused) to load the file until the page
has drawn its first comparison and marked itself ready; the median of ``repeats`` opens, each
in a fresh browser context.

    python benchmarks/explorer_page.py --scale 16
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from analysis import config  # noqa: E402
from analysis.report.explorer import build_explorer  # noqa: E402

#: The caps of issue 25: (megabytes, seconds to open), for the seed and for 1.5 million words.
CAPS = {"seed": (5.0, 2.0), "scaled": (25.0, 5.0)}


def open_times(page: Path, repeats: int) -> list[float]:
    """Seconds from asking chromium to load ``page`` until it is ready, for ``repeats`` opens."""
    from playwright.sync_api import sync_playwright

    inside = page.parent.resolve().as_uri() + "/"
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        for _ in range(repeats):
            context = browser.new_context()
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(inside) else r.abort())
            tab = context.new_page()
            start = time.perf_counter()
            tab.goto(page.resolve().as_uri())
            tab.wait_for_function("document.body.dataset.ready === 'true'", timeout=120_000, polling=10)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return times


def measure_page(
    report_file: Path | None, processed: Path, figures: Path, corpus_config: Path | None, out: Path, repeats: int
) -> dict:
    """Build the page into ``out`` and measure it: ``bytes``, ``mb``, ``build_seconds``,
    ``open_seconds`` (median) and ``open_runs``."""
    start = time.perf_counter()
    page = build_explorer(report_file, out, processed, figures, corpus_config)
    built = time.perf_counter() - start
    runs = open_times(page, repeats)
    size = page.stat().st_size
    return {
        "bytes": size,
        "mb": round(size / 1e6, 2),
        "build_seconds": round(built, 1),
        "open_seconds": round(statistics.median(runs), 2),
        "open_runs": [round(t, 2) for t in runs],
    }


def measure_explorer(scale: int, repeats: int = 3) -> dict:
    """The page of the seed corpus and of the ``scale``x corpus, each against its caps."""
    from make_corpus import write_scaled_corpus

    measured = {"scale": scale}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        measured["seed"] = measure_page(
            config.REPORT_FILE, config.DATA_PROCESSED, config.FIGURES, None, tmp / "seed", repeats
        )
        cfg = write_scaled_corpus(scale, tmp / "scaled" / "raw")
        from analysis.corpus import build_corpus, write_corpus

        write_corpus(build_corpus(cfg), tmp / "scaled" / "processed")
        words = int(pd.read_csv(tmp / "scaled" / "processed" / "turns.csv", usecols=["n_words"])["n_words"].sum())
        scaled = tmp / "scaled"
        measured["scaled"] = measure_page(
            None, scaled / "processed", scaled / "figures", cfg, scaled / "reports", repeats
        )
        measured["scaled"]["words"] = words
    for part, (mb, seconds) in CAPS.items():
        measured[part]["cap_mb"], measured[part]["cap_seconds"] = mb, seconds
        measured[part]["met"] = measured[part]["mb"] < mb and measured[part]["open_seconds"] < seconds
    return measured


def explorer_table(measured: dict) -> list[str]:
    """The README's table of the page's size and open time against the caps."""
    rows = [
        "| corpus | page | cap | open (median) | cap | built in | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for part, name in (("seed", "seed"), ("scaled", f"{measured['scale']}x")):
        m = measured[part]
        words = f" ({m['words']:,} words)" if "words" in m else ""
        rows.append(
            f"| {name}{words} | {m['mb']:.2f} MB | {m['cap_mb']:.0f} MB | {m['open_seconds']:.2f} s "
            f"| {m['cap_seconds']:.0f} s | {m['build_seconds']:.0f} s | {'yes' if m['met'] else 'NO'} |"
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=16, help="the scaled corpus, in seed copies")
    parser.add_argument("--repeats", type=int, default=3, help="opens per page (median)")
    args = parser.parse_args(argv)
    measured = measure_explorer(args.scale, args.repeats)
    print("\n".join(explorer_table(measured)))
    print(json.dumps(measured))
    return 0 if measured["seed"]["met"] and measured["scaled"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
