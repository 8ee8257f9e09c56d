"""The numerics of in-sample reliability: pairwise moments, Cronbach's alpha, omega total.

Private to :mod:`stigma_outcomes.comparison.reliability` (which documents the estimators and
writes the records); re-exported there.
"""

from __future__ import annotations

import math

import numpy as np


def pairwise_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise-complete covariances, correlations and pair counts of the columns of ``x``.

    Each entry uses only the rows where both columns are observed, with that pair's own means
    and standard deviations (R's ``cov``/``cor`` with ``use = "pairwise"``).

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 5.0], [4.0, 4.0]])
    >>> cov, cor, n = pairwise_moments(x)
    >>> n.tolist(), round(float(cov[0, 1]), 4), round(float(cov[0, 0]), 4)
    ([[4.0, 3.0], [3.0, 3.0]], 1.8333, 1.6667)
    """
    mask = ~np.isnan(x)
    if mask.all():
        # every item answered by everyone: the pairwise moments are the ordinary ones
        rows, k = x.shape
        centred = x - x.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = (centred.T @ centred) / (rows - 1)
            sd = np.sqrt(np.diag(cov))
            cor = cov / np.outer(sd, sd)
        np.fill_diagonal(cor, 1.0)
        return cov, cor, np.full((k, k), float(rows))
    m = mask.astype(float)
    x0 = np.where(mask, x, 0.0)
    n = m.T @ m
    sx = x0.T @ m  # sx[i, j]: sum of item i over rows where item j is observed too
    sxx = (x0 * x0).T @ m
    sxy = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (sxy - sx * sx.T / n) / (n - 1)
        var_i = (sxx - sx * sx / n) / (n - 1)  # variance of item i on the pair's rows
        cor = cov / np.sqrt(var_i * var_i.T)
    np.fill_diagonal(cor, 1.0)
    return cov, cor, n


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


def _minres_uniquenesses(cor: np.ndarray) -> np.ndarray:
    """One-factor minres fit: loadings minimising squared off-diagonal residuals.

    Minres is unweighted least squares on the off-diagonal correlations, so with one factor
    it can be solved directly over the loadings λ, with the exact gradient
    ``-2 (R - λλ') λ`` (diagonal excluded); the bound |λ| ≤ √0.995 keeps every uniqueness at
    least 0.005. psych uses the same floor but searches over the uniquenesses (loadings from
    the leading eigenvector of R − Ψ), so when an item's loading would exceed 1 (a Heywood
    case) the two stop at different points of the boundary and omega can differ by a
    hundredth or two; away from the boundary both reach the same minimum. Here the bounded
    least-squares minimum itself is reported, and :func:`_reliability` warns.
    """
    from scipy.optimize import minimize

    k = cor.shape[0]
    off = ~np.eye(k, dtype=bool)

    def objective(lam: np.ndarray) -> tuple[float, np.ndarray]:
        resid = np.where(off, cor - np.outer(lam, lam), 0.0)
        return 0.5 * float((resid * resid).sum()), -2.0 * (resid @ lam)

    # Start from the principal axis of the correlations with squared multiple correlations
    # on the diagonal, the usual first step of an iterated principal-axis fit.
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(cor))
    except np.linalg.LinAlgError:
        smc = np.full(k, 0.5)
    reduced = cor.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.005, 0.995))
    values, vectors = np.linalg.eigh(reduced)
    start = vectors[:, -1] * math.sqrt(max(values[-1], 1e-6))
    bound = math.sqrt(0.995)
    res = minimize(
        objective,
        np.clip(start, -bound, bound),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-bound, bound)] * k,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000},
    )
    return 1.0 - res.x * res.x


def omega_total(cor: np.ndarray) -> float:
    """McDonald's omega total of a unit-weighted scale from a one-factor minres model.

    Parameters
    ----------
    cor : numpy.ndarray
        Item correlation matrix (at least 3 x 3), items as keyed.

    Returns
    -------
    float
        ``(sum(R) - sum(uniquenesses)) / sum(R)``.

    Examples
    --------
    >>> r = np.full((4, 4), 0.36)
    >>> np.fill_diagonal(r, 1.0)
    >>> round(omega_total(r), 4)
    0.6923
    """
    return omega_fit(cor)[0]


HEYWOOD_UNIQUENESS = 0.005
"""The floor of every uniqueness (psych's); an item at it is a Heywood case."""


def omega_fit(cor: np.ndarray) -> tuple[float, np.ndarray]:
    """Omega total and a mask of the items whose uniqueness sits at the 0.005 floor.

    Examples
    --------
    >>> r = np.array([[1, 0.8, 0.8], [0.8, 1, 0.5], [0.8, 0.5, 1.0]])
    >>> omega, heywood = omega_fit(r)
    >>> round(omega, 4), heywood.tolist()
    (0.8787, [True, False, False])
    """
    u2 = _minres_uniquenesses(cor)
    total = cor.sum()
    heywood = u2 <= HEYWOOD_UNIQUENESS * (1 + 1e-6)
    return float((total - u2.sum()) / total), heywood
