"""Stage 5, the frame wing's instrument, bottom to top: the codebook (``codebook``), the cue
detector (``cues``), the frame model (``model``) and the project's fitted model (``trained``),
its evaluations (``evaluation``, ``dsl``), and :func:`analysis.frames.score.score`, the public
entry point. The coding by reading it is trained and judged on is :mod:`analysis.coding`."""
