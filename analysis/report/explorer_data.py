"""What the offline explorer page (``reports/explore.html``, :mod:`analysis.report.explorer`) shows,
computed by the project's own functions and cut to the page's caps.

Every number comes from the modules the notebooks use: keywords from :func:`analysis.measures.keyness.keyness`
(the dtm built as 02_keyness builds it, with its defaults and the report's parameters), their lines
from :func:`analysis.text.concordance.concordance`, topics from :func:`analysis.measures.topics.fit_topics` refitted
as 03_topics fits them (checked against the top words 03 published), frames from the coding by
reading (:mod:`analysis.audiences.coded`). Nothing here computes a statistic of its own.

The payload is plain data (lists, dicts, strings, numbers) that the page embeds as JSON; what was
cut to a cap is recorded under ``cut`` so that the page can say so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from ..figures.style import audience_color, audience_label
from ..measures.keyness import VERDICTS, keyness, keyness_dtm
from ..text.concordance import concordance
from ..text.dtm import DocumentTermMatrix
from .rules import EXPLORE_CAPS

#: Colours of the keyness verdicts (:data:`analysis.measures.keyness.VERDICTS`, in that order): Paul Tol's
#: muted colours of :data:`analysis.figures.style.SERIES_COLORS` and a light grey for "not key", none of
#: them an audience's (tests/report/test_explorer.py checks), so a colour on the page means one thing.
VERDICT_COLORS = ("#332288", "#882255", "#999933", "#555555", "#CCCCCC")


@dataclass(frozen=True)
class Caps:
    """Hard caps on what the page embeds, so that it stays small enough to open quickly (5 MB on
    the seed corpus, 25 MB on 1.5 million words; ``make bench`` measures both). The defaults are
    :data:`analysis.report.rules.EXPLORE_CAPS`; a report definition sets its own under ``explore:``.

    ``max_terms``: words on the keyword scatter (the strongest by |z| in any comparison);
    ``lines_per_term``: concordance lines per word and audience (the count shown is always the
    full one); ``passages_per_topic``: the most typical passages shown per topic;
    ``paragraphs_per_frame``: coded paragraphs shown per frame, audience and role (the counts
    shown are always of every coded paragraph)."""

    max_terms: int = EXPLORE_CAPS["max_terms"]
    lines_per_term: int = EXPLORE_CAPS["lines_per_term"]
    passages_per_topic: int = EXPLORE_CAPS["passages_per_topic"]
    paragraphs_per_frame: int = EXPLORE_CAPS["paragraphs_per_frame"]


#: Context words each side of a concordance line, as 02_keyness shows them.
WINDOW = 10


def comparisons(groups: list[str]) -> list[tuple[str, str | None]]:
    """Every comparison the keyword chooser offers: each pair of ``groups`` in their order, then
    each group against the rest (``None``) when there are more than two groups."""
    pairs = [(a, b) for i, a in enumerate(groups) for b in groups[i + 1 :]]
    rest = [(g, None) for g in groups] if len(groups) > 2 else []
    return pairs + rest


def keyword_dtm(turns: pd.DataFrame, cfg, parameters: dict) -> DocumentTermMatrix:
    """The document-term matrix 02_keyness builds from ``turns`` with its ``parameters`` (role,
    unit, equivalents): stop words of the corpus, equivalent labels merged."""
    return keyness_dtm(turns, cfg, parameters["unit"], parameters["role"], parameters.get("equivalents")).dtm


def keyword_tables(dtm: DocumentTermMatrix, groups: list[str], parameters: dict) -> dict[tuple, pd.DataFrame]:
    """:func:`analysis.measures.keyness.keyness` for every comparison of :func:`comparisons`, with 02's
    ``min_count``, ``n_resamples`` and ``seed``; groups absent from the matrix are skipped."""
    present = set(dtm.units["audience"])
    return {
        (a, b): keyness(
            dtm, a, b, min_count=parameters["min_count"], n_resamples=parameters["n_resamples"], seed=parameters["seed"]
        )
        for a, b in comparisons([g for g in groups if g in present])
    }


def chosen_terms(tables: dict[tuple, pd.DataFrame], max_terms: int) -> tuple[list[str], int]:
    """The words the page shows: the ``max_terms`` with the largest |z| in any comparison (ties by
    label), and how many words were tested in all."""
    strongest = pd.concat([t[["label", "z"]] for t in tables.values()]).assign(z=lambda d: d["z"].abs())
    best = strongest.groupby("label")["z"].max().reset_index().sort_values(["z", "label"], ascending=[False, True])
    return best["label"].head(max_terms).tolist(), len(best)


def interview_list(turns: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """The interviews of the focal speaker's answers as the dispersion strip orders them: by
    audience (in ``groups`` order), then date and outlet; columns ``doc_id``, ``outlet``,
    ``audience``, ``date``."""
    docs = turns[turns["kind"] == "interview"].drop_duplicates("doc_id")[["doc_id", "outlet", "audience", "date"]]
    docs = docs[docs["audience"].isin(groups)].copy()
    docs["order"] = docs["audience"].map({g: i for i, g in enumerate(groups)})
    return docs.sort_values(["order", "date", "outlet", "doc_id"]).drop(columns="order").reset_index(drop=True)


def term_lines(turns: pd.DataFrame, unit_turns: dict[str, set], term: str, role: str) -> pd.DataFrame:
    """Every concordance line of ``term`` (:func:`analysis.text.concordance.concordance`, stemmed as the
    features count words, :data:`WINDOW` words each side), looked for only in the turns that
    ``unit_turns`` says hold the feature, which gives the same lines as the whole corpus faster."""
    where = turns[turns["turn_id"].isin(unit_turns.get(term, set()))]
    return concordance(where, term, window=WINDOW, role=role, stemmed=True)


def turns_by_term(turns: pd.DataFrame, cfg, parameters: dict, terms: list[str]) -> dict[str, set]:
    """For each of ``terms``, the ``turn_id`` of every turn whose features hold it (a turn-level
    matrix built as :func:`keyword_dtm`, without the minimum count)."""
    dtm = keyword_dtm(turns, cfg, {**parameters, "unit": "turn"})
    labels = dtm.features["label"].to_numpy()
    columns = {label: i for i, label in enumerate(labels) if label in set(terms)}
    counts = dtm.counts.tocsc()
    turn_ids = dtm.units["unit_id"].to_numpy()
    return {t: set(turn_ids[counts[:, i].nonzero()[0]]) for t, i in columns.items()}


def lines_payload(lines: pd.DataFrame, docs: pd.DataFrame, groups: list[str], cap: int) -> dict:
    """One word's lines for the page: ``count`` (all lines), ``docs`` ([interview index, count] for
    each interview where it occurs, index into ``docs``) and ``by_audience`` (per group its
    ``count`` and up to ``cap`` ``lines`` as [interview index, raw-file line, left, match, right])."""
    index = {d: i for i, d in enumerate(docs["doc_id"])}
    lines = lines[lines["doc_id"].isin(index)]
    per_doc = lines.groupby("doc_id").size()
    by_audience = {}
    for group in groups:
        mine = lines[lines["audience"] == group]
        by_audience[group] = {
            "count": len(mine),
            "lines": [
                [index[r.doc_id], int(r.line_start), r.left, r.match, r.right] for r in mine.head(cap).itertuples()
            ],
        }
    return {
        "count": len(lines),
        "docs": sorted([index[d], int(n)] for d, n in per_doc.items()),
        "by_audience": by_audience,
    }


def comparison_payload(a: str, b: str | None, table: pd.DataFrame, terms: list[str]) -> dict:
    """One comparison of the chooser: its groups and, per shown word it tested, [word index,
    rate per 10,000 words in ``a``, in ``b`` (or the rest), verdict index, interviews using it, z]."""
    index = {t: i for i, t in enumerate(terms)}
    shown = table[table["label"].isin(index)]
    rows = [
        [
            index[r.label],
            round(float(r.per_10k_target), 3),
            round(float(r.per_10k_reference), 3),
            VERDICTS.index(r.verdict),
            int(r.docs_target + r.docs_reference),
            round(float(r.z), 2),
        ]
        for r in shown.itertuples()
    ]
    first = table.iloc[0] if len(table) else None
    return {
        "id": f"{a}|{b or ''}",
        "a": a,
        "b": b,
        "n_a": int(first.n_docs_target) if first is not None else 0,
        "n_b": int(first.n_docs_reference) if first is not None else 0,
        "tested": len(table),
        "rows": rows,
    }


def keywords_payload(turns: pd.DataFrame, cfg, parameters: dict, caps: Caps) -> dict:
    """The keyword tab's data: ``comparisons`` (:func:`comparison_payload`), ``terms``, ``lines``
    (per word, :func:`lines_payload`), ``interviews`` (the strip's order), ``verdicts`` and their
    ``verdict_colors``, ``cut`` (words shown of words tested; lines per word and audience) and
    the ``min_count`` and ``role`` the words were counted with."""
    groups = list(cfg.audience_groups)
    dtm = keyword_dtm(turns, cfg, parameters)
    tables = keyword_tables(dtm, groups, parameters)
    terms, tested = chosen_terms(tables, caps.max_terms) if tables else ([], 0)
    focal = turns[turns["role"] == parameters["role"]] if parameters["role"] else turns
    docs = interview_list(focal, groups)
    holding = turns_by_term(turns, cfg, parameters, terms)
    lines = {
        t: lines_payload(term_lines(turns, holding, t, parameters["role"]), docs, groups, caps.lines_per_term)
        for t in terms
    }
    return {
        "comparisons": [comparison_payload(a, b, t, terms) for (a, b), t in tables.items()],
        "terms": terms,
        "lines": lines,
        "interviews": docs.to_dict(orient="records"),
        "verdicts": list(VERDICTS),
        "verdict_colors": list(VERDICT_COLORS),
        "cut": {"terms_shown": len(terms), "terms_tested": tested, "lines_per_term": caps.lines_per_term},
        "min_count": parameters["min_count"],
        "role": parameters["role"],
    }


def groups_payload(groups: list[str], n_interviews: dict[str, int]) -> list[dict]:
    """The audience groups as every tab shows them: ``id``, ``name``, ``label`` (the name with the
    interviews of the keyword tab behind it) and ``color`` (the project's, :mod:`analysis.figures.style`)."""
    return [
        {
            "id": g,
            "name": audience_label(g),
            "label": audience_label(g, n_interviews.get(g, 0)),
            "color": audience_color(g, groups),
        }
        for g in groups
    ]


def caps_payload(caps: Caps) -> dict:
    """The caps as the page states them."""
    return asdict(caps)
