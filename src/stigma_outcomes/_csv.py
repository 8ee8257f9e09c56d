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

from ._arrow_cells import integer_range, present, stored
from ._csv_digits import DigitBlock, DigitRun, digit_runs
from ._csv_runs import Coded, Run, Taken, Unquotable, formatted
from ._csv_shared import SharedParts

if TYPE_CHECKING:
    import pyarrow as pa


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


_CHUNK_ROWS = 32_768
"""Lines made and handed on at a time: the output is never held whole, and a part is small
enough for another thread to share the last of a block's parts (:mod:`._csv_shared`)."""

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
    ranges = [integer_range(values) for values in columns]  # once, for both uses below
    runs = {run.start: run for run in digit_runs(ranges, delimiter)}
    in_runs = {i for run in runs.values() for i in run}
    distinct = [i not in in_runs and _mostly_distinct(values) for i, values in enumerate(columns)]
    if 4 * sum(distinct) > len(columns):
        return None  # mostly values met once: nothing to gain over Arrow's writer
    try:
        prepared: list[pa.Array | Coded | DigitRun] = []
        coded: list[Coded] = []
        for i, values in enumerate(columns):
            if i in runs:
                run = runs[i]
                ends_line = run.stop == len(columns)
                prepared.append(DigitRun([columns[j] for j in run], delimiter, ends_line))
            elif i not in in_runs:
                prepared.append(
                    values
                    if distinct[i]
                    else _twin(coded, values) or Coded(values, delimiter, ranges[i])
                )
                if isinstance(prepared[-1], Coded):
                    coded.append(prepared[-1])
        # The first block is coded here, so that a table of one block is refused up front.
        made: dict = {}
        first = _pieces(prepared, 0, min(rows, _BLOCK_ROWS), delimiter, made)
    except Unquotable:
        return None
    return _blocks(first, prepared, rows, delimiter, made)


def _twin(coded: list[Coded], values: pa.Array) -> Coded | None:
    """An earlier hashed column holding the same values, whose codes this one can share (a
    score table's raw score is its score wherever no conversion table applies: hashing it
    again took 10 ms of a 1.2M-row table)."""
    import pyarrow as pa

    if pa.types.is_dictionary(values.type) or pa.types.is_integer(values.type):
        return None  # coded without hashing anyway
    for earlier in coded:
        if earlier.column.type == values.type and _same_text(earlier.column, values):
            earlier.shared = True
            return earlier
    return None


def _same_text(a: pa.Array, b: pa.Array) -> bool:
    """Whether two columns of one type would be written alike, cell by cell: the same
    cells missing and, for floats, the same bits (``equals`` calls 0.0 and -0.0 equal,
    and the writer does not)."""
    import pyarrow as pa

    if not pa.types.is_floating(a.type):
        return a.equals(b)
    if len(a) != len(b) or a.null_count != b.null_count:
        return False
    valid_a, valid_b = present(a), present(b)
    if (valid_a is None) != (valid_b is None) or (
        valid_a is not None and not np.array_equal(valid_a, valid_b)
    ):
        return False
    bits = np.dtype(f"u{a.type.bit_width // 8}")
    bits_a, bits_b = stored(a).view(bits), stored(b).view(bits)
    if valid_a is None:
        return np.array_equal(bits_a, bits_b)
    return np.array_equal(bits_a[valid_a], bits_b[valid_a])


def _pieces(
    prepared: list[pa.Array | Coded | DigitRun],
    start: int,
    stop: int,
    delimiter: str,
    made: dict,
) -> list[_Piece]:
    """The pieces of the lines of rows ``start:stop``: neighbouring coded columns fused
    (``made``: the texts of whole-table runs, kept from block to block)."""
    most = max((stop - start) // 8, 1)
    last = len(prepared) - 1
    parts: list[Run | _Piece] = []
    for i, column in enumerate(prepared):
        if isinstance(column, DigitRun):
            parts.append(column.block(start))
            continue
        if not isinstance(column, Coded):
            part = column.slice(start, stop - start)
            parts.append(_Sliced(formatted(part, delimiter, newlines=i == last)))
            continue
        codes, texts, whole = column.block(start, stop)
        run = parts[-1] if parts else None
        if not isinstance(run, Run) or not run.absorb(codes, texts, most, whole):
            parts.append(Run(codes, texts, whole))
    separator = delimiter.encode()
    return [
        part.taken(separator, end, made) if isinstance(part, Run) else part
        for part, end in zip(parts, [b""] * (len(parts) - 1) + [b"\n"], strict=True)
    ]


def _blocks(
    first: list[_Piece],
    prepared: list[pa.Array | Coded | DigitRun],
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
        except Unquotable:
            raise NeedsQuoting from None
        yield from _lines(pieces, stop - start, separator)


class _Sliced:
    """A piece of every line that is one column's text, row by row."""

    def __init__(self, texts: pa.Array) -> None:
        self.texts = texts

    def text(self, start: int, stop: int) -> pa.Array:
        return self.texts.slice(start, stop - start)


_Piece = Taken | _Sliced | DigitBlock
"""A piece of every line, each row's text of it taken with ``text(start, stop)``."""


def _lines(pieces: list[_Piece], rows: int, separator: bytes) -> Iterator[memoryview]:
    """The block's lines in parts of at most ``_CHUNK_ROWS`` rows; a thread that would
    otherwise wait may make the last of them (:mod:`._csv_shared`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joiner = pa.scalar(separator, pa.large_binary())
    count = -(-rows // _CHUNK_ROWS)
    size = -(-rows // count) if count else 0  # parts of equal size: any may be shared

    def chunk(index: int) -> memoryview:
        start = index * size
        stop = min(start + size, rows)
        parts = [piece.text(start, stop) for piece in pieces]
        lines = pc.binary_join_element_wise(*parts, joiner) if len(parts) > 1 else parts[0]
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
        first, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
        return memoryview(lines.buffers()[2])[first:end]

    return iter(SharedParts(chunk, count))
