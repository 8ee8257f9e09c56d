"""Benchmark: the mixed model on 20,000 participants x 3 waves, 30% of follow-ups missing.

Run from the repository root::

    python benchmarks/bench_mixed.py            # median of 5 runs, plus peak RSS
    python benchmarks/bench_mixed.py --grouped  # wave * arm model

Target (issue 4): at most 15 s. Peak RSS is the whole process's high-water mark
(``resource.getrusage``), so it includes the interpreter, numpy, pandas and scipy.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd


def make_scores(n: int = 20_000, seed: int = 2026) -> pd.DataFrame:
    """Tidy scores for one scale: every baseline present, 30% of each later wave missing."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"p{i:06d}" for i in range(n)])
    arm = np.where(rng.random(n) < 0.4, "control", "program")
    u = rng.normal(0, 2, n)
    frames = []
    for k, wave in enumerate(["pre", "post", "followup"]):
        keep = np.ones(n, bool) if k == 0 else rng.random(n) >= 0.3
        score = 20 - k * (arm == "program") + u + rng.normal(0, 1.5, n)
        frames.append(
            pd.DataFrame(
                {
                    "participant_id": ids[keep],
                    "wave": wave,
                    "arm": arm[keep],
                    "instrument": "ucla3",
                    "scale": "total",
                    "score": score[keep],
                    "status": "ok",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def bench_mixed(grouped: bool = False, repeats: int = 5) -> dict[str, float]:
    """Median wall time of ``fit_mixed_models`` and the process's peak RSS in MiB."""
    from stigma_outcomes.comparison.mixed import fit_mixed_models

    scores = make_scores()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        (record,) = fit_mixed_models(
            scores, ["pre", "post", "followup"], "arm" if grouped else None
        )
        times.append(time.perf_counter() - start)
        assert record["converged"], record["note"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / 1024 if sys.platform != "darwin" else peak / 2**20
    return {
        "observations": float(len(scores)),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "peak_rss_mib": peak_mib,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grouped", action="store_true", help="fit wave * arm")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    result = bench_mixed(args.grouped, args.repeats)
    print(
        f"mixed model ({'wave * arm' if args.grouped else 'wave'}), "
        f"{int(result['observations'])} observations: median {result['median_s']:.3f} s, "
        f"max {result['max_s']:.3f} s, peak RSS {result['peak_rss_mib']:.0f} MiB"
    )
