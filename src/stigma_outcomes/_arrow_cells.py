"""What an Arrow array's own buffers say about its cells, read without converting them.

Which cells hold a value, read from the validity bitmap's bits at any offset (a tenth of
the time of ``is_valid()``); a fixed-width column's stored values; a text column's offsets
and bytes, and each cell's first byte; the least and greatest value of an integer column.
Used by the CSV writer (digit runs, integers coded by subtraction, plain text), the formula
check and scoring's decoder of single digits. A leaf module: it imports nothing from the
package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa


def present(values: pa.Array, start: int = 0, stop: int | None = None) -> np.ndarray | None:
    """Whether each of rows ``start:stop`` holds a value; ``None`` when every row does.

    Examples
    --------
    >>> import pyarrow as pa
    >>> present(pa.array([1, None, 3, None]).slice(1), 0, 2).tolist()
    [False, True]
    >>> present(pa.array([1, 2])) is None
    True
    """
    stop = len(values) if stop is None else stop
    bitmap = values.buffers()[0]
    if values.null_count == 0 or bitmap is None:
        return None
    first = values.offset + start
    skip = first % 8
    bits = np.frombuffer(bitmap, dtype=np.uint8)[first // 8 : (values.offset + stop + 7) // 8]
    return np.unpackbits(bits, bitorder="little")[skip : skip + stop - start].view(bool)


def stored(column: pa.Array, start: int = 0, stop: int | None = None) -> np.ndarray:
    """A fixed-width column's stored values of rows ``start:stop`` as numpy sees them (any
    value where a cell is missing; zeros when no data buffer is kept).

    Examples
    --------
    >>> import pyarrow as pa
    >>> stored(pa.array([1, None, 3], pa.int8()).slice(1)).tolist()[1:]
    [3]
    """
    stop = len(column) if stop is None else stop
    kind = np.dtype(column.type.to_pandas_dtype())
    data = column.buffers()[1]
    if data is None:  # a column of missing values only may hold no data buffer
        return np.zeros(stop - start, dtype=kind)
    first = column.offset + start
    return np.frombuffer(data, dtype=kind)[first : first + stop - start]


def text_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """A (large) string array's offsets of its own cells (one more than its length) and
    its data bytes; ``None`` for any other type.

    Examples
    --------
    >>> import pyarrow as pa
    >>> offsets, data = text_buffers(pa.array(["ab", "c"]).slice(1))
    >>> offsets.tolist(), bytes(data[offsets[0] : offsets[-1]])
    ([2, 3], b'c')
    """
    import pyarrow as pa

    if pa.types.is_large_string(values.type):
        width = np.int64
    elif pa.types.is_string(values.type):
        width = np.int32
    else:
        return None
    _, offsets_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=width)
    offsets = offsets[values.offset : values.offset + len(values) + 1]
    if data_buffer is None:
        return offsets, np.zeros(0, dtype=np.uint8)
    return offsets, np.frombuffer(data_buffer, dtype=np.uint8)


def first_bytes(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Each cell's first byte, from :func:`text_buffers` (anything for an empty cell).

    Examples
    --------
    >>> import pyarrow as pa
    >>> first_bytes(*text_buffers(pa.array(["ab", "c"]))).tolist()
    [97, 99]
    """
    if not len(data):
        return np.zeros(len(offsets) - 1, dtype=np.uint8)
    return np.take(data, offsets[:-1], mode="clip")  # an empty last cell points past the end


def integer_range(column: pa.Array) -> tuple[int, int] | None:
    """The least and greatest value of an integer column, ``(0, 0)`` when every cell is
    missing; ``None`` for a column of any other type (dictionaries included).

    Examples
    --------
    >>> import pyarrow as pa
    >>> integer_range(pa.array([3, None, -2])), integer_range(pa.array([None], pa.int8()))
    ((-2, 3), (0, 0))
    >>> integer_range(pa.array(["3"])) is None
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_integer(column.type):
        return None
    low, high = (value.as_py() for value in pc.min_max(column).values())
    return (0, 0) if low is None else (low, high)
