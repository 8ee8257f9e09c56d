"""The ANCOVA's normal-equations path (comparison/_ancova_fit.py) against its QR path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.comparison import _ancova_fit
from stigma_outcomes.comparison._ancova_fit import _normal_fit, fit_scale

BASE = {"instrument": "x", "scale": "total", "group_column": "arm"}
NUMBERS = (
    "adjusted_difference",
    "adjusted_difference_se",
    "adjusted_difference_ci_low",
    "adjusted_difference_ci_high",
    "t",
    "p",
    "partial_eta_squared",
    "F",
)


def _wide(seed: int, n: int, n_levels: int, lone: bool, covariate: str | None) -> pd.DataFrame:
    """Pairs with unbalanced groups (one level may hold a single person) and a covariate."""
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(n_levels))
    group = rng.choice(n_levels, n, p=weights)
    group[:n_levels] = np.arange(n_levels)  # every level present
    if lone:  # the last level: one person only
        group[n_levels:][group[n_levels:] == n_levels - 1] = 0
    pre = rng.integers(0, 31, n).astype(float) / rng.choice([1.0, 3.0, 7.0])
    post = 0.6 * pre + 0.5 * group + rng.normal(0, 2, n)
    wide = pd.DataFrame(
        {
            "pre": pre,
            "post": post.round(int(rng.integers(0, 4))),
            "group": pd.Categorical.from_codes(group, [f"g{i}" for i in range(n_levels)]),
        }
    )
    if covariate == "numeric":
        wide["age"] = rng.normal(40, 12, n).round(1)
    elif covariate == "categorical":
        wide["site"] = rng.choice(np.array(["a", "b", "c"], dtype=object), n)
    return wide


def _fit(wide: pd.DataFrame, covariates: list[str], plain: bool) -> list[dict]:
    levels = list(wide["group"].cat.categories)
    if not plain:
        return fit_scale(wide, dict(BASE), levels, levels[0], covariates)
    saved = _ancova_fit._normal_fit
    try:
        _ancova_fit._normal_fit = lambda *args: None  # the QR path for every fit
        return fit_scale(wide, dict(BASE), levels, levels[0], covariates)
    finally:
        _ancova_fit._normal_fit = saved


@settings(max_examples=120, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(12, 400),
    st.integers(2, 4),
    st.booleans(),
    st.sampled_from([None, "numeric", "categorical"]),
)
def test_normal_equations_give_the_qr_fit(seed, n, n_levels, lone, covariate):
    wide = _wide(seed, n, n_levels, lone, covariate)
    covariates = [] if covariate is None else ["age" if covariate == "numeric" else "site"]
    fast, plain = _fit(wide, covariates, False), _fit(wide, covariates, True)
    assert len(fast) == len(plain)
    for got, expected in zip(fast, plain, strict=True):
        assert {k: v for k, v in got.items() if k not in NUMBERS} == {
            k: v for k, v in expected.items() if k not in NUMBERS
        }
        for key in NUMBERS:
            if expected[key] is None:
                assert got[key] is None, key
                continue
            # differences of fitted quantities are relative to the quantities they come from
            scale = 1.0 if key in ("p", "partial_eta_squared", "F") else abs(expected["t"]) + 1
            np.testing.assert_allclose(
                got[key], expected[key], rtol=1e-12, atol=1e-12 * scale, err_msg=key
            )


def test_the_normal_equations_are_taken_on_an_ordinary_design():
    wide = _wide(3, 200, 3, False, "numeric")
    X, y = _design(wide, ["age"])
    assert _normal_fit(X, y, 2) is not None


def _design(wide: pd.DataFrame, covariates: list[str]) -> tuple[np.ndarray, np.ndarray]:
    codes = wide["group"].cat.codes.to_numpy()
    dummies = np.column_stack([(codes == g).astype(float) for g in range(1, codes.max() + 1)])
    extra = [wide[c].to_numpy(dtype=float)[:, None] for c in covariates]
    X = np.hstack([np.ones((len(wide), 1)), wide[["pre"]].to_numpy(float), dummies, *extra])
    return X, wide["post"].to_numpy(dtype=float)


@pytest.mark.parametrize("case", ["ill_conditioned", "near_alias", "constant", "exact_fit"])
def test_hard_designs_fall_back_to_qr(case: str):
    """Cross-products with condition number above 1e10, a column near aliasing, a constant
    covariate and a nearly exact fit are refused by the normal equations; the records then
    come from the QR path, unchanged."""
    rng = np.random.default_rng(5)
    wide = _wide(9, 300, 2, False, "numeric")
    if case == "ill_conditioned":  # a covariate nearly the baseline: cond ~ 1e14
        wide["age"] = wide["pre"] + rng.normal(0, 1e-7, len(wide))
    elif case == "near_alias":  # a covariate whose variation is 1e-7 of its length
        wide["age"] = 1e6 + rng.normal(0, 1e-2, len(wide))
    elif case == "constant":
        wide["age"] = 40.0
    else:
        wide["post"] = 2.0 * wide["pre"] + 1.0 + rng.normal(0, 1e-4, len(wide))
    X, y = _design(wide, ["age"])
    assert _normal_fit(X, y, 1) is None
    assert _fit(wide, ["age"], False) == _fit(wide, ["age"], True)
    if case == "ill_conditioned":
        centred = X[:, 1:] - X[:, 1:].mean(axis=0)
        assert np.linalg.cond(centred.T @ centred) > _ancova_fit.GRAM_COND_LIMIT
