"""Stage 2, text: tokens (``tokens``), document-term matrices (``dtm``) and key words in context
(``concordance``), built from the corpus tables. Imports the corpus stage only."""
