"""The report's pages in a real browser: the study page (index.html) and its appendix load, every
image loads, every link resolves, and the study page holds at phone, laptop and wide-screen widths
(screenshots kept in reports/screenshots/ among the test artefacts).

Needs reports/index.html (`make test` builds the report first) and Debian's `chromium`, which
`.ci/run` installs; without them the tests are skipped locally and fail in CI.

The shipped page carries no script. The test writes a copy of it with :data:`CHECK_SCRIPT` added
into a hidden file beside it (so that every relative link and image resolves as from the page
itself), opens the copy, reads what the script marked on <body> and removes the copy.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from analysis import config
from analysis.report.rules import load_runs

INDEX = config.REPORTS / "index.html"
APPENDIX = config.REPORTS / "appendix.html"
#: Phone, laptop and wide-screen widths (CSS pixels) at which the study page must hold.
WIDTHS = (390, 1280, 1920)
SCREENSHOTS = config.REPORTS / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--allow-file-access-from-files",
    "--virtual-time-budget=20000",
]

#: Added to a copy of the page: marks on <body> how many images loaded and which did not, and how
#: many relative links there are and which could not be fetched.
CHECK_SCRIPT = """
window.addEventListener("load", function () {
  var images = Array.from(document.images);
  var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  document.body.dataset.images = String(images.length);
  document.body.dataset.imagesBroken = broken.map(function (i) { return i.getAttribute("src"); }).join(" ");
  var links = Array.from(document.querySelectorAll("a[href]")).map(function (a) { return a.getAttribute("href"); })
    .filter(function (h) { return !h.startsWith("#") && !/^[a-z]+:/.test(h); });
  var bad = [];
  links.forEach(function (h) {
    var r = new XMLHttpRequest();
    try { r.open("GET", h, false); r.send(); if (!r.responseText) { bad.push(h); } } catch (e) { bad.push(h); }
  });
  document.body.dataset.links = String(links.length);
  document.body.dataset.linksBroken = bad.join(" ");
  document.body.dataset.overflow = String(document.documentElement.scrollWidth > window.innerWidth);
});
"""


@pytest.fixture(scope="module")
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    for missing, what in (
        (found is None, "chromium is not installed (.ci/run installs it)"),
        (not INDEX.is_file(), "reports/index.html is missing (make report builds it)"),
    ):
        if missing:
            if os.environ.get("CI"):
                pytest.fail(what)
            pytest.skip(what)
    return found


def run_chromium(chromium, *args):
    result = subprocess.run([chromium, *FLAGS, *args], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def checked_copy(page_path: Path) -> Path:
    """A hidden copy of ``page_path`` beside it with CHECK_SCRIPT added before </head> (the
    caller removes it)."""
    page = page_path.read_text(encoding="utf-8")
    assert page.count("</head>") == 1
    fd, name = tempfile.mkstemp(prefix=".index-check-", suffix=".html", dir=page_path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(page.replace("</head>", f"<script>{CHECK_SCRIPT}</script></head>"))
    return Path(name)


def checked(chromium, page_path: Path, width: int = 1280) -> dict:
    """What CHECK_SCRIPT marked on <body> of ``page_path`` opened at ``width`` pixels."""
    copy = checked_copy(page_path)
    try:
        dom = run_chromium(chromium, f"--window-size={width},2000", "--dump-dom", copy.as_uri())
    finally:
        copy.unlink(missing_ok=True)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r"<body[^>]*>", dom).group()))


def test_the_shipped_page_carries_no_script():
    if not INDEX.is_file():
        pytest.skip("reports/index.html is missing (make report builds it)")
    assert "<script" not in INDEX.read_text(encoding="utf-8").lower()


def test_appendix_loads_with_every_image_and_every_link(chromium):
    body = checked(chromium, APPENDIX)
    figures = APPENDIX.read_text(encoding="utf-8").count("<figure")
    assert figures >= 10 and int(body["images"]) == figures
    assert body["images-broken"] == ""
    assert int(body["links"]) > figures and body["links-broken"] == ""


@pytest.mark.parametrize("width", WIDTHS)
def test_study_page_holds_at_each_width_with_every_image_and_link(chromium, width):
    body = checked(chromium, INDEX, width)
    figures = INDEX.read_text(encoding="utf-8").count("<figure")
    assert figures >= 3 and int(body["images"]) == figures
    assert body["images-broken"] == "" and body["links-broken"] == ""
    assert int(body["links"]) > figures
    assert body["overflow"] == "false", f"the page scrolls sideways at {width} px"


def test_every_notebook_run_is_linked_and_rendered():
    if not APPENDIX.is_file():
        pytest.skip("reports/appendix.html is missing (make report builds it)")
    page = APPENDIX.read_text(encoding="utf-8")
    for run in load_runs():
        assert f'href="{run.name}.html"' in page, run.name
        assert (config.REPORTS / f"{run.name}.html").is_file()


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_study_page_are_kept(chromium, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    shot = SCREENSHOTS / f"index_{width}.png"
    shot.unlink(missing_ok=True)
    run_chromium(chromium, f"--screenshot={shot}", f"--window-size={width},2400", INDEX.as_uri())
    assert shot.is_file() and shot.stat().st_size > 20_000
