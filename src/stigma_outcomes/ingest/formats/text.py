"""CSV and TSV exports → :class:`Sheet` of text cells.

Every cell is kept as text exactly as written: an empty cell is missing, and strings
such as ``NA`` or ``None`` stay strings (a respondent may really have typed them). The
fast path hands the file to pyarrow's multi-threaded CSV parser; files it cannot take
as they are (a ragged row, a blank line in the middle, a byte that breaks UTF-8) go
through Python's ``csv`` module, which also finds the exact row to blame.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from ...errors import InputError
from ..encoding import SAMPLE_BYTES, Sniffed, sniff_delimiter, sniff_encoding
from ._arrow_text import NOT_UTF8, Sentinel, all_ascii, arrow_read, block_size
from ._started import take_started

if TYPE_CHECKING:
    from .sheet import Sheet

_UTF8 = {"utf-8", "utf8", "utf-8-sig", "ascii"}
_TSV_SUFFIXES = {".tsv", ".tab"}
_SEP_LINE = re.compile(r"sep=(.)\r?\n")


def read_text(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sheet:
    """Read a delimited text export, header rows and all, as a positional :class:`Sheet`.

    Parameters
    ----------
    path : path
        The CSV or TSV file.
    encoding, delimiter : str, optional
        Override the sniffed encoding or delimiter.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("id;q1\\nA;NA\\nB;\\n".encode("utf-8"))
    >>> s = read_text(p)
    >>> s.metadata["delimiter"], s.cells[1].tolist()
    (';', ['q1', 'NA', nan])
    """
    file = Path(path)
    first = take_started(file, encoding, delimiter) or _first_parse(file, encoding, delimiter)
    meta, skip = first.meta, first.skip
    if isinstance(first.table, pa.Table):
        return _sheet_from_arrow(first.table, file, meta, skip)
    sniffed = first.sniffed
    text = _decode_all(file, sniffed.encoding)
    if sniffed.encoding.lower() not in _UTF8 and first.width > 1:
        # Transcoded once, the text can still take the fast parser.
        data = text.removeprefix("\ufeff").encode("utf-8")
        trailing = _trailing_blank_lines(text[-4096:])
        table = arrow_read(
            lambda: pa.BufferReader(data),
            first.delimiter,
            first.width,
            True,
            trailing,
            skip,
            block_size(data),
        )
        if isinstance(table, pa.Table):
            return _sheet_from_arrow(table, file, meta, skip)
    return _read_python(text, file, first.delimiter, meta, skip)


@dataclass
class _FirstParse:
    """What sniffing and the fast parse found: Arrow's table, or what the slow path needs."""

    table: pa.Table | None
    sniffed: Sniffed
    delimiter: str
    width: int
    skip: int
    meta: dict


def _first_parse(file: Path, encoding: str | None, delimiter: str | None) -> _FirstParse:
    """Sniff the encoding, delimiter and width, and parse with Arrow when the file allows."""
    size = file.stat().st_size
    with file.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
        # A very wide export's header line is longer than the sample: read on until the
        # sample holds a few whole lines (the width and the delimiter are judged on them).
        while sample.count(b"\n") < 4 and len(sample) < size and len(sample) < 64 * 2**20:
            more = handle.read(len(sample))
            if not more:
                break
            sample += more
    if not sample.strip():
        raise InputError("the file is empty", where=str(file), fix="export the data again")
    sniffed = Sniffed(encoding, "given with --encoding") if encoding else sniff_encoding(sample)
    sample_text = sample.decode(sniffed.encoding, errors="ignore")
    if not sample_text.strip():
        raise InputError("the file is empty", where=str(file), fix="export the data again")
    _refuse_binary(sample_text, sample, file)
    hint = _SEP_LINE.match(sample_text.lstrip("\ufeff"))
    skip = 1 if hint else 0
    if hint:
        # Excel's "sep=;" first line names the delimiter and is not part of the table.
        sample_text = sample_text.lstrip("\ufeff")[hint.end() :]
        delimiter = delimiter or hint.group(1)
    if delimiter is None:
        preferred = "\t" if file.suffix.lower() in _TSV_SUFFIXES else None
        delimiter = sniff_delimiter(sample_text, preferred=preferred)
    width = _first_record_width(sample_text, delimiter)
    multiline = _quoted_newline(sample_text, delimiter)
    meta = {
        "format": "csv" if delimiter != "\t" else "tsv",
        "encoding": sniffed.encoding,
        "encoding_reason": sniffed.reason,
        "delimiter": delimiter,
        "bytes": size,
    }
    table = None
    if sniffed.encoding.lower() in _UTF8 and width > 1:
        trailing = _trailing_blank_lines(_tail(file).decode("utf-8", errors="ignore"))
        block = block_size(sample)
        sep = delimiter
        ascii_only = all_ascii(file)

        def parse(multiline: bool) -> pa.Table | Sentinel | None:
            return arrow_read(
                lambda: pa.OSFile(str(file)),
                sep,
                width,
                multiline,
                trailing,
                skip,
                block,
                str(file),
                ascii_only,
            )

        table = parse(multiline)
        if table is None and not multiline:
            # A quoted line break later in the file: parse again, allowing for it.
            table = parse(True)
        if table is NOT_UTF8 and not encoding:
            sniffed = Sniffed("cp1252", "a byte later in the file is not valid UTF-8")
            meta.update(encoding=sniffed.encoding, encoding_reason=sniffed.reason)
            table = None
        elif table is NOT_UTF8:
            raise InputError(
                "the file is not valid UTF-8 although --encoding said so",
                where=str(file),
                fix="leave out --encoding so the encoding is detected, or give the right one",
            )
    return _FirstParse(
        table if isinstance(table, pa.Table) else None, sniffed, delimiter, width, skip, meta
    )


_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
"""Control characters no text export holds (tab, line breaks, vertical tab and form feed
may appear in typed answers)."""


def _refuse_binary(text: str, head: bytes, file: Path) -> None:
    """Refuse a file of binary data that reached the text reader (no extension, or the
    wrong one): decoded, it would be a table of garbage. Control characters no text holds
    (NUL among them) make up 17-99% of the first 8 KiB of the SPSS, Stata, SAS and Excel
    files tried; a typed answer may hold a stray one, so binary means at least 8 of them
    and more than one character in ten.

    Examples
    --------
    >>> _refuse_binary("id,q1\\nA,2\\x1f\\n", b"", Path("x.csv"))
    >>> try:
    ...     _refuse_binary("\\x00" * 8, b"\\x00" * 8, Path("x"))
    ... except InputError as err:
    ...     print(err.what)
    the file holds binary data, not text: it looks like a binary file of unknown kind
    """
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample))
    if controls < 8 or controls * 10 <= len(sample):
        return
    from . import EXPORT_KINDS
    from ._magic import HEAD_BYTES, describe_bytes

    typed = [s for s, kind in EXPORT_KINDS.items() if kind != "text" and s != ".xls"]
    raise InputError(
        f"the file holds binary data, not text: it looks like {describe_bytes(head[:HEAD_BYTES])}",
        where=str(file),
        fix=f"give the file the extension of what it is ({', '.join(typed)}), or "
        "export the responses again as CSV",
    )


def _tail(file: Path, size: int = 4096) -> bytes:
    with file.open("rb") as handle:
        handle.seek(max(file.stat().st_size - size, 0))
        return handle.read()


def _trailing_blank_lines(tail: str) -> int:
    """Whitespace-only lines after the last line with content.

    pyarrow reads an empty line as a row of empty cells (dropped later with the row
    numbers intact) but rejects a line of spaces as a short row; such lines at the very
    end shift no row numbers, so they need not send the file down the slow path.

    Examples
    --------
    >>> _trailing_blank_lines("a,b\\n1,2\\n"), _trailing_blank_lines("a,b\\n1,2\\r\\n \\r\\n\\n")
    (0, 1)
    """
    end = len(tail.rstrip())
    pieces = tail[end:].split("\n")[1:]
    return sum(1 for piece in pieces if piece.strip("\r") != "")


def _first_record_width(text: str, delimiter: str) -> int:
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if row:
            return len(row)
    return 0


def _quoted_newline(text: str, delimiter: str) -> bool:
    """Whether any complete record of the sample has a line break inside a quoted cell."""
    if '"' not in text:
        return False  # only a quoted cell can hold a line break (64 KB read for nothing)
    lines = text.splitlines(keepends=True)
    body = "".join(lines[:-1]) if len(lines) > 1 else text
    try:
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
        return any("\n" in cell or "\r" in cell for row in reader for cell in row)
    except csv.Error:
        return True


def _sheet_from_arrow(table: pa.Table, file: Path, meta: dict, skip: int = 0) -> Sheet:
    import pyarrow.compute as pc

    from .sheet import Sheet

    numbers = np.arange(1 + skip, table.num_rows + 1 + skip, dtype=np.int64)
    keep = None
    # A row is blank when every cell is; a column without a blank cell (an ID column, say)
    # rules that out for every row, without a pass over the others.
    if all(column.null_count for column in table.columns):
        for column in table.columns:
            valid = pc.is_valid(column)
            keep = valid if keep is None else pc.or_(keep, valid)
    blank = 0
    if keep is not None and not pc.all(keep).as_py():
        mask = keep.to_numpy(zero_copy_only=False)
        blank = int((~mask).sum())
        table = table.filter(keep)
        numbers = numbers[mask]
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    meta = {**meta, "reader": "pyarrow", "blank_rows_skipped": blank}
    return Sheet(cells=frame, row_numbers=numbers, source=file.name, fmt="csv", metadata=meta)


def _decode_all(file: Path, encoding: str) -> str:
    raw = file.read_bytes()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding.lower().replace("_", "-") in _UTF8 | {"utf-8"}:
            return raw.decode("cp1252", errors="replace")
        raise InputError(
            f"cannot decode the file as {encoding}: {exc.reason} at byte {exc.start}",
            where=str(file),
            fix="save the export as UTF-8 CSV, or give the right --encoding",
        ) from None
    except LookupError:
        raise InputError(
            f"unknown text encoding '{encoding}'",
            where=str(file),
            fix="use a Python codec name such as utf-8, utf-16 or cp1252",
        ) from None


def _read_python(text: str, file: Path, delimiter: str, meta: dict, skip: int = 0) -> Sheet:
    import pandas as pd

    from .sheet import Sheet

    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    numbers: list[int] = []
    width = 0
    blank = 0
    padded: list[int] = []
    try:
        for number, row in enumerate(reader, start=1):
            if number <= skip:
                continue
            if all(cell == "" for cell in row) or (len(row) == 1 and not row[0].strip()):
                blank += 1
                continue
            if not width:
                width = len(row)
            elif len(row) != width:
                if len(row) > width and not any(c.strip() for c in row[width:]):
                    row = row[:width]  # trailing empty cells some spreadsheets add
                elif len(row) < width:
                    # Trailing cells left out (ODK Central writes rows of an older form
                    # version this way): read as blank, as pandas and R do, and noted.
                    padded.append(number)
                    row = row + [""] * (width - len(row))
                else:
                    raise InputError(
                        f"row has {len(row)} cells but the header has {width} columns",
                        where=f"{file.name}, row {number}",
                        fix="check for an unquoted delimiter or a broken line in that row",
                    )
            rows.append(row)
            numbers.append(number)
    except csv.Error as exc:
        raise InputError(
            f"the file is not valid CSV: {exc}",
            where=f"{file.name}, row {reader.line_num}",
            fix="check the quotes in that row, or export the data again",
        ) from None
    if not rows:
        raise InputError("the file is empty", where=str(file), fix="export the data again")
    frame = pd.DataFrame(rows, dtype="str")
    frame = frame.mask(frame == "")
    meta = {**meta, "reader": "python-csv", "blank_rows_skipped": blank}
    if padded:
        meta["short_rows_padded"] = padded
    return Sheet(
        cells=frame,
        row_numbers=np.asarray(numbers, dtype=np.int64),
        source=file.name,
        fmt="csv",
        metadata=meta,
    )
