"""Spreadsheet formula injection: which cells a spreadsheet would run, and how they are defused.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading apostrophe (OWASP's advice for CSV files); numbers such as ``-2`` are left alone.
Decided once per distinct value or category, never per cell (a column of 200,000 IDs is one
vectorised pass). :mod:`stigma_outcomes._io` applies it to everything it writes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._arrow_cells import first_bytes, present, text_buffers

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
"""A plain decimal number: the only text starting with + or - that Excel and LibreOffice
both read as a number constant. ``+1_000``, ``-inf``, ``+nan``, ``-1,5`` or ``-5%``
are numbers to Python, not to a spreadsheet: they are neutralised."""


def is_formula_risk(value: str) -> bool:
    """Whether a spreadsheet could run ``value`` as a formula (or it starts with a quote).

    A leading quote is also escaped, so that :func:`restore_cell` can undo neutralisation
    exactly: a round trip through our own files loses nothing.

    Examples
    --------
    >>> [is_formula_risk(v) for v in ("=1", "-1.5", "+1_000", "-inf", "'x", "a=b")]
    [True, False, True, True, True, False]
    """
    if not value:
        return False
    if value[0] == "'":
        return True
    return value.startswith(_FORMULA_STARTS) and _NUMBER.fullmatch(value) is None


def neutralise_cell(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with a single quote.

    Numbers (including negative numbers written as text) are left alone.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(1)")
    "'=HYPERLINK(1)"
    >>> neutralise_cell("-1.5")
    '-1.5'
    >>> neutralise_cell("-inf")
    "'-inf"
    """
    if isinstance(value, str) and is_formula_risk(value):
        return "'" + value
    return value


def restore_cell(value: object) -> object:
    """Undo :func:`neutralise_cell` on a value read back from one of our own files.

    Examples
    --------
    >>> restore_cell("'+6m"), restore_cell("''quoted"), restore_cell("plain")
    ('+6m', "'quoted", 'plain')
    >>> all(restore_cell(neutralise_cell(v)) == v for v in ("=1", "'", "-2", "@a", "''"))
    True
    """
    if isinstance(value, str) and value.startswith("'") and is_formula_risk(value[1:]):
        return value[1:]
    return value


_RISKY_START = re.compile(r"^['=+\-@\t\r]")


def _is_text(dtype: object) -> bool:
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return True
    return pd.api.types.is_string_dtype(dtype)  # type: ignore[arg-type]


_RISKY_BYTES = np.zeros(256, dtype=bool)
_RISKY_BYTES[[ord(c) for c in "'=+-@\t\r"]] = True
"""The first bytes of a cell that may make it a formula (those of :data:`_RISKY_START`:
ASCII, so in UTF-8 a cell starts with one of them exactly when its first byte is one)."""


def _risky(values: pd.Series | pd.Index) -> np.ndarray:
    """Which cells start with a character that may make them a formula (vectorised).

    Read from each cell's first byte in Arrow's buffers: a quarter of the time of a regular
    expression over 200,000 participant IDs, whose categories every score file checks.
    """
    import pyarrow as pa

    if values.dtype == object:
        # Mixed cells: only text can be a formula; numbers and missing values cannot.
        text = pa.array([v if isinstance(v, str) else None for v in values], pa.large_string())
    else:
        text = pa.array(values, pa.large_string(), from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    offsets, data = text_buffers(text)  # type: ignore[misc]
    hits = _RISKY_BYTES[first_bytes(offsets, data)]
    hits &= offsets[1:] != offsets[:-1]  # an empty cell starts with nothing
    valid = present(text)
    if valid is not None:
        hits &= valid
    return hits


def _neutralise_texts(values: pd.Series) -> pd.Series:
    """Neutralise a column of text (vectorised: only the few risky cells reach Python)."""
    risky = _risky(values)
    if not risky.any():
        return values
    fixed = values.astype("object").copy()
    fixed[risky] = [neutralise_cell(v) for v in fixed[risky]]
    return fixed


def _neutralise_labels(categories: pd.Index) -> list[object] | None:
    """A categorical's categories made formula-safe, or ``None`` when none needs it.

    Decided once per distinct value: a column of millions of rows with a few labels, or
    a participant column with one category per person, costs one vectorised pass.
    """
    if not len(categories) or not _is_text(categories.dtype):
        return None
    risky = _risky(categories)
    if not risky.any():
        return None
    renamed = list(categories)
    for i in np.flatnonzero(risky):
        renamed[i] = neutralise_cell(renamed[i])
    return renamed


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells (and column names) are formula-safe.

    Categorical columns are handled through their categories, so a table of millions of
    rows with a few distinct labels costs almost nothing; numeric columns cannot hold a
    formula and are shared with ``frame``, not copied.

    Examples
    --------
    >>> neutralise_frame(pd.DataFrame({"a": ["=1", "-2", "x"]}))["a"].tolist()
    ["'=1", '-2', 'x']
    """
    columns: dict[object, object] = {}
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            renamed = _neutralise_labels(series.cat.categories)
            if renamed is not None:
                series = series.cat.rename_categories(renamed)
        elif _is_text(series.dtype):
            series = _neutralise_texts(series)
        columns[position] = series
    # pandas 3 never copies here (copy-on-write) and deprecates the keyword; 2.x needs it.
    no_copy = {} if _PANDAS_3 else {"copy": False}
    out = pd.concat(columns, axis=1, **no_copy) if columns else frame.iloc[:, :0].copy()
    out.index = frame.index
    out.columns = [neutralise_cell(c) for c in frame.columns]
    return out
