"""Paired statistics: vectorised ranking, the exact/normal switch, and undefined cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import rankdata

from stigma_outcomes.comparison.paired import (
    _ranks_within_cells,
    cell_reductions,
    finish_paired,
    signrank_exact_p,
)


def _one_cell(pre, post, sign=1):
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    red = cell_reductions(np.zeros(len(pre), dtype=np.int64), 1, pre, post, np.array([sign]))
    return finish_paired(red, 0, sign)


def test_ranks_within_cells_match_per_cell_ranking():
    rng = np.random.default_rng(3)
    cell = rng.integers(0, 5, 400)
    values = rng.integers(0, 12, 400).astype(float)
    ranks, ties = _ranks_within_cells(cell, values)
    for c in range(5):
        mask = cell == c
        assert np.array_equal(ranks[mask], rankdata(values[mask]))
        _, t = np.unique(values[mask], return_counts=True)
        assert ties[c] == float(np.sum(t.astype(float) ** 3 - t))


def test_differences_are_ranked_unrounded_like_r():
    # 0.3 - 0.1 and 0.2 differ in binary, so they are not a tie (exact test is used)
    pre = [0.1, 0.0, 0.5, 1.0, 2.0]
    post = [0.3, 0.2, 0.9, 1.7, 3.1]
    rec = _one_cell(pre, post)
    assert rec["wilcoxon_method"] == "exact"
    assert rec["wilcoxon_v"] == 15.0
    assert rec["p_wilcoxon"] == pytest.approx(0.0625)


def test_zeros_are_dropped_and_force_the_normal_approximation():
    rec = _one_cell([1, 2, 3, 4, 5, 6], [1, 4, 6, 3, 9, 10])
    assert rec["n_zero_differences"] == 1
    assert rec["wilcoxon_method"].startswith("normal")
    # ranks of |2, 3, -1, 4, 4| = 2, 3, 1, 4.5, 4.5 → V = 14; 5 non-zero: r = 2·14/15 − 1
    assert rec["wilcoxon_v"] == 14.0
    assert rec["rank_biserial"] == pytest.approx(2 * 14 / 15 - 1)


def test_exact_limit_is_fifty_nonzero_differences():
    rng = np.random.default_rng(5)
    pre = rng.normal(size=50)
    post = pre + rng.normal(0.3, 1, size=50)
    assert _one_cell(pre[:49], post[:49])["wilcoxon_method"] == "exact"
    assert _one_cell(pre, post)["wilcoxon_method"].startswith("normal")


def test_exact_distribution_is_symmetric_and_sums_to_one():
    n = 12
    top = n * (n + 1) // 2
    assert signrank_exact_p(top / 2, n) == 1.0
    assert signrank_exact_p(0, n) == pytest.approx(2 / 2**n)
    assert signrank_exact_p(5, n) == pytest.approx(signrank_exact_p(top - 5, n))


def test_improvement_respects_direction():
    worse_high = _one_cell([5, 6, 7, 8], [4, 6, 8, 5], sign=-1)
    assert (worse_high["n_improved"], worse_high["n_worsened"], worse_high["n_unchanged"]) == (
        2,
        1,
        1,
    )
    better_high = _one_cell([5, 6, 7, 8], [4, 6, 8, 5], sign=1)
    assert better_high["n_improved"] == 1 and better_high["improvement_sign"] == 1


def test_fewer_than_two_pairs_is_undefined_with_a_note():
    rec = _one_cell([3.0], [5.0])
    assert rec["n_pairs"] == 1 and rec["mean_change"] == 2.0
    for key in ("t", "p_t", "d_z", "d_z_ci_low", "mean_change_ci_low", "pre_sd", "g_av"):
        assert math.isnan(rec[key]), key
    assert "fewer than 2" in rec["note"]


def test_zero_variance_of_change_is_undefined_with_a_note():
    rec = _one_cell([1, 2, 3, 4], [3, 4, 5, 6])
    assert rec["mean_change"] == 2.0 and rec["sd_change"] == 0.0
    assert math.isnan(rec["t"]) and math.isnan(rec["p_t"]) and math.isnan(rec["d_z"])
    assert "essentially constant" in rec["note"]
    # the signed-rank test is still defined (all ranks tied → normal approximation)
    assert rec["wilcoxon_v"] == 10.0 and rec["p_wilcoxon"] > 0


def test_all_zero_differences():
    rec = _one_cell([1, 2, 3], [1, 2, 3])
    assert math.isnan(rec["wilcoxon_v"]) and math.isnan(rec["rank_biserial"])
    assert "every difference is zero" in rec["note"]
    assert rec["prop_improved"] == 0.0


def test_empty_cell():
    red = cell_reductions(np.zeros(0, dtype=np.int64), 1, np.zeros(0), np.zeros(0), np.ones(1))
    rec = finish_paired(red, 0, 1)
    assert rec["n_pairs"] == 0 and math.isnan(rec["pre_mean"]) and math.isnan(rec["prop_improved"])


def test_cells_do_not_leak_into_each_other():
    rng = np.random.default_rng(11)
    pre = rng.normal(10, 2, 300)
    post = pre + rng.normal(0.5, 1, 300)
    cell = np.repeat(np.arange(3), 100)
    red = cell_reductions(cell, 3, pre, post, np.ones(3))
    for c in range(3):
        alone = _one_cell(pre[cell == c], post[cell == c])
        together = finish_paired(red, c, 1)
        for key in ("mean_change", "t", "p_wilcoxon", "d_z_ci_high", "g_av", "wilcoxon_v"):
            assert together[key] == pytest.approx(alone[key], rel=1e-12), key
