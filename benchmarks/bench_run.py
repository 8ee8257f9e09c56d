"""`stigma-outcomes run` at scale, as a whole process (issue 15).

Two cases, each a fresh child process timed from outside (wall seconds, CPU seconds and the
child's own peak RSS through ``os.wait4``, and the peak of the process with its chart child
together, their PSS summed every 50 ms), median of ``--runs``:

- ``long1m``: one long CSV export of about 1,000,000 rows (participant × wave, a ``wave``
  column), 417,000 participants at pre / post / follow-up with 20% and 40% of the later waves
  missing, two arms, UCLA-3 + ISMI-29 + GBS as numeric codes → the full report. Goal ≤ 15 s
  and ≤ 2 GB peak RSS.
- ``waves3``: 100,000 participants × 3 waves, one export per wave (the shape of
  ``bench_report.py``'s large run) → the full report. Goal ≤ 10 s.

Each case also runs once in-process under cProfile when ``--profile`` is given, and prints
the stages that took longest (``pipeline.run_evaluation`` and below).

Run from the repository root (the venv's ``stigma-outcomes`` on PATH)::

    python benchmarks/bench_run.py [--cases long1m,waves3] [--runs 1] [--profile] [--vs ../main]

With ``--vs`` another checkout's ``src`` runs the same case after each run of this one
(alternating, so both see the same load), and the ratios of the medians are printed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import TreeMemory

BLOCKS = {"ucla3": (3, 3, 0), "ismi29": (29, 4, 1), "gbs": (12, 7, 2)}
WAVES = ["pre", "post", "followup"]
KEEP = (1.0, 0.8, 0.6)


def _cli() -> list[str]:
    script = shutil.which("stigma-outcomes")
    if script:
        return [script]
    return [sys.executable, "-c", "from stigma_outcomes.cli.app import main; main()"]


def _wave_frames(n: int, seed: int) -> list[pd.DataFrame]:
    """n people's answers at each wave (codes as numbers), later waves partly missing."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("P", np.arange(n).astype(str))
    arm = np.where(rng.random(n) < 0.5, "Intervention", "Comparison")
    trait = rng.standard_normal((n, 3))
    frames = []
    for w, wave in enumerate(WAVES):
        keep = rng.random(n) < KEEP[w]
        m = int(keep.sum())
        cols: dict[str, object] = {"participant_id": ids[keep], "wave": wave, "arm": arm[keep]}
        shift = -0.25 * w * (arm[keep] == "Intervention")
        for inst, (k, cats, t) in BLOCKS.items():
            latent = trait[keep, t][:, None] + shift[:, None] + rng.standard_normal((m, k))
            cuts = np.linspace(-1.5, 1.5, cats - 1)
            codes = (1 + (latent[:, :, None] > cuts).sum(axis=2)).astype(np.int8)
            for j in range(k):
                cols[f"{inst}_{j + 1}"] = codes[:, j]
        frames.append(pd.DataFrame(cols))
    return frames


def _evaluation(folder: Path, files: list[dict[str, str]]) -> Path:
    evaluation = {
        "title": "Benchmark",
        "data": files,
        "instruments": list(BLOCKS),
        "id_col": "participant_id",
        "group_by": "arm",
        "reference_group": "Comparison",
        "waves": {"pre": "pre", "post": "post", "followup": ["followup"]},
        "output": "out",
    }
    path = folder / "evaluation.yaml"
    path.write_text(json.dumps(evaluation), encoding="utf-8")  # JSON is valid YAML
    return path


def make_long(folder: Path, n: int = 417_000) -> Path:
    """One long export (about 1,000,000 rows) with a wave column."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "long.csv"
    if not path.exists():
        pd.concat(_wave_frames(n, 11), ignore_index=True).to_csv(path, index=False)
    return _evaluation(folder, [{"path": path.name, "wave_col": "wave"}])


def make_waves(folder: Path, n: int = 100_000) -> Path:
    """One export per wave for n participants."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for wave, frame in zip(WAVES, _wave_frames(n, 7), strict=True):
        path = folder / f"{wave}.csv"
        if not path.exists():
            frame.drop(columns="wave").to_csv(path, index=False)
        files.append({"path": path.name, "wave": wave})
    return _evaluation(folder, files)


_SAMPLE_S = 0.25
"""Seconds between samples of the process tree's memory. Each sample reads
``/proc/<pid>/smaps_rollup``, which walks the child's page tables under its memory-map lock
and slows the child (a 1.1 s ``score`` took 1.3 s sampled every 0.05 s); at 0.25 s a run of
ten seconds or more is sampled often enough to see its plateaus, and slowed far less."""


def timed(args: list[str], cwd: Path, src: Path | None = None) -> dict[str, float]:
    """Wall and CPU seconds and peak memory (MiB) of one whole child process.

    ``peak_mib`` is the process's own peak resident set (``wait4``); ``tree_peak_mib`` the
    largest sampled sum of the proportional set sizes of the process and its descendants
    (the chart child), which is the figure the 2 GB goal is read against.

    With ``src``, the child imports the package from that folder (another checkout's
    ``src``) instead of the installed one.
    """
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        tree = TreeMemory(child.pid, interval=_SAMPLE_S)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        tree_peak = tree.stop()
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(args)}\n{err.read().decode()[-2000:]}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        # the process and its chart child together (PSS, sampled): the memory the run uses
        "tree_peak_mib": tree_peak if tree_peak is not None else math.nan,
        "load": os.getloadavg()[0],
    }


def profile(evaluation: Path, top: int = 30) -> None:
    """One in-process run under cProfile: the functions with the most cumulative time."""
    import cProfile
    import pstats

    from stigma_outcomes.pipeline import run_evaluation

    profiler = cProfile.Profile()
    profiler.enable()
    run_evaluation(evaluation)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats("stigma_outcomes", top)


CASES = {"long1m": (make_long, 15.0), "waves3": (make_waves, 10.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="long1m,waves3")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for generated inputs (kept)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--vs",
        type=Path,
        help="another checkout (its src/ is imported): runs alternate with it, run by run",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_run_"))
    for name in args.cases.split(","):
        make, goal = CASES[name]
        evaluation = make(work / name)
        command = [*_cli(), "run", str(evaluation)]
        runs, others = [], []
        for _ in range(args.runs):
            runs.append(timed(command, evaluation.parent))
            if args.vs is not None:
                others.append(timed(command, evaluation.parent, args.vs / "src"))
        summary = _summary(runs)
        print(name, f"goal ≤ {goal} s", summary, flush=True)
        if others:
            other = _summary(others)
            ratios = {
                k: round(summary[k] / other[k], 2)
                for k in ("wall_s", "cpu_s", "peak_mib", "tree_peak_mib")
            }
            print(name, f"vs {args.vs}", other, "this / that:", ratios, flush=True)
        if args.profile:
            profile(evaluation)


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    """Medians of the runs (peak RSS: the largest)."""
    summary = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    summary["peak_mib"] = round(max(r["peak_mib"] for r in runs))
    tree = max(r["tree_peak_mib"] for r in runs)
    summary["tree_peak_mib"] = round(tree) if math.isfinite(tree) else math.nan
    return summary


if __name__ == "__main__":
    main()
