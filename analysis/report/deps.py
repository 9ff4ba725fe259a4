"""What each build step reads: the package modules a notebook or command imports, and the data
files those modules read. The Makefile and the generated notebook rules use it so that a change
reruns exactly the steps it can affect (editing the codebook reruns framing and exploration;
editing a plotting module never rebuilds the corpus).

Standard library only: Make calls ``python3 -m analysis.report.deps`` before the virtual
environment exists. Modules are named by their dotted path inside the package (``corpus.build``,
``frames``); files are project-relative paths.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from .. import config

PACKAGE = config.PACKAGE
ROOT = config.PROJECT_ROOT

#: Data files read by a module's functions by default (project-relative paths). A notebook whose
#: imports reach the module depends on them.
DATA_READ_BY = {
    "frames.codebook": ("data/coding/codebook.yml",),
    "coding.sheets": (
        "data/coding/frames_coded.csv",
        "data/coding/first_edition/paragraphs.csv",
        "data/coding/first_edition/frames_pass1.csv",
        "data/coding/first_edition/frames_pass2.csv",
    ),
    # the folder too: a reader's answers_<model>_<coder>.csv added to it reruns 03
    "coding.intrusion": (
        "data/coding/intrusion",
        "data/coding/intrusion/key_nmf.csv",
        "data/coding/intrusion/key_lda.csv",
    ),
}


def module_file(name: str, package: Path = PACKAGE) -> Path | None:
    """The file of a package module (``corpus.build`` -> analysis/corpus/build.py, ``corpus`` ->
    analysis/corpus/__init__.py), or None if there is none. ``package``: the package's folder (the
    project's by default; a made-up package in a test)."""
    base = package.joinpath(*name.split(".")) if name else package
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def imported_modules(source: str, module: str = "", package: Path = PACKAGE) -> set[str]:
    """The package modules that ``source`` (the code of ``module``, a dotted name inside the
    package; "" for code outside it, such as a notebook) imports: absolutely (``analysis.x.y``,
    ``from analysis import x``) or relatively (``from .x import``, ``from ..x import``,
    ``from . import x``), anywhere in it, inside functions too. A name imported from a package
    counts as a module when it is one. ``package`` as for :func:`module_file`."""
    own = module_file(module, package)
    is_package = own is not None and own.name == "__init__.py"
    here = module.split(".") if is_package and module else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.partition(".")[2] for a in node.names if a.name.startswith("analysis.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if (node.module or "").split(".")[0] != "analysis":
                    continue
                base = (node.module or "").partition(".")[2]
            else:
                anchor = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                base = ".".join([*anchor, *((node.module or "").split(".") if node.module else [])])
            found.add(base)
            found |= {f"{base}.{a.name}".strip(".") for a in node.names}
    return {m for m in found if m and module_file(m, package) is not None}


def module_closure(roots: Iterable[str]) -> list[str]:
    """The modules that importing ``roots`` runs: the roots, the packages that contain them, what
    they import from the package, and so on, with the package's own ``__init__`` (as "");
    sorted names."""
    seen, todo = set(), ["", *roots]
    while todo:
        name = todo.pop()
        if name in seen or module_file(name) is None:
            continue
        seen.add(name)
        parts = name.split(".")
        todo.extend(".".join(parts[:k]) for k in range(1, len(parts)))  # enclosing packages run first
        todo.extend(imported_modules(module_file(name).read_text(encoding="utf-8"), name))
    return sorted(seen)


def notebook_source(path: str | Path) -> str:
    """The code of a notebook's code cells, IPython magics and shell lines left out."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    lines = [
        line
        for c in cells
        if c["cell_type"] == "code"
        for line in "".join(c["source"]).splitlines()
        if not line.lstrip().startswith(("%", "!"))
    ]
    return "\n".join(lines)


def inputs_of(modules: Iterable[str]) -> list[str]:
    """Project-relative paths of the modules' files and the data files they read, sorted."""
    closure = module_closure(modules)
    files = {str(module_file(m).relative_to(ROOT)) for m in closure}
    files |= {f for m in closure for f in DATA_READ_BY.get(m, ())}
    return sorted(files)


def notebook_inputs(path: str | Path) -> list[str]:
    """What a notebook run reads besides its parameters and the corpus tables: the modules it
    imports (transitively) and their data files."""
    return inputs_of(imported_modules(notebook_source(path)))


def main(argv: list[str]) -> int:
    """``python -m analysis.report.deps MODULE ...`` prints the inputs of running those modules, or
    ``--notebook PATH`` those of a notebook, space-separated (for Make)."""
    if argv[:1] == ["--notebook"] and len(argv) == 2:
        print(" ".join(notebook_inputs(argv[1])))
    elif argv and not argv[0].startswith("-"):
        print(" ".join(inputs_of(argv)))
    else:
        print("usage: python -m analysis.report.deps MODULE [MODULE ...] | --notebook PATH", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
