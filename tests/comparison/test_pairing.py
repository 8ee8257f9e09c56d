"""Matching participants across waves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison.pairing import (
    check_waves,
    group_levels,
    pair_waves,
    valid_scores,
)
from stigma_outcomes.errors import AnalysisError, InputError


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant_id": ["b", "a", "c", "a", "b", "d", "c", "a", "b"],
            "wave": ["pre", "pre", "pre", "post", "post", "post", "post", "pre", "pre"],
            "site": ["x", "y", None, "z", "x", "x", "y", "y", "x"],
            "instrument": ["i"] * 7 + ["j", "j"],
            "scale": ["t"] * 9,
            "score": [2.0, 1.0, 3.0, 5.0, 4.0, 9.0, np.nan, 7.0, 8.0],
            "status": ["ok"] * 6 + ["insufficient_items", "ok", "ok"],
        }
    )


def test_pairs_only_complete_valid_pairs_in_any_row_order():
    pairs = pair_waves(valid_scores(_scores(), "site"), "pre", "post", "site")
    frame = pairs.to_frame().sort_values(["instrument", "participant_id"])
    # 'c' has an insufficient post score, 'd' no pre score; scale j has no post at all
    assert frame[["instrument", "participant_id", "pre", "post"]].values.tolist() == [
        ["i", "a", 1.0, 5.0],
        ["i", "b", 2.0, 4.0],
    ]
    # the group is the participant's value at the 'from' wave
    assert dict(zip(frame["participant_id"], frame["group"], strict=True)) == {"a": "y", "b": "x"}


def test_missing_group_value_stays_missing():
    pairs = pair_waves(valid_scores(_scores(), "site"), "pre", "post", "site")
    assert pairs.group is not None and None not in set(pairs.group)
    c_first = _scores().assign(status="ok", score=1.0)
    pairs = pair_waves(valid_scores(c_first, "site"), "pre", "post", "site")
    assert pairs.group is not None
    by_id = dict(zip(pairs.participant_id, pairs.group, strict=True))
    assert by_id["c"] is None and by_id["a"] == "y"


def test_missing_columns_are_named():
    with pytest.raises(InputError, match="no column"):
        valid_scores(_scores().drop(columns="status"))
    with pytest.raises(InputError, match="'arm' is not in the scores"):
        valid_scores(_scores(), "arm")
    with pytest.raises(InputError, match="DataFrame"):
        valid_scores([1, 2])  # type: ignore[arg-type]


def test_duplicates_are_refused():
    dup = pd.concat([_scores(), _scores().iloc[[0]]])
    with pytest.raises(InputError, match="duplicated scores"):
        valid_scores(dup)


def test_unknown_wave_lists_the_waves_present():
    with pytest.raises(AnalysisError, match="'follow'") as err:
        check_waves(_scores(), ["pre", "follow"])
    assert "'post', 'pre'" in str(err.value)


def test_group_with_one_level_is_an_error():
    one = _scores().assign(site="x")
    with pytest.raises(AnalysisError, match="1 level"):
        group_levels(valid_scores(one, "site"), "site")
    assert group_levels(valid_scores(_scores(), "site"), "site") == ["x", "y", "z"]


def test_sorting_and_lookup_matching_agree(monkeypatch):
    import stigma_outcomes.comparison.pairing as pairing

    rng = np.random.default_rng(8)
    n = 500
    frame = pd.DataFrame(
        {
            "participant_id": [f"q{i}" for i in rng.permutation(n)] + [f"q{i}" for i in range(n)],
            "wave": ["pre"] * n + ["post"] * n,
            "instrument": "i",
            "scale": rng.choice(["s", "t"], 2 * n),
            "score": rng.normal(size=2 * n),
            "status": np.where(rng.random(2 * n) < 0.1, "missing", "ok"),
        }
    ).drop_duplicates(["participant_id", "wave", "scale"])
    valid = valid_scores(frame)
    by_lookup = pair_waves(valid, "pre", "post").to_frame()
    monkeypatch.setattr(pairing, "DIRECT_LOOKUP_LIMIT", 0)
    by_sorting = pair_waves(valid, "pre", "post").to_frame()
    key = ["scale", "participant_id"]
    pd.testing.assert_frame_equal(
        by_lookup.sort_values(key).reset_index(drop=True),
        by_sorting.sort_values(key).reset_index(drop=True),
    )
    assert len(by_lookup) > 100
