"""Stage 7, figures: one look and one colour per audience (``style``), the plot functions and
``save_figure`` (``plots``)."""
