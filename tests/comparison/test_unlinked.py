"""Unlinked statistics: exact Mann–Whitney distribution, shares and undefined cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from stigma_outcomes.comparison.unlinked import (
    _wilcox_counts,
    mann_whitney,
    unlinked_fields,
    wilcox_exact_p,
)


@pytest.mark.parametrize(("m", "n"), [(1, 1), (3, 5), (7, 4), (12, 20)])
def test_exact_w_distribution_counts_every_arrangement(m, n):
    counts = _wilcox_counts(m, n)
    assert len(counts) == m * n + 1
    assert counts.sum() == pytest.approx(math.comb(m + n, m))
    assert np.allclose(counts, counts[::-1])


def test_exact_p_agrees_with_scipy_exact_for_untied_data():
    rng = np.random.default_rng(2)
    x, y = rng.normal(0.8, 1, 9), rng.normal(0, 1, 13)
    ours = mann_whitney(x, y)
    theirs = mannwhitneyu(x, y, method="exact")
    assert ours["method"] == "exact" and ours["w"] == theirs.statistic
    assert ours["p"] == pytest.approx(theirs.pvalue, rel=1e-10)
    assert wilcox_exact_p(0, 3, 3) == pytest.approx(2 / 20)


def test_threshold_share_with_an_empty_cell_uses_haldane_correction():
    before = np.array([1.0, 2, 3, 4])
    after = np.array([5.0, 6, 7, 8, 9])
    rec = unlinked_fields(before, after, sign=1, threshold=5)
    assert (rec["n_beyond_before"], rec["n_beyond_after"]) == (0, 5)
    assert rec["risk_difference"] == 1.0 and rec["risk_difference_ci_high"] == 1.0
    # cells 5, 0, 0, 4 → + 0.5 each
    assert rec["odds_ratio"] == pytest.approx(5.5 * 4.5 / (0.5 * 0.5))
    assert rec["threshold_rule"] == "score >= 5"
    worse = unlinked_fields(before, after, sign=-1, threshold=2)
    assert worse["threshold_rule"] == "score <= 2" and worse["n_beyond_before"] == 2


def test_without_threshold_the_shares_are_undefined_and_said_so():
    rec = unlinked_fields(np.array([1.0, 2, 3]), np.array([2.0, 3, 5]), sign=1)
    assert math.isnan(rec["risk_difference"]) and math.isnan(rec["odds_ratio"])
    assert "no threshold" in rec["note"]


def test_too_few_respondents():
    rec = unlinked_fields(np.array([1.0]), np.array([2.0, 3.0]), sign=1, threshold=2)
    assert math.isnan(rec["t"]) and math.isnan(rec["hedges_g"])
    assert "fewer than 2 respondents" in rec["note"]
    empty = unlinked_fields(np.array([]), np.array([2.0, 3.0]), sign=1)
    assert math.isnan(empty["mann_whitney_w"]) and empty["n_before"] == 0


def test_constant_scores_have_undefined_t_and_g():
    rec = unlinked_fields(np.array([2.0, 2, 2]), np.array([2.0, 2, 2]), sign=1)
    assert math.isnan(rec["t"]) and math.isnan(rec["hedges_g"])
    assert "essentially constant" in rec["note"]


def test_ncp_limits_for_large_samples_match_r():
    # scipy's noncentral t cdf is NaN far in the tails when df is large; the limits must
    # still come out, as R's uniroot on pt() gives them (tests/golden/unlinked/ncp_large.R)
    import json
    from pathlib import Path

    from stigma_outcomes.comparison._common import ncp_t_interval

    golden = Path(__file__).parents[1] / "golden" / "unlinked" / "ncp_large.json"
    for rec in json.loads(golden.read_text())["records"]:
        low, high = ncp_t_interval(rec["t"], rec["df"])
        assert low == pytest.approx(rec["low"], rel=1e-6)
        assert high == pytest.approx(rec["high"], rel=1e-6)


def test_large_anonymous_samples_with_a_big_difference_get_an_interval():
    rng = np.random.default_rng(8)
    before, after = rng.normal(10, 2, 90_000), rng.normal(10.9, 2, 80_000)
    rec = unlinked_fields(before, after, 1)
    assert rec["t"] > 60
    assert rec["hedges_g_ci_low"] < rec["hedges_g"] < rec["hedges_g_ci_high"]
