"""One root of a function of one variable, bracketed: Brent's method (issue 15).

Effect-size intervals invert the noncentral t distribution, and ``plan`` inverts power,
each by finding where a monotone function crosses zero inside a bracket. ``scipy.optimize``
does this, but importing it pulls in ``scipy.linalg``, ``scipy.sparse`` and HiGHS: about
0.14 s, 7% of the whole ``demo``, for a few dozen evaluations of a function that costs
microseconds. This module is the same classical method, written out.

The method is Brent's (1973), in the form R's ``uniroot`` uses (``zeroin``): keep a bracket
``[b, c]`` whose ends have function values of opposite sign, with ``b`` the better end;
step by inverse quadratic interpolation (or the secant, with two points) when that step
stays well inside the bracket and shrinks fast enough, and by bisection otherwise. It never
leaves the bracket and converges at least as fast as bisection.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_EPS = 2.220446049250313e-16
"""The spacing of doubles at 1 (``numpy.finfo(float).eps``)."""


def brent_root(
    f: Callable[[float], float],
    lo: float,
    hi: float,
    *,
    xtol: float = 1e-12,
    rtol: float = 4 * _EPS,
    maxiter: int = 500,
) -> float:
    """A zero of ``f`` between ``lo`` and ``hi``, where ``f(lo)`` and ``f(hi)`` differ in sign.

    The root is found to within ``xtol + rtol * |root|`` (as ``scipy.optimize.brentq``'s
    ``xtol`` and ``rtol``; R's ``uniroot(tol = xtol)``). NaN when the ends do not bracket
    a sign change, when ``f`` gives NaN, or when ``maxiter`` steps do not converge.

    Examples
    --------
    >>> round(brent_root(lambda x: x * x - 2.0, 0.0, 2.0), 12)
    1.414213562373

    The R equivalent: ``uniroot(function(x) x^2 - 2, c(0, 2), tol = 1e-12)$root``.
    """
    b, fb = float(hi), float(f(hi))
    a, fa = float(lo), float(f(lo))
    if math.isnan(fa) or math.isnan(fb) or fa * fb > 0:
        return math.nan
    if fa == 0:
        return a
    if fb == 0:
        return b
    # c: the other end of the bracket; a: the previous best point.
    c, fc = a, fa
    for _ in range(maxiter):
        previous_step = b - a
        if abs(fc) < abs(fb):
            # b is always the end nearer the root
            a, fa = b, fb
            b, fb = c, fc
            c, fc = a, fa
        tolerance = 2 * _EPS * abs(b) + 0.5 * (xtol + rtol * abs(b))
        step = 0.5 * (c - b)  # bisection
        if abs(step) <= tolerance or fb == 0:
            return b
        if abs(previous_step) >= tolerance and abs(fa) > abs(fb):
            # Interpolation: the secant through a and b, or, with three distinct points,
            # inverse quadratic interpolation through a, b and c; as the ratio p / q.
            to_c = c - b
            if a == c:
                s = fb / fa
                p, q = to_c * s, 1.0 - s
            else:
                qa, r, s = fa / fc, fb / fc, fb / fa
                p = s * (to_c * qa * (qa - r) - (b - a) * (r - 1.0))
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            # Accepted only well inside the bracket, and smaller than half the step
            # before last (so it cannot stall); otherwise bisect.
            if p < 0.75 * to_c * q - 0.5 * abs(tolerance * q) and p < abs(0.5 * previous_step * q):
                step = p / q
        if abs(step) < tolerance:
            step = math.copysign(tolerance, step)
        a, fa = b, fb
        b += step
        fb = float(f(b))
        if math.isnan(fb):
            return math.nan
        if (fb > 0) == (fc > 0) and fb != 0:
            # the sign change is now between a and b
            c, fc = a, fa
    return math.nan
