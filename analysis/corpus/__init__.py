"""The corpus stage: raw transcripts and their metadata in, tables of documents and turns out.

In pipeline order:

- ``settings``: the configuration (``corpus.yml``), its keys and checks.
- ``sources``: raw files into numbered lines and paragraphs (encoding checks).
- ``metadata``: the curated metadata and corrections tables, checked.
- ``readers``: paragraphs into speaker turns, one reader per transcript style.
- ``duplicates``: utterances repeated across documents.
- ``build``: the build itself (:func:`build_corpus`, :func:`write_corpus`).
- ``tables``: the processed tables read back, with summaries (:func:`load_turns`).
- ``checksums``: the raw files against their sha256 in the manifest (``make verify``).

The names below are the stage's public calls; ``from analysis.corpus import load_turns`` and the
like keep working whichever module holds them.
"""

from .build import DOCUMENT_COLUMNS, DROPPED_COLUMNS, RULE_COLUMNS, TURN_COLUMNS, Corpus, build_corpus, write_corpus
from .metadata import load_corrections, load_metadata
from .settings import CorpusConfig, load_config
from .tables import (
    TURN_METADATA,
    attach_metadata,
    corpus_table,
    length_line,
    load_documents,
    load_turns,
    summarise_audiences,
    summarise_repeats,
)

__all__ = [
    "DOCUMENT_COLUMNS",
    "DROPPED_COLUMNS",
    "RULE_COLUMNS",
    "TURN_COLUMNS",
    "TURN_METADATA",
    "Corpus",
    "CorpusConfig",
    "attach_metadata",
    "build_corpus",
    "load_config",
    "load_corrections",
    "load_documents",
    "load_metadata",
    "load_turns",
    "corpus_table",
    "length_line",
    "summarise_audiences",
    "summarise_repeats",
    "write_corpus",
]
