"""Readers: export files (and DataFrames) → :class:`~stigma_outcomes.ingest.table.RawTable`.

The foundation reads a UTF-8 CSV (with or without a byte-order mark) in wide layout and
in-memory DataFrames. Richer formats and platform flavours plug in here behind the same
:func:`read_export` signature.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .table import RawTable


def from_dataframe(frame: pd.DataFrame, source: str = "<DataFrame>") -> RawTable:
    """Wrap an in-memory DataFrame as a :class:`RawTable` (row numbers are 1-based positions).

    Examples
    --------
    >>> t = from_dataframe(pd.DataFrame({"id": ["a"], "ucla3_1": [2]}))
    >>> t.source, list(t.row_numbers)
    ('<DataFrame>', [1])
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"expected a pandas DataFrame, got {type(frame).__name__}",
            fix="pass a DataFrame, or a path to an export file",
        )
    _check_columns([str(c) for c in frame.columns], source)
    data = frame.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    return RawTable(frame=data, source=source, row_numbers=np.arange(1, len(data) + 1))


def _check_columns(columns: list[str], source: str) -> None:
    if not columns:
        raise InputError(
            "the file has no columns", where=source, fix="check that this is the export you meant"
        )
    seen: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        key = name.strip()
        if key in seen:
            raise InputError(
                f"duplicate column name '{key}' (columns {seen[key]} and {position})",
                where=source,
                fix="rename one of the columns so that every column name is unique",
            )
        seen[key] = position


def read_csv_basic(path: str | os.PathLike[str], *, encoding: str = "utf-8-sig") -> RawTable:
    """Read a wide CSV export with one header row, keeping every cell as text."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"file not found: {file}", fix="check the path and the file name")
    try:
        raw = file.read_bytes()
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot decode the file as {encoding}: {exc.reason} at byte {exc.start}",
            where=str(file),
            fix="save the export as UTF-8 CSV",
        ) from None
    if not text.strip():
        raise InputError("the file is empty", where=str(file), fix="export the data again")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = list(reader)
    header = [h.strip() for h in rows[0]]
    _check_columns(header, str(file))
    body: list[list[str]] = []
    numbers: list[int] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines are not rows of data
        if len(row) != len(header):
            raise InputError(
                f"row has {len(row)} cells but the header has {len(header)} columns",
                where=f"{file.name}, line {line_no}",
                fix="check for an unquoted comma or a broken line in that row",
            )
        body.append(row)
        numbers.append(line_no)
    if not body:
        raise InputError(
            "the file has a header but no data rows",
            where=str(file),
            fix="export the responses again, including the data",
        )
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return RawTable(
        frame=frame,
        source=file.name,
        row_numbers=np.asarray(numbers),
        metadata={"encoding": "utf-8", "delimiter": ","},
    )


def read_export(
    path: str | os.PathLike[str] | pd.DataFrame,
    *,
    flavor: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    """Read one export (file path or DataFrame) into a :class:`RawTable`.

    Parameters
    ----------
    path : path or DataFrame
        The export file, or a DataFrame already in memory.
    flavor : str, optional
        Force a platform flavour instead of detecting it.
    sheet : str or int, optional
        Worksheet of an Excel workbook.
    encoding, delimiter : str, optional
        Override detection for text files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pre.csv"
    >>> _ = p.write_text("id,ucla3_1\\nA,2\\n")
    >>> read_export(p).frame.to_dict("list")
    {'id': ['A'], 'ucla3_1': ['2']}
    """
    if isinstance(path, pd.DataFrame):
        return from_dataframe(path)
    return read_csv_basic(path, encoding=encoding or "utf-8-sig")
