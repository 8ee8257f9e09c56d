"""Whole-process benchmarks against a peer (issue 15): what the user waits for, as they run it.

Each case times two whole commands, A (ours) and B (the peer or the floor), in alternating runs
(A B A B …) so that a drift in the machine's speed moves both alike; each figure is the median
of the runs, and the ratio is the median of the pair-by-pair ratios A/B. Peak memory is the
larger of each child's own maximum resident set (``os.wait4``, every run) and the sampled peak
of its whole process tree (PSS summed: ``demo`` draws its charts in a child of its own). The
tree is sampled in one extra, untimed run of each command: reading ``/proc/<pid>/smaps_rollup``
every 50 ms walks the child's page tables under its memory-map lock, and made a 1.1 s ``score``
take 1.3 s (median of 5, measured 2026-12-07). The inputs are made in a separate process so
that this one stays small (a child's reported peak is at least its parent's size at fork).

The printed figures also hold each side's median CPU seconds (user + system, from the same
``os.wait4``) and their paired ratio: on a shared machine the steadier reading.

Each row also says how fast one core computed and how much of two cores the machine gave at
the time (:func:`two_cores`, before and after the case): a CPU-bound child's seconds alone, and
two side by side against one alone (2.0 when each had a core of its own, 1.0 when they shared
one). On this virtual machine both move from hour to hour, and ``score`` (two threads, short,
heavy on fresh memory) slows more than R's long, mostly single-threaded run: a ratio is read
with them.

- ``score``: A is ``stigma-outcomes score`` of a 200,000 × 60 CSV export (six 10-item mean
  scales, two reversed items each, 2% missing) to a tidy CSV; B is R's ``data.table::fread``
  + ``psych::scoreItems`` + ``fwrite`` of the same tidy table. Goal A/B ≤ 0.2.
- ``demo``: A is ``stigma-outcomes demo`` (read, score, compare, PDF + HTML + MD); B is the
  import floor ``python -c "import pandas, scipy.stats, matplotlib.pyplot"``. Goal ≤ 1.5.
- ``wide``: A reads a Qualtrics-style export of 80 rows, 10% previews and 1,950 columns; B the
  same with 650 columns. A linear reader gives about 3; goal ≤ 4.

The R peer runs when ``Rscript`` with psych and data.table is installed (Debian:
``apt-get install r-base-core r-cran-psych r-cran-data.table``); otherwise the case prints
"R not installed" and the others still run. Nothing here ever fails a build: performance is
measured, never asserted.

Run from the repository root (the venv's ``stigma-outcomes`` on PATH)::

    python benchmarks/bench_cli.py [--runs 3] [--cases score,demo,wide] [--no-record]

With recording on (the default), the rows of the cases run are rewritten in the table between
the ``bench_cli`` markers at the top of ``BENCHMARKS.md``; the other cases' rows are kept.

First the package's bytecode is compiled (``compileall``), as an installed wheel carries it:
an editable install run under ``PYTHONDONTWRITEBYTECODE=1`` (as on the project's machines)
otherwise compiles every one of its modules from source in every run, a cost no user of an
installed package pays and the floor's installed packages never pay (``--no-bytecode``
measures that case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _timing import TreeMemory

REPO = Path(__file__).resolve().parents[1]
RECORD = REPO / "BENCHMARKS.md"
START, END = "<!-- bench_cli:start -->", "<!-- bench_cli:end -->"
SCORE_ROWS, SCALES, ITEMS_PER_SCALE = 200_000, 6, 10

R_PEER = r"""
suppressPackageStartupMessages({library(data.table); library(psych)})
args <- commandArgs(trailingOnly = TRUE)
d <- fread(args[1])
items <- as.data.frame(d[, -1])
keys <- list()
for (s in 0:5) {
  ids <- sprintf("bench60_s%di%d", s, 0:9)
  keys[[sprintf("scale%d", s)]] <- c(paste0("-", ids[1:2]), ids[3:10])
}
keys <- make.keys(items, keys)
scored <- scoreItems(keys, items, totals = FALSE, impute = "none", min = 1, max = 5)
wide <- data.table(participant_id = d[[1]], scored$scores)
tidy <- melt(wide, id.vars = "participant_id", variable.name = "scale", value.name = "score")
fwrite(tidy, args[2])
"""


@dataclass
class Run:
    wall: float
    peak_mib: float
    cpu: float = 0.0  # user + system seconds of the child (steadier than wall on a busy machine)


def _compile_bytecode() -> None:
    """The package's modules compiled once, as ``pip install`` of a wheel leaves them."""
    code = "import importlib.util as u; print(u.find_spec('stigma_outcomes').origin)"
    init = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(init).parent)], check=True)


def _cli() -> list[str]:
    script = shutil.which("stigma-outcomes")
    if script:
        return [script]
    return [sys.executable, "-c", "from stigma_outcomes.cli.app import main; main()"]


def _run(args: list[str], cwd: Path, sample_tree: bool = False) -> Run:
    """One whole child process: wall and CPU seconds, and its peak memory: its own peak RSS
    (``wait4``), or with ``sample_tree`` the larger of that and the sampled peak of its
    process tree's summed PSS (the chart child of ``demo`` is not in the first).

    The page cache's dirty data is written out first (``os.sync``, not timed): otherwise
    the previous command's unflushed output (R's ``fwrite`` does not sync) is written
    during this one's ``fsync`` of its own files, and charged to it.
    """
    os.sync()
    # stderr goes to a file, not a pipe: a child that wrote more than a pipe holds would
    # block while we wait for it
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        tree = TreeMemory(child.pid) if sample_tree else None
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        tree_mib = (tree.stop() if tree else None) or 0.0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            text = err.read().decode(errors="replace")
            raise SystemExit(f"failed ({child.returncode}): {' '.join(args)}\n{text[-2000:]}")
    return Run(wall, max(usage.ru_maxrss / 1024, tree_mib), usage.ru_utime + usage.ru_stime)


_SPIN = (
    "import time\nt = time.perf_counter()\nx = 0\n"
    "for i in range(4_000_000): x += i\nprint(time.perf_counter() - t)"
)
"""A child that only computes, for :func:`two_cores` (about 0.3 s on one core)."""


def two_cores(repeats: int = 5) -> tuple[float, float]:
    """How fast one core computes now, and how much of two cores the machine gives: the
    seconds of one CPU-bound child alone, and that time over the time of two side by side,
    times two (medians of ``repeats``): 2.0 with a core for each, 1.0 when they share one."""

    def spin(together: int) -> float:
        children = [
            subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
            for _ in range(together)
        ]
        return max(float(child.communicate()[0]) for child in children)

    # alone and side by side in turn, so that a drift in the machine's speed moves both alike
    timed = [(spin(1), spin(2)) for _ in range(repeats)]
    alone = statistics.median(t[0] for t in timed)
    return alone, statistics.median(2 * t[0] / t[1] for t in timed)


def alternate(a: list[str], b: list[str], runs: int, cwd: Path) -> dict[str, float]:
    """A and B in turn, after one unmeasured warm-up of each; medians and the paired ratio.

    The warm-ups are the runs whose process trees are sampled for peak memory.
    """
    warm = _run(a, cwd, sample_tree=True), _run(b, cwd, sample_tree=True)
    pairs = [(_run(a, cwd), _run(b, cwd)) for _ in range(runs)]
    return {
        "a_s": statistics.median(p[0].wall for p in pairs),
        "b_s": statistics.median(p[1].wall for p in pairs),
        "ratio": statistics.median(p[0].wall / p[1].wall for p in pairs),
        "ratio_min": min(p[0].wall / p[1].wall for p in pairs),
        "ratio_max": max(p[0].wall / p[1].wall for p in pairs),
        "a_cpu_s": statistics.median(p[0].cpu for p in pairs),
        "b_cpu_s": statistics.median(p[1].cpu for p in pairs),
        "cpu_ratio": statistics.median(p[0].cpu / p[1].cpu for p in pairs),
        "a_peak_mib": max([warm[0].peak_mib] + [p[0].peak_mib for p in pairs]),
        "b_peak_mib": max([warm[1].peak_mib] + [p[1].peak_mib for p in pairs]),
        "runs": runs,
    }


def _bench60_yaml(folder: Path) -> Path:
    """The definition bench_scoring.py's case (b) uses, as a file the command line reads."""
    import yaml
    from bench_scoring import wide_definition_data

    path = folder / "bench60.yaml"
    path.write_text(yaml.safe_dump(wide_definition_data(), sort_keys=False), encoding="utf-8")
    return path


def _score_export(path: Path, rows: int, seed: int = 2) -> None:
    import pandas as pd

    rng = np.random.default_rng(seed)
    values = rng.integers(1, 6, size=(rows, SCALES * ITEMS_PER_SCALE)).astype(float)
    values[rng.random(values.shape) < 0.02] = np.nan
    names = [f"bench60_s{s}i{j}" for s in range(SCALES) for j in range(ITEMS_PER_SCALE)]
    frame = pd.DataFrame(values, columns=names).astype("Int8")
    frame.insert(0, "participant_id", [f"P{i:07d}" for i in range(rows)])
    frame.to_csv(path, index=False)


def _qualtrics_wide(path: Path, columns: int, rows: int = 80, seed: int = 4) -> None:
    """A Qualtrics export (three header rows) with ``columns`` answer columns, 10% previews."""
    import csv
    import json

    rng = np.random.default_rng(seed)
    meta = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId"]
    names = [f"Q{c}" for c in range(columns)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(meta + names)
        out.writerow(meta + [f"Question {c} text" for c in range(columns)])
        out.writerow(
            [json.dumps({"ImportId": m}) for m in meta]
            + [json.dumps({"ImportId": f"QID{c}"}) for c in range(columns)]
        )
        for r in range(rows):
            status = "Survey Preview" if r % 10 == 0 else "IP Address"
            answers = rng.integers(1, 6, size=columns).astype(str).tolist()
            out.writerow(["2026-01-01", "2026-01-01", status, "100", "True", f"R_{r}", *answers])


def _reader(path: Path) -> list[str]:
    return [sys.executable, "-c", f"import stigma_outcomes as so; so.read_export({str(path)!r})"]


def _make_score_inputs(work: Path) -> None:
    """The export and its definition, made in a child process.

    A child's peak RSS as the kernel reports it is at least its parent's resident size when
    it was forked (Linux carries the high-water mark across ``exec``), so this process stays
    small: pandas is never imported here.
    """
    subprocess.run(
        [sys.executable, __file__, "--make-score-inputs", "--work", str(work)],
        cwd=Path(__file__).parent,
        check=True,
    )


def case_score(work: Path, runs: int) -> dict[str, object]:
    export = work / "export200k.csv"
    definition = work / "bench60.yaml"
    if not export.exists() or not definition.exists():
        _make_score_inputs(work)
    ours = [*_cli(), "score", str(export), "-i", str(definition), "--out", str(work / "s.csv")]
    rscript = shutil.which("Rscript")
    probe = rscript and subprocess.run(
        [rscript, "-e", "library(psych); library(data.table)"], capture_output=True
    )
    if not probe or probe.returncode != 0:
        print("score: R not installed (Rscript with psych and data.table); timing ours alone")
        alone = [_run(ours, work) for _ in range(runs)]
        return {"a_s": statistics.median(r.wall for r in alone), "peer": "R not installed"}
    peer = work / "peer.R"
    peer.write_text(R_PEER, encoding="utf-8")
    return alternate(ours, [rscript, str(peer), str(export), str(work / "r.csv")], runs, work)


def case_demo(work: Path, runs: int) -> dict[str, object]:
    floor = [sys.executable, "-c", "import pandas, scipy.stats, matplotlib.pyplot"]
    return alternate([*_cli(), "demo", "--out", str(work / "demo")], floor, runs, work)


def case_wide(work: Path, runs: int) -> dict[str, object]:
    wide, narrow = work / "wide1950.csv", work / "wide650.csv"
    _qualtrics_wide(wide, 1950)
    _qualtrics_wide(narrow, 650)
    return alternate(_reader(wide), _reader(narrow), runs, work)


CASES = {
    "score": ("`score` 200,000 × 60 CSV → tidy CSV", "R fread + psych::scoreItems + fwrite", 0.2),
    "demo": (
        "`demo` (read, score, compare, PDF + HTML + MD)",
        "import pandas, scipy.stats, matplotlib",
        1.5,
    ),
    "wide": ("read a Qualtrics export, 80 rows, 1,950 columns", "the same with 650 columns", 4.0),
}
RUNNERS = {"score": case_score, "demo": case_demo, "wide": case_wide}


_HEADER = "| work | ours | peer or floor | ratio | goal | peak memory ours / peer | measured |"


def _row(name: str, figures: dict[str, object], runs: int) -> str:
    what, peer, goal = CASES[name]
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cores = (
        f"a core {figures['core_s']:.2f} s, "
        f"two cores ×{figures['cores_before']:.1f} / ×{figures['cores_after']:.1f}"
    )
    measured = f"{when}, load {os.getloadavg()[0]:.1f}, {cores}, {runs} pairs"
    if "ratio" not in figures:
        return (
            f"| {what} | {figures['a_s']:.2f} s | {figures['peer']} | — | ≤ {goal} | — | "
            f"{measured} |"
        )
    met = "met" if figures["ratio"] <= goal else "not met"
    return (
        f"| {what} | {figures['a_s']:.2f} s | {peer}: {figures['b_s']:.2f} s | "
        f"{figures['ratio']:.3f} | ≤ {goal} ({met}) | "
        f"{figures['a_peak_mib']:.0f} / {figures['b_peak_mib']:.0f} MiB | {measured} |"
    )


def _table(rows: dict[str, str]) -> str:
    """The table, one row per case in the order of ``CASES`` (rows missing are left out)."""
    return "\n".join(
        [
            START,
            "Whole processes, alternating runs, medians (`benchmarks/bench_cli.py`, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}); each row says when "
            "it was measured, at what load, how fast one core computed (`two_cores`' CPU-bound "
            "child, seconds) and how much of two cores the machine gave before and after (2.0 = "
            "a core each); a run of some cases keeps the other rows.",
            "",
            _HEADER,
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(rows[name] for name in CASES if name in rows),
            END,
        ]
    )


def _recorded_rows(text: str) -> dict[str, str]:
    """The rows of the table already in ``BENCHMARKS.md``, by case."""
    if START not in text or END not in text:
        return {}
    import re

    block = text.split(START, 1)[1].split(END, 1)[0]
    # The older six-column table said once, above it, when all its rows were measured.
    old = re.search(r"medians of (\d+) .*?(\d{4}-\d\d-\d\d \d\d:\d\d UTC), .*?load ([\d.]+)", block)
    earlier = f"{old[2]}, load {old[3]}, {old[1]} pairs" if old else "—"
    rows = {}
    for line in block.splitlines():
        for name, (what, _, _) in CASES.items():
            if line.startswith(f"| {what} |"):
                rows[name] = line if line.count(" | ") >= 6 else f"{line} {earlier} |"
    return rows


def record(rows: dict[str, str]) -> str:
    """Write the measured rows into ``BENCHMARKS.md``, keeping the other cases' rows."""
    text = RECORD.read_text(encoding="utf-8")
    table = _table({**_recorded_rows(text), **rows})
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + table + rest.split(END, 1)[1]
    else:
        title, body = text.split("\n", 1)
        text = f"{title}\n\n{table}\n{body}"
    RECORD.write_text(text, encoding="utf-8")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="score,demo,wide")
    parser.add_argument("--work", type=Path, help="folder for generated inputs (kept)")
    parser.add_argument("--no-record", action="store_true", help="leave BENCHMARKS.md as it is")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="leave the package's bytecode uncompiled"
    )
    parser.add_argument("--make-score-inputs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_cli_"))
    work.mkdir(parents=True, exist_ok=True)
    if args.make_score_inputs:
        _score_export(work / "export200k.csv", SCORE_ROWS)
        _bench60_yaml(work)
        return
    if not args.no_bytecode:
        _compile_bytecode()
    rows = {}
    for name in args.cases.split(","):
        core_s, before = two_cores()
        figures = RUNNERS[name](work, args.runs)
        figures.update(core_s=core_s, cores_before=before, cores_after=two_cores()[1])
        print(name, {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()})
        rows[name] = _row(name, figures, args.runs)
    print(_table(rows) if args.no_record else record(rows))


if __name__ == "__main__":
    main()
