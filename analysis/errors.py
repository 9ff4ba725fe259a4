"""The error raised for bad input: one line naming the file, the line and the remedy."""

from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from pathlib import Path


def visible(text: str) -> str:
    """``text`` with every invisible character (a byte-order mark, a zero-width space, a control
    character other than a tab or line break) written as ``<U+FEFF>``, so that a message quoting
    text shows it. Tabs and line breaks stay: the message joins its whitespace into single spaces."""
    return "".join(
        f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp") and ch not in "\t\n\r" else ch
        for ch in text
    )


class CorpusError(ValueError):
    """Bad input: a raw file, a metadata row or a configuration the pipeline cannot use.

    The message is a single line, ``<file>:<line>: <problem>. Fix: <remedy>``, so that the command
    line can print it without a traceback and a researcher knows where to look. Invisible
    characters in the problem (a byte-order mark inside a file, a zero-width space in a label)
    are written visibly, as ``<U+FEFF>`` (see :func:`visible`).

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
        self.problem = visible(problem).rstrip(".")
        self.remedy = remedy.rstrip(".")
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        message = f"{where}: {self.problem}. Fix: {self.remedy}."
        super().__init__(" ".join(message.split()))


class CorpusWarning(UserWarning):
    """Input the pipeline can use but that is probably not what was meant (a speaker label one
    letter away from the focal speaker's), in the same one-line form as :class:`CorpusError`:
    ``<file>:<line>: <problem>. Fix: <remedy>``."""

    def __init__(self, path: str | Path | None, line: int | None, problem: str, remedy: str):
        super().__init__(str(CorpusError(path, line, problem, remedy)))


#: How many problems a :class:`CorpusProblems` lists; the rest are counted.
MAX_LISTED = 50


class CorpusProblems(CorpusError):
    """Every problem found in one run over a corpus (its files and metadata rows), so that a
    researcher fixes them in one sitting: the message is one ``file:line: problem. Fix: remedy``
    line per problem (the first :data:`MAX_LISTED`, then a line counting the rest). ``errors``
    holds them all; ``path``, ``line``, ``problem`` and ``remedy`` are the first one's."""

    def __init__(self, errors: list[CorpusError]):
        self.errors = list(errors)
        first = self.errors[0]
        self.path, self.line, self.problem, self.remedy = first.path, first.line, first.problem, first.remedy
        lines = [str(e) for e in self.errors[:MAX_LISTED]]
        rest = len(self.errors) - MAX_LISTED
        if rest > 0:
            lines.append(
                f"{first.path or '<input>'}: {rest} more problem{'s' if rest > 1 else ''} not listed. "
                "Fix: fix the ones above and run again to see them."
            )
        ValueError.__init__(self, "\n".join(lines))


class Problems:
    """Collects the problems of a corpus instead of stopping at the first.

    ``with problems.collect(): step()`` runs a step and records the :class:`CorpusError` it
    raises (all of them, for :class:`CorpusProblems`); :meth:`check` raises them together: the
    one error itself when there is one, :class:`CorpusProblems` when there are more."""

    def __init__(self) -> None:
        self.found: list[CorpusError] = []

    def add(self, error: CorpusError) -> None:
        self.found.extend(error.errors if isinstance(error, CorpusProblems) else [error])

    @contextmanager
    def collect(self):
        try:
            yield
        except CorpusError as err:
            self.add(err)

    def check(self) -> None:
        """Raise what was collected, if anything."""
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise CorpusProblems(self.found)
