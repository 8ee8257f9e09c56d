"""The fast paths of compare() at scale give what the plain paths gave (same numbers, same bytes).

Each case runs the optimised code and a plain reference on random data: counting against
sorting, lookup tables against ``np.isin``, codes against labels, the score table's codes
against the tidy frame.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison import pairing
from stigma_outcomes.comparison._codes import (
    appearance_codes,
    as_text,
    distinct_texts,
    text_codes,
)
from stigma_outcomes.comparison._mixed_fit import _dense_ranks
from stigma_outcomes.comparison.attrition import _present_in, wave_counts
from stigma_outcomes.comparison.mixed import fit_mixed_models
from stigma_outcomes.comparison.paired import _ranks_within_cells
from stigma_outcomes.comparison.records import plain
from stigma_outcomes.comparison.table import ScoreTable
from stigma_outcomes.errors import InputError


def _sorted_ranks(cell: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks within cells by one lexicographic sort (the plain way)."""
    size, n_cells = len(values), int(cell.max()) + 1
    order = np.lexsort((values, cell))
    c_s, v_s = cell[order], values[order]
    idx = np.arange(size)
    new_cell = np.r_[True, c_s[1:] != c_s[:-1]]
    pos = idx - np.maximum.accumulate(np.where(new_cell, idx, 0))
    new_run = new_cell | np.r_[True, v_s[1:] != v_s[:-1]]
    start = np.flatnonzero(new_run)
    length = np.diff(np.r_[start, size]).astype(float)
    ranks = np.empty(size)
    ranks[order] = (pos[start] + (length + 1.0) / 2.0)[np.cumsum(new_run) - 1]
    ties = np.bincount(c_s[start], weights=length**3 - length, minlength=n_cells)
    return ranks, ties


def _scores(n: int, seed: int, waves=("pre", "post", "fu"), arms=("10", "2", "A")) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        arm = arms[i % len(arms)]
        for w, wave in enumerate(waves):
            if w and rng.random() < 0.25:
                continue
            for scale in ("total", "sub"):
                rows.append(
                    {"participant_id": f"id{(i * 7919) % n}", "wave": wave, "instrument": "x",
                     "scale": scale, "score": float(rng.integers(0, 12)) - 0.5 * w,
                     "status": "ok" if rng.random() > 0.05 else "insufficient_items",
                     "arm": arm}
                )  # fmt: skip
    frame = pd.DataFrame(rows)
    for col in ("participant_id", "wave", "instrument", "scale", "status", "arm"):
        frame[col] = frame[col].astype("category")
    return frame


@pytest.mark.parametrize("seed", range(6))
def test_ranks_by_counting_equal_ranks_by_sorting(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    cell = rng.integers(0, int(rng.integers(1, 40)), n)
    few = np.abs(rng.integers(-20, 21, n) / 3.0)
    many = np.abs(rng.normal(size=n))  # every value distinct: the sorting path
    for values in (few + (few == 0), many):
        got, expected = _ranks_within_cells(cell, values), _sorted_ranks(cell, values)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_first_appearance_and_dense_ranks_without_sorting():
    rng = np.random.default_rng(3)
    for _ in range(50):
        codes = rng.integers(0, int(rng.integers(1, 300)), int(rng.integers(1, 2000)))
        expected = pd.factorize(codes)[0]
        assert appearance_codes(codes).tolist() == expected.tolist()
        assert appearance_codes(codes.astype(np.int32)).tolist() == expected.tolist()
        ids, inverse = np.unique(codes, return_inverse=True)
        got = _dense_ranks(codes)
        assert got[0].tolist() == ids.tolist() and got[1].tolist() == inverse.tolist()


def test_lookup_table_membership_equals_isin():
    rng = np.random.default_rng(4)
    keys, others = rng.integers(0, 500, 800), rng.integers(0, 500, 300)
    assert _present_in(keys, others, 500).tolist() == np.isin(keys, others).tolist()
    assert _present_in(keys, others[:0], 500).tolist() == [False] * len(keys)


def test_text_of_categories_once_equals_text_of_every_row():
    cases = [
        pd.Series(pd.Categorical([3, None, 1, 3])),
        pd.Series(pd.Categorical(["b", None, "a"], categories=["z", "a", "b"])),
        pd.Series(pd.Categorical([1.5, 2.0, None])),
        pd.Series(["x", None, "y", "x"], dtype="str"),
        pd.Series([1, "1", None], dtype=object),
    ]
    for values in cases:
        assert list(distinct_texts(values)) == list(pd.unique(as_text(values.dropna())))
        codes, labels = text_codes(values)
        texts = [None if pd.isna(v) else str(v) for v in values.astype(object)]
        assert [labels[c] if c >= 0 else None for c in codes] == texts


def test_score_table_keeps_the_key_columns_as_their_text():
    scores = _scores(60, 1)
    valid = pairing.valid_scores(scores, "arm")
    ok = (scores["status"] == "ok").to_numpy()
    for col in ("participant_id", "wave", "instrument", "scale"):
        assert isinstance(valid[col].dtype, pd.CategoricalDtype)
        assert valid[col].astype(str).tolist() == scores.loc[ok, col].astype(str).tolist()
    assert valid["_pid"].tolist() == pd.factorize(valid["participant_id"].astype(str))[0].tolist()
    table = ScoreTable.from_scores(scores, "arm")
    expected = pd.unique(scores.loc[ok & (scores["wave"] == "pre"), "participant_id"].astype(str))
    assert list(table.ids_at("pre")) == list(expected)
    assert (
        table.to_frame()["participant_id"].astype(str).tolist()
        == valid["participant_id"].astype(str).tolist()
    )


def test_duplicates_are_named_alike_by_counting_and_by_sorting(monkeypatch):
    scores = _scores(30, 2)
    dup = pd.concat([scores, scores.iloc[[40, 41, 5]]], ignore_index=True)
    with pytest.raises(InputError) as counted:
        pairing.valid_scores(dup)
    monkeypatch.setattr(pairing, "DIRECT_LOOKUP_LIMIT", 0)
    with pytest.raises(InputError) as sorted_:
        pairing.valid_scores(dup)
    assert str(counted.value) == str(sorted_.value)
    assert "or more duplicated scores" in str(counted.value)


def test_wave_counts_through_codes_equal_counts_through_masks():
    valid = pairing.valid_scores(_scores(50, 5), "arm")
    for waves in (["pre", "post", "fu"], ["fu", "pre"], ["pre", "pre", "post"], ["none", "pre"]):
        got = wave_counts(valid, waves, "arm")
        without = valid.copy()
        without.attrs = {k: v for k, v in valid.attrs.items() if k != "waves"}
        without.attrs["scales"] = valid.attrs["scales"]
        assert got == wave_counts(without, waves, "arm")


@pytest.mark.parametrize("group", [None, "arm"])
def test_mixed_models_from_the_table_equal_those_from_its_frame(group):
    table = ScoreTable.from_scores(_scores(80, 6), group)
    waves = ["pre", "post", "fu"]
    from_table = fit_mixed_models(table, waves, group)
    from_frame = fit_mixed_models(table.to_frame(), waves, group)
    assert json.dumps(plain(from_table)) == json.dumps(plain(from_frame))


def test_ancova_groups_as_codes_equal_groups_as_labels():
    from stigma_outcomes.comparison._ancova_fit import fit_scale
    from stigma_outcomes.comparison.ancova import _wide_by_scale

    table = ScoreTable.from_scores(_scores(90, 8, arms=("10", "2", "3")), "arm")
    levels = table.group_levels
    assert levels == ["2", "3", "10"]  # R's factor order: numbers by value
    for wide in _wide_by_scale(table, "pre", "post", []):
        assert isinstance(wide["group"].dtype, pd.CategoricalDtype)
        as_labels = wide.assign(group=wide["group"].astype(object))
        for reference, part in (("2", wide), ("10", wide), ("3", wide[wide["group"] != "10"])):
            base = {"group_column": "arm", "reference_group": reference}
            by_codes = fit_scale(part, dict(base), levels, reference, [])
            by_labels = fit_scale(as_labels.loc[part.index], dict(base), levels, reference, [])
            assert json.dumps(plain(by_codes)) == json.dumps(plain(by_labels))
            assert list(by_codes[0]["n_by_group"]) == sorted(by_codes[0]["n_by_group"])


def test_design_filled_in_place_equals_the_stacked_dummies():
    from stigma_outcomes.comparison._reml import _design

    def stacked(wave, group, n_waves, n_groups):
        wave_d = (wave[:, None] == np.arange(1, n_waves)[None, :]).astype(float)
        cols = [np.ones((len(wave), 1)), wave_d]
        if group is not None:
            group_d = (group[:, None] == np.arange(1, n_groups)[None, :]).astype(float)
            inter = (group_d[:, :, None] * wave_d[:, None, :]).reshape(len(wave), -1)
            cols += [group_d, inter]
        return np.hstack(cols)

    rng = np.random.default_rng(9)
    for n_waves in (1, 2, 3, 5):
        for n_groups in (1, 2, 4):
            wave, group = rng.integers(0, n_waves, 40), rng.integers(0, n_groups, 40)
            for g in (None, group):
                built = _design(wave, g, n_waves, n_groups)
                assert np.array_equal(built, stacked(wave, g, n_waves, n_groups))
                assert built.flags.c_contiguous


def test_codes_kept_narrow_and_wide_enough():
    from stigma_outcomes.comparison._score_codes import narrow_codes as _narrow

    assert _narrow(np.array([-1, 0, 127])).dtype == np.int8
    assert _narrow(np.array([0, 128])).dtype == np.int16
    assert _narrow(np.array([0, 40_000])).dtype == np.int32
    assert _narrow(np.array([0, 2**40])).dtype == np.int64
    assert _narrow(np.array([], dtype=np.int64)).tolist() == []
    valid = pairing.valid_scores(_scores(40, 10), "arm")
    assert valid["_wave"].dtype == np.int8 and valid["_group"].dtype == np.int8
    assert valid["_scale"].dtype == np.int8  # widened wherever it is multiplied into keys


def test_scores_only_pairs_hold_the_same_scores():
    table = ScoreTable.from_scores(_scores(40, 11), "arm")
    pairs = table.pairs("pre", "post")
    mask = pairs.group_code >= 1
    slim, full = pairs.scores_only(mask), pairs.subset(mask)
    for name in ("scale_code", "pre", "post"):
        assert np.array_equal(getattr(slim, name), getattr(full, name))
    assert slim.participant_id is None and slim.rows is None and len(slim) == int(mask.sum())
