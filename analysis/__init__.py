"""Discourse analysis of interview transcripts.

Modules, in pipeline order:

- ``config``: the project's folders, derived from this package's location.
- ``errors``: :class:`CorpusError`, the one error type bad input raises.
- ``text``: text normalisation and word counting shared by every stage.
- ``sources``: reading raw files into numbered paragraphs.
- ``readers``: turning paragraphs into speaker turns (one reader per transcript style).
- ``corpus``: the corpus build: configuration, metadata, readers, duplicates, tables.
- ``duplicates``: fuzzy matching of utterances repeated across documents.
- ``manifest``: checksums of the raw files.
- ``style`` and ``plots``: one look for every figure.
"""

__version__ = "0.1.0"
