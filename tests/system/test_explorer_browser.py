"""The explorer page (reports/explore.html) used as a student would use it, in a real browser.

Playwright for Python drives Debian's ``chromium`` (``.ci/run`` installs it; nothing is downloaded:
``playwright install`` is never run) with every request routed: a request for anything but a file
inside the page's own folder is refused and counted, and there must be none. Without chromium or
Playwright the tests are skipped locally and fail in CI (CI=true), as tests/system/test_browser.py does.

The page is built from the seed corpus into a temporary folder (about 20 seconds), so the tests do
not depend on a finished ``make report``.
"""

from __future__ import annotations

import os
import shutil

import pytest

from analysis import config
from analysis.corpus import write_corpus
from analysis.corpus.build import build_corpus
from analysis.corpus.settings import load_config
from analysis.report.explorer import build_explorer
from analysis.report.explorer_data import WINDOW
from analysis.text.concordance import concordance


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, headless, no sandbox (the tests run as root in CI)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _missing("chromium is not installed (.ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (make venv installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed corpus's explorer page, built into a fresh reports folder: (page path, turns)."""
    folder = tmp_path_factory.mktemp("explorer")
    processed, reports = folder / "processed", folder / "reports"
    write_corpus(build_corpus(config.SEED_CONFIG), processed)
    page = build_explorer(config.REPORT_FILE, reports, processed)
    from analysis.corpus import load_turns

    return page, load_turns(processed, with_metadata=True)


class Opened:
    """An opened page and the requests it made outside its folder (refused)."""

    def __init__(self, browser, path):
        self.outside: list[str] = []
        self.context = browser.new_context()
        inside = path.parent.resolve().as_uri() + "/"
        self.context.route("**/*", lambda route: self._route(route, inside))
        self.page = self.context.new_page()
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("document.body.dataset.ready === 'true'", timeout=30_000)

    def _route(self, route, inside: str):
        if route.request.url.startswith(inside):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def data(self, key: str) -> str | None:
        return self.page.evaluate(f"document.body.dataset.{key} || null")


@pytest.fixture
def opened(browser, built):
    page = Opened(browser, built[0])
    yield page
    page.context.close()


def choose_word(opened: Opened, word: str) -> None:
    """Type ``word`` into the search box and choose it from the list, as a student would."""
    opened.page.fill("#kw-search", word)
    opened.page.select_option("#kw-terms", word)
    opened.page.wait_for_function(f"document.body.dataset.kwWord === {word!r}")


#: The first word of each cell, lower case (in the browser).
FIRST_WORDS = "cells => cells.map(c => (c.textContent.trim().split(/\\s+/)[0] || '').toLowerCase())"


def right_words(opened: Opened, table: str = "table.kw-lines") -> list[str]:
    """The first word right of the match in each line of ``table`` (every audience's by default)."""
    return opened.page.eval_on_selector_all(f"{table} td.right", FIRST_WORDS)


def test_the_page_loads_and_asks_nothing_outside_its_folder(opened):
    assert opened.data("kwPoints") and int(opened.data("kwPoints")) > 50
    assert opened.page.locator("#keywords canvas").count() >= 1  # Bokeh drew the scatter
    n = len(load_config(config.SEED_CONFIG).audience_groups)
    assert opened.page.locator("#kw-comparison option").count() == n * (n - 1) // 2 + n  # pairs, each against the rest
    cut = opened.page.inner_text("#kw-cut")  # the page says where it cut
    assert cut.startswith("Showing the 300 words") and "tested (the page's cap)" in cut
    assert opened.outside == []


def test_a_chosen_word_shows_every_line_counted_by_the_concordance(opened, built):
    strongest = opened.page.eval_on_selector("#kw-terms", "s => s.options[0].value")  # the pair's strongest word
    for word in ("brother", strongest):
        choose_word(opened, word)
        expected = concordance(built[1], word, window=WINDOW, role="focal", stemmed=True)
        assert int(opened.data("kwCount")) == len(expected) > 0
        shown = opened.page.locator("#kw-count").inner_text()
        assert f"{len(expected):,} lines in {expected['doc_id'].nunique()} interviews" in shown
        a, b = opened.data("kwComparison").split("|")
        for group, lines in expected[expected["audience"].isin([a, b])].groupby("audience"):  # the pair's lines
            rows = opened.page.locator(f"table.kw-lines[data-audience='{group}'] tr").count() - 1
            assert rows == min(len(lines), 25)
    assert opened.outside == []


def test_sorting_by_the_word_to_the_right_reorders_the_lines(opened):
    choose_word(opened, "brother")
    before = right_words(opened)
    opened.page.click("#kw-sort-right")
    opened.page.wait_for_function("document.body.dataset.kwSort === 'right'")
    after = right_words(opened)
    assert sorted(before) == sorted(after) and before != after
    tables = opened.page.eval_on_selector_all("table.kw-lines", "ts => ts.map(t => t.dataset.audience)")
    for group in tables:  # each audience's lines in order of the word to the right
        words = right_words(opened, f"table.kw-lines[data-audience='{group}']")
        assert words == sorted(words)  # localeCompare agrees with sorted for these plain words


def test_switching_the_audience_pair_redraws_the_scatter(opened):
    title = "Bokeh.documents[0].get_model_by_name('kw_scatter').title.text"
    first = opened.page.evaluate(title)
    xs = "Array.from(Bokeh.documents[0].get_model_by_name('kw_points').data.x).slice(0, 20).join(',')"
    before = opened.page.evaluate(xs)
    opened.page.select_option("#kw-comparison", "turkish|")
    opened.page.wait_for_function("document.body.dataset.kwComparison === 'turkish|'")
    assert opened.page.evaluate(title) != first
    assert "Turkish" in opened.page.evaluate(title) and "all other audiences" in opened.page.evaluate(title)
    assert opened.page.evaluate(xs) != before


def test_tab_reaches_every_control(opened):
    controls = opened.page.eval_on_selector_all(
        "main select, main input, main button, select, input, button", "es => [...new Set(es.map(e => e.id))]"
    )
    reached = set()
    opened.page.focus("body")
    for _ in range(len(controls) * 3 + 20):
        opened.page.keyboard.press("Tab")
        reached.add(opened.page.evaluate("document.activeElement && document.activeElement.id"))
    assert set(controls) <= reached, set(controls) - reached


def test_the_relevance_slider_changes_the_order_of_a_topics_words(opened):
    if not opened.page.evaluate("JSON.parse(document.getElementById('explore-data').textContent).topics.length"):
        _missing("figures/ has no topic tables of 03_topics (make report writes them)")
    words = {}
    for step in (10, 6, 0):  # lambda 1 (probability), 0.6, 0 (lift)
        opened.page.fill("#tp-lambda", str(step))
        words[step] = opened.data("tpWords").split("|")
        assert len(words[step]) == 10
    assert words[10] != words[0] and words[10] != words[6]
    assert opened.page.locator("#tp-lambda-value").inner_text().strip() == "= 0.0"
    opened.page.select_option("#tp-topic", "1")
    assert opened.data("tpTopic").endswith(" 2") and opened.data("tpWords").split("|") != words[0]


def test_the_frames_tab_filters_coded_paragraphs_by_frame_audience_and_role(opened, built):
    from analysis.audiences.coded import paragraph_table
    from analysis.coding.sheets import coded_frames, load_coding
    from analysis.coding.units import coding_units
    from analysis.corpus import load_documents
    from analysis.frames.codebook import load_codebook

    cfg = load_config(config.SEED_CONFIG)
    ids = load_codebook(cfg.codebook).ids
    units = coding_units(built[1], raw_dir=cfg.texts)
    coding = load_coding(cfg.coding, ids)
    paragraphs = paragraph_table(
        units, coded_frames(coding, "final", ids), load_documents(built[0].parent.parent / "processed")
    )
    for frame, audience, role in (
        (ids[0], "", "focal"),
        (ids[1], "western", "focal"),
        (ids[0], "turkish", "interviewer"),
    ):
        opened.page.select_option("#fr-frame", frame)
        opened.page.select_option("#fr-audience", audience)
        opened.page.select_option("#fr-role", role)
        chosen = paragraphs[(paragraphs[frame] == 1) & (paragraphs["role"] == role)]
        chosen = chosen[chosen["audience"] == audience] if audience else chosen
        assert int(opened.data("frCount")) == len(chosen)
        shown = opened.page.locator("#fr-list figure").count()
        assert shown == int(opened.data("frShown")) and 0 < shown <= len(chosen)
    assert opened.page.locator("#fr-list mark").count() > 0  # cue words marked


def inspect_page(browser, path) -> dict:
    """Open the explorer page at ``path`` with every request routed, choose every word of the first
    comparison in turn (so that each word's lines are drawn) and every frame, and return what a
    reader would see: ``text`` (the page's visible text after each choice, joined), ``handlers``
    (elements with an event-handler attribute), ``dialogs`` (alerts a script opened) and
    ``outside`` (requests outside the folder)."""
    opened, dialogs = Opened(browser, path), []
    opened.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    texts = [opened.page.inner_text("body")]
    for word in opened.page.eval_on_selector_all("#kw-terms option", "os => os.map(o => o.value)")[:40]:
        opened.page.select_option("#kw-terms", word)
        texts.append(opened.page.inner_text("#keywords"))
    for frame in opened.page.eval_on_selector_all("#fr-frame option", "os => os.map(o => o.value)"):
        opened.page.select_option("#fr-frame", frame)
        texts.append(opened.page.inner_text("#frames"))
    handlers = opened.page.evaluate(
        "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')))"
        ".map(e => e.outerHTML.slice(0, 200))"
    )
    found = {"text": "\n".join(texts), "handlers": handlers, "dialogs": dialogs, "outside": list(opened.outside)}
    opened.context.close()
    return found


def test_a_hostile_corpus_shows_its_payloads_as_text_on_the_explorer_page(browser, tmp_path):
    from tests.hostile_corpus import PAYLOAD, write_hostile_corpus

    folder = tmp_path / "hostile"
    write_hostile_corpus(folder)
    write_corpus(build_corpus(folder / "corpus.yml"), folder / "processed")
    page = build_explorer(
        folder / "hostile.yml", folder / "reports", folder / "processed", folder / "figures", folder / "corpus.yml"
    )
    seen = inspect_page(browser, page)
    assert seen["handlers"] == [] and seen["dialogs"] == [] and seen["outside"] == []
    assert seen["text"].count(PAYLOAD) >= 10  # the corpus's name, the outlets of its lines, as text
    assert "</script><script>alert(2)</script>" not in page.read_text(encoding="utf-8")
