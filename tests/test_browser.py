"""The report's front page in a real browser: it loads, every image loads, every link resolves.

Needs reports/index.html (`make test` builds the report first) and Debian's `chromium`, which
`.ci/run` installs; without them the tests are skipped locally and fail in CI.
"""

import os
import re
import shutil
import subprocess

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


def test_page_loads_with_every_image_and_every_link(chromium):
    dom = run_chromium(chromium, "--dump-dom", INDEX.as_uri() + "?check")
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
