"""Benchmark the command line end to end: ``--help``, ``demo``, and ``run`` at scale.

Targets (issue 5): ``stigma-outcomes --help`` ≤ 0.3 s; ``demo`` ≤ 4 s; ``run`` on 100,000
participants × 3 waves ≤ 30 s. Each command runs in a fresh process, as a user runs it;
wall time is the median of several runs, and peak memory is the child's maximum RSS.

Run from the repository root::

    python benchmarks/bench_report.py [--participants 100000] [--repeat 3] [--skip-large]

With ``--stage WORK`` it times instead the report stage alone (``build_report`` then
``render_report``, the chart child started as each checkout's ``run`` starts it) on the
inputs that stage gets from the 1,000,000-row long export of ``bench_run.py`` (made and
captured once into WORK), each run a fresh process; ``--vs ../main`` alternates with
another checkout and says whether the two wrote the same bytes::

    python benchmarks/bench_report.py --stage /tmp/stage --repeat 3 --vs ../main
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


def _capture(evaluation: str, pickled: str) -> None:
    """Run ``evaluation`` once in this process, pickling ``build_report``'s inputs."""
    import pickle

    import stigma_outcomes.report as report
    from stigma_outcomes.pipeline import run_evaluation

    build = report.build_report

    def keep(*args: object, **kwargs: object) -> object:
        with open(pickled, "wb") as fh:
            pickle.dump((args, kwargs), fh, protocol=pickle.HIGHEST_PROTOCOL)
        return build(*args, **kwargs)

    report.build_report = keep
    run_evaluation(evaluation, tempfile.mkdtemp(prefix="bench-report-capture-"))


# The report stage alone, as ``run`` does it: the chart child forked first (before numpy,
# so in a fresh interpreter, not this module), unprepared; a checkout whose ``run`` starts
# no child (its start() takes no argument) runs without one, as its ``run`` does.
STAGE = """
import json, sys, time
from pathlib import Path
from stigma_outcomes.report import chart_worker
try:
    started = chart_worker.start(prepare=False)
except TypeError:
    started = False
import pickle
with open(sys.argv[1], "rb") as fh:
    args, kwargs = pickle.load(fh)
from stigma_outcomes.report import build_report, render_report
out = Path(sys.argv[2])
cpu, wall = time.process_time(), time.perf_counter()
model = build_report(*args, **kwargs)
built_cpu, built = time.process_time(), time.perf_counter()
render_report(model, out / "report.pdf")
(out / "evaluator_qa.txt").write_text(model.evaluator_text(), encoding="utf-8")
figures = {"build_cpu_s": built_cpu - cpu, "build_wall_s": built - wall,
           "render_cpu_s": time.process_time() - built_cpu,
           "render_wall_s": time.perf_counter() - built, "child": float(started)}
chart_worker.stop()
print(json.dumps(figures))
"""


def report_stage(work: Path, runs: int, other: Path | None) -> dict[str, object]:
    """``build_report`` + ``render_report`` of the 1,000,000-row long export (bench_run's
    ``long1m``), each run a fresh process (its chart child included); with ``other``, that
    checkout's ``src`` runs after each run, and the outputs of the two are compared."""
    import os

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_run import make_long

    pickled = work / "report_inputs.pkl"
    if not pickled.exists():
        evaluation = make_long(work / "long1m")
        subprocess.run(
            [sys.executable, __file__, "--capture", str(evaluation), str(pickled)], check=True
        )
    sides = {"this": None, "other": other} if other else {"this": None}
    figures: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    for _ in range(runs):
        for side, checkout in sides.items():
            env = dict(os.environ)
            if checkout is not None:
                env["PYTHONPATH"] = str(checkout / "src")
            folder = work / f"stage-{side}"
            folder.mkdir(exist_ok=True)
            done = subprocess.run(
                [sys.executable, "-c", STAGE, str(pickled), str(folder)],
                capture_output=True, text=True, env=env, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise SystemExit(f"report stage failed ({side}):\n{done.stderr[-2000:]}")
            figures[side].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out: dict[str, object] = {
        side: {k: round(statistics.median(r[k] for r in rs), 2) for k in rs[0]}
        for side, rs in figures.items()
    }
    if other is not None:
        mine, theirs = work / "stage-this", work / "stage-other"
        names = sorted(p.name for p in mine.iterdir())
        out["same_bytes"] = names == sorted(p.name for p in theirs.iterdir()) and all(
            (mine / n).read_bytes() == (theirs / n).read_bytes() for n in names
        )
    return out


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--capture":
        _capture(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--stage",
        type=Path,
        metavar="WORK",
        help="time the report stage alone at 1M rows (inputs kept in WORK), then stop",
    )
    parser.add_argument("--vs", type=Path, help="with --stage: another checkout, alternating")
    opts = parser.parse_args()
    if opts.stage is not None:
        opts.stage.mkdir(parents=True, exist_ok=True)
        print(json.dumps(report_stage(opts.stage, opts.repeat, opts.vs), indent=2))
        return
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
