"""The project's frame model: fitted on a corpus's whole final coding by reading, on first use,
and remembered for the session under the checksum of what it was fitted from.

The coding comes from :mod:`analysis.coding` (its units and the final codes); the model from
:func:`analysis.frames.model.fit_table`; the codebook is the one given (the project's by default).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .. import config
from ..coding.sheets import coded_frames, load_coding
from ..coding.units import coding_units
from ..corpus import attach_metadata, build_corpus, load_turns
from .codebook import Codebook, default_codebook
from .model import FrameModel, fit_table, training_table

_FITTED: dict[str, FrameModel] = {}


def checksum(*paths: str | Path) -> str:
    """The sha256 of the files' bytes, in order: what a fitted model came from."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def project_model(
    processed_dir: str | Path | None = None,
    coding_file: str | Path | None = None,
    codebook: Codebook | None = None,
    seed: int = 0,
) -> FrameModel:
    """The model fitted on a corpus's whole final coding with ``codebook``'s cues: by default the
    seed corpus (``data/processed``, ``data/coding/frames_coded.csv``) and the project's codebook.
    Fitted on first use and remembered for the session under the checksum of the coding, the
    codebook's file and the corpus tables."""
    codebook = codebook or default_codebook()
    processed = Path(processed_dir or config.DATA_PROCESSED)
    coding_path = Path(coding_file or config.FRAMES_CODED)
    codebook_file = Path(codebook.path or config.CODEBOOK)
    tables = [processed / "turns.csv", processed / "documents.csv"]
    # The seed corpus's tables not built yet (a fresh clone): built in memory from data/raw.
    built = processed_dir is None and not all(p.exists() for p in tables)
    sources = [config.DATA_RAW / "MANIFEST.csv", config.SEED_CONFIG] if built else tables
    key = f"{checksum(coding_path, codebook_file, *sources)}:{seed}"
    if key not in _FITTED:
        units = coding_units(_seed_turns() if built else load_turns(processed, with_metadata=True))
        coded = coded_frames(load_coding(coding_path, codebook.ids), "final", codebook.ids)
        _FITTED[key] = fit_table(training_table(units, coded), codebook, codebook.ids, seed)
    return _FITTED[key]


def _seed_turns() -> pd.DataFrame:
    corpus = build_corpus(config.SEED_CONFIG)
    return attach_metadata(corpus.turns, corpus.documents)
