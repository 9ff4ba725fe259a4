"""The processed tables read back for notebooks and later stages, and summaries of them.

The four tables of one build belong together: :func:`analysis.corpus.build.write_corpus` writes
them with ``tables.json``, the sha256 of each (:func:`manifest_text`), into a new folder that takes
the old one's place, so a killed build never leaves a mixed set. A set mixed by other means (files
copied by hand from two builds) is found by :func:`check_tables` against ``tables.json``, and the
loaders refuse it with the remedy, instead of joining turns of one build to documents of another.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import CorpusError
from ..io import read_csv

#: The file beside the tables that names the sha256 of each table of one build.
TABLES_MANIFEST = "tables.json"


def manifest_text(texts: dict[str, str]) -> str:
    """``tables.json`` for the tables ``texts`` (file name -> CSV text): their sha256, sorted by name."""
    digests = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in sorted(texts.items())}
    return json.dumps({"tables": digests}, indent=1) + "\n"


def _table_bytes(processed: Path, name: str) -> bytes:
    """The bytes of table ``name`` in ``processed``, checked against ``tables.json`` when there is one
    (tables written by hand or by an older version have none)."""
    manifest = processed / TABLES_MANIFEST
    data = (processed / name).read_bytes()
    if not manifest.is_file():
        return data
    digests = json.loads(manifest.read_text(encoding="utf-8"))["tables"]
    for other, digest in digests.items():
        found = data if other == name else (processed / other).read_bytes()
        if hashlib.sha256(found).hexdigest() != digest:
            raise CorpusError(
                processed / other,
                None,
                f"is not from the build that wrote the other corpus tables ({TABLES_MANIFEST} differs): "
                "a build was interrupted",
                f"rebuild the tables: `make corpus`, or `python -m analysis corpus --out {processed}`",
            )
    return data


def check_tables(processed: str | Path = config.DATA_PROCESSED) -> None:
    """Raise :class:`CorpusError` unless every table in ``processed`` is from the build that wrote
    ``tables.json`` (nothing to check without it)."""
    processed = Path(processed)
    if (processed / TABLES_MANIFEST).is_file():
        _table_bytes(processed, "documents.csv")


def _load(processed: str | Path, name: str) -> pd.DataFrame:
    """Table ``name`` of ``processed``, checked to belong to one build with the others."""
    return read_csv(io.BytesIO(_table_bytes(Path(processed), name))).pipe(_ints)


# --------------------------------------------------------------------------------------------
# Loading the processed tables (for notebooks and later stages)


def load_documents(processed: str | Path = config.DATA_PROCESSED) -> pd.DataFrame:
    """documents.csv as a DataFrame (empty strings stay empty strings, dates stay text; cells
    written with an apostrophe against spreadsheet formulas as they were, see :func:`analysis.io.read_csv`)."""
    return _load(processed, "documents.csv")


#: Document columns that :func:`attach_metadata` adds to every turn.
TURN_METADATA = ["audience", "outlet", "kind", "date", "translated"]


def attach_metadata(turns: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``turns`` with the columns of :data:`TURN_METADATA` from their document (a new table)."""
    return turns.merge(documents[["doc_id", *TURN_METADATA]], on="doc_id", how="left", validate="many_to_one")


def load_turns(processed: str | Path = config.DATA_PROCESSED, with_metadata: bool = False) -> pd.DataFrame:
    """turns.csv as a DataFrame; ``with_metadata=True`` adds the document columns audience,
    outlet, kind, date and translated (see :func:`attach_metadata`)."""
    turns = _load(processed, "turns.csv")
    return attach_metadata(turns, load_documents(processed)) if with_metadata else turns


def _ints(table: pd.DataFrame) -> pd.DataFrame:
    for col in table.columns:
        if col in ("turn", "line_start", "line_end") or col.startswith(("n_", "words_")):
            table[col] = table[col].astype(int)
    return table


def summarise_repeats(turns: pd.DataFrame) -> pd.DataFrame:
    """Repeated turns by document and the canonical document they repeat.

    ``turns`` is turns.csv (or a subset). Returns one row per (``doc_id``, ``canonical_doc``) pair
    with ``turns`` and ``words`` (sums over the turns whose ``duplicate_of`` is set).
    """
    repeats = turns[turns["duplicate_of"] != ""]
    canonical = repeats["duplicate_of"].str.rsplit("-", n=1).str[0]
    return (
        repeats.assign(canonical_doc=canonical)
        .groupby(["doc_id", "canonical_doc"], sort=True)
        .agg(turns=("turn_id", "size"), words=("n_words", "sum"))
        .reset_index()
    )


def summarise_audiences(
    documents: pd.DataFrame, kind: str = "interview", groups: list[str] | None = None
) -> pd.DataFrame:
    """Documents of one ``kind`` by audience: how many, and how many words each party spoke.

    Returns one row per audience group, in the order of ``groups`` (e.g. the config's
    ``audience_groups``; default alphabetical), with columns ``documents``, ``words_focal``,
    ``words_interviewer`` (sums), ``median_words_focal`` (per document) and ``focal_share``
    (focal words / (focal + interviewer) words, 0-1).
    """
    docs = documents[documents["kind"] == kind]
    table = docs.groupby("audience").agg(
        documents=("doc_id", "size"),
        words_focal=("words_focal", "sum"),
        words_interviewer=("words_interviewer", "sum"),
        median_words_focal=("words_focal", "median"),
    )
    table["focal_share"] = (table["words_focal"] / (table["words_focal"] + table["words_interviewer"])).round(3)
    table["median_words_focal"] = table["median_words_focal"].round(1)
    if groups is not None:
        table = table.reindex([g for g in groups if g in table.index])
    return table.reset_index()


#: Columns of :func:`corpus_table`.
CORPUS_TABLE_COLUMNS = ["audience", "interviews", "words_focal", "first_date", "last_date", "translated", "english",
                        "translation_unknown"]  # fmt: skip


def corpus_table(documents: pd.DataFrame, groups: list[str] | None = None, kind: str = "interview") -> pd.DataFrame:
    """The corpus at a glance, for the study page: one row per audience group (in the order of
    ``groups``, default alphabetical) and a last row ``audience == "all"``. Columns
    (:data:`CORPUS_TABLE_COLUMNS`): ``interviews`` (documents of ``kind``), ``words_focal`` (words
    the focal speaker spoke in them), ``first_date`` and ``last_date`` (ISO dates, empty if none
    is known), and how many are ``translated`` (the transcript is a translation), ``english``
    (spoken as transcribed: ``translated`` is false) or of unknown translation status
    (``translation_unknown``)."""
    docs = documents[documents["kind"] == kind].copy()
    status = docs["translated"].astype(str).str.strip().str.lower()
    docs["_translated"], docs["_english"] = status.isin(["true", "1", "yes"]), status.isin(["false", "0", "no"])
    docs["_date"] = docs["date"].astype(str).where(docs["date"].notna() & (docs["date"].astype(str) != ""), None)

    def row(name: str, part: pd.DataFrame) -> dict:
        dates = part["_date"].dropna()
        return {
            "audience": name,
            "interviews": len(part),
            "words_focal": int(part["words_focal"].sum()),
            "first_date": dates.min() if len(dates) else "",
            "last_date": dates.max() if len(dates) else "",
            "translated": int(part["_translated"].sum()),
            "english": int(part["_english"].sum()),
            "translation_unknown": int(len(part) - part["_translated"].sum() - part["_english"].sum()),
        }

    present = sorted(docs["audience"].unique()) if groups is None else [g for g in groups if g in set(docs["audience"])]
    rows = [row(g, docs[docs["audience"] == g]) for g in present] + [row("all", docs)]
    return pd.DataFrame(rows, columns=CORPUS_TABLE_COLUMNS)


def length_line(documents: pd.DataFrame, speaker: str = "the focal speaker", kind: str = "interview") -> str:
    """One sentence on how much the documents of one ``kind`` differ in length (``words_focal``):
    the shortest (with its outlet) and the longest, their ratio and the median, in words."""
    docs = documents[documents["kind"] == kind]
    if docs.empty:
        return f"There are no documents of kind {kind!r}."
    shortest, longest = docs.loc[docs["words_focal"].idxmin()], docs.loc[docs["words_focal"].idxmax()]
    text = (
        f"{len(docs)} {kind}s run from {int(shortest['words_focal']):,} words of {speaker} "
        f"({shortest['outlet']}) to {int(longest['words_focal']):,} ({longest['outlet']}), median "
        f"{int(docs['words_focal'].median()):,}"
    )
    if shortest["words_focal"] > 0:
        text += f": the longest is {longest['words_focal'] / shortest['words_focal']:.0f} times the shortest"
    return text + "."
