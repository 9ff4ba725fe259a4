"""The package's folders follow the pipeline's stages, and imports only go down them.

Stages in order (CONTRIBUTING.md draws them): the base modules (``config``, ``errors``, ``io``),
``corpus``, ``text``, ``stats``, ``measures``, the frame wing (``frames`` and ``coding``), ``audiences``,
``figures``, ``notebook`` and ``report``, then the command line (``__main__``). A module may import
its own stage and the stages before it, never a later one, and no chain of imports, at module level
or inside a function, may lead back to where it started. The graph is read with the standard
library's ``ast`` as Make's dependency rules read it (:mod:`analysis.report.deps`), imports
inside functions included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.report.deps import imported_modules

PACKAGE = config.PROJECT_ROOT / "analysis"

#: The stages, first to last; a module's stage is the folder it sits in (or its own name at the top).
STAGES = (
    ("config", "errors", "io", ""),
    ("corpus",),
    ("text",),
    ("stats",),
    ("measures",),
    ("frames", "coding"),
    ("audiences",),
    ("figures",),
    ("notebook",),
    ("report",),
    ("__main__",),
)
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
#: The only modules allowed at the package's top, outside a stage folder.
TOP_LEVEL = {"__init__", "__main__", "config", "errors", "io"}


def module_name(path: Path, root: Path) -> str:
    """``analysis/frames/score.py`` -> ``frames.score``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Every module of the package at ``root`` with the package modules it imports, read as Make
    reads them (:func:`analysis.report.deps.imported_modules`). A package reached only on the way
    to one of its modules (``from analysis.figures import plots``) is left out: the edge is to the
    module."""
    graph = {}
    for path in (p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
        name = module_name(path, root)
        found = imported_modules(path.read_text(encoding="utf-8"), name, root) - {name}
        graph[name] = {m for m in found if not any(o.startswith(m + ".") for o in found)}
    return graph


def stage(module: str) -> int:
    return RANK.get(module.split(".")[0], -1)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a later stage by an earlier one, as 'a -> b'."""
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if stage(b) > stage(a))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan 1972), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_sits_in_a_stage_folder():
    outside = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("*.py") if p.stem not in TOP_LEVEL)
    assert outside == [], "move these into the folder of the stage they serve (CONTRIBUTING.md)"
    folders = {p.parent.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE}
    assert folders <= set(RANK), f"folders that are no stage: {sorted(folders - set(RANK))}"


def test_no_module_imports_a_later_stage():
    assert upward_imports(import_graph(PACKAGE)) == []


def test_the_package_has_no_import_cycle():
    assert cycles(import_graph(PACKAGE)) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "analysis"
    for name, source in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_the_checks_find_a_cycle_through_an_import_inside_a_function(tmp_path):
    root = _package(
        tmp_path,
        {
            "frames/__init__.py": "",
            "frames/codebook.py": "def f():\n    from .model import fit\n",
            "frames/model.py": "from ..coding.sheets import read\n",
            "coding/__init__.py": "",
            "coding/sheets.py": "from analysis.frames import codebook\n",
        },
    )
    assert cycles(import_graph(root)) == [["coding.sheets", "frames.codebook", "frames.model"]]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from ..report.site import build_site\n", ["text.tokens -> report.site"]),
        ("from analysis.figures import plots\n", ["text.tokens -> figures.plots"]),
        ("from ..corpus import settings\nfrom .. import config\n", []),
    ],
)
def test_the_checks_find_an_import_of_a_later_stage(tmp_path, source, expected):
    files = {f"{pkg}/__init__.py": "" for pkg in ("text", "report", "figures", "corpus")}
    files |= {"report/site.py": "", "figures/plots.py": "", "corpus/settings.py": "", "config.py": ""}
    root = _package(tmp_path, {**files, "text/tokens.py": source})
    assert upward_imports(import_graph(root)) == expected
