"""One look for every figure: a fixed colour per audience, readable defaults, reproducible files.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common forms of
colour blindness (Okabe and Ito 2008, "Color Universal Design"). Each audience keeps its colour
in every figure; groups of other corpora take the remaining colours in a fixed order.
"""

from __future__ import annotations

import matplotlib as mpl

AUDIENCE_COLORS = {
    "turkish": "#D55E00",  # vermillion
    "russian": "#0072B2",  # blue
    "western": "#009E73",  # bluish green
    "other": "#CC79A7",  # reddish purple
}
#: Okabe-Ito's remaining hues for the groups of other corpora. Black and greys are never an
#: audience's: they mark means, reference lines and annotations in every figure.
_SPARE = ["#E69F00", "#56B4E9", "#F0E442"]

#: Colours for anything that is not an audience (methods, frames, topics drawn as series): from
#: Paul Tol's "muted" scheme, chosen far from every audience colour above (spares included), so
#: that a colour always means the same audience. Beyond four series, line styles and markers
#: tell them apart (:func:`series_style`).
SERIES_COLORS = ["#332288", "#999933", "#882255", "#555555"]
_SERIES_LINES = ["-", "--", ":", "-."]
_SERIES_MARKERS = ["o", "s", "^", "D"]

#: Display names of the seed corpus's audience groups.
AUDIENCE_LABELS = {"turkish": "Turkish", "russian": "Russian", "western": "Western", "other": "Other"}

#: Settings applied by :func:`apply_style`: readable sizes, no chart junk, and file output that
#: is byte-identical between runs (fixed SVG ids, no creation dates).
RC = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "svg.hashsalt": "analysis",
    "svg.fonttype": "path",
    # a series drawn without a colour of its own never takes an audience's (matplotlib's default
    # cycle starts blue, orange, green)
    "axes.prop_cycle": mpl.cycler(color=SERIES_COLORS),
}


def apply_style() -> None:
    """Apply the project's matplotlib settings (idempotent)."""
    mpl.rcParams.update(RC)


def audience_color(group: str, groups: list[str] | None = None) -> str:
    """The colour of an audience group; unknown groups get spare colours in ``groups`` order."""
    if group in AUDIENCE_COLORS:
        return AUDIENCE_COLORS[group]
    others = [g for g in (groups or [group]) if g not in AUDIENCE_COLORS]
    index = others.index(group) if group in others else 0
    return _SPARE[index % len(_SPARE)]


def audience_label(group: str, n: int | None = None) -> str:
    """Display name of a group, with the number of interviews behind it: "Turkish (n=6)"."""
    name = AUDIENCE_LABELS.get(group, group.replace("_", " ").capitalize())
    return name if n is None else f"{name} (n={n})"


def series_style(index: int) -> dict:
    """Colour, line style and marker of the ``index``-th series that is not an audience (a
    method, a frame): :data:`SERIES_COLORS` in turn, then the next line style and marker, so
    that 16 series differ in colour or line and none looks like an audience."""
    n = len(SERIES_COLORS)
    return {
        "color": SERIES_COLORS[index % n],
        "linestyle": _SERIES_LINES[index // n % len(_SERIES_LINES)],
        "marker": _SERIES_MARKERS[index // n % len(_SERIES_MARKERS)],
    }
