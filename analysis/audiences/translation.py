"""How the compared audiences reach us: in translation or in the language spoken.

Kept apart from :mod:`analysis.audiences.confounders` (which imports the frame models) so that a notebook
that only needs a caption's sentence on translation, such as 02_keyness, does not read the codebook
and is not rerun when it changes (analysis/report/deps.py follows imports).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def translation_note(documents: pd.DataFrame, groups: Sequence[str], group_label=str) -> str:
    """A caption's sentence on how each of ``groups`` reaches us (``documents``: one row per
    interview with ``audience`` and ``translated`` "true", "false" or unknown), e.g. "Translated:
    Turkish 6 of 6, Russian 7 of 7; not translated: Western 11 of 12 (1 unknown). A difference
    between translated and not translated audiences may be translation." Only the last sentence
    is left out where no compared group is mostly translated while another is mostly not."""
    translated, original = [], []
    for g in groups:
        part = documents[documents["audience"] == g]["translated"].fillna("").astype(str)
        if part.empty:
            continue
        t, f = int((part == "true").sum()), int((part == "false").sum())
        unknown = len(part) - t - f
        tail = f" ({unknown} unknown)" if unknown else ""
        if t > f:
            translated.append(f"{group_label(g)} {t} of {len(part)}{tail}")
        elif f > t:
            original.append(f"{group_label(g)} {f} of {len(part)}{tail}")
    parts = ([f"translated: {', '.join(translated)}"] if translated else []) + (
        [f"not translated: {', '.join(original)}"] if original else []
    )
    if not parts:
        return ""
    text = "; ".join(parts) + "."
    if translated and original:
        text += " A difference between a translated and a not translated audience may be translation."
    return text[0].upper() + text[1:]
