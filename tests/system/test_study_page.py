"""The built study page and its PDF: every section, only computed numbers, and the PDF's pages, fonts
and abstract; without Chromium, one line.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis import config
from analysis.notebook.prose import numbers_in
from analysis.report.site import build_site
from tests.report.test_study import unmatched_numbers

INDEX = config.REPORTS / "index.html"


SECTIONS = ["abstract", "question", "corpus", "measurement", "results", "close-reading", "limitations", "reproduce"]


class _Prose(HTMLParser):
    """The text of the page's prose (<p> and <li> in <main>, outside quotes, tables, figures and
    code) and of each section, by id."""

    SKIP = {"blockquote", "table", "figure", "pre", "code"}

    def __init__(self):
        super().__init__()
        self.stack, self.paragraphs, self.sections, self.section = [], [], {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.section = dict(attrs).get("id")
            self.sections[self.section] = ""
        if tag in ("p", "li") and "main" in self.stack:
            self.paragraphs.append("")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.section and "main" in self.stack:
            self.sections[self.section] += data
        if "main" in self.stack and not self.SKIP & set(self.stack) and {"p", "li"} & set(self.stack):
            self.paragraphs[-1] += data


def prose(page: str) -> _Prose:
    parser = _Prose()
    parser.feed(page)
    return parser


def table_numbers(*folders: Path) -> set[float]:
    """Every number in every CSV and JSON file of ``folders`` (and as a percentage), as floats."""
    values = set()
    for folder in folders:
        for path in [*folder.glob("*.csv"), *folder.glob("*.json")]:
            text = path.read_text(encoding="utf-8", errors="replace")
            # As prose writes them (1,512) and cell by cell (a CSV's commas separate cells).
            for token in numbers_in(text) + numbers_in(text.replace(",", " ")):
                try:
                    values.add(float(token))
                except ValueError:
                    pass
    return values


def headings_in_order(page: str) -> None:
    """One h1, no heading level skipped on the way down, and the table of contents lists every
    section's h2, in the page's order (the PDF prints the same page, contents included)."""
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.DOTALL).group()
    listed = re.findall(r'<a href="#([\w-]+)">', toc)
    assert listed == re.findall(r'<section id="([\w-]+)">', page) == SECTIONS
    titles = [html.unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", page)]
    assert [html.unescape(t) for t in re.findall(r'<a href="#[\w-]+">(.*?)</a>', toc)] == titles


def check_page(page: str, figures: Path, reports: Path) -> _Prose:
    """Every section is there, in order and in the contents, every number of its prose is in a
    table of the run, and the measurement section says "language model" wherever the coding is
    described."""
    parsed = prose(page)
    assert list(parsed.sections) == SECTIONS
    headings_in_order(page)
    assert unmatched_numbers(parsed.paragraphs, table_numbers(figures, reports)) == []
    assert "independent human" not in page.lower() and "human ceiling" not in page.lower()
    return parsed


def test_the_seeds_study_page_has_every_section_and_only_computed_numbers():
    if not INDEX.is_file():
        if os.environ.get("CI"):
            pytest.fail("reports/index.html is missing (make report builds it)")
        pytest.skip("reports/index.html is missing (make report builds it)")
    parsed = check_page(INDEX.read_text(encoding="utf-8"), config.FIGURES, config.REPORTS)
    assert "language model" in parsed.sections["measurement"]
    assert "language model" in parsed.sections["abstract"] and "language model" in parsed.sections["limitations"]
    assert parsed.sections["close-reading"].count("paragraph") >= 3


def test_a_report_without_runs_explains_each_section_it_cannot_fill(tmp_path):
    figures, reports = tmp_path / "figures", tmp_path / "reports"
    figures.mkdir()
    index, _ = build_site(reports=reports, figures=figures)
    page = index.read_text(encoding="utf-8")
    parsed = check_page(page, figures, reports)
    assert page.count('class="missing"') >= 5
    assert (reports / "appendix.html").is_file() and 'href="appendix.html"' in page
    assert json.loads((reports / "manifest.json").read_text())["git_commit"] in page or "not recorded" in page
    assert "Cite as:" in page and parsed.sections["reproduce"].count("make") >= 2


PDF = config.REPORTS / "study.pdf"


def _needs(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None] + ([] if PDF.is_file() else ["reports/study.pdf"])
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing: {', '.join(missing)} (.ci/run installs poppler-utils; make report prints the PDF)")
        pytest.skip(f"missing: {', '.join(missing)}")


def test_the_pdf_has_pages_embedded_fonts_and_the_abstract():
    _needs("pdfinfo", "pdffonts", "pdftotext")
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages >= 3
    fonts = subprocess.run(["pdffonts", str(PDF)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    text = " ".join(
        subprocess.run(["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    abstract = " ".join(prose(INDEX.read_text(encoding="utf-8")).sections["abstract"].split()).removeprefix("Abstract ")
    assert abstract[:300] in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The contents print too, and every quote with its paragraph id.
    assert "Contents" in text[:2000]
    quoted = re.findall(r'<blockquote id="q-([^"]+)"', INDEX.read_text(encoding="utf-8"))
    assert quoted and all(para_id in text for para_id in quoted)


def test_without_chromium_the_pdf_stops_with_one_line_and_exit_2_and_no_pdf_is_left(tmp_path):
    """A researcher rerunning make report without Chromium gets one line with the remedy and a
    failing status, so make never records the PDF as built; a PDF of an earlier page is removed."""
    page, out = tmp_path / "index.html", tmp_path / "study.pdf"
    page.write_text("<p>study</p>", encoding="utf-8")
    out.write_bytes(b"%PDF- an earlier page")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = subprocess.run(
        [str(Path(os.sys.executable)), "-m", "analysis.report.study", "pdf", str(page), str(out)],
        capture_output=True, text=True, cwd=config.PROJECT_ROOT, env={**os.environ, "PATH": str(empty)},
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"make report: {out}: not written")
    assert "Fix: install it" in lines[0] and "make report PDF=no" in lines[0]
    assert not out.exists()


def test_make_report_pdf_no_skips_the_pdf_without_recording_it_as_built(tmp_path):
    """PDF=no: the Makefile's PDF recipe, run on its own in a scratch folder (so nothing of the
    project's build is remade), removes a PDF of an earlier page, says so and leaves the target
    unbuilt, so the next make report tries again."""
    block = re.search(r"^define build_pdf\n.*?^endef\n", (config.PROJECT_ROOT / "Makefile").read_text(),
                      re.MULTILINE | re.DOTALL).group()  # fmt: skip
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "study.pdf").write_bytes(b"%PDF- an earlier page")
    (tmp_path / "Makefile").write_text(
        f"OUT_REPORTS := reports\nBIN := {Path(os.sys.executable).parent}\n{block}\nstamp:\n\t$(call build_pdf)\n"
    )
    result = subprocess.run(["make", "-s", "stamp", "PDF=no"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "== not printing reports/study.pdf (PDF=no): the study is reports/index.html"
    assert not (tmp_path / "reports" / "study.pdf").exists() and not (tmp_path / "stamp").exists()
