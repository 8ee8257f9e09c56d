"""Properties of scoring that must hold for any input (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.scoring.toy import toy_definition

import stigma_outcomes as so
from stigma_outcomes.instruments import load_instrument, parse_instrument

CORE = ["ucla3", "ismi29", "gbs"]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _cell(instrument_id: str) -> st.SearchStrategy[object]:
    inst = load_instrument(instrument_id)
    options = inst.response_scales[inst.items[0].scale]
    labels = [o.label for o in options]
    codes = [o.code for o in options]
    return st.one_of(
        st.sampled_from(codes),
        st.sampled_from(labels).map(lambda s: s.upper()),
        st.sampled_from(labels).map(lambda s: f"  {s} "),
        st.sampled_from(codes).map(str),
        st.none(),
        st.integers(-3, 12),
        st.text(max_size=4),
    )


@st.composite
def exports(draw: st.DrawFn, instrument_id: str) -> pd.DataFrame:
    inst = load_instrument(instrument_id)
    n = draw(st.integers(1, 12))
    cells = _cell(instrument_id)
    data: dict[str, list[object]] = {"participant_id": [f"p{i}" for i in range(n)]}
    for item in inst.item_ids:
        data[f"{instrument_id}_{item}"] = draw(st.lists(cells, min_size=n, max_size=n))
    return pd.DataFrame(data)


@SETTINGS
@given(data=st.data(), instrument_id=st.sampled_from(CORE))
def test_every_score_lies_in_the_scale_range(data: st.DataObject, instrument_id: str) -> None:
    df = data.draw(exports(instrument_id))
    result = so.score(df, [instrument_id])
    inst = load_instrument(instrument_id)
    for scale in inst.scales:
        values = result.scores.loc[result.scores["scale"] == scale.id, "score"].dropna()
        assert values.between(scale.range[0] - 1e-9, scale.range[1] + 1e-9).all()
    ok = result.scores["status"] == "ok"
    assert result.scores.loc[ok, "score"].notna().all()
    assert result.scores.loc[~ok, "score"].isna().all()


@SETTINGS
@given(data=st.data(), instrument_id=st.sampled_from(CORE), seed=st.integers(0, 2**16))
def test_shuffling_rows_and_columns_changes_no_score(
    data: st.DataObject, instrument_id: str, seed: int
) -> None:
    df = data.draw(exports(instrument_id))
    rng = np.random.default_rng(seed)
    shuffled = df.iloc[rng.permutation(len(df)), rng.permutation(df.shape[1])]
    key = ["participant_id", "scale"]

    def by_participant(frame: pd.DataFrame) -> pd.Series:
        # IDs are categoricals in order of first appearance; compare them as text.
        return frame.astype({"participant_id": str}).set_index(key)["score"].sort_index()

    a = by_participant(so.score(df, [instrument_id]).scores)
    b = by_participant(so.score(shuffled, [instrument_id]).scores)
    pd.testing.assert_series_equal(a, b)


def _double_reversed() -> object:
    definition = toy_definition()
    # Two copies of one reversed item: the second receives the first one's keyed value.
    definition["items"] = [
        definition["items"][1] | {"id": "a"},
        definition["items"][1] | {"id": "b"},
    ]
    definition["scales"] = [
        {
            "id": "a",
            "name": "a",
            "items": ["a"],
            "method": "sum",
            "min_answered": 1,
            "direction": "higher_is_better",
            "range": [1, 4],
        }
    ]
    definition["alerts"] = []
    return parse_instrument(definition, "double.yaml")


@SETTINGS
@given(codes=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=30))
def test_reversing_twice_is_the_identity(codes: list[int]) -> None:
    inst = _double_reversed()
    first = so.score(
        pd.DataFrame({"participant_id": range(len(codes)), "toy_a": codes, "toy_b": codes}), [inst]
    ).keyed_items["toy_a"]
    again = so.score(
        pd.DataFrame({"participant_id": range(len(codes)), "toy_a": first, "toy_b": first}), [inst]
    ).keyed_items["toy_a"]
    assert again.tolist() == [float(c) for c in codes]
    assert (first + pd.Series(codes, dtype=float) == 5).all()


@SETTINGS
@given(
    rows=st.lists(
        st.lists(st.sampled_from([1, 2, 3, 4]), min_size=4, max_size=4), min_size=1, max_size=20
    )
)
def test_mean_times_k_equals_sum_with_complete_data(rows: list[list[int]]) -> None:
    from tests.scoring.toy import toy_instrument

    data = {"participant_id": [f"p{i}" for i in range(len(rows))]}
    for j in range(4):
        data[f"toy_{j + 1}"] = [r[j] for r in rows]
    data["toy_5"] = [1] * len(rows)
    scores = so.score(pd.DataFrame(data), [toy_instrument()]).scores
    by_scale = {
        s: scores.loc[scores["scale"] == s, "raw_score"].to_numpy()
        for s in ("sum4", "mean4", "prorated4")
    }
    np.testing.assert_allclose(by_scale["mean4"] * 4, by_scale["sum4"])
    np.testing.assert_allclose(by_scale["prorated4"], by_scale["sum4"])


@SETTINGS
@given(
    ids=st.lists(st.sampled_from(["a", "b", "c", " a", "", None, "d"]), min_size=1, max_size=25),
    policy=st.sampled_from(["keep-last-complete", "keep-first"]),
)
def test_rows_in_equal_rows_scored_plus_rows_excluded(ids: list[object], policy: str) -> None:
    n = len(ids)
    rng = np.random.default_rng(n)
    df = pd.DataFrame(
        {
            "participant_id": ids,
            **{f"ucla3_{i}": rng.choice([1, 2, 3, None], size=n) for i in (1, 2, 3)},
        }
    )
    result = so.score(df, ["ucla3"], duplicates=policy)
    assert result.rows_in == n
    assert result.rows_in == result.rows_scored + result.rows_excluded
    assert result.scores["participant_id"].is_unique
    assert sum(result.excluded_by_reason().values()) == result.rows_excluded
