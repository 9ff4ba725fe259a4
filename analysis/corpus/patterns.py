"""A user's regular expression (``corpus.yml``: ``transcription_notes``, ``date_marker``,
``labels.pattern``, ``boilerplate``, ``compilation.header_pattern``) run with a time bound.

A pattern with nested quantifiers such as ``(a|aa)+$`` backtracks exponentially on a line that
almost matches, and Python's ``re`` has no way to stop it: the build would hang with no output.
These patterns run in the ``regex`` package, which accepts the same syntax, avoids much of that
backtracking (``(a+)+$`` is fast there) and takes a ``timeout=``; a pattern that still exceeds
:data:`PATTERN_SECONDS` on one text stops the build with the one-line error naming the key and
its line in the config.
"""

from __future__ import annotations

import regex

from ..errors import CorpusError

#: Seconds one pattern may take on one text (a line or a paragraph) before the build stops.
PATTERN_SECONDS = 1.0


class BoundedPattern:
    """A compiled pattern whose ``match``, ``fullmatch``, ``search`` and ``finditer`` stop after
    :data:`PATTERN_SECONDS` with :class:`CorpusError` at ``path`` and ``line`` naming ``key``.
    ``pattern`` and ``groupindex`` are the compiled pattern's."""

    def __init__(self, pattern: str, key: str, path, line: int | None, flags: int = 0):
        self.compiled = regex.compile(pattern, flags | regex.VERSION0)
        self.pattern, self.groupindex = pattern, self.compiled.groupindex
        self.key, self.path, self.line = key, path, line

    def _run(self, method: str, text: str):
        try:
            found = getattr(self.compiled, method)(text, timeout=PATTERN_SECONDS)
            return list(found) if method == "finditer" else found
        except TimeoutError:
            raise CorpusError(
                self.path,
                self.line,
                f"`{self.key}` took more than {PATTERN_SECONDS:g} s on a text of {len(text):,} characters "
                "(a quantifier inside a quantified group, such as (a|aa)+, backtracks without end)",
                "rewrite the pattern without nested quantifiers, e.g. a+ instead of (a|aa)+",
            ) from None

    def match(self, text: str):
        return self._run("match", text)

    def fullmatch(self, text: str):
        return self._run("fullmatch", text)

    def search(self, text: str):
        return self._run("search", text)

    def finditer(self, text: str) -> list:
        return self._run("finditer", text)
