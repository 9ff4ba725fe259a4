"""The error raised for bad input: one line naming the file, the line and the remedy."""

from __future__ import annotations

from pathlib import Path


class CorpusError(ValueError):
    """Bad input: a raw file, a metadata row or a configuration the pipeline cannot use.

    The message is a single line, ``<file>:<line>: <problem>. Fix: <remedy>``, so that the command
    line can print it without a traceback and a researcher knows where to look.

    Attributes
    ----------
    path : str or None
        The file at fault, as given (relative paths stay relative).
    line : int or None
        1-based line number in that file, when one line is at fault.
    problem, remedy : str
        What is wrong and what to do about it.
    """

    def __init__(self, path: str | Path | None, line: int | None, problem: str, remedy: str):
        self.path = None if path is None else str(path)
        self.line = line
        self.problem = problem.rstrip(".")
        self.remedy = remedy.rstrip(".")
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        message = f"{where}: {self.problem}. Fix: {self.remedy}."
        super().__init__(" ".join(message.split()))
