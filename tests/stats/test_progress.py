"""Progress bars: shown only on a terminal (or when asked), never changing what a loop yields."""

import io

import numpy as np
import pytest

from analysis.stats import progress as progress_module
from analysis.stats import resampling
from analysis.stats.progress import ENV, progress, progress_disabled


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self):
        return True


def terminal(monkeypatch, stream=None):
    """Make standard error a terminal whose output the test reads (``stream``: another stream),
    with bars that appear at once. Called in the test itself: pytest puts its own capture back
    on sys.stderr between a fixture's setup and the test."""
    stream = Terminal() if stream is None else stream
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setattr(progress_module, "DELAY", 0)
    monkeypatch.delenv(ENV, raising=False)
    return stream


@pytest.mark.parametrize("setting, expected", [("0", True), ("1", False), ("", None), ("yes", None)])
def test_the_environment_variable_forces_bars_off_or_on(monkeypatch, setting, expected):
    monkeypatch.setenv(ENV, setting)
    assert progress_disabled() is expected


def test_the_items_come_through_unchanged_and_in_order(monkeypatch):
    stderr = terminal(monkeypatch)
    items = [3, 1, 2, "a", None]
    assert list(progress(items, "items")) == items
    assert list(progress((x * 2 for x in range(5)), "doubled", total=5)) == [0, 2, 4, 6, 8]
    assert "items" in stderr.getvalue() and "doubled" in stderr.getvalue()


def test_no_bar_when_standard_error_is_not_a_terminal(monkeypatch):
    stream = terminal(monkeypatch, io.StringIO())
    assert list(progress(range(3), "quiet")) == [0, 1, 2]
    assert stream.getvalue() == ""


def test_no_bar_when_switched_off_even_on_a_terminal(monkeypatch):
    stderr = terminal(monkeypatch)
    monkeypatch.setenv(ENV, "0")
    assert list(progress(range(3), "off")) == [0, 1, 2]
    assert stderr.getvalue() == ""


def test_a_quick_step_shows_no_bar(monkeypatch):
    stderr = terminal(monkeypatch)
    monkeypatch.setattr(progress_module, "DELAY", 60)
    assert list(progress(range(3), "quick")) == [0, 1, 2]
    assert stderr.getvalue() == ""


@pytest.mark.parametrize("n_resamples", [10, 999])  # exact (10 splits of 5 rows) and random
def test_a_bar_does_not_change_a_permutation_test(monkeypatch, n_resamples):
    stderr = terminal(monkeypatch)
    a, b = np.arange(6.0).reshape(3, 2), np.arange(4.0).reshape(2, 2) ** 2
    monkeypatch.setenv(ENV, "1")
    rng_shown = np.random.default_rng(4)
    shown = resampling.permutation_p(a, b, n_resamples, rng_shown)
    monkeypatch.setenv(ENV, "0")
    rng_hidden = np.random.default_rng(4)
    hidden = resampling.permutation_p(a, b, n_resamples, rng_hidden)
    assert np.array_equal(shown, hidden) and rng_shown.random() == rng_hidden.random()
    assert "permutations" in stderr.getvalue()
