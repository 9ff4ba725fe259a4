"""Tiny inline corpora for the analysis tests: counts you can check by hand."""

from __future__ import annotations

import pandas as pd

#: The seed study's 13 frame ids, fixed by its design (the seed codebook must define exactly these,
#: in this order: tests/frames/test_cues.py); the package takes a corpus's frame ids from its codebook.
FRAME_IDS = (
    "legal",
    "occupation",
    "victims",
    "aggressor",
    "disinformation",
    "mediation",
    "turkey",
    "russia",
    "west_bias",
    "mercenaries",
    "military",
    "peace",
    "internationalization",
)


def make_turns(docs: dict[str, tuple[str, list[str]]], role: str = "focal") -> pd.DataFrame:
    """A turns table with document metadata, as ``load_turns(with_metadata=True)`` returns it.

    ``docs`` maps doc_id to (audience, [text of each focal turn]); each focal turn is preceded
    by an interviewer turn "What do you say?" so that role filtering has something to remove.
    """
    rows = []
    for doc_id, (audience, texts) in docs.items():
        turn = 0
        for text in texts:
            for r, t in (("interviewer", "What do you say?"), (role, text)):
                turn += 1
                rows.append(
                    {
                        "turn_id": f"{doc_id}-{turn:03d}",
                        "doc_id": doc_id,
                        "turn": turn,
                        "role": r,
                        "speaker": "",
                        "label": "",
                        "text": t,
                        "n_words": 0,
                        "source_file": f"{doc_id}.txt",
                        "line_start": turn,
                        "line_end": turn,
                        "rule": "label",
                        "duplicate_of": "",
                        "audience": audience,
                        "outlet": doc_id.upper(),
                        "kind": "interview",
                        "date": "2020-10-01",
                        "translated": "false",
                    }
                )
    return pd.DataFrame(rows)
