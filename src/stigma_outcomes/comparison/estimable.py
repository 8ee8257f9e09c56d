"""Aliased columns and estimable combinations of a rank-deficient linear model, as R does.

R's ``lm`` and ``lme4::lmer`` meet a design whose columns are linearly dependent (a covariate
that is constant among the complete cases; a wave x group cell without data) by dropping the
aliased columns (coefficient ``NA`` in ``lm``; "dropping 1 column" in lme4) and fitting the
rest. :func:`estimable_columns` picks the same columns; :class:`Estimable` says which
combinations of the full coefficients (cell means, contrasts) the reduced fit still
determines.
"""

from __future__ import annotations

import numpy as np

ALIAS_TOL = 1e-7
"""R ``lm``'s tolerance (``qr(tol = 1e-07)``): a column whose part not explained by the
columns before it is below this fraction of its length is aliased and dropped."""


def estimable_columns(X: np.ndarray, tol: float = ALIAS_TOL) -> np.ndarray:
    """Mask of the columns R's ``lm`` keeps: each one not a combination of those before it.

    Columns are taken in order, as R's pivoting QR does; a column is aliased (coefficient
    ``NA`` in R) when its residual after projecting on the kept columns is shorter than
    ``tol`` times its own length. The search runs on the ``p x p`` triangular factor of one
    QR decomposition of ``X``, which has the same lengths and angles between columns.

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), [1.0, 2, 3, 5], np.full(4, 3.0)])
    >>> estimable_columns(X).tolist()
    [True, True, False]
    """
    if not X.shape[0] or not X.shape[1]:
        return np.zeros(X.shape[1], dtype=bool)
    # The triangular factor of a QR decomposition has the same column inner products as X
    # (R'R = X'X), hence the same projections and residual lengths: the column-by-column
    # search runs on its few rows instead of X's many.
    return column_search(np.linalg.qr(X, mode="r") if X.shape[0] > X.shape[1] else X, tol)


def column_search(X: np.ndarray, tol: float = ALIAS_TOL) -> np.ndarray:
    """Each column of ``X`` against the kept ones before it (Gram–Schmidt): kept when its
    residual is longer than ``tol`` times its own length, as R's ``lm`` pivots."""
    keep = np.zeros(X.shape[1], dtype=bool)
    basis = np.empty((X.shape[0], 0))
    for j in range(X.shape[1]):
        col = X[:, j]
        norm = float(np.linalg.norm(col))
        resid = col - basis @ (basis.T @ col) if basis.shape[1] else col
        r = float(np.linalg.norm(resid))
        if norm > 0 and r > tol * norm:
            keep[j] = True
            basis = np.column_stack([basis, resid / r])
    return keep


class Estimable:
    """Which linear combinations of the full treatment-coded coefficients are estimable.

    With every cell observed all are, and nothing changes. With an empty wave x group cell
    the aliased columns are dropped (as lme4 drops them, keeping the first columns of R's
    order); a combination ``L`` of the full coefficients is estimable when it lies in the row
    space of the full design, and then ``L beta`` equals ``L[keep] beta_kept`` (the dropped
    coefficients set to zero is one solution of the normal equations).
    """

    def __init__(self, X_full: np.ndarray, keep: np.ndarray) -> None:
        self.keep = keep
        if keep.all():
            self.null = np.zeros((X_full.shape[1], 0))
        else:
            _, sv, vt = np.linalg.svd(X_full, full_matrices=True)
            rank = int(np.sum(sv > sv[0] * 1e-10))
            self.null = vt[rank:].T  # directions the data say nothing about

    def estimable(self, L: np.ndarray) -> np.ndarray:
        """One flag per row of ``L`` (full coefficients)."""
        if not self.null.shape[1]:
            return np.ones(len(L), dtype=bool)
        size = np.maximum(np.abs(L).sum(axis=1), 1.0)
        return np.abs(L @ self.null).max(axis=1) < 1e-8 * size

    def reduce(self, L: np.ndarray) -> np.ndarray:
        """``L`` in the kept coefficients (valid for its estimable rows)."""
        return L[:, self.keep]

    def project(self, L: np.ndarray) -> np.ndarray:
        """The estimable part of a hypothesis, in the kept coefficients.

        Each row is projected onto the row space of the design (its component along the
        unidentified directions removed) before the aliased columns are dropped, so a joint
        test of a term asks only what the observed cells can answer.
        """
        if self.null.shape[1]:
            L = L - (L @ self.null) @ self.null.T
        return self.reduce(L)
