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

__all__ = ["TEXT_SUFFIXES", "Sheet"]

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".tab", ".dat"})
"""File name endings read as delimited text (others by their first bytes)."""


# Loaded on first use: the text reader's parse starts before pandas is imported.
__getattr__, __dir__ = lazy_exports(__name__, {"Sheet": ".sheet"})
