"""Write a bring-your-own corpus that is the seed corpus's interviews repeated ``scale`` times.

Each copy of an interview becomes its own transcript (``SPEAKER: text`` paragraphs) with its own
outlet name ("TRT Haber 7") and a date moved by whole weeks, so that audience groups keep their
sizes in proportion and dates spread over a longer period. In every copy but the first, half of
the words of four letters or more get a suffix of that copy ("liberated" -> "liberatedqd"),
chosen by a hash of word and copy: otherwise the copies would be exact repeats, which the
duplicate detector rightly sets aside, and the vocabulary would not grow as a real corpus's does.
Used by the scaling benchmark.

    python benchmarks/make_corpus.py --scale 16 --out /tmp/corpus16
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import zlib
from pathlib import Path

import pandas as pd
import yaml

from analysis import config
from analysis.corpus import load_config, load_documents, load_turns

LABELS = {"focal": "ILHAM ALIYEV", "interviewer": "INTERVIEWER", "narrator": "NARRATOR", "other": "OTHER"}


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def vary(text: str, copy: int) -> str:
    """``text`` with half of its long words marked as belonging to ``copy`` (0: unchanged)."""
    if copy == 0:
        return text
    tag = "".join(chr(ord("a") + (copy // 26**i) % 26) for i in range(2))

    def mark(match: re.Match) -> str:
        word = match.group()
        return word + tag if zlib.crc32(f"{word.lower()}|{copy}".encode()) % 2 else word

    return _LONG_WORD.sub(mark, text)


def write_scaled_corpus(scale: int, out: Path, processed: Path = config.DATA_PROCESSED) -> Path:
    """Write ``scale`` copies of every seed interview into ``out``; returns the corpus.yml path."""
    out.mkdir(parents=True, exist_ok=True)
    documents = load_documents(processed)
    interviews = documents[documents["kind"] == "interview"]
    turns = load_turns(processed)
    seed_cfg = load_config(config.SEED_CONFIG)
    rows = []
    for copy in range(scale):
        for doc in interviews.itertuples():
            doc_id = f"{doc.doc_id}_{copy:03d}"
            text = "\n\n".join(
                f"{LABELS[t.role]}: {vary(t.text.replace(chr(10), ' '), copy)}"
                for t in turns[turns["doc_id"] == doc.doc_id].itertuples()
            )
            (out / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
            date = pd.Timestamp(doc.date) + pd.Timedelta(weeks=copy) if doc.date else None
            rows.append(
                {
                    "doc_id": doc_id,
                    "file": f"{doc_id}.txt",
                    "outlet": f"{doc.outlet} {copy + 1}",
                    "audience": doc.audience,
                    "date": f"{date:%Y-%m-%d}" if date is not None else "",
                    "kind": "interview",
                    "translated": doc.translated,
                }
            )
    with open(out / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    cfg = {
        "name": f"seed interviews x{scale}",
        "focal_speaker": "Ilham Aliyev",
        "audience_groups": seed_cfg.audience_groups,
        "metadata": "metadata.csv",
        "labels": {
            "focal": [LABELS["focal"]],
            "interviewer": [LABELS["interviewer"]],
            "narrator": [LABELS["narrator"]],
            "other": [LABELS["other"]],
        },
        "unknown_speakers": "interviewer",
        # The seed's codebook, so that 04 frames the copies as it frames the seed; no coding (the
        # copies' paragraphs were never read), so 04 says the detector is not validated here.
        "codebook": "codebook.yml",
    }
    shutil.copyfile(seed_cfg.codebook, out / "codebook.yml")
    path = out / "corpus.yml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_scaled_corpus(args.scale, args.out))
