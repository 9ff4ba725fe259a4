"""The report's front page in a real browser: it loads, every image loads, every link resolves.

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
from analysis.build.rules import load_runs

INDEX = config.REPORTS / "index.html"
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


@pytest.fixture
def checked_copy():
    """A hidden copy of reports/index.html beside it with CHECK_SCRIPT added before </head>;
    removed after the test."""
    page = INDEX.read_text(encoding="utf-8")
    assert page.count("</head>") == 1
    fd, name = tempfile.mkstemp(prefix=".index-check-", suffix=".html", dir=INDEX.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(page.replace("</head>", f"<script>{CHECK_SCRIPT}</script></head>"))
    yield Path(name)
    Path(name).unlink(missing_ok=True)


def test_the_shipped_page_carries_no_script():
    if not INDEX.is_file():
        pytest.skip("reports/index.html is missing (make report builds it)")
    assert "<script" not in INDEX.read_text(encoding="utf-8").lower()


def test_page_loads_with_every_image_and_every_link(chromium, checked_copy):
    dom = run_chromium(chromium, "--dump-dom", checked_copy.as_uri())
    body = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', re.search(r"<body[^>]*>", dom).group()))
    figures = INDEX.read_text(encoding="utf-8").count("<figure")
    assert figures >= 10 and int(body["images"]) == figures
    assert body["images-broken"] == ""
    assert int(body["links"]) > figures and body["links-broken"] == ""


def test_every_notebook_run_is_linked_and_rendered():
    if not INDEX.is_file():
        pytest.skip("reports/index.html is missing (make report builds it)")
    page = INDEX.read_text(encoding="utf-8")
    for run in load_runs():
        assert f'href="{run.name}.html"' in page, run.name
        assert (config.REPORTS / f"{run.name}.html").is_file()


def test_screenshot_is_saved(chromium):
    shot = config.REPORTS / "index_screenshot.png"
    shot.unlink(missing_ok=True)
    run_chromium(chromium, f"--screenshot={shot}", "--window-size=1280,2400", INDEX.as_uri())
    assert shot.is_file() and shot.stat().st_size > 20_000
