"""Progress bars on the slow steps: the topic grid, the permutation and leave-one-out loops.

A bar is drawn on standard error, and only when standard error is a terminal: a notebook run by
papermill (whose kernel writes to a stream that is not a terminal), the HTML pages made from it
and the tests (pytest captures the stream) get no progress output. ``DISCOURSE_PROGRESS=0`` in the
environment turns the bars off everywhere, ``DISCOURSE_PROGRESS=1`` on even without a terminal.
A step that ends within :data:`DELAY` seconds shows no bar at all, so the many short calls of a
loop (a permutation test per left-out interview) do not flicker.

Wrapping an iterable yields the same items in the same order and draws no random numbers, so no
result depends on whether a bar is shown.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

#: The environment variable that forces the bars off ("0") or on ("1").
ENV = "DISCOURSE_PROGRESS"
#: Seconds a step must run before its bar appears.
DELAY = 2.0

T = TypeVar("T")


def progress_disabled() -> bool | None:
    """What to pass as tqdm's ``disable``: True if ``DISCOURSE_PROGRESS`` is "0", False if it is
    "1", otherwise None (tqdm then disables the bar when standard error is not a terminal)."""
    setting = os.environ.get(ENV, "").strip()
    return {"0": True, "1": False}.get(setting)


def progress(iterable: Iterable[T], desc: str, total: int | None = None) -> Iterator[T]:
    """Yield the items of ``iterable`` unchanged, with a progress bar labelled ``desc`` on
    standard error when it is shown (see the module docstring). ``total`` is the number of items
    when ``iterable`` has no length (a generator); the bar is removed when the loop ends."""
    return iter(tqdm(iterable, desc=desc, total=total, disable=progress_disabled(), delay=DELAY, leave=False))
