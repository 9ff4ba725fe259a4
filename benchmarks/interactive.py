"""How long a notebook takes to answer a changed parameter, the way a student works in JupyterLab.

For each notebook a kernel is started and the whole notebook run once with its defaults (the
kernel is then warm, as in a session). Then a parameter is changed and every cell from the
parameters cell down is run again: that wall time is the answer time. The change goes back and
forth between two values, several times; the first change and the median are reported. Figures
go to a scratch folder.

    python benchmarks/interactive.py --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from analysis import config

#: notebook -> (what is changed, the value it goes to, the value it comes back to)
CHANGES = [
    ("01_corpus", "processed_dir", "None", "None"),
    ("02_keyness", "group_a", '"russian"', '"turkish"'),
    ("03_topics", "n_topics", "10", '"auto"'),
    ("03_topics", "method", '"lda"', '"nmf"'),
    ("04_framing_2_audiences", "min_paragraphs", "3", "5"),
    ("05_explore", "query", '"ceasefire"', '"line of contact"'),
]


def answer_times(notebook: str, name: str, new: str, old: str, repeats: int, figures: Path) -> dict:
    nb = nbformat.read(config.PROJECT_ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    client = NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(config.PROJECT_ROOT / "notebooks")}})

    def run(cells, value=None):
        start = time.perf_counter()
        for i in cells:
            client.execute_cell(nb.cells[i], i)
            if i == first:
                override = f"figures_dir = {str(figures)!r}" + (f"\n{name} = {value}" if value else "")
                client.execute_cell(nbformat.v4.new_code_cell(override), i)
        return time.perf_counter() - start

    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    with client.setup_kernel():
        full = run(code)
        below = [i for i in code if i >= first]
        times = [run(below, new if k % 2 == 0 else old) for k in range(repeats)]
    return {
        "notebook": notebook,
        "parameter": name,
        "change": f"{name} = {new}",
        "full_run_seconds": full,
        "first_change_seconds": times[0],
        "seconds": statistics.median(times),
        "runs": times,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="changes per notebook (back and forth)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        results = [answer_times(*change, args.repeats, Path(tmp)) for change in CHANGES]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
