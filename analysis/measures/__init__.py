"""Stage 4, measures of the words: keyness (``keyness``) and topic models (``topics``) with their
checks (``topic_checks``) and audience comparisons (``topic_comparisons``)."""
