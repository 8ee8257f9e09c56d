"""Benchmark: scoring the isolation / wellbeing / support definitions at programme scale.

Run from the repository root::

    python benchmarks/bench_library_wellbeing.py

Scores 10,000 respondents on UCLA-20, WEMWBS, MSPSS, DJG-11, PROMIS SI 4a, SWEMWBS, RSES and
BRS at once (84 items; 10% of cells blank so prorating, insufficient-items ledger rows and
recodes all run) and reports the median of 7 runs and peak RSS.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd

import stigma_outcomes as so

INSTRUMENTS = ["ucla20", "wemwbs", "mspss", "djg11", "promis_si4a", "swemwbs", "rses", "brs"]
N = 10_000


def _frame(rng: np.random.Generator) -> pd.DataFrame:
    columns: dict[str, object] = {"participant_id": [f"p{i}" for i in range(N)]}
    for instrument_id in INSTRUMENTS:
        instrument = so.load_instrument(instrument_id)
        for item in instrument.items:
            codes = [o.code for o in instrument.response_scales[item.scale]]
            values = rng.choice(codes, size=N).astype(float)
            values[rng.random(N) < 0.10] = np.nan
            columns[f"{instrument_id}_{item.id}"] = values
    return pd.DataFrame(columns)


def main() -> None:
    frame = _frame(np.random.default_rng(2026))
    times = []
    for _ in range(7):
        start = time.perf_counter()
        result = so.score(frame, INSTRUMENTS)
        times.append(time.perf_counter() - start)
    rows = len(result.scores)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"respondents: {N}; items: {frame.shape[1] - 1}; score rows: {rows}")
    print(f"median {statistics.median(times):.2f} s; slowest {max(times):.2f} s")
    print(f"peak RSS {peak:.0f} MiB; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
