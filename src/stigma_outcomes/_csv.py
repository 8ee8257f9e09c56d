"""CSV lines of an Arrow table, each distinct value formatted once (issue 15).

A score table of a million rows holds a few hundred distinct scores, counts and labels, and
one participant ID per six rows; Arrow's CSV writer formats every cell anew. Here each
column is dictionary-encoded, each *used* dictionary entry is formatted by Arrow's own CSV
writer (so the text is the writer's, byte for byte), and runs of neighbouring columns whose
combined values stay few are fused: a combination of values is formatted once, as one piece
of the line. A line is then a handful of pieces taken by index and joined in Arrow's C++
code (``take``, ``binary_join_element_wise``), whose output buffer is the file's body.

Only tables the writer would write without quoting take this path (no used text holds the
delimiter, a quote or a line break) and only columns of plain types (numbers, booleans,
text, dictionaries of them), and tables most of whose columns repeat values;
:func:`csv_body` returns ``None`` for anything else, and the caller writes with Arrow's
writer as before. ``tests/test_csv.py`` compares the bytes with
Arrow's writer on random tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ._csv_digits import DigitBlock, DigitRun, digit_runs

if TYPE_CHECKING:
    import pyarrow as pa

_LOOKUP_LIMIT = 1 << 22
"""Combined codes below this are compacted through a table of flags, not a hash."""


class _NeedsQuoting(Exception):
    """A used value holds the delimiter, a quote or a line break."""


def _plain_type(kind: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        return _plain_type(kind.value_type)
    return (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_null(kind)
    )


def _formatted(values: pa.Array, delimiter: str, newlines: bool = False) -> pa.Array:
    """Each value as Arrow's CSV writer writes it unquoted, as a binary array (each with its
    line break when ``newlines``)."""
    import io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    sink = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
    try:
        pa_csv.write_csv(pa.table({"v": values}), sink, options)
    except pa.ArrowInvalid:
        raise _NeedsQuoting from None
    text = np.frombuffer(sink.getbuffer(), dtype=np.uint8)
    ends = np.flatnonzero(text == ord("\n"))
    if len(ends) != len(values) or (len(text) and ends[-1] != len(text) - 1):
        raise _NeedsQuoting  # never expected: an unquoted value holds no line break
    # Value i is the text between line break i - 1 and line break i.
    starts = np.concatenate([[0], ends[:-1] + 1])
    if newlines:
        offsets, data = np.concatenate([starts, [len(text)]]), text
    else:
        keep = np.ones(len(text), dtype=bool)
        keep[ends] = False
        offsets = np.concatenate([starts - np.arange(len(starts)), [len(text) - len(ends)]])
        data = text[keep]
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(values),
        [None, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(data)],
    )


_SAMPLE = 8192
"""Rows of a long column looked at to tell a column of few values from one of many."""


def _mostly_distinct(column: pa.Array) -> bool:
    """Whether a long column (not a categorical) holds mostly different values: hashing it
    would cost more than formatting every cell, so it is formatted cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type) or len(column) <= 2 * _SAMPLE:
        return False
    distinct = pc.count_distinct(column.slice(0, _SAMPLE), mode="all").as_py()
    return distinct > _SAMPLE // 2


_INTEGER_SPAN = 4096
"""Integer columns whose values span at most this many numbers are coded by subtraction."""


class _Coded:
    """A column of few values, cut into blocks: each block's row codes, and the text of each
    code. A dictionary's texts are made once for the whole table (a block's rows use codes
    of the same dictionary), and so are those of integers of a short span (coded by
    subtraction, not hashed); other columns are encoded block by block."""

    def __init__(self, column: pa.Array, delimiter: str) -> None:
        import pyarrow as pa

        self.column, self.delimiter = column, delimiter
        self.texts: pa.Array | None = None
        self.rank: np.ndarray | None = None
        self.null_code: int | None = None
        self.lowest: np.int64 | None = None
        if pa.types.is_integer(column.type):
            self._integer_span()
        if not pa.types.is_dictionary(column.type):
            return
        dictionary = column.dictionary
        if column.indices.null_count:
            dictionary = pa.concat_arrays([dictionary, pa.nulls(1, dictionary.type)])
            self.null_code = len(dictionary) - 1
        try:
            self.texts = _formatted(dictionary, delimiter)
        except _NeedsQuoting:
            # A categorical's unused categories are never written, so never need quoting.
            used = np.bincount(self._codes(column), minlength=len(dictionary)) > 0
            if used.all():
                raise
            self.rank = np.cumsum(used) - 1
            self.texts = _formatted(dictionary.filter(pa.array(used)), delimiter)

    def _integer_span(self) -> None:
        """Texts of every whole number from the column's least to its greatest (and a
        blank), made once, when they are few."""
        import pyarrow as pa
        import pyarrow.compute as pc

        low, high = (value.as_py() for value in pc.min_max(self.column).values())
        if low is None or high - low >= _INTEGER_SPAN:
            return
        kind = np.dtype(self.column.type.to_pandas_dtype())
        # In int64 arithmetic, which wraps: a uint64 beyond int64's range comes back whole
        # when cast to the column's type, and differences below the span are exact.
        lowest = np.array([low], dtype=kind).astype(np.int64)[0]
        numbers = pa.array((np.arange(high - low + 1, dtype=np.int64) + lowest).astype(kind))
        if self.column.null_count:
            numbers = pa.concat_arrays([numbers, pa.nulls(1, numbers.type)])
            self.null_code = high - low + 1
        self.lowest, self.texts = lowest, _formatted(numbers, self.delimiter)

    def _codes(self, part: pa.Array) -> np.ndarray:
        if self.lowest is not None:
            codes = part.fill_null(0).to_numpy().astype(np.int64)
            with np.errstate(over="ignore"):
                codes -= self.lowest
            if part.null_count:
                codes[part.is_null().to_numpy(zero_copy_only=False)] = self.null_code
            return codes
        indices = part.indices
        if indices.null_count:
            indices = indices.fill_null(self.null_code)
        return indices.to_numpy()

    def block(self, start: int, stop: int) -> tuple[np.ndarray, pa.Array, bool]:
        """Row codes of rows ``start:stop``, the text of each code, and whether those texts
        are the whole table's (the same object for every block)."""
        import pyarrow.compute as pc

        part = self.column.slice(start, stop - start)
        if self.texts is not None:
            codes = self._codes(part)
            return (codes if self.rank is None else self.rank[codes]), self.texts, True
        encoded = pc.dictionary_encode(part, null_encoding="encode")
        codes, texts, _ = _Coded(encoded, self.delimiter).block(0, len(part))
        return codes, texts, False


def _compacted(combined: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes renumbered 0, 1, … over the values that occur, and those values, ascending."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if span <= _LOOKUP_LIMIT:
        seen = np.zeros(span, dtype=bool)
        seen[combined] = True
        rank = np.cumsum(seen, dtype=np.int32) - 1
        return np.take(rank, combined), np.flatnonzero(seen)
    encoded = pc.dictionary_encode(pa.array(combined))
    return encoded.indices.to_numpy(), encoded.dictionary.to_numpy()


class _Run:
    """Neighbouring columns fused into one piece of the line: a code per row (``key``), and
    per code the code of each column (``parts``)."""

    def __init__(self, codes: np.ndarray, texts: pa.Array, whole: bool = False) -> None:
        self.key = codes
        self.size = len(texts)
        self.parts = [np.arange(len(texts))]
        self.texts = [texts]
        self._own = False  # whether ``key`` is this run's own array (changed in place)
        # Whether every text is the whole table's and the codes are the first column's:
        # then the run's texts are the same in every block (made once, see ``taken``).
        self.whole = whole

    def absorb(self, codes: np.ndarray, texts: pa.Array, most: int, whole: bool = False) -> bool:
        """Fuse one more column if the combinations stay at most ``most`` (or do not grow)."""
        width = len(texts)
        if width == 1:
            self.parts.append(np.zeros(self.size, dtype=np.int64))
            self.texts.append(texts)
            self.whole = self.whole and whole
            return True
        if self.size > most:
            return False
        span = self.size * width
        wide = np.int32 if span < 2**31 else np.int64
        # The run's own key is changed in place (and changed back if the column is refused).
        own = self._own and self.key.dtype == wide and self.key.flags.writeable
        combined = self.key if own else self.key.astype(wide)
        combined *= wide(width)
        combined += codes
        if span <= most:
            # Few enough whatever occurs: every combination keeps its place, uncounted.
            grid = np.arange(span)
            self.key, self.size, self._own, self.whole = combined, span, True, False
            self.parts = [part[grid // width] for part in self.parts] + [grid % width]
            self.texts.append(texts)
            return True
        key, combos = _compacted(combined, span)
        if len(combos) > max(most, self.size, width):
            if own:
                self.key -= codes
                self.key //= wide(width)
            return False
        self.key, self.size, self._own, self.whole = key, len(combos), True, False
        self.parts = [part[combos // width] for part in self.parts] + [combos % width]
        self.texts.append(texts)
        return True

    def _compact(self) -> None:
        """Keep only the combinations that occur (before their texts are made)."""
        key, combos = _compacted(self.key, self.size)
        if len(combos) < self.size:
            self.key, self.size = key, len(combos)
            self.parts = [part[combos] for part in self.parts]

    def taken(self, delimiter: bytes, end: bytes, made: dict) -> _Taken:
        """The text of each combination (its columns' texts joined, ``end`` appended),
        taken by each row's code. A run of the whole table's texts is joined once for every
        block (kept in ``made``); any other keeps only the combinations that occur."""
        if self.whole:
            # The texts live as long as the table's columns: their ids name them.
            name = (*map(id, self.texts), end)
            if name not in made:
                made[name] = self._joined(delimiter, end)
            return _Taken(made[name], self.key)
        if len(self.texts) > 1:
            self._compact()
        return _Taken(self._joined(delimiter, end), self.key)

    def _joined(self, delimiter: bytes, end: bytes) -> pa.Array:
        import pyarrow as pa
        import pyarrow.compute as pc

        columns = [
            texts.take(pa.array(part)) for texts, part in zip(self.texts, self.parts, strict=True)
        ]
        if end:
            ends = pa.array([end] * self.size, pa.large_binary())
            nothing = pa.scalar(b"", pa.large_binary())
            columns[-1] = pc.binary_join_element_wise(columns[-1], ends, nothing)
        if len(columns) == 1:
            return columns[0]
        joiner = pa.scalar(delimiter, pa.large_binary())
        return pc.binary_join_element_wise(*columns, joiner)


_CHUNK_ROWS = 65_536
"""Lines made and handed on at a time: the output is never held whole."""

_BLOCK_ROWS = 1 << 19
"""Rows whose codes are made at a time. The codes and fused keys of a whole 11M-row score
table took ~260 MB; a block's take a twentieth of that, so the scores can be written while the
comparison holds its own arrays (issue 15)."""


class NeedsQuoting(Exception):
    """Raised by :func:`csv_body`'s lines when a text of a later block needs quoting: the
    lines handed on so far are void, and the table is written quoted instead."""


def csv_body(table: pa.Table, delimiter: str) -> Iterator[memoryview] | None:
    """The lines (no header) Arrow's CSV writer writes for ``table`` unquoted, or ``None``.

    The lines come in consecutive parts of at most ``_CHUNK_ROWS`` rows. ``None`` when the
    writer would have to quote (some used text holds the delimiter, a quote or a line
    break), when a column is not of a plain type, or when more than a quarter of the
    columns hold mostly different values (nothing to gain): then write with Arrow's writer.
    A column of mostly different values among others is formatted cell by cell, unhashed.
    Rows are coded in blocks of ``_BLOCK_ROWS``; a text of a block after the first that
    needs quoting (a text column that is not a categorical) raises :class:`NeedsQuoting`
    from the iterator.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = pa.table({"a": ["x", "y", "x"], "b": [1.5, None, 1.5]})
    >>> b"".join(csv_body(t, ","))
    b'x,1.5\\ny,\\nx,1.5\\n'
    >>> csv_body(pa.table({"a": ["x,y"]}), ",") is None
    True
    """
    rows = table.num_rows
    if table.num_columns == 0 or any(
        column.num_chunks != 1 or not _plain_type(column.type) for column in table.columns
    ):
        return None
    columns = [column.chunk(0) for column in table.columns]
    runs = {run.start: run for run in digit_runs(columns, delimiter)}
    in_runs = {i for run in runs.values() for i in run}
    distinct = [i not in in_runs and _mostly_distinct(values) for i, values in enumerate(columns)]
    if 4 * sum(distinct) > len(columns):
        return None  # mostly values met once: nothing to gain over Arrow's writer
    try:
        prepared: list[pa.Array | _Coded | DigitRun] = []
        for i, values in enumerate(columns):
            if i in runs:
                run = runs[i]
                ends_line = run.stop == len(columns)
                prepared.append(DigitRun([columns[j] for j in run], delimiter, ends_line))
            elif i not in in_runs:
                prepared.append(values if distinct[i] else _Coded(values, delimiter))
        # The first block is coded here, so that a table of one block is refused up front.
        made: dict = {}
        first = _pieces(prepared, 0, min(rows, _BLOCK_ROWS), delimiter, made)
    except _NeedsQuoting:
        return None
    return _blocks(first, prepared, rows, delimiter, made)


def _pieces(
    prepared: list[pa.Array | _Coded | DigitRun],
    start: int,
    stop: int,
    delimiter: str,
    made: dict,
) -> list[_Piece]:
    """The pieces of the lines of rows ``start:stop``: neighbouring coded columns fused
    (``made``: the texts of whole-table runs, kept from block to block)."""
    most = max((stop - start) // 8, 1)
    last = len(prepared) - 1
    parts: list[_Run | _Piece] = []
    for i, column in enumerate(prepared):
        if isinstance(column, DigitRun):
            parts.append(column.block(start))
            continue
        if not isinstance(column, _Coded):
            part = column.slice(start, stop - start)
            parts.append(_Sliced(_formatted(part, delimiter, newlines=i == last)))
            continue
        codes, texts, whole = column.block(start, stop)
        run = parts[-1] if parts else None
        if not isinstance(run, _Run) or not run.absorb(codes, texts, most, whole):
            parts.append(_Run(codes, texts, whole))
    separator = delimiter.encode()
    return [
        part.taken(separator, end, made) if isinstance(part, _Run) else part
        for part, end in zip(parts, [b""] * (len(parts) - 1) + [b"\n"], strict=True)
    ]


def _blocks(
    first: list[_Piece],
    prepared: list[pa.Array | _Coded | DigitRun],
    rows: int,
    delimiter: str,
    made: dict,
) -> Iterator[memoryview]:
    separator = delimiter.encode()
    yield from _lines(first, min(rows, _BLOCK_ROWS), separator)
    for start in range(_BLOCK_ROWS, rows, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, rows)
        try:
            pieces = _pieces(prepared, start, stop, delimiter, made)
        except _NeedsQuoting:
            raise NeedsQuoting from None
        yield from _lines(pieces, stop - start, separator)


class _Sliced:
    """A piece of every line that is one column's text, row by row."""

    def __init__(self, texts: pa.Array) -> None:
        self.texts = texts

    def text(self, start: int, stop: int) -> pa.Array:
        return self.texts.slice(start, stop - start)


class _Taken:
    """A piece of every line: a text per code, and each row's code."""

    def __init__(self, texts: pa.Array, key: np.ndarray) -> None:
        self.texts, self.key = texts, key

    def text(self, start: int, stop: int) -> pa.Array:
        import pyarrow as pa

        return self.texts.take(pa.array(self.key[start:stop]))


_Piece = _Taken | _Sliced | DigitBlock
"""A piece of every line, each row's text of it taken with ``text(start, stop)``."""


def _lines(pieces: list[_Piece], rows: int, separator: bytes) -> Iterator[memoryview]:
    import pyarrow as pa
    import pyarrow.compute as pc

    joiner = pa.scalar(separator, pa.large_binary())
    for start in range(0, rows, _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, rows)
        parts = [piece.text(start, stop) for piece in pieces]
        lines = pc.binary_join_element_wise(*parts, joiner) if len(parts) > 1 else parts[0]
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
        first, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
        yield memoryview(lines.buffers()[2])[first:end]
