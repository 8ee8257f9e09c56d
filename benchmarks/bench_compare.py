"""Benchmark the comparison stage (figures go to BENCHMARKS.md).

1. Paired statistics + reliable change for 1,000,000 participants × 3 scales × 2 waves
   (6,000,000 score rows): the core step (pairing, per-cell reductions, Wilcoxon ranks, RCI
   counts) and the whole :func:`compare` call (validation, duplicate check, attrition,
   multiplicity, results). Target ≤ 2 s for paired statistics + RCI.
2. ``compare`` on 20,000 participants × 3 waves with 30% missing follow-ups, one scale, so the
   mixed model (part B's ``fit_mixed_models``) runs inside it. Target for the mixed model ≤ 15 s.
3. ``--run-shape``: ``compare`` as ``run`` calls it on ``bench_report.py``'s evaluation
   (100,000 participants × 3 waves, ucla3 + ismi29 + gbs = 11 scales, two arms): the exports
   are read, bound and scored first (not timed), so the scores are categorical as scoring
   leaves them and keyed items give in-sample reliability; then follow-up mixed models,
   ANCOVA per contrast and the reliable change chain all run. Part of the ``run`` ≤ 30 s
   target.
4. ``--reliability``: in-sample reliability (alpha, Feldt CI, item statistics, omega for every
   scale and wave) as ``compare`` computes it inside ``run`` and ``demo``: on ``bench_run.py``'s
   ``waves3`` case (100,000 participants × 3 waves, 11 scales, read and scored first, not
   timed) and on the demo's sample data. CPU seconds of the first call in the process (the
   one ``run`` pays) and the median of the next ``--runs``.

5. ``--long1m``: one ``compare`` call as ``run`` makes it on ``bench_run.py``'s ``long1m``
   case (one long export of ~1,000,000 rows, 417,000 participants, 11 scales, two arms;
   read and scored first, not timed): wall and CPU seconds, and how far the process's peak
   resident memory rose above where it stood when ``compare`` began (the kernel's high-water
   mark is reset first). With ``--vs CHECKOUT`` another checkout's ``src`` runs the same call
   in a child process after each run of this one (alternating). ``--work`` keeps the inputs.

6. ``--diff A.json B.json``: how two ``results.json`` differ, number by number (how many
   numbers differ, the largest relative difference, and in which significant digit the
   largest difference falls), for paths that reorganise arithmetic.

Run from the repository root:
``python benchmarks/bench_compare.py [--runs 5] [--run-shape | --reliability | --long1m]``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from typing import Any

import numpy as np
import pandas as pd
from _timing import timed

from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison._linked import paired_section as _paired_section
from stigma_outcomes.comparison.meta import ScaleMeta
from stigma_outcomes.comparison.pairing import pair_waves, valid_scores
from stigma_outcomes.comparison.rci import rci_inputs

SCALES = ("a", "b", "c")
META = {
    ("bench", s): ScaleMeta("bench", s, "higher_is_worse", reliability=0.8, reliability_source="x")
    for s in SCALES
}
OPTIONS = {
    "direction": {f"bench.{s}": "higher_is_worse" for s in SCALES},
    "reliability": {f"bench.{s}": 0.8 for s in SCALES},
}


def make_scores(n: int, waves: tuple[str, ...], missing_later: float, seed: int) -> pd.DataFrame:
    """Tidy scores: integer 0–30 scores, a 3-level site, some follow-ups missing."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("p", np.arange(n).astype(str)).astype(object)
    site = rng.choice(np.array(["north", "south", "east"], dtype=object), n)
    frames = []
    for scale in SCALES:
        trait = rng.normal(15, 5, n)
        for w, wave in enumerate(waves):
            keep = np.ones(n, dtype=bool) if w == 0 else rng.random(n) >= missing_later
            score = np.clip(np.round(trait - 1.2 * w + rng.normal(0, 3, n)), 0, 30)
            frames.append(
                pd.DataFrame(
                    {
                        "participant_id": ids[keep],
                        "wave": wave,
                        "site": site[keep],
                        "instrument": "bench",
                        "scale": scale,
                        "score": score[keep],
                        "status": "ok",
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def core(valid: pd.DataFrame) -> list[dict]:
    pairs = pair_waves(valid, "pre", "post", None)
    inputs = rci_inputs(valid, "pre", META)
    return _paired_section(pairs, META, inputs, None, [], 5)


def bench_large(participants: int, runs: int) -> None:
    # warm up: the first call imports scipy.stats, which is not what is being measured
    compare(make_scores(1000, ("pre", "post"), 0.2, seed=0), "pre", "post", **OPTIONS)
    big = make_scores(participants, ("pre", "post"), 0.2, seed=1)
    valid = valid_scores(big)
    print(f"{participants:,} participants × {len(SCALES)} scales: {len(big):,} score rows")
    med, worst = timed(lambda: core(valid), runs)
    print(f"paired statistics + RCI (core)          median {med:.2f} s, slowest {worst:.2f} s")
    med, worst = timed(lambda: compare(big, "pre", "post", **OPTIONS), runs)
    print(f"compare(), whole call, no groups        median {med:.2f} s, slowest {worst:.2f} s")
    med, worst = timed(
        lambda: compare(big, "pre", "post", group_col="site", **OPTIONS), max(1, runs // 2)
    )
    print(f"compare(), with 3 groups + ANCOVA       median {med:.2f} s, slowest {worst:.2f} s")


def bench_mixed(runs: int) -> None:
    small = make_scores(20_000, ("pre", "post", "fu"), 0.3, seed=2)
    small = small[small["scale"] == "a"]
    med, worst = timed(lambda: compare(small, "pre", "post", followup=["fu"], **OPTIONS), runs)
    print(f"compare(), 20k × 3 waves + mixed model  median {med:.2f} s, slowest {worst:.2f} s")


def _scored(evaluation: object) -> tuple[Any, Any, dict, Any]:
    """The evaluation, its scoring result, the items of each scale and the registry, as
    ``run`` has them when it calls ``compare`` (read and scored here, not timed)."""
    from stigma_outcomes.ingest import load_responses
    from stigma_outcomes.instruments import Registry
    from stigma_outcomes.pipeline import _read_sources, load_evaluation
    from stigma_outcomes.scoring import score

    ev, base = load_evaluation(evaluation)
    settings = ev.load_settings(base)
    registry = Registry()
    instruments = registry.resolve(ev.instruments, base=base)
    responses = load_responses(_read_sources(ev, base, settings.pii), instruments, settings)
    scored = score(responses, instruments)
    items = {(i.id, s.id): list(s.items) for i in scored.instruments for s in i.scales}
    return ev, scored, items, registry


def bench_run_shape(participants: int, runs: int) -> None:
    import os
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_report import _large_evaluation

    folder = Path(tempfile.mkdtemp(prefix="bench-compare-run-"))
    ev, scored, items, registry = _scored(_large_evaluation(folder, participants))
    print(f"run shape: {participants:,} participants × 3 waves, {len(scored.scores):,} rows")

    def call() -> object:
        return compare(scored.scores, settings=ev.compare_settings(),
                       keyed_items=scored.keyed_items, scale_items=items, input_name="scores",
                       registry=registry)  # fmt: skip

    start = time.perf_counter()
    call()  # the first call also pays for importing scipy.stats
    first = time.perf_counter() - start
    med, worst = timed(call, runs)
    print(f"compare(), run shape: first call {first:.1f} s; then median {med:.1f} s, "
          f"slowest {worst:.1f} s; load average {os.getloadavg()[0]:.1f}")  # fmt: skip


def bench_reliability(runs: int) -> None:
    import os
    import sys
    import tempfile
    from pathlib import Path

    import scipy.optimize  # noqa: F401  (compare and the report import it anyway)

    from stigma_outcomes.comparison.distributions import f as f_dist
    from stigma_outcomes.comparison.reliability import in_sample_reliability
    from stigma_outcomes.pipeline import sample_data_dir

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_run import make_waves

    f_dist.ppf(0.5, 2, 3)  # scipy.special loaded, as by the t tests before reliability
    folder = Path(tempfile.mkdtemp(prefix="bench-reliability-"))
    cases = {
        "waves3, 100,000 participants x 3 waves": make_waves(folder / "waves3"),
        "demo sample data": sample_data_dir() / "evaluation.yaml",
    }
    for name, evaluation in cases.items():
        _, scored, items, _ = _scored(evaluation)
        cpu = []
        for _ in range(runs + 1):
            start = time.process_time()
            records = in_sample_reliability(scored.keyed_items, items, scored.scores)
            cpu.append(time.process_time() - start)
        print(f"in-sample reliability, {name}: {len(records)} records; CPU first call "
              f"{cpu[0]:.3f} s, then median {float(np.median(cpu[1:])):.3f} s; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip


def _status(field: str) -> float:
    """A ``/proc/self/status`` field in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_long1m(work: str | None, src: str | None) -> None:
    """One ``compare`` of the ``long1m`` case in this process (see the module's point 5)."""
    import gc
    import sys
    import tempfile
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_run import make_long

    folder = Path(work) if work else Path(tempfile.mkdtemp(prefix="bench-compare-1m-"))
    ev, scored, items, registry = _scored(make_long(folder / "long1m"))
    keyed = scored.keyed_items
    import importlib

    for module in ("ancova", "mixed", "reliability"):  # imports are not what is measured
        importlib.import_module(f"stigma_outcomes.comparison.{module}")

    gc.collect()
    before = _status("VmRSS")
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")  # the high-water mark starts again from here
    wall, cpu = time.perf_counter(), time.process_time()
    compare(scored.scores, settings=ev.compare_settings(), keyed_items=keyed,
            scale_items=items, input_name="scores", registry=registry)  # fmt: skip
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _status("VmHWM")
    where = src or "this checkout"
    print(f"long1m compare ({where}): {len(scored.scores):,} score rows; wall {wall:.2f} s, "
          f"CPU {cpu:.2f} s, peak {peak:.0f} MiB ({peak - before:.0f} over {before:.0f} MiB "
          "at its start)", flush=True)  # fmt: skip


def _numbers(node: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a JSON document by its path."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_numbers(value, f"{path}/{key}"))
        return out
    if isinstance(node, list):
        out = {}
        for i, value in enumerate(node):
            out.update(_numbers(value, f"{path}[{i}]"))
        return out
    return {path: node}


def diff_results(a: str, b: str) -> None:
    """Print how the numbers of two results.json files differ (see the module's point 6)."""
    import json
    import math

    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        left, right = _numbers(json.load(fa)), _numbers(json.load(fb))
    if left.keys() != right.keys():
        print(f"different fields: {sorted(left.keys() ^ right.keys())[:10]}")
    worst, where, n_num, n_diff, other = 0.0, "", 0, 0, []
    for key in left.keys() & right.keys():
        x, y = left[key], right[key]
        if isinstance(x, float | int) and isinstance(y, float | int) and not isinstance(x, bool):
            n_num += 1
            if x != y:
                n_diff += 1
                rel = abs(x - y) / max(abs(x), abs(y))
                if rel > worst:
                    worst, where = rel, f"{key}: {x!r} vs {y!r}"
        elif x != y and "/meta/" not in key + "/":
            other.append(f"{key}: {x!r} vs {y!r}")
    digit = 1 - math.floor(math.log10(worst)) if worst else None
    print(f"{n_num:,} numbers, {n_diff:,} differ; largest relative difference {worst:.2e}"
          f" (about significant digit {digit}) at {where or '-'}")  # fmt: skip
    for line in other[:20]:
        print(f"not a number, differs: {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--run-shape", action="store_true", help="only the run-shaped call")
    parser.add_argument("--reliability", action="store_true", help="only in-sample reliability")
    parser.add_argument("--long1m", action="store_true", help="only compare on bench_run's long1m")
    parser.add_argument("--work", help="folder for the long1m inputs (kept)")
    parser.add_argument("--vs", help="another checkout: its src runs long1m after each run")
    parser.add_argument("--src", help=argparse.SUPPRESS)  # set in the --vs child
    parser.add_argument("--diff", nargs=2, metavar="JSON", help="compare two results.json")
    args = parser.parse_args()
    if args.diff:
        diff_results(*args.diff)
        return
    if args.long1m:
        import os
        import subprocess
        import sys
        import tempfile

        work = args.work or tempfile.mkdtemp(prefix="bench-compare-1m-")
        for _ in range(args.runs if args.vs else 1):
            if args.vs:  # each side a fresh process, this one first
                for src in (None, os.path.join(args.vs, "src")):
                    env = dict(os.environ)
                    if src:
                        env["PYTHONPATH"] = src
                    command = [sys.executable, __file__, "--long1m", "--work", work]
                    subprocess.run([*command, *(["--src", src] if src else [])], env=env,
                                   check=True)  # fmt: skip
            else:
                bench_long1m(work, args.src)
        return
    if args.run_shape:
        bench_run_shape(100_000, args.runs)
        return
    if args.reliability:
        bench_reliability(args.runs)
        return
    bench_large(args.participants, args.runs)
    bench_mixed(args.runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; {platform.python_version()}, {platform.machine()}")


if __name__ == "__main__":
    main()
