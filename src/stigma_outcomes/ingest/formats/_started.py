"""Text exports parsed ahead, on a thread of their own, while the command sets itself up.

``stigma-outcomes score`` spends its first half second importing pandas, pydantic and the
scoring code, all holding the GIL, while the other core idles; Arrow's CSV parse runs
without the GIL. :func:`start_reading` is called first thing: a thread imports the text
reader and runs the same sniffing and parse :func:`~.text.read_text` runs, for the same
file with the same settings (none given: sniffed). When the reader gets to that file it
takes the result (:func:`take_started`) if the file has not changed since, else parses
as it always did. One set of reading rules; only the moment differs.

This module imports nothing heavy, so the command can call it before its own imports.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from . import TEXT_SUFFIXES

_Key = tuple[str, str | None, str | None]
_STARTED: dict[_Key, tuple[tuple[int, int], Future]] = {}
_LOCK = threading.Lock()


def _key(path: str | os.PathLike[str], encoding: str | None, delimiter: str | None) -> _Key:
    return os.path.realpath(path), encoding, delimiter


def _stamp(info: os.stat_result) -> tuple[int, int]:
    return info.st_size, info.st_mtime_ns


def start_reading(paths: list[Path]) -> None:
    """Start parsing these exports (regular files with a text suffix; others are left
    alone) on one background thread, with the encoding and delimiter sniffed."""
    jobs: list[tuple[Path, Future]] = []
    for path in paths:
        if Path(path).suffix.lower() not in TEXT_SUFFIXES:
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        key = _key(path, None, None)
        future: Future = Future()
        with _LOCK:
            if key in _STARTED:
                continue  # a file named twice is parsed ahead once (its first reading takes it)
            _STARTED[key] = (_stamp(info), future)
        jobs.append((Path(path), future))
    if jobs:
        threading.Thread(target=_run, args=(jobs,), name="read-ahead", daemon=True).start()


def _run(jobs: list[tuple[Path, Future]]) -> None:
    from ._arrow_text import ONE_THREAD

    # One core parses; the command's thread, importing meanwhile, has the other. (Arrow's
    # threads too would take turns with it on two cores, and the imports are the longer.)
    ONE_THREAD.set(True)  # this thread's own context: no other parse is affected
    for file, future in jobs:
        if not future.set_running_or_notify_cancel():
            continue
        try:
            from ..._inputs import check_input_file
            from .text import _first_parse

            check_input_file(file, "export file")
            future.set_result(_first_parse(file, None, None))
        except BaseException as exc:  # handed to the reader, which raises it as its own
            future.set_exception(exc)


def take_started(
    file: str | os.PathLike[str], encoding: str | None, delimiter: str | None
) -> Any | None:
    """The parse started for this file and these settings (waiting for it if need be), or
    ``None`` when none was started or the file changed since. A failure raises here, as it
    would have in the reader."""
    if not _STARTED:
        return None
    with _LOCK:
        entry = _STARTED.pop(_key(file, encoding, delimiter), None)
    if entry is None:
        return None
    stamp, future = entry
    while not future.done():
        # Rather than wait, parse pieces of the file on this thread too (_pieces.py).
        from ._pieces import help_parsing

        help_parsing()
        with contextlib.suppress(TimeoutError):
            future.exception(timeout=0.02)
    exception = future.exception()
    try:
        unchanged = _stamp(os.stat(file)) == stamp
    except OSError:
        unchanged = False
    if not unchanged:
        return None  # what was parsed (or failed) may not be what the file holds now
    if exception is not None:
        raise exception
    return future.result()


def forget_started() -> None:
    """Drop what was started and never taken (the command ended before reading it)."""
    with _LOCK:
        pending = list(_STARTED.values())
        _STARTED.clear()
    for _, future in pending:
        future.cancel()


@contextlib.contextmanager
def reading_ahead(paths: list[Path]) -> Iterator[None]:
    """:func:`start_reading` these exports; whatever the block did not take is forgotten
    when it ends (a command that stops early leaves nothing started)."""
    start_reading(paths)
    try:
        yield
    finally:
        forget_started()
