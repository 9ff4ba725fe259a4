"""Names of output files built from data (audience groups, methods, run names).

A figure of a keyness run is called after the two audiences it compares; the audiences come from
the corpus's metadata, so a group named ``../../x`` would otherwise write outside the figures
folder. :func:`safe_name` makes any such text a plain file name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
#: An audience group's name: letters, digits, '_', '-', '.' and spaces, starting with a letter or
#: digit (so no path separator, no leading dot, no HTML). The schema of corpus.yml uses it too.
GROUP_NAME = re.compile(r"[^\W_][\w .-]*\Z")


def safe_name(text: str) -> str:
    """``text`` as a plain file name for an output: every run of characters other than ASCII
    letters, digits, ``_``, ``.`` and ``-`` becomes ``_``, runs of dots become one, and leading dots,
    dashes and underscores are dropped, so that the name can neither leave its folder nor hide the
    file. ``"../../ESCAPED"`` -> ``"ESCAPED"``; ``"Sud Ouest"`` -> ``"Sud_Ouest"``; ``""`` -> ``"_"``."""
    name = re.sub(r"\.{2,}", ".", _UNSAFE.sub("_", str(text))).lstrip("._-")
    return name or "_"


# --------------------------------------------------------------------------------------------
# Audience group names, which name output files and runs

#: Words the notebooks give a meaning of their own where a group is named: 02_keyness's
#: ``group_b: rest`` compares with every other group, 05_explore's audience ``all`` is every one. A
#: group so named could not be chosen (``group_b: rest`` silently meant "all others").
RESERVED_GROUPS = ("all", "rest")


class GroupProblem(NamedTuple):
    """What is wrong with the audience group at ``index`` of a list of groups, and the remedy."""

    index: int
    problem: str
    remedy: str


def group_problem(groups: list[str]) -> GroupProblem | None:
    """The first problem of ``groups`` as audience group names, or None: each a plain name
    (letters, digits, ``_``, ``-``, ``.``, spaces, first a letter or digit; no path, no HTML), none a
    word of :data:`RESERVED_GROUPS` (in any case), none given twice, and no two that name the same
    output files: :func:`safe_name` ignoring case, as on macOS and Windows file systems
    (``North America`` and ``North_America`` both write ``keyness_North_America_vs_...``)."""
    seen: dict[str, int] = {}
    for i, group in enumerate(groups):
        if not GROUP_NAME.fullmatch(group):
            return GroupProblem(
                i,
                f"audience group {group!r} is not a plain name",
                "use letters, digits, '_', '-', '.' and spaces, starting with a letter or digit (it names files)",
            )
        if group.lower() in RESERVED_GROUPS:
            return GroupProblem(
                i,
                f"audience group {group!r} is a reserved word: the report reads `group_b: rest` as every "
                "other group and the explorer's audience `all` as every group",
                f"rename the group (e.g. '{group}_group')",
            )
        key = safe_name(group).lower()
        if key in seen:
            other = groups[seen[key]]
            problem = (
                f"audience group {group!r} is given twice"
                if other == group
                else f"audience groups {other!r} and {group!r} would name the same output files ({safe_name(group)})"
            )
            return GroupProblem(i, problem, "give each group a name of its own")
        seen[key] = i
    return None
