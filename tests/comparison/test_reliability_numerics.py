"""The one-factor minres fit behind omega: Newton against L-BFGS-B, optimality, the fallback."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stigma_outcomes.comparison import _reliability_numerics as numerics

BOUND = math.sqrt(0.995)


def _objective(cor: np.ndarray, lam: np.ndarray) -> float:
    off = ~np.eye(len(lam), dtype=bool)
    return 0.5 * float(((cor - np.outer(lam, lam))[off] ** 2).sum())


def _correlations(seed: int) -> np.ndarray:
    """Item correlations of a sample: strong, weak, mis-keyed, Heywood-prone and rounded."""
    rng = np.random.default_rng(seed)
    k, n = int(rng.integers(3, 30)), int(rng.integers(25, 400))
    kind = seed % 4
    if kind == 0:
        lam = rng.uniform(0.5, 1.0, k)  # some items near a loading of 1: Heywood cases
    elif kind == 1:
        lam = rng.uniform(-0.4, 0.9, k)  # mis-keyed items
    else:
        lam = rng.uniform(0.0, 0.6, k)  # weak
    x = rng.normal(size=(n, 1)) * lam + rng.normal(size=(n, k)) * np.sqrt(
        np.clip(1 - lam**2, 0.01, 1)
    )
    if kind == 3:
        x = np.round(x * 1.2)
    return np.corrcoef(x, rowvar=False)


@pytest.mark.parametrize("seed", range(40))
def test_newton_reaches_the_bounded_minimum_that_lbfgs_approaches(seed: int) -> None:
    cor = _correlations(seed)
    lam, converged = numerics._minres_newton(cor)
    assert converged
    assert np.all(np.abs(lam) <= BOUND)
    reference = numerics._minres_lbfgs(cor, numerics._principal_axis_start(cor))
    # never a worse minimum than L-BFGS-B (which stops at its tolerance, so can only be above)
    assert _objective(cor, lam) <= _objective(cor, reference) + 1e-13
    # the same minimum: the loadings agree (up to the sign the model cannot fix)
    sign = np.sign(lam @ reference) or 1.0
    np.testing.assert_allclose(lam, sign * reference, atol=1e-5)
    # first-order optimality at the bounds: the gradient vanishes except where it pushes an
    # item past its bound
    resid = cor - np.outer(lam, lam)
    np.fill_diagonal(resid, 0.0)
    gradient = -2.0 * resid @ lam
    held = (np.abs(lam) >= BOUND) & (lam * gradient < 0)
    assert np.abs(gradient[~held]).max(initial=0.0) < 1e-10


def test_heywood_items_sit_at_the_floor() -> None:
    r = np.array([[1, 0.8, 0.8], [0.8, 1, 0.5], [0.8, 0.5, 1.0]])
    u2 = numerics._minres_uniquenesses(r)
    assert u2[0] == pytest.approx(numerics.HEYWOOD_UNIQUENESS, abs=1e-15)
    omega, heywood = numerics.omega_fit(r)
    assert 0 < omega < 1
    assert heywood.tolist() == [True, False, False]


def test_without_convergence_lbfgs_finishes_the_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    cor = _correlations(7)
    exact = numerics._minres_uniquenesses(cor)
    calls = []

    def stuck(c: np.ndarray) -> tuple[np.ndarray, bool]:
        calls.append(1)
        return numerics._principal_axis_start(c), False

    monkeypatch.setattr(numerics, "_minres_newton", stuck)
    u2 = numerics._minres_uniquenesses(cor)
    assert calls and not np.allclose(1 - numerics._principal_axis_start(cor) ** 2, exact)
    np.testing.assert_allclose(u2, exact, atol=1e-6)


@pytest.mark.parametrize("seed", range(40))
def test_the_start_is_the_leading_principal_axis(seed: int) -> None:
    cor = _correlations(seed)
    smc = 1.0 - 1.0 / np.diag(np.linalg.inv(cor))
    reduced = cor.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.005, 0.995))
    values, vectors = np.linalg.eigh(reduced)
    expected = np.clip(vectors[:, -1] * math.sqrt(max(values[-1], 1e-6)), -BOUND, BOUND)
    start = numerics._principal_axis_start(cor)
    sign = np.sign(start @ expected) or 1.0
    np.testing.assert_allclose(start, sign * expected, atol=1e-8)
