"""Charts drawn in forked children, so matplotlib's import and the drawing leave the main path.

A command that will draw charts (``demo``) calls :func:`start` first thing, before numpy,
pandas or any thread exists. Each forked child imports matplotlib at once, while the parent
reads, scores and compares, then waits on a pipe. When the report is rendered,
:func:`prerender` hands the charts out among the children and stores the SVG text they send
back in :mod:`.charts`' cache, where PDF, HTML and Markdown find it. The children run the
same :func:`~.charts.render_svg`, so the bytes are those the parent would have drawn.

Where there is no ``fork`` (Windows), or threads already run (forking them is unsafe), no
child starts and the parent draws as before. A child that fails sends its error back; the
parent then draws those charts itself, so an error surfaces where it always did.
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content import Chart

_HEADER = struct.Struct("<Q")


@dataclass
class _Child:
    pid: int
    send: int
    receive: int


_CHILDREN: list[_Child] = []


def _write(fd: int, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read(fd: int) -> object | None:
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    data = _read_exact(fd, _HEADER.unpack(header)[0])
    # Only ever our own child's (or parent's) pickles, through a pipe no one else holds.
    return None if data is None else pickle.loads(data)


def start(children: int = 1) -> int:
    """Fork ``children`` chart drawers now; returns how many run (0 where none can)."""
    if not hasattr(os, "fork") or threading.active_count() != 1 or _CHILDREN:
        return 0
    for _ in range(children):
        child_in, to_child = os.pipe()
        from_child, child_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child (checked by its output)
            os.close(to_child)
            os.close(from_child)
            for other in _CHILDREN:
                os.close(other.send)
                os.close(other.receive)
            code = 1
            try:
                _serve(child_in, child_out)
                code = 0
            finally:
                os._exit(code)
        os.close(child_in)
        os.close(child_out)
        _CHILDREN.append(_Child(pid, to_child, from_child))
    return len(_CHILDREN)


def _serve(receive: int, send: int) -> None:  # pragma: no cover - runs in the child
    import gc
    import signal

    # Not the command's handlers (they clean up its outputs): a signal just ends the child.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A short-lived drawer: no cycles worth collecting before it exits.
    gc.disable()
    from matplotlib.backends import backend_svg  # noqa: F401 - imported while the parent works

    from .charts import _pyplot, render_svg

    _pyplot()
    while True:
        charts = _read(receive)
        if charts is None:
            return
        try:
            reply: list[str] | None = [render_svg(c) for c in charts]  # type: ignore[union-attr]
        except Exception:
            # Not swallowed: the parent, told nothing was drawn, draws these charts itself
            # and the same error is raised there, where it always was.
            reply = None
        _write(send, reply)


def prerender(charts: Sequence[Chart]) -> None:
    """Have the children draw ``charts`` into the chart cache (nothing without children)."""
    from .charts import remember

    if not _CHILDREN or not charts:
        return
    shares = [list(charts[i :: len(_CHILDREN)]) for i in range(len(_CHILDREN))]
    busy = []
    for child, share in zip(_CHILDREN, shares, strict=True):
        if share:
            _write(child.send, share)
            busy.append((child, share))
    for child, share in busy:
        reply = _read(child.receive)
        # None when the child failed or died: render_svg then draws these charts in this
        # process when they are asked for.
        for chart, svg in zip(share, reply or (), strict=False):
            remember(chart, svg)


def stop() -> None:
    """End and reap the children (a child still importing need not finish first)."""
    import signal

    while _CHILDREN:
        child = _CHILDREN.pop()
        os.close(child.send)
        os.close(child.receive)
        os.kill(child.pid, signal.SIGTERM)
        os.waitpid(child.pid, 0)
