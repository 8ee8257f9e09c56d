"""The scores a comparison reads, and the fingerprints that tie its results to them.

``results.json`` names each input with its SHA-256, so a report can be traced to the exact
scores file (or DataFrame) it was computed from.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

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


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _HashSink:
    """A write-only file object that feeds a SHA-256 digest (so nothing is kept in memory)."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.closed = False

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


def frame_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a DataFrame written as CSV by Arrow (header + rows, no index).

    The CSV text is canonical (independent of how the frame is chunked in memory) and is
    streamed into the digest. Columns Arrow cannot type (mixed objects) fall back to
    pandas' row hashes.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        digest = hashlib.sha256("\x1f".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        return digest.hexdigest()
    sink = _HashSink()
    with pa.PythonFile(sink, mode="w") as handle:
        pa_csv.write_csv(table, handle)
    return sink.digest.hexdigest()
