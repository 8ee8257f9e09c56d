"""The raw cells of one file, before a platform flavour reads its header rows."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Sheet:
    """Cells of one export file as the format reader found them.

    Attributes
    ----------
    cells : DataFrame
        When ``named`` is false: every non-blank row of the file, header rows included,
        each column labelled by its 0-based place in the file (``0..k-1`` as read; a
        column dropped before the platform's rules, empty or R's row names, leaves a gap,
        so that messages still name the column the user sees). When ``named`` is true:
        data rows only, columns named as in the file.
    row_numbers : ndarray of int
        Spreadsheet row number (1-based, header rows counted) of each row of ``cells``.
    source : str
        File name used in messages and in the ledger.
    named : bool
        Whether the format carries column names itself (SPSS, Stata, Parquet).
    fmt : str
        ``csv``, ``tsv``, ``xlsx``, ``sav``, ``por``, ``dta``, ``sas7bdat``, ``xpt`` or
        ``parquet``.
    column_labels, value_labels : dict
        Labels the format carries (SPSS and Stata variable and value labels).
    metadata : dict
        Reader facts (encoding, delimiter, sheet name, blank rows skipped, ...).
    """

    cells: pd.DataFrame
    row_numbers: np.ndarray
    source: str
    named: bool = False
    fmt: str = "csv"
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def head(self, n: int = 4) -> list[list[str]]:
        """The first ``n`` rows as lists of stripped strings (empty string for a missing cell).

        For a named sheet the first row is the column names.
        """
        want = n if not self.named else max(n - 1, 0)
        cached = self.__dict__.get("_head")
        if cached is None or cached[0]() is not self.cells or cached[1] < want:
            # One conversion of the top rows, kept while the cells stay the same: detection
            # asks several times, and wide exports have thousands of columns. A weak
            # reference, so the cache never keeps a released table alive.
            top = self.cells.head(max(want, 4))
            rows = [[_text(v) for v in r] for r in _rows(top)]
            cached = (weakref.ref(self.cells), max(want, 4), rows)
            self.__dict__["_head"] = cached
        rows = [list(r) for r in cached[2][:want]]
        if self.named:
            rows.insert(0, [str(c).strip() for c in self.cells.columns])
        return rows


def _rows(top: pd.DataFrame) -> list[list[Any]]:
    import pyarrow as pa

    # Through Arrow: one conversion per column, not one Python call per cell.
    columns = [
        pa.array(column.array).to_pylist()
        if isinstance(column.array, pd.arrays.ArrowStringArray)
        else list(column.array)
        for _, column in top.items()
    ]
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in top]


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()
