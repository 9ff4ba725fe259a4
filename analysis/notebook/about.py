"""What the notebooks say about the corpus they run on, and the defaults they take from it.

Every notebook reads the same three path parameters (``processed_dir``, ``figures_dir``,
``corpus_config``; None means the seed study, or the corpus ``make lab CORPUS=DIR`` opened) and
takes the focal speaker, the corpus's name, its audience groups, its events and its codebook from
the corpus configuration, so that no title, caption or summary names the seed study when the
report runs on another corpus (README, "Bring your own corpus").
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .. import config
from ..corpus.settings import CorpusConfig, load_config

#: Metadata key of a notebook output that ends the run there, cleanly (analysis.report.kernels).
END_NOTEBOOK = "analysis/end-notebook"
#: Set to "1" in the environment of the kernels that ``make report``'s engine starts, which honour
#: :data:`END_NOTEBOOK`; elsewhere (JupyterLab) :func:`end_here` stops the run itself.
ENDS_EARLY = "DISCOURSE_ENDS_EARLY"


class NotebookEnds(Exception):
    """Raised by :func:`end_here` in a kernel that ``make report``'s engine did not start: it stops
    "Run All" at that cell, before cells that do not apply, and shows one line, not a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of the traceback
        return [f"The notebook ends here: {self}. The cells below do not apply to this corpus."]


class Setting(NamedTuple):
    """Where a notebook reads and writes: ``processed`` (corpus tables), ``figures`` (outputs) and
    ``cfg`` (the parsed corpus configuration)."""

    processed: Path
    figures: Path
    cfg: CorpusConfig


def setting(processed_dir=None, figures_dir=None, corpus_config=None) -> Setting:
    """The notebook's folders and corpus: the parameters when given, else the corpus opened by
    ``make lab CORPUS=DIR`` (environment ``DISCOURSE_PROCESSED``, ``DISCOURSE_FIGURES``,
    ``DISCOURSE_CORPUS``), else the seed study's."""
    env = os.environ.get
    return Setting(
        Path(processed_dir or env("DISCOURSE_PROCESSED") or config.DATA_PROCESSED),
        Path(figures_dir or env("DISCOURSE_FIGURES") or config.FIGURES),
        load_config(corpus_config or env("DISCOURSE_CORPUS") or config.SEED_CONFIG),
    )


def corpus_name(cfg: CorpusConfig) -> str:
    """The corpus's name as the notebooks' Markdown names it (shown through
    :class:`analysis.notebook.display.Markdown`, which escapes it: corpus text is never markup)."""
    return cfg.name


def describe_corpus(cfg: CorpusConfig, documents: pd.DataFrame) -> str:
    """One Markdown sentence: the corpus's name, its focal speaker, dates and audience groups, to be
    shown through :class:`analysis.notebook.display.Markdown` (which escapes the corpus's text). "**My
    interviews**: interviews of Jane Doe (3 Mar 2021 to 9 Apr 2021) for the audiences home, abroad." """
    return (
        f"**{corpus_name(cfg)}**: interviews of {cfg.focal_speaker} ({date_range(documents)}) "
        f"for the audiences {', '.join(cfg.audience_groups)}."
    )


def short_name(cfg: CorpusConfig) -> str:
    """How captions name the focal speaker: the last word of the name ("Jane Doe" -> "Doe")."""
    return cfg.focal_speaker.split()[-1] if cfg.focal_speaker.split() else cfg.focal_speaker


def coding_folder(cfg: CorpusConfig, folder: str | Path | None = None) -> Path:
    """The folder where ``06_code`` writes a corpus's ``coding_<coder>.csv`` files and ``04_framing_1_measure``
    looks for them: ``folder`` when given (a notebook's ``coding_dir`` parameter), else
    ``data/coding`` for the seed study, else a ``coding`` folder beside the corpus's ``corpus.yml``."""
    if folder:
        return Path(folder)
    return config.DATA_CODING if cfg.path.resolve() == config.SEED_CONFIG.resolve() else cfg.path.parent / "coding"


def coding_kind(coding_path) -> str:
    """What kind of coding by reading ``coding_path`` holds, as a plural noun phrase:
    ``"model-based codings"`` for the seed study's ``data/coding/frames_coded.csv`` (every reading made by
    separate sessions of a language model working from the codebook; data/coding/README.md), else
    ``"codings by reading"`` (a corpus of one's own says in its own documentation who read)."""
    seed = coding_path is not None and Path(coding_path).resolve() == config.FRAMES_CODED.resolve()
    return "model-based codings" if seed else "codings by reading"


def check_groups(wanted, cfg: CorpusConfig, present=None) -> list[str]:
    """``wanted`` (names of audience groups) after checking each is one of the corpus's groups
    (and, if ``present`` is given, has interviews); a ValueError naming the missing group and the
    groups that exist otherwise."""
    wanted = [g for g in wanted if g is not None]
    known = list(cfg.audience_groups) if present is None else [g for g in cfg.audience_groups if g in set(present)]
    missing = [g for g in wanted if g not in known]
    if missing:
        raise ValueError(
            f"audience group {', '.join(map(repr, missing))} is not in this corpus ({cfg.name}); "
            f"its groups{' with interviews' if present is not None else ''} are: {', '.join(known) or 'none'}"
        )
    return wanted


def week_start(cfg: CorpusConfig, documents: pd.DataFrame) -> pd.Timestamp:
    """Day 0 of the week count: the config's ``start_date``, else the first dated document."""
    if cfg.start_date:
        return pd.Timestamp(cfg.start_date)
    dates = pd.to_datetime(documents["date"], errors="coerce").dropna()
    return dates.min() if len(dates) else pd.Timestamp("1970-01-01")


def date_range(documents: pd.DataFrame) -> str:
    """The documents' dates as "3 Mar 2021 to 9 Apr 2021" ("undated" when there are none)."""
    dates = pd.to_datetime(documents["date"], errors="coerce").dropna()
    if not len(dates):
        return "undated"
    return f"{dates.min():%-d %b %Y} to {dates.max():%-d %b %Y}"


def frequent_phrase(turns: pd.DataFrame, role: str = "focal", n: int = 2) -> str:
    """The most frequent phrase of ``n`` words of the ``role``'s turns that starts and ends with a
    content word (not a stop word): the concordance's default query on any corpus."""
    from ..text.tokens import STOP_WORDS

    counts = Counter()
    for text in turns.loc[turns["role"] == role, "text"]:
        words = [w.strip(".,;:!?\"'()[]").lower() for w in str(text).split()]
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if (
                all(gram)
                and gram[0] not in STOP_WORDS
                and gram[-1] not in STOP_WORDS
                and all(w.isalpha() for w in gram)
            ):
                counts[" ".join(gram)] += 1
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""


def end_here(message: str) -> None:
    """Show ``message`` and end the notebook run there. Under ``make report``'s engine
    (analysis.report.kernels, which sets :data:`ENDS_EARLY`) without an error: it runs no further
    cell and drops them from the executed copy. Anywhere else (JupyterLab, plain papermill) by
    raising :class:`NotebookEnds`, so that "Run All" stops here instead of failing further down."""
    from IPython.display import display

    from .display import Markdown

    display(Markdown(message), metadata={END_NOTEBOOK: True})
    if os.environ.get(ENDS_EARLY) != "1":
        raise NotebookEnds("the message above says why")
