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
