"""Benchmark: random-effects pooling of sites (``comparison/pooling.py``).

Run from the repository root::

    python benchmarks/bench_pooling.py

Cases: (a) ``pool_paired`` over the paired records of a large multi-site evaluation, 40
scales x 2 contrasts x 60 sites (4,800 records; 160 meta-analyses per method, each with both
effect sizes); (b) ``random_effects`` REML on 10,000 studies. Median of 7 runs after a
warm-up call. The work is per site, never per participant, so the number of participants
behind the records does not matter.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from _timing import timed

from stigma_outcomes.comparison.pooling import pool_paired, random_effects


def make_records(scales: int = 40, sites: int = 60, seed: int = 7) -> list[dict[str, Any]]:
    """Paired records grouped by 'site' with heterogeneous true changes."""
    rng = np.random.default_rng(seed)
    out = []
    for s in range(scales):
        for to in ("post", "followup"):
            true = rng.normal(2.0, 1.5, sites)
            for i in range(sites):
                n = int(rng.integers(3, 400))
                pre_sd, post_sd, r = rng.uniform(3, 8), rng.uniform(3, 8), rng.uniform(0.2, 0.8)
                sd_change = math.sqrt(pre_sd**2 + post_sd**2 - 2 * r * pre_sd * post_sd)
                pre = rng.normal(20, 2)
                post = pre + true[i] + rng.normal(0, sd_change / math.sqrt(n))
                out.append(
                    {
                        "instrument": "bench", "scale": f"s{s}", "group_column": "site",
                        "group": f"site{i:02d}", "from_wave": "pre", "to_wave": to,
                        "n_pairs": n, "pre_mean": pre, "pre_sd": pre_sd, "post_mean": post,
                        "post_sd": post_sd, "sd_change": sd_change, "improvement_sign": 1,
                        "suppress": n < 5,
                    }
                )  # fmt: skip
    return out


def main() -> None:
    records = make_records()
    for method in ("REML", "DL"):
        med, worst = timed(lambda m=method: pool_paired(records, "site", method=m), warm_up=True)
        print(f"(a) pool_paired {len(records)} records, {method}: {med:.3f} s (max {worst:.3f})")
    rng = np.random.default_rng(1)
    vi = rng.uniform(0.05, 2.0, 10_000)
    yi = rng.normal(0.5, 0.4, 10_000) + rng.normal(0, np.sqrt(vi))
    med, worst = timed(lambda: random_effects(yi, vi), warm_up=True)
    print(f"(b) random_effects REML, k = 10,000: {med:.4f} s (max {worst:.4f})")


if __name__ == "__main__":
    main()
