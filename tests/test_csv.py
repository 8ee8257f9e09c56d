"""`_csv.csv_body` writes the bytes of Arrow's CSV writer, formatting each distinct value once.

The reference is Arrow's writer itself, unquoted, on the same table: random tables of every
plain column type (floats with NaN, infinities, -0.0 and long fractions; integers of each
width, with and without missing values; booleans; text, empty text and missing text;
categoricals with missing and unused categories; all-missing columns), and columns of few,
many and functionally dependent values, so that columns are fused into pieces in every way.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigma_outcomes import _csv, _csv_digits, _csv_runs, _io
from stigma_outcomes._arrow_cells import integer_range
from stigma_outcomes._csv import csv_body

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _arrow_writer(table: pa.Table, delimiter: str = ",") -> bytes | None:
    sink = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
    try:
        pa_csv.write_csv(table, sink, options)
    except pa.ArrowInvalid:
        return None
    return sink.getvalue()


def _body(table: pa.Table, delimiter: str) -> bytes | None:
    parts = csv_body(table, delimiter)
    try:
        return None if parts is None else b"".join(parts)
    except _csv.NeedsQuoting:
        return None


_FLOATS = st.sampled_from(
    [0.0, -0.0, 1.5, 2.6, 1 / 3, 1e21, -1e-7, 123456789.125, np.nan, np.inf, -np.inf]
)
_TEXTS = st.sampled_from(["", "a", "P001", "=x", "-1", "é", " sp ", "x;y", "a\tb", "NA"])
_QUOTED = st.sampled_from(["a,b", 'q"', "l\nb", "r\rb"])


@st.composite
def _columns(draw: st.DrawFn, n: int) -> pd.Series:
    kind = draw(
        st.sampled_from(["float", "int", "Int", "digits", "bool", "text", "category", "null"])
    )
    few = draw(st.booleans())
    size = draw(st.integers(1, 3)) if few else n
    if kind == "float":
        pool = draw(st.lists(_FLOATS | st.floats(allow_nan=True), min_size=size, max_size=size))
        return pd.Series(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    if kind in ("int", "Int"):
        dtype = draw(st.sampled_from(["int8", "int16", "int32", "int64"]))
        info = np.iinfo(dtype)
        pool = draw(
            st.lists(st.integers(int(info.min), int(info.max)), min_size=size, max_size=size)
        )
        values = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
        if kind == "int":
            return pd.Series(np.array(values, dtype=dtype))
        mask = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return pd.Series(pd.arrays.IntegerArray(np.array(values, dtype=dtype), np.array(mask)))
    if kind == "digits":  # 0-9, some missing: neighbours of this kind are a digit run
        dtype = draw(st.sampled_from(["int8", "int16", "int64"]))
        values = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
        mask = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return pd.Series(pd.arrays.IntegerArray(np.array(values, dtype=dtype), np.array(mask)))
    if kind == "bool":
        return pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if kind == "null":
        return pd.Series([None] * n, dtype="string")
    pool = draw(st.lists(_TEXTS | st.text(max_size=4) | st.none(), min_size=size, max_size=size))
    values = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    if kind == "text":
        return pd.Series(values, dtype="string")
    unused = draw(st.lists(_TEXTS | _QUOTED, max_size=2))
    categories = list(dict.fromkeys([v for v in values if v is not None] + unused))
    return pd.Series(pd.Categorical(values, categories=categories))


@st.composite
def _tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    width = draw(st.integers(1, 9))
    frame = pd.DataFrame({f"c{i}": draw(_columns(n)) for i in range(width)})
    if draw(st.booleans()):
        # A column that follows another (as a score follows its raw score).
        frame["dep"] = frame.iloc[:, 0].astype("string").str.len()
    if draw(st.booleans()):
        # A copy of an earlier column, anywhere after it (as a raw score equals its score
        # where no conversion applies): coded once, shared by both.
        source = draw(st.integers(0, frame.shape[1] - 1))
        at = draw(st.integers(source + 1, frame.shape[1]))
        frame.insert(at, "twin", frame.iloc[:, source].copy())
    return frame


@SETTINGS
@given(frame=_tables(), delimiter=st.sampled_from([",", "\t", ";"]))
def test_the_bytes_of_arrows_writer(frame: pd.DataFrame, delimiter: str) -> None:
    table = _io._arrow_table(frame)
    want = _arrow_writer(table, delimiter)
    got = _body(table, delimiter)
    assert got == want  # None: the writer would quote, and the caller writes it quoted


@SETTINGS
@given(frame=_tables())
def test_every_fusing_limit_chunk_size_and_sample_gives_the_same_bytes(
    frame: pd.DataFrame,
) -> None:
    table = _io._arrow_table(frame)
    want = _arrow_writer(table)
    for limit in (1, 4, 1 << 22):
        for sample in (1, 2, 8192):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(_csv_runs, "LOOKUP_LIMIT", limit)
                patch.setattr(_csv, "_CHUNK_ROWS", limit + 1)
                patch.setattr(_csv, "_BLOCK_ROWS", sample + 2)
                # A tiny sample calls columns "mostly different values" (formatted cell by
                # cell), or hands the whole table to Arrow's writer when most are.
                patch.setattr(_csv, "_SAMPLE", sample)
                got = _body(table, ",")
                mostly_distinct = [
                    _csv._mostly_distinct(column.chunk(0)) for column in table.columns
                ]
            if got is None and want is not None:
                assert 4 * sum(mostly_distinct) > len(mostly_distinct)
            else:
                assert got == want


def test_an_unused_category_that_would_need_quotes_does_not_quote_the_table() -> None:
    column = pd.Categorical(["x", "y", "x"], categories=["x", "a,b", "y"])
    table = _io._arrow_table(pd.DataFrame({"g": column, "v": [1, 2, 3]}))
    assert _body(table, ",") == b"x,1\ny,2\nx,3\n" == _arrow_writer(table)


def test_tables_it_does_not_take() -> None:
    assert csv_body(pa.table({"d": pa.array([1], pa.date32())}), ",") is None
    chunked = pa.table({"a": pa.chunked_array([[1], [2]])})
    assert csv_body(chunked, ",") is None
    assert _body(pa.table({"a": pa.array([], pa.int8())}), ",") == b""


def test_write_table_falls_back_to_quoting(tmp_path) -> None:
    path = tmp_path / "t.csv"
    _io.write_table(pd.DataFrame({"a": ["x,y", "z"], "b": [1.5, None]}), path)
    assert path.read_bytes() == b'a,b\n"x,y",1.5\n"z",\n'


def test_a_text_needing_quotes_in_a_later_block_rewrites_the_table_quoted(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(_csv, "_BLOCK_ROWS", 2)
    frame = pd.DataFrame({"a": pd.array(["x", "y", "z", "u,v"], dtype="string"), "b": [1] * 4})
    parts = csv_body(_io._arrow_table(frame), ",")
    assert parts is not None  # the first block needs no quotes
    with pytest.raises(_csv.NeedsQuoting):
        b"".join(parts)
    path = tmp_path / "t.csv"
    _io.write_table(frame, path)
    assert path.read_bytes() == b'a,b\n"x",1\n"y",1\n"z",1\n"u,v",1\n'


def test_blocks_give_the_bytes_of_one_pass(monkeypatch) -> None:
    rng = np.random.default_rng(5)
    n = 5_000
    frame = pd.DataFrame(
        {
            "id": pd.Categorical([f"P{i // 6}" for i in range(n)]),
            "scale": pd.Categorical(rng.choice(["a", "b", None], n)),
            "score": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 40, n) / 4),
            "text": pd.array(rng.choice(["k", "l", None], n), dtype="string"),
        }
    )
    table = _io._arrow_table(frame)
    whole = _body(table, ",")
    assert whole == _arrow_writer(table)
    for block in (1, 7, 999, 4_999):
        monkeypatch.setattr(_csv, "_BLOCK_ROWS", block)
        assert _body(table, ",") == whole


def test_digit_runs_give_the_bytes_of_arrows_writer_at_any_offset(monkeypatch) -> None:
    # Sliced columns (bitmaps that start mid-byte), all-missing and never-missing columns,
    # a run that ends the line and one that does not, and slices of rows of every size.
    rng = np.random.default_rng(8)
    n = 1_000
    digits = {
        f"d{j}": pa.array(
            rng.integers(0, 10, n + 13).astype(np.int8), mask=rng.random(n + 13) < share
        ).slice(j % 13, n)
        for j, share in enumerate([0.0, 0.3, 1.0, 0.02, 0.5])
    }
    text = pa.array([f"P{i}" for i in range(n)])
    for table in (
        pa.table({"id": text, **digits}),
        pa.table({**digits, "id": text, "e": pa.array(rng.integers(0, 10, n))}),
        pa.table({"x": pa.array(rng.integers(10, 12, n)), **digits, "y": text}),
    ):
        want = _arrow_writer(table)
        for rows in (1, 7, 8, 999, 8_192):
            monkeypatch.setattr(_csv_digits, "_SLICE_ROWS", rows)
            assert _body(table, ",") == want
            assert _body(table, "\t") == _arrow_writer(table, "\t")


def _ranges(columns: list[pa.Array]) -> list[tuple[int, int] | None]:
    return [integer_range(column) for column in columns]


def test_what_makes_a_digit_run() -> None:
    ints = [pa.array([0, 9]), pa.array([None, 3], pa.int8()), pa.array([None, None], pa.int16())]
    assert _csv_digits.digit_runs(_ranges(ints), ",") == [range(0, 3)]
    assert _csv_digits.digit_runs(_ranges(ints), ",", shortest=4) == []
    assert _csv_digits.digit_runs(_ranges(ints), "0") == []  # a digit delimiter: ambiguous
    assert _csv_digits.digit_runs(_ranges(ints), "\xff") == []  # not one byte of UTF-8
    others = [pa.array([-1, 2]), pa.array([10, 1]), pa.array([1.0, 2.0]), pa.array(["1", "2"])]
    assert _csv_digits.digit_runs(_ranges([ints[0], *others, ints[1]]), ",") == []
    wide = [pa.array([1, None, 9], pa.int8())] * 300  # wider than a byte counts
    table = pa.table({f"c{i}": column for i, column in enumerate(wide)})
    assert _body(table, ",") == _arrow_writer(table)


def test_integers_of_a_short_span_at_the_ends_of_their_types(monkeypatch) -> None:
    # Coded by subtraction: the least and greatest of each type, a span crossing zero, and
    # uint64 beyond int64's range, with blanks, over several blocks.
    big = np.iinfo(np.uint64).max
    columns = {
        "i8": pa.array([-128, 127, None, 0, -1] * 3, pa.int8()),
        "i64": pa.array([2**63 - 1, 2**63 - 3, None, 2**63 - 2, 2**63 - 1] * 3, pa.int64()),
        "lo": pa.array([-(2**63), -(2**63) + 5, None, -(2**63), 0 - 2**63 + 1] * 3, pa.int64()),
        "u64": pa.array([big, big - 4000, None, big - 1, big] * 3, pa.uint64()),
    }
    table = pa.table({**columns, "t": pa.array(["x", "y", "z"] * 5)})
    want = _arrow_writer(table)
    for block in (2, 5, 1 << 19):
        monkeypatch.setattr(_csv, "_BLOCK_ROWS", block)
        assert _body(table, ",") == want


def test_codes_counting_up_give_the_bytes_of_a_take(monkeypatch) -> None:
    # A score table's IDs: each scale's rows list the people in order of appearance, so a
    # chunk's codes mostly count up by one (a slice of the texts) and sometimes wrap.
    people, scales = 700, 3
    frame = pd.DataFrame(
        {
            "id": pd.Categorical(np.tile([f"P{i:04d}" for i in range(people)], scales)),
            "scale": pd.Categorical(np.repeat(["a", "b", "c"], people)),
            "score": np.tile(np.arange(people) % 7 / 2, scales),
        }
    )
    table = _io._arrow_table(frame)
    want = _arrow_writer(table)
    sliced = []
    real = _csv_runs.Taken.text

    def spy(self, start: int, stop: int):  # type: ignore[no-untyped-def]
        out = real(self, start, stop)
        # a slice shares the texts' bytes; a take copies them
        sliced.append(out.buffers()[2].address == self.texts.buffers()[2].address)
        return out

    monkeypatch.setattr(_csv_runs.Taken, "text", spy)
    for rows in (1, 2, 256, 699, 700, 4096):
        monkeypatch.setattr(_csv, "_CHUNK_ROWS", rows)
        assert _body(table, ",") == want
    assert any(sliced) and not all(sliced)
