"""Stage 9, the report and its plumbing: the report definition turned into Make rules (``rules``),
what each run reads (``deps``), notebooks run on private kernels (``kernels``), one build at a time
(``lock``), executed notebooks as pages (``html``), the study page and its PDF (``findings``,
``study``), the appendix with each run's outputs and provenance (``site``, ``pages``), the offline
explorer (``explorer*``) and the starter files of a corpus of one's own (``starter``).

Nothing in the earlier stages imports it, and this file imports nothing, so that Make can run
``python3 -m analysis.report.deps`` (standard library only) before .venv exists.
"""
