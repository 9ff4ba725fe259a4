"""What the readers' answers to the intrusion tasks show for one topic model, as one call
(:func:`intrusion_results`, 03_topics): the scores of :mod:`analysis.coding.intrusion` and the
sentence of :func:`analysis.coding.sentences.intrusion_line`."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..measures.topics import TopicModel
from .intrusion import (
    intrusion_agreement,
    key_matches,
    key_path,
    load_answers,
    model_precision,
    read_key,
    topic_log_odds,
)
from .sentences import intrusion_line


class IntrusionResults(NamedTuple):
    """What the readers' answers show for one model: ``precision`` (:func:`model_precision`),
    ``passages`` and ``log_odds`` (:func:`topic_log_odds`), ``agreement``
    (:func:`intrusion_agreement`), ``coders`` (names, sorted) and ``note``: one Markdown sentence
    on what exists (no tasks, tasks of another model, no answers yet, or the answers read)."""

    precision: pd.DataFrame | None
    passages: pd.DataFrame | None
    log_odds: dict | None
    agreement: pd.DataFrame | None
    coders: list[str]
    note: str


def _shown(folder: Path) -> str:
    """A folder as the report names it: relative to the project when inside it."""
    from .. import config

    try:
        return str(folder.resolve().relative_to(config.PROJECT_ROOT))
    except ValueError:
        return str(folder)


def intrusion_results(
    model: TopicModel, folder: str | Path, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> IntrusionResults:
    """Read ``model.method``'s key and answer files in ``folder`` and score them (see the module
    docstring); says plainly when there are no tasks, when they belong to another model (its top
    words differ: nothing is applied), or when nobody has answered yet."""
    folder = Path(folder)
    name, shown = model.method.upper(), _shown(folder)
    if not key_path(folder, model.method).exists():
        note = f"No intrusion tasks for the {name} topics in `{shown}` (`python -m analysis intrusion` draws them)."
        return IntrusionResults(None, None, None, None, [], note)
    key = read_key(folder, model.method)
    if not key_matches(key, model):
        note = (f"The intrusion tasks in `{shown}` were drawn from another {name} model (other k or top words), "
                "so no answer is applied to these topics.")  # fmt: skip
        return IntrusionResults(None, None, None, None, [], note)
    answers = load_answers(folder, model.method)
    coders = sorted(set(answers["coder"]))
    precision = model_precision(key, answers, n_boot, seed, level)
    passages, log_odds = topic_log_odds(key, answers, n_boot, seed, level)
    agreement = intrusion_agreement(key, answers, n_boot, seed, level)
    if not coders:
        note = (
            f"**No answers yet** to the {name} intrusion tasks (`{shown}/tasks_{model.method}.csv`; each reader's "
            f"answers go to answers_{model.method}_CODER.csv, CODER the reader's name, see "
            "`intrusion_instructions.md`): no topic is judged by reading, and none is left out for it."
        )
    else:
        note = intrusion_line(precision, log_odds, agreement, coders, name)
    return IntrusionResults(precision, passages, log_odds, agreement, coders, note)
