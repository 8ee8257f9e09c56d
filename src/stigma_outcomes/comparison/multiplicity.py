"""Adjusting p values for multiple tests (Holm and Benjamini–Hochberg), as R ``p.adjust``.

The *family* is decided by the caller; :func:`stigma_outcomes.comparison.compare` uses
every t test of one analysis's design (the paired t tests of a linked analysis, the Welch
t tests of an unlinked one: all instruments, scales, contrasts and groups, whole sample
included) that has a defined p value, and states so in the results' meta.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FAMILY_DESCRIPTION = (
    "all paired t tests of this analysis with a defined p value: every instrument × scale × "
    "contrast × group record, the whole sample included"
)

UNLINKED_FAMILY_DESCRIPTION = (
    "all Welch t tests of this unlinked analysis with a defined p value: every instrument × "
    "scale × contrast × group record, the whole sample included"
)


def p_adjust(p: Sequence[float] | np.ndarray, method: str) -> np.ndarray:
    """Adjust p values for multiplicity, leaving missing values missing.

    Matches R ``p.adjust(p, method)`` with its default ``n = sum(!is.na(p))``.

    Parameters
    ----------
    p : array-like of float
        Unadjusted p values; NaN entries are ignored and stay NaN.
    method : {"holm", "BH"}
        Holm's step-down (family-wise error) or Benjamini–Hochberg step-up (false
        discovery rate).

    Examples
    --------
    >>> p_adjust([0.01, 0.04, 0.03, float("nan")], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    >>> p_adjust([0.01, 0.04, 0.03], "BH").round(4).tolist()
    [0.03, 0.04, 0.04]
    """
    values = np.asarray(p, dtype=float)
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values)
    m = int(ok.sum())
    if m == 0:
        return out
    pv = values[ok]
    if method == "holm":
        order = np.argsort(pv, kind="stable")
        ranked = (m - np.arange(m)) * pv[order]
        adjusted = np.minimum(1.0, np.maximum.accumulate(ranked))
    elif method in ("BH", "fdr"):
        order = np.argsort(pv, kind="stable")[::-1]
        ranked = m / np.arange(m, 0, -1) * pv[order]
        adjusted = np.minimum(1.0, np.minimum.accumulate(ranked))
    else:
        raise ValueError(f"unknown p-value adjustment '{method}' (use 'holm' or 'BH')")
    result = np.empty(m)
    result[order] = adjusted
    out[ok] = result
    return out
