"""The scores a comparison reads, and the fingerprints that tie its results to them.

``results.json`` names each input with its SHA-256, so a report can be traced to the exact
scores file (or DataFrame) it was computed from.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError


def read_scores(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a tidy scores CSV/TSV/XLSX/Parquet with ids and waves kept as text."""
    from .._io import read_table

    if not Path(path).exists():
        raise InputError(f"scores file not found: {path}", fix="check the path")
    # Our own writer neutralised formula-like text ('+6m'); read_table undoes it.
    text_cols = {"participant_id": str, "wave": str, "instrument": str, "scale": str}
    return read_table(path, dtype=None if Path(path).suffix.lower() == ".parquet" else text_cols)


_FRAME_FORMAT = b"stigma-outcomes frame fingerprint 2\n"
"""Names the layout below; a change to it must change this line (and so every fingerprint)."""


def frame_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a DataFrame's content in a canonical binary layout.

    Each column contributes its name, a kind and its values: numbers as little-endian
    float64 or int64 with a packed missing mask, text as a missing mask, Arrow's offsets and
    the UTF-8 bytes. A categorical gives its categories as text, sorted, and its codes
    renumbered to that order (in the width pandas keeps them, which follows the number of
    categories), so the fingerprint depends on the values, not on the category order or on
    how the frame is chunked in memory. Every piece is length-prefixed, so no two tables
    share a byte stream. Columns that are neither numbers nor text (mixed objects) fall back
    to pandas' row hashes for the whole frame. The stream starts with ``_FRAME_FORMAT``.
    """
    import pyarrow as pa

    digest = hashlib.sha256(_FRAME_FORMAT)

    def put(piece: Any) -> None:
        if isinstance(piece, _Blocks):  # its length first, then its bytes block by block
            digest.update(piece.nbytes.to_bytes(8, "little"))
            for block in piece:
                digest.update(memoryview(block).cast("B"))
            return
        view = memoryview(piece).cast("B")  # an array is hashed in place, not copied
        digest.update(view.nbytes.to_bytes(8, "little"))
        digest.update(view)

    put(len(frame).to_bytes(8, "little"))
    try:
        for name, column in frame.items():
            put(str(name).encode("utf-8"))
            for piece in _column_pieces(column):
                put(piece)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
        fallback = hashlib.sha256("\x1f".join(map(str, frame.columns)).encode())
        fallback.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        return fallback.hexdigest()
    return digest.hexdigest()


def _column_pieces(column: pd.Series) -> list[Any]:
    """The kind and the canonical bytes of one column's values (see :func:`frame_sha256`)."""
    import numpy as np

    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        texts = categories.to_numpy(dtype=object)
        if categories.inferred_type != "string":
            texts = np.array([str(v) for v in texts], dtype=object)
        order = np.argsort(texts, kind="stable")
        codes = column.cat.codes.to_numpy()  # its width follows the number of categories
        if (order != np.arange(len(order))).any():
            rank = np.empty(len(order) + 1, dtype=codes.dtype)
            rank[order] = np.arange(len(order))
            rank[-1] = -1  # code −1: missing
            codes, texts = rank[codes], texts[order]
        return [
            b"category",
            *_text_pieces(list(texts)),
            _little_endian(codes),
        ]
    kind = getattr(dtype, "kind", "O")
    if isinstance(dtype, np.dtype) and kind in "biuf":
        # a plain numpy column: the same bytes as below, made a block at a time
        blocks = _Blocks(column.to_numpy(), "<f8" if kind == "f" else "<i8")
        return [b"float" if kind == "f" else b"integer", np.packbits(blocks.missing), blocks]
    if kind in "biuf":
        as_float = kind == "f"
        missing = column.isna().to_numpy(dtype=bool)
        values = column.to_numpy(dtype="<f8" if as_float else "<i8", na_value=0)
        if missing.any():
            values = np.where(missing, 0, values).astype(values.dtype)  # NaN and None alike
        tag = b"float" if as_float else b"integer"
        return [tag, np.packbits(missing), _little_endian(values)]
    return [b"text", *_text_pieces(column)]


class _Blocks:
    """A numpy column's values as little-endian ``kind`` (float64 or int64), missing values
    as 0, in blocks of a million: the bytes of ``_little_endian`` of the whole converted
    column, without that column-long copy."""

    SIZE = 1 << 20

    def __init__(self, values: Any, kind: str) -> None:
        import numpy as np

        self.values, self.kind = values, np.dtype(kind)
        self.missing = np.isnan(values) if values.dtype.kind == "f" else None
        if self.missing is None:
            self.missing = np.zeros(len(values), dtype=bool)
        self.nbytes = len(values) * self.kind.itemsize

    def __iter__(self) -> Any:
        import numpy as np

        any_missing = bool(self.missing.any())
        for start in range(0, len(self.values), self.SIZE):
            block = np.array(self.values[start : start + self.SIZE], dtype=self.kind)
            if any_missing:
                block[self.missing[start : start + self.SIZE]] = 0
            yield block.view(np.uint8)


def _text_pieces(values: object) -> list[Any]:
    """Missing mask, offsets and UTF-8 bytes of values as one Arrow large_string array."""
    import numpy as np
    import pyarrow as pa

    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = array.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)):
        raise TypeError(f"not text: {kind}")
    array = array.cast(pa.large_string())
    missing = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    _, offsets_buf, data_buf = array.buffers()
    offsets = np.frombuffer(offsets_buf, dtype="<i8")[array.offset : array.offset + len(array) + 1]
    start, end = (int(offsets[0]), int(offsets[-1])) if len(offsets) else (0, 0)
    data = memoryview(data_buf)[start:end] if data_buf is not None else b""
    return [np.packbits(missing), _little_endian(offsets - start), data]


def _little_endian(values: Any) -> Any:
    """The array's bytes, little-endian and contiguous (a view when they already are)."""
    import numpy as np

    return np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).view(np.uint8)
