"""Topic models fitted on the whole seed corpus: the grid of k reports coherence, exclusivity, held-out
fit and stability, and is the same whatever the number of processes and with a progress bar shown.
"""

import numpy as np

from analysis.measures.topics import (
    heldout_likelihood,
    topic_grid,
)


def test_grid_reports_coherence_and_stability_per_k(chunks):
    grid = topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=1)
    assert list(grid["k"]) == [4, 8]
    assert {"exclusivity", "exclusivity_low", "heldout", "heldout_se"} <= set(grid.columns)
    assert (grid["heldout"] < 0).all() and (grid["exclusivity"].between(0, 1)).all()
    assert ((grid["coherence_low"] <= grid["coherence"]) & (grid["coherence"] <= grid["coherence_high"])).all()
    assert grid["stability"].between(0, 1.0000001).all()
    assert grid.equals(topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=2))


def test_heldout_likelihood_holds_out_whole_interviews_and_repeats(chunks):
    one = heldout_likelihood(chunks, "nmf", [4, 6], seed=0, n_folds=3, n_jobs=1)
    assert list(one["k"]) == [4, 6]
    assert one["n_heldout"].iat[0] == one["n_heldout"].iat[1] > 0.4 * chunks.counts.sum()
    # per-word log-likelihood: worse than certainty, better than a uniform guess over the vocabulary
    assert ((one["heldout"] < 0) & (one["heldout"] > -np.log(chunks.counts.shape[1]))).all()
    assert one.equals(heldout_likelihood(chunks, "nmf", [4, 6], seed=0, n_folds=3, n_jobs=2))


def test_the_grid_is_the_same_with_a_progress_bar(chunks, monkeypatch, capsys):
    from analysis.notebook import caches
    from analysis.stats import progress

    quiet = topic_grid(chunks, "nmf", ks=(4,), seeds=(0, 1), n_jobs=1)
    caches.clear()
    monkeypatch.setenv(progress.ENV, "1")
    monkeypatch.setattr(progress, "DELAY", 0)
    shown = topic_grid(chunks, "nmf", ks=(4,), seeds=(0, 1), n_jobs=2)
    assert shown.equals(quiet)
    assert "nmf topic models" in capsys.readouterr().err
