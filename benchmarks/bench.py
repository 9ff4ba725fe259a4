"""Benchmarks of the analysis core: `make bench` runs this and records the results.

Each figure is the median of several runs; comparisons with other tools are ratios taken in
the same run on the same texts, because shared machines are noisy and absolute seconds mean
little. Results go to benchmarks/results.json and to the table in benchmarks/README.md
(between the "results" markers).

The enlarged corpus repeats every turn of the seed corpus SCALE times, so its vocabulary is the
seed corpus's: it measures throughput, not the growth of the vocabulary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from nltk.tokenize import TreebankWordTokenizer
from sklearn.feature_extraction.text import CountVectorizer

from analysis import config
from analysis.corpus import load_turns
from analysis.dtm import build_dtm, select_turns
from analysis.text import count_words
from analysis.tokens import make_processor
from analysis.topics import K_GRID, SEEDS, topic_grid

HERE = Path(__file__).resolve().parent
SCALE = 30


def median_seconds(task, repeats: int) -> float:
    """Median wall time of ``task()`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_counting(texts: list[str], processor, repeats: int) -> dict:
    """Tokens per second: ours, scikit-learn's CountVectorizer and NLTK's Treebank tokenizer."""
    n_tokens = sum(len(processor.surface_tokens(t)) for t in texts)
    treebank = TreebankWordTokenizer()
    seconds = {
        "ours": median_seconds(lambda: [processor.count_features(processor.count_surface(t)) for t in texts], repeats),
        "countvectorizer": median_seconds(lambda: CountVectorizer().fit_transform(texts), repeats),
        "nltk_treebank": median_seconds(lambda: [Counter(treebank.tokenize(t)) for t in texts], repeats),
    }
    rates = {name: n_tokens / s for name, s in seconds.items()}
    return {"tokens": n_tokens, "seconds": seconds, "tokens_per_second": rates,
            "ratio_to_countvectorizer": rates["ours"] / rates["countvectorizer"],
            "ratio_to_nltk_treebank": rates["ours"] / rates["nltk_treebank"]}


def bench_dtm(turns: pd.DataFrame, repeats: int) -> dict:
    """Seconds to build the chunk matrix of focal speech from turns, phrases and Punkt learned."""
    seconds = median_seconds(lambda: build_dtm(turns, unit="chunk"), repeats)
    words = int(select_turns(turns)["text"].map(count_words).sum())
    return {"seconds": seconds, "focal_words": words, "words_per_second": words / seconds}


def bench_grid(turns: pd.DataFrame, method: str, repeats: int, ks=K_GRID, seeds=SEEDS) -> dict:
    """Seconds for the topic grid (every k of ``ks`` with every seed) on chunks of focal speech."""
    dtm = build_dtm(turns, unit="chunk", min_count=5, min_docs=2)
    seconds = median_seconds(lambda: topic_grid(dtm, method, ks, seeds), repeats)
    return {"method": method, "units": dtm.counts.shape[0], "features": dtm.counts.shape[1],
            "fits": len(ks) * len(seeds), "seconds": seconds}


FLOOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "imports", "metadata": {}, "outputs": [],
               "source": "import pandas, numpy, scipy, sklearn, nltk, matplotlib.pyplot\nimport analysis.corpus, analysis.dtm, analysis.plots"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5}


def bench_report(repeats: int) -> dict:
    """Wall time of a full `make report` from a clean state, of a second (no-op) one, and the
    floor: papermill running a notebook that only imports the stack (median of ``repeats``)."""
    import subprocess
    import tempfile

    root = config.PROJECT_ROOT
    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = Path(tmp) / "floor.ipynb"
        floor_nb.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
        papermill = [str(root / ".venv" / "bin" / "papermill"), "--log-level", "WARNING", "--no-progress-bar"]
        floor = median_seconds(lambda: subprocess.run([*papermill, str(floor_nb), str(Path(tmp) / "out.ipynb")],
                                                      check=True, capture_output=True), repeats)
    make = ["make", "--no-print-directory", "-C", str(root)]
    subprocess.run([*make, "clean"], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([*make, "report"], check=True, capture_output=True)
    full = time.perf_counter() - start
    noop = median_seconds(lambda: subprocess.run([*make, "report"], check=True, capture_output=True), repeats)
    from analysis.report import load_runs
    runs = len(load_runs())
    return {"full_seconds": full, "noop_seconds": noop, "floor_seconds": floor, "notebook_runs": runs,
            "ratio_to_floor_times_runs": full / (floor * runs)}


def enlarge(turns: pd.DataFrame, times: int) -> pd.DataFrame:
    """``turns`` repeated ``times`` times, each copy a separate set of documents."""
    copies = []
    for i in range(times):
        copy = turns.copy()
        copy["doc_id"] = copy["doc_id"] + f"~{i}"
        copy["turn_id"] = copy["doc_id"] + "-" + copy["turn"].astype(str)
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def markdown_table(results: dict) -> str:
    rows = ["| corpus | words in turns | stage | ours | peer | ratio |", "|---|---|---|---|---|---|"]
    for name, part in results["corpora"].items():
        c = part["counting"]
        rate = c["tokens_per_second"]
        rows.append(f"| {name} | {c['tokens']:,} | tokenise + count (tokens/s) | {rate['ours'] / 1e6:.2f} M "
                    f"| CountVectorizer {rate['countvectorizer'] / 1e6:.2f} M | {c['ratio_to_countvectorizer']:.2f} |")
        rows.append(f"| {name} | | tokenise + count (tokens/s) | {rate['ours'] / 1e6:.2f} M "
                    f"| NLTK Treebank {rate['nltk_treebank'] / 1e6:.2f} M | {c['ratio_to_nltk_treebank']:.2f} |")
        d = part["dtm"]
        rows.append(f"| {name} | | chunk matrix from turns, learning Punkt and phrases ({d['focal_words']:,} "
                    f"focal words) | {d['seconds']:.1f} s | | |")
        for grid in part["grids"]:
            rows.append(f"| {name} | | topic grid, {grid['method'].upper()} ({grid['fits']} fits, "
                        f"{grid['units']:,} chunks) | {grid['seconds']:.1f} s | | |")
    report = results.get("report")
    if report:
        rows += ["", "| make report | seconds |", "|---|---|",
                 f"| full, from a clean state ({report['notebook_runs']} notebook runs) | {report['full_seconds']:.1f} |",
                 f"| second run, nothing changed | {report['noop_seconds']:.2f} |",
                 f"| floor: papermill running a notebook that only imports the stack | {report['floor_seconds']:.1f} |",
                 f"| full / (floor x runs) | {report['ratio_to_floor_times_runs']:.1f} (aim: at most 2) |"]
    return "\n".join(rows)


def write_readme_table(results: dict, readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    machine = results["machine"]
    block = (f"<!-- results -->\nMeasured {results['date']} on {machine['cores']} cores, Python {machine['python']}; "
             f"medians of {results['repeats']} runs (grids on the enlarged corpus: one run).\n\n"
             + markdown_table(results) + "\n<!-- /results -->")
    text = re.sub(r"<!-- results -->.*?<!-- /results -->", lambda _: block, text, flags=re.S)
    readme.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="skip the enlarged corpus's topic grids")
    parser.add_argument("--no-report", action="store_true", help="skip timing a full `make report` (it runs make clean)")
    args = parser.parse_args(argv)

    turns = load_turns(config.DATA_PROCESSED, with_metadata=True)
    processor = make_processor(turns["text"])
    results = {"date": time.strftime("%Y-%m-%d"), "repeats": args.repeats,
               "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform(),
                           "packages": {p: version(p) for p in ("scikit-learn", "nltk", "numpy", "pandas")}},
               "corpora": {}}
    big = enlarge(turns, SCALE)
    for name, table, repeats in (("seed", turns, args.repeats), (f"seed x{SCALE}", big, max(1, args.repeats // 2))):
        print(f"== {name}: tokenise and count", flush=True)
        part = {"counting": bench_counting(list(table["text"]), processor, repeats), "grids": []}
        print(f"== {name}: document-term matrix", flush=True)
        part["dtm"] = bench_dtm(table, repeats)
        if name == "seed":
            for method in ("nmf", "lda"):
                print(f"== {name}: {method} topic grid", flush=True)
                part["grids"].append(bench_grid(table, method, 3))
        elif not args.quick:
            print(f"== {name}: nmf topic grid", flush=True)
            part["grids"].append(bench_grid(table, "nmf", 1))
        results["corpora"][name] = part
    if not args.no_report:
        print("== make report from a clean state, the no-op run and the papermill floor", flush=True)
        results["report"] = bench_report(args.repeats)
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_readme_table(results, HERE / "README.md")
    print(markdown_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
