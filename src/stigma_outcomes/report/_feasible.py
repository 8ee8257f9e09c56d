"""Which whole values the suppressed counts of one component can take (for :mod:`.disclosure`).

A component's constraints arrive as whole-number rows ``lo <= sum(coef * x) <= hi``
(:data:`Row`): a relation is an equality, a printed percentage two inequalities. Bounds are
first tightened through them (:func:`narrow`, sound: no whole-number solution is lost).
When every count is then bounded, an exact depth-first search over whole numbers answers
each question (:class:`Search`, no solver needed): it reports a value unattainable only
after bound propagation has ruled out every branch that could hold it. Anything else (an
unbounded count, or a search that outgrows :data:`SEARCH_NODES`) is solved with scipy's
``milp``: an integer min and max per count, then one feasibility problem per value not yet
seen (:func:`milp_values`). Both give the same answer; they differ only in cost. Split from
:mod:`.disclosure`, whose :class:`~.disclosure.Audit` calls these.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ._cells import CellRange

if TYPE_CHECKING:
    from .disclosure import Audit

Row = tuple[tuple[int, ...], tuple[int, ...], int | None, int | None]
"""One constraint ``lo <= sum(coef * x[idx]) <= hi`` in whole numbers (``None``: no bound)."""

SEARCH_NODES = 20_000
"""Nodes one component's search may visit before the component is handed to ``milp``."""

_PASSES = 64
"""Sweeps of :func:`narrow` at most (stopping early only leaves bounds looser, never wrong)."""


def narrow(lo: list, hi: list, rows: list[Row]) -> bool:
    """Tighten ``lo``/``hi`` in place through the rows; ``False`` when no point is left.

    ``lo`` holds whole numbers, ``hi`` whole numbers or ``math.inf``. Sound: a value is
    removed only when no whole-number point of the box with that value meets every row.

    Examples
    --------
    >>> lo, hi = [1, 5, 0], [4, math.inf, math.inf]
    >>> narrow(lo, hi, [((0, 1, 2), (1, 1, -1), 0, 0), ((2,), (1,), 8, 8)])  # a + b = c = 8
    True
    >>> lo, hi
    ([1, 5, 8], [3, 7, 8])
    """
    for _ in range(_PASSES):
        changed = False
        for idx, coef, r_lo, r_hi in rows:
            # The row's least and greatest sum over the box; an unbounded term is counted
            # apart, since a bound on x_j can only be read when every other term is finite.
            s_min = s_max = 0
            inf_min = inf_max = 0
            for j, c in zip(idx, coef, strict=True):
                if c > 0:
                    s_min += c * lo[j]
                    if hi[j] == math.inf:
                        inf_max += 1
                    else:
                        s_max += c * hi[j]
                else:
                    s_max += c * lo[j]
                    if hi[j] == math.inf:
                        inf_min += 1
                    else:
                        s_min += c * hi[j]
            if (r_hi is not None and not inf_min and s_min > r_hi) or (
                r_lo is not None and not inf_max and s_max < r_lo
            ):
                return False
            for j, c in zip(idx, coef, strict=True):
                unbounded = hi[j] == math.inf
                if c > 0:
                    own_min, own_max = c * lo[j], (0 if unbounded else c * hi[j])
                    own_inf_min, own_inf_max = 0, int(unbounded)
                else:
                    own_min, own_max = (0 if unbounded else c * hi[j]), c * lo[j]
                    own_inf_min, own_inf_max = int(unbounded), 0
                if r_hi is not None and inf_min == own_inf_min:
                    top = r_hi - (s_min - own_min)  # c * x_j <= top
                    if c > 0:
                        new = top // c
                        if new < hi[j]:
                            hi[j], changed = new, True
                    else:
                        new = -(-top // c)
                        if new > lo[j]:
                            lo[j], changed = new, True
                if r_lo is not None and inf_max == own_inf_max:
                    bottom = r_lo - (s_max - own_max)  # c * x_j >= bottom
                    if c > 0:
                        new = -(-bottom // c)
                        if new > lo[j]:
                            lo[j], changed = new, True
                    else:
                        new = bottom // c
                        if new < hi[j]:
                            hi[j], changed = new, True
                if lo[j] > hi[j]:
                    return False
                # Bounds just tightened make this row's sums stale, which is still sound;
                # the next sweep reads them afresh.
        if not changed:
            break
    return True


def _holds(x: list[int], rows: list[Row]) -> bool:
    for idx, coef, r_lo, r_hi in rows:
        total = sum(c * x[j] for j, c in zip(idx, coef, strict=True))
        if (r_lo is not None and total < r_lo) or (r_hi is not None and total > r_hi):
            return False
    return True


class OutOfBudget(Exception):
    """The search visited :data:`SEARCH_NODES` nodes without settling a question."""


class Search:
    """Whole-number points of one component's finite box, found by depth-first search.

    ``seen[i]`` holds every value count ``i`` takes in a point found so far (the true
    counts are the first point), so a question already answered costs nothing.
    """

    def __init__(
        self, rows: list[Row], low: list[int], high: list[int], truth: list[int], threshold: int
    ) -> None:
        self.rows = rows
        self.low, self.high = low, high
        self.truth = truth
        self.t = threshold
        self.nodes = 0
        self.questions = 0
        self.seen: list[set[int]] = [{v} for v in truth]
        self.wanted: set[int] = set()

    def point(self, i: int, value: int) -> bool:
        """Whether some whole-number point of the box has count ``i`` equal to ``value``."""
        if value in self.seen[i]:
            return True
        if not self.low[i] <= value <= self.high[i]:
            return False
        self.questions += 1
        lo, hi = list(self.low), list(self.high)
        lo[i] = hi[i] = value
        found = self._dfs(lo, hi)
        if found is None:
            return False
        for j, v in enumerate(found):
            self.seen[j].add(v)
        return True

    def first(self, i: int, values: range) -> float:
        """The first of ``values`` that count ``i`` can take (``nan`` if none can)."""
        for v in values:
            if self.point(i, v):
                return float(v)
        return math.nan

    def _dfs(self, lo: list[int], hi: list[int]) -> list[int] | None:
        self.nodes += 1
        if self.nodes > SEARCH_NODES:
            raise OutOfBudget
        if not narrow(lo, hi, self.rows):
            return None
        branch, width = -1, 0
        for j in range(len(lo)):
            w = hi[j] - lo[j]
            if w and (branch < 0 or w < width):
                branch, width = j, w
        if branch < 0:
            return lo if _holds(lo, self.rows) else None
        a, b = lo[branch], hi[branch]
        # First a value of 1..t-1 this count has not shown yet, if it is a count the
        # questions are about (so one point answers more of them), else its true value;
        # then the rest of its range on either side.
        prefer = min(max(self.truth[branch], a), b)
        if branch in self.wanted:
            seen = self.seen[branch]
            prefer = next(
                (v for v in range(max(a, 1), min(b, self.t - 1) + 1) if v not in seen), prefer
            )
        for part_lo, part_hi in ((prefer, prefer), (a, prefer - 1), (prefer + 1, b)):
            if part_lo > part_hi:
                continue
            sub_lo, sub_hi = list(lo), list(hi)
            sub_lo[branch], sub_hi[branch] = part_lo, part_hi
            found = self._dfs(sub_lo, sub_hi)
            if found is not None:
                return found
        return None

    def cell(self, key: str, i: int) -> CellRange:
        """What a reader can believe about count ``i`` (a suppressed count of 1..t-1)."""
        t = self.t
        attainable = frozenset(v for v in range(1, t) if self.point(i, v))
        # The true value is in 1..t-1, so ``attainable`` is not empty; every value of
        # 1..t-1 has been asked, so the ends lie beyond it or are its least and greatest.
        low = self.first(i, range(self.low[i], 1))
        high = self.first(i, range(self.high[i], t - 1, -1))
        return CellRange(
            key,
            float(min(attainable)) if math.isnan(low) else low,
            float(max(attainable)) if math.isnan(high) else high,
            attainable,
            t,
        )


def milp_values(audit: Audit, comp, targets, rows: list[Row]) -> dict[str, CellRange]:
    """The same answer as :class:`Search`, from scipy's ``milp`` (for unbounded boxes)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(comp)
    base_lo = np.array([audit.bounds(k)[0] for k in comp])
    base_hi = np.array([audit.bounds(k)[1] for k in comp])
    matrix = np.zeros((len(rows), n))
    row_lo, row_hi = np.full(len(rows), -np.inf), np.full(len(rows), np.inf)
    for r, (idx, coef, r_lo, r_hi) in enumerate(rows):
        matrix[r, list(idx)] = coef
        if r_lo is not None:
            row_lo[r] = r_lo
        if r_hi is not None:
            row_hi[r] = r_hi
    cons = [LinearConstraint(matrix, row_lo, row_hi)] if rows else []

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
