"""Linear mixed models for more than two waves: ``score ~ wave (* group) + (1 | participant)``.

The model has one random intercept per participant, so its marginal covariance within a
participant is ``sigma2 * (I + theta2 * J)``. That structure gives closed forms for the
inverse and the determinant cluster by cluster, so the REML criterion, profiled over the
residual variance, is a function of the single ratio ``theta = sigma_u / sigma``. We
minimise that one-dimensional function directly (a grid on the log scale, then Brent's
method on the best bracket, with the boundary ``theta = 0`` checked exactly, as lme4
allows). Compared with a general optimiser over all variance parameters (statsmodels
``MixedLM``) this is exact to the optimiser's tolerance, deterministic, and fast enough for
tens of thousands of participants: every evaluation is a handful of ``p x p`` matrix
products over per-participant sums.

The parameterisation, criterion and covariance of the fixed effects are those of
``lme4::lmer(score ~ wave * group + (1 | participant_id), REML = TRUE)``; the committed
goldens in ``tests/golden/mixed/`` check agreement to 1e-4 relative (absolute 1e-8 for values
near zero) on fixed effects, their SEs, variance components, wave means and contrasts.
Differences are typically below 1e-6; the largest (2e-5 relative, on a participant variance
1e5 times the residual one) is where lme4 stops short and our REML criterion is lower.

Confidence intervals and p values are t-based with Satterthwaite degrees of freedom, as R's
``lmerTest`` computes them for ``summary(fit)`` and ``contest(fit, L)``: for a linear combination
``L'beta`` with variance ``v = L' C L`` (``C`` the covariance of the fixed effects),
``df = 2 v^2 / (g' W g)``, where ``g`` is the gradient of ``v`` with respect to the variance
parameters ``(theta, sigma)`` (``theta = sigma_u / sigma``, lme4's parameterisation) and ``W``
is twice the (pseudo-)inverse of the Hessian of the REML deviance in those parameters, i.e.
their asymptotic covariance. lmerTest takes both derivatives numerically (``numDeriv``); here
they are analytic, from the same per-size sums as the fit, so the step costs a few ``p x p``
products whatever the number of participants. The Wald z versions (normal approximation, no
df) are kept beside them as ``z``, ``p_wald``, ``ci_low_wald`` and ``ci_high_wald``.

Fields of a record (one per instrument x scale; ``group`` is always ``None`` because one model
covers all groups, ``group_column`` names the grouping column or is ``None``):

* ``n_participants``, ``n_observations``: participants and ok scores in the model.
* ``waves``: the wave levels modelled, baseline first; ``group_levels``: group levels,
  reference first.
* ``fixed_effects``: ``term`` (R's name), ``estimate``, ``se``, ``df`` (Satterthwaite),
  ``t``, ``p`` (two-sided, from t(df)), ``ci_low``, ``ci_high`` (95%, from t(df)), then the Wald
  versions ``z``, ``p_wald``, ``ci_low_wald``, ``ci_high_wald`` — treatment contrasts, exactly
  lme4's ``fixef`` and ``vcov``, inference as ``lmerTest::summary``.
* ``participant_variance``, ``residual_variance``: REML variance components (lme4's
  ``VarCorr`` ``vcov`` column); ``reml_criterion``: -2 x restricted log-likelihood (lme4's
  ``REMLcrit``).
* ``wave_means``: per wave (and group) the model-estimated mean ``L @ beta`` with ``se``
  ``sqrt(L V L')``, ``df``, its 95% t interval (``ci_low``, ``ci_high``), the Wald interval
  (``ci_low_wald``, ``ci_high_wald``) and ``n``, the number of ok scores in that cell.
* ``contrasts``: per later wave (and group) the estimated mean minus the baseline mean of
  the same group, with ``se``, ``df``, ``t``, ``p``, 95% t interval and the Wald ``z``,
  ``p_wald``, ``ci_low_wald``, ``ci_high_wald``.
* ``anova``: one joint F test per model term (``wave``; with a group also the group column's
  name and ``wave:<group>``), as ``anova(fit, type = 3)`` in lmerTest: ``term``, ``hypothesis``,
  ``num_df``, ``den_df`` (Satterthwaite), ``f``, ``p``, ``sum_sq``, ``mean_sq``. See
  :func:`_anova_hypotheses` for what each term tests.
* ``converged``, ``optimizer``, ``method`` (``"REML"``), ``df_method``, ``note``;
  ``reference_group`` names the level every group coefficient is compared with.

An empty wave x group cell (an arm without follow-up) makes the design rank deficient. As
lme4 does, the aliased columns are dropped (:mod:`.estimable`) and the rest is fitted; every
cell mean and contrast that the observed cells determine is reported, the empty cells' are
null and named in ``note``, and of the joint tests only the interaction over the observed
cells is given (lmerTest's type III tests of the main terms then change their hypothesis).

Joint tests follow lmerTest's ``contestMD``: for a term's hypothesis matrix ``L`` (``q`` rows),
``L C L'`` is eigen-decomposed; ``F`` is the sum of the squared rotated estimates over their
variances, divided by ``q``; each eigen-direction gets its own 1-D Satterthwaite df ``nu_m``, and
the denominator df is ``2E / (E - q)`` with ``E = sum(nu_m / (nu_m - 2))`` (2 if any
``nu_m <= 2``; their mean if they all agree; ``nu_1`` itself when ``q = 1``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._codes import equals_text, match_labels, present_labels, text_codes
from .estimable import Estimable, estimable_columns

DF_METHOD = (
    "Satterthwaite t (as R's lmerTest): ci_low/ci_high, t and two-sided p of fixed effects, "
    "wave means and contrasts use t with Satterthwaite degrees of freedom (df) from the REML "
    "fit's variance parameters; the normal-approximation Wald z versions are kept as z, "
    "p_wald, ci_low_wald and ci_high_wald"
)
_Z975 = 1.959963984540054
# lmerTest drops Hessian eigenvalues at or below this when inverting (as_lmerModLT's tol)
_EIGEN_TOL = 1e-8
# a residual variance below this times the mean squared score is rounding noise
_RESIDUAL_FLOOR = 1000 * float(np.finfo(float).eps)
# _optimise_theta searches log10(theta2) up to 10; an optimum there has no residual variance
_THETA2_EDGE = 10.0 ** (10.0 - 0.01)


def _num(value: float | np.floating | None) -> float | None:
    """A JSON-safe float: ``None`` for missing or non-finite values."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _normal_p(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return 2.0 * ndtr(-np.abs(z))


class _ClusterSums:
    """Per-participant sums that the profiled REML criterion needs, computed once.

    The weight a participant gets for a variance ratio depends only on how many scores
    they have, so the per-participant sums are pooled by cluster size up front; each
    evaluation of the criterion then costs a few ``p x p`` products per distinct size,
    however many participants there are.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, cluster: np.ndarray) -> None:
        n_clusters = int(cluster.max()) + 1
        self.N, self.p = X.shape
        self.XtX = X.T @ X
        self.Xty = X.T @ y
        self.yty = float(y @ y)
        # column sums of X and sum of y within each participant
        S = np.zeros((n_clusters, self.p))
        np.add.at(S, cluster, X)
        t = np.bincount(cluster, weights=y, minlength=n_clusters)
        n_i = np.bincount(cluster, minlength=n_clusters)
        sizes, size_of = np.unique(n_i, return_inverse=True)
        self.sizes = sizes.astype(float)
        self.count = np.bincount(size_of, minlength=len(sizes)).astype(float)
        # per size m: sum of S_i S_i', S_i t_i and t_i^2 over participants with m scores
        self.SS = np.stack([S[size_of == j].T @ S[size_of == j] for j in range(len(sizes))])
        self.St = np.stack([S[size_of == j].T @ t[size_of == j] for j in range(len(sizes))])
        self.tt = np.bincount(size_of, weights=t * t, minlength=len(sizes))

    def solve(self, theta2: float) -> tuple[np.ndarray, np.ndarray, float, float]:
        """For a variance ratio ``theta2``: (A, beta, r2, log-det part of the criterion)."""
        w = theta2 / (1.0 + self.sizes * theta2)
        A = self.XtX - np.tensordot(w, self.SS, axes=1)
        b = self.Xty - w @ self.St
        c = self.yty - float(w @ self.tt)
        beta = np.linalg.solve(A, b)
        r2 = c - float(b @ beta)
        logdet = float(self.count @ np.log1p(self.sizes * theta2))
        return A, beta, r2, logdet

    def criterion(self, theta2: float) -> float:
        """REML deviance (-2 log restricted likelihood) profiled over the residual variance."""
        A, _, r2, logdet = self.solve(theta2)
        sign, logdet_a = np.linalg.slogdet(A)
        dof = self.N - self.p
        if sign <= 0 or r2 <= 0:
            return math.inf
        return logdet + logdet_a + dof * (1.0 + math.log(2.0 * math.pi * r2 / dof))


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


def _optimise_theta(sums: _ClusterSums) -> tuple[float, bool, str]:
    """Minimise the profiled REML criterion over theta2 = sigma2_u / sigma2 >= 0.

    A grid over log10(theta2) in [-8, 10] finds the basin (variance ratios differ by many
    orders of magnitude between scales), Brent's method refines it on the log scale, and
    theta2 = 0 (no participant variance) is checked exactly as the boundary optimum.
    """
    from scipy.optimize import minimize_scalar

    def f(log_theta2: float) -> float:
        return sums.criterion(10.0**log_theta2)

    grid = np.arange(-8.0, 10.0 + 1e-9, 0.5)
    values = np.array([f(g) for g in grid])
    at_zero = sums.criterion(0.0)
    finite = np.where(np.isfinite(values), values, np.inf)
    if not np.isfinite(finite).any() and not math.isfinite(at_zero):
        return math.nan, False, "REML criterion not finite for any variance ratio"
    best = int(np.argmin(finite))
    how = "Brent's method on log10(sigma2_participant / sigma2_residual) after a grid search"
    if not math.isfinite(finite[best]) or at_zero <= finite[best]:
        return 0.0, True, how
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    log_theta2, fun = float(res.x), float(res.fun)
    if at_zero <= fun:
        return 0.0, True, how
    converged = bool(res.success) and bool(log_theta2 < grid[-1] - 0.01)
    if log_theta2 >= grid[-1] - 0.01:
        how += "; residual variance is negligible next to participant variance"
    return 10.0**log_theta2, converged, how


def _term_names(waves: Sequence[str], group_col: str | None, levels: Sequence[str]) -> list[str]:
    names = ["(Intercept)"] + [f"wave{w}" for w in waves[1:]]
    if group_col is not None:
        names += [f"{group_col}{g}" for g in levels[1:]]
        # R's interaction columns: the first factor varies fastest
        names += [f"wave{w}:{group_col}{g}" for g in levels[1:] for w in waves[1:]]
    return names


def _design(wave_idx: np.ndarray, group_idx: np.ndarray | None, n_waves: int, n_groups: int):
    """Treatment-coded design matrix with R's column order."""
    n = len(wave_idx)
    wave_d = (wave_idx[:, None] == np.arange(1, n_waves)[None, :]).astype(float)
    cols = [np.ones((n, 1)), wave_d]
    if group_idx is not None:
        group_d = (group_idx[:, None] == np.arange(1, n_groups)[None, :]).astype(float)
        cols.append(group_d)
        inter = (group_d[:, :, None] * wave_d[:, None, :]).reshape(n, -1)
        cols.append(inter)
    return np.hstack(cols)


def _empty_record(base: dict[str, Any], note: str) -> dict[str, Any]:
    record = dict(base)
    record.update(
        {
            "fixed_effects": [],
            "participant_variance": None,
            "residual_variance": None,
            "reml_criterion": None,
            "wave_means": [],
            "contrasts": [],
            "anova": [],
            "converged": False,
            "note": note,
        }
    )
    return record


def _check_inputs(scores: pd.DataFrame, waves: list[str], group_col: str | None) -> None:
    needed = {"participant_id", "wave", "instrument", "scale", "score", "status"}
    missing = sorted(needed - set(scores.columns))
    if missing:
        raise AnalysisError(
            f"the scores table lacks the column(s) {', '.join(missing)}",
            where="scores passed to the mixed model",
            fix="pass the tidy scores written by `stigma-outcomes score`",
        )
    if len(waves) < 2 or len(set(waves)) != len(waves):
        raise AnalysisError(
            f"a mixed model needs at least two distinct waves, got {list(waves)}",
            where="waves for the mixed model",
            fix="name the baseline first, then the later waves, each once",
        )
    present = set(present_labels(scores["wave"]))
    absent = [w for w in waves if w not in present]
    if absent:
        raise AnalysisError(
            f"wave(s) {', '.join(absent)} do not occur in the scores",
            where="column 'wave'",
            fix=f"use waves that exist: {', '.join(sorted(present))}",
        )
    if group_col is not None:
        if group_col not in scores.columns:
            raise AnalysisError(
                f"group column '{group_col}' is not in the scores",
                where="scores columns",
                fix="carry the column through scoring (--carry) or drop --group-col",
            )
        levels = present_labels(scores[group_col])
        if len(levels) < 2:
            raise AnalysisError(
                f"group column '{group_col}' has {len(levels)} level(s); a group comparison "
                "needs at least two",
                where=f"column '{group_col}'",
                fix="check the column or fit the model without a group",
            )


def fit_mixed_models(
    scores: pd.DataFrame, waves: list[str], group_col: str | None = None
) -> list[dict[str, Any]]:
    """Fit ``score ~ wave (* group) + (1 | participant)`` by REML for every instrument scale.

    All ``ok`` scores at the listed waves are used, so participants who miss a wave still
    count. Waves are treatment-coded against the first wave listed, groups against the first
    level in R's ``factor()`` order (numbers by value, so "2" before "10"; named in
    ``reference_group``); term names follow R (``(Intercept)``, ``wavepost``,
    ``armcontrol``, ``wavepost:armcontrol``).

    Parameters
    ----------
    scores : pandas.DataFrame
        Tidy scores (``participant_id, wave, instrument, scale, score, status`` and any
        group column).
    waves : list of str
        The waves to model, baseline first; the order defines the wave factor.
    group_col : str, optional
        A column whose levels get their own wave profile (``wave * group``).

    Returns
    -------
    list of dict
        One record per instrument x scale: sample sizes, ``fixed_effects``,
        ``participant_variance``, ``residual_variance``, ``wave_means`` (mean, SE,
        Satterthwaite df and 95% t interval per wave and group), ``contrasts`` (each later
        wave against the baseline, per group), ``anova`` (a type III Satterthwaite F test per
        term, as lmerTest's ``anova(fit, type = 3)``), ``converged``, ``method`` (``"REML"``),
        ``df_method`` and ``note``. ``p``, ``ci_low`` and ``ci_high`` are t-based with
        Satterthwaite ``df`` (as lmerTest); the Wald z versions are ``z``, ``p_wald``,
        ``ci_low_wald`` and ``ci_high_wald``. Values that cannot be estimated are ``None`` and
        ``note`` says why.

    Raises
    ------
    AnalysisError
        If a wave is not in the data, fewer than two waves are given, or the group column is
        missing or has a single level.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "participant_id": ["a", "a", "b", "b", "c", "c", "d"],
    ...     "wave": ["pre", "post"] * 3 + ["pre"],
    ...     "instrument": "ucla3", "scale": "total", "status": "ok",
    ...     "score": [6.0, 5.0, 7.0, 7.0, 8.0, 6.0, 5.0]})
    >>> rec = fit_mixed_models(df, ["pre", "post"])[0]
    >>> [fe["term"] for fe in rec["fixed_effects"]]
    ['(Intercept)', 'wavepost']
    >>> sorted(rec["contrasts"][0])[:6]
    ['ci_high', 'ci_high_wald', 'ci_low', 'ci_low_wald', 'df', 'estimate']
    >>> [(a["term"], a["num_df"]) for a in rec["anova"]]
    [('wave', 1)]
    """
    waves = [str(w) for w in waves]
    _check_inputs(scores, waves, group_col)
    # integer codes throughout: the scores table is scanned once, not once per scale
    wave_codes, wave_labels = text_codes(scores["wave"])
    wave_at = np.append(match_labels(wave_labels, waves), -1)[wave_codes]
    y_all = pd.to_numeric(scores["score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = equals_text(scores["status"], "ok") & (wave_at >= 0) & np.isfinite(y_all)
    inst, inst_labels = text_codes(scores["instrument"], sort=True)
    scale, scale_labels = text_codes(scores["scale"], sort=True)
    n_scale = max(len(scale_labels), 1)
    cell = inst * n_scale + scale
    # every scale in the scores gets a record, even one with no ok score at these waves
    cells = np.unique(cell[(inst >= 0) & (scale >= 0)])
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(cell[rows], kind="stable")]
    starts = np.searchsorted(cell[rows], cells)
    stops = np.searchsorted(cell[rows], cells, side="right")
    pid, _ = text_codes(scores["participant_id"])
    group, group_labels = (
        text_codes(scores[group_col], sort=True) if group_col is not None else (None, [])
    )
    records = []
    for c, start, stop in zip(cells, starts, stops, strict=True):
        part = rows[start:stop]
        records.append(
            _fit_one(
                _Cell(
                    wave=wave_at[part],
                    pid=pid[part],
                    y=y_all[part],
                    group=group[part] if group is not None else None,
                    group_labels=group_labels,
                ),
                inst_labels[c // n_scale],
                scale_labels[c % n_scale],
                waves,
                group_col,
            )
        )
    return records


@dataclass(frozen=True)
class _Cell:
    """One scale's ok scores as codes: wave (index into the waves), participant, group."""

    wave: np.ndarray
    pid: np.ndarray
    y: np.ndarray
    group: np.ndarray | None
    group_labels: list[str]


def _fit_one(
    part: _Cell, instrument: str, scale: str, waves: list[str], group_col: str | None
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "instrument": instrument,
        "scale": scale,
        "group_column": group_col,
        "group": None,
        "method": "REML",
        "df_method": DF_METHOD,
    }
    notes: list[str] = []
    wave, pid, y, group = part.wave, part.pid, part.y, part.group
    if group is not None:
        has = group >= 0
        if not has.all():
            notes.append(f"{int((~has).sum())} score(s) without a value of '{group_col}' left out")
            wave, pid, y, group = wave[has], pid[has], y[has], group[has]
    present_waves = np.bincount(wave, minlength=len(waves)) > 0
    used_waves = [w for w, here in zip(waves, present_waves, strict=True) if here]
    if len(used_waves) < len(waves):
        skipped = [w for w in waves if w not in used_waves]
        notes.append(f"no ok scores at wave(s) {', '.join(skipped)}; modelled without them")
    present_levels = np.unique(group) if group is not None else np.array([], dtype=np.int64)
    levels = [part.group_labels[g] for g in present_levels]
    ids, cluster = np.unique(pid, return_inverse=True)
    base.update(
        {
            "n_participants": len(ids),
            "n_observations": len(y),
            "waves": used_waves,
            "group_levels": levels if group_col is not None else None,
            # treatment coding: every group coefficient is against this level
            "reference_group": levels[0] if group_col is not None and levels else None,
        }
    )
    if len(used_waves) < 2:
        return _empty_record(base, "; ".join([*notes, "fewer than two waves with ok scores"]))
    if group_col is not None and len(levels) < 2:
        return _empty_record(base, "; ".join([*notes, "only one group level has ok scores"]))

    # codes relative to the waves and levels actually present
    wave_idx = (np.cumsum(present_waves) - 1)[wave].astype(np.int64)
    group_idx = (
        np.searchsorted(present_levels, group).astype(np.int64) if group is not None else None
    )
    cluster = cluster.astype(np.int64)
    X_full = _design(wave_idx, group_idx, len(used_waves), max(len(levels), 1))
    terms_full = _term_names(used_waves, group_col, levels)
    n_clusters = int(cluster.max()) + 1
    # An empty wave x group cell makes its interaction column zero; like lme4, drop the
    # aliased columns, fit the rest, and estimate every cell mean that is estimable.
    keep = estimable_columns(X_full)
    X = X_full[:, keep]
    terms = [t for t, k in zip(terms_full, keep, strict=True) if k]
    if not keep.all():
        notes.append(
            _rank_deficiency_note(terms_full, keep, used_waves, levels, wave_idx, group_idx)
        )
    if n_clusters >= len(y) or len(y) - X.shape[1] < 1:
        return _empty_record(
            base,
            "; ".join(
                [
                    *notes,
                    "every participant has a single score, so participant and "
                    "residual variance cannot be separated",
                ]
            ),
        )

    sums = _ClusterSums(X, y, cluster)
    theta2, converged, how = _optimise_theta(sums)
    if not math.isfinite(theta2):
        return _empty_record(base, "; ".join([*notes, how]))
    A, beta, r2, _ = sums.solve(theta2)
    sigma2 = r2 / (len(y) - X.shape[1])
    if sigma2 <= _RESIDUAL_FLOOR * float(y @ y) / len(y) or theta2 >= _THETA2_EDGE:
        # The model reproduces every score up to rounding. The residual sum of squares comes
        # from sums of squares by subtraction, so its rounding is about eps times sum(y^2):
        # below that it is noise, and standard errors made from it would give t ~ 1e8 (R's
        # t.test calls such data essentially constant). An optimum at the top of the search
        # (participant variance 1e10 times the residual's) is the same case reached from the
        # other side: the criterion still falls as the residual variance goes to 0.
        return _empty_record(
            base,
            "; ".join([*notes, "the scores do not vary beyond what wave and group explain "
                       "(residual variance 0 up to rounding), so there is no error term"]),
        )  # fmt: skip
    cov = sigma2 * np.linalg.inv(A)
    se = np.sqrt(np.diag(cov))
    satt = _Satterthwaite(sums, theta2)
    stats = _inference(beta, se, satt.df(np.eye(len(beta))))
    fixed = [
        {"term": term, "estimate": _num(b), "se": _num(s)}
        | {key: _num(values[i]) for key, values in stats.items()}
        for i, (term, b, s) in enumerate(zip(terms, beta, se, strict=True))
    ]
    space = Estimable(X_full, keep)
    wave_means, contrasts = _means_and_contrasts(
        beta, cov, satt, used_waves, levels, group_col, wave_idx, group_idx, space
    )
    anova = []
    for term, words, L in _anova_hypotheses(
        X_full.T @ X_full, len(used_waves), max(len(levels), 1), group_col
    ):
        rows = space.estimable(L)
        if rows.all():
            anova.append(
                {"term": term, "hypothesis": words} | _f_test(space.reduce(L), beta, cov, satt)
            )
        elif term.startswith("wave:") and rows.any():
            # the interaction rows of the observed cells are still a test of "groups change alike"
            anova.append(
                {"term": term, "hypothesis": words + " (observed cells only)"}
                | _f_test(space.reduce(L[rows]), beta, cov, satt)
            )
        else:
            anova.append({"term": term, "hypothesis": words} | _NOT_TESTED)
    if not keep.all() and group_col is not None:
        notes.append(
            "type III tests of wave and of the group are not given: with an empty cell their "
            "averages over groups or waves include a cell without data (lmerTest substitutes "
            "another hypothesis and warns to interpret it with care)"
        )
    if not satt.positive_definite:
        notes.append(
            "the REML deviance is flat in some variance direction, so Satterthwaite df use "
            "its pseudo-inverse (as lmerTest, which warns of non-convergence)"
        )
    if not converged:
        notes.append(f"REML optimisation did not converge cleanly ({how})")
    if theta2 == 0.0:
        notes.append("participant variance estimated at zero (singular fit, as lme4 reports)")
    record = dict(base)
    record.update(
        {
            "fixed_effects": fixed,
            "participant_variance": _num(theta2 * sigma2),
            "residual_variance": _num(sigma2),
            "reml_criterion": _num(sums.criterion(theta2)),
            "wave_means": wave_means,
            "contrasts": contrasts,
            "anova": anova,
            "converged": converged,
            "optimizer": how,
            "note": "; ".join(notes) if notes else None,
        }
    )
    return record


def _rank_deficiency_note(
    terms: list[str],
    keep: np.ndarray,
    waves: list[str],
    levels: list[str],
    wave_idx: np.ndarray,
    group_idx: np.ndarray | None,
) -> str:
    dropped = [t for t, k in zip(terms, keep, strict=True) if not k]
    empty = []
    if group_idx is not None:
        counts = np.zeros((len(levels), len(waves)), dtype=int)
        np.add.at(counts, (group_idx, wave_idx), 1)
        empty = [f"{waves[w]} x {levels[g]}" for g, w in zip(*np.nonzero(counts == 0), strict=True)]
    where = f"no ok scores in the cell(s) {', '.join(empty)}, so " if empty else ""
    return (
        f"{where}the fixed-effect design is rank deficient: the aliased column(s) "
        f"{', '.join(dropped)} were dropped, as lme4 does; every other cell's mean and "
        "contrast is estimated, those of the empty cell(s) are null"
    )


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
    n_waves = len(waves)
    n_groups = len(levels) if group_col is not None else 1
    # one design row per wave x group cell: the model-estimated cell mean is L @ beta
    cell_w = np.tile(np.arange(n_waves), n_groups)
    cell_g = np.repeat(np.arange(n_groups), n_waves)
    L_full = _design(cell_w, cell_g if group_col is not None else None, n_waves, n_groups)
    ok = space.estimable(L_full)
    L = space.reduce(L_full)
    counts = np.zeros((n_groups, n_waves), dtype=int)
    np.add.at(counts, (group_idx if group_idx is not None else 0, wave_idx), 1)

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
