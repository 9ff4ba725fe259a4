"""Property-based tests (hypothesis): the bring-your-own parser never fails in an unexpected way,
and what it accepts it accounts for completely; the same for any corpus.yml and metadata.csv; and
every CSV cell comes back as written, never as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import build_corpus
from analysis.corpus.normalise import count_words
from analysis.corpus.settings import CONFIG_KEYS
from analysis.errors import CorpusError
from analysis.io import _HARMLESS, read_csv, write_csv
from tests.conftest import write_corpus_folder

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


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_parses_or_raises_the_projects_error(text):
    try:
        corpus = build(text)
    except CorpusError as err:
        # The build checks that every word is accounted for; that check failing is a bug, not bad input.
        assert "word accounting failed" not in str(err)
        assert all(". Fix: " in line for line in str(err).split("\n"))  # one line per problem
        return
    assert (corpus.turns["role"] == "focal").any()
    assert corpus.turns["n_words"].sum() <= count_words(text)


@settings(deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_the_projects_error(data):
    try:
        build(data)
    except CorpusError as err:
        assert "word accounting failed" not in str(err) and "Fix: " in str(err)


# --- corpus.yml and metadata.csv: anything a researcher might write gives a corpus or one line ----

GOOD = "HOST: Question?\n\nJANE DOE: Answer.\n"
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=12))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
)
KEYS = st.sampled_from(sorted(CONFIG_KEYS) + ["focal_speeker", "label", "kind", "reader"])


def build_folder(config_keys: dict | None = None, metadata_text: str | None = None):
    """Build a corpus folder of one good transcript, the config with ``config_keys`` and the
    metadata (``metadata_text`` or one good row); returns the corpus, or the CorpusError raised."""
    folder = Path(tempfile.mkdtemp())
    try:
        cfg = write_corpus_folder(folder, {"a.txt": GOOD}, [ROW])
        # Written here, not through write_corpus_folder's keywords: a key may be named `texts`.
        cfg.write_text(yaml.safe_dump({**yaml.safe_load(cfg.read_text(encoding="utf-8")), **(config_keys or {})}))
        if metadata_text is not None:
            (folder / "metadata.csv").write_text(metadata_text, encoding="utf-8", errors="surrogatepass")
        return build_corpus(cfg)
    except CorpusError as err:
        return err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_corpus_or_one_line(result):
    if isinstance(result, CorpusError):
        message = str(result)
        assert all(". Fix: " in line for line in message.split("\n")) and "word accounting failed" not in message
    else:
        assert (result.turns["role"] == "focal").any()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=4))
def test_any_config_values_give_a_corpus_or_one_line(keys):
    assert_corpus_or_one_line(build_folder(keys))


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_config_text_gives_a_corpus_or_one_line(text):
    folder = Path(tempfile.mkdtemp())
    try:
        cfg = write_corpus_folder(folder, {"a.txt": GOOD}, [ROW])
        cfg.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            result = build_corpus(cfg)
        except CorpusError as err:
            result = err
        assert_corpus_or_one_line(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


COLUMNS = st.sampled_from(["doc_id", "file", "outlet", "audience", "date", "title", "kind", "translated", "dat", ""])
CELLS = st.one_of(
    st.sampled_from(["a", "a.txt", "./a.txt", "home", "abroad", "2020-11-06", "20201106", "true", "", "interview"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=10),
    st.sampled_from(['"', ",", ";", "\n", "\r\n", "'=1+1", "=cmd|' /C calc'!A0", "../a.txt", "/etc/passwd"]),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(COLUMNS, min_size=1, max_size=6), st.lists(st.lists(CELLS, max_size=7), max_size=3))
def test_any_metadata_table_gives_a_corpus_or_one_line(header, rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    assert_corpus_or_one_line(build_folder(metadata_text=buffer.getvalue()))


@settings(deadline=None)
@given(st.text(max_size=300))
def test_any_metadata_text_gives_a_corpus_or_one_line(text):
    assert_corpus_or_one_line(build_folder(metadata_text="doc_id,file,outlet,audience\n" + text))


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=15), min_size=1, max_size=5))
def test_csv_cells_come_back_as_written_and_never_as_a_formula(cells):
    folder = Path(tempfile.mkdtemp())
    try:
        write_csv(pd.DataFrame({"text": cells}), folder / "t.csv")
        written = pd.read_csv(folder / "t.csv", dtype=str, keep_default_na=False)["text"]
        assert read_csv(folder / "t.csv")["text"].tolist() == cells
        for cell in written:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or _HARMLESS.fullmatch(cell)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
