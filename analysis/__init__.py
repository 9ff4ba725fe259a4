"""Discourse analysis of interview transcripts: one folder per stage, in pipeline order.

1. ``corpus``: raw transcripts and their metadata into tables of documents and turns.
2. ``text``: tokens, document-term matrices, concordances.
3. ``stats``: resampling, intervals and models over interviews.
4. ``measures``: keyness and topic models.
5. ``frames`` and ``coding``: the frame wing (codebook, cues, model, ``score``; coding by reading).
6. ``audiences``: audiences compared, estimands, confounders, robustness.
7. ``figures``: style and plots.
8. ``notebook``: what the notebooks show and say.
9. ``report``: report definition to Make rules, notebook runs, the study page (plumbing only).

A stage imports only the stages before it (``tests/project/test_layout.py``). ``config`` holds every
project path; ``errors`` the one error type bad input raises; ``io`` atomic writes. This file
imports nothing, so that Make can use ``analysis.report.deps`` before the virtual environment exists.
"""

__version__ = "0.1.0"
