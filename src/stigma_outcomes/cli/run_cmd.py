"""``stigma-outcomes run``: the whole pipeline from one evaluation file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import echo_json


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)


def _progress(message: str) -> None:
    # Stage messages go to stderr so that stdout stays the summary a script may read.
    typer.echo(f"… {message}", err=True)


def print_run(run: Any) -> None:
    """Terminal summary of a pipeline run: rows, exclusions with reasons, alerts, files written."""
    s = run.summary or {}
    if s:
        typer.echo(
            f"rows read: {s.get('rows_in')}, scored: {s.get('rows_scored')}, "
            f"excluded: {s.get('rows_excluded')}"
        )
        for reason, n in sorted((s.get("excluded_by_reason") or {}).items()):
            typer.echo(f"  excluded ({reason.replace('_', ' ')}): {n}")
    if s.get("alerts"):
        # As 'score' says it: the evaluator must see these, and the file must not travel.
        typer.echo(
            f"{s['alerts']} alert(s) for the evaluator only: {run.files.get('alerts')} "
            "— never share this file."
        )
    typer.echo(f"outputs in {run.out_dir}:")
    for name, path in sorted(run.files.items()):
        typer.echo(f"  {name:<13} {path}")


def run_command(
    evaluation: Annotated[Path, typer.Argument(help="Evaluation file (YAML).")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: the file's 'output' setting)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary and file paths as JSON.")
    ] = False,
) -> None:
    """Read, score, compare and report, as the evaluation file says."""
    from .._evaluation_paths import named_exports
    from ..ingest.formats._started import reading_ahead
    from ..report import chart_worker

    # First, before anything heavy is imported: a child that draws the charts and compiles
    # the PDF. It imports matplotlib only when the report is being built (build_report asks),
    # so that it holds a few MiB, not some sixty, while the comparison's memory peaks.
    chart_worker.start(prepare=False)
    try:
        # Then Arrow parses the exports on the other core while the pipeline is imported
        # (half a second of pandas and pydantic, holding the GIL): a million-row export
        # took the main thread that long again to wait for once the imports were done.
        with reading_ahead(named_exports(evaluation)):
            from ..pipeline import run_evaluation

            run = run_evaluation(evaluation, out, progress=_progress)
    finally:
        chart_worker.stop()
    if as_json:
        echo_json(run_json(run))
    else:
        print_run(run)


def run_json(run: Any) -> dict[str, Any]:
    """What ``--json`` prints: output folder, files written, and the scoring summary."""
    return {
        "out_dir": str(run.out_dir),
        "files": {name: str(path) for name, path in sorted(run.files.items())},
        "summary": run.summary,
    }
