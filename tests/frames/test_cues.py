"""The frame detector: cues, phrases, wildcards, negation, the API's shape, and clear errors."""

import pandas as pd
import pytest

from analysis.errors import CorpusError
from analysis.frames.codebook import default_codebook, load_codebook
from analysis.frames.cues import matches, per_thousand_words, score_baseline, score_units
from analysis.frames.score import score
from tests.helpers import FRAME_IDS

CODEBOOK = """
negation_window: 3
negators: [not, never, "no"]
frames:
  - id: legal
    label: Law
    definition: Appeals to law.
    cues: [territorial integrity, "re: \\\\bUN\\\\b resolutions?", sovereign*]
    baseline: 'law'
  - id: victims
    label: Victims
    definition: Civilians harmed.
    cues: [civilian*, co-chair]
    ignore_negated: true
"""


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return load_codebook(path)


def test_the_seed_codebook_defines_the_thirteen_frames():
    book = default_codebook()
    assert book.ids == list(FRAME_IDS)
    assert all(f.definition and f.cues and f.baseline for f in book.frames)


def test_score_returns_one_row_per_text_in_order_and_one_column_per_frame():
    texts = ["We will restore our territorial integrity.", "", "Turkey is our brother. Turkey!"]
    table = score(texts, method="cues")
    assert list(table.columns) == list(FRAME_IDS) and list(table.index) == [0, 1, 2]
    assert table.loc[0, "legal"] == 1 and table.loc[2, "turkey"] == 2
    assert table.loc[1].sum() == 0
    assert all(str(t) == "int64" for t in table.dtypes)


def test_each_frame_matches_a_cue_of_its_own():
    examples = {
        "legal": "the resolutions of the UN Security Council",
        "occupation": "the liberated villages",
        "victims": "a ballistic missile hit Ganja",
        "aggressor": "another provocation by Pashinyan",
        "disinformation": "this is fake news",
        "mediation": "the OSCE Minsk Group co-chairs",
        "turkey": "President Erdogan",
        "russia": "President Putin",
        "west_bias": "double standards",
        "mercenaries": "Syrian mercenaries",
        "military": "our army on the battlefield",
        "peace": "we will live together in peace",
        "internationalization": "we call on all countries to stay away",
    }
    table = score(list(examples.values()), method="cues")
    for i, frame in enumerate(examples):
        assert table.loc[i, frame] > 0, frame


def test_phrases_match_any_spacing_and_case_and_overlaps_count_once(book):
    table = score(["Territorial\n  integrity, UN resolution and UN resolutions; SOVEREIGNTY", "integrity"], book)
    assert table.loc[0, "legal"] == 4 and table.loc[1, "legal"] == 0
    # "co-chair" matches "co chair" and "co-chair", but a word must be whole.
    assert score(["the co chair and the co-chair", "co-chairman"], book)["victims"].tolist() == [2, 0]


def test_negated_cues_do_not_count_where_the_frame_says_so(book):
    texts = [
        "We never target civilians.",
        "Civilians were killed. We do not know why.",
        "No. Civilians died",
        "we have not, as you know, hit any civilians",
    ]
    assert score(texts, book)["victims"].tolist() == [0, 1, 1, 1]
    # A negation before a clause boundary does not reach the cue; the window is three words.
    assert score(["not a single one of the civilians"], book)["victims"].tolist() == [1]
    spans = matches("We never target civilians. Civilians suffer.", "victims", book)
    assert [(text, negated) for _, _, text, negated in spans] == [("civilians", True), ("Civilians", False)]


def test_typographic_characters_do_not_hide_cues():
    assert score(["Azerbaijan\u2019s territorial\u00a0integrity"], method="cues")["legal"].tolist() == [1]


def test_baseline_uses_one_expression_per_frame(book):
    table = score_baseline(["international law and the law of war", "civilians"], book)
    assert table["legal"].tolist() == [2, 0] and table["victims"].tolist() == [0, 0]


def test_scoring_units_gives_counts_and_rates(book):
    units = pd.DataFrame({"unit_id": ["a", "b"], "n_words": [500, 0], "text": ["civilians civilians", ""]})
    scored = score_units(units, book)
    assert list(scored.columns) == ["unit_id", "n_words", "legal", "victims"]
    rates = per_thousand_words(scored, ["legal", "victims"])
    assert rates["victims"].tolist() == [4.0, 0.0]


@pytest.mark.parametrize("bad", ["one string", [None, "text"], [1.5]])
def test_bad_input_to_score_is_explained(bad):
    with pytest.raises(TypeError, match="score\\(\\)"):
        score(bad)


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("frames: []", "codebook.yml:1: `frames` is empty"),
        (
            "frames:\n  - id: x\n    label: X\n    definition: d\n",
            r"codebook.yml:2: missing required key 'cues' in `frames\[0\]`",
        ),
        (
            "frames:\n  - id: x\n    label: X\n    definition: d\n    cue: [a]\n",
            r"codebook.yml:5: unknown key 'cue' in `frames\[0\]`. Fix: did you mean 'cues'\?",
        ),
        (
            "negators: [not, no]\nframes:\n  - {id: x, label: X, definition: d, cues: [a]}",
            r"codebook.yml:1: `negators\[1\]` must be text, not false. Fix: put the word in quotes",
        ),
        (
            "frames:\n  - {id: x, label: X, definition: d, cues: war}",
            r"`frames\[0\].cues` must be a list, not the text",
        ),
        (
            "frames:\n  - {id: x, label: X, definition: d, cues: [a]}\n  - {id: x, label: Y, definition: d, cues: [b]}",
            "used twice",
        ),
        ("frames:\n  - {id: x, label: X, definition: d, cues: ['re: (unclosed']}", "not a valid regular expression"),
        ("frames:\n  - {id: Bad Id, label: X, definition: d, cues: [a]}", "'Bad Id' is not a plain lower-case name"),
    ],
)
def test_bad_codebooks_are_explained(tmp_path, yaml_text, message):
    path = tmp_path / "codebook.yml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        load_codebook(path)


@pytest.mark.parametrize("cue", ["'*'", "'re:'", "'re: a?'", "'re: \\b'", "'re: (?=war)'", "'  '"])
def test_a_cue_that_matches_every_text_is_refused_with_its_line(tmp_path, cue):
    """`*` or `re:` matched every text, an empty one too, so the frame was found everywhere, silently."""
    path = tmp_path / "codebook.yml"
    path.write_text(f"frames:\n  - id: x\n    label: X\n    definition: d\n    cues:\n      - war\n      - {cue}\n")
    with pytest.raises(CorpusError, match=r"codebook\.yml:7: frame x, cue .* would find the frame in every text"):
        load_codebook(path)
    path.write_text(path.read_text().replace(f"      - {cue}\n", "      - 're: wars?'\n"))
    assert score(["", "the war"], load_codebook(path), method="cues")["x"].tolist() == [0, 1]
