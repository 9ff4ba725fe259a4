"""Property-based tests (hypothesis): the bring-your-own parser never fails in an unexpected way,
and what it accepts it accounts for completely."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import build_corpus
from analysis.errors import CorpusError
from analysis.text import count_words

from .conftest import write_corpus_folder

ROW = {"doc_id": "a", "file": "a.txt", "outlet": "Daily", "audience": "home"}

# Text that looks like a transcript often enough to parse: labels, colons, blank lines, odd
# characters, BOMs and Windows line endings among arbitrary unicode.
PIECES = st.sampled_from(
    [
        "JANE DOE:",
        "HOST:",
        "Jane Doe: ",
        ":",
        "\n",
        "\n\n",
        "\r\n",
        "\ufeff",
        " ",
        "\t",
        "words and more words",
        "\u2014",
        "\u00a0",
        "\x00",
        "\u201cquoted\u201d",
        "HOST",
        "\ud7ff",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)


def build(text: str | bytes):
    folder = Path(tempfile.mkdtemp())
    try:
        body = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
        cfg = write_corpus_folder(folder, {"a.txt": body}, [ROW])
        return build_corpus(cfg)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_parses_or_raises_the_projects_error(text):
    try:
        corpus = build(text)
    except CorpusError as err:
        # The build checks that every word is accounted for; that check failing is a bug, not bad input.
        assert "word accounting failed" not in str(err)
        assert "\n" not in str(err) and "Fix: " in str(err)
        return
    assert (corpus.turns["role"] == "focal").any()
    assert corpus.turns["n_words"].sum() <= count_words(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_the_projects_error(data):
    try:
        build(data)
    except CorpusError as err:
        assert "word accounting failed" not in str(err) and "Fix: " in str(err)
