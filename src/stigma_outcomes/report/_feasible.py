"""Which whole values the suppressed counts of one component can take (for :mod:`.disclosure`).

Bounds are first tightened through the component's equalities (:func:`propagate`); a small,
bounded component is then enumerated exactly (:func:`enumerate_values`), and any other is
solved with scipy's ``milp``: an integer min and max per count, then one feasibility problem
per value not yet seen (:func:`milp_values`). Split from :mod:`.disclosure`, whose
:class:`~.disclosure.Audit` calls these.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .disclosure import CellRange

if TYPE_CHECKING:
    from .disclosure import Audit


def propagate(audit: Audit, comp: list[str], a: np.ndarray, b: np.ndarray) -> tuple[list, list]:
    """Bounds tightened through the equalities (sound, so enumeration may rely on them)."""
    low = [audit.bounds(k)[0] for k in comp]
    high = [audit.bounds(k)[1] for k in comp]
    for _ in range(4 * len(comp) + 4):
        changed = False
        for row, rhs in zip(a, b, strict=True):
            for i in np.flatnonzero(row):
                rest_lo = rest_hi = 0.0
                for j in np.flatnonzero(row):
                    if j == i:
                        continue
                    c = row[j]
                    rest_lo += c * (low[j] if c > 0 else high[j])
                    rest_hi += c * (high[j] if c > 0 else low[j])
                # row[i] * x_i = rhs - rest, and row[i] is +1 or -1 here.
                lo_i, hi_i = sorted(((rhs - rest_hi) / row[i], (rhs - rest_lo) / row[i]))
                if lo_i > low[i] + 1e-9 and math.isfinite(lo_i):
                    low[i], changed = math.ceil(lo_i - 1e-9), True
                if hi_i < high[i] - 1e-9 and math.isfinite(hi_i):
                    high[i], changed = math.floor(hi_i + 1e-9), True
        if not changed:
            break
    return low, high


def enumerate_values(audit: Audit, comp, targets, low, high, a, b, g, h) -> dict[str, CellRange]:
    axes = [np.arange(int(lo), int(hi) + 1) for lo, hi in zip(low, high, strict=True)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(comp))
    ok = np.ones(len(grid), dtype=bool)
    if len(a):
        ok &= np.all(np.abs(grid @ a.T - b) < 1e-9, axis=1)
    if len(g):
        ok &= np.all(grid @ g.T <= h + 1e-9, axis=1)
    feasible = grid[ok]
    out = {}
    for k in targets:
        col = feasible[:, comp.index(k)]
        out[k] = CellRange(
            k,
            float(col.min()) if len(col) else math.nan,
            float(col.max()) if len(col) else math.nan,
            frozenset(int(v) for v in np.unique(col) if 0 < v < audit.threshold),
            int(audit.threshold),
        )
    return out


def milp_values(audit: Audit, comp, targets, a, b, g, h) -> dict[str, CellRange]:
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(comp)
    base_lo = np.array([audit.bounds(k)[0] for k in comp])
    base_hi = np.array([audit.bounds(k)[1] for k in comp])
    cons = []
    if len(a):
        cons.append(LinearConstraint(a, b, b))
    if len(g):
        cons.append(LinearConstraint(g, -np.inf, h))

    def solve(c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> object:
        audit.solver_calls += 1
        return milp(c, integrality=np.ones(n), bounds=Bounds(lo, hi), constraints=cons)

    seen: dict[str, set[int]] = {k: set() for k in targets}

    def record(res: object) -> None:
        # Every whole-number solution shows one attainable value for each target.
        for k in targets:
            v = round(res.x[comp.index(k)])  # type: ignore[attr-defined]
            if 0 < v < audit.threshold:
                seen[k].add(v)

    out = {}
    for k in targets:
        i = comp.index(k)
        e = np.zeros(n)
        e[i] = 1.0
        res_lo = solve(e, base_lo, base_hi)
        res_hi = solve(-e, base_lo, base_hi)
        lo_v = float(round(res_lo.fun)) if res_lo.status == 0 else math.nan
        hi_v = -float(round(res_hi.fun)) if res_hi.status == 0 else math.inf
        for res in (res_lo, res_hi):
            if res.status == 0:
                record(res)
        for v in range(1, int(audit.threshold)):
            if v in seen[k] or not (lo_v <= v <= hi_v):
                continue
            lo, hi = base_lo.copy(), base_hi.copy()
            lo[i] = hi[i] = v
            # Status 0 is a whole-number point with this value; anything else (infeasible,
            # or a solver limit) counts as not attainable, the cautious reading.
            res = solve(np.zeros(n), lo, hi)
            if res.status == 0:
                record(res)
        attainable = frozenset(v for v in seen[k] if lo_v <= v <= hi_v)
        out[k] = CellRange(k, lo_v, hi_v, attainable, int(audit.threshold))
    return out
