"""One stage of the pipeline, timed in a process of its own.

``bench.py`` runs every stage as ``python benchmarks/stages.py STAGE --config ... --processed
...`` so that each gets a fresh interpreter: the peak memory it reports (the resident-set high
water mark of the process and of any process it started) belongs to that stage alone, and no
cache survives from an earlier stage. Inputs are loaded before the clock starts; remembered
results (:mod:`analysis.notebook.caches`) are forgotten before every repeat. The stage prints one JSON
object: the median and every repeat in seconds, the amount of work (words, tokens, units), the
peak memory in MB, and any peers timed on the same data in the same process.

Peers (spaCy, gensim) are imported only when installed; ``make bench`` installs them in a
separate environment, never in the project's own.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from analysis.corpus import build_corpus, load_turns, write_corpus
from analysis.corpus.normalise import count_words, plain_characters
from analysis.frames.codebook import cue_pattern, load_codebook
from analysis.frames.cues import score_baseline
from analysis.frames.score import score
from analysis.measures.topics import K_GRID, SEEDS, fit_topics, topic_grid
from analysis.notebook import caches
from analysis.text.dtm import build_dtm, select_turns
from analysis.text.tokens import TextProcessor, make_processor

STAGES = {}


def stage(func):
    STAGES[func.__name__] = func
    return func


def timed(task, repeats: int, reset=caches.clear) -> dict:
    """Median and every wall time of ``task()`` over ``repeats`` runs, caches forgotten before each."""
    times = []
    for _ in range(repeats):
        reset()
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return {"seconds": statistics.median(times), "runs": times}


def peak_mb() -> float:
    """The highest resident memory of this process or of any of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports kilobytes


def _turns(args):
    return load_turns(args.processed, with_metadata=True)


@stage
def corpus(args) -> dict:
    """Raw transcripts to the corpus tables, written to a scratch folder."""
    with tempfile.TemporaryDirectory() as out:
        result = timed(lambda: write_corpus(build_corpus(args.config), out), args.repeats)
    turns = load_turns(args.processed)
    return {**result, "words": int(turns["n_words"].sum()), "turns": len(turns), "peak_mb": peak_mb()}


@stage
def tokenise(args) -> dict:
    """Every turn's text to feature counts (phrases learned beforehand), with the peers."""
    texts = list(_turns(args)["text"])
    processor = make_processor(texts)
    tokens = sum(len(processor.surface_tokens(t)) for t in texts)
    # Cold: a new processor and no remembered stems for every run, so each run stems every word
    # type once, as a fresh process does. Warm: the same processor again, every stem known.
    fresh = {}

    def renew(**choices):
        caches.clear()
        fresh["p"] = TextProcessor(processor.phrases, **choices)

    ours = timed(
        lambda: [fresh["p"].count_features(fresh["p"].count_surface(t)) for t in texts], args.repeats, reset=renew
    )
    warm = timed(
        lambda: [processor.count_features(processor.count_surface(t)) for t in texts], args.repeats, reset=lambda: None
    )
    plain = timed(
        lambda: [fresh["p"].count_features(fresh["p"].count_surface(t)) for t in texts],
        args.repeats,
        reset=lambda: renew(stem=False),
    )
    result = {
        **ours,
        "words": sum(count_words(t) for t in texts),
        "tokens": tokens,
        "peak_mb": peak_mb(),
        "warm": warm,
        "no_stemming": plain,
        "peers": {},
    }
    if args.peers:
        from nltk.tokenize import TreebankWordTokenizer
        from sklearn.feature_extraction.text import CountVectorizer

        treebank = TreebankWordTokenizer()
        peers = {
            "CountVectorizer": lambda: CountVectorizer().fit_transform(texts),
            "NLTK Treebank": lambda: [Counter(treebank.tokenize(t)) for t in texts],
        }
        try:
            import spacy

            tokenizer = spacy.blank("en").tokenizer
            peers["spaCy blank English"] = lambda: [Counter(tok.text for tok in doc) for doc in tokenizer.pipe(texts)]
        except ImportError:
            pass
        for name, task in peers.items():
            result["peers"][name] = timed(task, args.repeats, reset=lambda: None)
    return result


@stage
def dtm(args) -> dict:
    """Turns to the chunk matrix of the focal speaker: Punkt trained, phrases learned, counted."""
    turns = _turns(args)
    built = build_dtm(turns, unit="chunk")
    result = timed(lambda: build_dtm(turns, unit="chunk"), args.repeats)
    words = int(select_turns(turns)["text"].map(count_words).sum())
    return {
        **result,
        "words": words,
        "units": built.counts.shape[0],
        "features": built.counts.shape[1],
        "peak_mb": peak_mb(),
    }


@stage
def keyness(args) -> dict:
    """Keywords of Turkish against Western interviews, with the interview-level checks."""
    from analysis.measures.keyness import keyness as run_keyness

    matrix = build_dtm(_turns(args), unit="interview")
    result = timed(lambda: run_keyness(matrix, "turkish", "western"), args.repeats, reset=lambda: None)
    return {
        **result,
        "words": int(matrix.units["n_words"].sum()),
        "units": matrix.counts.shape[0],
        "features": matrix.counts.shape[1],
        "peak_mb": peak_mb(),
    }


@stage
def frames(args) -> dict:
    """Frame cue counts for every focal turn, a freshly read codebook each time; with peers."""
    texts = list(select_turns(_turns(args))["text"])
    result = timed(lambda: score(texts, load_codebook(), method="cues"), args.repeats)
    result.update({"words": sum(count_words(t) for t in texts), "units": len(texts), "peak_mb": peak_mb(), "peers": {}})
    if args.peers:
        codebook = load_codebook()
        every_cue = [[re.compile(cue_pattern(c), re.IGNORECASE) for c in f.cues] for f in codebook.frames]
        plain = [plain_characters(t) for t in texts]
        result["peers"]["one regex per cue"] = timed(
            lambda: [[sum(len(p.findall(t)) for p in cues) for cues in every_cue] for t in plain], args.repeats
        )
        result["peers"]["one keyword per frame (baseline)"] = timed(
            lambda: score_baseline(texts, codebook), args.repeats
        )
    return result


@stage
def frame_model(args) -> dict:
    """The frame model: its refit from the coding (what the first score() of a session costs),
    then scoring every answer and question paragraph, beside the cue dictionary on the same
    paragraphs (paragraphs per minute, one core)."""
    from analysis.frames import model as fm
    from analysis.frames.trained import project_model

    turns = select_turns(_turns(args), role=["focal", "interviewer"], kinds=None)
    texts = [p.strip() for t in turns["text"] for p in t.split("\n") if p.strip()]
    fit = timed(lambda: project_model(), args.repeats)
    model = project_model()
    # only the cue memo is forgotten between runs: the fitted model is what is timed against the cues
    result = timed(lambda: fm.predict(model, texts), args.repeats, reset=model.codebook._scored.clear)
    cues = timed(lambda: score(texts, load_codebook(), method="cues"), args.repeats)
    return {
        **result,
        "fit_seconds": fit["seconds"],
        "words": sum(count_words(t) for t in texts),
        "units": len(texts),
        "paragraphs_per_minute": 60 * len(texts) / result["seconds"],
        "cue_paragraphs_per_minute": 60 * len(texts) / cues["seconds"],
        "peak_mb": peak_mb(),
        "peers": {"cue dictionary (method='cues')": cues},
    }


def _chunk_matrix(args):
    return build_dtm(_turns(args), unit="chunk", min_count=5, min_docs=2)


@stage
def grid(args) -> dict:
    """The topic grid (every k of the default grid with five seeds) by NMF and by LDA."""
    matrix = _chunk_matrix(args)
    out = {
        "units": matrix.counts.shape[0],
        "features": matrix.counts.shape[1],
        "fits": len(K_GRID) * len(SEEDS),
        "words": int(matrix.units["n_words"].sum()),
    }
    for method in ("nmf", "lda"):
        out[method] = timed(lambda method=method: topic_grid(matrix, method, K_GRID, SEEDS), args.repeats)
    out["seconds"] = out["nmf"]["seconds"] + out["lda"]["seconds"]
    out["peak_mb"] = peak_mb()
    return out


@stage
def topics(args) -> dict:
    """One topic model with k = 10 (10 passes for LDA) on the chunk matrix; gensim as the peer."""
    matrix = _chunk_matrix(args)
    out = {
        "units": matrix.counts.shape[0],
        "features": matrix.counts.shape[1],
        "k": 10,
        "passes": 10,
        "words": int(matrix.units["n_words"].sum()),
        "peers": {},
    }
    for method in ("nmf", "lda"):
        out[method] = timed(lambda method=method: fit_topics(matrix, 10, method, seed=0), args.repeats)
    out["seconds"] = out["nmf"]["seconds"]
    out["peak_mb"] = peak_mb()
    if args.peers:
        try:
            from gensim.matutils import Sparse2Corpus
            from gensim.models import LdaMulticore
        except ImportError:
            return out
        corpus_ = list(Sparse2Corpus(matrix.counts, documents_columns=False))
        vocabulary = dict(enumerate(matrix.features["feature"]))
        out["peers"]["gensim LdaMulticore"] = timed(
            lambda: LdaMulticore(corpus_, num_topics=10, id2word=vocabulary, passes=10, workers=2, random_state=0),
            args.repeats,
            reset=lambda: None,
        )
    return out


@stage
def pipeline(args) -> dict:
    """Raw transcripts to corpus tables, frame counts of every focal turn and an NMF model with
    k = 10 on the chunk matrix: what a new corpus costs end to end."""

    def run():
        with tempfile.TemporaryDirectory() as out:
            write_corpus(build_corpus(args.config), out)
            turns = load_turns(out, with_metadata=True)
            score(list(select_turns(turns)["text"]), load_codebook(), method="cues")
            fit_topics(build_dtm(turns, unit="chunk", min_count=5, min_docs=2), 10, "nmf", seed=0)
            return int(turns["n_words"].sum())

    result = timed(run, args.repeats)
    return {**result, "words": int(load_turns(args.processed)["n_words"].sum()), "peak_mb": peak_mb()}


FLOOR_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "imports",
            "metadata": {},
            "outputs": [],
            "source": "import pandas, numpy, scipy, sklearn, nltk, matplotlib.pyplot\n"
            "import analysis.corpus, analysis.text.dtm, analysis.figures.plots",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@stage
def report(args) -> dict:
    """A full `make report` from a clean state, a second one with nothing to do, and the floor:
    papermill running a notebook that only imports the stack. Runs `make clean` first."""
    import subprocess

    from analysis import config
    from analysis.report.rules import load_runs

    root = config.PROJECT_ROOT
    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = Path(tmp) / "floor.ipynb"
        floor_nb.write_text(json.dumps(FLOOR_NOTEBOOK), encoding="utf-8")
        papermill = [str(root / ".venv" / "bin" / "papermill"), "--log-level", "WARNING", "--no-progress-bar"]
        floor = timed(
            lambda: subprocess.run(
                [*papermill, str(floor_nb), str(Path(tmp) / "out.ipynb")], check=True, capture_output=True
            ),
            args.repeats,
            reset=lambda: None,
        )
    make = ["make", "--no-print-directory", "-C", str(root)]
    subprocess.run([*make, "clean"], check=True, capture_output=True)
    full = timed(lambda: subprocess.run([*make, "report"], check=True, capture_output=True), 1, reset=lambda: None)
    peak = peak_mb()
    noop = timed(
        lambda: subprocess.run([*make, "report"], check=True, capture_output=True), args.repeats, reset=lambda: None
    )
    runs = len(load_runs())
    return {
        "seconds": full["seconds"],
        "noop_seconds": noop["seconds"],
        "floor_seconds": floor["seconds"],
        "notebook_runs": runs,
        "ratio_to_floor_times_runs": full["seconds"] / (floor["seconds"] * runs),
        "peak_mb": peak,
    }


def _execute_run(run, parameters: dict, out: Path) -> dict:
    """Execute one run of a report definition as `make report` does (papermill through
    analysis.report.kernels, no progress bars) with ``parameters``, the executed copy in ``out``.
    Returns its wall time and its three slowest cells (papermill's record); a run that fails
    is recorded with the error's last line instead of stopping the others."""
    import subprocess

    import nbformat
    import yaml

    from analysis import config

    params = out / f"{run.name}.yml"
    params.write_text(yaml.safe_dump(parameters, sort_keys=True), encoding="utf-8")
    executed = out / f"{run.name}.ipynb"
    command = [sys.executable, "-m", "analysis.report.kernels", "--engine", "ipc", "--log-level", "WARNING"]
    command += ["--cwd", str(config.NOTEBOOKS), "-f", str(params), str(run.notebook), str(executed)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "DISCOURSE_PROGRESS": "0"})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        error = [line for line in done.stderr.splitlines() if "Error" in line or "error" in line]
        return {"seconds": seconds, "failed": (error or done.stderr.splitlines() or ["?"])[-1][:300]}
    cells = [
        (n, c.metadata.get("papermill", {}).get("duration") or 0.0, c.source.splitlines()[0] if c.source else "")
        for n, c in enumerate(nbformat.read(executed, as_version=4).cells)
        if c.cell_type == "code"
    ]
    cells.sort(key=lambda c: -c[1])
    slowest = [{"cell": n, "seconds": t, "first_line": line} for n, t, line in cells[:3]]
    return {"seconds": seconds, "slowest_cells": slowest}


@stage
def full_report(args) -> dict:
    """The full report of a corpus from its raw transcripts: the corpus tables built, then every
    run of the project's report.yml executed on them (two at a time, as `make report` does),
    with ``processed_dir``, ``corpus_config`` and ``figures_dir`` pointing at this corpus and a
    scratch folder. The same driver for the seed and a scaled corpus, so that their ratio
    compares like with like. Reports the wall time, the corpus build and each run's time with
    its slowest cells."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    from analysis.report.rules import load_runs

    runs = load_runs()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        processed, figures = tmp / "processed", tmp / "figures"
        figures.mkdir()
        start = time.perf_counter()
        build = [sys.executable, "-m", "analysis", "corpus", "--config", str(args.config), "--out", str(processed)]
        subprocess.run(build, check=True, capture_output=True)
        corpus_seconds = time.perf_counter() - start
        paths = {"processed_dir": str(processed), "corpus_config": str(args.config), "figures_dir": str(figures)}
        with ThreadPoolExecutor(max_workers=2) as pool:
            timed_runs = list(pool.map(lambda r: _execute_run(r, {**r.parameters, **paths}, tmp), runs))
        seconds = time.perf_counter() - start
    words = int(load_turns(args.processed)["n_words"].sum())
    return {
        "seconds": seconds,
        "corpus_seconds": corpus_seconds,
        "words": words,
        "runs": {r.name: t for r, t in zip(runs, timed_runs)},
        "peak_mb": peak_mb(),
    }


@stage
def classifier(args) -> dict:
    """04's audience classifier as the notebook runs it: frame profiles, word tf-idf and function
    words of the focal speaker's chunks, each with 199 permutations, for the seed's three main
    audiences (the features built before the clock starts)."""
    from analysis.audiences.classifier import classify_audience, frame_profiles, function_word_features, word_features
    from analysis.frames.codebook import default_codebook

    turns = _turns(args)
    audiences = ["turkish", "russian", "western"]
    sets = [
        frame_profiles(turns, audiences, "focal", default_codebook()),
        word_features(turns, audiences),
        function_word_features(turns, audiences),
    ]
    result = timed(lambda: [classify_audience(X, u["audience"], u["doc_id"], 199, 0) for X, u in sets], args.repeats)
    result.update(
        interviews=int(sets[1][1]["doc_id"].nunique()), word_features=int(sets[1][0].shape[1]), peak_mb=peak_mb()
    )
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--config", type=Path, required=True, help="the corpus's corpus.yml")
    parser.add_argument("--processed", type=Path, required=True, help="its corpus tables, already built")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peers", action="store_true", help="also time the peers on the same data")
    args = parser.parse_args(argv)
    print(json.dumps(STAGES[args.stage](args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
