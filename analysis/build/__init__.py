"""Build plumbing, kept apart from the measures: the report definition turned into Make rules
(``rules``), what each run reads (``deps``), notebooks run on private kernels (``kernels``), and
publishing a run's outputs with the index page and its provenance (``site``).

Nothing here is imported by the analysis modules, and this file imports nothing, so that
Make can run ``python3 -m analysis.build.deps`` (standard library only) before .venv exists.
"""
