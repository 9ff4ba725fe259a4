"""What the analysis remembers within a session, and how to forget it.

To answer a changed notebook parameter quickly, a few results are kept in memory for as long as
the Python process runs, each keyed on the exact input it was computed from, so a remembered
result is never a stale one:

* :mod:`analysis.text.tokens`: the Punkt sentence splitter trained on a corpus, the sentences it
  found in each turn, the Snowball stem of each word, the phrases learned from a corpus;
* :mod:`analysis.frames.codebook`: the project's codebook, and with each codebook the frame counts
  of each text (:mod:`analysis.frames.cues`);
* :mod:`analysis.measures.topics`: fitted topic models;
* :mod:`analysis.frames.trained`: the frame model fitted on the project's coding.

:func:`clear` forgets them all: for timing, or to free memory.
"""

from __future__ import annotations


def clear() -> None:
    """Forget every remembered result (the project's codebook is read again when next used)."""
    from ..frames import codebook, trained
    from ..measures import topics
    from ..text import tokens

    tokens._train_splitter.cache_clear()
    tokens._split_sentences.cache_clear()
    tokens._stem.cache_clear()
    tokens._learned_phrases.cache_clear()
    topics._FITTED.clear()
    trained._FITTED.clear()
    codebook._DEFAULT.clear()
