"""Brent's method against scipy's ``brentq`` (the routine it replaces on the demo path)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from stigma_outcomes.comparison._common import ncp_t_interval
from stigma_outcomes.comparison._roots import brent_root
from stigma_outcomes.comparison.distributions import nct

FUNCTIONS = {
    "cubic": lambda x: x**3 - 2 * x - 5,
    "steep": lambda x: math.exp(20 * x) - 3,
    "flat near the root": lambda x: (x - 0.3) ** 5,
    "step-like": lambda x: math.atan(1e4 * (x - 0.123456)),
    "cosine": lambda x: math.cos(x) - x,
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_root_is_brentqs_within_the_tolerance(name: str) -> None:
    f = FUNCTIONS[name]
    ours = brent_root(f, -1.0, 3.0, xtol=1e-12, rtol=1e-13)
    theirs = brentq(f, -1.0, 3.0, xtol=1e-12, rtol=1e-13, maxiter=500)
    assert abs(ours - theirs) <= 2e-12 + 2e-13 * abs(theirs)


@settings(max_examples=200, deadline=None)
@given(
    root=st.floats(-50, 50),
    power=st.sampled_from([1, 3, 5]),
    scale=st.floats(1e-3, 1e3),
    left=st.floats(1e-3, 100),
    right=st.floats(1e-3, 100),
)
def test_random_brackets_converge_to_the_root(
    root: float, power: int, scale: float, left: float, right: float
) -> None:
    def f(x: float) -> float:
        return scale * (x - root) ** power

    found = brent_root(f, root - left, root + right, xtol=1e-12, rtol=1e-13)
    assert abs(found - root) <= 2e-12 + 2e-13 * abs(root)


def test_no_sign_change_or_nan_gives_nan() -> None:
    assert math.isnan(brent_root(lambda x: x * x + 1, -1.0, 1.0))
    assert math.isnan(brent_root(lambda x: math.nan, -1.0, 1.0))
    assert brent_root(lambda x: x, 0.0, 1.0) == 0.0


@pytest.mark.parametrize(("t", "df"), [(3.0, 9), (-1.2, 40), (0.0, 5), (8.5, 300), (2.2, 1.5)])
def test_ncp_limits_are_where_the_noncentral_t_cdf_reaches_its_targets(t: float, df: float) -> None:
    lo, hi = ncp_t_interval(t, df)
    assert float(nct.cdf(t, df, lo)) == pytest.approx(0.975, abs=1e-10)
    assert float(nct.cdf(t, df, hi)) == pytest.approx(0.025, abs=1e-10)
    for limit, target in ((lo, 0.975), (hi, 0.025)):
        theirs = brentq(
            lambda ncp, p=target: float(nct.cdf(t, df, ncp)) - p,
            limit - 1,
            limit + 1,
            xtol=1e-12,
            rtol=1e-13,
        )
        assert limit == pytest.approx(theirs, abs=1e-10)
    assert np.isfinite([lo, hi]).all()
