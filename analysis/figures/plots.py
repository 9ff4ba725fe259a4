"""Figures: plot functions return a matplotlib Figure; :func:`save_figure` writes it.

Tests check the data behind a figure (returned alongside it), not pixels.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import config
from ..io import atomic_path, write_text
from .style import apply_style, audience_color, audience_label, series_style

#: Metadata written into figure files: none that changes between runs.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}


def figure_title(fig: plt.Figure) -> str:
    """The title a figure shows: its suptitle, else the first axes title (left, centre or right)."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if ax.get_title(loc=loc):
                return ax.get_title(loc=loc)
    return ""


def _clean(text: str) -> str:
    return " ".join(str(text).replace("$", "").split())


def figure_alt(fig: plt.Figure) -> str:
    """What a figure shows, for the alt text of the report's pages: its kind of chart, each panel's
    title and axes (their labels; the categories of an axis that names them, up to 8) and the
    groups of its legends. Read from the figure itself, so it says what is drawn, not what it means."""
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.axison and (ax.lines or ax.patches or ax.collections
              or ax.images)]  # fmt: skip
    if not panels:
        return ""
    kinds = []
    for ax in panels:
        kind = "heat map" if ax.images or any(type(c).__name__ == "QuadMesh" for c in ax.collections) else (
            "bar chart" if ax.patches else "dot chart" if ax.collections else "line chart")  # fmt: skip
        kinds.append(kind)
    text = f"{_join_words(sorted(set(kinds))).capitalize()} in {len(panels)} panel{'s' if len(panels) > 1 else ''}"
    parts = []
    for ax in panels[:4]:
        bits = []
        title = _clean(ax.get_title() or ax.get_title(loc="left"))
        if title and len(panels) > 1:
            bits.append(title)
        for which, label, ticks in (("across", ax.get_xlabel(), ax.get_xticklabels()),
                                    ("down", ax.get_ylabel(), ax.get_yticklabels())):  # fmt: skip
            names = [_clean(t.get_text()) for t in ticks if _clean(t.get_text())]
            words = [n for n in names if not n.replace(".", "").replace("-", "").replace("−", "").replace("%", "")
                     .replace(",", "").isdigit()]  # fmt: skip
            axis = _clean(label)
            if words and len(words) == len(names):
                shown = ", ".join(words[:8]) + (f" and {len(words) - 8} more" if len(words) > 8 else "")
                axis = f"{axis}: {shown}" if axis else shown
            if axis:
                bits.append(f"{which}, {axis}")
        if bits:
            parts.append("; ".join(bits))
    if parts:
        text += ": " + " | ".join(parts)
    legends = [leg for leg in [fig.legends[0] if fig.legends else None, *[ax.get_legend() for ax in panels]] if leg]
    groups = list(dict.fromkeys(_clean(t.get_text()) for leg in legends for t in leg.get_texts() if t.get_text()))
    if groups:
        text += ". Legend: " + ", ".join(groups[:10])
    return text + "."


def _join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def save_figure(
    fig: plt.Figure,
    name: str,
    folder: str | Path = config.FIGURES,
    formats: tuple[str, ...] = ("png", "svg"),
    caption: str | None = None,
) -> list[Path]:
    """Write ``fig`` as ``<folder>/<name>.<format>`` for each format, atomically, and a
    ``<name>.json`` beside them with its title, ``caption`` and what it shows (``alt``,
    :func:`figure_alt`), for the report's pages.

    PNG is for the screen, SVG for papers. File metadata that would change between runs
    (dates, software versions) is left out, so that the same figure gives the same bytes.
    Returns the paths written. ``name`` must be a plain file name (no folder, not hidden): a name
    built from data goes through :func:`analysis.corpus.names.safe_name` first.
    """
    if not name or Path(name).name != name or name.startswith(".") or "\\" in name:
        raise ValueError(
            f"figure name {name!r} is not a plain file name; make it one with analysis.corpus.names.safe_name"
        )
    written = []
    for fmt in formats:
        path = Path(folder) / f"{name}.{fmt}"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, metadata=_METADATA.get(fmt))
        written.append(path)
    about = {"name": name, "title": figure_title(fig), "caption": caption or "", "alt": figure_alt(fig),
             "formats": list(formats)}  # fmt: skip
    write_text(json.dumps(about, indent=1, ensure_ascii=False) + "\n", Path(folder) / f"{name}.json")
    return written


#: Up to this many interviews, :func:`plot_words_by_interview` draws one bar per interview (0.24
#: inch each); beyond it, one row of points per audience, so that the figure keeps its size.
MAX_INTERVIEW_BARS = 60


def plot_words_by_interview(
    documents: pd.DataFrame, groups: list[str] | None = None, speaker: str = "the focal speaker"
) -> plt.Figure:
    """Horizontal bars: words spoken by the focal speaker in each interview, coloured by audience.

    ``documents`` is documents.csv (one row per document); only ``kind == "interview"`` rows are
    drawn, grouped by audience in the order of ``groups`` (default: alphabetical), then by date.
    The legend gives the number of interviews per audience. With more than
    :data:`MAX_INTERVIEW_BARS` interviews the bars would make the figure too tall to read (500
    interviews: 120 inches), so each audience becomes a row of points, one per interview, with
    its median marked (:func:`plot_words_by_audience`).
    """
    apply_style()
    docs = documents[documents["kind"] == "interview"].copy()
    groups = groups or sorted(docs["audience"].unique())
    if len(docs) > MAX_INTERVIEW_BARS:
        return plot_words_by_audience(docs, groups, speaker)
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
    ax.legend(
        handles,
        [audience_label(g, int(counts[g])) for g in shown],
        title="Audience (interviews)",
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
    )
    fig.tight_layout()
    return fig


def plot_words_by_audience(
    documents: pd.DataFrame, groups: list[str], speaker: str = "the focal speaker"
) -> plt.Figure:
    """One row per audience of ``groups`` (top to bottom), one point per interview of
    ``documents`` (documents.csv rows) at the words the focal speaker spoke in it, spread
    vertically by a fixed-seed jitter so that points do not hide each other, and a vertical mark
    at the audience's median; audiences not in ``groups`` follow, alphabetically. Rows are
    labelled with the audience and its number of interviews. The size does not depend on the number of interviews."""
    apply_style()
    present = set(documents["audience"])
    shown = [g for g in groups if g in present] + sorted(present - set(groups))
    fig, ax = plt.subplots(figsize=(8, 0.7 * len(shown) + 1.6))
    rng = np.random.default_rng(0)
    for row, group in enumerate(shown):
        words = documents.loc[documents["audience"] == group].sort_values("doc_id")["words_focal"].to_numpy()
        y = len(shown) - 1 - row
        jitter = rng.uniform(-0.28, 0.28, len(words))
        ax.scatter(words, y + jitter, s=10, alpha=0.6, color=audience_color(group, groups))
        ax.plot([np.median(words)] * 2, [y - 0.38, y + 0.38], color="black", linewidth=1.5)
    counts = documents["audience"].value_counts()
    ax.set_yticks(range(len(shown))[::-1], [audience_label(g, int(counts[g])) for g in shown])
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_xlabel(f"Words spoken by {speaker} (count; one point per interview, line: median)")
    ax.set_title(f"Length of each interview: words spoken by {speaker}")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


#: How each keyness verdict is drawn: solid, lighter, or hatched outline.
_VERDICT_STYLE = {
    "holds across interviews": {"alpha": 1.0, "hatch": None},
    "interview level, uncorrected": {"alpha": 0.7, "hatch": None},
    "token level only": {"alpha": 0.45, "hatch": None},
    "rests on one interview": {"alpha": 0.15, "hatch": "///"},
}


#: How the caption names each drawing of :data:`_VERDICT_STYLE`.
_VERDICT_DRAWING = {
    "holds across interviews": "solid",
    "interview level, uncorrected": "slightly lighter",
    "token level only": "light",
    "rests on one interview": "hatched",
}


def keyness_verdict_line(table: pd.DataFrame, n: int = 15) -> str:
    """The caption's sentence on the bars :func:`plot_keyness` draws from ``table`` (its ``n``
    strongest keywords a side): how many bars each verdict has and how it is drawn, counted from
    the table, e.g. "Of 30 bars, none holds across interviews (solid); 4 are key at the interview
    level before correction (slightly lighter); 26 are key at token level only (light)." Verdicts
    without bars are left out, except "holds across interviews", which is always said."""
    from ..measures.keyness import top_keywords

    counts = top_keywords(table, n)["verdict"].value_counts()
    said = {  # verdict: (one bar, several bars)
        "holds across interviews": ("holds across interviews", "hold across interviews"),
        "interview level, uncorrected": (
            "is key at the interview level before correction",
            "are key at the interview level before correction",
        ),
        "token level only": ("is key when tokens are pooled only", "are key when tokens are pooled only"),
        "rests on one interview": ("rests on one interview", "rest on one interview"),
    }
    parts = []
    for verdict, (one, several) in said.items():
        k = int(counts.get(verdict, 0))
        if k or verdict == "holds across interviews":
            parts.append(f"{k or 'none'} {several if k > 1 else one} ({_VERDICT_DRAWING[verdict]})")
    return f"Of {int(counts.sum())} bars, " + "; ".join(parts) + "."


def _group_name(groups: list[str] | None, n: int) -> str:
    """Display name of one side of a comparison: "Turkish (n=6)", or "All others (n=20)"."""
    if not groups:
        return f"All others (n={n})"
    return " + ".join(audience_label(g) for g in groups) + f" (n={n})"


def plot_keyness(
    table: pd.DataFrame,
    target: str | list[str],
    reference: str | list[str] | None = None,
    n: int = 15,
    groups: list[str] | None = None,
) -> plt.Figure:
    """Diverging bars: the ``n`` strongest keywords of each side of a :func:`analysis.measures.keyness.keyness`
    table, by z-score, in the colour of the audience that uses them more.

    Solid bars hold across interviews, light bars are key at token level only, hatched bars rest
    on one interview (see the ``verdict`` column). Each bar is annotated with the number of the
    side's interviews the word occurs in ("5/6").
    """
    from ..measures.keyness import top_keywords

    apply_style()
    target = [target] if isinstance(target, str) else list(target)
    reference = [reference] if isinstance(reference, str) else (list(reference) if reference else None)
    top = top_keywords(table, n).sort_values("z")
    n_docs = int(table["n_docs_target"].iat[0]), int(table["n_docs_reference"].iat[0])
    colors = _side_colors(target, reference, groups)
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(top) + 1.8))
    _draw_keyword_bars(ax, top, colors, n_docs)
    ax.set_yticks(list(range(len(top))), top["label"], fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("Weighted log-odds z-score (Monroe et al. 2008); label: interviews using the word")
    names = _group_name(target, n_docs[0]), _group_name(reference, n_docs[1])
    ax.set_title(f"Keywords: {names[0]} vs {names[1]} interviews", loc="left")
    ax.grid(axis="y", visible=False)
    limit = max(abs(top["z"]).max() if len(top) else 1, 2) * 1.25
    ax.set_xlim(-limit, limit)
    _add_keyness_legend(ax, colors, names)
    fig.tight_layout()
    return fig


def _side_colors(target: list[str], reference: list[str] | None, groups: list[str] | None) -> tuple[str, str]:
    """The colours of the two sides of a keyness figure: an audience's own colour when the side
    is one audience, else dark grey (target) or mid grey (reference)."""
    color_a = audience_color(target[0], groups) if len(target) == 1 else "#555555"
    color_b = audience_color(reference[0], groups) if reference and len(reference) == 1 else "#777777"
    return color_a, color_b


def _draw_keyword_bars(ax: plt.Axes, top: pd.DataFrame, colors: tuple[str, str], n_docs: tuple[int, int]) -> None:
    """One horizontal bar per row of ``top`` (sorted by z; bar i at y = i), of length z, in the
    colour of its side (``colors``: target, reference) and the style of its verdict, labelled
    with the interviews of its side that use it out of ``n_docs`` (target, reference)."""
    for i, row in enumerate(top.itertuples()):
        color = colors[0] if row.z > 0 else colors[1]
        style = _VERDICT_STYLE[row.verdict]
        ax.barh(i, row.z, color=color, alpha=style["alpha"], hatch=style["hatch"], edgecolor=color, linewidth=0.8)
        docs, of = (row.docs_target, n_docs[0]) if row.z > 0 else (row.docs_reference, n_docs[1])
        ax.annotate(
            f"{docs}/{of}",
            (row.z, i),
            xytext=(3 if row.z > 0 else -3, 0),
            textcoords="offset points",
            ha="left" if row.z > 0 else "right",
            va="center",
            fontsize=7,
            color="#333333",
        )


def _add_keyness_legend(ax: plt.Axes, colors: tuple[str, str], names: tuple[str, str]) -> None:
    """The legend of a keyness figure, right of the axes: the two sides' colours (``colors``
    and ``names``: target, reference), then the drawing of each verdict."""
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor=c) for c in colors]
    handles += [
        plt.Rectangle((0, 0), 1, 1, facecolor="#888888", edgecolor="#888888", **style)
        for style in _VERDICT_STYLE.values()
    ]
    labels = [f"more in {names[0]}", f"more in {names[1]}", *_VERDICT_STYLE]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)


def plot_group_heatmap(
    table: pd.DataFrame,
    row: str,
    value: str,
    row_labels: dict,
    groups: list[str] | None = None,
    percent: bool = False,
    title: str = "",
    colorbar_label: str = "",
    xlabel: str = "Cells: mean over interviews [95% interval]",
) -> plt.Figure:
    """Heat map of group means with intervals: ``table`` has columns ``row``, ``group``,
    ``value``, ``low``, ``high`` and ``n`` (interviews per group); rows are shown with
    ``row_labels``, columns are the groups (with their number of interviews, in the group's
    colour). ``percent`` shows shares (0..1) as percentages."""
    apply_style()
    present = list(dict.fromkeys(table["group"]))
    groups = [g for g in (groups or sorted(present)) if g in present]
    scale = 100 if percent else 1
    wide = table.pivot(index=row, columns="group", values=value)[groups] * scale
    low = table.pivot(index=row, columns="group", values="low")[groups] * scale
    high = table.pivot(index=row, columns="group", values="high")[groups] * scale
    n = table.drop_duplicates("group").set_index("group")["n"]
    fig, ax = plt.subplots(figsize=(1.6 * len(groups) + 3.5, 0.42 * len(wide) + 1.6))
    unit = "%" if percent else ""
    cells = wide.to_numpy()
    text = np.vectorize(lambda v: f"{v:.0f}{unit}" if percent else f"{v:.1f}")(cells).astype(object)
    for r, c in np.ndindex(cells.shape):
        lo, hi = low.iat[r, c], high.iat[r, c]
        if not pd.isna(lo):
            text[r, c] += f"\n[{lo:.0f}–{hi:.0f}]" if percent else f"\n[{lo:.1f}–{hi:.1f}]"
    sns.heatmap(
        wide.set_axis(range(len(groups)), axis=1).reset_index(drop=True),
        ax=ax,
        cmap="Greys",
        vmin=0,
        annot=text,
        fmt="",
        annot_kws={"fontsize": 7},
        cbar_kws={"label": colorbar_label, "shrink": 0.8},
    )
    ax.set_xticks(np.arange(len(groups)) + 0.5, [audience_label(g, int(n[g])) for g in groups], rotation=0)
    for tick, g in zip(ax.get_xticklabels(), groups):
        tick.set_color(audience_color(g, groups))
        tick.set_fontweight("bold")
    ax.set_yticks(np.arange(len(wide)) + 0.5, [row_labels[r] for r in wide.index], fontsize=8, rotation=0)
    ax.grid(False)
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def plot_topic_shares(
    shares: pd.DataFrame, groups: list[str] | None = None, title: str = "Topic shares by audience"
) -> plt.Figure:
    """Heat map of an :func:`analysis.measures.topics.audience_shares` table: rows are topics (their top
    words), columns audience groups (with their number of interviews, in the group's colour);
    each cell shows the mean share and its 95% interval over interviews, within 0-100%."""
    labels = shares.drop_duplicates("topic").set_index("topic")["label"]
    return plot_group_heatmap(
        shares.rename(columns={"n_interviews": "n"}),
        "topic",
        "share",
        {t: f"{t + 1}: {labels[t]}" for t in labels.index},
        groups,
        percent=True,
        title=title,
        colorbar_label="Mean share of the interview's words (%)",
        xlabel="Cells: mean share over interviews [95% interval, kept within 0-100%]",
    )


def plot_group_intervals(
    table: pd.DataFrame, row: str, row_labels: dict, groups: list[str] | None = None, title: str = "", xlabel: str = ""
) -> plt.Figure:
    """Dot-and-interval plot of group means: one row per ``row`` value, one dot per group
    (in its colour, slightly offset) with its 95% interval. ``table`` has ``row``, ``group``,
    ``n``, ``mean``, ``low`` and ``high``."""
    apply_style()
    present = list(dict.fromkeys(table["group"]))
    groups = [g for g in (groups or sorted(present)) if g in present]
    rows = list(dict.fromkeys(table[row]))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.6))
    offsets = np.linspace(-0.25, 0.25, len(groups)) if len(groups) > 1 else [0.0]
    n = table.drop_duplicates("group").set_index("group")["n"]
    for offset, g in zip(offsets, groups):
        part = table[table["group"] == g].set_index(row).reindex(rows)
        y = np.arange(len(rows))[::-1] + offset
        color = audience_color(g, groups)
        ax.hlines(y, part["low"], part["high"], color=color, linewidth=1.5)
        ax.plot(part["mean"], y, "o", color=color, markersize=4, label=audience_label(g, int(n[g])))
    ax.set_yticks(np.arange(len(rows))[::-1], [row_labels[r] for r in rows], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="Audience (interviews)", fontsize=8)
    fig.tight_layout()
    return fig


def plot_timeline(
    weekly: pd.DataFrame,
    columns: list[str],
    labels: dict,
    events: dict,
    title: str = "",
    ylabel: str = "",
    points: pd.DataFrame | None = None,
    groups: list[str] | None = None,
    percent: bool = True,
    ncols: int = 3,
) -> plt.Figure:
    """Small multiples, one panel per frame of ``columns``: the weekly mean (``weekly`` from
    :func:`analysis.audiences.comparisons.weekly_frames`) in black with its 95% interval, and, when
    ``points`` (one row per interview with ``week``, ``audience`` and the frame columns, e.g.
    :func:`analysis.audiences.comparisons.with_weeks` of the shares) is given, every interview as a point in
    its audience's colour, so that a week's mix of audiences shows. Each week's tick gives its
    number of interviews; ``events`` (date -> text) are dashed lines. Values are drawn as
    percentages when ``percent``."""
    apply_style()
    scale = 100 if percent else 1
    rows = int(np.ceil(len(columns) / ncols))
    fig, axes = plt.subplots(rows, ncols, figsize=(3.3 * ncols, 2.6 * rows + 1.2), sharey=True, squeeze=False)
    weeks = weekly.drop_duplicates("week").set_index("week")
    x_of = {w: pd.Timestamp(d) + pd.Timedelta(days=3) for w, d in weeks["week_start"].items()}
    present = [] if points is None else list(dict.fromkeys(points["audience"]))
    groups = [g for g in (groups or sorted(present)) if g in present]
    for ax, column in zip(axes.ravel(), columns):
        part = weekly[weekly["frame"] == column]
        x = part["week"].map(x_of)
        if points is not None:
            jitter = np.linspace(-1.2, 1.2, 5)
            for g in groups:
                mine = points[points["audience"] == g]
                offsets = pd.to_timedelta([jitter[i % 5] for i in range(len(mine))], unit="D")
                ax.plot(
                    mine["week"].map(x_of) + offsets,
                    scale * mine[column],
                    "o",
                    color=audience_color(g, groups),
                    markersize=3,
                    alpha=0.8,
                )
        ax.errorbar(
            x,
            scale * part["mean"],
            yerr=[scale * (part["mean"] - part["low"]).fillna(0), scale * (part["high"] - part["mean"]).fillna(0)],
            fmt="-_",
            color="black",
            markersize=10,
            linewidth=1,
            capsize=0,
            elinewidth=1.2,
        )
        for date in events:
            ax.axvline(pd.Timestamp(date), color="#777777", linestyle="--", linewidth=0.8)
        ax.set_title(textwrap.shorten(labels.get(column, column), 40, placeholder="…"), fontsize=9, loc="left")
        ax.set_xticks(list(x_of.values()), [f"{d:%d %b}\nn={n}" for d, n in zip(x_of.values(), weeks["n"])], fontsize=6)
        ax.grid(axis="x", visible=False)
    for ax in axes.ravel()[len(columns) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=8)
    handles = [plt.Line2D([], [], color="black", marker="_", label="week's mean, 95% interval")]
    if points is not None:
        n = points.drop_duplicates("doc_id").groupby("audience").size()
        handles += [
            plt.Line2D(
                [], [], marker="o", linestyle="", color=audience_color(g, groups), label=audience_label(g, int(n[g]))
            )
            for g in groups
        ]
    if events:
        handles.append(plt.Line2D([], [], color="#777777", linestyle="--", label="; ".join(events.values())))
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(len(handles), 3),
        fontsize=7,
        title="Audience (interviews)" if points is not None else None,
        title_fontsize=7,
    )
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.supxlabel("Week of the war (middle day; n = interviews that week)", fontsize=8, y=0.13 if events else 0.1)
    fig.tight_layout(rect=(0, 0.15, 1, 0.97))
    return fig


#: Panels of :func:`plot_topic_grid`: column, band columns (or None), title, y label.
_GRID_PANELS = [
    ("coherence", ("coherence_low", "coherence_high"), "Coherence: mean NPMI of top-10 word pairs", "NPMI (-1 to 1)"),
    ("exclusivity", ("exclusivity_low", "exclusivity"), "Exclusivity: mean FREX of top-10 words", "FREX (0 to 1)"),
    ("heldout", None, "Held-out likelihood, interviews held out", "Log-likelihood per word"),
    ("stability", ("stability_low", "stability"), "Stability: topics matched across seeds", "Mean cosine (0 to 1)"),
]


def plot_topic_grid(
    grid: pd.DataFrame,
    chosen: int | None = None,
    method: str = "",
    n_seeds: int | None = None,
    min_stability: float | None = None,
) -> plt.Figure:
    """Small multiples against the number of topics k, one per criterion in ``grid``
    (:func:`analysis.measures.topics.topic_grid`): coherence (band from the lowest to the highest run),
    exclusivity and stability (bands down to the lowest run or pair), held-out likelihood (bars:
    one standard error over folds). A dashed line marks the ``chosen`` k, a dotted one the
    ``min_stability`` threshold."""
    apply_style()
    panels = [p for p in _GRID_PANELS if p[0] in grid]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.1 * len(panels), 3.3), sharex=True, squeeze=False)
    for ax, (column, band, title, ylabel) in zip(axes[0], panels):
        sns.lineplot(data=grid, x="k", y=column, marker="o", color="#333333", ax=ax)
        if band is not None and all(b in grid for b in band):
            ax.fill_between(grid["k"], grid[band[0]], grid[band[1]], color="#333333", alpha=0.15, linewidth=0)
        if column == "heldout":
            ax.errorbar(grid["k"], grid["heldout"], yerr=grid["heldout_se"], fmt="none", color="#333333", capsize=2)
        if column == "stability" and min_stability is not None:
            ax.axhline(min_stability, color="#777777", linestyle=":", linewidth=1)
        ax.set_title(title, fontsize=8, loc="left")
        ax.set_ylabel(ylabel, fontsize=8)
        ax.set_xlabel("Number of topics k")
        ax.set_xticks(list(grid["k"]))
        if chosen is not None:
            ax.axvline(chosen, color="black", linestyle="--", linewidth=1)
    runs = f", {n_seeds} seeds per k" if n_seeds else ""
    fig.suptitle(
        f"{method.upper()} topic models: choosing k{runs}" + (f" (dashed: k = {chosen})" if chosen is not None else ""),
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig


def plot_share_differences(
    differences: pd.DataFrame,
    groups: list[str] | None = None,
    title: str = "Differences in topic share between audiences",
) -> plt.Figure:
    """One panel per pair of audiences: for every topic, the ratio of the audiences' odds of the
    topic's share (geometric means over interviews; log scale) with its 95% Welch interval, from
    :func:`analysis.measures.topic_comparisons.compare_topic_shares`. A dot takes the colour of the audience
    with the larger share and is filled when the difference survives Holm's correction; unstable
    topics (not tested) are grey."""
    apply_style()
    pairs = list(dict.fromkeys(zip(differences["group_a"], differences["group_b"])))
    k = differences["topic"].nunique()
    fig, axes = plt.subplots(1, len(pairs), figsize=(3.2 * len(pairs) + 2.8, 0.3 * k + 1.9), sharey=True, squeeze=False)
    for ax, (a, b) in zip(axes[0], pairs):
        part = differences[(differences["group_a"] == a) & (differences["group_b"] == b)].sort_values("topic")
        y = np.arange(len(part))[::-1]
        for yi, row in zip(y, part.itertuples()):
            color = audience_color(a if row.difference > 0 else b, groups) if row.stable else "#BBBBBB"
            ax.plot(np.exp([row.low, row.high]), [yi, yi], color=color, linewidth=1.5)
            face = color if row.survives_holm else "white"
            ax.plot(np.exp(row.difference), yi, "o", color=color, markersize=5, markerfacecolor=face)
        ax.axvline(1, color="black", linewidth=0.8)
        ax.set_xscale("log")
        n_a, n_b = int(part["n_a"].iat[0]), int(part["n_b"].iat[0])
        ax.set_title(f"{audience_label(a, n_a)} / {audience_label(b, n_b)}", fontsize=9)
        ax.set_xlabel("Odds ratio of the topic's share (log scale)")
        ax.grid(axis="y", visible=False)
    labels = differences.drop_duplicates("topic").sort_values("topic")
    names = [
        f"{t + 1}: {lab}" + ("" if stable else " (unstable)")
        for t, lab, stable in zip(labels["topic"], labels["label"], labels["stable"])
    ]
    axes[0][0].set_yticks(np.arange(k)[::-1], names, fontsize=8)
    fig.suptitle(
        title + " (95% Welch intervals; filled: survives Holm)", x=0.01, ha="left", fontweight="bold", fontsize=11
    )
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return fig


#: Shares marked on the log-ratio axis of :func:`plot_topic_interviews`.
_SHARE_TICKS = (0.003, 0.01, 0.03, 0.1, 0.3, 0.6)


def plot_topic_interviews(
    logits: pd.DataFrame,
    means: pd.DataFrame,
    labels: list[str],
    stable: list[int],
    groups: list[str],
    title: str = "",
    ncols: int = 4,
) -> plt.Figure:
    """Small multiples, one panel per topic: every interview's log-ratio of the topic's share
    (:func:`analysis.measures.topic_comparisons.share_logits`) as a point in its audience's colour
    (a seaborn swarm, which places points without random jitter), and each audience's mean with
    its 95% Student t interval (``means``: :func:`analysis.stats.intervals.group_intervals` on the
    log-ratios). The axis is marked in shares; unstable topics are titled so."""
    apply_style()
    topics = list(range(len(labels)))
    rows = int(np.ceil(len(topics) / ncols))
    fig, axes = plt.subplots(rows, ncols, figsize=(2.6 * ncols, 2.5 * rows + 0.9), sharey=True, squeeze=False)
    shown = logits[logits["audience"].isin(groups)]
    palette = {g: audience_color(g, groups) for g in groups}
    for ax, t in zip(axes.ravel(), topics):
        long = shown[["audience", t]].rename(columns={t: "logit"})
        sns.swarmplot(
            data=long,
            x="audience",
            y="logit",
            hue="audience",
            order=groups,
            palette=palette,
            size=3.5,
            ax=ax,
            legend=False,
        )
        part = means[means["column"] == t].set_index("group").reindex(groups)
        x = np.arange(len(groups)) + 0.32
        ax.errorbar(
            x,
            part["mean"],
            yerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
            fmt="_",
            color="black",
            markersize=8,
            capsize=0,
            linewidth=1.2,
        )
        name = textwrap.shorten(f"{t + 1}: {labels[t]}", 34, placeholder="…")
        ax.set_title(
            name + ("" if t in stable else "\n(unstable, not tested)"),
            fontsize=8,
            loc="left",
            color="black" if t in stable else "#888888",
        )
        ax.set_xticks(range(len(groups)), [audience_label(g)[:3] for g in groups], fontsize=7)
        ax.set_xlabel("")
        ax.set_ylabel("")
        ax.grid(axis="x", visible=False)
    for ax in axes.ravel()[len(topics) :]:
        ax.set_visible(False)
    ticks = [np.log(p / (1 - p)) for p in _SHARE_TICKS]
    for ax in axes[:, 0]:
        ax.set_yticks(ticks, [f"{100 * p:g}%" for p in _SHARE_TICKS], fontsize=7)
        ax.set_ylabel("Topic's share (log-ratio scale)", fontsize=8)
    n = shown.groupby("audience").size()
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color=palette[g], label=audience_label(g, int(n.get(g, 0))))
        for g in groups
    ]
    handles.append(plt.Line2D([], [], color="black", marker="_", label="mean, 95% t interval"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, title="Audience (interviews)")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0.1, 1, 0.96))
    return fig


def plot_interview_points(
    shares: pd.DataFrame,
    frames: list[str],
    labels: dict,
    groups: list[str] | None = None,
    title: str = "",
    ylabel: str = "Share of paragraphs (%)",
    ncols: int = 5,
) -> plt.Figure:
    """Small multiples, one panel per frame: every interview as a point (in its audience's
    colour, sized by its number of paragraphs) above its audience, with the audience's mean as a
    bar. ``shares`` is :func:`analysis.audiences.coded.frame_shares` (values 0..1, shown as percentages);
    the legend gives the number of interviews behind each audience."""
    apply_style()
    present = list(dict.fromkeys(shares["audience"]))
    groups = [g for g in (groups or sorted(present)) if g in present]
    rows = int(np.ceil(len(frames) / ncols))
    fig, axes = plt.subplots(rows, ncols, figsize=(2.3 * ncols, 2.3 * rows + 0.8), sharey=True, squeeze=False)
    size = 12 + 60 * shares["n_units"] / shares["n_units"].max()
    for ax, frame in zip(axes.ravel(), frames):
        _draw_frame_panel(ax, shares, frame, groups, size, labels[frame])
    for ax in axes.ravel()[len(frames) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=8)
    _add_audience_legend(fig, shares, groups)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout(rect=(0, 0.08, 1, 0.96))
    return fig


def _draw_frame_panel(
    ax: plt.Axes, shares: pd.DataFrame, frame: str, groups: list[str], size: pd.Series, label: str
) -> None:
    """One panel of :func:`plot_interview_points`: for each audience of ``groups`` (at x = its
    position), its interviews' ``frame`` values of ``shares`` in percent as points of area
    ``size`` (points squared, one per row of ``shares``), spread sideways, and their mean as a
    black bar; then ``label`` (wrapped) as the title and the audiences' short names on the x axis."""
    for i, g in enumerate(groups):
        part = shares["audience"] == g
        jitter = np.linspace(-0.18, 0.18, int(part.sum())) if part.sum() > 1 else np.zeros(1)
        ax.scatter(
            i + jitter,
            100 * shares.loc[part, frame],
            s=size[part],
            color=audience_color(g, groups),
            alpha=0.6,
            linewidths=0,
        )
        ax.hlines(100 * shares.loc[part, frame].mean(), i - 0.3, i + 0.3, color="black", linewidth=1.5)
    ax.set_title(textwrap.fill(label, 30), fontsize=8, loc="left")
    ax.set_xticks(range(len(groups)), [audience_label(g)[:3] for g in groups], fontsize=7)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.grid(axis="x", visible=False)


def _add_audience_legend(fig: plt.Figure, shares: pd.DataFrame, groups: list[str]) -> None:
    """A legend below the panels: a point in each audience's colour with its number of
    interviews (rows of ``shares``), and the black bar of the audience mean."""
    n = shares.groupby("audience").size()
    handles = [
        plt.Line2D(
            [], [], marker="o", linestyle="", color=audience_color(g, groups), label=audience_label(g, int(n[g]))
        )
        for g in groups
    ]
    handles.append(plt.Line2D([], [], color="black", label="audience mean"))
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8, title="Audience (interviews)")


def plot_coded_vs_detected(
    side: pd.DataFrame,
    labels: dict,
    groups: list[str] | None = None,
    title: str = "The cue detector against the coding",
) -> plt.Figure:
    """One panel per audience: for every frame, the audience's mean coded share of paragraphs
    (x) against the cue detector's (y), in percent, with the diagonal where they would agree.
    ``side`` is :func:`analysis.audiences.coded.coded_and_detected`."""
    apply_style()
    present = list(dict.fromkeys(side["group"]))
    groups = [g for g in (groups or sorted(present)) if g in present]
    fig, axes = plt.subplots(1, len(groups), figsize=(3.6 * len(groups), 3.9), sharex=True, sharey=True, squeeze=False)
    top = 100 * max(side["coded"].max(), side["detected"].max()) * 1.08
    for ax, g in zip(axes[0], groups):
        part = side[side["group"] == g]
        ax.plot([0, top], [0, top], color="grey", linewidth=0.8, linestyle="--")
        ax.scatter(100 * part["coded"], 100 * part["detected"], color=audience_color(g, groups), s=18)
        for row in part.itertuples():
            if abs(row.difference) >= 0.08:
                ax.annotate(
                    textwrap.shorten(labels[row.frame], 22, placeholder="…"),
                    (100 * row.coded, 100 * row.detected),
                    fontsize=6,
                    xytext=(3, 2),
                    textcoords="offset points",
                )
        ax.set_title(audience_label(g, int(part["n"].iat[0])), loc="left", color=audience_color(g, groups))
        ax.set_xlabel("Coded share of paragraphs (%)")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
    axes[0, 0].set_ylabel("Detected share of paragraphs (%)")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_method_f1(
    table: pd.DataFrame,
    labels: dict,
    methods: list[str],
    title: str,
    agreement_label: str = "agreement of the two codings (alpha)",
) -> plt.Figure:
    """Per frame, each method's F1 on held-out interviews with its 95% interval (horizontal bars,
    in colours no audience uses), and where given the agreement of the two codings of the
    reliability sample as a marker (``agreement_label``: say whose codings, e.g. "agreement of two
    model-based codings (alpha)"; it is how consistently the coding itself reads, not a human
    benchmark). ``table`` is :func:`analysis.frames.evaluation.compare_methods` (``method``,
    ``frame``, ``f1``, ``f1_low``, ``f1_high``), optionally with a ``coding_agreement`` column
    (Krippendorff's alpha of the two codings)."""
    apply_style()
    frames = [f for f in dict.fromkeys(table["frame"]) if f != "macro"] + ["macro"]
    fig, ax = plt.subplots(figsize=(7.5, 0.42 * len(frames) + 1.2))
    step = 0.8 / len(methods)
    for k, method in enumerate(methods):
        part = table[table["method"] == method].set_index("frame").loc[frames]
        y = np.arange(len(frames)) + (k - (len(methods) - 1) / 2) * step
        ax.errorbar(
            part["f1"],
            y,
            xerr=[part["f1"] - part["f1_low"], part["f1_high"] - part["f1"]],
            fmt=series_style(k)["marker"],
            ms=4,
            color=series_style(k)["color"],
            label=method,
            capsize=2,
            linewidth=1,
        )
    if "coding_agreement" in table.columns:
        agreement = table.drop_duplicates("frame").set_index("frame").loc[frames, "coding_agreement"]
        ax.scatter(agreement, np.arange(len(frames)), marker="|", s=160, color="black", label=agreement_label)
    for x, style in ((0.85, "--"), (0.65, ":")):
        ax.axvline(x, color="grey", linestyle=style, linewidth=0.8)
    ax.set_yticks(np.arange(len(frames)), [labels.get(f, "macro-F1 (mean over frames)") for f in frames], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 against the adjudicated coding (95% interval, interviews resampled)")
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(title, loc="left", fontweight="bold")
    fig.tight_layout()
    return fig


def plot_learning_curve(curve: pd.DataFrame, labels: dict, title: str) -> plt.Figure:
    """Held-out F1 of each frame (thin lines) and the macro-F1 (thick) against the number of
    coded paragraphs the model learned from. ``curve`` is
    :func:`analysis.frames.evaluation.learning_curve`."""
    apply_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for i, (frame, part) in enumerate(curve.groupby("frame", sort=False)):
        macro = frame == "macro"
        style = {"color": "black", "linestyle": "-", "marker": "o"} if macro else series_style(i)
        ax.plot(
            part["n_paragraphs"],
            part["f1"],
            ms=3 if not macro else 5,
            linewidth=2.5 if macro else 0.8,
            label="macro-F1" if macro else labels.get(frame, frame),
            **style,
        )
    ax.axhline(0.85, color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(0.65, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("Coded paragraphs the model learned from (whole interviews)")
    ax.set_ylabel("F1 on held-out interviews")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=6, ncol=2, loc="lower right")
    ax.set_title(title, loc="left", fontweight="bold")
    fig.tight_layout()
    return fig
