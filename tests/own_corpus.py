"""A small made-up corpus of one's own, as a new user would bring it: a mayor's interviews with
local and foreign media, two audiences named unlike the seed's, no events, a codebook of two frames
and no coding by reading. Deterministic (a seeded generator), about 9,000 words."""

from __future__ import annotations

import csv
import random
from pathlib import Path

SPEAKER = "Maria Lopez"
GROUPS = ("harbourside", "overseas")
# Words the mayor uses more with one audience than with the other, and words both hear.
TOPICS = {
    "harbourside": [
        "ferry timetable",
        "fish market",
        "rent",
        "school meals",
        "street lighting",
        "bus lanes",
        "parking",
        "libraries",
        "playgrounds",
        "recycling",
        "potholes",
        "nurses",
        "pensioners",
        "swimming pool",
    ],
    "overseas": [
        "tourism",
        "trade fair",
        "investors",
        "sister city",
        "cruise ships",
        "exports",
        "airport",
        "universities",
        "festival",
        "shipping",
        "embassies",
        "conference centre",
        "hotels",
        "startups",
    ],
}
SHARED = [
    "budget",
    "council",
    "harbour",
    "jobs",
    "safety",
    "police",
    "taxes",
    "the economy",
    "the plan",
    "our city",
    "young people",
    "housing",
    "the river",
    "climate",
    "transport",
    "culture",
    "the old town",
    "energy",
]
CODEBOOK = """\
frames:
  - id: money
    label: Money matters
    definition: The passage presents the matter as one of budgets, taxes, jobs or prices.
    cues: [budget, taxes, jobs, econom*, rent, investors]
  - id: safety
    label: Safety first
    definition: The passage presents the matter as one of safety, crime or policing.
    cues: [safety, police, street lighting, crime]
"""


#: Everyday words the answers are made of, so that no two answers share many word trigrams (the
#: corpus build would take them for repeats of one another).
COMMON = (
    "people week month year morning street family neighbour market water bridge garden road station office "
    "teacher doctor worker shop village district square corner window light door table letter answer question "
    "promise decision meeting report idea change problem chance future history money price cost plan project "
    "service support time place life work home child parent friend visitor guest partner colleague neighbour "
    "summer winter spring autumn evening night weekend holiday train boat ship bicycle car tram lane path "
    "open close build repair change improve decide listen explain promise plan finish start wait visit help"
).split()


def _answer(rng: random.Random, group: str) -> str:
    sentences = []
    for _ in range(rng.randint(5, 8)):
        words = rng.sample(COMMON, rng.randint(6, 10))
        words.insert(rng.randrange(len(words)), rng.choice(TOPICS[group]))
        words.insert(rng.randrange(len(words)), rng.choice(TOPICS[group] + SHARED))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def write_transcripts(folder: Path, per_group: int = 4, seed: int = 7) -> None:
    """Transcripts (``SPEAKER: text`` paragraphs) and their metadata rows, appended to the
    starter's empty metadata.csv in ``folder``."""
    rng = random.Random(seed)
    rows = []
    for group in GROUPS:
        for i in range(per_group):
            doc = f"{group[:4]}{i + 1}"
            turns = []
            for _ in range(10):
                turns.append(f"HOST: What about {rng.choice(TOPICS[group] + SHARED)}?")
                turns.append(f"{SPEAKER}: {_answer(rng, group)}")
            (folder / f"{doc}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
            day = 3 + 3 * i + (1 if group == GROUPS[1] else 0)
            rows.append(
                [doc, f"{doc}.txt", f"{group.title()} Radio {i + 1}", group, f"2023-05-{day:02d}", "interview", ""]
            )
    with open(folder / "metadata.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
