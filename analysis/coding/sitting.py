"""A coding sitting: draw a random sample of paragraphs, code it frame by frame, save every decision.

Used by ``notebooks/06_code.ipynb``; everything but the widgets lives here, so that it works the
same on the seed corpus and on a bring-your-own corpus with its own codebook.

Files, all in the corpus's coding folder (``coding_dir``):

* ``sample_seed<seed>_n<n>.csv``: the drawn sample, one row per paragraph: ``para_id``,
  ``doc_id``, ``stratum_size`` (the document's paragraphs), ``n_drawn`` (drawn from it) and
  ``probability`` (``n_drawn / stratum_size``, the inclusion probability that
  :mod:`analysis.frames.dsl` needs), ``seed``. Written once; a later sitting with the same seed and size
  reads it back instead of drawing again, so every coder codes the same paragraphs.
* ``coding_<coder>.csv``: one coder's decisions, ``para_id``, ``frames`` (ids separated by
  spaces, in codebook order; empty for none), ``note``; the same format as
  :func:`analysis.coding.sheets.read_sheet` reads. Rewritten atomically
  (:func:`analysis.io.atomic_path`) after every decision, so a sitting can stop at any moment and
  resume where it stopped. Each coder writes only the file named after them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CorpusError
from ..io import write_csv
from .sample import draw_sample
from .sheets import coded_frames, read_sheet
from .units import coding_units

SHEET_COLUMNS = ["para_id", "frames", "note"]


def check_coder(name: str) -> str:
    """A coder's name as used in the file name: letters, digits, '-' and '_' only."""
    name = str(name).strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,40}", name):
        raise ValueError(f"coder name {name!r}: use letters, digits, '-' or '_' (it names the file coding_<name>.csv)")
    return name


@dataclass
class CodingSession:
    """One coder's sitting on one sample. ``units``: the sampled paragraphs
    (:func:`analysis.coding.units.coding_units` columns, plus ``context``: the question an answer
    answers); ``frames``: the codebook's (id, label, definition) in order; ``decisions``: para_id
    -> (frames, note) coded so far; ``path``: this coder's file."""

    coder: str
    units: pd.DataFrame
    sample: pd.DataFrame
    frames: list[tuple[str, str, str]]
    path: Path
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def frame_ids(self) -> list[str]:
        return [f[0] for f in self.frames]

    def position(self) -> int:
        """Index of the first uncoded paragraph (len(units) when all are coded)."""
        for i, pid in enumerate(self.units["para_id"]):
            if pid not in self.decisions:
                return i
        return len(self.units)

    def record(self, para_id: str, frames: list[str], note: str = "") -> None:
        """Save one decision at once (the whole file rewritten atomically); a paragraph coded
        again replaces its earlier decision."""
        if para_id not in set(self.units["para_id"]):
            raise ValueError(f"{para_id} is not in this sample")
        unknown = sorted(set(frames) - set(self.frame_ids))
        if unknown:
            raise ValueError(f"frame ids {unknown} are not in the codebook")
        self.decisions[para_id] = (" ".join(f for f in self.frame_ids if f in frames), note.strip())
        self.save()

    def save(self) -> None:
        order = {p: i for i, p in enumerate(self.units["para_id"])}
        rows = sorted(self.decisions.items(), key=lambda kv: order[kv[0]])
        write_csv(pd.DataFrame([(p, f, n) for p, (f, n) in rows], columns=SHEET_COLUMNS), self.path)

    def sheet(self) -> pd.DataFrame:
        """The decisions so far as a sheet (``para_id``, ``frames``, ``note``), in sample order."""
        return read_sheet(self.path, self.frame_ids) if self.path.exists() else pd.DataFrame(columns=SHEET_COLUMNS)


def sample_path(coding_dir: str | Path, n: int, seed: int) -> Path:
    return Path(coding_dir) / f"sample_seed{seed}_n{n}.csv"


def load_or_draw_sample(units: pd.DataFrame, coding_dir: str | Path, n: int, seed: int) -> pd.DataFrame:
    """The recorded sample of this size and seed, or a new one drawn and recorded; a recorded
    sample naming paragraphs that are no longer coding units is an error."""
    path = sample_path(coding_dir, n, seed)
    if path.exists():
        sample = pd.read_csv(path, dtype={"para_id": str, "doc_id": str}, keep_default_na=False)
        gone = sorted(set(sample["para_id"]) - set(units["para_id"]))
        if gone:
            raise CorpusError(
                path,
                None,
                f"the sample names paragraphs the corpus no longer has ({gone[:3]})",
                "draw a new sample with another seed, or rebuild the corpus it was drawn from",
            )
        return sample
    sample = draw_sample(units, n, seed)
    write_csv(sample, path)
    return sample


def open_session(
    coder: str,
    n: int,
    seed: int,
    processed_dir: str | Path,
    codebook_path: str | Path,
    coding_dir: str | Path,
    raw_dir: str | Path | None = None,
) -> CodingSession:
    """Open (or resume) ``coder``'s sitting on the sample of ``n`` paragraphs drawn with ``seed``
    from the corpus in ``processed_dir`` (raw files in ``raw_dir``), coded against the codebook
    at ``codebook_path``; files in ``coding_dir``. A file of the coder that codes paragraphs
    outside the sample (another sample's coding) is refused rather than overwritten."""
    from ..corpus import load_turns
    from ..frames.codebook import load_codebook
    from ..frames.model import training_table

    coder = check_coder(coder)
    codebook = load_codebook(codebook_path)
    units = coding_units(load_turns(processed_dir, with_metadata=True), raw_dir=raw_dir)
    units = training_table(units, units[["para_id"]])  # adds each answer's question as `context`
    sample = load_or_draw_sample(units, coding_dir, n, seed)
    chosen = units[units["para_id"].isin(set(sample["para_id"]))].reset_index(drop=True)
    frames = [(f.id, f.label, f.definition) for f in codebook.frames]
    session = CodingSession(coder, chosen, sample, frames, Path(coding_dir) / f"coding_{coder}.csv")
    if session.path.exists():
        sheet = read_sheet(session.path, session.frame_ids)
        outside = sorted(set(sheet["para_id"]) - set(chosen["para_id"]))
        if outside:
            raise CorpusError(
                session.path,
                None,
                f"{coder}'s file codes paragraphs outside this sample ({outside[:3]})",
                "open it with the sample it was coded on (its seed and size), or choose another coder name",
            )
        session.decisions = {r.para_id: (r.frames, r.note) for r in sheet.itertuples(index=False)}
    return session


def agreement_with(session: CodingSession, other: str | Path, n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Krippendorff's alpha per frame (:func:`analysis.coding.reliability.alpha_table`) between this
    session's decisions and another coder's file, on the paragraphs both have coded."""
    from .reliability import alpha_table

    mine = session.sheet().assign(coder="a")
    theirs = read_sheet(other, session.frame_ids).assign(coder="b")
    both = sorted(set(mine["para_id"]) & set(theirs["para_id"]))
    if len(both) < 2:
        raise ValueError(f"only {len(both)} paragraphs coded by both: code more before comparing")
    a = coded_frames(mine[mine["para_id"].isin(both)], "a", session.frame_ids)
    b = coded_frames(theirs[theirs["para_id"].isin(both)], "b", session.frame_ids)
    return alpha_table(a, b, session.frame_ids, n_boot=n_boot, seed=seed)


def estimator_table(session: CodingSession, units: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """The input of :func:`analysis.frames.dsl.dsl_estimates`: every unit of ``units`` with its
    predictions (``predicted``: one 0/1 or probability column per frame, rows aligned with
    ``units``) as ``pred_<frame>``, ``sampled`` (coded in this session), ``probability`` (the
    sample's inclusion probability of the unit's document) and the session's 0/1 coding.
    Only paragraphs already coded count as sampled: code the whole sample before estimating,
    or the probabilities overstate the coding."""
    ids = session.frame_ids
    coded = coded_frames(session.sheet().assign(coder="me"), "me", ids)
    probability = session.sample.groupby("doc_id")["probability"].first()
    table = units.reset_index(drop=True).assign(**{f"pred_{f}": predicted[f].to_numpy() for f in ids})
    table = table.merge(coded, on="para_id", how="left")
    table["sampled"] = table["para_id"].isin(set(coded["para_id"]))
    table["probability"] = table["doc_id"].map(probability).fillna(1.0)
    table[ids] = table[ids].fillna(0).astype(int)
    return table


def paragraph_html(row, position: int, total: int) -> str:
    """A paragraph to code as HTML, escaped: where it is, the question it answers, the text."""
    question = (
        f"<p style='color:#555'><b>Question:</b> {html.escape(row.context)}</p>" if getattr(row, "context", "") else ""
    )
    return (
        f"<p><small>{position + 1} of {total} · {html.escape(str(row.para_id))} · {html.escape(str(row.role))} · "
        f"{html.escape(str(row.audience))}</small></p>{question}"
        f"{quote_html(row.text)}"
    )


def quote_html(text: str) -> str:
    """A passage as an escaped HTML block quote."""
    return f"<blockquote style='border-left:3px solid #888;padding-left:.8em'>{html.escape(text)}</blockquote>"


def definitions_html(frames: list[tuple[str, str, str]]) -> str:
    """The codebook's frames as HTML (id, label and definition, escaped)."""
    items = "".join(
        f"<li><b>{html.escape(label)}</b> (<code>{html.escape(fid)}</code>): {html.escape(definition)}</li>"
        for fid, label, definition in frames
    )
    return f"<ul style='font-size:90%'>{items}</ul>"


def coding_widget(session: CodingSession):
    """The coding controls for ``session`` (ipywidgets): the paragraph with its question, one
    checkbox per frame, a note, and buttons Back / Save and next. Every Save writes the file.
    Returns the box; its ``children`` and the attributes ``checkboxes``, ``note``, ``save``,
    ``back``, ``text`` and ``status`` let a test drive it."""
    import ipywidgets as widgets

    checks = {fid: widgets.Checkbox(value=False, description=label, indent=False) for fid, label, _ in session.frames}
    note = widgets.Text(description="Note")
    text, status = widgets.HTML(), widgets.HTML()
    state = {"at": session.position()}

    def show():
        at, total = state["at"], len(session.units)
        if at >= total:
            text.value = "<p><b>Every paragraph of the sample is coded.</b></p>"
        else:
            row = session.units.iloc[at]
            text.value = paragraph_html(row, at, total)
            done, saved_note = session.decisions.get(row.para_id, ("", ""))
            for fid, box in checks.items():
                box.value = fid in done.split()
            note.value = saved_note
        status.value = (
            f"<small>{len(session.decisions)} of {total} coded; saved to {html.escape(str(session.path))}</small>"
        )

    def save_current(at: int) -> bool:
        session.record(session.units["para_id"].iat[at], [f for f, box in checks.items() if box.value], note.value)
        return True

    save, back = step_buttons(state, len(session.units), save_current, show)
    show()
    box = widgets.VBox(
        [
            status,
            text,
            widgets.GridBox(list(checks.values()), layout=widgets.Layout(grid_template_columns="repeat(3, 33%)")),
            note,
            widgets.HBox([back, save]),
        ]
    )
    box.checkboxes, box.note, box.save, box.back, box.text, box.status = checks, note, save, back, text, status
    return box


def step_buttons(state: dict, total: int, save_current, show):
    """Back and Save-and-next buttons of a sitting over ``total`` items, ``state["at"]`` the one
    shown: Save calls ``save_current(at)`` and moves on when it returns True (it saved); Back
    moves one back; both then redraw with ``show()``. Returns ``(save, back)``."""
    import ipywidgets as widgets

    save, back = widgets.Button(description="Save and next", button_style="primary"), widgets.Button(description="Back")

    def on_save(_):
        if state["at"] < total and save_current(state["at"]):
            state["at"] += 1
        show()

    def on_back(_):
        state["at"] = max(0, state["at"] - 1)
        show()

    save.on_click(on_save)
    back.on_click(on_back)
    return save, back


def session_estimates(session: CodingSession, units: pd.DataFrame, codebook, n_splits: int = 5, seed: int = 0):
    """Audience estimates from a coded sample, by design-based supervised learning: the frame
    model is trained on the session's coded paragraphs, cross-fitted by interview
    (:func:`analysis.frames.dsl.crossfit_predictions`), predicts every unit, and
    :func:`analysis.frames.dsl.dsl_estimates` corrects its errors with the coded sample. ``units`` is
    :func:`analysis.coding.units.coding_units` of the whole corpus. Returns ``(table, prevalence,
    differences)``; the sample must be coded in full."""
    from ..frames.dsl import crossfit_predictions, dsl_estimates
    from ..frames.model import training_table

    if session.position() < len(session.units):
        coded, total = len(session.decisions), len(session.units)
        raise ValueError(f"{coded} of {total} sampled paragraphs coded: finish the sample first")
    ids = session.frame_ids
    zero = pd.DataFrame(0, index=units.index, columns=ids)
    table = estimator_table(session, training_table(units, units[["para_id"]]), zero)
    table = crossfit_predictions(table.drop(columns=[f"pred_{f}" for f in ids]), codebook, ids, n_splits, seed)
    return (table, *dsl_estimates(table, ids, weight="paragraphs"))
