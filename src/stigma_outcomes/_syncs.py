"""Staged outputs flushed to the disk while the run goes on (issue 15).

A staged file must reach the disk before it moves into place, or a crash could leave an
empty file under the final name. Flushing (``fsync``) waits on the disk, not the processor:
at the end of a 58 MB score file it held the writing thread 33 ms. Here each staged file is
flushed on a thread of its own as soon as it is closed, while the run writes its next file;
:meth:`Syncs.wait` (called before anything moves into place) waits for them all and raises
the first failure as the :class:`~stigma_outcomes.errors.OutputError` the write would have
raised. Several flushes at once also share the file system's journal commits.

A leaf module: it imports nothing from the package (the error is worded by the caller's
``error`` function, :func:`stigma_outcomes._outputs.output_error`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from .errors import OutputError

_WORKERS = 4
"""Flushes under way at once (they wait on the disk; more would only queue there)."""


def _flush(path: Path) -> None:
    """Make the file's written bytes durable (any descriptor of the file flushes it)."""
    fd = os.open(path, os.O_RDONLY)
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
