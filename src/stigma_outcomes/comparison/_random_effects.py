"""The random-effects model of meta-analysis, alone: effect sizes and variances in, τ² out.

It matches R ``metafor::rma(yi, vi, method = "REML" | "DL", test = "z")``; see
:mod:`.pooling` for the model's conventions and references, and for the records it feeds.
Nothing here knows about scales, sites or privacy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import AnalysisError, InputError

METHODS = ("REML", "DL")
"""Estimators of τ² :func:`random_effects` offers."""

REML_TOLERANCE = 1e-12
"""Fisher scoring stops when τ² moves by less than this times (τ² + mean vi)."""

REML_MAX_ITER = 1000

VARIANCE_RATIO_FLOOR = 1e-10
"""A sampling variance below this fraction of the largest is refused (weights would overflow
double precision in the traces that τ² and I² need)."""


def _check_inputs(yi: Any, vi: Any, method: str, level: float) -> tuple[np.ndarray, np.ndarray]:
    if method not in METHODS:
        raise InputError(
            f"unknown random-effects method '{method}'",
            where="method",
            fix=f"use one of {', '.join(METHODS)}",
        )
    if not 0.0 < level < 1.0:
        raise InputError(
            f"confidence level {level} is not a proportion",
            where="level",
            fix="give it as a fraction between 0 and 1, e.g. 0.95",
        )
    y = np.asarray(yi, dtype=float).reshape(-1)
    v = np.asarray(vi, dtype=float).reshape(-1)
    if y.shape != v.shape:
        raise AnalysisError(
            f"{y.size} effect sizes but {v.size} sampling variances",
            where="random_effects(yi, vi)",
            fix="give one variance per effect size",
        )
    if y.size < 2:
        raise AnalysisError(
            f"a random-effects meta-analysis needs at least 2 studies, got {y.size}",
            where="random_effects(yi, vi)",
            fix="pool only when two or more sites or cohorts have usable results",
        )
    if not np.all(np.isfinite(y)):
        raise AnalysisError(
            "an effect size is missing or infinite",
            where=f"yi at position(s) {np.flatnonzero(~np.isfinite(y)).tolist()}",
            fix="leave out studies whose effect size is undefined",
        )
    bad = ~(np.isfinite(v) & (v > 0))
    if bad.any():
        raise AnalysisError(
            "every sampling variance must be a positive number",
            where=f"vi at position(s) {np.flatnonzero(bad).tolist()}",
            fix="leave out studies with a zero or undefined variance (e.g. an SD of change of 0)",
        )
    tiny = v < VARIANCE_RATIO_FLOOR * v.max()
    if tiny.any():
        # such a study takes all the weight and the traces of the weight matrix cancel to 0
        raise AnalysisError(
            "a sampling variance is essentially zero next to the others (below "
            f"{VARIANCE_RATIO_FLOOR:g} of the largest), so that study would take all the weight",
            where=f"vi at position(s) {np.flatnonzero(tiny).tolist()}",
            fix="leave out studies whose change does not vary (SD of change 0 up to rounding)",
        )
    return y, v


def _weighted_mean(y: np.ndarray, w: np.ndarray) -> float:
    return float(w @ y / w.sum())


def _restricted_loglik(y: np.ndarray, v: np.ndarray, tau2: float) -> float:
    """REML log-likelihood of an intercept-only model, up to a constant."""
    w = 1.0 / (v + tau2)
    mu = _weighted_mean(y, w)
    return float(-0.5 * (np.log(v + tau2).sum() + math.log(w.sum()) + w @ (y - mu) ** 2))


def _tau2_dl(y: np.ndarray, v: np.ndarray) -> float:
    """DerSimonian–Laird moment estimate, truncated at 0."""
    w = 1.0 / v
    q = float(w @ (y - _weighted_mean(y, w)) ** 2)
    tr_p = w.sum() - (w @ w) / w.sum()
    return max(0.0, (q - (y.size - 1)) / tr_p)


def _tau2_reml(y: np.ndarray, v: np.ndarray) -> float:
    """REML τ² by metafor's Fisher scoring (start, step halving at 0, boundary check)."""
    k = y.size
    centred = y - y.mean()
    # Hedges' (unweighted moment) estimate is metafor's starting value.
    tau2 = max(0.0, float(centred @ centred - v.sum() * (1 - 1 / k)) / (k - 1))
    scale = float(v.mean())
    for _ in range(REML_MAX_ITER):
        w = 1.0 / (v + tau2)
        sw, sw2 = w.sum(), w @ w
        py = w * (y - _weighted_mean(y, w))
        tr_p = sw - sw2 / sw
        tr_pp = sw2 - 2.0 * (w @ (w * w)) / sw + (sw2 / sw) ** 2
        step = float(py @ py - tr_p) / tr_pp
        if tau2 == 0.0 and step < 0.0:
            break  # already on the boundary and the likelihood falls away from it
        while tau2 + step < 0.0:
            step /= 2.0
        tau2 += step
        if abs(step) <= REML_TOLERANCE * (tau2 + scale):
            break
    else:
        raise AnalysisError(
            f"REML estimation of tau² did not converge in {REML_MAX_ITER} iterations",
            where="random_effects(method='REML')",
            fix="use method='DL' (DerSimonian–Laird) for these studies",
        )
    # Fisher scoring creeps towards a boundary maximum without reaching it, and could stop
    # at a local maximum; 0 wins whenever its restricted likelihood is at least as high.
    if tau2 > 0.0 and _restricted_loglik(y, v, 0.0) >= _restricted_loglik(y, v, tau2):
        tau2 = 0.0
    return tau2


def random_effects(
    yi: Iterable[float] | np.ndarray,
    vi: Iterable[float] | np.ndarray,
    method: str = "REML",
    level: float = 0.95,
) -> dict[str, Any]:
    """Random-effects meta-analysis of effect sizes with known sampling variances.

    The model of R ``metafor::rma(yi, vi, method = method, test = "z")``: the pooled
    estimate weights each study by 1 / (vi + τ²); τ² by restricted maximum likelihood
    (Viechtbauer 2005) or the DerSimonian–Laird moment estimator (1986).

    Parameters
    ----------
    yi, vi : array-like of float
        Effect sizes and their sampling variances (all positive), at least two studies.
    method : {"REML", "DL"}
        Estimator of the between-study variance τ².
    level : float
        Confidence level of the intervals (0.95 for 95%).

    Returns
    -------
    dict
        ``k, estimate, se, ci_low, ci_high, z, p`` (Wald z test of estimate = 0),
        ``tau2, tau``, ``i2`` (percent) and ``h2`` (Higgins & Thompson 2002), Cochran's
        ``q, q_df, q_p``, the prediction interval ``pi_low, pi_high`` (metafor
        ``predict``: estimate ± z·√(se² + τ²); Riley et al. 2011), ``weights`` (percent,
        as ``weights(res)``) and ``method``.

    Raises
    ------
    AnalysisError
        Fewer than two studies, or an effect size or variance that is missing, zero or
        negative.

    Examples
    --------
    Two studies by DerSimonian–Laird: fixed-effect weights 1 and ½ give Q = 3, which
    exceeds its df of 1 by 2; tr P = 1.5 − 1.25/1.5 = ⅔, so τ² = 2 / ⅔ = 3, and the
    random-effects weights ¼ and ⅕ pool to (0·¼ + 3·⅕) / (9/20) = 4/3.

    >>> res = random_effects([0.0, 3.0], [1.0, 2.0], method="DL")
    >>> round(res["tau2"], 10), round(res["estimate"], 10), round(res["i2"], 4)
    (3.0, 1.3333333333, 66.6667)
    >>> [round(w, 4) for w in res["weights"]]
    [55.5556, 44.4444]
    """
    from scipy.special import chdtrc, ndtr, ndtri

    y, v = _check_inputs(yi, vi, method, level)
    k = y.size
    tau2 = float(_tau2_reml(y, v) if method == "REML" else _tau2_dl(y, v))

    w = 1.0 / (v + tau2)
    estimate = _weighted_mean(y, w)
    se = math.sqrt(1.0 / float(w.sum()))
    z = estimate / se
    crit = float(ndtri(1.0 - (1.0 - level) / 2.0))

    w0 = 1.0 / v
    q = max(0.0, float(w0 @ (y - _weighted_mean(y, w0)) ** 2))
    typical_v = float((k - 1) / (w0.sum() - (w0 @ w0) / w0.sum()))
    half_pi = crit * math.sqrt(se**2 + tau2)
    return {
        "k": int(k),
        "estimate": estimate,
        "se": se,
        "ci_low": estimate - crit * se,
        "ci_high": estimate + crit * se,
        "z": z,
        "p": float(2.0 * ndtr(-abs(z))),
        "tau2": float(tau2),
        "tau": math.sqrt(tau2),
        "i2": 100.0 * tau2 / (typical_v + tau2),
        "h2": tau2 / typical_v + 1.0,
        "q": q,
        "q_df": int(k - 1),
        "q_p": float(chdtrc(k - 1, q)),
        "pi_low": estimate - half_pi,
        "pi_high": estimate + half_pi,
        "weights": [float(x) for x in 100.0 * w / w.sum()],
        "method": method,
    }
