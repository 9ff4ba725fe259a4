"""Text normalisation and word counting shared by every stage of the pipeline.

The raw texts stay as they are; these functions make comparable copies.
"""

from __future__ import annotations

import re
import unicodedata

# Typographic characters that occur in transcripts, mapped to their plain forms.
_CHARS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": " - ",
    "\u2014": " - ",
    "\u2015": " - ",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2026": "...",
    "\u200b": "",
    "\ufeff": "",
}
# Replacing only where such a character occurs is several times faster than str.translate.
_SPECIAL = re.compile("[" + "".join(_CHARS) + "]")
_SPACES = re.compile(r"[ \t]{2,}|\t")

#: A word: letters or digits, optionally joined by an apostrophe or hyphen ("don't", "F-16").
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019\-\u2010\u2011][^\W_]+)*")


def normalize_text(text: str) -> str:
    """Return ``text`` with typographic quotes, dashes, ellipses and odd spaces made plain.

    Unicode is composed (NFC), curly quotes become straight, en and em dashes become a spaced
    hyphen (so that "lands--all" written with an em dash is two words), other dashes a hyphen,
    the ellipsis character three dots, no-break and narrow spaces ordinary spaces, and
    runs of spaces collapse to one. Line breaks are kept.
    """
    return _SPACES.sub(" ", plain_characters(text))


def plain_characters(text: str) -> str:
    """``text`` composed (NFC) with typographic characters made plain, as in
    :func:`normalize_text`, but spaces left as they are."""
    return _SPECIAL.sub(_plain, unicodedata.normalize("NFC", text))


def _plain(match: re.Match) -> str:
    return _CHARS[match.group()]


def count_words(text: str) -> int:
    """Number of words in ``text`` (see :data:`WORD_RE`); punctuation and dashes are not words."""
    return len(WORD_RE.findall(text))


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower-cased, after :func:`normalize_text`."""
    return [w.lower() for w in WORD_RE.findall(normalize_text(text))]
