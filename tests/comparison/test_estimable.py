"""Aliased columns of a design (comparison/estimable.py), as R's lm finds them."""

from __future__ import annotations

import numpy as np

from stigma_outcomes.comparison._mixed_fit import _Cells
from stigma_outcomes.comparison._reml import _ClusterSums, _design
from stigma_outcomes.comparison.estimable import column_search, estimable_columns


def test_same_columns_as_the_search_on_the_whole_design_on_random_designs():
    rng = np.random.default_rng(20261206)
    kept_some, dropped_some = 0, 0
    for _ in range(400):
        n, p = int(rng.integers(1, 60)), int(rng.integers(1, 9))
        X = rng.integers(-2, 3, (n, p)).astype(float)
        if rng.random() < 0.6:  # a column that repeats a combination of the others
            X[:, int(rng.integers(0, p))] = X @ rng.integers(-1, 2, p) * rng.choice([0.0, 1.0, 2.5])
        if rng.random() < 0.3:
            X *= rng.choice([1e-4, 1e6])
        expected = column_search(X)
        assert estimable_columns(X).tolist() == expected.tolist()
        kept_some += int(expected.any())
        dropped_some += int(not expected.all())
    assert kept_some > 300 and dropped_some > 100  # both outcomes were exercised


def test_empty_design_keeps_nothing():
    assert estimable_columns(np.empty((0, 3))).tolist() == [False, False, False]
    assert estimable_columns(np.zeros((5, 2))).tolist() == [False, False]


def test_observed_cells_find_the_aliased_columns_of_the_full_mixed_design():
    rng = np.random.default_rng(7)
    for trial in range(60):
        n_waves, n_groups = int(rng.integers(2, 5)), int(rng.integers(1, 4))
        n = int(rng.integers(5, 400))
        wave = rng.integers(0, n_waves, n)
        group = rng.integers(0, n_groups, n) if n_groups > 1 else None
        if group is not None and trial % 2:  # an empty wave x group cell
            gone = (wave == n_waves - 1) & (group == n_groups - 1)
            wave, group = wave[~gone], group[~gone]
        full = _design(wave, group, n_waves, n_groups)
        cells = _Cells(wave, group, n_waves, n_groups).weighted()
        assert len(cells) <= n_waves * n_groups
        assert np.allclose(cells.T @ cells, full.T @ full)
        assert estimable_columns(cells).tolist() == column_search(full).tolist()


def test_cell_rows_give_the_design_and_its_sums_exactly():
    """The design taken from its cells' rows, X'X counted per cell and the per-participant
    sums counted per cell are bit for bit the row-by-row ones."""
    rng = np.random.default_rng(11)
    for trial in range(80):
        n_waves, n_groups = int(rng.integers(2, 5)), int(rng.integers(1, 4))
        n = int(rng.integers(5, 600))
        wave = rng.integers(0, n_waves, n)
        group = rng.integers(0, n_groups, n) if n_groups > 1 else None
        if group is not None and trial % 3 == 0:
            gone = (wave == 0) & (group == n_groups - 1)
            wave, group = wave[~gone], group[~gone]
        full = _design(wave, group, n_waves, n_groups)
        cells = _Cells(wave, group, n_waves, n_groups)
        X = cells.rows[cells.code]
        assert X.tobytes() == full.tobytes() and X.flags.c_contiguous
        assert cells.cross_products().tobytes() == (full.T @ full).tobytes()
        cluster = rng.integers(0, max(len(wave) // 2, 1), len(wave))
        cluster = np.unique(cluster, return_inverse=True)[1]
        y = rng.normal(size=len(wave)).round(int(rng.integers(0, 3)))
        keep = column_search(full)
        plain_x = full[:, keep]
        x = np.take(cells.rows[:, keep].T, cells.code, axis=1).T  # as _fit_one lays it out
        assert x.tobytes(order="A") == plain_x.tobytes(order="A") and x.strides == plain_x.strides
        plain = _ClusterSums(plain_x, y, cluster)
        counted = _ClusterSums(x, y, cluster, (cells.code, cells.rows[:, keep]))
        for name in ("XtX", "Xty", "yty", "sizes", "count", "SS", "St", "tt"):
            assert (
                np.asarray(getattr(counted, name)).tobytes()
                == np.asarray(getattr(plain, name)).tobytes()
            ), name
