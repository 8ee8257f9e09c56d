"""Ingest benchmark (issue 3): a 1,000,000-row Qualtrics choice-text CSV, read and scored.

Run from the repository root::

    python benchmarks/bench_ingest.py [--rows 1000000] [--runs 3] [--cache DIR]

The export imitates a real download: three header rows (export tags, question text,
ImportId JSON), the usual metadata columns, a participant code, and three instruments as
answer text — UCLA-3 (3 items, "Hardly ever" / "Some of the time" / "Often"), ISMI-29
(29 items, 4-point agreement) and the General Belongingness Scale (12 items, 7-point
agreement) — with 2% of answers blank and 0.1% previews and 0.5% unfinished responses for
the reader to set aside. It is generated once into the cache folder.

Each measurement runs in a fresh Python process so that its peak resident memory is its own:

- ``read``: :func:`stigma_outcomes.read_export` (sniffing, pyarrow parse, Qualtrics header
  rows, previews/unfinished, personal-data scan). Target ≥ 100 MB/s.
- ``score``: :func:`stigma_outcomes.score` from the file path to tidy scores and ledger
  (reading included). Target ≤ 12 s and ≤ 3 GB peak.
- ``wide``: :func:`stigma_outcomes.read_export` of a wide Qualtrics export, 100 rows × 3,000
  columns with one survey preview to set aside (real Qualtrics and LimeSurvey exports often
  have 1,000–3,000 columns). Target < 1 s; reading time must grow linearly with the columns
  (``--wide-columns`` to try other widths, ``--only wide`` to skip the million-row export).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

INSTRUMENTS = {"ucla3": ("Q1", 3), "ismi29": ("Q2", 29), "gbs": ("Q3", 12)}
MAPPING = {"instruments": {k: {"pattern": f"{p}_{{item}}"} for k, (p, _) in INSTRUMENTS.items()}}
META = [
    "StartDate",
    "EndDate",
    "Status",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "DistributionChannel",
    "UserLanguage",
    "pcode",
]


def _labels(instrument_id: str) -> list[str]:
    from stigma_outcomes.instruments import load_instrument

    inst = load_instrument(instrument_id)
    scale = inst.items[0].scale
    return [o.label for o in inst.response_scales[scale]]


def make_export(path: Path, rows: int, seed: int = 3) -> None:
    """Write the benchmark export (vectorised; a few seconds for a million rows)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    stamps = np.array(
        [f"2026-0{1 + i % 6}-{10 + i % 18} {i % 24:02d}:{i % 60:02d}:07" for i in range(997)],
        dtype=object,
    )
    columns["StartDate"] = stamps[rng.integers(0, len(stamps), rows)]
    columns["EndDate"] = stamps[rng.integers(0, len(stamps), rows)]
    kind = rng.random(rows)
    preview, unfinished = kind < 0.001, (kind >= 0.001) & (kind < 0.006)
    columns["Status"] = np.where(preview, "Survey Preview", "IP Address").astype(object)
    columns["Progress"] = np.where(unfinished, "40", "100").astype(object)
    columns["Duration (in seconds)"] = rng.integers(60, 1800, rows).astype(str).astype(object)
    columns["Finished"] = np.where(unfinished, "False", "True").astype(object)
    columns["RecordedDate"] = columns["EndDate"]
    columns["ResponseId"] = np.char.add("R_", np.char.zfill(np.arange(rows).astype(str), 15))
    columns["DistributionChannel"] = np.where(preview, "preview", "anonymous").astype(object)
    columns["UserLanguage"] = np.full(rows, "EN", dtype=object)
    columns["pcode"] = np.char.add("P", np.char.zfill(np.arange(rows).astype(str), 7))
    for instrument_id, (prefix, n_items) in INSTRUMENTS.items():
        labels = np.array([*_labels(instrument_id), ""], dtype=object)
        k = len(labels) - 1
        for item in range(1, n_items + 1):
            pick = rng.integers(0, k, rows)
            pick[rng.random(rows) < 0.02] = k  # blank answer
            columns[f"{prefix}_{item}"] = labels[pick]
    names = list(columns)
    table = pa.table({n: pa.array(columns[n], type=pa.string()) for n in names})
    texts = [
        f"{INSTRUMENTS_TEXT.get(n.split('_')[0], n)} - item {n.split('_')[-1]}"
        if n.startswith("Q")
        else n
        for n in names
    ]
    ids = [
        '"{""ImportId"":""' + (n if not n.startswith("Q") else "QID" + n[1:]) + '""}"'
        for n in names
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(b"\xef\xbb\xbf")
        handle.write((",".join(names) + "\n").encode())
        handle.write((",".join(f'"{t}"' for t in texts) + "\n").encode())
        handle.write((",".join(ids) + "\n").encode())
        pacsv.write_csv(table, handle, write_options=pacsv.WriteOptions(include_header=False))


def make_wide_export(path: Path, rows: int, columns: int, seed: int = 5) -> None:
    """Write a wide three-header-row Qualtrics export; its first row is a survey preview."""
    import csv

    rng = np.random.default_rng(seed)
    meta = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "pcode"]
    items = [f"Q{i // 10 + 1}_{i % 10 + 1}" for i in range(columns - len(meta))]
    names = meta + items
    answers = rng.integers(1, 6, size=(rows, len(items))).astype(str)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerow([n.replace("_", " - item ") for n in names])
        writer.writerow(['{"ImportId":"' + n + '"}' for n in names])
        for row in range(rows):
            status = "Survey Preview" if row == 0 else "IP Address"
            stamp = f"2026-03-{1 + row % 28:02d} 10:{row % 60:02d}:00"
            head = [stamp, stamp, status, "100", "True", f"R_{row:015d}", f"P{row:05d}"]
            writer.writerow(head + answers[row].tolist())


INSTRUMENTS_TEXT = {
    "Q1": "How often do you feel...",
    "Q2": "How much do you agree?",
    "Q3": "How much do you agree with each statement?",
}


def _child(stage: str, path: str) -> None:
    """Run one stage in this (fresh) process and print time and peak memory as JSON."""
    import resource
    import time

    import stigma_outcomes as so

    if stage == "wide":
        # The wide case measures the reading itself: libraries are imported before the clock
        # starts (a second or so that a million-row read makes negligible).
        import pyarrow.csv  # noqa: F401

        import stigma_outcomes.ingest.readers
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    if stage in ("read", "wide"):
        table = so.read_export(path)
        rows = len(table.frame)
        extra = {"excluded": len(table.excluded), "reader": table.metadata.get("reader")}
    else:
        result = so.score(path, list(INSTRUMENTS), mapping=MAPPING, id_col="pcode", wave="pre")
        rows = result.summary()["rows_scored"]
        extra = {"score_rows": len(result.scores), "ledger_rows": len(result.ledger)}
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024  # Linux reports KiB
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    load = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "load": load,
                "peak_bytes": peak,
                "rows": rows,
                **extra,
            }
        )
    )


def _measure(stage: str, path: Path, runs: int) -> list[dict]:
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--child", stage, str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stigma_outcomes_bench"))
    parser.add_argument("--child", nargs=2, metavar=("STAGE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--wide-rows", type=int, default=100)
    parser.add_argument("--wide-columns", type=int, default=3000)
    parser.add_argument("--only", choices=["tall", "wide"], help="Run one of the two exports.")
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.only != "tall":
        _wide(args)
    if args.only != "wide":
        _tall(args)


def _wide(args: argparse.Namespace) -> None:
    path = args.cache / f"qualtrics_wide_{args.wide_rows}x{args.wide_columns}.csv"
    if not path.exists():
        make_wide_export(path, args.wide_rows, args.wide_columns)
    runs = _measure("wide", path, args.runs)
    times = [r["seconds"] for r in runs]
    print(
        f"wide read ({args.wide_rows} rows × {args.wide_columns:,} columns, one preview set "
        f"aside): median {statistics.median(times):.2f} s, best {min(times):.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in times)}); CPU "
        f"{statistics.median(r['cpu_seconds'] for r in runs):.2f} s; load average "
        f"{statistics.median(r['load'] for r in runs):.1f}"
    )


def _tall(args: argparse.Namespace) -> None:
    path = args.cache / f"qualtrics_choice_text_{args.rows}.csv"
    if not path.exists():
        make_export(path, args.rows)
    size = path.stat().st_size
    print(f"export: {path} ({size / 1e6:.0f} MB, {args.rows:,} rows, 55 columns)")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    for stage in ("read", "score"):
        runs = _measure(stage, path, args.runs)
        times = [r["seconds"] for r in runs]
        median = statistics.median(times)
        peak = max(r["peak_bytes"] for r in runs) / 2**30
        best = min(times)
        cpu = statistics.median(r["cpu_seconds"] for r in runs)
        load = statistics.median(r["load"] for r in runs)
        line = (
            f"{stage}: median {median:.2f} s, best {best:.2f} s "
            f"(runs {', '.join(f'{t:.2f}' for t in times)}); CPU {cpu:.2f} s; "
            f"load average {load:.1f}"
        )
        if stage == "read":
            line += f"; {size / 1e6 / median:.0f} MB/s median, {size / 1e6 / best:.0f} MB/s best"
        print(f"{line}; peak {peak:.2f} GiB")


if __name__ == "__main__":
    main()
