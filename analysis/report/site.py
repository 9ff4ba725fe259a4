"""The report's front page and provenance: ``reports/index.html`` and ``reports/manifest.json``.

``make report`` runs each notebook of ``report.yml`` with its figures going to a staging folder;
:func:`publish_run` moves them into ``figures/`` only when the notebook succeeded and records
which files the run made (``reports/outputs/<run>.json``). :func:`build_site` then writes one page
that shows every figure with its caption and parameters and links to every executed notebook,
and a manifest with the git commit, package versions, parameters, input checksums and timings.

The page is rendered from the Jinja2 template ``templates/index.html.j2`` (package data) with
autoescaping on, so no caption, title, parameter or run name can inject markup. It carries no
script: the browser test (tests/system/test_browser.py) adds its own checking script to a copy.
"""

from __future__ import annotations

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
from ..errors import CorpusError
from ..io import write_text
from .owned import input_files, plain
from .pages import FigureEntry, RunPage, page_templates
from .rules import REPORT_FILE, Run, default_runs, load_runs, notebook_parameters

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
    "jinja2",
)


def publish_run(name: str, stage: Path, figures: Path = config.FIGURES, reports: Path = config.REPORTS) -> list[str]:
    """Move the files a successful run wrote into ``stage`` to ``figures`` (replacing older
    versions) and record them in ``reports/outputs/<name>.json`` (``reports``: the build's own
    state, for a corpus of one's own the project's ``.build`` folder, :mod:`analysis.report.owned`);
    files the run's previous success wrote and this one did not are removed, so no stale figure
    outlives a changed notebook. Only plain names directly in ``figures`` are ever removed, so a
    record naming ``../x`` deletes nothing. Returns the file names."""
    figures.mkdir(parents=True, exist_ok=True)
    files = sorted(p.name for p in stage.iterdir() if p.is_file()) if stage.is_dir() else []
    record = reports / "outputs" / f"{name}.json"
    _check_no_clash(name, files, reports / "outputs")
    before = json.loads(record.read_text(encoding="utf-8"))["files"] if record.is_file() else []
    for file in files:
        os.replace(stage / file, figures / file)
    write_text(json.dumps({"run": name, "files": files}, indent=1) + "\n", record)
    for stale in sorted(set(before) - set(files)):
        if isinstance(stale, str) and plain(stale):
            (figures / stale).unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)
    return files


def _check_no_clash(name: str, files: list[str], records: Path) -> None:
    """Refuse to publish a file that another run of the same report publishes: two runs whose
    output names are the same (two keyness runs differing only in a parameter the name does not
    carry) would overwrite each other's results, and which one the page shows would depend on
    which finished last. Records of runs no longer in the definition are removed when its rules
    are written (:func:`analysis.report.rules.write_make_rules`)."""
    for other in sorted(records.glob("*.json")) if records.is_dir() else []:
        if other.stem == name:
            continue
        shared = sorted(set(files) & set(json.loads(other.read_text(encoding="utf-8")).get("files", [])))
        if shared:
            raise CorpusError(
                records.parent / "params" / f"{name}.yml",
                None,
                f"run {name} writes {shared[0]}, which run {other.stem} writes too: one would overwrite the other",
                "give the two runs parameters that change their output names, or put them in two report definitions",
            )


#: The page's template, in ``analysis/report/templates/`` (package data, see pyproject.toml).
TEMPLATE = "index.html.j2"


def build_site(
    report_file: Path | None = REPORT_FILE,
    reports: Path = config.REPORTS,
    figures: Path = config.FIGURES,
    corpus_config: Path | None = None,
    state: Path | None = None,
) -> tuple[Path, Path]:
    """Write ``reports/index.html`` (the study page, :mod:`analysis.report.study`), its appendix
    ``reports/appendix.html`` and ``reports/manifest.json`` for the runs of ``report_file``.

    In the appendix every figure a run published appears with its title, caption and links to PNG, SVG and its
    data; every run links to its executed notebook (HTML and ipynb) and lists the parameters it
    ran with. Text from notebooks, captions and parameters is HTML-escaped (the template
    autoescapes). For a corpus of one's own (``corpus_config``) the page is titled after that
    corpus, ``report_file`` None means its default definition, and the manifest checksums that
    corpus's inputs instead of the seed's. ``state`` holds the records of the published files
    (default: ``reports``). Returns the paths of the study page and the manifest."""
    from .study import APPENDIX, build_study

    folder = Path(corpus_config).parent if corpus_config is not None else None
    runs = load_runs(report_file, corpus_folder=folder) if report_file is not None else default_runs(corpus_config)
    pages = [collect_run(run, reports, figures, state) for run in runs]
    title = corpus_title(corpus_config)
    href = os.path.relpath(figures, reports).replace(os.sep, "/")
    write_text(render_index(pages, href, title, measure_note(corpus_config)), reports / APPENDIX)
    inputs = _seed_inputs(report_file) if corpus_config is None else _corpus_inputs(corpus_config, report_file)
    manifest = write_manifest(pages, reports / "manifest.json", inputs)
    return build_study(pages, reports, figures, title, corpus_config), manifest


def measure_note(corpus_config: Path | None = None) -> str:
    """The page's sentence on what the frames rest on: for the seed study (``corpus_config``
    None), that its coding by reading was made by separate sessions of a language model working
    from the codebook, not by people, and whether a person's coding (06_code's
    ``coding_<coder>.csv`` in data/coding) checks it; empty for a corpus of one's own, whose
    documentation says who coded it."""
    if corpus_config is not None:
        return ""
    from ..coding.reliability import coder_files

    people = coder_files(config.DATA_CODING)
    check = (
        f"04_framing_1_measure compares it with the coding of {len(people)} person(s) found in data/coding."
        if people
        else "No person's coding validates it yet; 04_framing_1_measure says what that would take."
    )
    return (
        "The frames of the 04_framing notebooks are a model-based coding: every paragraph was coded by reading by "
        "separate sessions of a language model working from the codebook, and the second coding that measures "
        "reliability by another such session without the first coding (data/coding/README.md). " + check
    )


def corpus_title(corpus_config: Path | None = None) -> str:
    """The report's title: the corpus's ``title:``, else what its focal speaker said to each
    audience (``corpus_config`` None: the seed study's)."""
    from ..corpus.settings import load_config

    cfg = load_config(corpus_config or config.SEED_CONFIG)
    if cfg.title:
        return cfg.title
    return f"{cfg.name}: what {cfg.focal_speaker} said to each audience ({', '.join(cfg.audience_groups)})"


def collect_runs(report_file: Path, reports: Path, figures: Path) -> list[RunPage]:
    """One :class:`RunPage` per run of ``report_file``, in its order, from the files each run
    published (``reports/outputs/<run>.json``; none if it has not run) and its notebook."""
    return [collect_run(run, reports, figures) for run in load_runs(report_file)]


def collect_run(run: Run, reports: Path, figures: Path, state: Path | None = None) -> RunPage:
    """What the page and the manifest say about ``run``: see :class:`RunPage` (the records of
    published files in ``state``, default ``reports``)."""
    outputs_file = (reports if state is None else state) / "outputs" / f"{run.name}.json"
    files = json.loads(outputs_file.read_text(encoding="utf-8"))["files"] if outputs_file.is_file() else []
    parameters = {**notebook_parameters(run.notebook), **run.parameters}
    return RunPage(
        name=run.name,
        notebook=run.notebook,
        title=_notebook_title(run.notebook),
        parameters=parameters,
        shown_parameters={k: v for k, v in parameters.items() if not k.endswith("_dir") and k != "corpus_config"},
        figures=[_figure_entry(f[:-5], figures) for f in files if f.endswith(".json") and (figures / f).is_file()],
        tables=[f for f in files if f.endswith(".csv") and f"{f[:-4]}.json" not in files],
        outputs=files,
        seconds=_duration(reports / f"{run.name}.ipynb"),
    )


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
    """Seconds papermill took to run the executed notebook ``executed``; None if it is missing."""
    if not executed.is_file():
        return None
    nb = nbformat.read(executed, as_version=4)
    return nb.metadata.get("papermill", {}).get("duration")


def _figure_entry(name: str, figures: Path) -> FigureEntry:
    """The figure ``name`` as its description ``figures/<name>.json`` gives it."""
    about = json.loads((figures / f"{name}.json").read_text(encoding="utf-8"))
    return FigureEntry(
        name=name,
        title=about.get("title") or name,
        caption=about.get("caption") or "",
        formats=list(about.get("formats", [])),
        has_csv=(figures / f"{name}.csv").is_file(),
        alt=about.get("alt") or "",
    )


def render_index(pages: list[RunPage], href_figures: str, title: str = "Report", measure: str = "") -> str:
    """The page's HTML for ``pages`` under ``title``; ``href_figures`` is the figures folder
    relative to the page (``../figures`` in the project), with '/' separators; ``measure`` is a
    paragraph on what the frames rest on (:func:`measure_note`), left out when empty."""
    template = page_templates().get_template(TEMPLATE)
    return template.render(
        title=title, manifest="manifest.json", href_figures=href_figures, runs=pages, measure=measure
    )


def _seed_inputs(report_file: Path) -> dict[str, Path]:
    """The seed report's inputs by project-relative name: raw data, coding, notebooks, the report
    definition, the package and the page's template."""
    inputs = [
        *config.DATA_RAW.iterdir(),
        *config.DATA_CODING.rglob("*"),
        *config.NOTEBOOKS.glob("*.ipynb"),
        Path(report_file),
        *config.PACKAGE.rglob("*.py"),
        *config.PACKAGE.rglob("*.j2"),
    ]
    root = config.PROJECT_ROOT
    return {
        str(p.resolve().relative_to(root) if p.resolve().is_relative_to(root) else p): p
        for p in sorted(inputs)
        if p.is_file()
    }


def _corpus_inputs(corpus_config: Path, report_file: Path | None) -> dict[str, Path]:
    """A corpus of one's own's inputs: every file of its folder but the outputs (``processed``,
    ``figures``, ``reports``) and hidden files and folders such as ``.git``
    (:func:`analysis.report.owned.input_files`: what Make follows), by path relative to that
    folder, then the notebooks, the report
    definition, the package and the template by project-relative path."""
    folder = Path(corpus_config).resolve().parent
    own = input_files(folder)
    project = {
        f"project/{k}": v
        for k, v in _seed_inputs(report_file or corpus_config).items()
        if not k.startswith("data/") and v.resolve().parent != folder
    }
    return {**own, **project}


def write_manifest(pages: list[RunPage], path: Path, inputs: dict[str, Path] | None = None) -> Path:
    """Write the provenance of ``pages`` to ``path`` as JSON (see :func:`_manifest`): per run its
    name, notebook (relative to the project), parameters, seconds and outputs; ``inputs`` (name ->
    file; default the seed's) are checksummed. Returns ``path``."""
    runs = [
        {
            "name": page.name,
            "notebook": str(page.notebook.relative_to(config.PROJECT_ROOT)),
            "parameters": page.parameters,
            "seconds": page.seconds,
            "outputs": page.outputs,
        }
        for page in pages
    ]
    inputs = _seed_inputs(REPORT_FILE) if inputs is None else inputs
    write_text(json.dumps(_manifest(runs, inputs), indent=1, ensure_ascii=False) + "\n", path)
    return path


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=config.PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _manifest(runs: list[dict], inputs: dict[str, Path]) -> dict:
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
        "inputs": {name: sha256(p) for name, p in sorted(inputs.items())},
    }
