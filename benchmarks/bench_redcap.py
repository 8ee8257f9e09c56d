"""REDCap benchmark: a longitudinal export with a repeating weekly check-in, read and bound.

Run from the repository root::

    python benchmarks/bench_redcap.py [--records 100000] [--runs 3]

Each record has a base row at ``baseline_arm_1`` and ``post_arm_1`` (UCLA-3, form
``loneliness``) and four instances of the repeating form ``weekly_checkin`` (GAD-7) in
``program_arm_1``; 5% of forms are marked Incomplete. Timed, in one process, median of
``--runs``:

- ``read``: :func:`stigma_outcomes.read_export` of the CSV;
- ``load``: :func:`stigma_outcomes.load_responses` of the table read (IDs, waves, binding,
  occasions and form status, duplicates);
- ``sort_out_rows``: the REDCap step alone (occasion names, rows without a scored form,
  Incomplete forms), on the rows and columns ``load`` gives it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

MAPPING = {
    "instruments": {"ucla3": {"pattern": "lonely_{item}"}, "gad7": {"pattern": "gad_{item}"}}
}
COLUMNS = [
    "record_id",
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "lonely_1",
    "lonely_2",
    "lonely_3",
    "loneliness_complete",
    *(f"gad_{i}" for i in range(1, 8)),
    "weekly_checkin_complete",
]


def make_export(path: Path, records: int, seed: int = 5) -> int:
    """Write the export; returns its number of data rows."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, records + 1).astype(str)
    blocks = []
    for event in ("baseline_arm_1", "post_arm_1"):
        block = pd.DataFrame({"record_id": ids, "redcap_event_name": event})
        for i in (1, 2, 3):
            block[f"lonely_{i}"] = rng.integers(1, 4, records).astype(str)
        block["loneliness_complete"] = np.where(rng.random(records) < 0.05, "0", "2")
        blocks.append(block)
    for instance in (1, 2, 3, 4):
        block = pd.DataFrame(
            {
                "record_id": ids,
                "redcap_event_name": "program_arm_1",
                "redcap_repeat_instrument": "weekly_checkin",
                "redcap_repeat_instance": str(instance),
            }
        )
        for i in range(1, 8):
            block[f"gad_{i}"] = rng.integers(0, 4, records).astype(str)
        block["weekly_checkin_complete"] = np.where(rng.random(records) < 0.05, "0", "2")
        blocks.append(block)
    frame = pd.concat(blocks, ignore_index=True).reindex(columns=COLUMNS)
    frame.to_csv(path, index=False)
    return len(frame)


def main() -> None:
    """Generate the export and print the timings."""
    import stigma_outcomes as so

    # The REDCap flavour's after-binding hook calls this name.
    from stigma_outcomes.ingest.redcap import _flavor as redcap_forms

    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "redcap.csv"
        rows = make_export(path, args.records)
        size = path.stat().st_size / 1e6
        print(f"{rows:,} rows, {size:.0f} MB")
        spent: dict[str, list[float]] = {"read": [], "load": [], "sort_out_rows": []}
        original = redcap_forms.sort_out_rows

        def timed(*a: object, **k: object):
            start = time.perf_counter()
            out = original(*a, **k)  # type: ignore[arg-type]
            spent["sort_out_rows"].append(time.perf_counter() - start)
            return out

        redcap_forms.sort_out_rows = timed  # type: ignore[assignment]
        try:
            for _ in range(args.runs):
                start = time.perf_counter()
                table = so.read_export(path)
                spent["read"].append(time.perf_counter() - start)
                start = time.perf_counter()
                responses = so.load_responses(table, ["ucla3", "gad7"], mapping=MAPPING)
                spent["load"].append(time.perf_counter() - start)
        finally:
            redcap_forms.sort_out_rows = original  # type: ignore[assignment]
        kept = len(responses.frame)
        print(f"kept {kept:,} rows; excluded {responses.rows_excluded:,}")
        for stage, times in spent.items():
            print(f"{stage}: median {statistics.median(times):.2f} s, best {min(times):.2f} s")


if __name__ == "__main__":
    main()
