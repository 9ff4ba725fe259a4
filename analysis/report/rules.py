"""The report definition: every notebook run of ``make report`` with its parameters.

``report.yml`` at the project root lists the runs::

    runs:
      - notebook: 02_keyness                  # notebooks/02_keyness.ipynb
        name: 02_keyness_turkish_vs_western   # the executed copy: reports/<name>.ipynb and .html
        parameters: {group_a: turkish, group_b: western}

``name`` defaults to the notebook's name; parameters must be names set in the notebook's cell
tagged ``parameters``. The file is read as every YAML file is (:func:`analysis.io.read_yaml`: no
aliases) and checked against :data:`REPORT_SCHEMA` (types, unknown and missing keys, with the line
at fault); names the report itself uses (:data:`RESERVED`) are refused. A corpus of one's own
without a ``report.yml`` gets :func:`default_definition`: every notebook, with that corpus's
audience groups. :func:`write_make_rules` turns the list into Make rules
(``reports/runs.mk``) and one parameter file per run (``reports/params/<name>.yml``), rewritten
only when its content changes, so that Make reruns exactly the runs whose notebook, parameters,
corpus or code changed.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import NamedTuple

import nbformat
import yaml

from .. import config
from ..corpus.names import safe_name
from ..corpus.schemas import check
from ..errors import CorpusError
from ..io import read_yaml, write_text
from .deps import imported_modules, inputs_of, module_closure, notebook_inputs, notebook_source
from .owned import stamp_name

REPORT_FILE = config.REPORT_FILE
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: Run names the report uses for itself: ``index`` and ``manifest`` are its page and provenance,
#: ``runs``, ``params``, ``outputs`` its rules and folders.
RESERVED = frozenset({"index", "manifest", "runs", "params", "outputs"})

#: Hard caps on what the offline explorer page (``reports/explore.html``,
#: :mod:`analysis.report.explorer`) embeds, by default; a report definition may set any of them
#: under ``explore:``. ``max_terms``: words on the keyword scatter (the strongest in any
#: comparison); ``lines_per_term``: concordance lines per word and audience; ``passages_per_topic``:
#: typical passages per topic; ``paragraphs_per_frame``: coded paragraphs per frame, audience and
#: role. The page says where it cut; the defaults keep it under 5 MB on the seed corpus and
#: under 25 MB on 1.5 million words (``make bench``).
EXPLORE_CAPS = {"max_terms": 300, "lines_per_term": 25, "passages_per_topic": 5, "paragraphs_per_frame": 60}

#: The report definition's schema (JSON Schema): a mapping with a non-empty list ``runs``, each run
#: a mapping with a string ``notebook``, an optional plain ``name`` and a mapping ``parameters``;
#: optionally ``explore``, the explorer page's caps (:data:`EXPLORE_CAPS`), each a whole number >= 1.
REPORT_SCHEMA = {
    "type": "object",
    "required": ["runs"],
    "additionalProperties": False,
    "examples": ["runs: [{notebook: 01_corpus}]"],
    "properties": {
        "explore": {
            "type": "object",
            "additionalProperties": False,
            "description": "caps on what the offline explorer page embeds",
            "examples": ["explore: {max_terms: 300, lines_per_term: 25}"],
            "properties": {
                key: {"type": "integer", "minimum": 1, "examples": [f"{key}: {value}"]}
                for key, value in EXPLORE_CAPS.items()
            },
        },
        "runs": {
            "type": "array",
            "minItems": 1,
            "examples": ["runs: [{notebook: 01_corpus}]"],
            "items": {
                "type": "object",
                "required": ["notebook"],
                "additionalProperties": False,
                "examples": ["{notebook: 02_keyness, name: 02_keyness_north_vs_south, parameters: {group_a: north}}"],
                "properties": {
                    "notebook": {"type": "string", "minLength": 1, "examples": ["notebook: 02_keyness"]},
                    "name": {
                        "type": "string",
                        "pattern": f"^{_NAME.pattern}$",
                        "description": "a plain file name (letters, digits, '_', '-' and '.'; first a letter or digit)",
                        "examples": ["name: 02_keyness_north_vs_south"],
                    },
                    "parameters": {"type": ["object", "null"], "examples": ["parameters: {group_a: north}"]},
                },
            },
        },
    },
}


class Run(NamedTuple):
    """One notebook run: ``name`` of the executed copy, ``notebook`` path, ``parameters``."""

    name: str
    notebook: Path
    parameters: dict


def notebook_parameters(path: Path) -> dict:
    """Names and default values set in the cell tagged ``parameters`` of a notebook."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    values = {}
    for node in ast.parse(cells[0].source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def load_runs(
    path: str | Path = REPORT_FILE, notebooks: str | Path = config.NOTEBOOKS, corpus_folder: Path | None = None
) -> list[Run]:
    """Read and check the report definition ``path`` (YAML with a list under ``runs``), the
    notebooks named relative to the folder ``notebooks``; ``corpus_folder``: the folder of a
    corpus of one's own, inside which every path parameter must stay (:func:`_inside_corpus`).
    Returns the runs in the order given; raises :class:`CorpusError` naming the run at fault."""
    path = Path(path)
    return check_runs(_read_run_entries(path), path, notebooks, corpus_folder)


def check_runs(
    entries: list, path: Path, notebooks: str | Path = config.NOTEBOOKS, corpus_folder: Path | None = None
) -> list[Run]:
    """The runs of the definition ``entries`` (the list under ``runs``; ``path`` names it in
    messages), each checked: keys, notebook, name and parameters (path parameters inside
    ``corpus_folder`` when one is given)."""
    notebooks = Path(notebooks)
    runs, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        where = f"run {i}"
        _check_run_keys(path, where, entry)
        notebook = _run_notebook(path, where, entry, notebooks)
        name = _run_name(path, where, entry, notebook, seen)
        seen.add(name)
        parameters = _run_parameters(path, where, entry, notebook)
        if corpus_folder is not None:
            parameters = {k: _inside_corpus(path, where, k, v, Path(corpus_folder)) for k, v in parameters.items()}
        runs.append(Run(name, notebook, parameters))
    return runs


#: How a notebook parameter that names a file or folder ends (``codebook_path``, ``coding_dir``).
PATH_SUFFIXES = ("_dir", "_path", "_config", "_file")


def _inside_corpus(path: Path, where: str, key: str, value, folder: Path):
    """A path parameter (:data:`PATH_SUFFIXES`) of a corpus's report definition, resolved against
    the corpus folder ``folder`` (absolute, as the notebooks run in notebooks/): refused when it
    leads outside the folder, or, for a file, when it is not a regular file. Other parameters
    are returned as they are."""
    if not key.endswith(PATH_SUFFIXES) or value is None:
        return value
    root = folder.resolve()
    target = (root / str(value)).resolve()
    if not target.is_relative_to(root):
        raise CorpusError(
            path,
            None,
            f"{where}: parameter {key}: {value} leads outside the corpus folder {folder}",
            f"name a file or folder inside {folder}, relative to it",
        )
    if not key.endswith("_dir") and not target.is_file():
        raise CorpusError(
            path, None, f"{where}: parameter {key}: {value} is not a regular file", "name a file of the corpus folder"
        )
    if key.endswith("_dir") and target.exists() and not target.is_dir():
        raise CorpusError(path, None, f"{where}: parameter {key}: {value} is not a folder", "name a folder")
    return str(target)


def _read_run_entries(path: Path) -> list:
    """The list under ``runs`` in the YAML file ``path`` (read by :func:`analysis.io.read_yaml`:
    no aliases), checked against :data:`REPORT_SCHEMA` (the entries' notebooks, names and
    parameters not yet)."""
    return check(read_yaml(path, "report definition"), REPORT_SCHEMA)["runs"]


def explore_caps(path: str | Path | None) -> dict:
    """The explorer page's caps for the report definition ``path``: :data:`EXPLORE_CAPS` updated by
    its ``explore:`` mapping (checked against :data:`REPORT_SCHEMA`; None: the defaults)."""
    if path is None:
        return dict(EXPLORE_CAPS)
    return {**EXPLORE_CAPS, **(check(read_yaml(Path(path), "report definition"), REPORT_SCHEMA).get("explore") or {})}


def _check_run_keys(path: Path, where: str, entry) -> None:
    """A run is a mapping with ``notebook`` and optionally ``name`` and ``parameters``, nothing else."""
    if not isinstance(entry, dict) or "notebook" not in entry:
        raise CorpusError(path, None, f"{where} has no notebook", "give each run 'notebook: NN_name'")
    unknown_keys = set(entry) - {"notebook", "name", "parameters"}
    if unknown_keys:
        raise CorpusError(
            path, None, f"{where} has unknown keys {sorted(unknown_keys)}", "use only notebook, name and parameters"
        )


def _run_notebook(path: Path, where: str, entry: dict, notebooks: Path) -> Path:
    """The path of the run's notebook, ``notebooks/<notebook>.ipynb`` (with or without the
    suffix in the definition), which must exist."""
    notebook = notebooks / f"{Path(str(entry['notebook'])).stem}.ipynb"
    if not notebook.is_file():
        raise CorpusError(
            path,
            None,
            f"{where}: no notebook {notebook.name} in {notebooks}",
            "name a notebook of the notebooks folder, without .ipynb",
        )
    return notebook


def _run_name(path: Path, where: str, entry: dict, notebook: Path, seen: set[str]) -> str:
    """The run's name (default: the notebook's stem): a plain file name not in ``seen``."""
    name = str(entry.get("name") or notebook.stem)
    if name.lower() in RESERVED:
        raise CorpusError(
            path,
            None,
            f"{where}: the name {name!r} is reserved (the report's own {sorted(RESERVED)})",
            f"name the run differently, e.g. '{notebook.stem}_{name}'",
        )
    if not _NAME.fullmatch(name):
        raise CorpusError(
            path,
            None,
            f"{where}: name {name!r} is not a plain file name",
            "use letters, digits, '_', '-' and '.' only",
        )
    if name in seen:
        raise CorpusError(
            path,
            None,
            f"{where}: the name {name!r} is used twice",
            "give each run of the same notebook its own name",
        )
    return name


def _run_parameters(path: Path, where: str, entry: dict, notebook: Path) -> dict:
    """The run's parameters (default: none), each a name set in the notebook's parameters cell."""
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise CorpusError(
            path, None, f"{where}: parameters are not a mapping", "write parameters as {name: value, ...}"
        )
    allowed = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(allowed))
    if unknown:
        raise CorpusError(
            path,
            None,
            f"{where}: {notebook.name} has no parameter {unknown}",
            f"use the names of its parameters cell: {sorted(allowed)}",
        )
    return dict(parameters)


def default_definition(groups: list[str]) -> dict:
    """The report definition of a corpus without a ``report.yml`` of its own: every notebook, with
    the audience ``groups`` of the corpus: the corpus overview, keywords for every pair of groups,
    topics by both methods, framing in its three notebooks (the measure; the audiences by paragraphs,
    shares by words being a column of its robustness table; the frame model), the exploration
    notebook's static views and the coding notebook's static preview, which writes into a scratch
    folder (run as a sitting it wrote ``DIR/coding/``, an input of the corpus, so every later
    ``make report`` rebuilt the corpus). The other parameters are the notebooks'
    defaults, which come from the corpus."""
    pairs = [(a, b) for i, a in enumerate(groups) for b in groups[i + 1 :]]
    runs = [{"notebook": "01_corpus"}]
    runs += [
        {
            "notebook": "02_keyness",
            "name": f"02_keyness_{safe_name(a)}_vs_{safe_name(b)}",
            "parameters": {"group_a": a, "group_b": b},
        }
        for a, b in pairs
    ]
    runs += [{"notebook": "03_topics", "name": f"03_topics_{m}", "parameters": {"method": m}} for m in ("nmf", "lda")]
    runs += [
        {"notebook": "04_framing_1_measure"},
        {"notebook": "04_framing_2_audiences"},
        {"notebook": "04_framing_3_model"},
        {"notebook": "05_explore", "parameters": {"static_preview": True}},
        {"notebook": "06_code", "parameters": {"static_preview": True}},  # codes in a scratch folder
    ]
    known = {p.stem for p in config.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    runs += [{"notebook": stem} for stem in sorted(known - {r["notebook"] for r in runs})]
    return {"runs": runs}


def default_runs(corpus_config: str | Path, notebooks: str | Path = config.NOTEBOOKS) -> list[Run]:
    """The runs of :func:`default_definition` for the corpus configured by ``corpus_config``."""
    from ..corpus.settings import load_config

    cfg = load_config(corpus_config)
    return check_runs(default_definition(cfg.audience_groups)["runs"], Path(corpus_config), notebooks)


def _corpus_reads(run: Run, corpus_config: Path | None) -> list[str]:
    """What a run reads besides its notebook, parameters and tables: the modules it imports and
    their data files (analysis.report.deps). For a corpus of one's own the seed's coding files are
    replaced by the corpus's codebook and coding (from its corpus.yml) for the runs that read them."""
    return _own_coding(notebook_inputs(run.notebook), imported_modules(notebook_source(run.notebook)), corpus_config)


def _own_coding(reads: list[str], modules, corpus_config: Path | None) -> list[str]:
    """``reads`` (what code importing ``modules`` reads) for the corpus of ``corpus_config``: the
    seed's coding files replaced by the corpus's own codebook and coding when the code reads them
    (None: the seed study, ``reads`` as they are)."""
    if corpus_config is None:
        return reads
    from ..corpus.settings import load_config

    reads = [r for r in reads if not r.startswith("data/")]
    if {"frames.codebook", "coding.sheets"} & set(module_closure(modules)):
        cfg = load_config(corpus_config)
        reads += [_input_stamp(p, cfg.path.parent) for p in (cfg.codebook, cfg.coding) if p is not None and p.is_file()]
    return reads


def _input_stamp(path: Path, folder: Path) -> str:
    """How Make names the corpus file ``path`` (inside ``folder``, checked by
    :func:`analysis.corpus.settings.load_config`): by the stamp the build keeps of its content
    (:mod:`analysis.report.owned`), never by its name, which Make would read as syntax."""
    return f"$(INPUTS)/{stamp_name(Path(path).relative_to(folder).as_posix())}"


def write_make_rules(
    runs: list[Run],
    out_dir: str | Path = config.REPORTS,
    rules_file: str = "runs.mk",
    report_file: str = "report.yml",
    target_dir: str = "reports",
    corpus_config: Path | None = None,
) -> Path:
    """Write ``<out_dir>/<rules_file>`` and ``<out_dir>/params/<name>.yml`` for ``runs``; returns
    the path of the rules. A parameter file is rewritten only if its content changed.
    ``report_file`` is the definition the index page depends on; ``target_dir`` is how the rules
    name ``out_dir`` (relative to the project); ``corpus_config`` the corpus of one's own, whose
    codebook and coding files the framing runs then depend on (None: the seed corpus)."""
    out_dir = Path(out_dir)
    lines = [
        "# Made from the report definition by `python -m analysis runs`; edit that, not this file.",
        f"RUNS := {' '.join(r.name for r in runs)}",
        "",
    ]
    reads_data = set()
    for run in runs:
        params = out_dir / "params" / f"{run.name}.yml"
        text = yaml.safe_dump(run.parameters, sort_keys=True, allow_unicode=True) if run.parameters else "{}\n"
        if not params.is_file() or params.read_text(encoding="utf-8") != text:
            write_text(text, params)
        notebook = (
            run.notebook.relative_to(config.PROJECT_ROOT)
            if run.notebook.is_relative_to(config.PROJECT_ROOT)
            else run.notebook
        )
        # Exactly what the run reads: its notebook, parameters, the corpus tables, the modules it
        # imports and the data files they read (analysis.report.deps), so that editing the codebook
        # reruns framing and exploration, and editing a plot function reruns only its notebooks.
        reads = _corpus_reads(run, corpus_config)
        reads_data |= {r for r in reads if not r.startswith("analysis/")}
        lines += [
            f"{target_dir}/ran/{run.name}.ipynb: {notebook} {target_dir}/params/{run.name}.yml $(TABLES) "
            f"{' '.join(reads)} | $(STAMP)",
            f"\t$(call run_notebook,{notebook},{run.name})",
            "",
        ]
    html_files = " ".join(f"{target_dir}/ran/{r.name}.html" for r in runs)
    # The manifest checksums every input (raw data, coding, notebooks, package and the page's
    # template), so it follows them all.
    coding = "$(CODING_FILES)" if corpus_config is None else " ".join(sorted(reads_data))
    lines += [
        f"RUN_HTML := {html_files}",
        "",
        f"{target_dir}/ran/index: $(RUN_HTML) {report_file} $(RAW) {coding} "
        "$(NOTEBOOKS) $(SRC) $(TEMPLATES) | $(STAMP)",
        "\t$(call build_site)",
        "",
        # The study page printed to PDF (analysis.report.study.write_pdf) whenever the page changes.
        f"{target_dir}/ran/study.pdf: {target_dir}/ran/index | $(STAMP)",
        "\t$(call build_pdf)",
        "",
        *_explorer_rule(runs, target_dir, report_file, corpus_config),
        f"report-locked: {target_dir}/ran/index {target_dir}/ran/study.pdf {target_dir}/ran/explore",
    ]
    target = out_dir / rules_file
    write_text("\n".join(lines) + "\n", target)
    _forget_removed_runs(runs, out_dir / "outputs")
    return target


#: The notebooks whose published tables or parameters the explorer page reads (keywords, topics, frames:
#: ``framing_by_audience.csv`` is 04_framing_2_audiences's).
EXPLORER_READS = ("02_keyness", "03_topics", "04_framing_2_audiences")
#: The explorer page's template and glue script (package data).
EXPLORER_FILES = ("analysis/report/templates/explore.html.j2", "analysis/report/templates/explore.js")


def _explorer_rule(runs: list[Run], target_dir: str, report_file: str, corpus_config: Path | None) -> list[str]:
    """The rule of the offline explorer page (:mod:`analysis.report.explorer`): rebuilt when a run
    it reads (:data:`EXPLORER_READS`) reran, or the report definition, the corpus tables, the
    modules it imports, the data files they read, its template or glue script changed, and not
    otherwise."""
    stamps = [f"{target_dir}/ran/{r.name}.ipynb" for r in runs if r.notebook.stem in EXPLORER_READS]
    reads = _own_coding(inputs_of(["report.explorer"]), ["report.explorer"], corpus_config)
    return [
        f"{target_dir}/ran/explore: {' '.join(stamps)} {report_file} $(TABLES) {' '.join([*reads, *EXPLORER_FILES])} "
        "| $(STAMP)",
        "\t$(call build_explorer)",
        "",
    ]


def _forget_removed_runs(runs: list[Run], records: Path) -> None:
    """Remove the published-files records (``outputs/<name>.json``) of runs no longer in the
    definition, so that a run renamed or dropped does not hold on to its output names."""
    names = {r.name for r in runs}
    for record in sorted(records.glob("*.json")) if records.is_dir() else []:
        if record.stem not in names:
            record.unlink()


def describe(runs: list[Run]) -> str:
    """One line per run: name, notebook and parameters."""
    return "\n".join(f"{r.name}: {r.notebook.name} {json.dumps(r.parameters, sort_keys=True)}" for r in runs)
