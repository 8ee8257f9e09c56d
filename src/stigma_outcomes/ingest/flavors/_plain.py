"""A plain table: one header row of column names, then data."""

from __future__ import annotations

from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, Platform, name_columns, split_header

NAME = "plain"


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Plain is the fallback: it always applies."""
    return "no platform signature found; one header row of column names"


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """First row = names; every name must be unique."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    frame = name_columns(frame, list(head[0]), sheet.source)
    return Parsed.of_sheet(
        sheet,
        frame,
        numbers,
        metadata={"header_rows": 0 if sheet.named else 1},
    )


FLAVOR = Platform(
    NAME,
    detect,
    parse,
)
