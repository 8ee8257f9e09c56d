"""The seam between readers and the rest of the pipeline.

A reader (CSV, Excel, SPSS, a platform flavour, a DataFrame) produces a
:class:`RawTable`: the export's data rows exactly as read, with enough
bookkeeping that every row can be traced back to the line a user sees in the
file. Binding columns to instrument items (:mod:`stigma_outcomes.ingest.responses`)
works on a :class:`RawTable` only, so a new export format needs a new reader and
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

ABSENT_PREFIX = "_absent_"
"""Columns ``_absent_<instrument>`` of item responses: True on rows where that instrument was
not given (a REDCap row holding other forms, or its form marked Incomplete). Scoring writes
no score row for it there, and no ledger entry beyond the one saying why."""

LEDGER_COLUMNS = [
    "file",
    "row",
    "column",
    "participant_id",
    "wave",
    "instrument",
    "scale",
    "item",
    "value",
    "problem",
    "action",
]
"""Columns of the data-quality ledger (SPEC §5): one row per problem found."""


_EMPTY_LEDGER = pd.DataFrame({c: pd.Series(dtype="object") for c in LEDGER_COLUMNS})


def empty_ledger() -> pd.DataFrame:
    """An empty ledger with the standard columns."""
    # Built once: a DataFrame constructor costs milliseconds, and pipelines ask for many.
    return _EMPTY_LEDGER.copy()


def ledger_frame(entries: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Build a ledger DataFrame with the standard columns (missing ones filled with NA)."""
    frame = pd.DataFrame(entries) if not isinstance(entries, pd.DataFrame) else entries
    if frame.empty:
        return empty_ledger()
    for col in LEDGER_COLUMNS:
        if col not in frame.columns:
            frame[col] = None
    return frame[LEDGER_COLUMNS].astype("object").reset_index(drop=True)


@dataclass
class RawTable:
    """One export's data rows as read, before any column is bound to an item.

    Attributes
    ----------
    frame : DataFrame
        Data rows only (header rows removed), one column per export column, cells as
        read: strings for text exports, numbers where the format is typed. Index 0..n-1.
    source : str
        What to call the input in messages and in the ledger (file name, or ``"<DataFrame>"``).
    row_numbers : ndarray of int
        For each row of ``frame``, the row number a user sees in the source (for a CSV,
        the 1-based line number counting header rows; for a DataFrame, the 1-based position).
    flavor : str
        Detected or declared export flavour (``plain``, ``qualtrics``, ``redcap``, ...).
    column_labels : dict
        Column → question text or variable label, where the export carries it.
    value_labels : dict
        Column → {code: label}, where the export carries value labels (SPSS, REDCap dictionary).
    pii_columns : list of str
        Columns recognised as personal data; never copied into any output.
    excluded : DataFrame
        Ledger rows for data rows the reader itself set aside (e.g. survey previews), so
        that rows in = rows scored + rows excluded still holds.
    rows_in : int
        Number of data rows in the source, including those in ``excluded``.
    metadata : dict
        Reader facts worth showing the user (encoding, delimiter, header rows).
    """

    frame: pd.DataFrame
    source: str
    row_numbers: np.ndarray
    flavor: str = "plain"
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    pii_columns: list[str] = field(default_factory=list)
    excluded: pd.DataFrame = field(default_factory=empty_ledger)
    rows_in: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.row_numbers = np.asarray(self.row_numbers, dtype=np.int64)
        if len(self.row_numbers) != len(self.frame):
            raise ValueError("row_numbers must have one entry per data row")
        if self.rows_in is None:
            self.rows_in = len(self.frame) + len(self.excluded)
