"""A bounded fuzz campaign over the command line (issue 18).

Mutated sample exports, mapping and evaluation files (the funder sections' files too),
scores, keyed items, scale facts and results files go through ``score``, ``init``, ``run``,
``compare``, ``report``, ``pool`` and ``plan``; REDCap exports with their data dictionaries,
and damaged SPSS, Stata, Excel and Parquet exports, through the readers. Every case must end
with exit code 0, 1 or 2 and never an uncaught exception (a traceback) or a hang; the inputs
are unchanged; a failed command leaves no output and no staging debris; a successful
``score`` accounts for every row (rows in = rows scored + rows excluded).

The default profile is small and derandomised (it runs in well under two minutes in CI).
``STIGMA_OUTCOMES_FUZZ=long`` runs about 7 × ``STIGMA_OUTCOMES_FUZZ_EXAMPLES`` cases
(default 2,000: 14,000 over the thirteen targets, weighted by cost) with fresh random seeds, and
``STIGMA_OUTCOMES_FUZZ_LOG=path.json`` records how many cases ended how.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.pipeline import sample_data_dir

from .mutations import damaged_binary, mutated_bytes, mutated_export, mutated_json, mutated_yaml

LONG = os.environ.get("STIGMA_OUTCOMES_FUZZ") == "long"
EXAMPLES = int(os.environ.get("STIGMA_OUTCOMES_FUZZ_EXAMPLES", "2000"))
HANG_SECONDS = 60
SAMPLE = sample_data_dir()
ROWS = 40  # data rows kept from each sample export: enough for every analysis to run
runner = CliRunner()

STATS: collections.Counter[str] = collections.Counter()
STARTED = time.monotonic()


def _write_log() -> None:
    log = os.environ.get("STIGMA_OUTCOMES_FUZZ_LOG")
    if log and STATS:
        cases = sum(v for k, v in STATS.items() if k.startswith("exit"))
        seconds = round(time.monotonic() - STARTED, 1)
        summary = {"cases": cases, "seconds": seconds, **dict(sorted(STATS.items()))}
        Path(log).write_text(json.dumps(summary, indent=2) + "\n")


atexit.register(_write_log)


def profile(small: int, share: float = 1.0) -> Any:
    """Hypothesis settings: ``small`` derandomised cases, or ``share`` × the long count.

    The shares of the long profile sum to about 7, so the default 2,000 gives 14,000 cases,
    weighted towards the cheap targets (a report with its PDF costs five times a score).
    """
    if LONG:
        return settings(max_examples=max(1, int(EXAMPLES * share)), deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))  # fmt: skip
    return settings(max_examples=small, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))  # fmt: skip


class Hang(Exception):
    """A case ran past HANG_SECONDS."""


def _alarm(_signum: int, _frame: object) -> None:
    raise Hang(f"no answer within {HANG_SECONDS} s")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _debris(folder: Path) -> list[str]:
    return [
        str(p)
        for p in folder.rglob("*")
        if p.name.startswith(".stigma-outcomes-") or p.name.endswith(".part")
    ]


def invoke(target: str, args: list[str], inputs: Iterable[Path], work: Path, outputs: Path) -> Any:
    """Run one case and check the properties every case must have."""
    inputs = [p for p in inputs if p.is_file()]
    before = {p: _sha(p) for p in inputs}
    previous = signal.signal(signal.SIGALRM, _alarm)
    # An exception Python can only print ("Exception ignored in ...") is a traceback too.
    unraisable: list[str] = []
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda u: unraisable.append(f"{u.exc_type.__name__}: {u.exc_value}")
    signal.alarm(HANG_SECONDS)
    try:
        result = runner.invoke(app, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook
    if unraisable:
        STATS[f"{target}:exit_traceback"] += 1
        STATS["exit_traceback"] += 1
        raise AssertionError(f"{target}: exception printed by Python: {unraisable}\nargs: {args}")
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    STATS[f"{target}:exit{'_traceback' if crashed else result.exit_code}"] += 1
    STATS[f"exit{'_traceback' if crashed else result.exit_code}"] += 1
    if crashed:
        import traceback

        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"{target}: uncaught exception\n{trace}\nargs: {args}")
    assert result.exit_code in (0, 1, 2), (target, result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert {p: _sha(p) for p in inputs} == before, f"{target}: an input was modified"
    assert not _debris(work), f"{target}: staging debris {_debris(work)}"
    if result.exit_code == 2:
        left = [p.name for p in outputs.rglob("*")] if outputs.exists() else []
        assert not left, f"{target}: a failed command left outputs {left}\n{result.output}"
    return result


def _cut(name: str, header_rows: int) -> str:
    lines = (SAMPLE / name).read_text(encoding="utf-8-sig").splitlines()
    return "\n".join(lines[: header_rows + ROWS]) + "\n"


PRE = _cut("qualtrics_pre.csv", 3)
POST = _cut("qualtrics_post.csv", 3)
MAPPING = (SAMPLE / "mapping.yaml").read_text(encoding="utf-8")
REDCAP = _cut("redcap_longitudinal.csv", 1)
DICTIONARY = (SAMPLE / "redcap_data_dictionary.csv").read_text(encoding="utf-8")
EVALUATION = (
    "title: Fuzz\ndata:\n  - {path: pre.csv, wave: pre}\n  - {path: post.csv, wave: post}\n"
    "instruments: [ucla3, gbs]\nmapping: mapping.yaml\nid_col: pcode\ncarry: [site]\n"
    "group_by: arm\nwaves: {pre: pre, post: post}\nprivacy: {min_cell: 5}\n"
    "report: {formats: [md]}\noutput: out\n"
)


_BASE: dict[str, Any] = {}


def base() -> dict[str, Any]:
    """Scores and results of the cut sample: the starting point of the later stages.

    Built once per session (a plain cache rather than a fixture, so hypothesis does not
    print a 70 kB results file with every failing case).
    """
    if not _BASE:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-base-"))
        for name, text in (("pre.csv", PRE), ("post.csv", POST), ("mapping.yaml", MAPPING),
                           ("evaluation.yaml", EVALUATION)):  # fmt: skip
            (folder / name).write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["run", str(folder / "evaluation.yaml")])
        assert result.exit_code == 0, result.output
        out = folder / "out"
        _BASE["scores"] = (out / "scores.csv").read_bytes()
        _BASE["results"] = json.loads((out / "results.json").read_text())
        scored = Path(tempfile.mkdtemp(prefix="fuzz-items-"))
        for name in ("pre.csv", "post.csv", "mapping.yaml"):
            (scored / name).write_bytes((folder / name).read_bytes())
        result = runner.invoke(app, _score_args(scored, "pre.csv"))
        assert result.exit_code == 0, result.output
        _BASE["items"] = (scored / "out" / "scores.items.csv").read_bytes()
    return _BASE


def _score_args(work: Path, export: str, extra: list[str] | None = None) -> list[str]:
    return ["score", str(work / export), str(work / "post.csv"), "--wave", "pre",
            "--wave", "post", "--map", str(work / "mapping.yaml"), "--id-col", "pcode",
            "--carry", "site", "--json", "--out", str(work / "out" / "scores.csv"),
            "--ledger", str(work / "out" / "ledger.csv"), *(extra or [])]  # fmt: skip


@contextlib.contextmanager
def _folder(files: dict[str, bytes]) -> Iterator[Path]:
    """A temporary folder holding these files (name → bytes), removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, content in files.items():
            (work / name).write_bytes(content)
        yield work


@profile(60, 1.5)
@given(mutated_export(PRE, first_data=3))
def test_score_survives_mutated_exports(export: tuple[str, bytes]) -> None:
    name, data = export
    with _folder({name: data, "post.csv": POST.encode("utf-8")}) as work:
        (work / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
        result = invoke("score", _score_args(work, name), work.iterdir(), work, work / "out")
        if result.exit_code == 0:
            summary = json.loads(result.stdout)
            assert summary["rows_in"] == summary["rows_scored"] + summary["rows_excluded"]


@profile(40, 1.0)
@given(mutated_yaml(MAPPING))
def test_score_survives_mutated_mappings(mapping: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "pre.csv").write_text(PRE, encoding="utf-8")
        (work / "post.csv").write_text(POST, encoding="utf-8")
        (work / "mapping.yaml").write_bytes(mapping)
        result = invoke("mapping", _score_args(work, "pre.csv"), work.iterdir(), work,
                        work / "out")  # fmt: skip
        if result.exit_code == 0:
            summary = json.loads(result.stdout)
            assert summary["rows_in"] == summary["rows_scored"] + summary["rows_excluded"]


@profile(15, 0.75)
@given(mutated_yaml(EVALUATION))
def test_run_survives_mutated_evaluation_files(evaluation: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, text in (("pre.csv", PRE), ("post.csv", POST), ("mapping.yaml", MAPPING)):
            (work / name).write_text(text, encoding="utf-8")
        (work / "evaluation.yaml").write_bytes(evaluation)
        args = ["run", str(work / "evaluation.yaml"), "--out", str(work / "out")]
        invoke("run", args, work.iterdir(), work, work / "out")


FUNDER = (
    (SAMPLE / "evaluation_funder.yaml").read_text(encoding="utf-8")
    .replace("qualtrics_pre.csv", "pre.csv").replace("qualtrics_post.csv", "post.csv")
    .replace("formats: [pdf, html, md]", "formats: [md]").replace("outputs_funder", "out")
)  # fmt: skip
"""The sample evaluation with every funder section on, over the cut exports, Markdown only."""


@profile(10, 0.1)
@given(st.data())
def test_run_survives_mutated_funder_sections(data: st.DataObject) -> None:
    """The funder sections' own files (curated quotes, the narrative) or the evaluation file
    that asks for them, one of the three mutated."""
    which = data.draw(st.sampled_from(["voices", "narrative", "evaluation"]))
    files = {name: (SAMPLE / name).read_bytes() for name in ("voices.yaml", "narrative.md")}
    files |= {"pre.csv": PRE.encode(), "post.csv": POST.encode(), "mapping.yaml": MAPPING.encode(),
              "evaluation.yaml": FUNDER.encode()}  # fmt: skip
    if which == "voices":
        files["voices.yaml"] = data.draw(mutated_yaml(files["voices.yaml"].decode("utf-8")))
    elif which == "narrative":
        files["narrative.md"] = data.draw(mutated_bytes(files["narrative.md"]))
    else:
        files["evaluation.yaml"] = data.draw(mutated_yaml(FUNDER))
    with _folder(files) as work:
        args = ["run", str(work / "evaluation.yaml"), "--out", str(work / "out")]
        invoke("run-funder", args, work.iterdir(), work, work / "out")


@profile(30, 1.0)
@given(st.data())
def test_compare_survives_mutated_scores(data: st.DataObject) -> None:
    text = base()["scores"].decode("utf-8")
    name, raw = data.draw(mutated_export(text, first_data=1))
    group = data.draw(st.sampled_from([[], ["--group-col", "arm"], ["--pool-by", "site"]]))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / name).write_bytes(raw)
        args = ["compare", str(work / name), "--pre", "pre", "--post", "post",
                "--out", str(work / "out" / "r.json"), "--csv", str(work / "out" / "r.csv"),
                *group]  # fmt: skip
        invoke("compare", args, work.iterdir(), work, work / "out")


SCALE_INFO = (
    "scales:\n"
    "  gbs.total: {direction: higher_is_better, reliability: 0.9, range: [1, 7]}\n"
    "  ucla3.total:\n"
    "    direction: higher_is_worse\n"
    "    reliability: 0.72\n"
    "    clinical_cutoff: {value: 6, operator: '>=', source: fuzz}\n"
    "    norms: {mean: 5.0, sd: 1.5, source: fuzz}\n"
)
"""Facts for two of the sample's scales, in every shape the scale-info layout allows."""
_FACT_OPTIONS = ["--reliability", "--direction", "--clinical-threshold"]
_FACT_VALUES = [
    "gbs.total=0.9",
    "gbs.total=nan",
    "gbs.total=-1",
    "gbs.total=2",
    "x=1",
    "=",
    "gbs.total",
    "gbs.total=higher_is_worse",
    "ucla3.total=1e309",
    "gbs.nope=0.5",
]


@profile(20, 0.3)
@given(st.data())
def test_compare_survives_mutated_items_and_scale_facts(data: st.DataObject) -> None:
    """compare's other inputs: the keyed items (in-sample reliability), a scale-info file,
    and the scale facts given as options; one of the three mutated."""
    files = {"scores.csv": base()["scores"], "items.csv": base()["items"],
             "info.yaml": SCALE_INFO.encode()}  # fmt: skip
    items, extra = "items.csv", []
    which = data.draw(st.sampled_from(["items", "scale_info", "options"]))
    if which == "items":
        items, files[items] = data.draw(mutated_export(base()["items"].decode(), first_data=1))
        del files["items.csv"]
    elif which == "scale_info":
        files["info.yaml"] = data.draw(mutated_yaml(SCALE_INFO))
    else:
        extra = [
            data.draw(st.sampled_from(_FACT_OPTIONS)),
            data.draw(st.sampled_from(_FACT_VALUES)),
        ]
    with _folder(files) as work:
        args = ["compare", str(work / "scores.csv"), "--pre", "pre", "--post", "post",
                "--group-by", "site", "--items", str(work / items),
                "--scale-info", str(work / "info.yaml"), *extra,
                "--out", str(work / "out" / "r.json")]  # fmt: skip
        invoke("compare-facts", args, work.iterdir(), work, work / "out")


@profile(12, 0.15)
@given(st.data())
def test_report_survives_mutated_results(data: st.DataObject) -> None:
    raw = data.draw(mutated_json(base()["results"]))
    with _folder({"results.json": raw, "scores.csv": base()["scores"]}) as work:
        out = work / "out"
        args = ["report", str(work / "results.json"), "--scores", str(work / "scores.csv"),
                "--out", str(out / "r.pdf"), "--md", str(out / "r.md")]  # fmt: skip
        invoke("report", args, work.iterdir(), work, work / "out")


INSTRUMENT = (Path(__file__).parents[2] / "instruments" / "ucla3.yaml").read_text(encoding="utf-8")


@profile(20, 0.5)
@given(mutated_yaml(INSTRUMENT))
def test_instruments_validate_survives_mutated_definitions(definition: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "ucla3.yaml").write_bytes(definition)
        args = ["instruments", "validate", str(work / "ucla3.yaml")]
        invoke("instruments", args, work.iterdir(), work, work / "out")


@profile(12, 0.15)
@given(st.data())
def test_report_survives_mutated_scores_and_ledger(data: st.DataObject) -> None:
    text = base()["scores"].decode("utf-8")
    name, raw = data.draw(mutated_export(text, first_data=1))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "results.json").write_text(json.dumps(base()["results"]))
        (work / name).write_bytes(raw)
        (work / "ledger.csv").write_bytes(raw)  # a scores file given as the ledger
        out = work / "out"
        args = ["report", str(work / "results.json"), "--scores", str(work / name),
                "--ledger", str(work / "ledger.csv"), "--out", str(out / "r.pdf"),
                "--md", str(out / "r.md")]  # fmt: skip
        invoke("report-scores", args, work.iterdir(), work, out)


@profile(30, 0.5)
@given(mutated_export(PRE, first_data=3))
def test_init_survives_mutated_exports(export: tuple[str, bytes]) -> None:
    name, data = export
    with _folder({name: data, "post.csv": POST.encode("utf-8")}) as work:
        out = work / "out"
        args = ["init", str(work / name), str(work / "post.csv"), "--json",
                "--write-mapping", str(out / "mapping.yaml"),
                "--write-evaluation", str(out / "evaluation.yaml")]  # fmt: skip
        invoke("init", args, work.iterdir(), work, out)


@profile(20, 0.3)
@given(st.data())
def test_score_and_init_survive_mutated_redcap_exports(data: st.DataObject) -> None:
    """A REDCap export and its data dictionary (the record ID, labels and identifiers come
    from it), one of the two mutated."""
    if data.draw(st.booleans()):
        name, raw = data.draw(mutated_export(DICTIONARY, first_data=1))
        files, export, dictionary = {name: raw, "data.csv": REDCAP.encode()}, "data.csv", name
    else:
        name, raw = data.draw(mutated_export(REDCAP, first_data=1))
        files, export, dictionary = {name: raw, "dd.csv": DICTIONARY.encode()}, name, "dd.csv"
    with _folder(files) as work:
        out = work / "out"
        read = [str(work / export), "--dictionary", str(work / dictionary), "--json"]
        args = ["score", *read, "-i", "ucla3", "-i", "gbs", "--wave-col", "redcap_event_name",
                "--out", str(out / "scores.csv")]  # fmt: skip
        invoke("redcap", args, work.iterdir(), work, out)
        invoke("redcap-init", ["init", *read], work.iterdir(), work, out)


FIXTURES = Path(__file__).parents[1] / "fixtures"
BINARY = [
    *sorted((FIXTURES / "real" / "spss_stata").iterdir()),
    FIXTURES / "exports" / "surveymonkey.xlsx",
    FIXTURES / "exports" / "survey.parquet",
    FIXTURES / "exports" / "survey.dta",
]


@profile(40, 0.5)
@given(damaged_binary(BINARY))
def test_readers_survive_damaged_binary_exports(export: tuple[str, bytes]) -> None:
    """SPSS, Stata, Excel and Parquet files with damaged bytes, read by ``init`` (which
    reads and proposes, with no mapping to refuse first)."""
    name, data = export
    with _folder({name: data}) as work:
        invoke("init-binary", ["init", str(work / name), "--json"], work.iterdir(), work,
               work / "out")  # fmt: skip


@profile(15, 0.25)
@given(st.data())
def test_pool_and_plan_survive_mutated_results(data: st.DataObject) -> None:
    raw = data.draw(mutated_json(base()["results"]))
    with _folder({"a.json": raw, "b.json": json.dumps(base()["results"]).encode()}) as work:
        out = work / "out"
        args = ["pool", str(work / "a.json"), str(work / "b.json"), "--json",
                "--out", str(out / "pooled.json"), "--csv", str(out / "pooled.csv")]  # fmt: skip
        invoke("pool", args, work.iterdir(), work, out)
        outcome = data.draw(st.sampled_from(["ucla3.total", "gbs.total", "x.y"]))
        args = ["plan", str(work / "a.json"), "--outcome", outcome, "--json"]
        invoke("plan", args, work.iterdir(), work, work / "plan")  # plan writes no file


WIDE_COLUMNS = 12_064  # the width that once ran past 240 s in init and score (issue 18 point 8)


def _widen(text: str, extra: int, header_rows: int = 3) -> str:
    """The cut sample export with ``extra`` answer columns of a question nobody maps."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    names = [f"Q900_{i}" for i in range(extra)]
    heads = [names, [f"Unmapped question {i}" for i in range(extra)],
             [json.dumps({"ImportId": f"QID900_{i}"}) for i in range(extra)]]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, row in enumerate(rows):
        fill = (
            heads[index]
            if index < header_rows
            else [str(1 + (index + i) % 5) for i in range(extra)]
        )
        writer.writerow(row + fill)
    return out.getvalue()


def test_score_and_init_of_a_very_wide_export_end_within_the_hang_limit(tmp_path: Path) -> None:
    """12,064 columns: both commands answer within HANG_SECONDS (invoke's alarm) and score
    accounts for every row."""
    wide = _widen(PRE, WIDE_COLUMNS - len(PRE.splitlines()[0].split(",")))
    (tmp_path / "pre.csv").write_text(wide, encoding="utf-8")
    (tmp_path / "post.csv").write_text(POST, encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    result = invoke("score", _score_args(tmp_path, "pre.csv"), tmp_path.iterdir(), tmp_path,
                    tmp_path / "out")  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows_in"] == summary["rows_scored"] + summary["rows_excluded"]
    proposed = invoke("init", ["init", str(tmp_path / "pre.csv")], tmp_path.iterdir(), tmp_path,
                      tmp_path / "none")  # fmt: skip
    assert proposed.exit_code == 0, proposed.output
