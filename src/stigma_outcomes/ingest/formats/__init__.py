"""File formats: each reader turns one file into a :class:`~.sheet.Sheet` of cells.

A sheet is what the file holds before any platform rule is applied: for text and Excel
files the header rows are still data rows (a platform flavour decides how many there
are); for typed formats (SPSS, Stata, Parquet) the column names are already known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports

if TYPE_CHECKING:
    from .sheet import Sheet

__all__ = ["EXPORT_KINDS", "TEXT_SUFFIXES", "Sheet"]

EXPORT_KINDS: dict[str, str] = {
    **dict.fromkeys((".csv", ".tsv", ".txt", ".tab", ".dat"), "text"),
    **dict.fromkeys((".xlsx", ".xlsm", ".xls"), "excel"),
    **dict.fromkeys((".sav", ".zsav", ".por"), "spss"),
    ".dta": "stata",
    **dict.fromkeys((".sas7bdat", ".xpt"), "sas"),
    **dict.fromkeys((".parquet", ".pq"), "parquet"),
}
"""Each file-name ending the readers take, and the kind of reader it names (a ``.zip`` holds
one of these; a file with another ending is judged by its first bytes). ``.xls`` is known
in order to be refused with its own message: only ``.xlsx`` workbooks are read."""

TEXT_SUFFIXES = frozenset(s for s, kind in EXPORT_KINDS.items() if kind == "text")
"""File name endings read as delimited text."""


# Loaded on first use: the text reader's parse starts before pandas is imported.
__getattr__, __dir__ = lazy_exports(__name__, {"Sheet": ".sheet"})
