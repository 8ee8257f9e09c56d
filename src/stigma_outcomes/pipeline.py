"""The whole pipeline in one call: evaluation file → scores, ledger, results, reports.

:func:`run_evaluation` goes through the public API of each stage only (``read_export``,
``load_responses``, ``score``, ``compare``, ``build_report``, ``render.start_report``), reads the
inputs without touching them, and writes every output into one folder, atomically:

``scores.csv``, ``ledger.csv``, ``alerts.csv`` when any answer met an instrument's alert rule,
and ``evaluator_qa.txt`` (evaluator only: they hold participant codes or internal keys),
``results.json``, ``results.csv``, and ``report.pdf`` / ``report.html`` / ``report.md``
(meant for others: no identifiers, no alerts, small counts suppressed), and ``run.json``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._evaluation_paths import resolve as _resolve
from .errors import InputError
from .evaluation import Evaluation, load_evaluation


@dataclass
class RunResult:
    """What a run wrote and a summary to print."""

    out_dir: Path
    files: dict[str, Path]
    summary: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _read_sources(ev: Evaluation, base: Path, pii: tuple[str, ...]) -> list[Any]:
    """Each export read with its own entry's choices (flavour, sheet, dictionary)."""
    from .ingest import read_export

    tables = []
    for i, item in enumerate(ev.data):
        path = _resolve(base, item.path)
        assert path is not None
        if not path.is_file():
            raise InputError(
                f"data file not found: {item.path}",
                where=f"evaluation file, data[{i}].path",
                fix="give the path relative to the evaluation file's folder",
            )
        tables.append(
            read_export(
                path,
                flavor=item.flavor,
                sheet=item.sheet,
                dictionary=_resolve(base, item.dictionary),
                pii=pii,
            )
        )
    return tables


ALERTS = "alerts.csv"
"""The run's item-level alerts (evaluator only), written when any answer met a rule."""

OUTPUT_NAMES = (
    "scores.csv",
    "ledger.csv",
    ALERTS,
    "results.json",
    "results.csv",
    "report.pdf",
    "report.html",
    "report.md",
    "evaluator_qa.txt",
)

MANIFEST = "run.json"
"""The manifest of one run: each file it wrote with its SHA-256, and the inputs read."""


def _inputs_of(ev: Evaluation, base: Path) -> list[Path]:
    found = [
        *(_resolve(base, f.path) for f in ev.data),
        *(_resolve(base, f.dictionary) for f in ev.data),
        _resolve(base, ev.mapping),
        *(_resolve(base, i) for i in ev.instruments if i.endswith((".yaml", ".yml"))),
    ]
    return [p for p in found if p is not None]


def _check_outputs_spare_inputs(ev: Evaluation, base: Path, out: Path) -> None:
    """Refuse an output folder where a run would overwrite one of its own input files."""
    from ._outputs import check_output_paths

    if out.exists() and not out.is_dir():
        raise InputError(
            f"the output folder is a file: {out}",
            where=str(out),
            fix="choose a folder (it is created if it does not exist)",
        )
    try:
        check_output_paths(
            {name: out / name for name in (*OUTPUT_NAMES, MANIFEST)}, _inputs_of(ev, base)
        )
    except InputError as err:
        raise InputError(
            f"the output folder would overwrite an input file: {Path(err.where or '').name}",
            where=str(out),
            fix="choose another output folder, or rename the input file",
        ) from None


def _previous_set(out: Path) -> list[Path]:
    """Files of the previous run in ``out`` (from its manifest, else by their names)."""
    import json

    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            names = list(json.loads(manifest.read_text(encoding="utf-8"))["files"])
        except (ValueError, KeyError, TypeError, OSError):
            names = list(OUTPUT_NAMES)
    else:
        names = list(OUTPUT_NAMES)
    # Only plain names inside the folder: a manifest never points elsewhere.
    return [out / n for n in names if isinstance(n, str) and Path(n).name == n]


def _input_digests(inputs: list[Path]) -> dict[str, dict[str, str]]:
    """The SHA-256 of each input file the run read, by name (for the manifest)."""
    from ._digest import file_sha256

    return {p.name: {"sha256": file_sha256(p)} for p in inputs if p.is_file()}


def _manifest(outputs: Any, inputs: dict[str, dict[str, str]]) -> str:
    """``run.json``: the files of this run and their checksums (no timestamps: reruns match)."""
    import json

    from ._version import __version__

    files = {
        path.name: {"sha256": digest, "bytes": outputs.staged[path][0].stat().st_size}
        for path, digest in outputs.sha256().items()
    }
    manifest = {
        "tool": "stigma-outcomes",
        "version": __version__,
        "files": files,
        "inputs": inputs,
        "note": "written together by one run; a file not listed here is not part of it",
    }
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _alert_notes(scored: Any) -> list[str]:
    """The QA file's lines on the alerts: counts per rule, item and wave, and their file."""
    from .report.evaluator import alert_notes

    rules = [(i.id, rule.id) for i in scored.instruments for rule in i.alerts]
    return alert_notes(scored.alerts, rules, ALERTS if len(scored.alerts) else None)


def _write_tables(outputs: Any, tables: list[tuple[Any, Path]]) -> None:
    """Write each table (private: they hold participant codes) and checksum it."""
    from ._io import write_table

    for frame, path in tables:
        outputs.hash_staged(write_table(frame, path, private=True))


def renamed_wave(value: object, names: dict[str, str]) -> object:
    """One wave name renamed by ``names``, an occasion named after it too (``old/form#2``,
    ``old#2``); anything else as it is."""
    if not isinstance(value, str):
        return value
    if value in names:
        return names[value]
    for old, new in names.items():
        if value.startswith(old) and value[len(old) : len(old) + 1] in ("/", "#"):
            return new + value[len(old) :]
    return value


def rename_waves(waves: Any, names: dict[str, str]) -> Any:
    """Waves renamed by ``names``, including the occasions named after them.

    A REDCap repeat occasion is named after its event (``baseline_arm_1/weekly#2``, or
    ``baseline_arm_1#2`` for a repeating event), so renaming the event renames it too.

    Examples
    --------
    >>> import pandas as pd
    >>> w = pd.Series(["baseline_arm_1", "baseline_arm_1/weekly#2", "other", None])
    >>> rename_waves(w, {"baseline_arm_1": "pre"}).tolist()
    ['pre', 'pre/weekly#2', 'other', None]
    """
    import numpy as np
    import pandas as pd

    # Each distinct wave name is renamed once, whatever the number of rows.
    codes, distinct = pd.factorize(waves.astype(object), use_na_sentinel=True)
    renamed = np.array([renamed_wave(v, names) for v in distinct] + [None], dtype=object)
    return pd.Series(renamed[codes], index=waves.index, dtype=object)


def run_evaluation(
    source: str | os.PathLike[str] | dict[str, Any] | Evaluation,
    out_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run ingest → score → compare → report for one evaluation file.

    Parameters
    ----------
    source : path, dict or Evaluation
        The evaluation file (YAML), or its content.
    out_dir : path, optional
        Output folder; by default the evaluation's ``output`` (relative to its file).
    progress : callable, optional
        Called with a short message as each stage starts (the CLI prints them).

    Returns
    -------
    RunResult
        Paths of every file written, and a summary (rows read, scored, excluded).

    Examples
    --------
    >>> import tempfile
    >>> from stigma_outcomes.pipeline import run_evaluation, sample_data_dir
    >>> run = run_evaluation(sample_data_dir() / "evaluation.yaml", tempfile.mkdtemp())
    >>> sorted(run.files)[:3]
    ['evaluator_qa', 'ledger', 'manifest']
    """
    from .ingest.formats._started import reading_ahead

    ev, base = load_evaluation(source)
    # Arrow parses the text exports on the other core while the stages below are imported
    # (about half a second of pandas, scipy and the stages' own modules, holding the GIL).
    with reading_ahead([p for p in (_resolve(base, f.path) for f in ev.data) if p is not None]):
        return _run(ev, base, out_dir, progress)


def _run(
    ev: Evaluation,
    base: Path,
    out_dir: str | os.PathLike[str] | None,
    progress: Callable[[str], None] | None,
) -> RunResult:
    from ._io import write_text_atomic
    from ._outputs import all_or_nothing
    from .comparison import compare
    from .ingest import load_responses
    from .instruments import Registry
    from .report import build_report
    from .report.render import start_report
    from .scoring import score

    say = progress or (lambda _message: None)
    say(f"reading {len(ev.data)} export file(s)")
    out = Path(out_dir) if out_dir is not None else (_resolve(base, ev.output) or base)
    _check_outputs_spare_inputs(ev, base, out)
    load_settings = ev.load_settings(base)
    tables = _read_sources(ev, base, load_settings.pii)
    # ids and definition paths (relative to the evaluation file) resolved once, here
    registry = Registry()
    instruments = registry.resolve(ev.instruments, base=base)
    responses = load_responses(tables, instruments, load_settings)
    # The exports are bound into the item responses: only their personal-data flags are
    # still needed, so the raw tables are let go before scoring (at 1M rows, ~0.6 GB).
    personal = {c for t in tables for c in getattr(t, "pii_columns", [])}
    del tables
    say(f"scoring {', '.join(i.id for i in instruments)}")
    if ev.waves.rename:
        # Renamed once, before scoring, so scores, item answers, ledger and alerts all carry
        # the same wave names.
        responses.frame["wave"] = rename_waves(responses.frame["wave"], ev.waves.rename)
        responses.ledger["wave"] = rename_waves(responses.ledger["wave"], ev.waves.rename)
        responses.wave_columns = {
            (f, str(renamed_wave(w, ev.waves.rename)), c): column
            for (f, w, c), column in responses.wave_columns.items()
        }
    scored = score(responses, instruments)
    del responses  # scored; the result keeps what later stages need
    scores = scored.scores
    # Group and site labels are published: refuse a column that identifies people.
    from .comparison.group_labels import check_grouping_columns

    check_grouping_columns(
        scores,
        {"group_by": ev.group_by, "pool_by": ev.pool_by},
        id_columns={"participant_id", *([ev.id_col] if ev.id_col else [])},
        personal=personal,
    )
    keyed_items = None if ev.unlinked else scored.keyed_items
    settings = ev.report_settings()
    files: dict[str, Path] = {"scores": out / "scores.csv", "ledger": out / "ledger.csv"}
    # Item-level alerts (e.g. any answer on a self-harm item) go to their own evaluator-only
    # file, as 'score' writes them; none is written when no answer met a rule (an older
    # run's file is then removed with the rest of its set). They never reach the report.
    private_tables = [(scores, files["scores"]), (scored.ledger, files["ledger"])]
    if len(scored.alerts):
        files["alerts"] = out / ALERTS
        private_tables.append((scored.alerts, files["alerts"]))
    alert_notes = _alert_notes(scored)
    planning = ev.report.planning.model_dump() if ev.report.planning else None
    # All or nothing: every file is staged beside its target and moved into place only
    # when the whole run has succeeded (a failed comparison or report leaves none of it),
    # replacing the previous run's complete set.
    with all_or_nothing() as outputs:
        with outputs.beside(out) as early:
            # The scores and the ledger (at 1M rows, 880 MB: most of the bytes a run writes,
            # and seconds of disk) are written and checksummed on the other core while the
            # waves are compared and the report is built. Nothing below changes them.
            early(_write_tables, outputs, private_tables)
            # The inputs are checksummed for the manifest there too, once the tables are
            # written (at 1M rows, 113 MB of export). The summary is not counted there: its
            # codes (~400 MB at 1M rows) would meet the comparison's peak.
            read = early(_input_digests, _inputs_of(ev, base))
            say("comparing waves")
            results = compare(
                scores,
                settings=ev.compare_settings(),
                keyed_items=keyed_items,
                # the definitions actually scored, so a user's own instrument gets its
                # reliability too
                scale_items={
                    (i.id, s.id): list(s.items) for i in scored.instruments for s in i.scales
                },
                input_name="scores",
                registry=registry,
            )
            # The keyed items (as large as the export) served in-sample reliability only: let
            # them go, with the copy the scoring result cached, before the report.
            del keyed_items
            scored.release_keyed_items()
            say(f"writing scores, ledger and results to {out}")
            files["results_json"] = results.to_json(out / "results.json")
            files["results_csv"] = results.to_csv(out / "results.csv")
            say(f"writing the report ({', '.join(ev.report.formats)})")
            asks = ev.report.funder_asks(base)
            model = build_report(
                results, scores, scored.ledger, settings, planning, asks, registry=registry
            )
            # The chart child draws the charts and compiles the PDF (when the command started
            # one); meanwhile the QA file is written and the summary counted here.
            finish_report = start_report(model, out / "report.pdf", ev.report.formats)
            # Evaluator-only QA (the alerts' counts first, then mis-keying, ledger actions,
            # the audit's added cells): beside the scores and on the terminal, never in a
            # report; private like them.
            files["evaluator_qa"] = write_text_atomic(
                out / "evaluator_qa.txt", model.evaluator_text(alert_notes), private=True
            )
            summary = scored.summary()
            for fmt, path in finish_report().items():
                files[f"report_{fmt}"] = path
        outputs.remove_on_commit(_previous_set(out))
        manifest = _manifest(outputs, read.result())
        files["manifest"] = write_text_atomic(out / MANIFEST, manifest, private=False)
    for line in model.evaluator_notes:
        if not line.startswith(("Ledger: ", "  ")):
            say(line)
    return RunResult(out_dir=out, files=files, summary=summary)


def sample_data_dir() -> Path:
    """Folder of the shipped sample data (inside an installed wheel, or the repository).

    Examples
    --------
    >>> (sample_data_dir() / "evaluation.yaml").is_file()
    True
    """
    from importlib import resources

    shipped = resources.files("stigma_outcomes").joinpath("_sample_data")
    if shipped.is_dir():
        return Path(str(shipped))
    repo = Path(__file__).resolve().parents[2] / "data" / "sample"
    if repo.is_dir():
        return repo
    raise InputError(
        "the sample data is not installed",
        where=str(repo),
        fix="reinstall stigma-outcomes, or run from a checkout of the repository",
    )
