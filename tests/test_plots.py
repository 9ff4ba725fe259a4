"""Figures: the data they draw, their labels, and one colour per audience."""

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.dtm import build_dtm  # noqa: E402
from analysis.keyness import keyness  # noqa: E402
from analysis.plots import plot_keyness, plot_share_differences, plot_topic_shares, save_figure  # noqa: E402
from analysis.style import AUDIENCE_COLORS  # noqa: E402
from analysis.topics import audience_shares, fit_topics, share_differences  # noqa: E402


@pytest.fixture(scope="module")
def turns(seed_turns):
    return seed_turns


def test_keyness_bars_are_the_top_keywords_in_audience_colours(turns):
    table = keyness(build_dtm(turns), "turkish", "western", min_count=10, n_resamples=999)
    fig = plot_keyness(table, "turkish", "western", n=5)
    ax = fig.axes[0]
    bars = ax.patches[:10]
    assert [round(b.get_width(), 6) for b in bars] == sorted(
        round(z, 6) for z in list(table["z"].head(5)) + list(table["z"].tail(5))
    )
    colours = {matplotlib.colors.to_hex(b.get_facecolor()[:3]) for b in bars}
    assert colours == {AUDIENCE_COLORS["turkish"].lower(), AUDIENCE_COLORS["western"].lower()}
    assert ax.get_title(loc="left") == "Keywords: Turkish (n=6) vs Western (n=11) interviews"
    assert "z-score" in ax.get_xlabel()


def test_topic_heat_map_shows_shares_with_intervals_and_group_sizes(turns):
    dtm = build_dtm(turns, unit="chunk", min_count=5, min_docs=2)
    shares = audience_shares(fit_topics(dtm, 4, "nmf"), dtm, n_resamples=200)
    fig = plot_topic_shares(shares, ["turkish", "russian", "western", "other"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Turkish (n=6)",
        "Russian (n=6)",
        "Western (n=11)",
        "Other (n=3)",
    ]
    first = shares[(shares["topic"] == 0) & (shares["group"] == "turkish")].iloc[0]
    expected = f"{100 * first['share']:.0f}%\n[{100 * first['low']:.0f}–{100 * first['high']:.0f}]"
    assert ax.texts[0].get_text() == expected
    assert [t.get_color() for t in ax.get_xticklabels()][:3] == [
        AUDIENCE_COLORS[g] for g in ("turkish", "russian", "western")
    ]


def test_share_differences_are_drawn_per_pair(turns, tmp_path):
    dtm = build_dtm(turns, unit="chunk", min_count=5, min_docs=2)
    model = fit_topics(dtm, 4, "nmf")
    table = pd.concat(
        [
            share_differences(model, dtm, a, b, n_resamples=200).assign(group_a=a, group_b=b)
            for a, b in [("turkish", "western"), ("russian", "western")]
        ]
    )
    fig = plot_share_differences(table, n_interviews={"turkish": 6, "russian": 6, "western": 11})
    assert [ax.get_title() for ax in fig.axes] == ["Turkish (n=6) − Western (n=11)", "Russian (n=6) − Western (n=11)"]
    written = save_figure(fig, "differences", tmp_path)
    assert [p.suffix for p in written] == [".png", ".svg"]


def _interviews(n: int) -> pd.DataFrame:
    """documents.csv rows of ``n`` interviews over three audiences, with lengths and dates."""
    audiences = ["north", "south", "east"]
    return pd.DataFrame(
        {
            "doc_id": [f"d{i:03d}" for i in range(n)],
            "kind": "interview",
            "audience": [audiences[i % 3] for i in range(n)],
            "outlet": [f"Outlet {i}" for i in range(n)],
            "date": [f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)],
            "words_focal": [500 + 37 * i for i in range(n)],
        }
    )


def test_interview_lengths_stay_one_bar_each_for_a_small_corpus():
    from analysis.plots import plot_words_by_interview

    fig = plot_words_by_interview(_interviews(30), ["north", "south", "east"])
    bars = fig.axes[0].patches
    assert len(bars) == 30 and sorted(b.get_width() for b in bars) == [500 + 37 * i for i in range(30)]


def test_interview_lengths_of_hundreds_of_interviews_are_points_by_audience_in_a_figure_of_fixed_size():
    from analysis.plots import plot_words_by_interview

    docs = _interviews(489)
    fig = plot_words_by_interview(docs, ["north", "south", "east"])
    ax = fig.axes[0]
    width, height = fig.get_size_inches()
    assert height < 5 and not ax.patches  # one bar per interview would be 119 inches tall
    points = [c.get_offsets() for c in ax.collections]
    assert sum(len(p) for p in points) == 489
    assert sorted(x for p in points for x in p[:, 0]) == sorted(docs["words_focal"])
    rows = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [label for _, label in rows] == ["North (n=163)", "South (n=163)", "East (n=163)"]
