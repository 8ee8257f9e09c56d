"""Benchmark the command line end to end: ``--help``, ``demo``, and ``run`` at scale.

Targets (issue 5): ``stigma-outcomes --help`` ≤ 0.3 s; ``demo`` ≤ 4 s; ``run`` on 100,000
participants × 3 waves ≤ 30 s. Each command runs in a fresh process, as a user runs it;
wall time is the median of several runs, and peak memory is the child's maximum RSS.

Run from the repository root::

    python benchmarks/bench_report.py [--participants 100000] [--repeat 3] [--skip-large]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

# The installed console script, as a user runs it (falls back to the app's main()).
_SCRIPT = shutil.which("stigma-outcomes")
CLI = (
    [_SCRIPT]
    if _SCRIPT
    else [sys.executable, "-c", "from stigma_outcomes.cli.app import main; main()"]
)


def _timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(args)}\n{done.stderr}")
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    return wall, peak


def _series(args: list[str], repeat: int) -> dict[str, float]:
    runs = [_timed(args) for _ in range(repeat)]
    walls = [w for w, _ in runs]
    return {
        "median_s": statistics.median(walls),
        "max_s": max(walls),
        "peak_rss_mib": max(p for _, p in runs),
    }


def _large_evaluation(folder: Path, n: int) -> Path:
    """Plain CSV exports (instrument_item columns, numeric codes) for n people × 3 waves."""
    rng = np.random.default_rng(7)
    ids = np.char.add("P", np.arange(n).astype(str))
    arm = np.where(rng.random(n) < 0.5, "Intervention", "Comparison")
    trait = rng.standard_normal((n, 3))
    blocks = {"ucla3": (3, 3, 0), "ismi29": (29, 4, 1), "gbs": (12, 7, 2)}
    files = []
    for w, wave in enumerate(["pre", "post", "followup"]):
        keep = rng.random(n) < (1.0, 0.8, 0.6)[w]
        cols: dict[str, np.ndarray] = {"participant_id": ids[keep], "arm": arm[keep]}
        shift = -0.25 * w * (arm[keep] == "Intervention")
        for inst, (k, cats, t) in blocks.items():
            latent = trait[keep, t][:, None] + shift[:, None] + rng.standard_normal((keep.sum(), k))
            cuts = np.linspace(-1.5, 1.5, cats - 1)
            codes = 1 + (latent[:, :, None] > cuts).sum(axis=2)
            for j in range(k):
                cols[f"{inst}_{j + 1}"] = codes[:, j]
        path = folder / f"{wave}.csv"
        pd.DataFrame(cols).to_csv(path, index=False)
        files.append({"path": path.name, "wave": wave})
    evaluation = {
        "title": "Benchmark",
        "data": files,
        "instruments": ["ucla3", "ismi29", "gbs"],
        "id_col": "participant_id",
        "groups": "arm",
        "reference_group": "Comparison",
        "waves": {"pre": "pre", "post": "post", "followup": ["followup"]},
        "output": "out",
    }
    path = folder / "evaluation.yaml"
    path.write_text(json.dumps(evaluation))  # JSON is valid YAML
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    opts = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    out = {"help": _series([*CLI, "--help"], max(opts.repeat, 5))}
    out["demo"] = _series([*CLI, "demo", "--out", str(tmp / "demo")], opts.repeat)
    if not opts.skip_large:
        evaluation = _large_evaluation(tmp, opts.participants)
        out["run_large"] = _series([*CLI, "run", str(evaluation)], 1)
        out["run_large"]["participants"] = opts.participants
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
