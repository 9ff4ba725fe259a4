"""Document-term matrices by interview, turn and chunk."""

import numpy as np
import pytest

from analysis.text.dtm import build_dtm, group_counts, make_units, select_turns
from analysis.text.tokens import TextProcessor
from tests.helpers import make_turns

DOCS = {
    "t1": ("turkish", ["Peace and peace again.", "Lands were liberated."]),
    "w1": ("western", ["War, war and war.", "Peace talks."]),
}


def test_counts_by_interview_can_be_checked_by_hand():
    dtm = build_dtm(make_turns(DOCS), processor=TextProcessor(stem=False))
    table = dtm.to_frame()
    assert list(table.index) == ["t1", "w1"]
    assert table.loc["t1"].to_dict() == {"lands": 1, "liberated": 1, "peace": 2, "talks": 0, "war": 0}
    assert table.loc["w1"].to_dict() == {"lands": 0, "liberated": 0, "peace": 1, "talks": 1, "war": 3}
    assert list(dtm.units["n_tokens"]) == [4, 5]
    assert list(dtm.units["n_words"]) == [7, 6]  # "and", "again", "were" are words too
    assert dtm.features.set_index("label")["n_docs"].to_dict() == {
        "lands": 1,
        "liberated": 1,
        "peace": 2,
        "talks": 1,
        "war": 1,
    }


def test_interviewer_words_are_left_out_by_default_and_can_be_chosen():
    turns = make_turns(DOCS)
    focal = build_dtm(turns, processor=TextProcessor(stem=False))
    asked = build_dtm(turns, role="interviewer", processor=TextProcessor(stem=False))
    assert "say" not in set(focal.features["label"])
    assert asked.to_frame().sum().to_dict() == {}  # "What do you say?" is all stop words
    both = build_dtm(turns, role=None, processor=TextProcessor(stem=False, stop_words=()))
    assert both.to_frame()["say"].to_dict() == {"t1": 2, "w1": 2}


def test_turn_units_keep_turn_ids_and_metadata():
    dtm = build_dtm(make_turns(DOCS), unit="turn", processor=TextProcessor(stem=False))
    assert list(dtm.units["unit_id"]) == ["t1-002", "t1-004", "w1-002", "w1-004"]
    assert list(dtm.units["audience"]) == ["turkish", "turkish", "western", "western"]
    assert group_counts(dtm).loc["war", "western"] == 3


def test_seed_interviews_hold_exactly_the_focal_words_not_repeated(seed, seed_turns):
    documents = seed.documents
    dtm = build_dtm(seed_turns)
    interviews = documents[documents["kind"] == "interview"]
    assert len(dtm.units) == 26
    assert dtm.units["n_words"].sum() == interviews["words_focal_unique"].astype(int).sum() == 85852
    assert set(dtm.units["audience"].value_counts().items()) == {
        ("turkish", 6),
        ("russian", 6),
        ("western", 11),
        ("other", 3),
    }


def test_chunks_have_about_n_words_and_add_up_to_the_interview(seed_turns):
    turns = select_turns(seed_turns)
    chunks = make_units(turns, unit="chunk", chunk_words=200)
    whole = make_units(turns, unit="interview")
    assert chunks["n_words"].sum() == whole["n_words"].sum()
    last = chunks.groupby("doc_id").tail(1).index
    assert (chunks.drop(index=last)["n_words"] >= 200).all()
    assert chunks["n_words"].median() < 260


def test_repeated_turns_are_excluded_unless_asked_for(seed_turns):
    all_kinds = build_dtm(seed_turns, kinds=None, processor=TextProcessor())
    with_repeats = build_dtm(seed_turns, kinds=None, include_duplicates=True, processor=TextProcessor())
    assert "trend_efe" not in set(all_kinds.units["doc_id"])
    assert with_repeats.counts.sum() > all_kinds.counts.sum()


def test_same_turns_give_the_same_matrix(seed_turns):
    one, two = build_dtm(seed_turns, unit="chunk"), build_dtm(seed_turns, unit="chunk")
    assert (one.counts != two.counts).nnz == 0
    assert one.features.equals(two.features) and one.units.equals(two.units)


def test_min_count_and_min_docs_trim_features():
    dtm = build_dtm(make_turns(DOCS), processor=TextProcessor(stem=False), min_count=2, min_docs=1)
    assert list(dtm.features["label"]) == ["peace", "war"]
    dtm = build_dtm(make_turns(DOCS), processor=TextProcessor(stem=False), min_docs=2)
    assert list(dtm.features["label"]) == ["peace"]
    assert np.asarray(dtm.counts.sum(axis=1)).ravel().tolist() == list(dtm.units["n_tokens"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"unit": "sentence"}, "unit must be one of"),
        ({"role": "moderator"}, "no turns have the role"),
        ({"unit": "chunk", "chunk_words": 0}, "chunk_words must be a positive"),
    ],
)
def test_bad_choices_get_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_dtm(make_turns(DOCS), processor=TextProcessor(), **kwargs)


def test_turns_without_metadata_are_refused(seed):
    with pytest.raises(ValueError, match="with_metadata=True"):
        build_dtm(seed.turns)


def test_translation_equivalents_are_counted_as_one_feature():
    from analysis.text.dtm import merge_features

    turns = make_turns({"a": ("turkish", ["fundamental rights and basic rights"]), "b": ("western", ["basic rights"])})
    dtm = build_dtm(turns, processor=TextProcessor(stem=False))
    merged = merge_features(dtm, {"fundamental": "basic"})
    assert "fundamental" not in set(merged.features["label"])
    row = merged.features.set_index("label").loc["basic"]
    assert row["count"] == 3 and row["n_docs"] == 2
    assert merged.counts.sum() == dtm.counts.sum() and merged.counts.shape[1] == dtm.counts.shape[1] - 1
    with pytest.raises(ValueError, match="no feature is labelled"):
        merge_features(dtm, {"fundamentals": "basic"})


def test_a_corpus_s_own_stop_words_leave_the_counts():
    # The config's stop_words (any case) join the default list: "Jake" and "Dana", hosts' first
    # names, would otherwise be among the most frequent words of a campaign corpus.
    docs = {"t1": ("turkish", ["Jake, peace again.", "Thank you, Dana."]), "w1": ("western", ["Dana, war."])}
    plain = build_dtm(make_turns(docs))
    assert {"jake", "dana"} <= set(plain.features["label"])
    trimmed = build_dtm(make_turns(docs), stop_words=["JAKE", "dana"])
    assert not {"jake", "dana"} & set(trimmed.features["label"])
    assert trimmed.to_frame().sum().sum() == plain.to_frame().sum().sum() - 3
