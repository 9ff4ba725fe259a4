"""Cluster-robust errors for a few clusters: the bias-reduced CR2 estimator with Bell and
McCaffrey's Satterthwaite degrees of freedom, for logistic (and other canonical-link) GLMs.

The usual cluster-robust (CR1) errors of :mod:`analysis.stats.models` rest on many clusters; with 17 to
23 interviews per model, and a contrast between two audiences resting on 6 interviews each, they
are too small and the t(G - 1) reference too generous. CR2 (Bell and McCaffrey 2002) adjusts each
cluster's residuals by (I - H_gg)^(-1/2), which makes the variance unbiased under a working model
of independent errors, and tests each contrast against a t distribution whose degrees of freedom
come from a Satterthwaite approximation under the same working model (Pustejovsky and Tipton 2018,
section 3); those are often far fewer than G - 1 when a contrast rests on few clusters.

For a GLM fitted by iteratively reweighted least squares, the computation is that of weighted least
squares at the solution (as clubSandwich does for glm objects): with W = diag(mu (1 - mu)) for the
logit, X~ = W^(1/2) X, Pearson residuals e~ = (y - mu) / W^(1/2), M = (X~' X~)^(-1) and H = X~ M X~',

    V_CR2 = M [sum_g X~_g' A_g e~_g e~_g' A_g X~_g] M,   A_g = (I - H_gg)^(-1/2),

and for a contrast c, with q_g = (I - H)[:, g] A_g X~_g M c and the G x G matrix Q'Q,

    df = trace(Q'Q)^2 / sum((Q'Q)^2).

(I - H_gg) is inverted by its symmetric square root; eigenvalues near 0 (a cluster that alone
determines a parameter) are left out, as a Moore-Penrose inverse does.

References: Bell, R. M. and McCaffrey, D. F. (2002). Bias reduction in standard errors for linear
regression with multi-stage samples. Survey Methodology 28, 169-181. Pustejovsky, J. E. and
Tipton, E. (2018). Small-sample methods for cluster-robust variance estimation and hypothesis
testing in fixed effects models. Journal of Business and Economic Statistics 36, 672-683.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class CR2:
    """A fitted CR2 variance: ``vcov`` (parameters x parameters), and what the degrees of freedom
    of a contrast need: ``xt`` (X~, rows x parameters), ``bread`` (M), ``adjust`` (A_g per cluster)
    and ``rows`` (each cluster's row positions)."""

    vcov: np.ndarray
    xt: np.ndarray
    bread: np.ndarray
    adjust: tuple
    rows: tuple

    def df(self, contrast: np.ndarray) -> float:
        """Bell and McCaffrey's Satterthwaite degrees of freedom of ``contrast`` (a vector over the
        parameters) under the working model of independent errors."""
        c = np.asarray(contrast, dtype=float)
        u = np.zeros((len(self.xt), len(self.rows)))
        mc = self.bread @ c
        for j, (rows, a) in enumerate(zip(self.rows, self.adjust)):
            u[rows, j] = a @ (self.xt[rows] @ mc)
        q = u - self.xt @ (self.bread @ (self.xt.T @ u))
        gram = q.T @ q
        return float(np.trace(gram) ** 2 / np.sum(gram**2))

    def test(self, contrast: np.ndarray, params: np.ndarray, level: float = 0.95) -> dict:
        """The contrast's estimate, standard error, CR2 interval and two-sided p against t(df):
        ``estimate``, ``se``, ``low``, ``high``, ``df``, ``p``."""
        c = np.asarray(contrast, dtype=float)
        estimate = float(c @ params)
        se = float(np.sqrt(max(c @ self.vcov @ c, 0.0)))
        df = self.df(c)
        half = stats.t.ppf((1 + level) / 2, df) * se
        p = float(2 * stats.t.sf(abs(estimate) / se, df)) if se > 0 else float(estimate == 0)
        return {"estimate": estimate, "se": se, "low": estimate - half, "high": estimate + half, "df": df, "p": p}


def _inverse_root(matrix: np.ndarray, tolerance: float = 1e-10) -> np.ndarray:
    """The symmetric inverse square root of a positive semi-definite matrix, eigenvalues below
    ``tolerance`` left out (Moore-Penrose)."""
    values, vectors = np.linalg.eigh(matrix)
    keep = values > tolerance
    scaled = np.zeros_like(values)
    scaled[keep] = 1 / np.sqrt(values[keep])
    return (vectors * scaled) @ vectors.T


def cr2(X: np.ndarray, y: np.ndarray, mu: np.ndarray, clusters: np.ndarray, variance: np.ndarray | None = None) -> CR2:
    """The CR2 variance of a canonical-link GLM's coefficients at its solution: ``X`` the model
    matrix (rows x parameters), ``y`` the outcome, ``mu`` the fitted means, ``clusters`` a label per
    row, ``variance`` the working weights (default mu (1 - mu), the logit's; ones for least
    squares). Returns a :class:`CR2`."""
    X, y, mu = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(mu, dtype=float)
    w = np.clip(mu * (1 - mu) if variance is None else np.asarray(variance, dtype=float), 1e-10, None)
    root = np.sqrt(w)
    xt, resid = X * root[:, None], (y - mu) / root
    bread = np.linalg.pinv(xt.T @ xt)
    labels = np.asarray(clusters)
    rows, adjust, meat = [], [], np.zeros((X.shape[1], X.shape[1]))
    for label in dict.fromkeys(labels):
        r = np.flatnonzero(labels == label)
        h = xt[r] @ bread @ xt[r].T
        a = _inverse_root(np.eye(len(r)) - h)
        score = xt[r].T @ (a @ resid[r])
        meat += np.outer(score, score)
        rows.append(r)
        adjust.append(a)
    return CR2(bread @ meat @ bread, xt, bread, tuple(adjust), tuple(rows))
