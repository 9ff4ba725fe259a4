"""Nothing reaches the network or needs NLTK's data downloader."""

import socket

import nltk
import pytest

from analysis import config
from analysis.corpus import attach_metadata, build_corpus
from analysis.frames.score import score
from analysis.measures.keyness import keyness
from analysis.measures.topics import fit_topics
from analysis.text import tokens
from analysis.text.concordance import concordance
from analysis.text.dtm import build_dtm


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """Sockets refuse to connect, the NLTK downloader raises, and NLTK finds no data at all."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.downloader, "download", refuse)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path / "no_nltk_data")])
    tokens._train_splitter.cache_clear()


def test_the_analysis_runs_offline_without_nltk_data(offline):
    corpus = build_corpus(config.SEED_CONFIG)
    turns = attach_metadata(corpus.turns, corpus.documents)
    dtm = build_dtm(turns, unit="chunk")  # trains Punkt, finds phrases, stems
    assert "minsk group" in set(dtm.features["label"])
    assert len(keyness(build_dtm(turns), "turkish", "western", n_resamples=199)) > 100
    assert len(concordance(turns, "line of contact")) == 24
    assert fit_topics(dtm, 5, "lda", passes=2).k == 5
    assert score(list(turns["text"].head(50))).shape == (50, 13)


def test_the_guard_itself_works(offline):
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.create_connection(("pypi.org", 443))
    with pytest.raises(LookupError):
        nltk.data.find("tokenizers/punkt")
