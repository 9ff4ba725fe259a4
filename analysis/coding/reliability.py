"""Intercoder reliability of coding by reading: Krippendorff's alpha, frame by frame, with bootstrap intervals.

Alpha measures how far coders agree beyond what their pooled use of the codes would give by
chance. It accepts any number of coders, missing codes and any number of values; for frame
presence the values are 0 and 1. Krippendorff (2004, section 12.2) sets alpha >= 0.80 as the
level for firm conclusions and 0.667 as the floor for tentative ones.

References: Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School
for Communication, University of Pennsylvania (the coincidence-matrix formulas used here, and
the worked nominal example reproduced in the tests, alpha = 0.743). Hayes, A. F. and
Krippendorff, K. (2007). Answering the call for a standard reliability measure for coding data.
Communication Methods and Measures 1(1), 77-89 (bootstrapping alpha over units).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

#: Krippendorff's thresholds: firm conclusions, and the floor for tentative ones.
ALPHA_FIRM = 0.80
ALPHA_TENTATIVE = 0.667


def coincidences(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The coincidence matrix of a reliability table.

    ``data`` has one row per coder and one column per unit, values being codes (any numbers) and
    NaN where a coder did not code the unit. Units coded by fewer than two coders are left out
    (they cannot be compared). Returns ``(values, o)``: the sorted distinct values and the matrix
    ``o[c, k] = sum over units u of (number of ordered pairs of coders giving c and k in u) /
    (m_u - 1)``, ``m_u`` being the number of codes in unit u (Krippendorff 2011, section C)."""
    data = np.asarray(data, dtype=float)
    if data.ndim != 2:
        raise ValueError("reliability data must be a table: one row per coder, one column per unit")
    values = np.unique(data[~np.isnan(data)])
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in data.T:
        codes = unit[~np.isnan(unit)]
        m = len(codes)
        if m < 2:
            continue
        counts = np.zeros(len(values))
        for code in codes:
            counts[index[code]] += 1
        # ordered pairs of different coders: n_c * n_k for c != k, n_c * (n_c - 1) on the diagonal
        o += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    return values, o


def krippendorff_alpha(data: np.ndarray) -> float:
    """Krippendorff's alpha for nominal codes: ``1 - D_o / D_e`` with, from the coincidence matrix
    ``o`` (see :func:`coincidences`), ``n_c = sum_k o[c, k]``, ``n = sum_c n_c``,
    ``D_o = sum_{c != k} o[c, k]`` and ``D_e = sum_{c != k} n_c n_k / (n - 1)``.

    NaN when the data leave nothing to compare (fewer than two pairable codes) or when every code
    is the same value, so that chance agreement is already perfect: alpha is undefined there, not 1
    (Krippendorff 2011)."""
    _, o = coincidences(data)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n < 2:
        return float("nan")
    observed = o.sum() - np.trace(o)
    expected = (n_c.sum() ** 2 - (n_c**2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1 - observed / expected)


def binary_alpha(a: Sequence[int], b: Sequence[int]) -> float:
    """Alpha of two coders' 0/1 codes of the same units (no missing codes)."""
    return krippendorff_alpha(np.vstack([np.asarray(a, dtype=float), np.asarray(b, dtype=float)]))


def alpha_table(
    first: pd.DataFrame,
    second: pd.DataFrame,
    frame_ids: Sequence[str],
    n_boot: int = 2000,
    seed: int = 2020,
    level: float = 0.95,
) -> pd.DataFrame:
    """Alpha of two codings of the same paragraphs, frame by frame and overall.

    ``first`` and ``second`` have a ``para_id`` column and one 0/1 column per frame id; they are
    matched on ``para_id`` (both must code the same paragraphs). Returns one row per frame and a
    final ``all frames`` row (every paragraph x frame decision as one unit) with the columns
    ``frame``, ``n_units``, ``n_first`` and ``n_second`` (paragraphs coded present by each),
    ``agreement`` (share of identical decisions), ``alpha``, ``ci_low`` and ``ci_high`` (a
    percentile bootstrap interval over paragraphs, ``n_boot`` resamples with one seed; Hayes and
    Krippendorff 2007) and ``verdict``: ``reliable`` (alpha >= 0.80), ``tentative`` (>= 0.667) or
    ``unreliable``, judged on the point estimate."""
    a, b = _aligned(first, second, frame_ids)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(a), size=(n_boot, len(a)))
    rows = []
    for j, frame in enumerate([*frame_ids, "all frames"]):
        x = a[:, j] if j < len(frame_ids) else a
        y = b[:, j] if j < len(frame_ids) else b
        boot = np.array([_pair_alpha(x[d], y[d]) for d in draws])
        low, high = np.nanquantile(boot, [(1 - level) / 2, (1 + level) / 2])
        alpha = _pair_alpha(x, y)
        rows.append(
            {
                "frame": frame,
                "n_units": int(x.size),
                "n_first": int(x.sum()),
                "n_second": int(y.sum()),
                "agreement": float(np.mean(x == y)),
                "alpha": alpha,
                "ci_low": float(low),
                "ci_high": float(high),
                "verdict": verdict(alpha),
            }
        )
    return pd.DataFrame(rows)


def verdict(alpha: float) -> str:
    """Krippendorff's reading of an alpha: reliable, tentative or unreliable (NaN: undefined)."""
    if np.isnan(alpha):
        return "undefined"
    return "reliable" if alpha >= ALPHA_FIRM else "tentative" if alpha >= ALPHA_TENTATIVE else "unreliable"


def _pair_alpha(x: np.ndarray, y: np.ndarray) -> float:
    """Binary alpha of two coders without missing codes, from the 2 x 2 coincidence counts (the
    same value as :func:`krippendorff_alpha`, fast enough to bootstrap)."""
    x, y = x.ravel().astype(bool), y.ravel().astype(bool)
    n = 2 * x.size
    ones = x.sum() + y.sum()
    disagreements = np.sum(x != y)
    expected = 2 * ones * (n - ones) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1 - 2 * disagreements / expected)


def _aligned(first: pd.DataFrame, second: pd.DataFrame, frame_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    ids_a, ids_b = set(first["para_id"]), set(second["para_id"])
    if ids_a != ids_b:
        raise ValueError(
            f"the two codings cover different paragraphs ({len(ids_a - ids_b)} only in the "
            f"first, {len(ids_b - ids_a)} only in the second)"
        )
    if first["para_id"].duplicated().any() or second["para_id"].duplicated().any():
        raise ValueError("a paragraph is coded twice within one coding")
    order = sorted(ids_a)
    a = first.set_index("para_id").loc[order, list(frame_ids)].to_numpy(dtype=int)
    b = second.set_index("para_id").loc[order, list(frame_ids)].to_numpy(dtype=int)
    return a, b


def alpha_markdown(table: pd.DataFrame, labels: dict[str, str] | None = None) -> str:
    """An :func:`alpha_table` as a Markdown table (for data/coding/README.md; a test keeps the
    README's copy equal to the figures computed from the stored coding)."""
    labels = labels or {}
    lines = [
        "| frame | coded present (pass 1 / pass 2) | agreement | alpha [95% interval] | verdict |",
        "|---|---|---|---|---|",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {labels.get(row.frame, row.frame)} | {row.n_first} / {row.n_second} | {row.agreement:.1%} | "
            f"{row.alpha:.2f} [{row.ci_low:.2f}, {row.ci_high:.2f}] | {row.verdict} |"
        )
    return "\n".join(lines)


def coder_files(folder: str | Path) -> dict[str, Path]:
    """The coding files that ``06_code`` writes in a corpus's coding folder, ``coding_<coder>.csv``,
    by coder name (sorted); empty when the folder does not exist or holds none."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.stem.removeprefix("coding_"): p for p in sorted(folder.glob("coding_*.csv"))}


def agreement_with_reference(
    sheet: pd.DataFrame,
    reference: pd.DataFrame,
    groups: pd.DataFrame,
    frame_ids: Sequence[str],
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Krippendorff's alpha (:func:`alpha_table`) between a coder's 0/1 coding (``sheet``:
    ``para_id`` and one column per frame) and a reference coding of every paragraph
    (``reference``, the same columns), on the paragraphs the coder coded: once over all of them
    (``group`` = ``"all"``) and once within each group of ``groups`` (``para_id``, ``group``).
    Returns :func:`alpha_table`'s columns plus ``group``; a group with fewer than two coded
    paragraphs is left out."""
    coded = sheet[sheet["para_id"].isin(reference["para_id"])]
    ref = reference[reference["para_id"].isin(coded["para_id"])]
    in_group = coded[["para_id"]].merge(groups[["para_id", "group"]], on="para_id", how="left")
    parts = [("all", coded["para_id"])]
    parts += [(g, part["para_id"]) for g, part in in_group.dropna(subset=["group"]).groupby("group", sort=True)]
    tables = []
    for group, ids in parts:
        if len(ids) < 2:
            continue
        table = alpha_table(coded[coded["para_id"].isin(ids)], ref[ref["para_id"].isin(ids)], frame_ids, n_boot, seed)
        tables.append(table.assign(group=group))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def sample_size_for_alpha(
    prevalence: float, alpha_min: float = ALPHA_FIRM, level: float = 0.05, coders: int = 2
) -> int:
    """The number of units two (or ``coders``) coders must code so that an alpha of ``alpha_min``
    is distinguishable at ``level`` (one-sided) for a binary code present in a share
    ``prevalence`` of units: Bloch and Kraemer's (1989, eq. 3.7) formula as Krippendorff (2019,
    section 12.5.3) tabulates it, ``N = coders z^2 [(1 + a)(3 - a) / (4 (1 - a) p (1 - p)) - a]``
    rounded up (139 units for p = 0.25, alpha 0.80, level 0.05).

    References: Bloch, D. A. and Kraemer, H. C. (1989). 2 x 2 kappa coefficients: measures of
    agreement or association. Biometrics 45, 269-287. Krippendorff, K. (2019). Content analysis:
    an introduction to its methodology, 4th ed. Sage."""
    p = min(prevalence, 1 - prevalence)
    if not 0 < p < 1:
        raise ValueError(f"prevalence must lie strictly between 0 and 1; got {prevalence}")
    z = stats.norm.ppf(1 - level)
    a = alpha_min
    return int(np.ceil(coders * z**2 * ((1 + a) * (3 - a) / (4 * (1 - a) * p * (1 - p)) - a)))
