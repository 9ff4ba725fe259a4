"""The project's folders, derived from the package's own location.

Notebooks, tests and the command line import these instead of writing relative paths, so that
they work from any working directory.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
FIGURES = PROJECT_ROOT / "figures"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"

#: The configuration of the seed corpus (the Karabakh-war interviews).
SEED_CONFIG = DATA_RAW / "corpus.yml"
