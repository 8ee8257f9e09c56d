"""Small numerical building blocks shared by the paired, unlinked and attrition statistics.

Everything here works on one analysis cell (one instrument × scale × group × contrast)
at a time and is called once per cell, never once per participant.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Z_975 = 1.959963984540054
"""The 97.5% standard normal quantile (R ``qnorm(0.975)``)."""


EPS_CONSTANT = 10 * float(np.finfo(float).eps)
"""R ``t.test``'s tolerance: data whose standard error is below this times their scale are
"essentially constant"."""


def essentially_constant(sd: float, n: float, *centres: float) -> bool:
    """Whether values with this SD are constant up to floating-point rounding (R's rule).

    R ``t.test`` stops with "data are essentially constant" when the standard error
    ``sd / √n`` is below ``10 · ε`` times the largest absolute mean involved. Rounding in
    item-mean scores (5/3 → 7/3) leaves SDs of about 1e-16 where every value is really the
    same; a t computed from them would be some 1e16. The ``centres`` give the scale of the
    data (for a change: the mean change and the two wave means), so noise around a change of
    zero is recognised too. A zero or undefined SD counts as constant.

    Examples
    --------
    >>> essentially_constant(1.1e-16, 10, 2 / 3, 5 / 3, 7 / 3)
    True
    >>> essentially_constant(0.5, 10, 2 / 3)
    False
    """
    if not (math.isfinite(sd) and n > 0):
        return True
    scale = max((abs(c) for c in centres if math.isfinite(c)), default=0.0)
    return not sd / math.sqrt(n) > EPS_CONSTANT * scale


def hedges_j(df: float) -> float:
    """Exact small-sample correction J(df) = Γ(df/2) / (√(df/2) · Γ((df − 1)/2)).

    Computed on the log scale (``gammaln``) so large ``df`` does not overflow. Undefined
    (NaN) for ``df <= 1``.

    Examples
    --------
    >>> round(hedges_j(10), 6)
    0.922746
    """
    from scipy.special import gammaln

    if not np.isfinite(df) or df <= 1:
        return math.nan
    return float(np.exp(gammaln(df / 2) - 0.5 * np.log(df / 2) - gammaln((df - 1) / 2)))


def ncp_t_interval(t: float, df: float, level: float = 0.95) -> tuple[float, float]:
    """Confidence limits for the noncentrality parameter of a t statistic.

    Solves ``P(T_df,ncp <= t) = 1 − α/2`` (lower limit) and ``= α/2`` (upper limit)
    by Brent's method (:func:`~stigma_outcomes.comparison._roots.brent_root`) on the
    noncentral t distribution, i.e. R's ``uniroot(function(ncp) pt(t, df, ncp) - p, ...)``.

    Examples
    --------
    >>> lo, hi = ncp_t_interval(3.0, 9)
    >>> round(lo, 4), round(hi, 4)
    (0.5568, 5.3337)
    """
    from ._roots import brent_root
    from .distributions import nct

    if not (np.isfinite(t) and np.isfinite(df)) or df <= 0:
        return (math.nan, math.nan)
    alpha = 1.0 - level

    def limit(target: float) -> float:
        def f(ncp: float) -> float:
            cdf = float(nct.cdf(t, df, ncp))
            if math.isnan(cdf):
                # scipy gives NaN far in the tails with large df (ncp some 25 or more beyond
                # t); the cdf falls with ncp, so there it is 0 above t and 1 below.
                cdf = 0.0 if ncp > t else 1.0
            return cdf - target

        # The cdf falls as ncp rises; widen a bracket around t until it straddles the root.
        width = 2.0 + abs(t) * 0.5
        lo, hi = t - width, t + width
        for _ in range(60):
            f_lo, f_hi = f(lo), f(hi)
            if np.isnan(f_lo) or np.isnan(f_hi):
                return math.nan
            if f_lo > 0 > f_hi:
                return brent_root(f, lo, hi, xtol=1e-12, rtol=1e-13)
            width *= 2.0
            lo, hi = t - width, t + width
        return math.nan

    return (limit(1.0 - alpha / 2), limit(alpha / 2))


def wilson_interval(k: float, n: float, z: float = Z_975) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k / n`` (R ``prop.test(k, n, correct = FALSE)``).

    Examples
    --------
    >>> [round(v, 6) for v in wilson_interval(7, 20)]
    [0.181192, 0.567146]
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def welch_t(
    mean1: float, var1: float, n1: float, mean2: float, var2: float, n2: float
) -> dict[str, Any]:
    """Welch two-sample t test of group 1 − group 2 with its 95% interval (R ``t.test``).

    Returns ``diff, se, t, df, p, ci_low, ci_high``; NaN where undefined (a group with
    fewer than two values, or no variance in either beyond rounding, where R stops with
    "data are essentially constant"; then ``constant`` is True).

    Examples
    --------
    >>> r = welch_t(5.0, 4.0, 10, 4.0, 9.0, 12)
    >>> round(r["t"], 6), round(r["df"], 4)
    (0.932505, 19.1905)
    """
    from .distributions import t as t_dist

    nan = {k: math.nan for k in ("diff", "se", "t", "df", "p", "ci_low", "ci_high")}
    nan["diff"] = mean1 - mean2 if n1 > 0 and n2 > 0 else math.nan
    if n1 < 2 or n2 < 2:
        return nan
    se1, se2 = var1 / n1, var2 / n2
    se = math.sqrt(se1 + se2)
    if essentially_constant(se, 1, mean1, mean2):
        # R t.test: "data are essentially constant" (its stderr against max |mean|)
        nan["constant"] = True
        return nan
    df = (se1 + se2) ** 2 / (se1**2 / (n1 - 1) + se2**2 / (n2 - 1))
    diff = mean1 - mean2
    t = diff / se
    q = float(t_dist.ppf(0.975, df))
    return {
        "diff": diff,
        "se": se,
        "t": t,
        "df": df,
        "p": float(2 * t_dist.sf(abs(t), df)),
        "ci_low": diff - q * se,
        "ci_high": diff + q * se,
    }


def normal_two_sided(z: float) -> float:
    """Two-sided normal p value ``2 · min(Φ(z), 1 − Φ(z))``."""
    from .distributions import norm

    return float(2 * min(norm.cdf(z), norm.sf(z)))


def finite_or_nan(value: float) -> float:
    """``value`` as a float, with infinities turned into NaN (undefined, not 'huge')."""
    value = float(value)
    return value if math.isfinite(value) else math.nan
