"""Names of output files built from data (audience groups, methods, run names).

A figure of a keyness run is called after the two audiences it compares; the audiences come from
the corpus's metadata, so a group named ``../../x`` would otherwise write outside the figures
folder. :func:`safe_name` makes any such text a plain file name.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_name(text: str) -> str:
    """``text`` as a plain file name for an output: every run of characters other than ASCII
    letters, digits, ``_``, ``.`` and ``-`` becomes ``_``, runs of dots become one, and leading dots,
    dashes and underscores are dropped, so that the name can neither leave its folder nor hide the
    file. ``"../../ESCAPED"`` -> ``"ESCAPED"``; ``"Sud Ouest"`` -> ``"Sud_Ouest"``; ``""`` -> ``"_"``."""
    name = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", str(text))).lstrip("._-")
    return name or "_"
