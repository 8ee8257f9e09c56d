"""Binding's counting on codes against the plain pandas operations they replace.

Each fast path (participants seen at one wave, repeated participant × wave keys, a
repeated ID deciding the layout, case folding of ASCII IDs) is compared with the pandas
expression it stands for, on random IDs and waves with missing values, as categoricals
and as plain text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigma_outcomes.ingest import layout
from stigma_outcomes.ingest._duplicates import _one_wave_rows, _repeated
from stigma_outcomes.ingest.binding import _casefold, id_strings

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_IDS = st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "A", " b"])), max_size=40)
_WAVES = st.lists(st.one_of(st.none(), st.sampled_from(["pre", "post", "fu"])), max_size=40)


def _as(values: list[str | None], categorical: bool) -> pd.Series:
    series = pd.Series(values, dtype="str")
    return series.astype("category") if categorical else series


@SETTINGS
@given(ids=_IDS, waves=_WAVES, categorical=st.booleans())
def test_one_wave_rows_equal_the_grouped_count(ids, waves, categorical) -> None:
    n = min(len(ids), len(waves))
    pid, wave = _as(ids[:n], categorical), _as(waves[:n], categorical)
    frame = pd.DataFrame({"participant_id": pid, "wave": wave})
    want = (
        frame.groupby("participant_id", sort=False, observed=True)["wave"]
        .transform("nunique")
        .to_numpy()
        == 1
    )
    np.testing.assert_array_equal(_one_wave_rows(pid, wave), want)


def test_one_wave_rows_with_many_waves_group_instead() -> None:
    # 3 IDs x 2,000 waves is a table much longer than the rows: the grouped path.
    rng = np.random.default_rng(1)
    pid = pd.Series(rng.choice(["x", "y", None], 300), dtype="str").astype("category")
    wave = pd.Series([f"w{i}" for i in rng.integers(0, 2000, 300)], dtype="str")
    wave[rng.random(300) < 0.1] = None
    frame = pd.DataFrame({"p": pid, "w": wave})
    want = frame.groupby("p", observed=True)["w"].transform("nunique").to_numpy() == 1
    np.testing.assert_array_equal(_one_wave_rows(pid, wave), want)


@SETTINGS
@given(keys=st.lists(st.integers(-3, 60), max_size=50), big=st.booleans())
def test_repeated_keys_equal_duplicated(keys, big) -> None:
    key = np.asarray(keys, dtype=np.int64) * (10**9 if big else 1)
    want = pd.Series(key).duplicated(keep=False).to_numpy()
    np.testing.assert_array_equal(_repeated(key), want)


@SETTINGS
@given(ids=st.lists(st.integers(0, 400), min_size=0, max_size=300), sample=st.integers(4, 64))
def test_layout_repeat_check_equals_duplicated(ids, sample) -> None:
    values = pd.Series([f"P{i}" for i in ids], dtype="str")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout, "_SAMPLE_ROWS", sample)
        assert layout._repeats(values) == bool(values.duplicated().any())


def test_layout_still_finds_a_repeat_outside_the_sample(monkeypatch) -> None:
    monkeypatch.setattr(layout, "_SAMPLE_ROWS", 4)
    values = pd.Series([f"P{i}" for i in range(40)] + ["P3"], dtype="str")
    assert not values.iloc[:: len(values) // 4].duplicated().any()
    assert layout._repeats(values)
    assert not layout._repeats(values.iloc[:-1])


_TEXT = st.one_of(
    st.none(),
    st.text(alphabet="AbZz09 _-", max_size=6),
    st.text(max_size=6),  # any Unicode: ß, İ, ﬁ, Greek finals take Python's own folding
)


@SETTINGS
@given(values=st.lists(_TEXT, max_size=30))
def test_casefold_equals_python_casefold(values) -> None:
    text = pd.Series(values, dtype="str")
    got = _casefold(text)
    want = text.str.casefold()
    assert got.dtype == want.dtype
    pd.testing.assert_series_equal(got, want)


def test_ids_casefolded_by_arrow_are_the_texts_python_makes() -> None:
    ids = pd.Series(["  Ab1 ", "AB1", None, "", "x"], dtype="str")
    folded = id_strings(ids, casefold=True)
    assert folded.isna().tolist() == [False, False, True, True, False]
    assert folded.dropna().tolist() == ["ab1", "ab1", "x"]
    assert id_strings(pd.Series(["STRASSE", "Straße"], dtype="str"), casefold=True).tolist() == [
        "strasse",
        "strasse",
    ]
