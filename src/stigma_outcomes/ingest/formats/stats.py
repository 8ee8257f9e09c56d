"""SPSS (.sav, .zsav, .por), Stata (.dta), SAS (.sas7bdat, .xpt) and Parquet files → named
:class:`Sheet`.

These formats carry their own column names and types. SPSS, Stata and SAS also carry
variable labels (question text), and SPSS and Stata value labels (code → answer text), which
the mapping proposer uses to check that codes mean what the instrument says. Values that
SPSS declares as user-defined missing (e.g. 99 = "Refused"), and Stata's and SAS's special
missing values (``.a`` to ``.z``, ``.A`` to ``.Z``: "refused", "not applicable"...) are
turned into missing cells here, with a count per column in the metadata, so no scale ever
adds them up and the user is told how many cells were declared missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ._magic import HEAD_BYTES, SAS_TRANSPORT, SPSS_PORTABLE, SPSS_SYSTEM, describe_bytes
from .sheet import Sheet


def read_spss(path: str | os.PathLike[str]) -> Sheet:
    """Read an SPSS ``.sav``/``.zsav`` file with its labels and user-defined missing values,
    or an SPSS portable file (``.por``, which keeps no user-missing declarations).

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
        head = handle.read(HEAD_BYTES)
    portable = SPSS_PORTABLE in head
    if not head.startswith(SPSS_SYSTEM) and not portable:
        raise InputError(
            f"the file is not an SPSS data file: it does not start with the SPSS "
            f"signature and looks like {describe_bytes(head)}",
            where=str(file),
            fix="export the responses again as SPSS (.sav), or read this file with the "
            "extension that matches what it really is",
        )
    read = pyreadstat.read_por if portable else partial(pyreadstat.read_sav, user_missing=True)
    fix = "export the responses from the survey platform again as SPSS (.sav), or as CSV"
    frame, meta = _pyreadstat(read, file, "SPSS data file", fix)
    masks = _user_missing_masks(frame, meta)
    values = dict(meta.variable_value_labels or {})
    return _labelled_sheet(frame, meta, file, "por" if portable else "sav", masks, values)


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
    fix = "save the data again from Stata as .dta, or export it as CSV"
    read = partial(pyreadstat.read_dta, user_missing=True)
    frame, meta = _pyreadstat(read, file, "Stata data file", fix)
    masks = _special_missing_masks(frame, meta)
    values = _numeric_labels(meta.variable_value_labels or {})
    return _labelled_sheet(frame, meta, file, "dta", masks, values)


def read_sas(path: str | os.PathLike[str]) -> Sheet:
    """Read a SAS data file (``.sas7bdat``) or transport file (``.xpt``) with its variable
    labels. Special missing values (``.A`` to ``.Z``) become missing cells, counted.

    SAS keeps value labels (formats) in a separate catalog file, which is not read: codes
    stay codes.

    Examples
    --------
    >>> import tempfile, pathlib, pyreadstat, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.xpt"
    >>> pyreadstat.write_xport(pd.DataFrame({"q1": [1.0, 2.0]}), p, column_labels=["Felt alone"])
    >>> sheet = read_sas(p)
    >>> sheet.cells["q1"].tolist(), sheet.column_labels
    ([1.0, 2.0], {'q1': 'Felt alone'})
    """
    import pyreadstat

    file = Path(path)
    _require_content(file)
    with file.open("rb") as handle:
        transport = handle.read(HEAD_BYTES).startswith(SAS_TRANSPORT)
    read = (
        pyreadstat.read_xport if transport else partial(pyreadstat.read_sas7bdat, user_missing=True)
    )
    fix = "export the data again from SAS (as .sas7bdat, or as CSV)"
    frame, meta = _pyreadstat(read, file, "SAS data file", fix)
    masks = _special_missing_masks(frame, meta)
    return _labelled_sheet(frame, meta, file, "xpt" if transport else "sas7bdat", masks, {})


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


def _pyreadstat(
    read: Callable[[str], tuple[pd.DataFrame, Any]], file: Path, what: str, fix: str
) -> tuple[pd.DataFrame, Any]:
    """What ``read`` (a pyreadstat reader) returns for ``file``, or one clear error:
    pyreadstat raises its own untyped errors for a damaged or foreign file."""
    try:
        return read(str(file))
    except Exception as exc:
        raise InputError(
            f"the file is not a readable {what} ({exc})", where=str(file), fix=fix
        ) from None


def _labelled_sheet(
    frame: pd.DataFrame,
    meta: Any,
    file: Path,
    fmt: str,
    masks: dict[str, pd.Series],
    values: dict[str, dict[Any, str]],
) -> Sheet:
    """The sheet of a file pyreadstat read: the cells ``masks`` mark made missing and
    counted (``user_missing_cells``), its variable labels, ``values`` as its value labels."""
    counts = _blank_declared_missing(frame, masks)
    return _named_sheet(
        frame,
        file,
        fmt,
        labels=dict(meta.column_names_to_labels or {}),
        values=values,
        extra={"user_missing_cells": counts, "file_encoding": meta.file_encoding},
    )


def _require_content(file: Path) -> None:
    if file.stat().st_size == 0:
        raise InputError("the file is empty", where=str(file), fix="export the data again")


def _blank_declared_missing(frame: pd.DataFrame, masks: dict[str, pd.Series]) -> dict[str, int]:
    """Make the cells each mask marks missing (in place); the count per column, where any.

    A column that held special missing values next to numbers (Stata's and SAS's letters)
    is numeric again once they are gone.
    """
    counts: dict[str, int] = {}
    for column, mask in masks.items():
        n = int(mask.sum())
        if not n:
            continue
        values = frame[column].mask(mask)
        if values.dtype == object:
            numbers = pd.to_numeric(values, errors="coerce")
            if numbers.notna().sum() == values.notna().sum():
                values = numbers
        frame[column] = values
        counts[column] = n
    return counts


def _special_missing_masks(frame: pd.DataFrame, meta: Any) -> dict[str, pd.Series]:
    """Stata's and SAS's special missing values: pyreadstat gives each such cell its letter
    (``user_missing=True``) and lists the letters met per column."""
    masks: dict[str, pd.Series] = {}
    for column, letters in (getattr(meta, "missing_user_values", None) or {}).items():
        if column in frame.columns and letters:
            masks[column] = frame[column].isin(list(letters)).astype(bool)
    return masks


def _numeric_labels(values: dict[str, dict[Any, str]]) -> dict[str, dict[Any, str]]:
    """Value labels without those of special missing values (keyed by their letter): those
    cells are missing now, and a letter is not a code any item could be scored from."""
    numeric = {
        column: {code: label for code, label in labels.items() if not isinstance(code, str)}
        for column, labels in values.items()
    }
    return {column: labels for column, labels in numeric.items() if labels}


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
