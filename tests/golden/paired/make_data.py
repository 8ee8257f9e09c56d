"""Write the seeded synthetic scores behind the paired and attrition goldens.

Run from the repository root: ``python tests/golden/paired/make_data.py``; then
``Rscript tests/golden/paired/reference.R`` and ``Rscript tests/golden/attrition/reference.R``.

Design (instrument ``gold``, unknown to the registry, so direction and reliability are given
by the test as overrides):

* ``ints``: integer scores 0–12, higher is worse, many ties and zero differences;
  n < 50 per site, n > 50 overall (normal approximation in the whole sample).
* ``cont``: continuous scores, higher is better, no ties (exact signed-rank for sites).
* ``half``: scores on a 0.1 grid (differences like 0.3 − 0.1 test R's unrounded ranking).
* three waves (``pre``, ``post``, ``fu``) with missing waves and some non-``ok`` scores;
  unbalanced sites A (45), B (20), C (4, below the minimum cell size).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def main() -> None:
    rng = np.random.default_rng(20240611)
    n = 69
    ids = [f"P{i:03d}" for i in range(n)]
    site = np.array(["A"] * 45 + ["B"] * 20 + ["C"] * 4)
    rows = []
    trait = rng.normal(0, 1, n)
    for scale in ("ints", "cont", "half"):
        for w, wave in enumerate(("pre", "post", "fu")):
            present = rng.random(n) > (0.0 if wave == "pre" else 0.15 + 0.1 * w)
            for i in range(n):
                if not present[i]:
                    continue
                shift = {"pre": 0.0, "post": 0.6, "fu": 0.4}[wave]
                if scale == "ints":
                    value = float(np.clip(np.round(6 + 2 * trait[i] - 1.5 * shift
                                                   + rng.normal(0, 1.2)), 0, 12))  # fmt: skip
                elif scale == "cont":
                    value = float(50 + 8 * trait[i] + 5 * shift + rng.normal(0, 4))
                else:
                    value = float(np.round(2 + 0.5 * trait[i] + 0.2 * shift
                                           + rng.normal(0, 0.3), 1))  # fmt: skip
                status = "ok"
                if rng.random() < 0.03:
                    status, value = "insufficient_items", float("nan")
                rows.append(
                    {
                        "participant_id": ids[i],
                        "wave": wave,
                        "site": site[i],
                        "instrument": "gold",
                        "scale": scale,
                        "score": value,
                        "status": status,
                    }
                )
    frame = pd.DataFrame(rows)
    frame.to_csv(HERE / "scores.csv", index=False, float_format="%.10g")


if __name__ == "__main__":
    main()
