"""Figures: the data they draw, their labels, and one colour per audience."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.figures.plots import plot_keyness, plot_share_differences, plot_topic_shares, save_figure  # noqa: E402
from analysis.figures.style import AUDIENCE_COLORS  # noqa: E402
from analysis.measures.keyness import keyness  # noqa: E402
from analysis.measures.topic_comparisons import compare_topic_shares  # noqa: E402
from analysis.measures.topics import audience_shares, fit_topics, interview_shares  # noqa: E402
from analysis.text.dtm import build_dtm  # noqa: E402


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
    shares = audience_shares(fit_topics(dtm, 4, "nmf"), dtm)
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
    pairs = [("turkish", "western"), ("russian", "western")]
    table = compare_topic_shares(interview_shares(model, dtm), model.labels, pairs, stable=[0, 1, 2], n_resamples=99)
    fig = plot_share_differences(table)
    assert [ax.get_title() for ax in fig.axes] == ["Turkish (n=6) / Western (n=11)", "Russian (n=6) / Western (n=11)"]
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[-1] == f"4: {model.labels[3]} (unstable)" and ticks[0] == f"1: {model.labels[0]}"
    # each dot is the odds ratio exp(difference), topic 1 at the top
    first = table[(table["group_a"] == "turkish") & (table["topic"] == 0)].iloc[0]
    dots = [line for line in fig.axes[0].lines if line.get_marker() == "o"]
    assert dots[0].get_xdata()[0] == pytest.approx(np.exp(first["difference"]))
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
    from analysis.figures.plots import plot_words_by_interview

    fig = plot_words_by_interview(_interviews(30), ["north", "south", "east"])
    bars = fig.axes[0].patches
    assert len(bars) == 30 and sorted(b.get_width() for b in bars) == [500 + 37 * i for i in range(30)]


def test_interview_lengths_of_hundreds_of_interviews_are_points_by_audience_in_a_figure_of_fixed_size():
    from analysis.figures.plots import plot_words_by_interview

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


def test_topic_interviews_draw_every_interview_as_a_point_in_its_audience_colour(turns):
    from analysis.figures.plots import plot_topic_interviews
    from analysis.measures.topic_comparisons import share_logits
    from analysis.stats.intervals import group_intervals

    dtm = build_dtm(turns, unit="chunk", min_count=5, min_docs=2)
    model = fit_topics(dtm, 4, "nmf")
    logits = share_logits(interview_shares(model, dtm), range(4))
    groups = ["turkish", "russian", "western", "other"]
    fig = plot_topic_interviews(logits, group_intervals(logits, range(4)), model.labels, [0, 1, 2], groups)
    first = fig.axes[0]
    swarms = [c for c in first.collections if isinstance(c, matplotlib.collections.PathCollection)]
    points = np.concatenate([c.get_offsets() for c in swarms])
    assert len(points) == len(logits) == 26
    assert sorted(points[:, 1]) == pytest.approx(sorted(logits[0]))
    colours = {matplotlib.colors.to_hex(f[:3]) for c in swarms for f in c.get_facecolors()}
    assert colours == {AUDIENCE_COLORS[g].lower() for g in groups}
    assert "(unstable, not tested)" in fig.axes[3].get_title(loc="left")
    assert "(unstable" not in first.get_title(loc="left")


def test_the_topic_grid_has_a_panel_per_criterion(turns):
    from analysis.figures.plots import plot_topic_grid

    grid = pd.DataFrame(
        {
            "k": [4, 6],
            "coherence": [0.1, 0.2],
            "coherence_low": [0.05, 0.15],
            "coherence_high": [0.12, 0.22],
            "exclusivity": [0.9, 0.95],
            "exclusivity_low": [0.88, 0.94],
            "heldout": [-6.4, -6.3],
            "heldout_se": [0.03, 0.03],
            "stability": [0.9, 0.85],
            "stability_low": [0.8, 0.8],
        }
    )
    fig = plot_topic_grid(grid, 6, "nmf", 5, 0.8)
    assert [ax.get_title(loc="left").split(":")[0] for ax in fig.axes] == [
        "Coherence",
        "Exclusivity",
        "Held-out likelihood, interviews held out",
        "Stability",
    ]
    assert list(fig.axes[2].lines[0].get_ydata()) == [-6.4, -6.3]


def _keyness_rows(verdicts: list[str]) -> pd.DataFrame:
    """A keyness table whose keywords have the given verdicts (half key for each side)."""
    n = len(verdicts)
    z = [5.0 - i * 0.1 if i % 2 == 0 else -5.0 + i * 0.1 for i in range(n)]
    return pd.DataFrame(
        {
            "feature": [f"w{i}" for i in range(n)],
            "label": [f"w{i}" for i in range(n)],
            "z": z,
            "key_for": ["target" if v > 0 else "reference" for v in z],
            "verdict": verdicts,
        }
    )


def test_the_keyness_caption_counts_the_bars_of_each_verdict():
    from analysis.figures.plots import keyness_verdict_line
    from analysis.measures.keyness import top_keywords

    table = _keyness_rows(["interview level, uncorrected"] * 3 + ["token level only"] + ["rests on one interview"])
    assert len(top_keywords(table, 15)) == 5
    assert keyness_verdict_line(table) == (
        "Of 5 bars, none holds across interviews (solid); 3 are key at the interview level before correction "
        "(slightly lighter); 1 is key when tokens are pooled only (light); 1 rests on one interview (hatched)."
    )
    two = _keyness_rows(["holds across interviews"] * 2)
    assert keyness_verdict_line(two) == "Of 2 bars, 2 hold across interviews (solid)."


def test_methods_and_frames_never_take_an_audience_colour():
    from matplotlib.colors import to_rgb

    from analysis.figures.plots import plot_learning_curve, plot_method_f1
    from analysis.figures.style import _SPARE, SERIES_COLORS

    audiences = [*AUDIENCE_COLORS.values(), *_SPARE]
    assert not any(len(set(to_rgb(a))) == 1 for a in audiences)  # black and greys annotate, never an audience
    # every series colour is far from every colour an audience may take (RGB distance, 0 to 1.73)
    for series in SERIES_COLORS:
        assert min(np.linalg.norm(np.subtract(to_rgb(series), to_rgb(a))) for a in audiences) > 0.2
    methods = ["model", "cue dictionary", "one keyword"]
    table = pd.DataFrame(
        [{"method": m, "frame": f, "f1": 0.7, "f1_low": 0.6, "f1_high": 0.8} for m in methods for f in ["law", "macro"]]
    )
    curve = pd.DataFrame(
        [{"frame": f, "n_paragraphs": n, "f1": 0.5} for f in [f"f{i}" for i in range(13)] + ["macro"] for n in (10, 20)]
    )
    for fig in (plot_method_f1(table, {"law": "Law"}, methods, "t"), plot_learning_curve(curve, {}, "t")):
        drawn = {to_rgb(line.get_color()) for ax in fig.axes for line in ax.get_lines()}
        drawn |= {to_rgb(c) for ax in fig.axes for coll in ax.collections for c in coll.get_edgecolor()}
        assert drawn and not drawn & {to_rgb(a) for a in audiences}


def test_the_timeline_shows_each_weeks_interval_n_and_interviews_in_audience_colours():
    from matplotlib.colors import to_rgb

    from analysis.audiences.comparisons import weekly_frames, with_weeks
    from analysis.figures.plots import plot_timeline

    start = pd.Timestamp("2020-09-27")
    shares = pd.DataFrame(
        {
            "doc_id": list("abcd"),
            "audience": ["turkish", "turkish", "western", "russian"],
            "date": ["2020-09-28", "2020-09-30", "2020-10-02", "2020-10-05"],
            "x": [0.0, 0.1, 0.6, 0.2],
        }
    )
    weekly = weekly_frames(shares, ["x"], start)
    fig = plot_timeline(weekly, ["x"], {"x": "X"}, {}, points=with_weeks(shares, start), groups=["turkish", "western"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["30 Sep\nn=3", "07 Oct\nn=1"]
    colours = {to_rgb(line.get_color()) for line in ax.get_lines() if line.get_linestyle() == "None"}
    assert {to_rgb(AUDIENCE_COLORS[g]) for g in ("turkish", "western")} <= colours
    # the interval of week 1 is drawn from its low to its high
    segments = [s for coll in ax.collections for s in coll.get_segments()]
    low, high = weekly.loc[0, ["low", "high"]]
    assert any(np.allclose(sorted(s[:, 1]), [100 * low, 100 * high]) for s in segments)


def test_a_saved_figure_records_what_it_shows_for_its_alt_text(tmp_path):
    import json

    import matplotlib.pyplot as plt

    from analysis.figures.plots import figure_alt

    fig, ax = plt.subplots()
    for audience in ("Turkish", "Western"):
        ax.barh(["Law", "War", "Peace"], [1, 2, 3], label=audience)
    ax.set_xlabel("Share of paragraphs (%)")
    ax.set_title("Frames by audience")
    ax.legend()
    save_figure(fig, "frames", tmp_path)
    about = json.loads((tmp_path / "frames.json").read_text())
    assert (
        about["alt"]
        == figure_alt(fig)
        == ("Bar chart in 1 panel: across, Share of paragraphs (%); down, Law, War, Peace. Legend: Turkish, Western.")
    )
    empty, _ = plt.subplots()
    assert figure_alt(empty) == ""
