"""Concordance: every occurrence with its context, filtered by audience and role."""

import pytest

from analysis.corpus.normalise import normalize_text
from analysis.notebook.display import style_concordance
from analysis.text.concordance import concordance, count_hits


@pytest.fixture(scope="module")
def turns(seed_turns):
    return seed_turns


def test_known_passage(turns):
    # A Haber, 16 October, raw line 1211: "There is no status quo or a line of contact. We broke
    # through it as well."
    table = concordance(turns, "line of contact", window=5)
    row = table[table["turn_id"] == "a_haber-073"].iloc[0]
    assert (row["left"], row["match"], row["right"]) == (
        "no status quo or a",
        "line of contact",
        ". We broke through it as",
    )
    assert (row["outlet"], row["audience"], row["line_start"]) == ("A Haber", "turkish", 1211)


def test_every_occurrence_in_focal_interview_speech(turns):
    table = concordance(turns, "Line of Contact")
    assert len(table) == 24  # as counted by find_phrases on the same text
    assert count_hits(table).to_dict("index") == {
        "other": {"hits": 1, "interviews": 1},
        "russian": {"hits": 9, "interviews": 5},
        "turkish": {"hits": 8, "interviews": 2},
        "western": {"hits": 6, "interviews": 4},
    }


def test_filters_by_audience_and_role(turns):
    turkish = concordance(turns, "line of contact", audience="turkish")
    assert set(turkish["audience"]) == {"turkish"} and len(turkish) == 8
    asked = concordance(turns, "minsk group", role="interviewer")
    assert len(asked) > 0 and set(asked["turn_id"]) <= set(turns.loc[turns["role"] == "interviewer", "turn_id"])


def test_wildcard_matches_any_ending(turns):
    matches = set(concordance(turns, "liberat*", audience="turkish")["match"].str.lower())
    assert {"liberated", "liberation", "liberate"} <= matches


def test_window_zero_and_context_stays_in_the_turn(turns):
    table = concordance(turns, "khojaly", window=0)
    assert (table["left"] == "").all() and (table["right"] == "").all()
    texts = turns.set_index("turn_id")["text"].map(lambda t: normalize_text(t).replace("\n", " "))
    wide = concordance(turns, "inshallah", window=1000)
    assert len(wide) > 0
    for row in wide.itertuples():
        # With a window wider than the turn, the context is the whole turn up to its last word.
        squeezed = "".join((row.left + row.match + row.right).split())
        assert "".join(texts[row.turn_id].split()).startswith(squeezed)


def test_bad_query_is_explained(turns):
    with pytest.raises(ValueError, match="one or more words"):
        concordance(turns, "  ")
    with pytest.raises(ValueError, match="window must be"):
        concordance(turns, "peace", window=-1)


def test_styled_table_escapes_the_text(turns):
    table = concordance(turns, "line of contact").head(1).assign(left="<script>x</script>")
    html = style_concordance(table).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_styled_table_escapes_outlet_and_audience_too(turns):
    table = (
        concordance(turns, "line of contact")
        .head(1)
        .assign(outlet="<img src=x onerror=alert(1)> TV", audience="<b>west</b>")
    )
    html = style_concordance(table).to_html()
    assert "<img" not in html and "<b>" not in html and "&lt;img src=x onerror=alert(1)&gt; TV" in html
