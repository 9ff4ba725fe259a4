"""A sitting on the word- and topic-intrusion tasks of one topic model (see
:mod:`analysis.coding.intrusion`): one task at a time, every answer saved at once.

Used by ``notebooks/06_code.ipynb`` beside the frame-coding sitting
(:mod:`analysis.coding.sitting`), and the same way: each coder writes only their own file,
``answers_<model>_<coder>.csv`` (``task_id,answer``, the format the instructions give readers and
:func:`analysis.coding.intrusion.read_answers` checks), rewritten atomically after every answer,
so that a sitting can stop at any moment and a later one resumes at the first unanswered task.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io import write_csv
from .intrusion import ANSWER_COLUMNS, OPTION_COLUMNS, answers_path, n_options, read_answers, read_tasks
from .sitting import check_coder, quote_html, step_buttons


@dataclass
class IntrusionSession:
    """One coder's sitting on one model's tasks. ``tasks``: the task file's rows, in order;
    ``answers``: task_id -> option number answered so far; ``path``: this coder's file."""

    coder: str
    method: str
    tasks: pd.DataFrame
    path: Path
    answers: dict[str, int] = field(default_factory=dict)

    def position(self) -> int:
        """Index of the first unanswered task (len(tasks) when all are answered)."""
        for i, task_id in enumerate(self.tasks["task_id"]):
            if task_id not in self.answers:
                return i
        return len(self.tasks)

    def record(self, task_id: str, answer: int) -> None:
        """Save one answer at once (the whole file rewritten atomically); a task answered again
        replaces its earlier answer."""
        options = n_options(self.tasks)
        if task_id not in options.index:
            raise ValueError(f"{task_id} is not a task of {self.method}")
        if not 1 <= int(answer) <= options[task_id]:
            raise ValueError(f"answer {answer} to {task_id}: choose an option from 1 to {options[task_id]}")
        self.answers[task_id] = int(answer)
        ordered = [(t, self.answers[t]) for t in self.tasks["task_id"] if t in self.answers]
        write_csv(pd.DataFrame(ordered, columns=ANSWER_COLUMNS), self.path)


def open_intrusion_session(
    coder: str, method: str, tasks_dir: str | Path, answers_dir: str | Path | None = None
) -> IntrusionSession:
    """Open (or resume) ``coder``'s sitting on ``method``'s tasks in ``tasks_dir``; the answers
    file is ``answers_<method>_<coder>.csv`` in ``answers_dir`` (default: ``tasks_dir``). An
    existing file is checked (:func:`analysis.coding.intrusion.read_answers`) and resumed."""
    coder = check_coder(coder)
    tasks = read_tasks(tasks_dir, method)
    path = answers_path(answers_dir or tasks_dir, method, coder)
    session = IntrusionSession(coder, method, tasks, path)
    if path.exists():
        saved = read_answers(path, tasks)
        session.answers = dict(zip(saved["task_id"], saved["answer"]))
    return session


def _options(row) -> list[str]:
    return [row[c] for c in OPTION_COLUMNS if row[c] != ""]


def task_html(row, position: int, total: int) -> str:
    """A task as HTML, escaped: where it is, the question, the passage (topic tasks) and the
    numbered options."""
    if row["kind"] == "word":
        question = "Five of these words belong together. Which one does not?"
        passage = ""
    else:
        question = "Read the passage. Which theme is <b>not</b> prominent in it?"
        passage = quote_html(row["passage"])
    items = "".join(f"<li>{html.escape(option)}</li>" for option in _options(row))
    return (
        f"<p><small>{position + 1} of {total} · {html.escape(row['task_id'])}</small></p>"
        f"<p>{question}</p>{passage}<ol>{items}</ol>"
    )


def intrusion_widget(session: IntrusionSession):
    """The controls for ``session`` (ipywidgets): the task, one button per option number, and
    Back / Save and next. Every Save writes the file. Returns the box; its attributes
    ``choice``, ``save``, ``back``, ``text`` and ``status`` let a test drive it."""
    import ipywidgets as widgets

    text, status = widgets.HTML(), widgets.HTML()
    choice = widgets.ToggleButtons(options=[], description="Answer")
    state = {"at": session.position()}

    def show():
        at, total = state["at"], len(session.tasks)
        if at >= total:
            text.value = "<p><b>Every task is answered.</b></p>"
            choice.options = []
        else:
            row = session.tasks.iloc[at]
            text.value = task_html(row, at, total)
            choice.options = [str(i) for i in range(1, len(_options(row)) + 1)]
            saved = session.answers.get(row["task_id"])
            choice.value = str(saved) if saved else None
        status.value = (
            f"<small>{len(session.answers)} of {total} answered; saved to {html.escape(str(session.path))}</small>"
        )

    def save_current(at: int) -> bool:
        if choice.value is None:
            return False
        session.record(session.tasks["task_id"].iat[at], int(choice.value))
        return True

    save, back = step_buttons(state, len(session.tasks), save_current, show)
    show()
    box = widgets.VBox([status, text, choice, widgets.HBox([back, save])])
    box.choice, box.save, box.back, box.text, box.status = choice, save, back, text, status
    return box
