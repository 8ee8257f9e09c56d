"""Inference for the mixed models as lmerTest gives it: Satterthwaite df, t and joint F tests.

See :mod:`.mixed` for the formulas; the derivatives lmerTest takes numerically are analytic
here, from the same per-size sums as the fit (:mod:`._reml`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._reml import _ClusterSums, _design
from .estimable import Estimable

_Z975 = 1.959963984540054


# lmerTest drops Hessian eigenvalues at or below this when inverting (as_lmerModLT's tol)
_EIGEN_TOL = 1e-8


def _num(value: float | np.floating | None) -> float | None:
    """A JSON-safe float: ``None`` for missing or non-finite values."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _normal_p(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return 2.0 * ndtr(-np.abs(z))


class _Satterthwaite:
    """Satterthwaite degrees of freedom for linear combinations of the fixed effects.

    Everything is a function of ``phi = theta^2`` through the per-size weights
    ``w_m = phi / (1 + m phi)``, so the first and second derivatives of ``A``, ``b``, ``c``
    (and hence of the REML deviance and of ``C = sigma^2 A^-1``) with respect to ``phi`` are
    the same pooled sums with the weights differentiated. The chain rule then moves them to
    lmerTest's ``theta`` (which matters at ``theta = 0``, where ``phi`` is not a valid
    coordinate: a singular fit keeps finite df this way, as in lmerTest).
    """

    def __init__(self, sums: _ClusterSums, theta2: float) -> None:
        m = sums.sizes
        q = 1.0 + m * theta2
        w1 = 1.0 / q**2  # d w_m / d phi
        w2 = -2.0 * m / q**3  # d2 w_m / d phi2
        A, beta, r2, _ = sums.solve(theta2)
        dof = sums.N - sums.p
        sigma2 = r2 / dof
        A_inv = np.linalg.inv(A)
        dA = -np.tensordot(w1, sums.SS, axes=1)
        d2A = -np.tensordot(w2, sums.SS, axes=1)
        db, d2b = -(w1 @ sums.St), -(w2 @ sums.St)
        dc, d2c = -float(w1 @ sums.tt), -float(w2 @ sums.tt)
        P = A_inv @ dA
        # log det of the participant blocks plus log det A, and its phi derivatives
        ld1 = float(sums.count @ (m / q)) + float(np.trace(P))
        ld2 = (
            -float(sums.count @ (m / q) ** 2) + float(np.sum(A_inv * d2A)) - float(np.sum(P * P.T))
        )
        # penalised RSS r2(phi) = min over beta; envelope theorem for the first derivative,
        # the beta-phi cross term for the second
        r1 = dc - 2.0 * float(db @ beta) + float(beta @ dA @ beta)
        u = dA @ beta - db
        r2pp = d2c - 2.0 * float(d2b @ beta) + float(beta @ d2A @ beta)
        r2pp -= 2.0 * float(u @ A_inv @ u)
        sigma = math.sqrt(sigma2)
        theta = math.sqrt(theta2)
        # deviance D(phi, sigma) = ld + r2 / sigma^2 + dof log(2 pi sigma^2)
        d_phi = ld1 + r1 / sigma2
        d_phiphi = ld2 + r2pp / sigma2
        d_phisig = -2.0 * r1 / sigma**3
        d_sigsig = 6.0 * r2 / sigma2**2 - 2.0 * dof / sigma2
        hess = np.array(
            [
                [2.0 * d_phi + 4.0 * theta2 * d_phiphi, 2.0 * theta * d_phisig],
                [2.0 * theta * d_phisig, d_sigsig],
            ]
        )
        values, vectors = np.linalg.eigh(hess)
        pos = values > _EIGEN_TOL
        self.vcov_varpar = 2.0 * (vectors[:, pos] / values[pos]) @ vectors[:, pos].T
        self.positive_definite = bool(pos.all())
        self.A_inv, self.dA = A_inv, dA
        self.sigma2, self.theta = sigma2, theta

    def df(self, L: np.ndarray) -> np.ndarray:
        """Satterthwaite df for each row of ``L`` (a ``k x p`` matrix of combinations)."""
        M = L @ self.A_inv
        quad = np.einsum("ij,ij->i", M, L)
        var = self.sigma2 * quad
        # d var / d theta = 2 theta sigma^2 L' (d A^-1 / d phi) L; d var / d sigma = 2 var / sigma
        g_theta = -2.0 * self.theta * self.sigma2 * np.einsum("ij,jk,ik->i", M, self.dA, M)
        g_sigma = 2.0 * var / math.sqrt(self.sigma2)
        g = np.stack([g_theta, g_sigma], axis=1)
        denom = np.einsum("ij,jk,ik->i", g, self.vcov_varpar, g)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 2.0 * var**2 / denom
        return np.where(np.isfinite(out) & (out > 0), out, np.nan)


def _inference(est: np.ndarray, se: np.ndarray, df: np.ndarray) -> dict[str, np.ndarray]:
    """t (Satterthwaite) and Wald z statistics, two-sided p values and 95% limits."""
    from scipy.special import stdtr, stdtrit

    with np.errstate(divide="ignore", invalid="ignore"):
        stat = est / se
        half_t = stdtrit(df, 0.975) * se
        p_t = 2.0 * stdtr(df, -np.abs(stat))
    return {
        "df": df,
        "t": stat,
        "p": p_t,
        "ci_low": est - half_t,
        "ci_high": est + half_t,
        "z": stat,
        "p_wald": _normal_p(stat),
        "ci_low_wald": est - _Z975 * se,
        "ci_high_wald": est + _Z975 * se,
    }


def _fstat_ddf(nu: np.ndarray) -> float:
    """Denominator df of a joint F test from its eigen-directions' 1-D df (lmerTest's rule)."""
    if len(nu) == 1:
        return float(nu[0])
    if not np.isfinite(nu).all():
        return math.nan
    if np.all(np.abs(np.diff(nu)) < 1e-8):
        return float(nu.mean())
    if np.any(nu <= 2.0):
        # a t with nu <= 2 has no finite variance, so the moment matching behind
        # 2E / (E - q) breaks down; lmerTest then reports 2
        return 2.0
    e = float(np.sum(nu / (nu - 2.0)))
    return 2.0 * e / (e - len(nu))


def _f_test(
    L: np.ndarray, beta: np.ndarray, cov: np.ndarray, satt: _Satterthwaite
) -> dict[str, float | int | None]:
    """Joint Satterthwaite F test of ``L beta = 0`` (lmerTest's ``contestMD``)."""
    from scipy.special import fdtrc

    values, vectors = np.linalg.eigh(L @ cov @ L.T)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    # directions with (numerically) no variance are not testable: the rank is num_df
    keep = values > max(math.sqrt(np.finfo(float).eps) * values[0], 0.0)
    q = int(keep.sum())
    if q == 0:
        return {"num_df": 0, "den_df": None, "f": None, "p": None, "sum_sq": None, "mean_sq": None}
    rotated = vectors[:, keep].T @ L
    f = float(np.sum((rotated @ beta) ** 2 / values[keep])) / q
    den_df = _fstat_ddf(satt.df(rotated))
    p = float(fdtrc(q, den_df, f)) if math.isfinite(den_df) else math.nan
    mean_sq = f * satt.sigma2
    return {
        "num_df": q,
        "den_df": _num(den_df),
        "f": _num(f),
        "p": _num(p),
        "sum_sq": _num(mean_sq * q),
        "mean_sq": _num(mean_sq),
    }


_NOT_TESTED: dict[str, Any] = {
    "num_df": 0, "den_df": None, "f": None, "p": None, "sum_sq": None, "mean_sq": None,
}  # fmt: skip


def _anova_hypotheses(
    XtX: np.ndarray, n_waves: int, n_groups: int, group_col: str | None
) -> list[tuple[str, str, np.ndarray]]:
    """Type III hypothesis matrices per term, as lmerTest builds them: (term, words, L).

    With a group, lmerTest's type III hypotheses do not depend on the coding (they are those
    of sum-to-zero contrasts, SAS's type III): ``wave`` tests that each later wave's change
    from baseline, averaged over the groups with equal weight, is zero (equal unweighted
    wave means); the group term that the groups' means, averaged over the waves with equal
    weight, are equal; ``wave:<group>`` that every group changes alike (all interaction
    coefficients zero). In treatment coding that is ``beta_wave + mean over groups of the
    interaction coefficients`` for a wave row, and likewise for a group row.

    Without a group the model has one term, and lmerTest then uses type I hypotheses: the
    rows of the unit upper-triangular factor of ``X'X`` (Doolittle), which test the same
    thing (all wave means equal) in a basis that fixes the Satterthwaite df.
    """
    p = XtX.shape[0]
    if group_col is None:
        R = np.linalg.cholesky(XtX).T
        U = R / np.diag(R)[:, None]
        return [("wave", "all wave means are equal", U[1:n_waves])]
    n_w, n_g = n_waves - 1, n_groups - 1
    first_group, first_inter = 1 + n_w, 1 + n_w + n_g
    # interaction column of (later wave w, non-reference group g): the wave varies fastest
    inter = first_inter + np.arange(n_g)[None, :] * n_w + np.arange(n_w)[:, None]
    L_wave = np.zeros((n_w, p))
    L_wave[np.arange(n_w), 1 + np.arange(n_w)] = 1.0
    L_wave[np.arange(n_w)[:, None], inter] = 1.0 / n_groups
    L_group = np.zeros((n_g, p))
    L_group[np.arange(n_g), first_group + np.arange(n_g)] = 1.0
    L_group[np.arange(n_g)[None, :], inter] = 1.0 / n_waves
    L_inter = np.eye(p)[first_inter:]
    return [
        (
            "wave",
            "wave means are equal, each averaged over the groups with equal weight",
            L_wave,
        ),
        (
            group_col,
            "group means are equal, each averaged over the waves with equal weight",
            L_group,
        ),
        (
            f"wave:{group_col}",
            "every group changes alike from baseline to each later wave",
            L_inter,
        ),
    ]


def _means_and_contrasts(
    beta: np.ndarray,
    cov: np.ndarray,
    satt: _Satterthwaite,
    waves: list[str],
    levels: list[str],
    group_col: str | None,
    wave_idx: np.ndarray,
    group_idx: np.ndarray | None,
    space: Estimable,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Model-estimated cell means and later-minus-baseline contrasts, null where not estimable."""
    n_waves = len(waves)
    n_groups = len(levels) if group_col is not None else 1
    # one design row per wave x group cell: the model-estimated cell mean is L @ beta
    cell_w = np.tile(np.arange(n_waves), n_groups)
    cell_g = np.repeat(np.arange(n_groups), n_waves)
    L_full = _design(cell_w, cell_g if group_col is not None else None, n_waves, n_groups)
    ok = space.estimable(L_full)
    L = space.reduce(L_full)
    cell_of = (group_idx if group_idx is not None else 0) * n_waves + wave_idx
    counts = np.bincount(cell_of, minlength=n_groups * n_waves).reshape(n_groups, n_waves)

    est = np.where(ok, L @ beta, np.nan)
    se = np.where(ok, np.sqrt(np.einsum("ij,jk,ik->i", L, cov, L)), np.nan)
    # a test of "mean = 0" answers nothing here, so means carry intervals only
    mean_stats = {
        key: values
        for key, values in _inference(est, se, np.where(ok, satt.df(L), np.nan)).items()
        if key in ("df", "ci_low", "ci_high", "ci_low_wald", "ci_high_wald")
    }
    means = []
    for i in range(len(L)):
        means.append(
            {
                "wave": waves[cell_w[i]],
                "group": levels[cell_g[i]] if group_col is not None else None,
                "n": int(counts[cell_g[i], cell_w[i]]),
                "mean": _num(est[i]),
                "se": _num(se[i]),
            }
            | {key: _num(values[i]) for key, values in mean_stats.items()}
        )
    # later wave minus baseline, within each group
    base_rows = cell_g * n_waves
    later = np.flatnonzero(cell_w > 0)
    D_full = L_full[later] - L_full[base_rows[later]]
    d_ok = space.estimable(D_full)
    D = space.reduce(D_full)
    d_est = np.where(d_ok, D @ beta, np.nan)
    d_se = np.where(d_ok, np.sqrt(np.einsum("ij,jk,ik->i", D, cov, D)), np.nan)
    d_stats = _inference(d_est, d_se, np.where(d_ok, satt.df(D), np.nan))
    contrasts = []
    for j, i in enumerate(later):
        contrasts.append(
            {
                "from_wave": waves[0],
                "to_wave": waves[cell_w[i]],
                "group": levels[cell_g[i]] if group_col is not None else None,
                "estimate": _num(d_est[j]),
                "se": _num(d_se[j]),
            }
            | {key: _num(values[j]) for key, values in d_stats.items()}
        )
    return means, contrasts
