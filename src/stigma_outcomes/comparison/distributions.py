"""The distribution functions the statistics need, taken from ``scipy.special``.

``scipy.stats`` takes most of a second to import, which is most of what a small analysis
costs; the cumulative distribution functions and their inverses that the t, F, normal and
noncentral-t tests use live in ``scipy.special`` (the same routines ``scipy.stats`` calls),
which loads in a fraction of that time. Each object here mirrors the few ``scipy.stats``
methods the package uses, with the same argument order.

Examples
--------
>>> round(float(t.ppf(0.975, 10)), 6), round(float(2 * t.sf(2.228139, 10)), 4)
(2.228139, 0.05)
"""

from __future__ import annotations

from typing import Any

import numpy as np


class _StudentT:
    def ppf(self, q: Any, df: Any) -> Any:
        from scipy import special

        return special.stdtrit(df, q)

    def cdf(self, x: Any, df: Any) -> Any:
        from scipy import special

        return special.stdtr(df, x)

    def sf(self, x: Any, df: Any) -> Any:
        from scipy import special

        # The t distribution is symmetric: P(T > x) = P(T < -x).
        return special.stdtr(df, -np.asarray(x))


class _FisherF:
    def ppf(self, q: Any, dfn: Any, dfd: Any) -> Any:
        from scipy import special

        return special.fdtri(dfn, dfd, q)

    def sf(self, x: Any, dfn: Any, dfd: Any) -> Any:
        from scipy import special

        return special.fdtrc(dfn, dfd, x)


class _NoncentralT:
    def cdf(self, x: Any, df: Any, nc: Any) -> Any:
        from scipy import special

        return special.nctdtr(df, nc, x)


class _Normal:
    def cdf(self, x: Any) -> Any:
        from scipy import special

        return special.ndtr(x)

    def sf(self, x: Any) -> Any:
        from scipy import special

        return special.ndtr(-np.asarray(x))


t = _StudentT()
f = _FisherF()
nct = _NoncentralT()
norm = _Normal()
