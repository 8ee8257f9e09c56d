"""Staged outputs flushed to the disk while the run goes on (issue 15).

A staged file must reach the disk before it moves into place, or a crash could leave an
empty file under the final name. Flushing (``fsync``) waits on the disk, not the processor:
at the end of a 58 MB score file it held the writing thread 33 ms. Here each staged file is
flushed on a thread of its own as soon as it is closed, while the run writes its next file;
:meth:`Syncs.wait` (called before anything moves into place) waits for them all and raises
the first failure as the :class:`~stigma_outcomes.errors.OutputError` the write would have
raised. Several flushes at once also share the file system's journal commits. And
:class:`Writeback` asks the kernel to start writing a long file out while it is still being
written, so that its flush finds little left to do.

A leaf module: it imports nothing from the package (the error is worded by the caller's
``error`` function, :func:`stigma_outcomes._outputs.output_error`).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from .errors import OutputError

_WORKERS = 4
"""Flushes under way at once (they wait on the disk; more would only queue there)."""

_WRITEBACK_BYTES = 8 << 20
"""Bytes written between two requests that the kernel start writing a file out."""


def _flush(path: Path) -> None:
    """Make the file's written bytes durable. Opened for writing (nothing is written, the
    file is not truncated): Windows flushes only a descriptor that may write."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Syncs:
    """The flushes of one output set's staged files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes._outputs import output_error
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("x")
    >>> syncs = Syncs(output_error)
    >>> syncs.start(p, "a.txt")
    >>> syncs.wait()  # returns once the file is on the disk
    """

    def __init__(self, error: Callable[[OSError, str], OutputError]) -> None:
        self._error = error
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[tuple[str, Future]] = []
        self._lock = threading.Lock()

    def start(self, staged: Path, target: str) -> None:
        """Begin flushing ``staged`` (closed, complete), written for ``target``."""
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="stigma-outcomes-sync")
            self._pending.append((target, self._pool.submit(_flush, staged)))

    def wait(self) -> None:
        """Until every flush has ended; the first that failed raises its ``OutputError``."""
        with self._lock:
            pending, self._pending = self._pending, []
        failure: OutputError | None = None
        for target, flush in pending:
            err = flush.exception()
            if err is not None and failure is None:
                if not isinstance(err, OSError):
                    raise err
                failure = self._error(err, target)
        if failure is not None:
            raise failure

    def close(self) -> None:
        """Drop the flushes not yet begun and wait for those under way (a run given up)."""
        with self._lock:
            pool, self._pool, self._pending = self._pool, None, []
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class Writeback:
    """Ask the kernel to start writing a long file out while it is still being written.

    A file's bytes otherwise wait in memory until its flush, which then writes them all
    (33 ms for a 58 MB score file); started every few MB (Linux ``sync_file_range``, which
    does not wait), the writing runs beside the formatting and the flush finds little left
    (3 ms). Elsewhere, or for a handle that is not a file, it does nothing.

    Examples
    --------
    >>> import io
    >>> Writeback(io.BytesIO()).wrote()  # not a file: nothing to do
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.fd = _descriptor(handle)
        self.started = handle.tell() if self.fd is not None else 0

    def wrote(self) -> None:
        """Call after each part written: starts the writing out of every 8 MB."""
        if self.fd is None:
            return
        position = self.handle.tell()
        if position - self.started < _WRITEBACK_BYTES:
            return
        self.handle.flush()
        if _sync_file_range()(self.fd, self.started, position - self.started, 2) != 0:
            self.fd = None  # refused (a file system without it): the flush does it all
        self.started = position


def _descriptor(handle: IO[bytes]) -> int | None:
    try:
        fd = handle.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None
    return fd if _sync_file_range() is not None else None


@functools.cache
def _sync_file_range() -> Callable[[int, int, int, int], int] | None:
    """libc's ``sync_file_range`` (flag 2: start writing, do not wait), where there is one."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function
