"""Topic models fitted on the whole seed corpus: the grid of k reports coherence, exclusivity, held-out
fit and stability, and is the same whatever the number of processes.
"""

from analysis.measures.topics import topic_grid


def test_grid_reports_coherence_and_stability_per_k(chunks):
    grid = topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=1)
    assert list(grid["k"]) == [4, 8]
    assert {"exclusivity", "exclusivity_low", "heldout", "heldout_se"} <= set(grid.columns)
    assert (grid["heldout"] < 0).all() and (grid["exclusivity"].between(0, 1)).all()
    assert ((grid["coherence_low"] <= grid["coherence"]) & (grid["coherence"] <= grid["coherence_high"])).all()
    assert grid["stability"].between(0, 1.0000001).all()
    assert grid.equals(topic_grid(chunks, "nmf", ks=(4, 8), seeds=(0, 1, 2), n_jobs=2))
