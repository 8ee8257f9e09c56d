"""The fast paths of `score` (issue 15) give the same answers and the same bytes as before.

Each optimised path is checked against the plain path it replaced, kept here as the
reference: decoding text held by Arrow against the distinct-value decoder; the CSV writer
(neutralisation decided once per category, Arrow rows written in two halves, numeric
columns not copied) against a cell-by-cell neutralisation and one Arrow pass; item
responses written from int8 codes against the float table ``keyed_items``. Inputs are
random exports (hypothesis). No timing is asserted anywhere.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.scoring.toy import toy_definition

import stigma_outcomes as so
from stigma_outcomes import _io
from stigma_outcomes._io import neutralise_cell, write_table
from stigma_outcomes.instruments import load_instrument, parse_instrument
from stigma_outcomes.scoring.decode import ItemDecoder

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TOY = parse_instrument(toy_definition())

# Cells a real export holds: labels as written and varied, codes as text, declared
# non-answers, blanks, numbers out of range, junk, and text a spreadsheet would run.
_TEXT = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "8", "9", "0", "5", "1.0", " 2", "3 ", "-1"]),
    st.sampled_from(["Strongly disagree", "disagree", "AGREE", "SA", "sd", " Agree "]),
    st.sampled_from(["Don't know", "prefer not to say", "Prefer not to say", ""]),
    st.sampled_from(["=1+1", "+2", "@x", "'q", "a,b", 'say "hi"', "x\ny", "Ünïcode"]),
    st.text(max_size=5),
    st.none(),
)


def _reference_decode(decoder: ItemDecoder, cells: list[str | None], compact: bool):
    """The distinct-value decoder on plain Python objects: the path before Arrow look-ups."""
    return decoder._decode_distinct(pd.Series(cells, dtype=object), compact)


@SETTINGS
@given(cells=st.lists(_TEXT, min_size=1, max_size=60), compact=st.booleans())
def test_text_decoding_matches_the_distinct_value_decoder(
    cells: list[str | None], compact: bool
) -> None:
    column = pd.Series(cells, dtype="str")  # Arrow-held text, as the reader gives it
    assert getattr(column.dtype, "storage", None) == "pyarrow"
    for item in TOY.items:
        for recode in (None, {"5": 4.0, "0": 1.0}):
            decoder = ItemDecoder.for_item(TOY, item, recode)
            got = decoder.decode(column, compact)
            want = _reference_decode(decoder, [c if c != "" else None for c in cells], compact)
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])


# A definition whose labels are digits ("3" means code 1) and whose declared non-answer is
# the text "9": single digits must be decoded as their text is, not as numbers.
_DIGIT_LABELS = ItemDecoder(
    codes=frozenset({1.0, 2.0, 3.0}),
    labels={"3": 1.0, "x": 2.0, "1": 3.0},
    missing_labels={"9": float("nan")},
    missing_codes={},
    texts=("3", "x", "1", "9"),
)


_DIGITS = st.sampled_from([*"0123456789", "12", "-1", "0x1", " 3", "3 ", "x", "٣"])


@settings(SETTINGS, max_examples=60)
@given(
    chunks=st.lists(st.lists(_DIGITS | _TEXT, max_size=20), min_size=1, max_size=4),
    compact=st.booleans(),
    sliced=st.booleans(),
)
def test_single_digits_read_from_arrow_bytes_decode_as_their_text(
    chunks: list[list[str | None]], compact: bool, sliced: bool
) -> None:
    # Arrow text in several chunks (as the CSV reader gives it) and sliced (an offset).
    cells = [c if c != "" else None for chunk in chunks for c in chunk]
    arrays = [pa.array(chunk, pa.large_string()) for chunk in chunks]
    if sliced and len(arrays[0]) > 1:
        arrays[0] = arrays[0].slice(1)
        cells = cells[1:]
    column = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(arrays, pa.large_string())))
    if not len(column):
        return
    decoders = [_DIGIT_LABELS, *(ItemDecoder.for_item(TOY, item) for item in TOY.items)]
    for decoder in decoders:
        got = decoder.decode(column, compact)
        want = _reference_decode(decoder, [c if c != "" else None for c in cells], compact)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


def test_single_byte_keys_at_every_offset() -> None:
    # A slice starts mid-buffer: keys come from the offsets at the slice's start.
    from stigma_outcomes.scoring.decode import _single_bytes

    rng = np.random.default_rng(3)
    pool = np.array([*"0123456789", "12", "x", "é", "", None], dtype=object)
    cells = list(rng.choice(pool, 200))
    whole = pa.array(cells, pa.large_string())
    for start in range(17):
        for length in (0, 1, 9, 64, 183 - start):
            part = whole.slice(start, length)
            want = [
                ord(c) if c is not None and len(c.encode()) == 1 else None
                for c in cells[start : start + length]
            ]
            for kind in (pa.large_string(), pa.string()):
                keys = _single_bytes(part.cast(kind)).tolist()
                # one-byte cells keep their byte; every other cell has a key of 128 or more
                assert [k if k < 128 else None for k in keys] == want
    assert _single_bytes(pa.array([1, 2])) is None


def _reference_texts(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    risky = text.str.match(r"^['=+\-@\t\r]").fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    fixed = values.astype("object").copy()
    fixed[risky] = [neutralise_cell(v) for v in fixed[risky]]
    return fixed


def _reference_csv(frame: pd.DataFrame) -> bytes:
    """How tables were written before issue 15: a deep copy, every category in Python."""
    import csv

    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
                renamed = [neutralise_cell(c) for c in categories]
                if renamed != list(categories):
                    out[col] = series.cat.rename_categories(renamed)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = _reference_texts(series)
    out.columns = [neutralise_cell(c) for c in out.columns]
    prepared = out.copy()
    for col in prepared.columns:
        if prepared[col].dtype == object:
            prepared[col] = prepared[col].astype("string")
    prepared.columns = [str(c) for c in prepared.columns]
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(prepared.columns)
    table = pa.Table.from_pandas(prepared, preserve_index=False)
    body = io.BytesIO()
    try:
        pa_csv.write_csv(
            table, body, pa_csv.WriteOptions(include_header=False, quoting_style="none")
        )
    except pa.ArrowInvalid:
        body = io.BytesIO()
        options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
        pa_csv.write_csv(table, body, options)
    return header.getvalue().encode() + body.getvalue()


@st.composite
def toy_exports(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    ids = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["=cmd", "-5", "+x", "'q", "a,b", "@me"]), st.text(max_size=4)
            ),
            min_size=n,
            max_size=n,
        )
    )
    data: dict[str, list[object]] = {"participant_id": [f"{v}#{i}" for i, v in enumerate(ids)]}
    data["site"] = draw(
        st.lists(st.sampled_from(["north", "=south", "-1", "a b"]), min_size=n, max_size=n)
    )
    for item in TOY.item_ids:
        data[f"toy_{item}"] = draw(st.lists(_TEXT, min_size=n, max_size=n))
    return pd.DataFrame(data)


@SETTINGS
@given(export=toy_exports(), split=st.booleans())
def test_score_outputs_are_the_bytes_of_the_plain_writer(
    export: pd.DataFrame, split: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a small threshold, even these short tables are written in two halves.
    monkeypatch.setattr(_io, "_PARALLEL_ROWS", 2 if split else 200_000)
    monkeypatch.setattr(_io.os, "cpu_count", lambda: 2)
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    result = so.score(str(path), [TOY], carry=["site"], id_col="participant_id")
    for name, frame in (("scores", result.scores), ("ledger", result.ledger)):
        target = tmp_path / f"{name}.csv"
        write_table(frame, target)
        assert target.read_bytes() == _reference_csv(frame), name
    items = tmp_path / "items.csv"
    result.write_items(items)
    assert items.read_bytes() == _reference_csv(result.keyed_items)


def test_items_written_from_codes_read_back_as_keyed_items(tmp_path: Path) -> None:
    ucla = load_instrument("ucla3")
    frame = pd.DataFrame(
        {"id": ["a", "b", "c"], "ucla3_1": [1, None, 3], "ucla3_2": ["Often", "2", ""],
         "ucla3_3": [2, 2, 9]}
    )  # fmt: skip
    result = so.score(frame, [ucla])
    assert result.keyed["ucla3_1"].dtype == np.int8  # the compact path is the one tested
    path = tmp_path / "items.csv"
    result.write_items(path)
    assert path.read_text().splitlines() == [
        "participant_id,wave,ucla3_1,ucla3_2,ucla3_3",
        "a,1,1,3,2",
        "b,1,,2,2",
        "c,1,3,,",
    ]
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(
        back.drop(columns=["participant_id", "wave"]),
        result.keyed_items.drop(columns=["participant_id", "wave"]).reset_index(drop=True),
        check_dtype=False,
    )


def test_items_to_excel_and_parquet_keep_the_float_table(tmp_path: Path) -> None:
    result = so.score(pd.DataFrame({"id": ["a"], "ucla3_1": [1], "ucla3_2": [2], "ucla3_3": [3]}))
    result.write_items(tmp_path / "items.parquet")
    items = result.keyed_items
    assert isinstance(items["participant_id"].dtype, pd.CategoricalDtype)
    # The file holds IDs and waves as plain text, as it always has.
    plain = items.assign(**{k: items[k].to_numpy() for k in ("participant_id", "wave")})
    back = pd.read_parquet(tmp_path / "items.parquet")
    assert not isinstance(back["participant_id"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(back, plain, check_dtype=False)


@SETTINGS
@given(
    shape=st.tuples(st.integers(1, 12), st.integers(1, 40), st.integers(1, 5)),
    seed=st.integers(0, 2**32 - 1),
)
def test_int8_scale_totals_equal_the_float_products(shape: tuple[int, int, int], seed: int) -> None:
    from stigma_outcomes.scoring._numerics import _totals
    from stigma_outcomes.scoring.decode import NO_ANSWER, as_float_codes

    items, rows, scales = shape
    rng = np.random.default_rng(seed)
    keyed = rng.integers(-127, 128, size=(items, rows)).astype(np.int8)
    keyed[rng.random(keyed.shape) < 0.3] = NO_ANSWER
    weights = (rng.random((scales, items)) < 0.5).astype(float)
    got = _totals(keyed, weights, compact=True)
    want = _totals(as_float_codes(keyed), weights, compact=False)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert got[1].dtype == want[1].dtype


def _per_scale_by_groupby(scores: pd.DataFrame) -> list[dict[str, object]]:
    """The plain path the counted summary replaced: a grouped aggregation."""
    ok = (scores["status"] == "ok").to_numpy(dtype=bool)
    counted = pd.DataFrame(
        {"instrument": scores["instrument"], "scale": scores["scale"], "ok": ok,
         "not_ok": ~ok, "score": scores["score"]}
    )  # fmt: skip
    per_scale = (
        counted.groupby(["instrument", "scale"], observed=True, sort=False)
        .agg(n_ok=("ok", "sum"), n_no_score=("not_ok", "sum"), mean=("score", "mean"))
        .reset_index()
    )
    return [
        {"instrument": str(r.instrument), "scale": str(r.scale), "n_ok": int(r.n_ok),
         "n_no_score": int(r.n_no_score),
         "mean": None if pd.isna(r.mean) else round(float(r.mean), 4)}
        for r in per_scale.itertuples()
    ]  # fmt: skip


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["ucla3", "gbs", "ismi29", None]),
            st.sampled_from(["total", "alienation", "belonging"]),
            st.sampled_from(["ok", "no_score", "not_given"]),
            st.one_of(st.none(), st.integers(0, 400).map(lambda v: v / 8)),
        ),
        min_size=1,
        max_size=60,
    ),
    categorical=st.booleans(),
)
def test_the_summary_per_scale_equals_the_grouped_aggregation(
    rows: list[tuple[object, ...]], categorical: bool
) -> None:
    from stigma_outcomes.scoring.result import _per_scale

    scores = pd.DataFrame(rows, columns=["instrument", "scale", "status", "score"])
    scores["score"] = scores["score"].astype(float)
    if categorical:
        for column in ("instrument", "scale", "status"):
            # categories in another order than the rows, and one never used
            scores[column] = pd.Categorical(
                scores[column], categories=[*sorted(scores[column].dropna().unique())[::-1], "x"]
            )
    assert _per_scale(scores) == _per_scale_by_groupby(scores)


@SETTINGS
@given(codes=st.lists(st.integers(-128, 127), max_size=60))
def test_float_codes_equal_the_masked_floats(codes: list[int]) -> None:
    from stigma_outcomes.scoring.decode import NO_ANSWER, as_float_codes

    compact = np.asarray(codes, dtype=np.int8)
    want = np.where(compact == NO_ANSWER, np.nan, compact.astype(float))
    got = as_float_codes(compact)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, want)


@SETTINGS
@given(codes=st.lists(st.integers(-128, 127), max_size=60), compact=st.booleans())
def test_float_codes_written_into_a_given_array_equal_those_returned(
    codes: list[int], compact: bool
) -> None:
    from stigma_outcomes.scoring.decode import as_float_codes

    given_codes = np.asarray(codes, dtype=np.int8 if compact else float)
    out = np.full(len(codes), 7.5)
    got = as_float_codes(given_codes, out=out)
    assert got is out
    np.testing.assert_array_equal(got, as_float_codes(given_codes))


@SETTINGS
@given(
    seed=st.integers(0, 2**16),
    items=st.sampled_from([3, 12, 300]),
    neighbours=st.booleans(),
)
def test_compact_totals_equal_the_float_totals(seed: int, items: int, neighbours: bool) -> None:
    # int8 sums (narrow under 256 items, wide above; a view for neighbouring items) against
    # the float path's masked products, on codes at both ends of int8.
    from stigma_outcomes.scoring._numerics import _totals
    from stigma_outcomes.scoring.decode import NO_ANSWER, as_float_codes

    rng = np.random.default_rng(seed)
    keyed = rng.integers(-127, 128, size=(items, 40)).astype(np.int8)
    keyed[rng.random(keyed.shape) < 0.3] = NO_ANSWER
    keyed[:, 0] = NO_ANSWER  # a respondent who answered nothing
    keyed[:, 1] = 127
    weights = np.zeros((3, items))
    weights[0] = 1.0
    if neighbours:
        weights[1, 1 : items // 2 + 1] = 1.0
    else:
        weights[1, ::2] = 1.0
    weights[2, rng.choice(items, size=max(items // 3, 1), replace=False)] = 1.0
    compact_totals, compact_counts = _totals(keyed, weights, compact=True)
    float_totals, float_counts = _totals(as_float_codes(keyed), weights, compact=False)
    np.testing.assert_array_equal(compact_totals, float_totals)
    np.testing.assert_array_equal(compact_counts, float_counts)
