"""Regression models of frames and words by audience, weighted by how much was said and adjusted
for when, in answer to what, and at what length.

Comparing per-interview means weighs a 95-word interview like an 8,000-word one. The models here
put every paragraph (presence of a coded frame) or every word (counts with the interview's words
as exposure) in, and let interviews differ in length:

* :func:`presence_effects`: for each frame, a logistic regression of its coded presence in
  Aliyev's answer paragraphs on the audience, the day of the war, whether the question answered
  raised the frame, and the paragraph's length; standard errors are clustered by interview (the
  paragraphs of one interview are not independent). Odds ratios between audiences with 95%
  intervals.
* :func:`rate_effects`: for counts per interview (a keyword, a frame's cue matches), a
  quasi-Poisson regression with log(words) as offset, so that the rate per word is modelled and
  overdispersion widens the intervals (McCullagh and Nelder 1989, section 4.5). Rate ratios with
  95% intervals.

The permutation test over interviews stays beside these as the design-based check: it assumes no
model, but weighs interviews equally.

References: Liang, K.-Y. and Zeger, S. L. (1986). Longitudinal data analysis using generalized
linear models. Biometrika 73, 13-22 (cluster-robust standard errors). McCullagh, P. and Nelder,
J. A. (1989). Generalized Linear Models, 2nd ed. Chapman and Hall.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

#: Start of the war, from which the day covariate is counted.
WAR_START = pd.Timestamp("2020-09-27")

EFFECT_COLUMNS = ["frame", "group_a", "group_b", "ratio", "low", "high", "p", "n_rows", "n_interviews", "note"]


def war_day(dates: pd.Series, start: pd.Timestamp = WAR_START) -> pd.Series:
    """Days since ``start`` (0 on the first day); NaN where a date is missing or not ISO."""
    return (pd.to_datetime(dates, errors="coerce", format="%Y-%m-%d") - start).dt.days.astype(float)


def design(table: pd.DataFrame, groups: Sequence[str], covariates: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """The model matrix: an intercept, one indicator per group but the first (the reference), and
    the covariate columns of ``table``, each centred so the intercept is the reference group's
    value at average covariates. A covariate that is constant, or that the group indicators
    already determine (translation is for every group but one), is left out and named in the
    returned list, since its effect cannot be told apart from the audiences'. With ``translated``,
    a ``translation_unknown`` column of ``table`` (1 where the status is unknown) is added too, so
    that unknown is a third level rather than "not translated"."""
    X = pd.DataFrame({"const": 1.0}, index=table.index)
    for g in groups[1:]:
        X[f"group[{g}]"] = (table["audience"] == g).astype(float)
    dropped = []
    if "translated" in covariates and "translation_unknown" in table.columns:
        # an unknown translation status is a level of its own, not "not translated"
        covariates = [*covariates, "translation_unknown"]
    for c in covariates:
        column = table[c].astype(float)
        candidate = pd.concat([X, (column - column.mean()).rename(c)], axis=1)
        if column.nunique() < 2 or np.linalg.matrix_rank(candidate.to_numpy()) < candidate.shape[1]:
            dropped.append(c)
            continue
        X = candidate
    return X, dropped


def group_contrast(names: Sequence[str], groups: Sequence[str], a: str, b: str) -> np.ndarray:
    """The contrast vector over the parameters ``names`` of :func:`design` for group ``a`` against
    group ``b`` (the first of ``groups`` is the reference)."""
    vector = np.zeros(len(names))
    if a != groups[0]:
        vector[list(names).index(f"group[{a}]")] += 1
    if b != groups[0]:
        vector[list(names).index(f"group[{b}]")] -= 1
    return vector


def _t_test(result, vector: np.ndarray) -> tuple[float, float, float, float]:
    """(estimate, low, high, p) of a contrast from statsmodels' own covariance."""
    test = result.t_test(vector)
    low, high = np.asarray(test.conf_int()).ravel()
    return (
        float(np.asarray(test.effect).ravel()[0]),
        float(low),
        float(high),
        float(np.asarray(test.pvalue).ravel()[0]),
    )


def _contrasts(result, groups: Sequence[str], tester=None) -> list[tuple[str, str, float, float, float, float]]:
    """Every pair of groups from one fit: (a, b, log ratio, low, high, p) for a against b;
    ``tester(vector)`` gives (estimate, low, high, p) of a contrast (default: the fit's own)."""
    names = list(result.params.index)
    tester = tester or (lambda vector: _t_test(result, vector))
    return [(a, b, *tester(group_contrast(names, groups, a, b))) for a, b in combinations(groups, 2)]


def _fit(model_fit):
    """Fit, turning statsmodels' warnings about separation or non-convergence into a note."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PerfectSeparationWarning)
        warnings.simplefilter("always", ConvergenceWarning)
        result = model_fit()
    notes = sorted(
        {
            "separation" if issubclass(w.category, PerfectSeparationWarning) else "not converged"
            for w in caught
            if issubclass(w.category, (PerfectSeparationWarning, ConvergenceWarning))
        }
    )
    return result, "; ".join(notes)


def effect_row(frame: str, a: str, b: str, tested: tuple, note: str = "", **extra) -> dict:
    """One contrast as a row of odds (or rate) ratios: ``tested`` is (log ratio, low, high, p) of
    ``a`` against ``b``; ``note`` says why a fit may mean little, and an estimate beyond a ratio of
    e^10 is noted as at the edge. ``extra`` columns follow ``p``."""
    effect, low, high, p = tested
    unstable = bool(note) or not np.isfinite(effect) or abs(effect) > 10
    return {
        "frame": frame,
        "group_a": a,
        "group_b": b,
        "ratio": np.exp(effect),
        "low": np.exp(low),
        "high": np.exp(high),
        "p": p,
        **extra,
        "note": note or ("estimate at the edge: a group (almost) never or always has it" if unstable else ""),
    }


def _effect_rows(frame, result, groups, n_rows, n_interviews, note, tester=None) -> list[dict]:
    return [
        effect_row(frame, a, b, tested, note, n_rows=n_rows, n_interviews=n_interviews)
        for a, b, *tested in _contrasts(result, groups, tester)
    ]


def presence_effects(
    paragraphs: pd.DataFrame,
    frame_ids: Sequence[str],
    groups: Sequence[str],
    covariates: Sequence[str] = ("day", "asked", "log_words"),
    errors: str = "CR1",
) -> pd.DataFrame:
    """Odds ratios of a frame's presence between every pair of ``groups``, adjusted for
    ``covariates``, from a logistic regression per frame with standard errors clustered by
    interview: ``errors="CR1"`` (statsmodels' cluster-robust errors with the small-sample factor
    G/(G-1) (N-1)/(N-K) and t(G-1)) or ``"CR2"`` (bias-reduced errors with Bell and McCaffrey's
    Satterthwaite degrees of freedom, :mod:`analysis.stats.few_clusters`, for few interviews).

    ``paragraphs`` has one row per answer paragraph: ``doc_id``, ``audience``, a 0/1 column per
    frame id, and the covariates: ``day`` (:func:`war_day`), ``log_words`` (log of the paragraph's
    words), ``translated`` (0/1) and, per frame, ``asked_<frame>`` (1 when the question answered
    carries the frame; used for the covariate named ``asked``). Returns ``EFFECT_COLUMNS`` with
    ``ratio`` the odds ratio of ``group_a`` against ``group_b``; ``note`` names covariates left
    out (collinear or constant) and fits at the edge (separation), whose intervals mean little."""
    if errors not in ("CR1", "CR2"):
        raise ValueError(f"errors must be 'CR1' or 'CR2', not {errors!r}")
    data = paragraphs[paragraphs["audience"].isin(groups)].reset_index(drop=True)
    clusters = pd.factorize(data["doc_id"])[0]
    rows = []
    for frame in frame_ids:
        table = data.assign(asked=data.get(f"asked_{frame}", 0))
        X, dropped = design(table, list(groups), covariates)
        result, note, tester = fit_clustered(table[frame].astype(float), X, clusters, errors)
        note = "; ".join(filter(None, [note, f"left out: {', '.join(dropped)}" if dropped else ""]))
        rows += _effect_rows(frame, result, groups, len(table), table["doc_id"].nunique(), note, tester)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def fit_clustered(y: pd.Series, X: pd.DataFrame, clusters: np.ndarray, errors: str = "CR1"):
    """A logistic regression of ``y`` on ``X`` with errors clustered by ``clusters``: returns the
    statsmodels result, a note (separation, non-convergence) and a function giving (estimate, low,
    high, p) of a contrast vector under ``errors`` ("CR1" or "CR2", see :func:`presence_effects`)."""
    from .few_clusters import cr2

    model = sm.GLM(y, X, family=sm.families.Binomial())
    if errors == "CR1":
        result, note = _fit(lambda: model.fit(cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True))
        return result, note, None
    result, note = _fit(model.fit)
    variance = cr2(X.to_numpy(), y.to_numpy(), np.asarray(result.fittedvalues), clusters)

    def tester(vector):
        t = variance.test(vector, result.params.to_numpy())
        return t["estimate"], t["low"], t["high"], t["p"]

    return result, note, tester


def rate_effects(
    counts: pd.DataFrame,
    columns: Sequence[str],
    groups: Sequence[str],
    exposure: str = "n_words",
    covariates: Sequence[str] = ("day",),
    scale: str = "X2",
) -> pd.DataFrame:
    """Rate ratios of counts between every pair of ``groups`` from a Poisson regression per column
    with log(``exposure``) as offset: one row per interview in ``counts`` (``doc_id``,
    ``audience``, the exposure, the covariates and the count columns). ``scale="X2"`` estimates
    the dispersion from Pearson's chi-square (quasi-Poisson); ``scale=1.0`` is the plain Poisson
    model. Returns ``EFFECT_COLUMNS`` with ``ratio`` the rate ratio of ``group_a`` against
    ``group_b`` (the column name in ``frame``)."""
    data = counts[counts["audience"].isin(groups)].reset_index(drop=True)
    if (data[exposure] <= 0).any():
        raise ValueError(f"every interview needs a positive {exposure}")
    X, dropped = design(data, list(groups), covariates)
    offset = np.log(data[exposure].to_numpy(dtype=float))
    rows = []
    for column in columns:
        model = sm.GLM(data[column].astype(float), X, family=sm.families.Poisson(), offset=offset)
        result, note = _fit(lambda m=model: m.fit(scale=scale))
        note = "; ".join(filter(None, [note, f"left out: {', '.join(dropped)}" if dropped else ""]))
        rows += _effect_rows(column, result, groups, len(data), data["doc_id"].nunique(), note)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def share_effects(
    shares: pd.DataFrame,
    columns: Sequence,
    groups: Sequence[str],
    weight: str = "n_tokens",
    covariates: Sequence[str] = ("day",),
) -> pd.DataFrame:
    """Odds ratios of a share (a topic's share of an interview's words, 0..1) between every pair
    of ``groups``, from a fractional logit model per column (Papke and Wooldridge 1996): a
    binomial GLM of the share with the interview's words (``weight``) as variance weights, so
    that a long interview counts for more than a short one, the dispersion estimated from
    Pearson's chi-square (quasi-binomial, McCullagh and Nelder 1989, section 4.5) and t
    intervals with the residual degrees of freedom (few interviews). ``shares`` has one row per
    interview: ``doc_id``, ``audience``, the weight, the covariates and the share columns.
    Returns ``EFFECT_COLUMNS`` with ``ratio`` the odds ratio of the share, ``group_a`` against
    ``group_b``; ``frame`` holds the column name."""
    data = shares[shares["audience"].isin(groups)].reset_index(drop=True)
    if (data[weight] <= 0).any():
        raise ValueError(f"every interview needs a positive {weight}")
    X, dropped = design(data, list(groups), covariates)
    rows = []
    for column in columns:
        y = data[column].astype(float).clip(0, 1)
        model = sm.GLM(y, X, family=sm.families.Binomial(), var_weights=data[weight].to_numpy(dtype=float))
        result, note = _fit(lambda m=model: m.fit(scale="X2", use_t=True))
        note = "; ".join(filter(None, [note, f"left out: {', '.join(dropped)}" if dropped else ""]))
        rows += _effect_rows(column, result, groups, len(data), data["doc_id"].nunique(), note)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)
