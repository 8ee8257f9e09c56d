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
        return complete_moments(x - x.mean(axis=0))
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


def complete_moments(centred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`pairwise_moments` of complete data, given as deviations from the column means.

    ``centred`` must be C-ordered ``n x k`` (``x - x.mean(axis=0)``), as the results' last
    bits depend on the layout the product is computed from.
    """
    return gram_moments(centred.T @ centred, centred.shape[0])


def gram_moments(gram: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`complete_moments` from the cross-products of the deviations (``Xc' Xc``) of
    ``rows`` complete rows.

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 4.0]])
    >>> c = x - x.mean(axis=0)
    >>> cov, cor, n = gram_moments(c.T @ c, 4)
    >>> round(float(cov[0, 1]), 4), float(n[0, 0])
    (1.6667, 4.0)
    """
    k = gram.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = gram / (rows - 1)
        sd = np.sqrt(np.diag(cov))
        cor = cov / np.outer(sd, sd)
    np.fill_diagonal(cor, 1.0)
    return cov, cor, np.full((k, k), float(rows))


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1.0 - np.trace(cov) / cov.sum())


HEYWOOD_UNIQUENESS = 0.005
"""The floor of every uniqueness (psych's); an item at it is a Heywood case."""

_BOUND = math.sqrt(1.0 - HEYWOOD_UNIQUENESS)  # the largest admissible |loading|


def _minres_uniquenesses(cor: np.ndarray) -> np.ndarray:
    """One-factor minres fit: loadings minimising squared off-diagonal residuals.

    Minres is unweighted least squares on the off-diagonal correlations, so with one factor
    it can be solved directly over the loadings λ: minimise
    ``f(λ) = ½ Σ_{i≠j} (r_ij − λ_i λ_j)²`` subject to ``|λ_i| ≤ √0.995`` (every uniqueness at
    least 0.005). psych uses the same floor but searches over the uniquenesses (loadings from
    the leading eigenvector of R − Ψ), so when an item's loading would exceed 1 (a Heywood
    case) the two stop at different points of the boundary and omega can differ by a
    hundredth or two; away from the boundary both reach the same minimum. Here the bounded
    least-squares minimum itself is reported, and :func:`_reliability` warns.

    The minimum is found by :func:`_minres_newton`; should it not converge, by L-BFGS-B from
    where it stopped.
    """
    lam, converged = _minres_newton(cor)
    if not converged:
        lam = _minres_lbfgs(cor, lam)
    return 1.0 - lam * lam


def _principal_axis_start(cor: np.ndarray) -> np.ndarray:
    """The first principal axis of R with squared multiple correlations on its diagonal.

    The usual first step of an iterated principal-axis fit, clipped into the bounds. The
    leading eigenvector comes from inverse iteration at the top eigenvalue (``eigvalsh``):
    ``numpy.linalg.eigh`` runs a threaded LAPACK routine whose thread start-up alone costs
    milliseconds per call on a busy machine, more than the whole fit.
    """
    k = cor.shape[0]
    try:
        smc = 1.0 - 1.0 / np.diag(np.linalg.inv(cor))
    except np.linalg.LinAlgError:
        smc = np.full(k, 0.5)
    reduced = cor.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.005, 0.995))
    top = float(np.linalg.eigvalsh(reduced)[-1])
    shifted = reduced - (top + 1e-10 * max(1.0, abs(top))) * np.eye(k)
    vector = np.ones(k)
    for _ in range(3):
        vector = np.linalg.solve(shifted, vector)
        vector /= np.linalg.norm(vector)
    return np.clip(vector * math.sqrt(max(top, 1e-6)), -_BOUND, _BOUND)


def _minres_newton(cor: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, bool]:
    """Projected Newton on the bounded one-factor minres problem; (loadings, converged).

    With ``E = R − λλ'`` (diagonal left out) the gradient is ``−2 E λ`` and the Hessian
    ``2 (λ'λ − λ_i²)`` on the diagonal and ``−2 (r_ij − 2 λ_i λ_j)`` off it. An item at its
    bound whose gradient points outward is held there; the others take a Newton step (the
    Hessian's eigenvalues made positive where it is not positive definite), halved until the
    objective falls enough. Once the Hessian is positive definite and the step is below
    1e-5, full steps are taken (the decrease is then below the objective's rounding, and
    convergence is quadratic) until a step is below 1e-10, so the loadings are exact to
    rounding, where L-BFGS stops at its tolerance.
    """
    k = cor.shape[0]
    off = cor.copy()
    np.fill_diagonal(off, 0.0)
    diagonal = np.arange(k)

    def value_and_gradient(lam: np.ndarray) -> tuple[float, np.ndarray]:
        resid = off - np.outer(lam, lam)
        resid[diagonal, diagonal] = 0.0
        return 0.5 * float((resid * resid).sum()), -2.0 * (resid @ lam)

    lam = _principal_axis_start(cor)
    value, gradient = value_and_gradient(lam)
    for _ in range(max_iter):
        free = ~((np.abs(lam) >= _BOUND) & (lam * gradient < 0.0))
        hessian = -2.0 * (off - 2.0 * np.outer(lam, lam))
        hessian[diagonal, diagonal] = 2.0 * (lam @ lam - lam * lam)
        h_free = hessian[np.ix_(free, free)]
        step = np.zeros(k)
        try:
            np.linalg.cholesky(h_free)
            step[free] = -np.linalg.solve(h_free, gradient[free])
            definite = True
        except np.linalg.LinAlgError:
            values, vectors = np.linalg.eigh(h_free)
            step[free] = -vectors @ ((vectors.T @ gradient[free]) / np.maximum(abs(values), 1e-8))
            definite = False
        size = float(np.abs(step).max())
        if definite and size <= 1e-5:
            lam = np.clip(lam + step, -_BOUND, _BOUND)
            if size <= 1e-10:
                return lam, True
            value, gradient = value_and_gradient(lam)
            continue
        t = 1.0
        while True:
            trial = np.clip(lam + t * step, -_BOUND, _BOUND)
            trial_value, trial_gradient = value_and_gradient(trial)
            if trial_value <= value + 1e-4 * float(gradient @ (trial - lam)):
                break
            t *= 0.5
            if t < 1e-10:
                return lam, False
        lam, value, gradient = trial, trial_value, trial_gradient
    return lam, False


def _minres_lbfgs(cor: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The same bounded minimum by L-BFGS-B (scipy), from ``start``: the fallback."""
    from scipy.optimize import minimize

    k = cor.shape[0]
    off = ~np.eye(k, dtype=bool)

    def objective(lam: np.ndarray) -> tuple[float, np.ndarray]:
        resid = np.where(off, cor - np.outer(lam, lam), 0.0)
        return 0.5 * float((resid * resid).sum()), -2.0 * (resid @ lam)

    res = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_BOUND, _BOUND)] * k,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000},
    )
    return np.asarray(res.x)


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
