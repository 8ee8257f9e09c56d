"""Google Forms responses (CSV from the form or its linked Sheet).

The first column is ``Timestamp``; an ``Email Address`` column follows when the form
collects e-mail; every other header is the question title as typed, which can repeat.
Repeated titles are numbered (``Title (2)``) in column order, which is a rule of this
platform, not an error. Grid questions give one column per row, ``Title [Row]``.
"""

from __future__ import annotations

import re

import pandas as pd

from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, Platform, make_unique, name_columns, split_header

NAME = "google_forms"

TIMESTAMP_HEADERS = {
    "timestamp",
    "marca temporal",
    "horodateur",
    "zeitstempel",
    "carimbo de data/hora",
}
_GRID = re.compile(r"^(?P<title>.+?)\s*\[(?P<row>[^\[\]]+)\]$")


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
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
    checkbox = [n for n in names[1:] if _joined_choices(frame[n])]
    if checkbox:
        # Google Forms joins ticked options with ", "; an option whose own label holds
        # a comma cannot be told apart from two options.
        metadata["checkbox_columns"] = checkbox
    grids = {title: cols for title, cols in grids.items() if len(cols) > 1}
    if grids:
        metadata["grids"] = grids
    if renamed:
        metadata["renamed_duplicates"] = renamed
    return Parsed.of_sheet(
        sheet,
        frame,
        numbers,
        metadata=metadata,
    )


def _joined_choices(column: pd.Series) -> bool:
    """Whether a column looks like checkbox answers: options joined by ", ", reused."""
    values = column.head(2000).dropna().astype(str)
    joined = values[values.str.contains(", ", regex=False)]
    if joined.empty:
        return False
    counts = values.str.split(", ").explode().str.strip().value_counts()
    if len(counts) > 20:
        return False
    # Real checkbox cells are made only of options that recur across answers; free text
    # with commas rarely repeats its fragments.
    parts = joined.str.split(", ").explode().str.strip()
    recurring = parts.map(counts).fillna(0).ge(2).groupby(level=0).all()
    return bool(recurring.any())


# Personal columns: lower-cased name → why it identifies someone (table 1.8 of the notes).
FLAVOR = Platform(
    NAME,
    detect,
    parse,
    personal_columns={
        "timestamp": "date tied to a person",
        "email address": "e-mail",
    },
)
