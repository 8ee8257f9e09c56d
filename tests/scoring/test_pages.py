"""Arrays in ordinary pages (scoring/_pages.py) behave as ``np.empty``'s do."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.scoring import _pages


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(0, 7), min_size=1, max_size=3),
    dtype=st.sampled_from([np.int8, np.int16, np.int32, np.float64]),
    order=st.sampled_from(["C", "F"]),
    mapped=st.booleans(),
)
def test_fresh_arrays_are_like_empty_ones(shape, dtype, order, mapped) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if mapped:
            patch.setattr(_pages, "_SMALL", 1)  # every array with a byte comes from a mapping
        got = _pages.fresh(tuple(shape), dtype, order=order)
    want = np.empty(tuple(shape), dtype=dtype, order=order)
    assert got.shape == want.shape and got.dtype == want.dtype
    assert got.flags.c_contiguous == want.flags.c_contiguous
    assert got.flags.f_contiguous == want.flags.f_contiguous
    assert got.flags.writeable
    values = np.arange(got.size).reshape(got.shape) % 100
    got[...] = values
    np.testing.assert_array_equal(got, values)


def test_a_large_array_is_mapped_and_outlives_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import mmap

    monkeypatch.setattr(_pages, "_SMALL", 1024)
    block = _pages.fresh((3, 1000), np.float64)
    owner = block
    while isinstance(owner, np.ndarray):
        owner = owner.base
    assert isinstance(getattr(owner, "obj", owner), mmap.mmap)
    row = block[1]
    row[:] = 2.5
    del block
    gc.collect()
    assert row.sum() == 2500.0  # the mapping lives as long as a view of it
    small = _pages.fresh(10, np.int8)
    assert small.base is None  # below the threshold: numpy's own memory
