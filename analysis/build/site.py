"""The report's front page and provenance: ``reports/index.html`` and ``reports/manifest.json``.

``make report`` runs each notebook of ``report.yml`` with its figures going to a staging folder;
:func:`publish_run` moves them into ``figures/`` only when the notebook succeeded and records
which files the run made (``reports/outputs/<run>.json``). :func:`build_site` then writes one page
that shows every figure with its caption and parameters and links to every executed notebook,
and a manifest with the git commit, package versions, parameters, input checksums and timings.
"""

from __future__ import annotations

import html
import json
import os
import platform
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat

from .. import config
from ..corpus.checksums import sha256
from ..io import write_text
from .rules import REPORT_FILE, load_runs, notebook_parameters

#: Packages whose versions the manifest records.
PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "nltk",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "jupyterlab",
    "pyyaml",
    "ipywidgets",
)


def publish_run(name: str, stage: Path, figures: Path = config.FIGURES, reports: Path = config.REPORTS) -> list[str]:
    """Move the files a successful run wrote into ``stage`` to ``figures`` (replacing older
    versions) and record them in ``reports/outputs/<name>.json``; files the run's previous
    success wrote and this one did not are removed, so no stale figure outlives a changed
    notebook. Returns the file names."""
    figures.mkdir(parents=True, exist_ok=True)
    files = sorted(p.name for p in stage.iterdir() if p.is_file()) if stage.is_dir() else []
    record = reports / "outputs" / f"{name}.json"
    before = json.loads(record.read_text(encoding="utf-8"))["files"] if record.is_file() else []
    for file in files:
        os.replace(stage / file, figures / file)
    write_text(json.dumps({"run": name, "files": files}, indent=1) + "\n", record)
    for stale in sorted(set(before) - set(files)):
        (figures / stale).unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)
    return files


def _notebook_title(path: Path) -> str:
    """The first heading of a notebook's first markdown cell, without the '#'."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _duration(executed: Path) -> float | None:
    if not executed.is_file():
        return None
    nb = nbformat.read(executed, as_version=4)
    return nb.metadata.get("papermill", {}).get("duration")


def _figure_block(name: str, figures: Path, href_figures: str) -> str:
    about = json.loads((figures / f"{name}.json").read_text(encoding="utf-8"))
    title, caption = html.escape(about.get("title") or name), html.escape(about.get("caption") or "")
    links = [
        f'<a href="{href_figures}/{html.escape(name)}.{fmt}">{fmt.upper()}</a>' for fmt in about.get("formats", [])
    ]
    if (figures / f"{name}.csv").is_file():
        links.append(f'<a href="{href_figures}/{html.escape(name)}.csv">data (CSV)</a>')
    return (
        f'<figure id="{html.escape(name)}"><a href="{href_figures}/{html.escape(name)}.png">'
        f'<img src="{href_figures}/{html.escape(name)}.png" alt="{title}"></a>'
        f'<figcaption><strong>{title}</strong> {caption} <span class="links">{" · ".join(links)}</span>'
        "</figcaption></figure>"
    )


#: Run in the page: marks on <body> how many images loaded and which did not, and with "?check"
#: in the address, which relative links could not be fetched (for the browser test).
CHECK_SCRIPT = """
window.addEventListener("load", function () {
  var images = Array.from(document.images);
  var broken = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  document.body.dataset.images = String(images.length);
  document.body.dataset.imagesBroken = broken.map(function (i) { return i.getAttribute("src"); }).join(" ");
  if (location.search !== "?check") { return; }
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

STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .92em; color: #444; } .links { white-space: nowrap; }
.params { font: .85em ui-monospace, monospace; background: #f6f6f6; padding: .4em .6em; border-radius: 4px; }
nav li { margin: .2em 0; } .tables { font-size: .9em; }
"""


def build_site(
    report_file: Path = REPORT_FILE, reports: Path = config.REPORTS, figures: Path = config.FIGURES
) -> tuple[Path, Path]:
    """Write ``reports/index.html`` and ``reports/manifest.json`` for the runs of ``report_file``.

    Every figure a run published appears with its title, caption and links to PNG, SVG and its
    data; every run links to its executed notebook (HTML and ipynb) and lists the parameters it
    ran with. Text from notebooks and captions is HTML-escaped. Returns the two config."""
    runs = load_runs(report_file)
    href_figures = os.path.relpath(figures, reports).replace(os.sep, "/")
    sections, toc, manifest_runs = [], [], []
    for run in runs:
        outputs_file = reports / "outputs" / f"{run.name}.json"
        files = json.loads(outputs_file.read_text(encoding="utf-8"))["files"] if outputs_file.is_file() else []
        parameters = {**notebook_parameters(run.notebook), **run.parameters}
        shown = {k: v for k, v in parameters.items() if not k.endswith("_dir") and k != "corpus_config"}
        title = _notebook_title(run.notebook)
        anchor = html.escape(run.name)
        toc.append(f'<li><a href="#{anchor}">{html.escape(title)}</a> <small>({anchor})</small></li>')
        blocks = [
            _figure_block(f[:-5], figures, href_figures)
            for f in files
            if f.endswith(".json") and (figures / f).is_file()
        ]
        tables = [f for f in files if f.endswith(".csv") and f"{f[:-4]}.json" not in files]
        table_links = "".join(
            f'<li><a href="{href_figures}/{html.escape(t)}">{html.escape(t)}</a></li>' for t in tables
        )
        sections.append(
            f'<section id="{anchor}"><h2>{html.escape(title)} <small>({anchor})</small></h2>'
            f'<p>Executed notebook: <a href="{anchor}.html">{anchor}.html</a> · <a href="{anchor}.ipynb">ipynb</a></p>'
            + (
                f'<p class="params">{html.escape(json.dumps(shown, ensure_ascii=False))}</p>'
                if shown
                else "<p>Run with the notebook's default parameters.</p>"
            )
            + "".join(blocks)
            + (f'<div class="tables">Tables: <ul>{table_links}</ul></div>' if tables else "")
            + "</section>"
        )
        manifest_runs.append(
            {
                "name": run.name,
                "notebook": str(run.notebook.relative_to(config.PROJECT_ROOT)),
                "parameters": parameters,
                "seconds": _duration(reports / f"{run.name}.ipynb"),
                "outputs": files,
            }
        )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>How Ilham Aliyev framed the 2020 Karabakh war for each audience</title>"
        f"<style>{STYLE}</style><script>{CHECK_SCRIPT}</script></head><body>"
        "<h1>How Ilham Aliyev framed the 2020 Karabakh war for each audience</h1>"
        "<p>Every figure of the study with its caption and the parameters that made it. Each section links to "
        "the executed notebook that tells the story and shows the tables behind the figures. "
        "Provenance (commit, package versions, input checksums, timings): "
        '<a href="manifest.json">manifest.json</a>.</p>'
        f"<nav><ol>{''.join(toc)}</ol></nav>{''.join(sections)}</body></html>\n"
    )
    index = reports / "index.html"
    write_text(page, index)
    manifest = reports / "manifest.json"
    write_text(json.dumps(_manifest(manifest_runs), indent=1, ensure_ascii=False) + "\n", manifest)
    return index, manifest


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _manifest(runs: list[dict]) -> dict:
    inputs = sorted(
        [
            *config.DATA_RAW.iterdir(),
            *config.DATA_CODING.rglob("*"),
            *config.NOTEBOOKS.glob("*.ipynb"),
            REPORT_FILE,
            *sorted(config.PACKAGE.rglob("*.py")),
        ]
    )
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {
        "git_commit": _git("rev-parse", "HEAD") or None,
        "git_uncommitted_changes": bool(_git("status", "--porcelain")),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": packages,
        "runs": runs,
        "inputs": {str(p.relative_to(config.PROJECT_ROOT)): sha256(p) for p in inputs if p.is_file()},
    }
