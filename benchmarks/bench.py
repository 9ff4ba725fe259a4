"""Benchmarks of the pipeline: `make bench` runs this and records the results.

Every stage runs in a process of its own (``stages.py``), first on the seed corpus with the
peers timed beside it, then on bring-your-own corpora of 1, 4, 16 and 64 times the seed
interviews (``make_corpus.py``); then the full and the no-op `make report`, and the time the
notebooks take to answer a changed parameter (``interactive.py``). Each figure is the median of
several runs, and comparisons with peers are ratios taken in the same process on the same
texts, because shared machines are noisy and absolute seconds mean little.

Results go to benchmarks/results.json, the tables in benchmarks/README.md (between the
"results" markers) and the scaling plot benchmarks/scaling.png (and .svg).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from explorer_page import explorer_table, measure_explorer  # noqa: E402
from make_corpus import write_scaled_corpus  # noqa: E402

from analysis import config  # noqa: E402

SCALES = (1, 4, 16, 64)
SEED_STAGES = ("corpus", "tokenise", "dtm", "keyness", "frames", "frame_model", "grid", "topics")
SCALE_STAGES = ("corpus", "tokenise", "dtm", "keyness", "frames", "topics", "pipeline")
STAGE_NAMES = {
    "corpus": "corpus build (raw files to tables)",
    "tokenise": "tokenise + count",
    "dtm": "chunk matrix (Punkt, phrases, counts)",
    "keyness": "keyness with interview checks",
    "frames": "frame scoring",
    "frame_model": "frame model: scoring paragraphs",
    "grid": "topic grid, NMF + LDA (70 fits)",
    "topics": "one NMF model, k = 10",
    "pipeline": "build + frames + NMF, end to end",
    "report": "full make report",
}
TARGETS = {"tokens_per_second": 1.5e6, "pipeline_seconds": 120, "pipeline_mb": 4096, "answer_seconds": 5}


def run_stage(name: str, cfg: Path, processed: Path, repeats: int, peers: bool = False) -> dict:
    """Run one stage of ``stages.py`` in a fresh interpreter and return its JSON result."""
    command = [
        sys.executable,
        str(HERE / "stages.py"),
        name,
        "--config",
        str(cfg),
        "--processed",
        str(processed),
        "--repeats",
        str(repeats),
    ] + (["--peers"] if peers else [])
    print(f"   {name} ({repeats} runs{', with peers' if peers else ''})", flush=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_tables(cfg: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "analysis", "corpus", "--config", str(cfg), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def package_versions() -> dict:
    found = {}
    for name in ("numpy", "scipy", "pandas", "scikit-learn", "nltk", "spacy", "gensim"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


# --- tables ------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s"


def seed_table(seed: dict) -> list[str]:
    rows = [
        "| stage | work | ours | peer | peer's time | ratio (peer time / ours) | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in SEED_STAGES:
        if name not in seed:  # a stage added since the results were measured
            continue
        r = seed[name]
        work = f"{r['words']:,} words"
        if "units" in r:
            work += f", {r['units']:,} units"
        rows.append(f"| {STAGE_NAMES[name]} | {work} | {_ms(r['seconds'])} | | | | {r['peak_mb']:.0f} MB |")
        if name == "tokenise":
            rate = r["tokens"] / r["seconds"]
            rows[-1] = (
                f"| tokenise + count, cold (new processor, no stems known) | {r['tokens']:,} tokens | "
                f"{_ms(r['seconds'])} ({rate / 1e6:.2f} M tokens/s) | | | | {r['peak_mb']:.0f} MB |"
            )
            for label, part in (
                ("warm (same processor again)", r["warm"]),
                ("cold, without stemming", r["no_stemming"]),
            ):
                rows.append(
                    f"| tokenise + count, {label} | | {_ms(part['seconds'])} "
                    f"({r['tokens'] / part['seconds'] / 1e6:.2f} M tokens/s) | | | | |"
                )
        if name == "grid":
            rows[-1] = rows[-1].replace(
                _ms(r["seconds"]), f"NMF {_ms(r['nmf']['seconds'])}, LDA {_ms(r['lda']['seconds'])}"
            )
        if name == "frame_model":
            rows[-1] = rows[-1].replace(
                _ms(r["seconds"]), f"{_ms(r['seconds'])} ({r['paragraphs_per_minute']:,.0f} paragraphs/min)"
            )
            rows.append(
                f"| frame model: refit from the coding (first use in a session) | | {_ms(r['fit_seconds'])} | | | | |"
            )
        if name == "topics":
            rows.append(f"| one LDA model, k = 10, 10 passes | | {_ms(r['lda']['seconds'])} | | | | |")
        for peer, p in r.get("peers", {}).items():
            mine = r["lda"]["seconds"] if peer.startswith("gensim") else r["seconds"]
            rows.append(f"| | | | {peer} | {_ms(p['seconds'])} | {p['seconds'] / mine:.2f} | |")
    return rows


def scaling_table(scaling: dict) -> list[str]:
    scales = list(scaling)
    rows = [
        "| stage | " + " | ".join(f"{s}x" for s in scales) + " | growth exponent |",
        "|---|" + "---|" * (len(scales) + 1),
    ]
    rows.append("| words in turns | " + " | ".join(f"{scaling[s]['corpus']['words']:,}" for s in scales) + " | |")
    for name in SCALE_STAGES:
        cells = [
            f"{_ms(scaling[s][name]['seconds'])}, {scaling[s][name]['peak_mb']:.0f} MB"
            if name in scaling[s]
            else KEYNESS_NOTE
            for s in scales
        ]
        rows.append(f"| {STAGE_NAMES[name]} | " + " | ".join(cells) + f" | {growth(scaling, name):.2f} |")
    rows.append(
        "| one LDA model, k = 10, 10 passes | "
        + " | ".join(_ms(scaling[s]["topics"]["lda"]["seconds"]) for s in scales)
        + f" | {growth(scaling, 'topics', 'lda'):.2f} |"
    )
    return rows


def growth(scaling: dict, name: str, part: str | None = None) -> float:
    """The slope of log time against log words between the two largest corpora (1 = linear)."""
    import math

    (_, small), (_, large) = [item for item in sorted(scaling.items()) if name in item[1]][-2:]
    t_small = small[name][part]["seconds"] if part else small[name]["seconds"]
    t_large = large[name][part]["seconds"] if part else large[name]["seconds"]
    return math.log(t_large / t_small) / math.log(large["corpus"]["words"] / small["corpus"]["words"])


def targets_table(results: dict) -> list[str]:
    rows = ["| target | measured | met |", "|---|---|---|"]
    tok = results["seed"]["tokenise"]
    cold, warm = tok["tokens"] / tok["seconds"], tok["tokens"] / tok["warm"]["seconds"]
    cv = tok["tokens"] / tok["peers"]["CountVectorizer"]["seconds"] if "CountVectorizer" in tok["peers"] else None
    ratio = f"; CountVectorizer {cv / 1e6:.2f} M, so {cold / cv:.2f} and {warm / cv:.2f} of it" if cv else ""
    target = TARGETS["tokens_per_second"]
    met = "yes" if cold >= target else "warm only" if warm >= target else "no"
    rows.append(
        f"| tokenise + count at 1.5 M tokens/s or more (seed) | cold {cold / 1e6:.2f} M, warm "
        f"{warm / 1e6:.2f} M{ratio} | {met} |"
    )
    largest = max(results["scaling"])
    p = results["scaling"][largest]["pipeline"]
    rows.append(
        f"| {largest}x corpus ({results['scaling'][largest]['corpus']['words']:,} words) built, frame-scored "
        f"and topic-modelled in under 2 minutes and 4 GB | {_ms(p['seconds'])}, {p['peak_mb']:,.0f} MB | "
        f"{'yes' if p['seconds'] < TARGETS['pipeline_seconds'] and p['peak_mb'] < TARGETS['pipeline_mb'] else 'no'} |"
    )
    for a in results.get("interactive", []):
        ok = a["first_change_seconds"] < TARGETS["answer_seconds"]
        met = "yes" if ok else "after the first change" if a["seconds"] < TARGETS["answer_seconds"] else "no"
        rows.append(
            f"| {a['notebook']} answers `{a['change']}` in under 5 s | first change {_ms(a['first_change_seconds'])}, "
            f"median {_ms(a['seconds'])} | {met} |"
        )
    return rows


def report_table(report: dict) -> list[str]:
    return [
        "| make report | seconds | peak memory |",
        "|---|---|---|",
        f"| full, from a clean state ({report['notebook_runs']} notebook runs, two at a time) | "
        f"{report['seconds']:.1f} | {report['peak_mb']:.0f} MB (largest single process) |",
        f"| second run, nothing changed | {report['noop_seconds']:.2f} | |",
        f"| floor: papermill running a notebook that only imports the stack | {report['floor_seconds']:.1f} | |",
        f"| full / (floor x runs) | {report['ratio_to_floor_times_runs']:.1f} (aim: at most 2) | |",
    ]


#: The campaign-scale target (issue 15): the full report of the 16x corpus in at most four times
#: the seed's, both measured in the same run by the same driver.
SCALED_REPORT_TARGET = 4.0


def _failed(scaled: dict) -> list[str]:
    """Runs that failed on either corpus (their time is not comparable)."""
    return sorted(n for part in ("seed", "scaled") for n, r in scaled[part]["runs"].items() if "failed" in r)


#: The runs whose work differs between the seed and a scaled corpus, by the start of their names
#: (04_framing_1_measure, _2_audiences, _3_model): the scaled copies were never coded by reading, so
#: the framing runs frame them but cannot measure reliability, validate the detector or train the
#: frame model, which is most of their time on the seed. The ratio is also given without them.
VALIDATING_RUNS = ("04_framing",)


def scaled_report_ratio(scaled: dict, leave_out: tuple[str, ...] = ()) -> float:
    """The scaled corpus's full report time over the seed's: the corpus build plus every run
    that succeeded on both corpora (runs execute two at a time, so this sums run times instead
    of taking the wall time, which would count a failed run's early end), without the runs
    whose names start with one of ``leave_out``."""
    failed = set(_failed(scaled))

    def total(part: dict) -> float:
        kept = (r for n, r in part["runs"].items() if n not in failed and not n.startswith(leave_out))
        return part["corpus_seconds"] + sum(r["seconds"] for r in kept)

    return total(scaled["scaled"]) / total(scaled["seed"])


def scaled_report_table(scaled: dict) -> list[str]:
    """The full report of the seed and of a scaled corpus, run by run, with the ratio and the
    slowest cell of each run on the scaled corpus (where the time goes)."""
    seed, big, scale = scaled["seed"], scaled["scaled"], scaled["scale"]
    ratio = scaled_report_ratio(scaled)
    met = "met" if ratio <= SCALED_REPORT_TARGET else "not met"
    if _failed(scaled):
        met += f" for the runs compared only: {', '.join(_failed(scaled))} failed"
    lines = [
        f"| full report, raw transcripts to every run | seed ({seed['words']:,} words) "
        f"| {scale}x ({big['words']:,} words) | ratio | slowest cell at {scale}x |",
        "|---|---|---|---|---|",
        f"| corpus build | {seed['corpus_seconds']:.1f} s | {big['corpus_seconds']:.1f} s "
        f"| {big['corpus_seconds'] / seed['corpus_seconds']:.1f} | |",
    ]
    for name, run in big["runs"].items():
        if "failed" in run or "failed" in seed["runs"][name]:
            why = run.get("failed") or seed["runs"][name]["failed"]
            lines.append(f"| {name} | | | not compared | failed: `{why[:90]}` |")
            continue
        cell = run["slowest_cells"][0] if run["slowest_cells"] else None
        where = f"cell {cell['cell']} ({cell['seconds']:.0f} s): `{cell['first_line'][:50]}`" if cell else ""
        lines.append(
            f"| {name} | {seed['runs'][name]['seconds']:.1f} s | {run['seconds']:.1f} s "
            f"| {run['seconds'] / seed['runs'][name]['seconds']:.1f} | {where} |"
        )
    compared = "corpus build and every run compared" if _failed(scaled) else "corpus build and every run"
    lines.append(
        f"| **whole report** ({compared}, summed) | | | **{ratio:.1f}** (target at most "
        f"{SCALED_REPORT_TARGET:.0f}: {met}) | |"
    )
    if any(name.startswith(VALIDATING_RUNS) for name in big["runs"]):
        lines.append(
            f"| whole report without {', '.join(n + '*' for n in VALIDATING_RUNS)} (the same work on both corpora: "
            f"the {scale}x copies have no coding by reading to validate the frame detector on) | | "
            f"| {scaled_report_ratio(scaled, VALIDATING_RUNS):.1f} | |"
        )
    lines.append(
        f"| wall time, two runs at a time | {seed['seconds']:.0f} s | {big['seconds']:.0f} s "
        f"| {big['seconds'] / seed['seconds']:.1f} | |"
    )
    if "classifier" in scaled:
        c = scaled["classifier"]
        lines += [
            "",
            f"04's audience classifier (three feature sets, 199 permutations each): seed {c['seed']['seconds']:.1f} s "
            f"({c['seed']['interviews']} interviews, {c['seed']['word_features']:,} word features), {scale}x "
            f"{c['scaled']['seconds']:.1f} s ({c['scaled']['interviews']} interviews, "
            f"{c['scaled']['word_features']:,} word features).",
        ]
    return lines


def markdown(results: dict) -> str:
    m = results["machine"]
    parts = [
        f"Measured {results['date']} on {m['cores']} cores, Python {m['python']} "
        f"({', '.join(f'{k} {v}' for k, v in m['packages'].items())}); medians of {results['repeats']} runs, "
        f"each stage in a fresh process (the {max(results['scaling'])}x corpus: one run).",
        "",
        "**Targets**",
        "",
        *targets_table(results),
        "",
        "**Stages on the seed corpus, with the peers**",
        "",
        *seed_table(results["seed"]),
    ]
    if "report" in results:
        parts += ["", *report_table(results["report"])]
    if "scaled_report" in results:
        scale = results["scaled_report"]["scale"]
        parts += [
            "",
            f"**The full report at campaign scale** (the {scale}x corpus against the seed, same driver, same run: "
            "`stages.py full_report`)",
            "",
            *scaled_report_table(results["scaled_report"]),
        ]
    parts += [
        "",
        "**Scaling** (seconds and peak memory of the stage's process; growth exponent: slope of log time "
        "on log words between the two largest corpora, 1 = linear)",
        "",
        *scaling_table(results["scaling"]),
        "",
        "![Time against corpus size, log-log](scaling.png)",
    ]
    if "explorer" in results:
        parts += [
            "",
            "**The offline explorer page** (`explorer_page.py`: reports/explore.html's size and the median time "
            "headless chromium takes to open it and draw its first comparison, against issue 25's caps)",
            "",
            *explorer_table(results["explorer"]),
        ]
    if results.get("interactive"):
        parts += [
            "",
            "**Notebooks answering a changed parameter** (kernel warm, cells from the parameters down)",
            "",
            "| notebook | change | whole notebook, first run | first change | median of changes |",
            "|---|---|---|---|---|",
        ]
        parts += [
            f"| {a['notebook']} | `{a['change']}` | {_ms(a['full_run_seconds'])} | {_ms(a['first_change_seconds'])} "
            f"| {_ms(a['seconds'])} |"
            for a in results["interactive"]
        ]
    return "\n".join(parts)


def write_readme(results: dict, readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    block = "<!-- results -->\n" + markdown(results) + "\n<!-- /results -->"
    readme.write_text(
        re.sub(r"<!-- results -->.*?<!-- /results -->", lambda _: block, text, flags=re.S), encoding="utf-8"
    )


def plot_scaling(scaling: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5))
    scales = sorted(scaling)
    words = [scaling[s]["corpus"]["words"] for s in scales]
    series = [
        (STAGE_NAMES[n], [(scaling[s]["corpus"]["words"], scaling[s][n]["seconds"]) for s in scales if n in scaling[s]])
        for n in SCALE_STAGES
    ]
    series.append(
        (
            "one LDA model, k = 10",
            [(scaling[s]["corpus"]["words"], scaling[s]["topics"]["lda"]["seconds"]) for s in scales],
        )
    )
    for label, points in series:
        ax.plot(*zip(*points), marker="o", label=label)
    ref = series[-2][1][0][1]
    ax.plot(
        words,
        [ref * w / words[0] for w in words],
        color="grey",
        linestyle="--",
        linewidth=1,
        label="linear growth (slope 1)",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(words, [f"{s}x\n{w / 1e6:.1f} M" for s, w in zip(scales, words)])
    ax.minorticks_off()
    ax.set_xlabel("corpus size (copies of the seed interviews; words in turns)")
    ax.set_ylabel("wall time (seconds, median)")
    ax.set_title("Time per stage against corpus size (log-log)")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    for suffix in ("png", "svg"):
        fig.savefig(out.with_suffix(f".{suffix}"), dpi=120, metadata={"Date": None} if suffix == "svg" else None)
    plt.close(fig)


def save(results: dict) -> None:
    """Write results.json (after every stage, so that an interrupted run keeps what it measured)."""
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def measure_scaled_report(scale: int) -> dict:
    """The full report (``stages.py full_report``) on the seed corpus and on a corpus ``scale``
    times its size, one after the other in this run."""
    print(f"== the full report on the seed corpus and on the {scale}x corpus", flush=True)
    measured = {"scale": scale, "seed": run_stage("full_report", config.SEED_CONFIG, config.DATA_PROCESSED, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = write_scaled_corpus(scale, Path(tmp) / "raw")
        processed = Path(tmp) / "processed"
        build_tables(cfg, processed)
        measured["scaled"] = run_stage("full_report", cfg, processed, 1)
        measured["classifier"] = {"scaled": run_stage("classifier", cfg, processed, 1)}
    measured["classifier"]["seed"] = run_stage("classifier", config.SEED_CONFIG, config.DATA_PROCESSED, 1)
    print(f"   ratio {scaled_report_ratio(measured):.2f}", flush=True)
    return measured


def _explorer_only(args, results: dict) -> int:
    """``--only-explorer``: measure the explorer page and put it into the README's results,
    keeping every other figure of the last results.json."""
    previous = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
    previous["scaling"] = {int(k): v for k, v in previous["scaling"].items()}  # JSON keys are text
    previous["explorer"] = {**measure_explorer(args.explorer_scale or 16, args.repeats), "date": results["date"]}
    save(previous)
    write_readme(previous, HERE / "README.md")
    print("\n".join(explorer_table(previous["explorer"])))
    return 0


def _report_ratio_only(args, results: dict) -> int:
    """``--only-report-ratio``: measure the full-report ratio and put it into the README's
    results, keeping every other figure of the last results.json."""
    previous = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
    previous["scaling"] = {int(k): v for k, v in previous["scaling"].items()}  # JSON keys are text
    previous["scaled_report"] = measure_scaled_report(args.report_scale or 16)
    previous["scaled_report"]["date"] = results["date"]
    save(previous)
    write_readme(previous, HERE / "README.md")
    print("\n".join(scaled_report_table(previous["scaled_report"])))
    return 0


#: Why keyness stops at 16x by default: its permutation test costs resamples x interviews x
#: features, and both interviews and features grow with the corpus.
KEYNESS_NOTE = "not run: the permutation test grows with interviews x features (see the notes)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--scales", type=int, nargs="+", default=list(SCALES), help="corpus sizes, in seed copies")
    parser.add_argument("--no-report", action="store_true", help="skip timing make report (it runs make clean)")
    parser.add_argument("--keyness-max-scale", type=int, default=64, help="largest corpus to run keyness on")
    parser.add_argument("--no-interactive", action="store_true", help="skip the notebooks' answer times")
    parser.add_argument(
        "--report-scale", type=int, default=16, help="corpus size (in seed copies) of the full-report ratio; 0: skip"
    )
    parser.add_argument("--only-report-ratio", action="store_true", help="measure only the full-report ratio")
    parser.add_argument(
        "--explorer-scale", type=int, default=16, help="corpus size (in seed copies) of the explorer page; 0: skip"
    )
    parser.add_argument("--only-explorer", action="store_true", help="measure only the explorer page")
    args = parser.parse_args(argv)

    results = {
        "date": time.strftime("%Y-%m-%d"),
        "repeats": args.repeats,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "packages": package_versions(),
        },
        "seed": {},
        "scaling": {},
    }
    if args.only_report_ratio:
        return _report_ratio_only(args, results)
    if args.only_explorer:
        return _explorer_only(args, results)
    print("== seed corpus, with peers", flush=True)
    for name in SEED_STAGES:
        results["seed"][name] = run_stage(
            name,
            config.SEED_CONFIG,
            config.DATA_PROCESSED,
            args.repeats,
            peers=name in ("tokenise", "frames", "topics", "frame_model"),
        )
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            print(f"== {scale}x the seed interviews", flush=True)
            cfg = write_scaled_corpus(scale, Path(tmp) / f"x{scale}" / "raw")
            processed = Path(tmp) / f"x{scale}" / "processed"
            build_tables(cfg, processed)
            repeats = args.repeats if scale <= 16 else 1
            results["scaling"][scale] = {}
            for name in SCALE_STAGES:
                if name == "keyness" and scale > args.keyness_max_scale:
                    continue  # see KEYNESS_NOTE
                results["scaling"][scale][name] = run_stage(name, cfg, processed, repeats)
                save(results)
    plot_scaling(results["scaling"], HERE / "scaling")
    if not args.no_report:
        print("== make report from a clean state, the no-op run and the papermill floor", flush=True)
        results["report"] = run_stage("report", config.SEED_CONFIG, config.DATA_PROCESSED, args.repeats)
    if args.report_scale:
        results["scaled_report"] = measure_scaled_report(args.report_scale)
        save(results)
    if args.explorer_scale:
        print(f"== the explorer page on the seed corpus and on the {args.explorer_scale}x corpus", flush=True)
        results["explorer"] = measure_explorer(args.explorer_scale, args.repeats)
        save(results)
    if not args.no_interactive:
        print("== notebooks answering a changed parameter", flush=True)
        done = subprocess.run(
            [sys.executable, str(HERE / "interactive.py"), "--repeats", str(args.repeats)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        results["interactive"] = json.loads(done.stdout.strip().splitlines()[-1])
    save(results)
    write_readme(results, HERE / "README.md")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
