"""Wall-clock timing shared by the benchmark scripts (run from the repository root)."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int = 7, warm_up: bool = False) -> tuple[float, float]:
    """Median and slowest wall time of ``runs`` calls of ``fn`` (after one unmeasured call
    when ``warm_up``)."""
    if warm_up:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


class TreeMemory:
    """The peak memory of a process and all its descendants together, sampled.

    ``os.wait4`` gives a process's own peak resident set, and for its children only the
    largest of theirs, never the sum: a command that forks a helper (``demo`` and ``run``
    draw charts in a child) would look smaller than it is. This samples, every
    ``interval`` seconds, the proportional set size (PSS: a page shared by n processes
    counts 1/n in each) of the process and every descendant from ``/proc``, and keeps the
    largest sum. Linux only; elsewhere (no ``/proc``) the peak stays ``None``.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import threading

        self.pid = pid
        self.interval = interval
        self.peak_kib: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as handle:
                        todo += [int(c) for c in handle.read().split()]
            except OSError:
                continue
        return found

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _sample(self) -> None:
        if not os.path.isdir("/proc/self"):
            return
        while not self._stop.wait(self.interval):
            total = sum(self._pss_kib(pid) for pid in self._tree())
            if total and (self.peak_kib is None or total > self.peak_kib):
                self.peak_kib = total

    def stop(self) -> float | None:
        """Stop sampling; the peak in MiB (``None`` where it could not be sampled)."""
        self._stop.set()
        self._thread.join()
        return None if self.peak_kib is None else self.peak_kib / 1024
