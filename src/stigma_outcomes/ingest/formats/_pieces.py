"""A large export parsed ahead in pieces, which a thread that would wait for it may share.

The read-ahead parses on one Arrow thread so that the command's own thread keeps the other
core for its imports. When that thread gets to the file before the parse has finished, it
would only wait: instead :func:`help_parsing` lets it parse the pieces nobody has taken
yet, so the rest of the file is parsed on both cores.

Pieces are cut only where a record surely ends: at a line break, in a file without a
single quote character (no cell can hold a line break, so each line is one record,
whichever piece it lands in). Each piece is parsed as Arrow parses the whole file (same
options, the header and a ``sep=`` line in the first piece only), the blank lines skipped
are added up over the pieces, and the pieces' tables, in file order, make the table.
Anything a piece's parse doubts (an error, bytes that are not UTF-8, a blank line inside)
sends the file back to the whole-file parse, which decides as it always has.
"""

from __future__ import annotations

import os
import threading

import pyarrow as pa

from ._arrow_text import decoding_errors, judge, parse_counting

PIECE_BYTES = 8 << 20
"""About how many bytes each piece holds."""

SHARED_FROM = 32 << 20
"""Files smaller than this are parsed whole (the sharing would gain next to nothing)."""

_OPEN: list[_Pieces] = []
_OPEN_LOCK = threading.Lock()


class _Pieces:
    """The pieces of one parse: taken one at a time by whichever thread comes next."""

    def __init__(self, path: str, bounds: list[int], parse_args: tuple) -> None:
        self.path = path
        self.bounds = bounds
        self.parse_args = parse_args
        self.results: list[tuple[pa.Table | pa.ArrowInvalid, int] | BaseException | None]
        self.results = [None] * (len(bounds) - 1)  # None: not parsed, or holds a quote
        self._next = 0
        self._finished = 0
        self._lock = threading.Condition()

    def work(self) -> None:
        """Parse pieces until none is left to take."""
        while True:
            with self._lock:
                index = self._next
                if index >= len(self.results):
                    return
                self._next += 1
            try:
                outcome: tuple | BaseException | None = self._parse(index)
            except BaseException as exc:  # handed to the owner, which raises it
                outcome = exc
            with self._lock:
                self.results[index] = outcome
                self._finished += 1
                if not (isinstance(outcome, tuple) and isinstance(outcome[0], pa.Table)):
                    # The whole file will be parsed: the pieces not taken are dropped.
                    self._finished += len(self.results) - self._next
                    self._next = len(self.results)
                self._lock.notify_all()
            if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                raise outcome  # an interrupt stops the helping thread too

    def wait(self) -> None:
        """Until every piece taken by any thread is parsed."""
        with self._lock:
            while self._finished < len(self.results):
                self._lock.wait()

    def _parse(self, index: int) -> tuple[pa.Table | pa.ArrowInvalid, int] | None:
        """The piece's table (or Arrow's error) and its blank lines; ``None`` if it holds a
        quote character (then a line break may sit inside a cell: the file is parsed whole).
        """
        delimiter, width, skip, block_size = self.parse_args
        start, end = self.bounds[index], self.bounds[index + 1]
        with open(self.path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        if b'"' in data:
            return None
        return parse_counting(
            pa.BufferReader(data),
            delimiter,
            width,
            False,
            skip if index == 0 else 0,
            block_size,
            False,
        )


def help_parsing() -> None:
    """Parse pieces of the parses under way (the caller would otherwise wait for them)."""
    with _OPEN_LOCK:
        under_way = list(_OPEN)
    for pieces in under_way:
        pieces.work()


def parse_in_pieces(
    path: str, delimiter: str, width: int, trailing: int, skip: int, block_size: int
) -> pa.Table | None:
    """The file's table parsed in shared pieces, or ``None`` to parse it whole instead."""
    bounds = piece_bounds(path, PIECE_BYTES, SHARED_FROM)
    if bounds is None:
        return None
    pieces = _Pieces(str(path), bounds, (delimiter, width, skip, block_size))
    with decoding_errors() as undecodable:
        with _OPEN_LOCK:
            _OPEN.append(pieces)
        try:
            pieces.work()
            pieces.wait()
        finally:
            with _OPEN_LOCK:
                _OPEN.remove(pieces)
    tables: list[pa.Table] = []
    blank_lines = 0
    for outcome in pieces.results:
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is None:
            return None  # a quote character: the whole file decides
        result, blanks = outcome
        if not isinstance(result, pa.Table):
            return None  # the whole file decides what an error means
        tables.append(result)
        blank_lines += blanks
    table = judge(pa.concat_tables(tables), blank_lines, undecodable, trailing)
    return table if isinstance(table, pa.Table) else None


def piece_bounds(path: str | os.PathLike[str], piece: int, smallest: int) -> list[int] | None:
    """Offsets cutting the file into pieces of about ``piece`` bytes, each just after a line
    break; ``None`` when the file is smaller than ``smallest`` or has too few line breaks
    to cut. (Whether a piece holds a quote character is seen when it is parsed.)"""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size < smallest:
            return None
        bounds = [0]
        for target in range(piece, size, piece):
            if target < bounds[-1]:
                continue  # inside the line that ended the last piece
            handle.seek(target)
            cut = handle.read(_LOOK).find(b"\n")
            if cut != -1 and target + cut + 1 < size:
                bounds.append(target + cut + 1)
    bounds.append(size)
    return bounds if len(bounds) > 2 else None


_LOOK = 1 << 16
"""Bytes read after each cutting point to find the next line break (a longer line: no cut)."""
