"""Scoring benchmark (issue 2): run with ``python benchmarks/bench_scoring.py [a|b] [--runs N]``.

(a) 1,000,000 respondents × ucla3 + ismi29 + gbs (44 items; half the item columns hold text
    labels, half numeric codes) from an in-memory DataFrame. Target ≤ 1.5 s, ≤ 1.5 GB peak.
(b) 200,000 respondents × 60 items (six 10-item mean scales, two reversed items each, 1–5,
    2% missing). Target ≤ 0.5 s.

Reports the median wall time of several runs of ``stigma_outcomes.score`` (data generation
excluded), the resident memory with the input loaded, and the peak while scoring.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import platform
import statistics
import threading
import time

import numpy as np
import pandas as pd

import stigma_outcomes as so
from stigma_outcomes.instruments import load_instrument, parse_instrument


def core_frame(n: int, seed: int = 1) -> tuple[pd.DataFrame, list]:
    rng = np.random.default_rng(seed)
    instruments = [load_instrument(i) for i in ("ucla3", "ismi29", "gbs")]
    data: dict[str, object] = {"participant_id": np.char.add("p", np.arange(n).astype(str))}
    position = 0
    for inst in instruments:
        for item in inst.items:
            options = inst.response_scales[item.scale]
            codes = rng.integers(0, len(options), size=n)
            if position % 2 == 0:
                labels = np.array([o.label for o in options], dtype=object)
                data[f"{inst.id}_{item.id}"] = labels[codes]
            else:
                data[f"{inst.id}_{item.id}"] = np.array([o.code for o in options])[codes]
            position += 1
    return pd.DataFrame(data), instruments


def wide_definition_data() -> dict:
    """Six 10-item mean scales, 1–5, the first two items of each reversed (also bench_cli)."""
    options = [{"code": c, "label": f"level {c}"} for c in range(1, 6)]
    items, scales = [], []
    for s in range(6):
        ids = [f"s{s}i{j}" for j in range(10)]
        items += [
            {"id": i, "label": f"bench item {i}", "scale": "five", "reverse": j < 2}
            for j, i in enumerate(ids)
        ]
        scales.append(
            {
                "id": f"scale{s}",
                "name": f"Scale {s}",
                "items": ids,
                "method": "mean",
                "min_answered": 8,
                "direction": "higher_is_better",
                "range": [1, 5],
            }
        )
    return {
        "id": "bench60",
        "name": "Benchmark 60",
        "short_name": "B60",
        "construct": "benchmark",
        "domain": "wellbeing",
        "version": "1",
        "provenance": {
            "citation": "Invented for the benchmark.",
            "license": {"status": "public_domain", "note": "benchmark only"},
        },
        "response_scales": {"five": options},
        "items": items,
        "scales": scales,
    }


def wide_definition() -> object:
    return parse_instrument(wide_definition_data(), "bench60.yaml")


def wide_frame(n: int, seed: int = 2) -> tuple[pd.DataFrame, list]:
    rng = np.random.default_rng(seed)
    inst = wide_definition()
    values = rng.integers(1, 6, size=(n, 60)).astype(float)
    values[rng.random((n, 60)) < 0.02] = np.nan
    frame = pd.DataFrame(values, columns=[f"bench60_{i.id}" for i in inst.items])
    frame.insert(0, "participant_id", np.arange(n).astype(str))
    return frame, [inst]


def _release_freed_memory() -> None:
    """Hand the data generator's freed temporaries back to the system.

    Without this the C heap keeps ~0.35 GB of them, which would count as "input" and let
    scoring reuse already-resident pages, flattering both the time and the memory peak.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        return


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class _PeakSampler(threading.Thread):
    """Samples resident memory every 5 ms while scoring runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = _rss_mb()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _rss_mb())
            time.sleep(0.005)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return self.peak


def run(case: str, runs: int) -> dict[str, float]:
    frame, instruments = core_frame(1_000_000) if case == "a" else wide_frame(200_000)
    so.score(frame.head(1000), instruments)  # load definitions and modules once
    _release_freed_memory()
    baseline = _rss_mb()
    sampler = _PeakSampler()
    sampler.start()
    times = []
    rows_out = 0
    for _ in range(runs):
        start = time.perf_counter()
        result = so.score(frame, instruments)
        times.append(time.perf_counter() - start)
        rows_out = len(result.scores)
        del result
    peak = sampler.stop()
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "input_rss_mb": baseline,
        "peak_rss_mb": peak,
        "rows_out": rows_out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", choices=["a", "b"])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stats = run(args.case, args.runs)
    print(
        f"case {args.case} on {platform.machine()} ({platform.python_version()}): "
        f"median {stats['median_s']:.3f} s, min {stats['min_s']:.3f} s, "
        f"RSS with the input loaded {stats['input_rss_mb']:.0f} MB, peak while scoring "
        f"{stats['peak_rss_mb']:.0f} MB "
        f"(+{stats['peak_rss_mb'] - stats['input_rss_mb']:.0f}), {stats['rows_out']:,} score rows"
    )


if __name__ == "__main__":
    main()
