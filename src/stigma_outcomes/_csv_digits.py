"""Neighbouring columns of single digits, written straight from their bytes (issue 15).

The keyed item responses beside a score file are a participant ID, a wave and then dozens
of integer columns whose values are 0-9 or missing: Arrow's writer writes such a cell as
one ASCII digit, or nothing when it is missing. Coding and fusing each of those columns
(:mod:`._csv`) cost more than the whole text is worth; here a run of them becomes one piece
of the line made by numpy alone: each row's cells laid out as ``digit, delimiter`` pairs in
a byte matrix, the digit slot of a missing cell and the delimiter after the run's last
cell marked and deleted with the lines' joining in one ``bytearray.translate`` (or that
delimiter made the line break when the run ends the line).

:func:`digit_runs` finds the runs; ``tests/test_csv.py`` compares the bytes with Arrow's
writer on random tables that hold such runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._arrow_cells import present, stored

if TYPE_CHECKING:
    import pyarrow as pa

_ZERO = ord("0")

_SLICE_ROWS = 8192
"""Rows laid out at a time: 8,192 rows of 60 columns are a 1 MB byte matrix."""

_GONE = 0xFF
"""The mark of a byte that is not written: never a digit, and no delimiter (ASCII only)."""
_GONE_BYTE = bytes([_GONE])


def digit_runs(
    ranges: list[tuple[int, int] | None], delimiter: str, shortest: int = 2
) -> list[range]:
    """The positions of each run of at least ``shortest`` neighbouring digit columns: integer
    columns (``ranges``: each column's :func:`~stigma_outcomes._arrow_cells.integer_range`)
    whose present values are all 0-9.

    None when the delimiter is itself a digit or a line break (it could not be told apart), or
    not ASCII (not one byte).

    Examples
    --------
    >>> digit_runs([None, (1, 1), (0, 9), (1, 12)], ",")
    [range(1, 3)]
    """
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter.isdigit() or delimiter in "\r\n":
        return []
    runs: list[range] = []
    start = None
    for i, span in enumerate([*ranges, None]):
        if span is not None and span[0] >= 0 and span[1] <= 9:
            start = i if start is None else start
            continue
        if start is not None and i - start >= shortest:
            runs.append(range(start, i))
        start = None
    return runs


class DigitRun:
    """One piece of every line: the text of neighbouring digit columns, delimiter-joined,
    with the line break when the run ends the line."""

    def __init__(self, columns: list[pa.Array], delimiter: str, ends_line: bool) -> None:
        self.columns, self.ends_line = columns, ends_line
        self.separator = ord(delimiter)

    def block(self, start: int) -> DigitBlock:
        """The run for the rows of a block that begins at row ``start``."""
        return DigitBlock(self, start)

    def text(self, start: int, stop: int) -> pa.Array:
        """Each row's text of rows ``start:stop``, as a binary array."""
        import pyarrow as pa

        rows, width = stop - start, len(self.columns)
        # Every cell laid out as ``digit, delimiter`` in a byte matrix a row of cells per
        # line; the bytes that are not written (a missing cell's digit, the delimiter after
        # the run's last cell when the run does not end the line) are marked and then
        # deleted in one pass of ``bytearray.translate``, which also joins the lines.
        # (Boolean indexing of the same matrix took twice as long.)
        buffer = bytearray(rows * width * 2)
        cells = np.frombuffer(buffer, dtype=np.uint8).reshape(rows, width, 2)
        cells[:, :, 1] = self.separator
        cells[:, -1, 1] = ord("\n") if self.ends_line else _GONE
        # A slice of rows at a time, column by column: the slice of the matrix stays in the
        # processor's cache (written whole column by column, every cache line of it was
        # touched once per column: four times slower on 60 columns).
        for first in range(0, rows, _SLICE_ROWS):
            last = min(first + _SLICE_ROWS, rows)
            for j, column in enumerate(self.columns):
                digits = stored(column, start + first, start + last)
                np.add(digits, _ZERO, out=cells[first:last, j, 0], casting="unsafe")
        missing = np.zeros(rows, dtype=np.uint8 if width < 256 else np.int64)
        for j, column in enumerate(self.columns):
            valid = present(column, start, stop)
            if valid is not None:
                gone = np.flatnonzero(~valid)
                cells[gone, j, 0] = _GONE
                missing[gone] += 1
        lengths = (2 * width if self.ends_line else 2 * width - 1) - missing.astype(np.int64)
        offsets = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        del cells  # the buffer is not exported while it is read
        data = buffer.translate(None, _GONE_BYTE)
        return pa.LargeBinaryArray.from_buffers(
            pa.large_binary(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )


class DigitBlock:
    """A :class:`DigitRun` seen from a block of rows (rows counted from the block's start)."""

    def __init__(self, run: DigitRun, start: int) -> None:
        self.run, self.start = run, start

    def text(self, start: int, stop: int) -> pa.Array:
        return self.run.text(self.start + start, self.start + stop)
