"""Write the seeded anonymous before/after surveys behind the unlinked goldens.

Run from the repository root: ``python tests/golden/unlinked/make_data.py``, then
``Rscript tests/golden/unlinked/reference.R``.

Instrument ``anon`` (not in the registry). Respondent IDs are row numbers that restart in
each wave, as anonymous exports often have, so they repeat across waves without linking.

* ``cont``: continuous, higher is better, 30 before / 26 after, no ties (exact Mann–Whitney).
* ``likert``: integer 5–25, higher is worse, 40 / 35 (ties: normal approximation).
* ``big``: continuous, higher is better, 80 / 64 (normal approximation without ties).
* a ``session`` column (two schools, unbalanced) for per-group records.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent

SIZES = {"cont": (30, 26), "likert": (40, 35), "big": (80, 64)}


def main() -> None:
    rng = np.random.default_rng(7321)
    rows = []
    for scale, (n_before, n_after) in SIZES.items():
        for wave, n, shift in (("before", n_before, 0.0), ("after", n_after, 1.0)):
            for i in range(n):
                if scale == "likert":
                    value = float(np.clip(np.round(16 - 1.5 * shift + rng.normal(0, 3)), 5, 25))
                else:
                    value = float(20 + 2.5 * shift + rng.normal(0, 4))
                rows.append(
                    {
                        "participant_id": f"{i + 1}",
                        "wave": wave,
                        "session": "north" if i % 3 else "south",
                        "instrument": "anon",
                        "scale": scale,
                        "score": value,
                        "status": "ok",
                    }
                )
    pd.DataFrame(rows).to_csv(HERE / "scores.csv", index=False, float_format="%.10g")


if __name__ == "__main__":
    main()
