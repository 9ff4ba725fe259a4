"""What the analysis remembers within a session is keyed on its exact input: a remembered result
is never a stale one, and caches.clear() forgets everything."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analysis.frames.codebook import load_codebook
from analysis.frames.score import score
from analysis.measures import topics
from analysis.notebook import caches
from analysis.text.dtm import DocumentTermMatrix
from analysis.text.tokens import split_sentences, stem, train_sentence_splitter


def _codebook(tmp_path, cue):
    path = tmp_path / f"{cue}.yml"
    path.write_text("frames:\n  - {id: war, label: War, definition: d, cues: [" + cue + "]}\n", encoding="utf-8")
    return load_codebook(path)


def test_frame_counts_are_remembered_per_codebook(tmp_path):
    text = "The war, the war and the army."
    assert score([text], _codebook(tmp_path, "war"))["war"].tolist() == [2]
    # Same text, another codebook: its own count, not the remembered one.
    assert score([text], _codebook(tmp_path, "army"))["war"].tolist() == [1]


def _matrix(counts):
    counts = sparse.csr_matrix(np.asarray(counts))
    features = [f"w{j}" for j in range(counts.shape[1])]
    n = counts.shape[0]  # five units per interview: the grid holds out whole interviews
    units = pd.DataFrame({"unit_id": [f"u{i}" for i in range(n)], "doc_id": [f"d{i // 5}" for i in range(n)]})
    return DocumentTermMatrix(counts, units, pd.DataFrame({"feature": features, "label": features}), None)


def test_a_topic_model_is_reused_only_for_the_same_matrix_and_choices():
    rng = np.random.default_rng(0)
    counts = rng.poisson(1.0, (40, 30))
    caches.clear()
    one = topics.fit_topics(_matrix(counts), 3, "nmf", seed=0)
    assert topics.fit_topics(_matrix(counts.copy()), 3, "nmf", seed=0) is one
    assert topics.fit_topics(_matrix(counts), 3, "nmf", seed=1) is not one
    changed = counts.copy()
    changed[0, 0] += 5
    other = topics.fit_topics(_matrix(changed), 3, "nmf", seed=0)
    assert other is not one and not np.array_equal(other.doc_topics, one.doc_topics)
    with pytest.raises(ValueError, match="read-only"):
        one.doc_topics[0, 0] = 1.0
    caches.clear()
    again = topics.fit_topics(_matrix(counts), 3, "nmf", seed=0)
    assert again is not one and np.array_equal(again.doc_topics, one.doc_topics)


def test_the_grid_fills_the_memory_a_single_fit_then_uses():
    counts = np.random.default_rng(1).poisson(1.0, (40, 30))
    caches.clear()
    topics.topic_grid(_matrix(counts), "nmf", ks=[2, 3], seeds=[0, 1], n_jobs=1)
    assert len(topics._FITTED) == 4
    topics.fit_topics(_matrix(counts), 3, "nmf", seed=1)
    assert len(topics._FITTED) == 4


def test_sentences_and_stems_are_the_same_remembered_or_not():
    texts = ["Mr. Smith came. He left at 5 p.m. on Monday. Then the war began."] * 3
    splitter = train_sentence_splitter(texts)
    first = split_sentences(texts[0], splitter)
    assert split_sentences(texts[0], splitter) == first
    words = ["liberated", "territories", "negotiations"]
    stems = [stem(w) for w in words]
    caches.clear()
    assert split_sentences(texts[0], train_sentence_splitter(texts)) == first
    assert [stem(w) for w in words] == stems == ["liber", "territori", "negoti"]
