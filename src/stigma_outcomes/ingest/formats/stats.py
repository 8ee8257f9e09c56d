"""SPSS (.sav, .zsav), Stata (.dta) and Parquet files → named :class:`Sheet`.

These formats carry their own column names and types. SPSS and Stata also carry
variable labels (question text) and value labels (code → answer text), which the
mapping proposer uses to check that codes mean what the instrument says. Values that
SPSS declares as user-defined missing (e.g. 99 = "Refused") are turned into missing
cells here, with a count per column in the metadata, so no scale ever adds them up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InputError
from .sheet import Sheet


def read_spss(path: str | os.PathLike[str]) -> Sheet:
    """Read an SPSS ``.sav``/``.zsav`` file with its labels and user-defined missing values.

    Examples
    --------
    >>> import tempfile, pathlib, pyreadstat, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.sav"
    >>> df = pd.DataFrame({"id": ["A", "B"], "q1": [1.0, 99.0]})
    >>> pyreadstat.write_sav(df, p, missing_ranges={"q1": [99]})
    >>> read_spss(p).cells["q1"].tolist()
    [1.0, nan]
    """
    import pyreadstat

    file = Path(path)
    _require_content(file)
    with file.open("rb") as handle:
        head = handle.read(8)
    if not head.startswith((b"$FL2", b"$FL3")):
        raise InputError(
            f"the file is not an SPSS data file: it does not start with the SPSS "
            f"signature and looks like {describe_bytes(head)}",
            where=str(file),
            fix="export the responses again as SPSS (.sav), or read this file with the "
            "extension that matches what it really is",
        )
    try:
        frame, meta = pyreadstat.read_sav(str(file), user_missing=True)
    except Exception as exc:  # pyreadstat raises its own untyped errors
        raise InputError(
            f"the file is not a readable SPSS data file ({exc})",
            where=str(file),
            fix="export the responses from the survey platform again as SPSS (.sav), or as CSV",
        ) from None
    missing = _user_missing_masks(frame, meta)
    counts: dict[str, int] = {}
    for column, mask in missing.items():
        n = int(mask.sum())
        if n:
            frame[column] = frame[column].mask(mask)
            counts[column] = n
    return _named_sheet(
        frame,
        file,
        "sav",
        labels=dict(meta.column_names_to_labels or {}),
        values=dict(meta.variable_value_labels or {}),
        extra={"user_missing_cells": counts, "file_encoding": meta.file_encoding},
    )


def read_stata(path: str | os.PathLike[str]) -> Sheet:
    """Read a Stata ``.dta`` file with its variable and value labels.

    Examples
    --------
    >>> import tempfile, pathlib, pyreadstat, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.dta"
    >>> pyreadstat.write_dta(pd.DataFrame({"q1": [1, 2]}), p, column_labels=["Felt alone"])
    >>> read_stata(p).column_labels
    {'q1': 'Felt alone'}
    """
    import pyreadstat

    file = Path(path)
    _require_content(file)
    try:
        frame, meta = pyreadstat.read_dta(str(file))
    except Exception as exc:  # pyreadstat raises its own untyped errors
        raise InputError(
            f"the file is not a readable Stata data file ({exc})",
            where=str(file),
            fix="save the data again from Stata as .dta, or export it as CSV",
        ) from None
    return _named_sheet(
        frame,
        file,
        "dta",
        labels=dict(meta.column_names_to_labels or {}),
        values=dict(meta.variable_value_labels or {}),
        extra={},
    )


def read_parquet(path: str | os.PathLike[str]) -> Sheet:
    """Read a Parquet file (columns and types as stored).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.parquet"
    >>> pd.DataFrame({"id": ["A"], "q1": [2]}).to_parquet(p)
    >>> read_parquet(p).cells.columns.tolist()
    ['id', 'q1']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = Path(path)
    _require_content(file)
    fix = "write the data again as Parquet, or export it as CSV"
    try:
        table = pq.read_table(file)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(
            f"the file is not a readable Parquet file ({exc})", where=str(file), fix=fix
        ) from None
    try:
        frame = table.to_pandas()
    except (pa.ArrowException, KeyError, ValueError, TypeError, IndexError) as exc:
        # The columns were read; what failed is pandas' own description of them, stored in
        # the file (index columns, dtypes), and a damaged one is not guessed around.
        raise InputError(
            f"the Parquet file's description of its columns is damaged "
            f"({type(exc).__name__}: {exc})",
            where=str(file),
            fix=fix,
        ) from None
    return _named_sheet(frame.reset_index(drop=True), file, "parquet", {}, {}, {})


def describe_bytes(head: bytes) -> str:
    """Name what a file probably is from its first bytes (for error messages).

    Examples
    --------
    >>> describe_bytes(b"PK\\x03\\x04")
    'a zip archive such as an .xlsx workbook'
    """
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive such as an .xlsx workbook"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office file (.xls) or an encrypted workbook"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    if head.startswith((b"$FL2", b"$FL3")):
        return "an SPSS data file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a binary file of unknown kind"
    return "a text file (CSV?)"


def _require_content(file: Path) -> None:
    if file.stat().st_size == 0:
        raise InputError("the file is empty", where=str(file), fix="export the data again")


def _user_missing_masks(frame: pd.DataFrame, meta: Any) -> dict[str, pd.Series]:
    masks: dict[str, pd.Series] = {}
    for column, ranges in (meta.missing_ranges or {}).items():
        if column not in frame.columns:
            continue
        values = frame[column]
        mask = pd.Series(False, index=frame.index)
        for spec in ranges:
            low, high = spec.get("lo"), spec.get("hi")
            if isinstance(low, str) or isinstance(high, str):
                mask |= values.astype("string").str.strip() == str(low).strip()
            else:
                numeric = pd.to_numeric(values, errors="coerce")
                mask |= (numeric >= low) & (numeric <= high)
        masks[column] = mask.fillna(False).astype(bool)
    return masks


def _named_sheet(
    frame: pd.DataFrame,
    file: Path,
    fmt: str,
    labels: dict[str, Any],
    values: dict[str, dict[Any, str]],
    extra: dict[str, Any],
) -> Sheet:
    frame.columns = [str(c) for c in frame.columns]
    if frame.shape[1] == 0:
        raise InputError(
            "the file has no columns", where=str(file), fix="check that this is the export"
        )
    if len(frame) == 0:
        raise InputError(
            "the file has column names but no data rows",
            where=str(file),
            fix="export the responses again, including the data",
        )
    clean_labels = {str(k): str(v) for k, v in labels.items() if v not in (None, "")}
    return Sheet(
        cells=frame,
        # A typed file has no header rows: case n is row n, as SPSS's Data View and
        # Stata's browser number them ($casenum, _n).
        row_numbers=np.arange(1, len(frame) + 1, dtype=np.int64),
        source=file.name,
        named=True,
        fmt=fmt,
        column_labels=clean_labels,
        value_labels={str(k): dict(v) for k, v in values.items()},
        metadata={"format": fmt, **extra},
    )
