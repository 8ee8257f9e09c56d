"""Linking scores to item rows, and shared item blocks, against plain pandas computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.comparison._reliability_numerics import complete_moments, pairwise_moments
from stigma_outcomes.comparison._reliability_rows import ItemBlock, item_rows
from stigma_outcomes.errors import AnalysisError

WAVES = ["pre", "post", "fu"]
SCALES = [("a", "total"), ("a", "sub"), ("b", "total")]


def _tables(seed: int, id_kind: str, grouped: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Item rows for some people and waves; scores for (mostly) the same, some not ok."""
    rng = np.random.default_rng(seed)
    n = 60
    ids = np.arange(n) * 7 + 3
    item_rows_ = [(i, w) for i in ids for w in WAVES if rng.random() < 0.8]
    keyed = pd.DataFrame(item_rows_, columns=["participant_id", "wave"])
    keyed = keyed.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    keyed["a_1"] = rng.integers(1, 5, len(keyed)).astype(float)
    score_rows = [
        (i, w, inst, scale, "ok" if rng.random() < 0.85 else "insufficient_items")
        for inst, scale in SCALES
        for w in WAVES
        for i in ids
        if rng.random() < 0.9
    ]
    scores = pd.DataFrame(
        score_rows, columns=["participant_id", "wave", "instrument", "scale", "status"]
    )
    scores.loc[rng.random(len(scores)) < 0.03, "participant_id"] = 10_000  # no item row
    if not grouped:
        scores = scores.sample(frac=1.0, random_state=seed + 1).reset_index(drop=True)
    for frame in (keyed, scores):
        if id_kind == "str":
            frame["participant_id"] = frame["participant_id"].astype(str).astype("str")
        elif id_kind == "category":
            frame["participant_id"] = frame["participant_id"].astype(str).astype("category")
        elif id_kind == "object":
            frame["participant_id"] = frame["participant_id"].astype(object)
    if id_kind == "mixed":  # numbers in one table, the same numbers as text in the other
        keyed["participant_id"] = keyed["participant_id"].astype(str).astype(object)
    for col in ("wave", "instrument", "scale", "status"):
        scores[col] = scores[col].astype("category") if grouped else scores[col].astype(object)
    return keyed, scores


def _reference(keyed: pd.DataFrame, scores: pd.DataFrame, inst: str, scale: str) -> dict:
    """The rows of each wave by a merge on the IDs' text: {wave: (rows, n_ok)}."""
    ok = scores[
        (scores["instrument"].astype(str) == inst)
        & (scores["scale"].astype(str) == scale)
        & (scores["status"].astype(str) == "ok")
    ]
    items = keyed.assign(
        pid=keyed["participant_id"].astype(str), w=keyed["wave"].astype(str), row=keyed.index
    )
    out = {}
    for wave, group in ok.groupby(ok["wave"].astype(str), observed=True, sort=False):
        pids = set(group["participant_id"].astype(str))
        rows = items[(items["w"] == wave) & items["pid"].isin(pids)]["row"].to_numpy()
        out[wave] = (np.sort(rows), len(group))
    return out


@pytest.mark.parametrize("grouped", [True, False])
@pytest.mark.parametrize("id_kind", ["int", "str", "category", "object", "mixed"])
def test_rows_match_a_plain_merge(id_kind: str, grouped: bool) -> None:
    for seed in range(3):
        keyed, scores = _tables(seed, id_kind, grouped)
        rows_of = item_rows(keyed, scores)
        first_seen = list(dict.fromkeys(scores["wave"].astype(str)))
        for inst, scale in SCALES:
            got = rows_of(inst, scale)
            ref = _reference(keyed, scores, inst, scale)
            assert [w for w, _, _ in got] == [w for w in first_seen if w in ref]
            for wave, rows, n_ok in got:
                np.testing.assert_array_equal(rows, ref[wave][0])
                assert n_ok == ref[wave][1]
        assert rows_of("a", "nope") == [] and rows_of("zz", "total") == []


def test_duplicate_item_rows_are_refused_missing_ids_included() -> None:
    keyed, scores = _tables(0, "str", True)
    with pytest.raises(AnalysisError, match="more than one row"):
        item_rows(pd.concat([keyed, keyed.iloc[:1]], ignore_index=True), scores)
    blank = keyed.iloc[:2].assign(participant_id=None, wave="pre")
    assert pd.concat([keyed, blank]).duplicated(["participant_id", "wave"]).any()  # as pandas
    with pytest.raises(AnalysisError, match="more than one row"):
        item_rows(pd.concat([keyed, blank], ignore_index=True), scores)


def _columns(rng: np.random.Generator, n: int, missing: float) -> list[np.ndarray]:
    trait = rng.normal(size=n)
    cols = [np.round(3 + trait + rng.normal(size=n)).clip(1, 5) for _ in range(7)]
    cols.append(np.full(n, 3.0))  # no variance
    lone = np.full(n, np.nan)
    lone[0] = 2.0
    cols.append(lone)  # one answer
    for c in cols[:7]:
        c[rng.random(n) < missing] = np.nan
    return cols


@pytest.mark.parametrize("missing", [0.0, 0.1])
def test_a_shared_block_gives_each_scale_the_moments_of_its_own_columns(missing: float):
    rng = np.random.default_rng(11)
    cols = _columns(rng, 500, missing)
    rows = np.sort(rng.choice(500, 377, replace=False))
    block = ItemBlock(cols, rows)
    for positions in ([0, 1, 2, 3, 4, 5, 6], [2, 5, 6], [6, 0, 3], [1, 4]):
        own = np.column_stack([cols[p][rows] for p in positions])  # a scale on its own
        got = block.moments(np.array(positions))
        if block.complete:
            # a corner of the block's cross-products: the same numbers up to rounding
            expected = complete_moments(own - own.mean(axis=0))
            for a, b in zip(got, expected, strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
        else:
            expected = pairwise_moments(own)
            for a, b in zip(got, expected, strict=True):
                np.testing.assert_array_equal(a, b)  # bit for bit, not approximately
        np.testing.assert_allclose(pairwise_moments(own)[0], expected[0], rtol=1e-12)


def test_varies_is_psychs_rule_of_a_positive_standard_deviation() -> None:
    rng = np.random.default_rng(2)
    cols = _columns(rng, 200, 0.2)
    cols.append(np.where(rng.random(200) < 0.5, np.inf, 2.0))  # an infinite answer
    rows = np.arange(200)
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        sd = np.nanstd(np.column_stack([c[rows] for c in cols]), axis=0, ddof=1)
    expected = np.isfinite(sd) & (sd > 0)
    np.testing.assert_array_equal(ItemBlock(cols, rows).varies, expected)
    assert expected.tolist()[-3:] == [False, False, False]


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(0, 300),
    st.sampled_from([1, 7, 64, 1 << 20]),
    st.sampled_from([0.0, 3.0, 250.0]),
    st.booleans(),
)
def test_cross_products_summed_in_parts_give_the_centred_moments(seed, n, staging, offset, drift):
    """The block's one k x k sum, centred on its first part's means and corrected, against
    the plain product of each scale's own centred columns: small and single-row blocks,
    parts of one row, a first part unlike the rest (``drift``), constant and infinite items."""
    from stigma_outcomes.comparison import _reliability_rows

    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 9))
    size = n + int(rng.integers(0, 50))
    columns = [offset + rng.integers(0, 7, size).astype(float) for _ in range(k)]
    if drift:  # rows sorted by the first item: the first part's means are far from the block's
        order = np.argsort(columns[0], kind="stable")
        columns = [c[order] for c in columns]
    if k > 2 and rng.random() < 0.3:
        columns[1] = np.full(size, offset + 2.0)  # no variance
    if k > 3 and rng.random() < 0.3:
        columns[2] = np.where(rng.random(size) < 0.5, np.inf, 1.0)  # an infinite answer
    rows = np.sort(rng.choice(size, n, replace=False))
    saved = _reliability_rows._STAGING
    try:
        _reliability_rows._STAGING = staging
        block = ItemBlock(columns, rows)
    finally:
        _reliability_rows._STAGING = saved
    assert block.complete and block.n == n
    values = np.column_stack([c[rows] for c in columns]) if n else np.empty((0, k))
    for _ in range(3):
        positions = np.flatnonzero(block.varies)
        positions = rng.permutation(positions)[: int(rng.integers(1, len(positions) + 2))]
        if n < 2 or not len(positions):
            continue
        own = values[:, positions]
        for got, expected in zip(
            block.moments(positions), complete_moments(own - own.mean(axis=0)), strict=True
        ):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-13)


def test_a_complete_block_keeps_no_values() -> None:
    block = ItemBlock([np.arange(5.0), np.arange(5.0) ** 2], np.arange(5))
    assert block.complete and block.gram is not None
    with pytest.raises(ValueError, match="cross-products"):
        block.take(np.array([0]))
