"""Excel workbooks (.xlsx) → :class:`Sheet`, header rows and all.

Cells keep the type Excel stored (numbers stay numbers, text stays text) because that
is what the user sees in the workbook. A password-protected workbook is not a zip
archive at all but an encrypted compound file, so it is recognised by its first bytes
and reported as such rather than as "corrupt".
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._inputs import zip_damage
from ...errors import InputError
from ._magic import OLE2
from .sheet import Sheet

_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def read_excel(path: str | os.PathLike[str], *, sheet: str | int | None = None) -> Sheet:
    """Read one worksheet of an ``.xlsx`` workbook as a positional :class:`Sheet`.

    Parameters
    ----------
    path : path
        The workbook.
    sheet : str or int, optional
        Worksheet name, or 0-based position; the first worksheet by default.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.xlsx"
    >>> wb = openpyxl.Workbook(); wb.active.append(["id", "q1"]); wb.active.append(["A", 2])
    >>> wb.save(p)
    >>> read_excel(p).cells.values.tolist()
    [['id', 'q1'], ['A', 2]]
    """
    from openpyxl import load_workbook

    file = Path(path)
    _refuse_non_zip(file)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (*zip_damage(), KeyError, ValueError, TypeError) as exc:
        raise InputError(
            f"the workbook cannot be opened ({type(exc).__name__}: {exc})",
            where=str(file),
            fix="open it in Excel and save it again as .xlsx, or export the data as CSV",
        ) from None
    try:
        worksheet = _pick_sheet(book, sheet, file)
        rows: list[list[Any]] = []
        numbers: list[int] = []
        blank = 0
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            values = [_clean(v) for v in row]
            if all(v is None for v in values):
                blank += 1
                continue
            rows.append(values)
            numbers.append(number)
        title = worksheet.title
    except (*zip_damage(), KeyError, ValueError) as exc:
        raise InputError(
            f"the workbook is damaged ({type(exc).__name__}: {exc})",
            where=str(file),
            fix="open it in Excel and save it again, or export the data as CSV",
        ) from None
    finally:
        book.close()
    if not rows:
        raise InputError(
            f"worksheet '{title}' is empty", where=str(file), fix="choose the sheet with --sheet"
        )
    width = max(len(r) for r in rows)
    # read_only mode reports the used range, which can run past the last real column.
    while width > 1 and all(len(r) < width or r[width - 1] is None for r in rows):
        width -= 1
    rows = [(r + [None] * width)[:width] for r in rows]
    frame = pd.DataFrame(rows, dtype=object)
    meta = {"format": "xlsx", "sheet": title, "blank_rows_skipped": blank}
    return Sheet(
        cells=frame,
        row_numbers=np.asarray(numbers, dtype=np.int64),
        source=file.name,
        fmt="xlsx",
        metadata=meta,
    )


def _refuse_non_zip(file: Path) -> None:
    with file.open("rb") as handle:
        head = handle.read(8)
        if not head:
            raise InputError("the file is empty", where=str(file), fix="export the data again")
        if head == OLE2:
            handle.seek(0)
            body = handle.read(1 << 20)
            if _ENCRYPTED_MARK in body:
                raise InputError(
                    "the workbook is password-protected",
                    where=str(file),
                    fix="open it in Excel, remove the password (File > Info > Protect "
                    "Workbook), save, and try again, or export the data as CSV",
                )
            raise InputError(
                "this is an old-style .xls workbook (or an encrypted one), not .xlsx",
                where=str(file),
                fix="open it in Excel and save it as .xlsx, or export the data as CSV",
            )
    if not zipfile.is_zipfile(file):
        if head.startswith(b"PK"):
            raise InputError(
                "the workbook is damaged or incomplete (its zip directory is missing)",
                where=str(file),
                fix="download or copy the file again; if Excel can open it, save it again",
            )
        raise InputError(
            "the file is not an Excel .xlsx workbook (it is not a zip archive)",
            where=str(file),
            fix="check that this is the export you meant; re-download it if it was cut short",
        )


def _pick_sheet(book: Any, sheet: str | int | None, file: Path) -> Any:
    names = book.sheetnames
    if sheet is None:
        return book[names[0]]
    if isinstance(sheet, str) and sheet in names:
        return book[sheet]
    if isinstance(sheet, int) or sheet.isdigit():
        position = int(sheet)
        if 0 <= position < len(names):
            return book[names[position]]
    raise InputError(
        f"worksheet '{sheet}' not found",
        where=str(file),
        fix=f"choose one of: {', '.join(repr(n) for n in names)}",
    )


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() != "" else None
    return value
