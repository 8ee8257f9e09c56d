"""What an Arrow array's own buffers say about its cells, read without converting them.

Which cells hold a value, read from the validity bitmap's bits at any offset (a tenth of
the time of ``is_valid()``), and the least and greatest value of an integer column. Used
by the CSV writer (digit runs, integers coded by subtraction) and by scoring's decoder of
single digits. A leaf module: it imports nothing from the package.
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
