"""Arrow's parse of a delimited text export: every cell as text, in large blocks, fast.

:func:`arrow_read` returns the table, or a sentinel saying why the file needs the exact
(Python) path of :mod:`.text`: not UTF-8, a blank line inside, a record of another width.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar

import pyarrow as pa
import pyarrow.csv as pacsv


class Sentinel:
    """Why Arrow's table was not made (one instance per reason)."""


NOT_UTF8 = Sentinel()
_STRADDLES = Sentinel()
_BLANK_INSIDE = Sentinel()


_MIN_BLOCK, _MAX_BLOCK = 1 << 20, 256 << 20


def block_size(sample: bytes) -> int:
    """Bytes pyarrow parses at a time: 1 MiB, or room for 32 of the sample's longest lines.

    Blocks that fit in the processor's cache parse at two to three times the speed of
    16 MiB blocks (measured on 25 MB and 113 MB exports); a block must still hold whole
    records, so very wide exports get larger ones (and a longer record met later makes
    :func:`arrow_read` try again with larger blocks).
    """
    longest = max((len(line) for line in sample.split(b"\n")), default=0)
    block = _MIN_BLOCK
    while block < 32 * longest and block < _MAX_BLOCK:
        block *= 2
    return block


def all_ascii(path: str | os.PathLike[str]) -> bool:
    """Whether every byte of the file is ASCII (then it is valid UTF-8 as it stands).

    Read through a memory map, largest byte first: 3 ms for a 26 MB export, which spares
    Arrow's UTF-8 check of every text cell (22-27 ms of that file's parse).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("id,q\\nA,1\\n".encode())
    >>> all_ascii(p), (p.write_bytes("id,q\\nÅ,1\\n".encode()) and all_ascii(p))
    (True, False)
    """
    import mmap

    import numpy as np

    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return True
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = np.frombuffer(mapped, dtype=np.uint8)
            try:
                return bool(data.max() < 0x80)
            finally:
                del data  # the map can only close once no array holds it


def arrow_read(
    open_source: Callable[[], pa.NativeFile],
    delimiter: str,
    width: int,
    multiline: bool,
    trailing: int = 0,
    skip: int = 0,
    block_size: int = _MIN_BLOCK,
    path: str | None = None,
    ascii_only: bool = False,
) -> pa.Table | Sentinel | None:
    """Parse with pyarrow; ``None`` when the file needs the exact (Python) path.

    Allowing line breaks inside quoted cells halves pyarrow's speed, so it is only
    switched on when the sample shows one; a line break met later breaks the row's
    width, which sends the file back here with ``multiline`` on. A record longer than
    a block is parsed again with blocks eight times larger.

    A large file ``path`` parsed on one thread (the read-ahead) is parsed in pieces that
    a thread waiting for it may share (:mod:`._pieces`); any doubt, and it is parsed whole.
    ``ascii_only`` (the caller checked every byte, :func:`all_ascii`) spares Arrow its
    UTF-8 check of every text cell.
    """
    if path is not None and not multiline and ONE_THREAD.get():
        from ._pieces import parse_in_pieces

        table = parse_in_pieces(path, delimiter, width, trailing, skip, block_size)
        if table is not None:
            return table
    while True:
        table = _arrow_parse(
            open_source(), delimiter, width, multiline, trailing, skip, block_size, ascii_only
        )
        if table is not _STRADDLES:
            return table
        if block_size >= _MAX_BLOCK:
            return None
        block_size *= 8


def _arrow_parse(
    source: pa.NativeFile,
    delimiter: str,
    width: int,
    multiline: bool,
    trailing: int,
    skip: int,
    block_size: int,
    ascii_only: bool = False,
) -> pa.Table | Sentinel | None:
    with decoding_errors() as undecodable:
        result, blank_lines = parse_counting(
            source,
            delimiter,
            width,
            multiline,
            skip,
            block_size,
            not ONE_THREAD.get(),
            check_utf8=not ascii_only,
        )
    return judge(result, blank_lines, undecodable, trailing)


def parse_counting(
    source: pa.NativeFile,
    delimiter: str,
    width: int,
    multiline: bool,
    skip: int,
    block_size: int,
    threads: bool,
    check_utf8: bool = True,
) -> tuple[pa.Table | pa.ArrowInvalid, int]:
    """Arrow's table (or the error it raised) and the number of blank lines it skipped."""
    blank_lines = 0

    def on_invalid(row: pacsv.InvalidRow) -> str:
        nonlocal blank_lines
        if row.text.strip() == "":
            blank_lines += 1
            return "skip"
        return "error"

    names = [f"c{i}" for i in range(width)]
    try:
        table = _read_csv(
            source, names, delimiter, multiline, on_invalid, skip, block_size, threads, check_utf8
        )
    except pa.ArrowInvalid as exc:
        return exc, blank_lines
    finally:
        source.close()
    return table, blank_lines


def judge(
    result: pa.Table | pa.ArrowInvalid,
    blank_lines: int,
    undecodable: list[BaseException],
    trailing: int,
) -> pa.Table | Sentinel | None:
    """What a parse's outcome means: the table, or why the file needs another path."""
    if isinstance(result, pa.ArrowInvalid):
        message = str(result)
        if undecodable or "UTF8" in message or "UTF-8" in message:
            return NOT_UTF8
        if "straddl" in message:
            return _STRADDLES
        return None
    if undecodable:
        return NOT_UTF8
    if blank_lines > trailing:
        # A blank line in the middle shifts every later row number; only the exact
        # path knows where it was.
        return _BLANK_INSIDE
    return result


@contextlib.contextmanager
def decoding_errors() -> Iterator[list[BaseException]]:
    """Collect the decoding errors Arrow meets while parsing (one parse at a time).

    pyarrow decodes an invalid row's text as UTF-8 before calling the row handler; bytes
    that are not UTF-8 raise inside pyarrow, which Python would print as "Exception
    ignored" with a traceback. Caught here, they mean what they say: the file is not
    UTF-8. The hook is the whole process's: one parse at a time swaps it (the read-ahead
    thread may parse while the main thread reads another file), and only decoding errors
    are taken; anything else goes on to the hook that was there.
    """
    undecodable: list[BaseException] = []

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, UnicodeError):
            undecodable.append(unraisable.exc_value)
        else:
            previous_hook(unraisable)

    with _PARSING:
        previous_hook = sys.unraisablehook
        sys.unraisablehook = hook
        try:
            yield undecodable
        finally:
            sys.unraisablehook = previous_hook


_PARSING = threading.Lock()

ONE_THREAD: ContextVar[bool] = ContextVar("stigma_outcomes_parse_one_thread", default=False)
"""Parse on the calling thread alone (the read-ahead: the command's own thread, busy with
its imports meanwhile, keeps the other core)."""


def _read_csv(
    source: pa.NativeFile,
    names: list[str],
    delimiter: str,
    multiline: bool,
    on_invalid: Callable[[pacsv.InvalidRow], str],
    skip: int,
    block_size: int,
    threads: bool,
    check_utf8: bool = True,
) -> pa.Table:
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(
            column_names=names,
            block_size=block_size,
            skip_rows=skip,
            use_threads=threads,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=multiline,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            # large_string is what pandas' own string dtype holds: no cast later.
            column_types=dict.fromkeys(names, pa.large_string()),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            check_utf8=check_utf8,
        ),
    )
