"""Stage 8, what the notebooks use to show and say things: the corpus they run on (``about``),
escaped HTML (``display``), summary sentences as tables (``prose``), highlighted passages
(``explore``) and the session's caches (``caches``)."""
