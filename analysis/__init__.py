"""Discourse analysis of interview transcripts, in pipeline order:

1. ``corpus``: raw transcripts and their metadata into tables of documents and turns.
2. ``text``, ``tokens``, ``dtm``, ``concordance``: text processing and document-term matrices.
3. Measures: ``keyness``, ``topics``, ``frames`` (the cue detector), ``coding``, ``intercoder``
   and ``coded`` (the coding by reading), ``comparisons`` (audiences compared), ``validation``,
   ``resampling``.
4. Figures: ``style`` and ``plots``.
5. ``build``: report definition to Make rules, notebook runs, the report page (plumbing only).

``config`` holds every project path; ``errors`` the one error type bad input raises; ``io``
atomic writes. This file imports nothing, so that Make can use ``analysis.build.deps`` before the
virtual environment exists.
"""

__version__ = "0.1.0"
