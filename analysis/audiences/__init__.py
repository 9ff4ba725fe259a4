"""Stage 6, audiences compared: frames by audience (``comparisons``, ``coded``), the two estimands
(``estimands``), confounders and translation (``confounders``, ``translation``) and one robustness
table per claim (``robustness``)."""
