"""The report definition: every notebook run of ``make report`` with its parameters.

``report.yml`` at the project root lists the runs::

    runs:
      - notebook: 02_keyness                  # notebooks/02_keyness.ipynb
        name: 02_keyness_turkish_vs_western   # the executed copy: reports/<name>.ipynb and .html
        parameters: {group_a: turkish, group_b: western}

``name`` defaults to the notebook's name; parameters must be names set in the notebook's cell
tagged ``parameters``. :func:`write_make_rules` turns the list into Make rules
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
from ..errors import CorpusError
from ..io import write_text
from .deps import notebook_inputs

REPORT_FILE = config.REPORT_FILE
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


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


def load_runs(path: str | Path = REPORT_FILE, notebooks: str | Path = config.NOTEBOOKS) -> list[Run]:
    """Read and check the report definition ``path`` (YAML with a list under ``runs``), the
    notebooks named relative to the folder ``notebooks``. Returns the runs in the order given;
    raises :class:`CorpusError` naming the run at fault."""
    path, notebooks = Path(path), Path(notebooks)
    runs, seen = [], set()
    for i, entry in enumerate(_read_run_entries(path), start=1):
        where = f"run {i}"
        _check_run_keys(path, where, entry)
        notebook = _run_notebook(path, where, entry, notebooks)
        name = _run_name(path, where, entry, notebook, seen)
        seen.add(name)
        runs.append(Run(name, notebook, _run_parameters(path, where, entry, notebook)))
    return runs


def _read_run_entries(path: Path) -> list:
    """The non-empty list under ``runs`` in the YAML file ``path`` (entries not yet checked)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CorpusError(
            path, None, f"cannot read the report definition ({err})", "write it as YAML with a list under 'runs'"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list) or not data["runs"]:
        raise CorpusError(path, None, "no list of runs", "put the runs in a list under the key 'runs'")
    return data["runs"]


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


def write_make_rules(
    runs: list[Run], out_dir: str | Path = config.REPORTS, rules_file: str = "runs.mk", report_file: str = "report.yml"
) -> Path:
    """Write ``<out_dir>/<rules_file>`` and ``<out_dir>/params/<name>.yml`` for ``runs``; returns
    the path of the rules. A parameter file is rewritten only if its content changed.
    ``report_file`` is the definition the index page depends on."""
    out_dir = Path(out_dir)
    lines = [
        "# Made from report.yml by `python -m analysis runs`; edit report.yml, not this file.",
        f"RUNS := {' '.join(r.name for r in runs)}",
        "",
    ]
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
        # imports and the data files they read (analysis.build.deps), so that editing the codebook
        # reruns framing and exploration, and editing a plot function reruns only its notebooks.
        reads = " ".join(notebook_inputs(run.notebook))
        lines += [
            f"reports/{run.name}.ipynb: {notebook} reports/params/{run.name}.yml $(CORPUS) {reads} | $(STAMP)",
            f"\t$(call run_notebook,{notebook},{run.name})",
            "",
        ]
    html_files = " ".join(f"reports/{r.name}.html" for r in runs)
    # The manifest checksums every input (raw data, coding, notebooks, package and the page's
    # template), so it follows them all.
    lines += [
        f"RUN_HTML := {html_files}",
        "",
        f"reports/index.html reports/manifest.json &: $(RUN_HTML) {report_file} $(RAW) $(CODING_FILES) "
        "$(NOTEBOOKS) $(SRC) $(TEMPLATES) | $(STAMP)",
        "\t$(call build_site)",
        "",
        "report: reports/index.html",
    ]
    target = out_dir / rules_file
    write_text("\n".join(lines) + "\n", target)
    return target


def describe(runs: list[Run]) -> str:
    """One line per run: name, notebook and parameters."""
    return "\n".join(f"{r.name}: {r.notebook.name} {json.dumps(r.parameters, sort_keys=True)}" for r in runs)
