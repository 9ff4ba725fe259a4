"""Hostile input: files crafted to exhaust memory, escape the corpus folder, run formulas in a
spreadsheet or put live HTML into the report get refused or neutralised."""

from __future__ import annotations

import html
import os
import re
import threading
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest

from analysis import config
from analysis.corpus import build_corpus, load_documents, load_turns, write_corpus
from analysis.corpus.readers import READERS
from analysis.corpus.schemas import CODEBOOK_SCHEMA, CORPUS_SCHEMA, READER_NAMES
from analysis.errors import CorpusError
from analysis.frames.codebook import load_codebook
from analysis.io import csv_text, read_yaml
from analysis.notebook.display import Markdown, styled
from tests.hostile_corpus import DIAGRAM, PAYLOAD

GOOD = "HOST: Question?\n\nJANE DOE: Answer.\n"

# "Billion laughs": nine levels of nine aliases, 10^9 strings once expanded, in under 1 kB.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_yaml_alias_bomb_in_the_corpus_config_is_refused(byo):
    cfg = byo({"a.txt": GOOD})
    cfg.write_text(cfg.read_text(encoding="utf-8") + ALIAS_BOMB.replace("a:", "description:", 1), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"corpus\.yml:\d+: uses a YAML anchor or alias") as info:
        build_corpus(cfg)
    assert "Fix: write the value out in full" in str(info.value)


def test_yaml_alias_bomb_in_the_codebook_is_refused(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(ALIAS_BOMB + "frames: [{id: x, label: X, definition: d, cues: [a]}]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"codebook\.yml:1: uses a YAML anchor or alias"):
        load_codebook(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &x 1\nb: *x\n", r"x\.yml:1: uses a YAML anchor"),  # a single alias, too
        ("[" * 100_000, r"x\.yml(:\d+)?: (is nested too deeply|is not valid YAML)"),
        ("a: !!python/object/apply:os.system ['echo owned']\n", r"x\.yml:1: is not valid YAML"),  # no objects
    ],
)
def test_hostile_yaml_gets_one_line(tmp_path, text, message):
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        read_yaml(path)


def test_a_codebook_that_is_a_named_pipe_is_refused_at_once(tmp_path):
    """A FIFO called codebook.yml blocked 06_code for good (reading it waits for a writer that never
    comes); a device would be read for ever. Both are refused in one line, without waiting."""
    fifo = tmp_path / "codebook.yml"
    os.mkfifo(fifo)
    outcome = []

    def load():
        try:
            load_codebook(fifo)
        except CorpusError as err:
            outcome.append(str(err))

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=60)  # returns at once when refused; the limit only ends a test that would hang
    if reader.is_alive():  # release the reader: a writer opens the pipe and closes it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join()
    assert len(outcome) == 1 and re.fullmatch(
        r"\S*codebook\.yml: codebook is a named pipe \(FIFO\), not a file\. Fix: put the codebook there as a .*\.",
        outcome[0],
    ), outcome
    with pytest.raises(CorpusError, match=r"^/dev/null: codebook is a character device, not a file\. Fix: "):
        load_codebook("/dev/null")


def test_the_schemas_readers_are_the_corpus_readers():
    assert set(READER_NAMES) == {*READERS, "compilation"}
    assert CORPUS_SCHEMA["properties"]["readers"]["additionalProperties"]["enum"] == list(READER_NAMES)


@pytest.mark.parametrize("schema", [CORPUS_SCHEMA, CODEBOOK_SCHEMA])
def test_every_declared_key_says_what_it_is_and_shows_an_example(schema):
    for key, spec in schema["properties"].items():
        assert spec.get("description") and spec.get("examples"), key


# --- CSV for spreadsheets -------------------------------------------------------------------


def test_formula_like_corpus_text_is_written_with_an_apostrophe_and_read_back_as_written(byo, tmp_path):
    text = 'HOST: =HYPERLINK("http://evil.example","click")?\n\nJANE DOE: @SUM(A1:A9) and -1+2 and +cmd\n'
    cfg = byo({"a.txt": text}, [{"doc_id": "a", "file": "a.txt", "outlet": "=cmd|' /C calc'!A0", "audience": "home"}])
    corpus = build_corpus(cfg)
    write_corpus(corpus, tmp_path / "out")
    raw = {
        name: pd.read_csv(tmp_path / "out" / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("turns", "documents")
    }
    assert raw["turns"]["text"].tolist() == [
        '\'=HYPERLINK("http://evil.example","click")?',
        "'@SUM(A1:A9) and -1+2 and +cmd",
    ]
    assert raw["documents"]["outlet"].tolist() == ["'=cmd|' /C calc'!A0"]
    assert load_turns(tmp_path / "out")["text"].tolist() == corpus.turns["text"].tolist()
    assert load_documents(tmp_path / "out")["outlet"].tolist() == ["=cmd|' /C calc'!A0"]


def test_numbers_and_dash_marks_are_not_taken_for_formulas(tmp_path):
    table = pd.DataFrame({"label": ["-", "--", "HOST"], "value": ["-0.25", "+3", "-1e-05"], "x": [-1.5, 2.0, 0.0]})
    assert csv_text(table) == table.to_csv(index=False, lineterminator="\n")


def test_seed_tables_are_written_as_pandas_writes_them(seed):
    # No cell of the seed corpus looks like a formula, so neutralising changes none of its bytes.
    for table in seed:
        assert csv_text(table) == table.to_csv(index=False, lineterminator="\n")


# --- HTML of the executed notebooks ---------------------------------------------------------


class _LiveElements(HTMLParser):
    """The start tags of a page that carry an event handler (``onerror=``, ``onload=``, ...)."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if any(name.startswith("on") for name, _ in attrs):
            self.found.append(self.get_starttag_text())


def live_elements(page: str) -> list[str]:
    parser = _LiveElements()
    parser.feed(page)
    return parser.found


def test_live_elements_are_found_in_raw_html():
    assert live_elements(f"<p>{PAYLOAD} TV</p>") == [PAYLOAD]
    assert live_elements(f"<p>{html.escape(PAYLOAD)} TV</p>") == []


def test_styled_tables_and_markdown_show_html_as_text():
    table = pd.DataFrame({PAYLOAD: [PAYLOAD, 0.5]}, index=[PAYLOAD, "x"])
    assert live_elements(styled(table).format(precision=2).hide(axis="index").to_html()) == []
    assert PAYLOAD in table.iloc[:, 0].tolist()  # the table itself is left as it was
    shown = Markdown(f"**{PAYLOAD}** [click](javascript:alert(1)) & more")._repr_markdown_()
    assert "<img" not in shown and "[click]" not in shown and shown.startswith("**&lt;img")


def test_corpus_text_in_markdown_never_opens_a_code_block():
    """A fence (three backticks or tildes, at the start of a line, in a list item or a quote) in
    corpus text would make a code block, and a ``mermaid`` one a diagram that the page loads mermaid
    from a CDN to draw: the fence shows as text; a `code` span of the notebook's own still works."""
    from nbconvert.filters import markdown2html_mistune

    for text in (DIAGRAM, f"- {DIAGRAM.strip()}", "> ````mermaid\n> graph TD\n> ````", "`codebook:` in corpus.yml"):
        page = markdown2html_mistune(Markdown(f"**Corpus** {text}")._repr_markdown_())
        assert "<pre" not in page and 'mermaid"' not in page, page
        assert "```" in html.unescape(page) or "~~~" in html.unescape(page) or "<code>codebook:</code>" in page


@pytest.mark.parametrize("path", sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_notebooks_display_through_the_escaping_helpers(path):
    """A notebook that styles a table with pandas' `.style` or shows IPython's own Markdown would put
    corpus text into its page as HTML: they use analysis.notebook.display.styled and Markdown instead."""
    code = "\n".join("".join(c["source"]) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert not re.search(r"(?<!figures)\.style\b", code)
    assert not re.search(r"from IPython\.display import [^\n]*\bMarkdown\b", code)


# --- The whole report on a hostile corpus ----------------------------------------------------
