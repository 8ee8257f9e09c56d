"""The REML engine of the mixed models: one variance ratio, profiled, per-participant sums.

See :mod:`.mixed` for the model and what it reports. The random-intercept covariance
``sigma2 * (I + theta2 * J)`` within a participant gives the inverse and determinant in closed
form cluster by cluster, so the profiled REML criterion is a function of ``theta2`` alone and
each evaluation costs a few ``p x p`` products per distinct cluster size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# a residual variance below this times the mean squared score is rounding noise
_RESIDUAL_FLOOR = 1000 * float(np.finfo(float).eps)


# _optimise_theta searches log10(theta2) up to 10; an optimum there has no residual variance
_THETA2_EDGE = 10.0 ** (10.0 - 0.01)


class _ClusterSums:
    """Per-participant sums that the profiled REML criterion needs, computed once.

    The weight a participant gets for a variance ratio depends only on how many scores
    they have, so the per-participant sums are pooled by cluster size up front; each
    evaluation of the criterion then costs a few ``p x p`` products per distinct size,
    however many participants there are.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        cluster: np.ndarray,
        cells: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        n_clusters = int(cluster.max()) + 1
        self.N, self.p = X.shape
        self.Xty = X.T @ y
        self.yty = float(y @ y)
        # column sums of X and sum of y within each participant
        if cells is None:
            self.XtX = X.T @ X
            S = np.column_stack(
                [np.bincount(cluster, weights=X[:, j], minlength=n_clusters) for j in range(self.p)]
            )
        else:
            # X's rows are its cells' rows (``cells``: each row's cell, each cell's row) of
            # 0s and 1s: X'X and a participant's column sums are whole numbers, counted per
            # cell (exact in any order, so the same bits as the sums over the rows)
            code, rows = cells
            if not np.isin(rows, (0.0, 1.0)).all():
                raise ValueError("cell rows must hold 0s and 1s")
            n_cells = len(rows)
            per_cell = np.bincount(code * n_clusters + cluster, minlength=n_cells * n_clusters)
            per_cell = per_cell.reshape(n_cells, n_clusters).astype(float)
            self.XtX = rows.T @ (rows * per_cell.sum(axis=1)[:, None])
            # each column: the sum of its cells' counts (one product of whole numbers),
            # laid out participant by participant as the row sums were
            S = np.ascontiguousarray((rows.T @ per_cell).T)
            del per_cell
        t = np.bincount(cluster, weights=y, minlength=n_clusters)
        n_i = np.bincount(cluster, minlength=n_clusters)
        # np.unique(n_i, return_inverse=True), counted (sizes are small whole numbers)
        has_size = np.bincount(n_i) > 0
        sizes, size_of = np.flatnonzero(has_size), (np.cumsum(has_size) - 1)[n_i]
        self.sizes = sizes.astype(float)
        size_count = np.bincount(size_of, minlength=len(sizes))
        self.count = size_count.astype(float)
        # per size m: sum of S_i S_i', S_i t_i and t_i^2 over participants with m scores;
        # the participants of each size together (a stable sort: each size's participants in
        # their order, the rows a mask would select), so each part is a slice
        order = np.argsort(size_of.astype(np.int8 if len(sizes) < 128 else np.int64), kind="stable")
        S, t_sorted = S[order], t[order]
        ends = np.cumsum(size_count)
        parts = [(S[e - c : e], t_sorted[e - c : e]) for c, e in zip(size_count, ends, strict=True)]
        self.SS = np.stack([part.T @ part for part, _ in parts])
        self.St = np.stack([part.T @ part_t for part, part_t in parts])
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
    # Where a variance ratio is not feasible the criterion is infinite; Brent's parabolic
    # steps then meet inf - inf and fall back to golden sections (numpy would warn).
    with np.errstate(invalid="ignore", over="ignore"):
        res = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    log_theta2, fun = float(res.x), float(res.fun)
    settled = bool(res.success)
    if not math.isfinite(fun):
        # Brent ended where the criterion is not finite (a degenerate design, where it is
        # finite at scattered points only): the grid's best point is the estimate, unrefined.
        log_theta2, fun, settled = float(grid[best]), float(finite[best]), False
        how += "; Brent's method found no finite criterion near the grid's best point"
    if at_zero <= fun:
        return 0.0, True, how
    converged = settled and bool(log_theta2 < grid[-1] - 0.01)
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
    n_group_cols = n_groups - 1 if group_idx is not None else 0
    p = n_waves + n_group_cols * n_waves
    X = np.zeros((n, p))  # filled in place: one matrix, no stacked copies
    X[:, 0] = 1.0
    wave_d = X[:, 1:n_waves]
    for j in range(1, n_waves):
        wave_d[:, j - 1] = wave_idx == j
    if group_idx is not None:
        for g in range(1, n_groups):
            in_group = group_idx == g
            X[:, n_waves + g - 1] = in_group
            start = n_waves + n_group_cols + (g - 1) * (n_waves - 1)
            # R's interaction columns: the first factor (wave) varies fastest
            X[:, start : start + n_waves - 1] = wave_d * in_group[:, None]
    return X
