"""Large result arrays in memory mapped straight from the system, in ordinary pages.

numpy asks the kernel for transparent huge pages for every large array (``madvise``). On
machines where the kernel grants them only on request, as here, filling a freshly
allocated huge-page array was measured several times slower than filling ordinary pages
(the keyed items of a million rows: 0.3–1.0 s against 0.17 s). The scoring result's big
arrays are written once, front to back, so they are taken from an anonymous mapping, which
the kernel backs with ordinary pages; they are freed with the last array that uses them.
"""

from __future__ import annotations

import mmap

import numpy as np

_SMALL = 4 << 20
"""Arrays below this size come from numpy's own allocator (no huge pages asked for)."""


def fresh(shape: int | tuple[int, ...], dtype: type | np.dtype, order: str = "C") -> np.ndarray:
    """An uninitialised array like ``np.empty(shape, dtype, order=order)``."""
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    kind = np.dtype(dtype)
    size = int(np.prod(dims, dtype=np.int64)) * kind.itemsize
    if size < _SMALL:
        return np.empty(dims, dtype=kind, order=order)  # type: ignore[call-overload]
    flat = np.frombuffer(mmap.mmap(-1, size), dtype=kind)
    if order == "F":
        return flat.reshape(dims[::-1]).T
    return flat.reshape(dims)
