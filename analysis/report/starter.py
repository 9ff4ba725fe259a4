"""``python -m analysis new DIR``: the files a corpus of one's own starts from.

:func:`write_starter` writes into ``DIR`` a commented ``corpus.yml``, an empty ``metadata.csv``
with the metadata's columns, a ``report.yml`` with every notebook run for the corpus's audience
groups (:func:`analysis.report.rules.default_definition`) and a ``codebook.yml`` template of two
frames to replace. It never overwrites a file. Then: transcripts in ``DIR``, one metadata row
each, ``make report CORPUS=DIR``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..corpus.names import group_problem
from ..corpus.settings import METADATA_REQUIRED
from ..errors import CorpusError
from ..io import write_text
from .rules import default_definition

CORPUS_YML = """\
# A corpus of one's own (README, "Bring your own corpus"). Paths are relative to this folder.
name: {name}
# The person studied, as the transcripts label their paragraphs ("{speaker}: ...").
focal_speaker: {speaker}
# The audiences compared; every row of metadata.csv names one of them in its `audience` column.
audience_groups: {groups}
metadata: metadata.csv
# texts: .                     # folder of the *.txt transcripts (default: this folder)
# labels:                      # more speaker labels by role, case-insensitive
#   focal: [{upper}]
#   interviewer: [HOST, INTERVIEWER]
# unknown_speakers: interviewer  # role of undeclared labels: interviewer, other or error
# continuation: false          # true: a paragraph without a label continues the previous speaker
# The frame codebook of the 04_framing notebooks and 05_explore (the template needs your own
# frames). Without it (delete the line) the framing notebooks say there is no codebook and skip
# framing.
codebook: codebook.yml
# coding: frames_coded.csv     # frames coded by reading (format of data/coding/frames_coded.csv):
#                              # validates the cue detector; without it the report says it is not validated
# events: {{2021-03-04: debate}} # dates marked on the timelines
# start_date: 2021-01-01       # day 0 of the week count (default: the first dated document)
"""

REPORT_HEAD = """\
# Every notebook run of `make report CORPUS=<this folder>`: which notebook, the name of its
# executed copy in reports/, and the parameters that differ from the notebook's defaults (which
# come from corpus.yml). Edit to add or drop runs; Make reruns only what changed.
"""

CODEBOOK_YML = """\
# The frame codebook (format: data/coding/codebook.yml of the seed study). Replace the two
# example frames by your own. Each frame: id (lower-case), label, definition, cues (words or
# phrases the detector counts, case-insensitive; `word*` matches any ending, `re: ...` a regex).
frames:
  - id: economy
    label: The economy
    definition: >
      The passage presents the matter as one of jobs, prices, growth or public money.
    cues: [economy, econom*, jobs, prices, inflation, budget, taxes]
  - id: security
    label: Security
    definition: >
      The passage presents the matter as one of safety, threats, crime or defence.
    cues: [security, safety, threat*, crime, defence, defense, police]
"""


def write_starter(folder: str | Path, name: str, speaker: str, groups: str | list[str]) -> list[Path]:
    """Write the four starter files into ``folder`` (created if needed) for a corpus called
    ``name`` about ``speaker``, with the audience ``groups`` (a list, or names separated by
    commas). Raises :class:`CorpusError`, writing nothing, if any of them exists already or the
    groups are names ``corpus.yml`` would refuse (:func:`analysis.corpus.names.group_problem`). Returns
    their paths."""
    folder = Path(folder)
    groups = [g.strip() for g in groups.split(",")] if isinstance(groups, str) else list(groups)
    groups = [g for g in groups if g]
    if len(groups) < 2:
        raise CorpusError(
            None, None, f"audience groups {groups} are not two or more names", "pass e.g. --groups home,abroad"
        )
    found = group_problem(groups)  # what corpus.yml would refuse, refused before anything is written
    if found is not None:
        raise CorpusError(None, None, f"--groups: {found.problem}", found.remedy)
    files = {
        "corpus.yml": CORPUS_YML.format(
            name=_scalar(name), speaker=_scalar(speaker), upper=_scalar(speaker.upper()), groups=_flow(groups)
        ),
        "metadata.csv": ",".join([*METADATA_REQUIRED, "date", "kind", "title"]) + "\n",
        "report.yml": REPORT_HEAD + yaml.safe_dump(default_definition(groups), sort_keys=False, allow_unicode=True),
        "codebook.yml": CODEBOOK_YML,
    }
    existing = [folder / f for f in files if (folder / f).exists()]
    if existing:
        raise CorpusError(existing[0], None, "exists already", "start in an empty folder, or move the file away")
    for file, text in files.items():
        write_text(text, folder / file)
    return [folder / f for f in files]


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar on one line (quoted when YAML needs it)."""
    return yaml.safe_dump(str(text), default_flow_style=True, width=10**6).removesuffix("\n...\n").strip()


def _flow(items: list[str]) -> str:
    """``items`` as a YAML flow list on one line."""
    return yaml.safe_dump(items, default_flow_style=True, width=10**6).strip()
