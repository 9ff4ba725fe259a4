"""Command line: ``python -m analysis corpus`` builds the corpus tables, ``verify`` checks raw data,
``runs`` turns report.yml into Make rules, ``publish`` and ``site`` finish a report.

Bad input prints one line per problem (file, line, problem, remedy; every problem of a corpus in
one run, the first 50 and a count of the rest) and exits with status 2, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .errors import CorpusError


def _corpus(args) -> int:
    import warnings

    from .corpus import build_corpus, write_corpus
    from .corpus.build import NOTE_REASON
    from .corpus.readers import WORDLESS_RULES
    from .errors import CorpusWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        corpus = build_corpus(args.config)
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    written = write_corpus(corpus, args.out)
    docs, turns = corpus.documents, corpus.turns
    notes = corpus.dropped[corpus.dropped["reason"] == NOTE_REASON]
    wordless = corpus.dropped["reason"].isin(WORDLESS_RULES).sum()
    timed = f", times kept for {(turns['time'] != '').sum()} turns" if "time" in turns else ""
    print(
        f"corpus: {len(docs)} documents, {len(turns)} turns, "
        f"{int(turns['n_words'].sum()):,} words in turns, {len(corpus.dropped)} dropped pieces "
        f"({len(notes)} transcription notes, out of the speakers' words; "
        f"{wordless} speaker labels followed by no words){timed}"
    )
    print(docs.groupby(["kind", "audience"]).size().rename("documents").to_string())
    print("\nturns opened and paragraphs decided by each rule:")
    print(corpus.rules.to_string(index=False))
    repeats = turns[turns["duplicate_of"] != ""]
    print(
        f"\n{len(repeats)} turns repeat a turn of another document "
        f"({int(repeats['n_words'].sum()):,} words), excluded from analyses by default"
    )
    for path in written:
        print(f"wrote {path}")
    return 0


def _verify(args) -> int:
    from .corpus.checksums import record_checksums, verify_manifest

    if args.record:
        record_checksums(args.manifest, args.record)
        print(f"recorded the sha256 of {', '.join(args.record)} in {args.manifest}")
    problems = verify_manifest(args.manifest)
    if problems:
        for p in problems:
            print(f"FAIL {p}", file=sys.stderr)
        return 1
    print(f"ok: every file beside {args.manifest} is listed in it and matches its sha256")
    return 0


def _runs(args) -> int:
    from .corpus import load_config
    from .corpus.metadata import check_groups_interviewed
    from .report.rules import default_runs, describe, load_runs, write_make_rules

    if args.report is None and args.corpus is None:
        args.report = config.REPORT_FILE
    folder = args.corpus.parent if args.corpus is not None else None
    check_groups_interviewed(load_config(args.corpus or config.SEED_CONFIG))  # before any run, in one line
    runs = load_runs(args.report, corpus_folder=folder) if args.report is not None else default_runs(args.corpus)
    source = args.report or args.corpus
    name = str(args.report_name or source)
    target = write_make_rules(runs, args.out, args.rules, name, args.target_dir, args.corpus)
    print(f"{len(runs)} notebook runs in {source} -> {target}")
    print(describe(runs))
    return 0


def _publish(args) -> int:
    from .report.site import publish_run

    files = publish_run(args.run, args.stage, args.figures, args.reports)
    print(f"{args.run}: {len(files)} files to {args.figures}/")
    return 0


def _site(args) -> int:
    from .report.site import build_site

    if args.report is None and args.corpus is None:
        args.report = config.REPORT_FILE
    index, manifest = build_site(args.report, args.reports, args.figures, args.corpus, args.state)
    print(f"wrote {index} and {manifest}")
    return 0


def _new(args) -> int:
    from .report.starter import write_starter

    for path in write_starter(args.folder, args.name, args.speaker, args.groups):
        print(f"wrote {path}")
    print(
        f"next: put your transcripts (*.txt) in {args.folder}, one row each in {args.folder / 'metadata.csv'}, "
        f"check {args.folder / 'corpus.yml'}, then run: make report CORPUS={args.folder}"
    )
    return 0


def _intrusion(args) -> int:
    from .coding.intrusion import draw_study_tasks
    from .corpus import load_config, load_turns

    turns = load_turns(args.processed, with_metadata=True)
    for method in args.method:
        for path in draw_study_tasks(turns, load_config(args.config), method, args.out, args.k, args.seed):
            print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    prog = "python -m analysis" if Path(sys.argv[0]).name == "__main__.py" else Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Build a corpus of interview transcripts and the report on it.",
        epilog="Bad input prints one line (file:line: problem. Fix: remedy) and exits with status 2. "
        "`make report` runs these steps for you; see README.md.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("corpus", help="build documents.csv, turns.csv, dropped.csv and rules.csv")
    p.add_argument("--config", type=Path, default=config.SEED_CONFIG, help="corpus.yml (default: the seed corpus)")
    p.add_argument("--out", type=Path, default=config.DATA_PROCESSED, help="output folder (default: data/processed)")
    p.set_defaults(func=_corpus)
    v = sub.add_parser(
        "verify", help="check every file of the corpus folder (transcripts and curation) against the manifest"
    )
    v.add_argument("--manifest", type=Path, default=config.DATA_RAW / "MANIFEST.csv")
    v.add_argument(
        "--record", nargs="+", metavar="FILE", help="first record the sha256 of these files (intended edits)"
    )
    v.set_defaults(func=_verify)
    r = sub.add_parser("runs", help="turn report.yml into Make rules (reports/runs.mk) and parameter files")
    r.add_argument("--report", type=Path, default=None, help="report definition (default: report.yml)")
    r.add_argument("--corpus", type=Path, default=None, help="corpus.yml of a corpus of one's own")
    r.add_argument("--out", type=Path, default=config.REPORTS)
    r.add_argument("--target-dir", default="reports", help="how the rules name --out (default: reports)")
    r.add_argument("--rules", default="runs.mk", help="file name of the Make rules in --out")
    r.add_argument("--report-name", default=None, help="how the rules name the definition (default: its file name)")
    r.set_defaults(func=_runs)
    pub = sub.add_parser("publish", help="move a successful run's staged figures and tables into figures/")
    pub.add_argument("run")
    pub.add_argument("--stage", type=Path, required=True)
    pub.add_argument("--figures", type=Path, default=config.FIGURES)
    pub.add_argument("--reports", type=Path, default=config.REPORTS, help="the build's records are in REPORTS/outputs")
    pub.set_defaults(func=_publish)
    site = sub.add_parser("site", help="write reports/index.html and reports/manifest.json")
    site.add_argument("--report", type=Path, default=None, help="report definition (default: report.yml)")
    site.add_argument("--corpus", type=Path, default=None, help="corpus.yml of a corpus of one's own")
    site.add_argument("--figures", type=Path, default=config.FIGURES)
    site.add_argument("--reports", type=Path, default=config.REPORTS)
    site.add_argument("--state", type=Path, default=None, help="the build's records (default: --reports)")
    site.set_defaults(func=_site)
    new = sub.add_parser("new", help="start a corpus of your own: corpus.yml, metadata.csv, report.yml, codebook.yml")
    new.add_argument("folder", type=Path)
    new.add_argument("--name", default="My interviews", help="the corpus's name")
    new.add_argument("--speaker", default="Jane Doe", help="the focal speaker's name as the transcripts write it")
    new.add_argument(
        "--groups", default="domestic,foreign", help="audience groups, separated by commas (default: domestic,foreign)"
    )
    new.set_defaults(func=_new)
    intr = sub.add_parser("intrusion", help="draw word- and topic-intrusion tasks from 03's topic models")
    intr.add_argument("--method", nargs="+", choices=["nmf", "lda"], default=["nmf", "lda"])
    intr.add_argument("--k", type=int, default=None, help="number of topics (default: chosen as 03 chooses it)")
    intr.add_argument("--seed", type=int, default=0)
    intr.add_argument("--config", type=Path, default=config.SEED_CONFIG, help="corpus.yml (default: the seed corpus)")
    intr.add_argument("--processed", type=Path, default=config.DATA_PROCESSED)
    intr.add_argument("--out", type=Path, default=config.INTRUSION, help="default: data/coding/intrusion")
    intr.set_defaults(func=_intrusion)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as err:
        for line in str(err).split("\n"):  # one line per problem (every problem of a corpus at once)
            print(f"error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
