"""Charts (and the PDF) made in a forked child, so matplotlib's import leaves the main path.

A command that will write a report (``demo``, ``run``) calls :func:`start` first thing,
before numpy, pandas or any thread exists. The forked child imports matplotlib (at once, or
when :func:`prepare` asks), while the parent reads, scores and compares, then waits on a
pipe. When the report is rendered, :func:`submit_report` hands it the charts and the Typst
project: it sends back the SVG text of each chart, which the parent stores in
:mod:`.charts`' cache, where PDF, HTML and Markdown find it, and then the compiled PDF,
while the parent renders the HTML. The child runs the very functions the parent would
(:func:`~.charts.render_svg`, :func:`~.render_typst.compile_project`), so the bytes are the
same.

Where there is no ``fork`` (Windows), or any other thread already runs, native ones included
(forking then is unsafe), no child starts and the parent does everything as before. A child
that fails answers ``None`` (or nothing, if it died); the parent then does that work itself,
so an error surfaces where it always did.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .content import Chart

_HEADER = struct.Struct("<Q")
_CHILD: list[tuple[int, int, int]] = []
"""The running child, if any: its pid, the pipe to it and the pipe from it."""


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


def _read(fd: int) -> Any:
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    data = _read_exact(fd, _HEADER.unpack(header)[0])
    # Only ever our own child's (or parent's) pickles, through a pipe no one else holds.
    return None if data is None else pickle.loads(data)


def _single_threaded() -> bool:
    """Whether this process runs one thread only, native ones (BLAS pools) included.

    A fork copies only the calling thread: a lock another thread held at that moment stays
    locked in the child for ever (a pytest process with numpy loaded hung just so).
    """
    if threading.active_count() != 1:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc (macOS): trust it only before numpy has started its threads
        return "numpy" not in sys.modules


def start(prepare: bool = True) -> bool:
    """Fork the child now; ``False`` where none can start (no fork, or threads running).

    With ``prepare`` the child imports matplotlib at once; without, only when
    :func:`prepare` (or a first job) asks: until then it holds a few MiB, not some sixty,
    while the command's own memory peaks (``run`` at a million rows).
    """
    if not hasattr(os, "fork") or _CHILD or not _single_threaded():
        return False
    child_in, to_child = os.pipe()
    from_child, child_out = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child (checked by what it sends back)
        os.close(to_child)
        os.close(from_child)
        code = 1
        try:
            _serve(child_in, child_out, prepare)
            code = 0
        finally:
            os._exit(code)
    os.close(child_in)
    os.close(child_out)
    _CHILD.append((pid, to_child, from_child))
    return True


def _serve(receive: int, send: int, prepare: bool) -> None:  # pragma: no cover - in the child
    import gc
    import signal

    # Not the command's handlers (they clean up its outputs): a signal just ends the child.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A short-lived helper: no cycles worth collecting before it exits.
    gc.disable()
    # One BLAS thread (drawing needs no more), so this process stays single-threaded and
    # may itself fork to draw half the charts on the other core (_draw).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    if prepare:
        _prepare()
    while True:
        job = _read(receive)
        if job is None:
            return
        kind, payload = job
        _prepare()
        if kind == "prepare":
            continue  # no answer: the parent does not wait for it
        for reply in _report(*payload):  # the one job with answers: "report"
            _write(send, reply)


def _prepare() -> None:  # pragma: no cover - runs in the child
    """matplotlib imported and styled (once; later calls cost nothing)."""
    from matplotlib.backends import backend_svg  # noqa: F401 - imported while the parent works

    from .charts import _pyplot

    _pyplot()


def _report(
    charts: list[Chart], project: dict[str, Any] | None
) -> Iterator[Any]:  # pragma: no cover - runs in the child (checked by the bytes it sends)
    """The "report" job: the charts' SVG texts, then (with a project) the compiled PDF.

    Two answers, always both when a project came, ``None`` for work that failed (the
    parent then does it itself, so an error surfaces where it always did).
    """
    from .charts import remember, render_svg
    from .render_typst import compile_project

    try:
        drawn: list[str] | None = _draw(charts, render_svg)
    except Exception:
        drawn = None
    yield drawn
    if project is None:
        return
    for chart, svg in zip(charts, drawn or (), strict=False):
        remember(chart, svg)  # the copy's half too: the project's charts are these objects
    try:
        yield compile_project(project) if drawn is not None else None
    except Exception:
        yield None


def _draw(charts: list[Chart], render: Callable[[Chart], str]) -> list[str]:
    """Draw ``charts``; where the child is alone and single-threaded, a forked copy of it
    (matplotlib already imported, nothing copied until written) draws every other one.

    The parent only waits meanwhile, so the second core is otherwise idle; each chart is
    drawn by the same function from the same state, so the bytes do not depend on who drew it.
    """
    if len(charts) < 4 or not _single_threaded():
        return [render(c) for c in charts]
    back, out = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the grandchild (checked by the bytes it sends)
        os.close(back)
        code = 1
        try:
            _write(out, [render(c) for c in charts[1::2]])
            code = 0
        finally:
            os._exit(code)
    os.close(out)
    try:
        mine = [render(c) for c in charts[0::2]]
        theirs = _read(back)
    finally:
        os.close(back)
        os.waitpid(pid, 0)
    if theirs is None or len(theirs) != len(charts[1::2]):
        theirs = [render(c) for c in charts[1::2]]  # the copy failed: draw its half here
    drawn = [""] * len(charts)
    drawn[0::2], drawn[1::2] = mine, theirs
    return drawn


def _ask(kind: str, payload: object) -> Callable[[], Any] | None:
    """Send a job; the returned call waits for its answer (``None`` without a child)."""
    if not _CHILD:
        return None
    _pid, send, receive = _CHILD[0]
    try:
        _write(send, (kind, payload))
    except BrokenPipeError:  # the child died: this process does the work itself
        return None
    return lambda: _read(receive)


def prepare() -> None:
    """Have a child started without preparing import matplotlib now (nothing without a
    child, or when it already has): the charts will be asked for soon."""
    if _CHILD:
        # A child that died has left the work to this process: nothing to prepare then.
        with contextlib.suppress(BrokenPipeError):
            _write(_CHILD[0][1], ("prepare", None))


def submit_report(
    charts: Sequence[Chart], project: dict[str, Any] | None
) -> Callable[[], Callable[[], tuple[bytes, list[str]]] | None]:
    """Have the child draw ``charts`` and compile the PDF of ``project`` (from
    :func:`~.render_typst.typst_project`, or ``None`` for no PDF), starting now.

    Returns a call that waits for the charts (stored in :mod:`.charts`' cache) and gives a
    call for the PDF (``None`` without a project). Meanwhile this process is free: a
    command can start the report and write other files while the child works. Without a
    child, or where it fails, this process draws and compiles when asked, as before.
    """
    from .charts import remember
    from .render_typst import compile_project

    answer = _ask("report", (list(charts), project))

    def charts_done() -> Callable[[], tuple[bytes, list[str]]] | None:
        if answer is not None:
            for chart, svg in zip(charts, answer() or (), strict=False):
                remember(chart, svg)
        if project is None:
            return None
        if answer is None:
            return lambda: compile_project(project)
        return lambda: answer() or compile_project(project)

    return charts_done


def stop() -> None:
    """End and reap the child (one still importing need not finish first)."""
    import signal

    while _CHILD:
        pid, send, receive = _CHILD.pop()
        os.close(send)
        os.close(receive)
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
