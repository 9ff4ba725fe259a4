"""The code stays as ruff wants it (lint and format), so CI, which runs make test, enforces what
make check and the pre-commit hooks check locally."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import config

RUFF = Path(sys.executable).parent / "ruff"
FOLDERS = ["analysis", "tests", "benchmarks"]


@pytest.mark.skipif(not RUFF.exists() and shutil.which("ruff") is None, reason="ruff is in the dev group")
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_is_clean(command):
    ruff = str(RUFF) if RUFF.exists() else "ruff"
    done = subprocess.run([ruff, *command, *FOLDERS], cwd=config.PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
