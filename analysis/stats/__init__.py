"""Stage 3, statistics over interviews: resampling, intervals, regression models with cluster-robust
errors (``models``, ``few_clusters``), what a contrast could detect (``detectable``), pooled shares
(``pooling``) and the progress bars of slow loops (``progress``). No measure, no frame, no figure."""
