"""The parts of a CSV body shared with a thread that would otherwise wait (issue 15).

``score`` writes the scores on its own thread while a second thread writes the keyed items
and counts the summary; the items are the shorter job, and the second core then idled
while the scores' last lines were made. Each part of a block's lines is a pure function of
the block's pieces (:mod:`._csv`), so another thread can make some of them: the writer
takes the parts in order from the front, and a helper (:func:`help_with_parts`) takes them
from the back; the writer then finds those made (or waits for the one being made). The
bytes are the same, in the same order; only which thread made a part differs.

Nothing here runs unless a command starts a helper. Arrow's ``take`` and joining release
the GIL, so the two threads make parts at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import TypeVar

Part = TypeVar("Part")

_CHANGED = threading.Condition()
"""Guards :data:`_OPEN` and every shared set's counters; notified when a set opens or closes."""

_OPEN: list[SharedParts] = []
"""The sets of parts being written now, the newest last."""


class SharedParts:
    """``count`` parts made by ``make(index)``: in order by the writer (iterating), and from
    the back by a helper while it is open.

    Examples
    --------
    >>> parts = SharedParts(lambda i: i * 10, 3)
    >>> list(parts)
    [0, 10, 20]
    """

    def __init__(self, make: Callable[[int], Part], count: int) -> None:
        self.make, self.count = make, count
        self.front = 0  # the next part the writer makes
        self.back = count  # parts from here on are the helpers'
        self.made: dict[int, Future] = {}

    def __iter__(self) -> Iterator[Part]:
        with _CHANGED:
            _OPEN.append(self)
            _CHANGED.notify_all()
        try:
            for index in range(self.count):
                with _CHANGED:
                    mine = index < self.back
                    if mine:
                        self.front = index + 1
                if mine:
                    yield self.make(index)
                else:
                    yield self.made.pop(index).result()
        finally:
            with _CHANGED:
                _OPEN.remove(self)
                self.back = self.front  # nothing more for the helpers
                _CHANGED.notify_all()

    def _claim_last(self) -> tuple[int, Future] | None:
        """The last part nobody has taken, for a helper (the lock held)."""
        if self.back <= self.front:
            return None
        self.back -= 1
        future: Future = Future()
        self.made[self.back] = future
        return self.back, future


def help_with_parts(until: threading.Event) -> None:
    """Make parts of the open sets (from their back) until ``until`` is set.

    A part's error is kept for the writer, which raises it where it would have met it.

    Examples
    --------
    >>> done = threading.Event()
    >>> helper = threading.Thread(target=help_with_parts, args=(done,))
    >>> helper.start()
    >>> list(SharedParts(lambda i: i * i, 5))
    [0, 1, 4, 9, 16]
    >>> done.set(); helper.join()
    """
    while True:
        with _CHANGED:
            claimed = None
            while claimed is None:
                if until.is_set():
                    return
                claimed = next(
                    (
                        (shared, *taken)
                        for shared in reversed(_OPEN)
                        if (taken := shared._claim_last()) is not None
                    ),
                    None,
                )
                if claimed is None:
                    # (A timeout, too: ``until`` is set by another thread without notifying.)
                    _CHANGED.wait(timeout=0.01)
        shared, index, future = claimed
        try:
            future.set_result(shared.make(index))
        except BaseException as exc:  # the writer raises it when it gets to this part
            future.set_exception(exc)


def stop_helping(until: threading.Event) -> None:
    """Set ``until`` and wake the helpers waiting for parts, so that they return."""
    until.set()
    with _CHANGED:
        _CHANGED.notify_all()
