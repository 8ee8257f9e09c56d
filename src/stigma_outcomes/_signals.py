"""SIGINT and SIGTERM held back while a set of outputs moves into place.

A leaf module: it imports nothing from the package.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM while the files move, so a set is never half replaced.

    Python runs signal handlers on the main thread only, whichever thread the signal
    reached; masking the signal on the main thread (``pthread_sigmask``) therefore does not
    hold it back once other threads run (a writer, Arrow's or BLAS's pools), as the kernel
    then hands it to one of them. So the handlers themselves are swapped for one that notes
    the signal, and the first signal noted is passed to the previous handler at the end.
    On other threads this does nothing (handlers can only be set on the main thread).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def note(signum: int, _frame: object) -> None:
        caught.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, note) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            _deliver(caught[0], previous[caught[0]])


def _deliver(signum: int, handler: Any) -> None:
    """Act on a signal held back, as its handler would have."""
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.raise_signal(signum)  # the default action: end the process
