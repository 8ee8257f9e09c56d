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


def _encoded(column: pa.Array, delimiter: str) -> tuple[np.ndarray, pa.Array]:
    """Row codes, and the text of each code (as many codes as distinct values used)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column, null_encoding="encode")
    dictionary = column.dictionary
    indices = column.indices
    if indices.null_count:
        dictionary = pa.concat_arrays([dictionary, pa.nulls(1, dictionary.type)])
        indices = indices.fill_null(len(dictionary) - 1)
    codes = indices.to_numpy()
    try:
        return codes, _formatted(dictionary, delimiter)
    except _NeedsQuoting:
        # A categorical's unused categories are never written, so never need quoting.
        used = np.bincount(codes, minlength=len(dictionary)) > 0
        if used.all():
            raise
    rank = np.cumsum(used) - 1
    return rank[codes], _formatted(dictionary.filter(pa.array(used)), delimiter)


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

    def __init__(self, codes: np.ndarray, texts: pa.Array) -> None:
        self.key = codes
        self.size = len(texts)
        self.parts = [np.arange(len(texts))]
        self.texts = [texts]
        self._own = False  # whether ``key`` is this run's own array (changed in place)

    def absorb(self, codes: np.ndarray, texts: pa.Array, most: int) -> bool:
        """Fuse one more column if the combinations stay at most ``most`` (or do not grow)."""
        width = len(texts)
        if width == 1:
            self.parts.append(np.zeros(self.size, dtype=np.int64))
            self.texts.append(texts)
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
            self.key, self.size, self._own = combined, span, True
            self.parts = [part[grid // width] for part in self.parts] + [grid % width]
            self.texts.append(texts)
            return True
        key, combos = _compacted(combined, span)
        if len(combos) > max(most, self.size, width):
            if own:
                self.key -= codes
                self.key //= wide(width)
            return False
        self.key, self.size, self._own = key, len(combos), True
        self.parts = [part[combos // width] for part in self.parts] + [combos % width]
        self.texts.append(texts)
        return True

    def _compact(self) -> None:
        """Keep only the combinations that occur (before their texts are made)."""
        key, combos = _compacted(self.key, self.size)
        if len(combos) < self.size:
            self.key, self.size = key, len(combos)
            self.parts = [part[combos] for part in self.parts]

    def taken(self, delimiter: bytes, end: bytes) -> _Taken:
        """The text of each combination (its columns' texts joined, ``end`` appended),
        taken by each row's code."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if len(self.texts) > 1:
            self._compact()

        columns = [
            texts.take(pa.array(part)) for texts, part in zip(self.texts, self.parts, strict=True)
        ]
        if end:
            ends = pa.array([end] * self.size, pa.large_binary())
            nothing = pa.scalar(b"", pa.large_binary())
            columns[-1] = pc.binary_join_element_wise(columns[-1], ends, nothing)
        if len(columns) == 1:
            return _Taken(columns[0], self.key)
        joiner = pa.scalar(delimiter, pa.large_binary())
        return _Taken(pc.binary_join_element_wise(*columns, joiner), self.key)


_CHUNK_ROWS = 65_536
"""Lines made and handed on at a time: the output is never held whole."""


def csv_body(table: pa.Table, delimiter: str) -> Iterator[memoryview] | None:
    """The lines (no header) Arrow's CSV writer writes for ``table`` unquoted, or ``None``.

    The lines come in consecutive parts of at most ``_CHUNK_ROWS`` rows. ``None`` when the
    writer would have to quote (some used text holds the delimiter, a quote or a line
    break), when a column is not of a plain type, or when more than a quarter of the
    columns hold mostly different values (nothing to gain): then write with Arrow's writer.
    A column of mostly different values among others is formatted cell by cell, unhashed.

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
    distinct = [_mostly_distinct(values) for values in columns]
    if 4 * sum(distinct) > len(columns):
        return None  # mostly values met once: nothing to gain over Arrow's writer
    most = max(rows // 8, 1)
    last = table.num_columns - 1
    parts: list[_Run | _Sliced] = []
    try:
        for i, values in enumerate(columns):
            if distinct[i]:
                parts.append(_Sliced(_formatted(values, delimiter, newlines=i == last)))
                continue
            codes, texts = _encoded(values, delimiter)
            run = parts[-1] if parts else None
            if not isinstance(run, _Run) or not run.absorb(codes, texts, most):
                parts.append(_Run(codes, texts))
    except _NeedsQuoting:
        return None
    separator = delimiter.encode()
    pieces = [
        part if isinstance(part, _Sliced) else part.taken(separator, end)
        for part, end in zip(parts, [b""] * (len(parts) - 1) + [b"\n"], strict=True)
    ]
    return _lines(pieces, rows, separator)


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


def _lines(pieces: list[_Taken | _Sliced], rows: int, separator: bytes) -> Iterator[memoryview]:
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
