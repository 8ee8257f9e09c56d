"""Wall-clock timing shared by the benchmark scripts (run from the repository root)."""

from __future__ import annotations

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
