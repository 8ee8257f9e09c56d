"""Properties every test statistic must have, whatever the data (issue 11).

* Shifting all scores by a constant, or scaling them by a positive constant, changes the
  units, not the evidence: t, p and d_z of the paired test (and t, p, g of the unlinked one)
  stay the same.
* No record anywhere carries an infinite or absurd (|t| > 1e6) statistic: a number that
  large only ever comes from dividing by a variance that is zero up to rounding.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison.paired import cell_reductions, finish_paired
from stigma_outcomes.comparison.unlinked import unlinked_fields

GOLDEN = Path(__file__).parents[1] / "golden"
TEXT = {"participant_id": str, "wave": str, "instrument": str, "scale": str}


def _paired(pre: np.ndarray, post: np.ndarray) -> dict[str, Any]:
    cell = np.zeros(len(pre), dtype=np.int64)
    red = cell_reductions(cell, 1, pre, post, np.array([-1.0]))
    return finish_paired(red, 0, -1)


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


scores = st.lists(st.integers(0, 27), min_size=3, max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    shift=st.floats(-100, 100, allow_nan=False),
    scale=st.floats(0.01, 100, allow_nan=False),
    divisor=st.sampled_from([1, 3, 7]),
)
def test_paired_t_p_dz_are_shift_and_scale_invariant(data, shift, scale, divisor):
    pre = np.array(data.draw(scores), dtype=float) / divisor  # sums, or item means like 5/3
    post = np.array(data.draw(st.lists(st.integers(0, 27), min_size=len(pre),
                                       max_size=len(pre))), dtype=float) / divisor  # fmt: skip
    base = _paired(pre, post)
    for moved in (_paired(pre + shift, post + shift), _paired(pre * scale, post * scale)):
        for key in ("t", "p_t", "d_z"):
            assert _same(base[key], moved[key]), (key, base[key], moved[key])


@settings(max_examples=100, deadline=None)
@given(
    before=st.lists(st.integers(0, 20), min_size=2, max_size=25),
    after=st.lists(st.integers(0, 20), min_size=2, max_size=25),
    shift=st.floats(-100, 100, allow_nan=False),
    scale=st.floats(0.01, 100, allow_nan=False),
)
def test_unlinked_t_p_g_are_shift_and_scale_invariant(before, after, shift, scale):
    b, a = np.array(before, dtype=float) / 3, np.array(after, dtype=float) / 3
    base = unlinked_fields(b, a, -1)
    for moved in (unlinked_fields(b + shift, a + shift, -1),
                  unlinked_fields(b * scale, a * scale, -1)):  # fmt: skip
        for key in ("t", "p_t", "hedges_g"):
            assert _same(base[key], moved[key]), (key, base[key], moved[key])


@settings(max_examples=60, deadline=None)
@given(k=st.lists(st.integers(0, 12), min_size=2, max_size=20), gain=st.integers(-6, 6))
def test_constant_change_of_item_means_is_never_a_huge_t(k, gain):
    """Every participant gains the same number of thirds: t is undefined, never ~1e16."""
    pre = np.array(k, dtype=float) / 3
    rec = _paired(pre, (np.array(k, dtype=float) + gain) / 3)
    assert math.isnan(rec["t"]) and math.isnan(rec["p_t"]) and math.isnan(rec["d_z"])


STATISTICS = {"t", "z", "f", "F", "d_z", "hedges_g", "g_av", "d_av", "estimate"}


def _numbers(value: Any, key: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _numbers(v, key)
    elif isinstance(value, float | np.floating):
        yield key, float(value)


def _assert_sane(results: Any) -> int:
    checked = 0
    for section, records in results.sections():
        for rec in records:
            for key, number in _numbers(rec):
                assert not math.isinf(number), (section, key)
                if key in STATISTICS and math.isfinite(number):
                    assert abs(number) <= 1e6, (section, key, number)
                    checked += 1
    return checked


def _edge(name: str, **dtypes: Any) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "edge_cases" / name, dtype={**TEXT, **dtypes})


def _facts(*keys: str) -> dict[str, Any]:
    return {"direction": dict.fromkeys(keys, "higher_is_worse"),
            "reliability": dict.fromkeys(keys, 0.8)}  # fmt: skip


CASES = {
    "golden paired": lambda: compare(
        GOLDEN / "paired" / "scores.csv", "pre", "post", followup=["fu"], group_by="site",
        scale_info=GOLDEN / "paired" / "scale_info.yaml", pool_by="site",
    ),
    "constant change": lambda: compare(
        _edge("scores_constant.csv"), "pre", "post",
        **_facts("edge.constant", "edge.flat", "edge.a", "edge.b"),
    ),
    "constant unlinked": lambda: compare(
        _edge("scores_constant_unlinked.csv"), "before", "after", unlinked=True,
        **_facts("edge.flat", "edge.x"),
    ),
    "pooling": lambda: compare(
        _edge("scores_pool.csv", site=str), "pre", "post", pool_by="site", group_by="site",
        pool_method="DL", **_facts("edge.total"),
    ),
    "empty cell": lambda: compare(
        _edge("scores_mixed.csv", arm=str), "pre", "post", followup=["fu"], group_by="arm",
        **_facts("mx.total"),
    ),
    "aliased covariate": lambda: compare(
        _edge("scores_ancova.csv", arm=str), "pre", "post", group_by="arm",
        covariates=["cohort"], **_facts("an.total"),
    ),
    "tiny": lambda: compare(_edge("scores_tiny.csv"), "pre", "post", **_facts("tn.total")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_no_record_carries_an_infinite_or_absurd_statistic(case):
    assert _assert_sane(CASES[case]()) > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    k=st.lists(st.integers(0, 12), min_size=6, max_size=14),
    gain=st.integers(-4, 4),
    divisor=st.sampled_from([1, 3]),
)
# found by this test: every score explained by participant and wave, so the REML optimum sits
# at the top of the variance-ratio search (residual variance -> 0) and t reached 1.1e6
@example(k=[0, 4, 0, 4, 1, 4], gain=2, divisor=1)
def test_no_absurd_statistic_from_generated_designs(k, gain, divisor):
    """Constant change in one arm, constant scores at a wave, an arm missing at follow-up."""
    n = len(k)
    ids = [f"p{i}" for i in range(n)]
    pre = np.array(k, dtype=float) / divisor
    post = (np.array(k, dtype=float) + gain) / divisor
    arm = ["a" if i % 2 else "b" for i in range(n)]
    fu = np.full(n, 5 / 3)
    rows = [
        pd.DataFrame({"participant_id": ids, "wave": w, "score": s, "arm": arm})
        for w, s in (("pre", pre), ("post", post), ("fu", fu))
    ]
    frame = pd.concat(rows, ignore_index=True).assign(instrument="g", scale="s", status="ok")
    frame = frame[~((frame["wave"] == "fu") & (frame["arm"] == "b"))]
    _assert_sane(compare(frame, "pre", "post", followup=["fu"], group_by="arm",
                         min_cell=2, **_facts("g.s")))  # fmt: skip
