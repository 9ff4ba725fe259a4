"""Profiles of the stages that trail a peer or grow faster than the corpus, with pyinstrument.

Writes one text profile per case to benchmarks/profiles/ (the call tree with the time spent in
each call). Run it in the benchmark environment, after `make bench` has built it:

    .venv-bench/bin/python benchmarks/hot_paths.py            # every case
    .venv-bench/bin/python benchmarks/hot_paths.py keyness_16x

The cases are the ones the notes in benchmarks/README.md explain: cold tokenising on the seed
corpus (behind CountVectorizer), and on 16 copies of the seed interviews the corpus build, the
chunk matrix, keyness and an LDA model.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import write_scaled_corpus  # noqa: E402

from analysis import config  # noqa: E402
from analysis.corpus import build_corpus, load_turns, write_corpus  # noqa: E402
from analysis.measures.keyness import keyness  # noqa: E402
from analysis.measures.topics import fit_topics  # noqa: E402
from analysis.notebook import caches  # noqa: E402
from analysis.text.dtm import build_dtm  # noqa: E402
from analysis.text.tokens import TextProcessor, make_processor  # noqa: E402


def profile(name: str, task) -> None:
    caches.clear()
    profiler = Profiler(interval=0.002)
    profiler.start()
    task()
    profiler.stop()
    out = HERE / "profiles" / f"{name}.txt"
    out.parent.mkdir(exist_ok=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    out.write_text(text, encoding="utf-8")
    print(f"== {name}: {out.relative_to(HERE.parent)}\n" + "\n".join(text.splitlines()[:40]), flush=True)


def main(names: list[str]) -> int:
    cases = {}
    seed_texts = list(load_turns(config.DATA_PROCESSED)["text"])
    phrases = make_processor(seed_texts).phrases

    def tokenise_cold():
        processor = TextProcessor(phrases)
        for text in seed_texts:
            processor.count_features(processor.count_surface(text))

    cases["tokenise_cold_seed"] = tokenise_cold
    with tempfile.TemporaryDirectory() as tmp:
        cfg = write_scaled_corpus(16, Path(tmp) / "raw")
        corpus = build_corpus(cfg)
        write_corpus(corpus, Path(tmp) / "processed")
        turns = load_turns(Path(tmp) / "processed", with_metadata=True)
        cases["corpus_build_16x"] = lambda: build_corpus(cfg)
        cases["chunk_matrix_16x"] = lambda: build_dtm(turns, unit="chunk")
        by_interview = build_dtm(turns, unit="interview")
        cases["keyness_16x"] = lambda: keyness(by_interview, "turkish", "western")
        chunks = build_dtm(turns, unit="chunk", min_count=5, min_docs=2)
        cases["lda_16x"] = lambda: fit_topics(chunks, 10, "lda", seed=0)
        for name in names or list(cases):
            profile(name, cases[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
