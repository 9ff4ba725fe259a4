"""Figures: plot functions return a matplotlib Figure; :func:`save_figure` writes it.

Tests check the data behind a figure (returned alongside it), not pixels.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from . import config as paths
from .io import atomic_path
from .style import apply_style, audience_color, audience_label

#: Metadata written into figure files: none that changes between runs.
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "Producer": None, "Creator": None}}


def save_figure(fig: plt.Figure, name: str, folder: str | Path = paths.FIGURES,
                formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write ``fig`` as ``<folder>/<name>.<format>`` for each format, atomically.

    PNG is for the screen, SVG for papers. File metadata that would change between runs
    (dates, software versions) is left out, so that the same figure gives the same bytes.
    Returns the paths written.
    """
    written = []
    for fmt in formats:
        path = Path(folder) / f"{name}.{fmt}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
        written.append(path)
    return written


def plot_words_by_interview(documents: pd.DataFrame, groups: list[str] | None = None,
                            speaker: str = "the focal speaker") -> plt.Figure:
    """Horizontal bars: words spoken by the focal speaker in each interview, coloured by audience.

    ``documents`` is documents.csv (one row per document); only ``kind == "interview"`` rows are
    drawn, grouped by audience in the order of ``groups`` (default: alphabetical), then by date.
    The legend gives the number of interviews per audience.
    """
    apply_style()
    docs = documents[documents["kind"] == "interview"].copy()
    groups = groups or sorted(docs["audience"].unique())
    docs["_group"] = docs["audience"].map({g: i for i, g in enumerate(groups)})
    docs = docs.sort_values(["_group", "date", "doc_id"])
    fig, ax = plt.subplots(figsize=(8, 0.24 * len(docs) + 1.4))
    y = list(range(len(docs)))[::-1]
    ax.barh(y, docs["words_focal"], color=[audience_color(g, groups) for g in docs["audience"]])
    dates = pd.to_datetime(docs["date"], errors="coerce")
    labels = [f"{o}, {d:%d %b}" if pd.notna(d) else o for o, d in zip(docs["outlet"], dates)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(f"Words spoken by {speaker} (count)")
    ax.set_title(f"Length of each interview: words spoken by {speaker}")
    ax.grid(axis="y", visible=False)
    counts = docs["audience"].value_counts()
    shown = [g for g in groups if g in counts]
    handles = [plt.Rectangle((0, 0), 1, 1, color=audience_color(g, groups)) for g in shown]
    ax.legend(handles, [audience_label(g, int(counts[g])) for g in shown], title="Audience (interviews)",
              loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    return fig
