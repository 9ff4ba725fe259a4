"""A corpus of one's own written by an adversary: the made-up corpus of tests/own_corpus.py with
HTML and a fenced mermaid diagram in its name, HTML in its speaker labels, every free-text
metadata field, codebook labels, events and the text of the answers (a closing ``</script>``
too, against pages that embed data in scripts), and spreadsheet formulas in metadata cells and at
the start of paragraphs.
Everything here is valid input, so the report must be built, showing it all as text. The
invalid variants (traversal in file names, groups and run names) must be refused in one line."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from tests.own_corpus import CODEBOOK, GROUPS, SPEAKER, write_transcripts

PAYLOAD = "<img src=x onerror=alert(1)>"
#: A fenced mermaid diagram on lines of its own: nbconvert's page imports mermaid from a CDN to draw one.
DIAGRAM = "\n```mermaid\ngraph TD; A-->B\n```\n~~~mermaid\ngraph TD; C-->D\n~~~\n"
FORMULA = '=HYPERLINK("http://example.invalid/x","open")'
FOCAL_LABEL = f"{SPEAKER} {PAYLOAD}"
HOST_LABEL = f"HOST {PAYLOAD}"
#: The free-text metadata columns, each given HTML or a formula.
HOSTILE_FIELDS = {
    "outlet": lambda value: f"{PAYLOAD} {value}",
    "title": lambda value: f"</script><script>alert(2)</script> {value}",
    "country": lambda value: FORMULA,
    "medium": lambda value: "@SUM(1+1)",
    "header": lambda value: "+cmd|' /C calc'!A0",
    "language": lambda value: "-2+3",
}


def write_hostile_corpus(folder: Path) -> None:
    """``folder``: corpus.yml, metadata.csv, codebook.yml, the transcripts and a report definition
    ``hostile.yml`` covering every notebook with quick parameters."""
    folder.mkdir(parents=True)
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        f.write("doc_id,file,outlet,audience,date,kind,title\n")
    write_transcripts(folder)
    for path in folder.glob("*.txt"):
        text = path.read_text(encoding="utf-8").replace("HOST:", f"{HOST_LABEL}:")
        text = text.replace(f"{SPEAKER}:", f"{FOCAL_LABEL}:").replace("\n\n", f" {PAYLOAD}\n\n", 3)
        path.write_text(text + f"\n{FOCAL_LABEL}: {FORMULA} and the budget\n", encoding="utf-8")
    _poison_metadata(folder / "metadata.csv")
    (folder / "codebook.yml").write_text(
        CODEBOOK.replace("label: Money matters", f"label: '</script>{PAYLOAD} Money matters'").replace(
            "definition: The passage presents the matter as one of safety",
            f"definition: {PAYLOAD} The passage presents the matter as one of safety",
        ),
        encoding="utf-8",
    )
    config = {
        "name": f"{PAYLOAD} interviews{DIAGRAM}",
        "focal_speaker": FOCAL_LABEL,
        "audience_groups": list(GROUPS),
        "metadata": "metadata.csv",
        "codebook": "codebook.yml",
        "labels": {"focal": [FOCAL_LABEL], "interviewer": [HOST_LABEL]},
        "events": {"2023-05-10": f"{PAYLOAD} council vote"},
    }
    (folder / "corpus.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (folder / "hostile.yml").write_text(yaml.safe_dump({"runs": HOSTILE_RUNS}, sort_keys=False), encoding="utf-8")


def _poison_metadata(path: Path) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    columns = [*rows[0], *(c for c in HOSTILE_FIELDS if c not in rows[0])]
    for row in rows:
        for column, poison in HOSTILE_FIELDS.items():
            row[column] = poison(row.get(column) or "")
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


#: Every notebook, with parameters that keep the whole report to a few minutes.
HOSTILE_RUNS = [
    {"notebook": "01_corpus"},
    {
        "notebook": "02_keyness",
        "name": "02_keyness_hostile",
        "parameters": {"group_a": GROUPS[0], "group_b": GROUPS[1], "n_resamples": 199},
    },
    {
        "notebook": "03_topics",
        "name": "03_topics_hostile",
        "parameters": {"method": "nmf", "k_grid": [2, 3], "n_seeds": 2, "n_resamples": 99},
    },
    {"notebook": "04_framing_1_measure", "name": "04_framing_1_measure_hostile", "parameters": {"n_boot": 99}},
    {
        "notebook": "04_framing_2_audiences",
        "name": "04_framing_2_audiences_hostile",
        "parameters": {"n_resamples": 99, "n_boot": 99, "n_permutations": 9},
    },
    {"notebook": "04_framing_3_model", "name": "04_framing_3_model_hostile", "parameters": {"n_boot": 99}},
    {"notebook": "05_explore", "parameters": {"static_preview": True, "query": "budget"}},
    {"notebook": "06_code", "parameters": {"static_preview": True}},
]
