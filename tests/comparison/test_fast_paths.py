"""The 1M-row fast paths of compare() against the plain code they replace (same bits).

Each fast path is run beside the plain computation on random data drawn by hypothesis:
paired reductions of the whole sample and the groups in one pass against one
``cell_reductions`` per layout, the block-by-block stable order against ``np.argsort``,
counted wave totals against a per-row count, and the ANCOVA's shared QR against the
separate decompositions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.comparison._ancova_fit import _ols
from stigma_outcomes.comparison._codes import appearance_codes
from stigma_outcomes.comparison._score_codes import code_counts, stable_order
from stigma_outcomes.comparison.ancova import fit_ancova
from stigma_outcomes.comparison.attrition import wave_counts
from stigma_outcomes.comparison.estimable import column_search, estimable_columns
from stigma_outcomes.comparison.paired import cell_reductions, nested_reductions
from stigma_outcomes.comparison.pairing import valid_scores
from stigma_outcomes.comparison.table import ScoreTable

FAST = settings(max_examples=60, deadline=None)


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray], merged: bool = False) -> None:
    """Bit for bit (NaN where NaN); with ``merged``, the means and SDs (each scale's from
    its fine cells') to rounding: rtol 1e-12."""
    assert sorted(a) == sorted(b)
    for name in a:
        got, want = np.asarray(a[name], dtype=float), np.asarray(b[name], dtype=float)
        assert got.shape == want.shape, name
        if merged and name.endswith(("_mean", "_sd")):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, err_msg=name)
        else:
            assert got.tobytes() == want.tobytes(), name


@st.composite
def _pairs(draw):
    n = draw(st.integers(0, 400))
    n_scales = draw(st.integers(1, 5))
    n_levels = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = rng.integers(0, n_scales, n).astype(np.int64)
    group = rng.integers(-1, n_levels, n).astype(np.int8)  # −1: no group value
    kind = draw(st.sampled_from(["whole", "halves", "means", "continuous"]))
    if kind == "whole":
        pre, post = rng.integers(0, 6, n).astype(float), rng.integers(0, 6, n).astype(float)
    elif kind == "halves":
        pre, post = rng.integers(0, 12, n) / 2.0, rng.integers(0, 12, n) / 2.0
    elif kind == "means":  # subscale means: many distinct, tied and non-representable values
        pre, post = rng.integers(0, 30, n) / 7.0, rng.integers(0, 30, n) / 7.0
    else:  # every difference distinct: the plain path
        pre, post = rng.normal(size=n), rng.normal(size=n)
    sign = rng.choice([-1.0, 1.0], n_scales)
    return scale, n_scales, group, n_levels, pre, post, sign


@FAST
@given(_pairs())
def test_one_pass_reductions_equal_one_per_layout(case):
    scale, n_scales, group, n_levels, pre, post, sign = case
    whole, by_group = nested_reductions(scale, n_scales, group, n_levels, pre, post, sign)
    _same(whole, cell_reductions(scale, n_scales, pre, post, sign), merged=True)
    has = group >= 0
    cell = scale[has] * n_levels + group[has]
    expected = cell_reductions(
        cell, n_scales * n_levels, pre[has], post[has], np.repeat(sign, n_levels)
    )
    assert by_group is not None
    _same(by_group, expected)
    alone, none = nested_reductions(scale, n_scales, None, 0, pre, post, sign)
    assert none is None
    _same(alone, cell_reductions(scale, n_scales, pre, post, sign))
    _same(alone, whole, merged=True)


@FAST
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(1, 50)), max_size=30),
    st.integers(0, 3),
)
def test_block_order_is_the_stable_sort(blocks, noise):
    codes = np.concatenate([np.full(n, c) for c, n in blocks]) if blocks else np.zeros(0, int)
    rng = np.random.default_rng(noise)
    if noise:  # many short runs: the sorting path
        codes = np.concatenate([codes, rng.integers(0, 7, 5000 * noise)])
    expected = np.argsort(codes, kind="stable")
    got = stable_order(codes)
    assert got.tolist() == expected.tolist()


@FAST
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_counted_wave_totals_equal_a_count_per_row(seed, grouped):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    frame = pd.DataFrame(
        {
            "participant_id": rng.integers(0, 60, n).astype(str),
            "wave": rng.choice(["pre", "post", "fu", "x"], n),
            "instrument": rng.choice(["a", "b"], n),
            "scale": rng.choice(["t", "s"], n),
            "score": rng.normal(size=n),
            "status": "ok",
            "arm": rng.choice(["A", "B", None], n),
        }
    ).drop_duplicates(["participant_id", "wave", "instrument", "scale"])
    group = "arm" if grouped else None
    valid = valid_scores(frame, group)
    waves = ["pre", "post", "fu"]
    got = wave_counts(valid, waves, group)
    for rec in got:
        rows = (
            (valid["instrument"].astype(str) == rec["instrument"])
            & (valid["scale"].astype(str) == rec["scale"])
            & (valid["wave"].astype(str) == rec["wave"])
        )
        if rec["group"] is not None:
            rows &= valid["arm"].astype(str) == rec["group"]
        assert rec["n"] == int(rows.sum())
    levels = valid.attrs.get("group_levels", []) if grouped else []
    assert len(got) == len(valid.attrs["scales"]) * (len(levels) + 1) * len(waves)


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(0, 3), st.booleans())
def test_ancova_from_one_qr_equals_separate_decompositions(seed, extra, aliased):
    """The aliasing search on the fit's R, and the fit from that QR, give the bytes of the
    separate decompositions (R's columns kept the same way, the same coefficients)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 200))
    X = np.column_stack(
        [np.ones(n), rng.integers(0, 20, n) / 3.0, rng.integers(0, 2, (n, 1 + extra))]
    ).astype(float)
    if aliased:
        X[:, -1] = X[:, 0]  # a constant covariate
    y = rng.integers(0, 20, n) / 7.0
    q, r = np.linalg.qr(X)
    keep = column_search(r)
    assert keep.tolist() == estimable_columns(X).tolist()
    kept = X[:, keep]  # as fit_scale selects them
    if keep.all():
        shared, separate = _ols(kept, y, (q, r)), _ols(kept, y)
        for a, b in zip(shared, separate, strict=True):
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes()


def test_ancova_records_from_the_table_are_unchanged_by_sharing_pairs():
    rng = np.random.default_rng(5)
    n = 300
    rows = []
    for i in range(n):
        arm = ["c", "p", "q"][i % 3]
        for wave in ("pre", "post", "fu"):
            if wave != "pre" and rng.random() < 0.3:
                continue
            rows.append({"participant_id": f"p{i}", "wave": wave, "instrument": "x",
                         "scale": "t", "score": float(rng.integers(0, 9)) / 2, "status": "ok",
                         "arm": arm})  # fmt: skip
    table = ScoreTable.from_scores(pd.DataFrame(rows), "arm")
    for to_wave in ("post", "fu"):
        alone = fit_ancova(table, "pre", to_wave, "arm")
        shared = fit_ancova(table, "pre", to_wave, "arm", pairs=table.pairs("pre", to_wave))
        assert repr(alone) == repr(shared)


def test_many_distinct_differences_take_the_plain_path_with_the_same_bits():
    rng = np.random.default_rng(8)
    n, n_scales, n_levels = 60_000, 5, 4
    scale = rng.integers(0, n_scales, n).astype(np.int64)
    group = rng.integers(-1, n_levels, n).astype(np.int8)
    pre, post = rng.normal(size=n), rng.normal(size=n)  # every difference distinct
    sign = np.array([1.0, -1.0, 1.0, 1.0, -1.0])
    whole, by_group = nested_reductions(scale, n_scales, group, n_levels, pre, post, sign)
    _same(whole, cell_reductions(scale, n_scales, pre, post, sign), merged=True)
    has = group >= 0
    expected = cell_reductions(
        scale[has] * n_levels + group[has], n_scales * n_levels, pre[has], post[has],
        np.repeat(sign, n_levels),
    )  # fmt: skip
    assert by_group is not None
    _same(by_group, expected)


@FAST
@given(st.lists(st.integers(0, 40), max_size=300), st.sampled_from([np.int8, np.int32, np.int64]))
def test_appearance_codes_equal_factorize_already_in_order_or_not(values, kind):
    raw = np.array(values, dtype=kind)
    ordered = pd.factorize(raw)[0].astype(kind)  # numbered as they appear: the fast exit
    for codes in (raw, ordered):
        assert appearance_codes(codes).tolist() == pd.factorize(codes)[0].tolist()
        assert appearance_codes(codes).dtype == np.int64


@FAST
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 7, 50]))
def test_reliable_change_counted_in_blocks_equals_all_at_once(seed, block):
    from stigma_outcomes.comparison import rci
    from stigma_outcomes.comparison.scale_facts import resolve_scale_meta

    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 200))
    frame = pd.DataFrame(
        {
            "participant_id": np.tile(np.arange(n).astype(str), 2),
            "wave": np.repeat(["pre", "post"], n),
            "instrument": "ucla3",
            "scale": "total",
            "score": rng.integers(3, 10, 2 * n).astype(float),
            "status": "ok",
            "arm": np.tile(rng.choice(["a", "b"], n), 2),
        }
    )
    table = ScoreTable.from_scores(frame, "arm")
    if not table.has_wave("pre"):
        return
    meta = resolve_scale_meta(table.scales)
    inputs = rci.rci_inputs(table.coded, "pre", meta)
    pairs = table.pairs("pre", "post")
    cell = pairs.scale_code * 3 + (pairs.group_code.astype(np.int64) + 1)
    whole = rci.rci_cell_counts(cell, len(table.scales) * 3, pairs, inputs, meta)
    saved = rci._BLOCK
    try:
        rci._BLOCK = block
        blocks = rci.rci_cell_counts(cell, len(table.scales) * 3, pairs, inputs, meta)
    finally:
        rci._BLOCK = saved
    assert sorted(whole) == sorted(blocks)
    for key in whole:
        assert whole[key].tolist() == blocks[key].tolist() and whole[key].dtype == blocks[key].dtype


@FAST
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 5, 64]))
def test_item_block_staged_in_parts_holds_the_whole_block(seed, staging):
    from stigma_outcomes.comparison import _reliability_rows

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(0, 90)), int(rng.integers(1, 7))
    columns = [rng.integers(0, 5, 120).astype(float) for _ in range(k)]
    if rng.random() < 0.5:
        columns[0][rng.random(120) < 0.2] = np.nan  # the pairwise (not centred) layout
    rows = np.sort(rng.choice(120, n, replace=False))
    whole = _reliability_rows.ItemBlock(columns, rows)
    saved = _reliability_rows._STAGING
    try:
        _reliability_rows._STAGING = staging
        parts = _reliability_rows.ItemBlock(columns, rows)
    finally:
        _reliability_rows._STAGING = saved
    expected = np.column_stack([c[rows] for c in columns]) if n else np.empty((0, k))
    assert whole.complete == parts.complete == (not np.isnan(expected).any())
    for block in (whole, parts):
        assert block.varies.tolist() == whole.varies.tolist()
        if block.complete:  # the cross-products of the deviations, summed part by part
            centred = expected - expected.mean(axis=0) if n else expected
            np.testing.assert_allclose(block.gram, centred.T @ centred, rtol=1e-12, atol=1e-9)
        else:
            assert block.values.tobytes() == expected.tobytes()
            assert block.values.flags.c_contiguous


@FAST
@given(
    st.lists(st.integers(-1, 20), max_size=3000),
    st.integers(0, 21),
    st.sampled_from([np.int8, np.int16, np.int32, np.int64]),
)
def test_code_counts_equal_a_bincount_of_the_present_codes(values, n_labels, kind):
    codes = np.array([v for v in values if v < n_labels], dtype=kind)
    got = code_counts(codes, n_labels)
    expected = np.bincount(codes[codes >= 0].astype(np.intp), minlength=n_labels)
    assert got.tolist() == expected.tolist() and got.dtype == expected.dtype
