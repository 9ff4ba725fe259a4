"""The project's folders, derived from the package's own location.

Notebooks, tests and the command line import these instead of writing relative paths, so that
they work from any working directory.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE.parent
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
FIGURES = PROJECT_ROOT / "figures"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"
DATA_CODING = PROJECT_ROOT / "data" / "coding"

#: The frame codebook, the coding by reading, and the report definition of the seed study.
CODEBOOK = DATA_CODING / "codebook.yml"
FRAMES_CODED = DATA_CODING / "frames_coded.csv"
#: Word- and topic-intrusion tasks of the seed study's topic models, their keys and answers.
INTRUSION = DATA_CODING / "intrusion"
REPORT_FILE = PROJECT_ROOT / "report.yml"

#: The configuration of the seed corpus (the Karabakh-war interviews).
SEED_CONFIG = DATA_RAW / "corpus.yml"
