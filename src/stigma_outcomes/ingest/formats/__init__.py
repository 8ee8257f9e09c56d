"""File formats: each reader turns one file into a :class:`~.sheet.Sheet` of cells.

A sheet is what the file holds before any platform rule is applied: for text and Excel
files the header rows are still data rows (a platform flavour decides how many there
are); for typed formats (SPSS, Stata, Parquet) the column names are already known.
"""

from .sheet import Sheet

__all__ = ["Sheet"]
