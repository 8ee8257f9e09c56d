"""Writing outputs safely: atomically, and neutralised against spreadsheet formula injection.

Every file the package writes goes through :func:`write_atomic` (or the table
helpers built on it), so a crash or a full disk never leaves a half-written
output behind, and an existing file is only replaced once the new one is
complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Write a file through ``write(handle)`` into a temporary file, then move it into place.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_atomic(d / "x.txt", lambda fh: fh.write(b"hello"))
    >>> (d / "x.txt").read_text()
    'hello'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda fh: fh.write(text.encode("utf-8")))


def _looks_numeric(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote.

    Numbers (including negative numbers written as text) are left alone.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise_cell("-1.5")
    '-1.5'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _looks_numeric(value):
        return "'" + value
    return value


def _neutralise_texts(values: pd.Series) -> pd.Series:
    """Neutralise a column of text (vectorised: only the few risky cells reach Python)."""
    text = values.astype("string")
    risky = text.str.startswith(_FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    fixed = values.astype("object").copy()
    fixed[risky] = [neutralise_cell(v) for v in fixed[risky]]
    return fixed


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells (and column names) are formula-safe.

    Categorical columns are handled through their categories, so a table of millions of
    rows with a few distinct labels costs almost nothing.

    Examples
    --------
    >>> neutralise_frame(pd.DataFrame({"a": ["=1", "-2", "x"]}))["a"].tolist()
    ["'=1", '-2', 'x']
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            if categories.dtype == object or pd.api.types.is_string_dtype(categories.dtype):
                renamed = [neutralise_cell(c) for c in categories]
                if renamed != list(categories):
                    out[col] = series.cat.rename_categories(renamed)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = _neutralise_texts(series)
    out.columns = [neutralise_cell(c) for c in out.columns]
    return out


def _csv_bytes(frame: pd.DataFrame, delimiter: str) -> bytes:
    """CSV text of a table, written by Arrow's C++ writer.

    pandas formats every float in Python-level code (seconds per million cells); Arrow
    writes the same values at a tenth of the cost. Text is written bare unless some cell of
    the table holds a delimiter, quote or line break, in which case all text is quoted (valid
    CSV either way); numbers are written in their shortest exact form.
    """
    import csv
    import io

    import pyarrow as pa
    import pyarrow.csv as pa_csv

    prepared = frame.copy()
    for col in prepared.columns:
        if prepared[col].dtype == object:
            # Object columns may mix numbers and text; Arrow needs one type per column.
            prepared[col] = prepared[col].astype("string")
    prepared.columns = [str(c) for c in prepared.columns]
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator="\n").writerow(prepared.columns)
    table = pa.Table.from_pandas(prepared, preserve_index=False)
    sink = io.BytesIO()
    sink.write(header.getvalue().encode("utf-8"))
    try:
        # Plain values unquoted, as most exports write them ...
        body = io.BytesIO()
        pa_csv.write_csv(
            table,
            body,
            pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none"),
        )
    except pa.ArrowInvalid:
        # ... unless some text holds a delimiter, quote or line break: then quote all text.
        body = io.BytesIO()
        pa_csv.write_csv(
            table,
            body,
            pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="needed"),
        )
    sink.write(body.getvalue())
    return sink.getvalue()


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as CSV, XLSX or Parquet (by the file's suffix), atomically and formula-safe.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"a": ["=1+1", "ok"]}), p)
    >>> pd.read_csv(p)["a"].tolist()
    ["'=1+1", 'ok']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    safe = neutralise_frame(frame)
    if suffix in (".csv", ".txt", ""):
        return write_atomic(target, lambda fh: fh.write(_csv_bytes(safe, ",")))
    if suffix == ".tsv":
        return write_atomic(target, lambda fh: fh.write(_csv_bytes(safe, "\t")))
    if suffix == ".xlsx":
        return write_atomic(target, lambda fh: safe.to_excel(fh, index=False, engine="openpyxl"))
    if suffix == ".parquet":
        # Parquet is typed, not a spreadsheet: keep the original values.
        return write_atomic(target, lambda fh: frame.to_parquet(fh, index=False))
    from .errors import InputError

    raise InputError(
        f"cannot write a table to '{target.name}': unknown file type '{suffix}'",
        where=str(target),
        fix="use a .csv, .tsv, .xlsx or .parquet file name",
    )
