"""Hostile input: files crafted to exhaust memory, escape the corpus folder, run formulas in a
spreadsheet or put live HTML into the report get refused or neutralised."""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.corpus import build_corpus, load_config, load_documents, load_turns, write_corpus
from analysis.corpus.readers import READERS
from analysis.corpus.schemas import CODEBOOK_SCHEMA, CORPUS_SCHEMA, READER_NAMES
from analysis.errors import CorpusError
from analysis.frames.codebook import load_codebook
from analysis.io import csv_text, read_yaml
from analysis.notebook.display import Markdown, styled
from analysis.report.html import remote_references

from .hostile_corpus import DIAGRAM, FORMULA, HOSTILE_FIELDS, HOSTILE_RUNS, PAYLOAD, write_hostile_corpus
from .test_notebooks import QUICK_RUNS
from .test_own_corpus import make_report

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


def explorer_in_a_browser(page: Path) -> dict | None:
    """What a reader sees on the explorer page ``page`` (tests/test_explorer_browser.py's
    ``inspect_page``), or None without chromium or playwright (skipped locally, failed in CI)."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        assert not os.environ.get("CI"), "chromium and playwright are needed in CI"
        return None
    from .test_explorer_browser import inspect_page

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            return inspect_page(browser, page)
        finally:
            browser.close()


def live_elements(page: str) -> list[str]:
    parser = _LiveElements()
    parser.feed(page)
    return parser.found


def test_live_elements_are_found_in_raw_html():
    assert live_elements(f"<p>{PAYLOAD} TV</p>") == [PAYLOAD]
    assert live_elements(f"<p>{html.escape(PAYLOAD)} TV</p>") == []


@pytest.fixture(scope="module")
def hostile(seed, tmp_path_factory):
    """The seed corpus with HTML in every outlet, speaker and label, in the text of every turn and in
    the corpus's name (a fenced mermaid diagram too): its processed tables and config (audience
    groups cannot hold HTML: the schema refuses it, see test_bad_input)."""
    folder = tmp_path_factory.mktemp("hostile")
    turns = seed.turns.assign(
        text=seed.turns["text"] + f" {PAYLOAD}",
        speaker=PAYLOAD + seed.turns["speaker"],
        label=PAYLOAD + seed.turns["label"],
    )
    documents = seed.documents.assign(outlet=f"{PAYLOAD} " + seed.documents["outlet"])
    write_corpus(seed._replace(turns=turns, documents=documents), folder / "processed")
    groups = load_config(config.SEED_CONFIG).audience_groups
    cfg = {
        "name": f"{PAYLOAD} corpus{DIAGRAM}",
        "focal_speaker": "Ilham Aliyev",
        "audience_groups": groups,
        "metadata": "m.csv",
        "codebook": "codebook.yml",
        "coding": "frames_coded.csv",
    }  # the seed's frames and coding, copied in (a corpus's files stay in its folder)
    shutil.copy(config.CODEBOOK, folder / "codebook.yml")
    shutil.copy(config.FRAMES_CODED, folder / "frames_coded.csv")
    (folder / "corpus.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    for raw in config.DATA_RAW.glob("*.txt"):  # 04 locates the coded paragraphs in the corpus's transcripts
        (folder / raw.name).symlink_to(raw)
    return folder


NOTEBOOK_RUNS = [
    ("01_corpus.ipynb", {}),
    ("05_explore.ipynb", {"static_preview": True, "query": "peace", "n_topics": 3}),
    # The analysis notebooks with the quick parameters of tests/test_notebooks.py (minutes: slow).
    *[pytest.param(name, parameters, marks=pytest.mark.slow) for name, parameters in QUICK_RUNS[:3]],
]


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


@pytest.mark.parametrize("name, parameters", NOTEBOOK_RUNS)
def test_corpus_text_reaches_the_notebook_pages_escaped(name, parameters, hostile, tmp_path):
    import papermill

    from analysis.report.html import notebook_html
    from analysis.report.kernels import IPCKernelManager

    papermill.execute_notebook(
        str(config.NOTEBOOKS / name),
        str(tmp_path / name),
        cwd=str(config.NOTEBOOKS),
        parameters={
            **parameters,
            "processed_dir": str(hostile / "processed"),
            "figures_dir": str(tmp_path),
            "corpus_config": str(hostile / "corpus.yml"),
        },
        progress_bar=False,
        log_output=False,
        kernel_name="python3",
        kernel_manager_class=IPCKernelManager,
        execution_timeout=600,
    )
    page = notebook_html(tmp_path / name)
    assert html.escape(PAYLOAD) in page or html.escape(PAYLOAD, quote=False) in page  # the text is shown...
    assert live_elements(page) == []  # ...as text, never as an element
    assert "jp-Mermaid" not in page and remote_references(page) == []  # no diagram, nothing fetched


@pytest.mark.parametrize("path", sorted(config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_notebooks_display_through_the_escaping_helpers(path):
    """A notebook that styles a table with pandas' `.style` or shows IPython's own Markdown would put
    corpus text into its page as HTML: they use analysis.notebook.display.styled and Markdown instead."""
    code = "\n".join("".join(c["source"]) for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert not re.search(r"(?<!figures)\.style\b", code)
    assert not re.search(r"from IPython\.display import [^\n]*\bMarkdown\b", code)


# --- The whole report on a hostile corpus ----------------------------------------------------

#: What the project's own tree may gain or change while a corpus of one's own is reported on:
#: nothing but caches and the build's own state of that corpus (.build, analysis/report/owned.py).
UNTRACKED = {
    ".venv",
    ".git",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".ipynb_checkpoints",
    ".build",
}


def files_under(root: Path) -> dict[str, int]:
    """Every file under ``root`` (caches and the virtual environment left out): its modification
    time (ns), by path relative to ``root``."""
    found = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and not UNTRACKED.intersection(relative.parts):
            found[str(relative)] = path.stat().st_mtime_ns
    return found


def raw_formulas(path: Path) -> list[str]:
    """The cells of the CSV at ``path`` that open with one of the hostile corpus's formulas as
    written (a spreadsheet would run them)."""
    openings = (FORMULA, *(poison("") for poison in HOSTILE_FIELDS.values() if poison("")[:1] in "=+-@"))
    with open(path, encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row if cell.startswith(openings)]


@pytest.mark.slow
def test_a_hostile_corpus_is_reported_as_text_and_nothing_is_written_outside_its_outputs(tmp_path):
    folder = tmp_path / "hostile"
    write_hostile_corpus(folder)
    before, project = files_under(tmp_path), files_under(config.PROJECT_ROOT)

    ran, _ = make_report(folder, f"REPORT={folder / 'hostile.yml'}")

    assert ran == {run.get("name", run["notebook"]) for run in HOSTILE_RUNS}
    outputs = [folder / "processed", folder / "figures" / "hostile", folder / "reports"]
    written = {p for p, mtime in files_under(tmp_path).items() if before.get(p) != mtime}
    assert [p for p in written if not any((tmp_path / p).is_relative_to(o) for o in outputs)] == []
    assert files_under(config.PROJECT_ROOT) == project
    pages = sorted((folder / "reports" / "hostile").glob("*.html"))
    assert {p.stem for p in pages} == ran | {"index", "appendix", "quotes", "explore"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert live_elements(text) == [], page.name
        assert "<script>alert(2)" not in text, page.name
        assert "jp-Mermaid" not in text and remote_references(text) == [], page.name
    explorer = explorer_in_a_browser(folder / "reports" / "hostile" / "explore.html")
    if explorer is not None:  # chromium and playwright (tests/test_explorer_browser.py)
        assert explorer["handlers"] == explorer["dialogs"] == explorer["outside"] == []
        assert PAYLOAD in explorer["text"]
    figures = [tmp_path / p for p in written if p.endswith(".svg")]  # a browser runs what an SVG holds
    assert figures and [f.name for f in figures if live_elements(f.read_text(encoding="utf-8"))] == []
    index = (folder / "reports" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert html.escape(PAYLOAD, quote=False) in index  # the corpus's name, shown as text
    tables = [tmp_path / p for p in written if p.endswith(".csv")]
    assert [(t.name, raw_formulas(t)) for t in tables if raw_formulas(t)] == []
    assert "'" + FORMULA in (folder / "processed" / "documents.csv").read_text(encoding="utf-8").replace('""', '"')


#: Hostile input that is not valid: the edit of a file of the hostile corpus (file, text, new text)
#: and the refusal expected.
OUTSIDE = r"file '{}' of document 'harb2' is outside the corpus folder"
REFUSALS = {
    "a transcript outside the corpus folder": (
        ("metadata.csv", "harb2,harb2.txt", "harb2,../../outside.txt"),
        r"metadata\.csv:3: " + OUTSIDE.format(r"\.\./\.\./outside\.txt"),
    ),
    "a transcript named by an absolute path": (
        ("metadata.csv", "harb2,harb2.txt", "harb2,{outside}"),
        r"metadata\.csv:3: " + OUTSIDE.format(r"/\S*/outside\.txt"),
    ),
    "an audience group that climbs out of the figures folder": (
        ("corpus.yml", "- overseas", "- ../../ESCAPED"),
        r"corpus\.yml:\d+: `audience_groups\[1\]` '\.\./\.\./ESCAPED' is not a plain name",
    ),
    "a run name that climbs out of the reports folder": (
        ("hostile.yml", "name: 02_keyness_hostile", "name: ../../ESCAPED"),
        r"hostile\.yml:\d+: `runs\[1\]\.name` '\.\./\.\./ESCAPED' is not a plain file name",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", REFUSALS)
def test_hostile_input_that_is_not_valid_is_refused_in_one_line_and_nothing_escapes(case, tmp_path):
    folder = tmp_path / "hostile"
    write_hostile_corpus(folder)
    outside = tmp_path / "outside.txt"
    outside.write_text("SECRET first line\n", encoding="utf-8")
    (file, old, new), message = REFUSALS[case]
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new.format(outside=outside)), encoding="utf-8")
    project = files_under(config.PROJECT_ROOT)

    _, output = make_report(folder, f"REPORT={folder / 'hostile.yml'}", check=False)

    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors and re.search(message, errors[0]) and all("Fix: " in e for e in errors), output[-2000:]
    # The build lists every problem of a corpus in one run (issue 26): besides the refusal, only
    # the transcript that the changed metadata row no longer names may be listed.
    assert all("has no row in the metadata table" in e for e in errors[1:]), output[-2000:]
    assert "Traceback" not in output and "SECRET" not in output
    assert not list(tmp_path.rglob("ESCAPED*")) and not list(tmp_path.parent.glob("ESCAPED*"))
    assert not (folder / "figures").exists() and not (folder / "reports" / "hostile" / "index.html").exists()
    assert files_under(config.PROJECT_ROOT) == project
