"""Aliased columns of a design (comparison/estimable.py), as R's lm finds them."""

from __future__ import annotations

import numpy as np

from stigma_outcomes.comparison._mixed_fit import _cell_design
from stigma_outcomes.comparison._reml import _design
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
        cells = _cell_design(wave, group, n_waves, n_groups if group is not None else 0)
        assert len(cells) <= n_waves * n_groups
        assert np.allclose(cells.T @ cells, full.T @ full)
        assert estimable_columns(cells).tolist() == column_search(full).tolist()
