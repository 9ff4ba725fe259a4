"""What each build step reads: the package modules a notebook or command imports, and the data
files those modules read. The Makefile and the generated notebook rules use it so that a change
reruns exactly the steps it can affect (editing the codebook reruns framing and exploration;
editing a plotting module never rebuilds the corpus).

Standard library only: Make calls ``python3 -m analysis.deps`` before the virtual environment
exists.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent

#: Data files read by a module's functions by default (project-relative paths). A notebook whose
#: imports reach the module depends on them.
DATA_READ_BY = {
    "frames": ("data/coding/codebook.yml",),
    "coding": (
        "data/coding/frames_coded.csv",
        "data/coding/first_edition/paragraphs.csv",
        "data/coding/first_edition/frames_pass1.csv",
        "data/coding/first_edition/frames_pass2.csv",
    ),
}


def imported_modules(source: str) -> set[str]:
    """Names of the package's modules that ``source`` imports, absolutely (``analysis.x``,
    ``from analysis import x``) or relatively (``from .x import``, ``from . import x``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("analysis.")}
        elif isinstance(node, ast.ImportFrom):
            absolute = node.level == 0 and (node.module or "").split(".")[0] == "analysis"
            relative = node.level == 1
            if not (absolute or relative):
                continue
            parts = (node.module or "").split(".")
            inner = parts[1:] if absolute else [p for p in parts if p]
            if inner:
                found.add(inner[0])
            else:
                found |= {a.name for a in node.names}
    return {m for m in found if (PACKAGE / f"{m}.py").is_file()}


def module_closure(roots: Iterable[str]) -> list[str]:
    """The modules that importing ``roots`` runs: the roots, everything they import from the
    package, and so on, plus ``__init__``; sorted names."""
    seen, todo = {"__init__"}, list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(imported_modules((PACKAGE / f"{name}.py").read_text(encoding="utf-8")))
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
    modules = module_closure(modules)
    files = {f"analysis/{m}.py" for m in modules}
    files |= {f for m in modules for f in DATA_READ_BY.get(m, ())}
    return sorted(files)


def notebook_inputs(path: str | Path) -> list[str]:
    """What a notebook run reads besides its parameters and the corpus tables: the modules it
    imports (transitively) and their data files."""
    return inputs_of(imported_modules(notebook_source(path)))


def main(argv: list[str]) -> int:
    """``python -m analysis.deps MODULE ...`` prints the inputs of running those modules, or
    ``--notebook PATH`` those of a notebook, space-separated (for Make)."""
    if argv[:1] == ["--notebook"] and len(argv) == 2:
        print(" ".join(notebook_inputs(argv[1])))
    elif argv and not argv[0].startswith("-"):
        print(" ".join(inputs_of(argv)))
    else:
        print("usage: python -m analysis.deps MODULE [MODULE ...] | --notebook PATH", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
