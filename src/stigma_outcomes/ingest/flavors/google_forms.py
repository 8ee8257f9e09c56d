"""Google Forms responses (CSV from the form or its linked Sheet).

The first column is ``Timestamp``; an ``Email Address`` column follows when the form
collects e-mail; every other header is the question title as typed, which can repeat.
Repeated titles are numbered (``Title (2)``) in column order, which is a rule of this
platform, not an error. Grid questions give one column per row, ``Title [Row]``.
"""

from __future__ import annotations

import re

from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, make_unique, name_columns, split_header

NAME = "google_forms"

TIMESTAMP_HEADERS = {
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
}
_GRID = re.compile(r"^(?P<title>.+?)\s*\[(?P<row>[^\[\]]+)\]$")


def detect(sheet: Sheet) -> str | None:
    """Why this sheet is a Google Forms export, or ``None``."""
    first = sheet.head(1)[0]
    if first and first[0].lower() in TIMESTAMP_HEADERS:
        return f"first column '{first[0]}' (Google Forms response timestamp)"
    return None


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Number repeated titles, find grid questions and the e-mail column."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    names, renamed = make_unique([c.strip() for c in head[0]])
    frame = name_columns(frame, names, sheet.source)
    grids: dict[str, list[str]] = {}
    for name in names:
        match = _GRID.match(renamed.get(name, name))
        if match:
            grids.setdefault(match["title"].strip(), []).append(name)
    metadata: dict = {"header_rows": 0 if sheet.named else 1, "timestamp_column": names[0]}
    grids = {title: cols for title, cols in grids.items() if len(cols) > 1}
    if grids:
        metadata["grids"] = grids
    if renamed:
        metadata["renamed_duplicates"] = renamed
    return Parsed(
        frame=frame,
        row_numbers=numbers,
        column_labels=dict(sheet.column_labels),
        value_labels=dict(sheet.value_labels),
        metadata=metadata,
    )
