"""Benchmark: the instrument library's own tools, on every built-in definition.

Run from the repository root::

    python benchmarks/bench_library.py

Times (median of 7 runs): loading and cross-checking every definition from YAML (file cache
cleared each run), rendering the catalogue, exporting every REDCap data dictionary, and
scoring 10,000 respondents on the widest of this library's distress and stigma definitions
(K10 + PHQ-9 + OMS-HC-15 + SSOSH, 44 items, 10% of cells blank).
"""

from __future__ import annotations

import resource
import sys

import numpy as np
import pandas as pd
from _timing import timed


def make_responses(n: int = 10_000, seed: int = 6) -> pd.DataFrame:
    """Random in-range codes for four instruments, with 10% of cells left blank."""
    from stigma_outcomes.instruments import load_instrument

    rng = np.random.default_rng(seed)
    data: dict[str, object] = {"participant_id": [f"p{i:05d}" for i in range(n)]}
    for instrument_id in ("k10", "phq9", "omshc15", "ssosh"):
        inst = load_instrument(instrument_id)
        for item in inst.items:
            codes = np.array([o.code for o in inst.response_scales[item.scale]], dtype=float)
            values = rng.choice(codes, n)
            values[rng.random(n) < 0.10] = np.nan
            data[f"{instrument_id}_{item.id}"] = values
    return pd.DataFrame(data)


def main() -> int:
    import stigma_outcomes as so
    from stigma_outcomes.instruments import registry
    from stigma_outcomes.instruments.catalogue import builtin_instruments, render_catalogue
    from stigma_outcomes.instruments.redcap import to_redcap_dictionary

    def load_all() -> list[object]:
        registry._load_file_cached.cache_clear()
        return builtin_instruments()

    instruments = load_all()
    responses = make_responses()
    rows = [
        ("load + cross-check all definitions", timed(load_all)),
        ("render catalogue", timed(lambda: render_catalogue(instruments))),
        (
            "REDCap dictionaries, all definitions",
            timed(lambda: [to_redcap_dictionary(i) for i in instruments]),
        ),
        (
            "score 10,000 respondents, 4 instruments",
            timed(lambda: so.score(responses, ["k10", "phq9", "omshc15", "ssosh"])),
        ),
    ]
    print(f"{len(instruments)} definitions")
    for name, (median, slowest) in rows:
        print(f"{name:<42} median {median * 1000:9.1f} ms   slowest {slowest * 1000:9.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (whole process): {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
