"""Holm and Benjamini–Hochberg adjustment (R values are in the paired golden)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stigma_outcomes.comparison.multiplicity import p_adjust


def test_known_values_and_missing_entries():
    # R: p.adjust(c(0.01, 0.04, 0.03, NA), "holm") → 0.03 0.06 0.06 NA
    holm = p_adjust([0.01, 0.04, 0.03, math.nan], "holm")
    assert holm[:3] == pytest.approx([0.03, 0.06, 0.06]) and math.isnan(holm[3])
    # R: p.adjust(c(0.01, 0.04, 0.03), "BH") → 0.03 0.04 0.04
    assert p_adjust([0.01, 0.04, 0.03], "BH") == pytest.approx([0.03, 0.04, 0.04])


def test_adjusted_values_are_bounded_and_ordered():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.2, 40)
    for method in ("holm", "BH"):
        adj = p_adjust(p, method)
        assert np.all(adj >= p) and np.all(adj <= 1)
        order = np.argsort(p)
        assert np.all(np.diff(adj[order]) >= 0)
    assert np.all(p_adjust(p, "holm") >= p_adjust(p, "BH"))


def test_all_missing_and_unknown_method():
    assert np.isnan(p_adjust([math.nan, math.nan], "BH")).all()
    with pytest.raises(ValueError, match="unknown"):
        p_adjust([0.1], "bonferroni")
