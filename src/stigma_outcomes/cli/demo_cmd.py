"""``stigma-outcomes demo``: the whole pipeline on the shipped sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the demo's outputs.")] = Path(
        "stigma-outcomes-demo"
    ),
) -> None:
    """Run the pipeline on the synthetic sample exports and say where the report is."""
    import gc

    from ..report import chart_worker
    from ._common import one_blas_thread

    one_blas_thread()  # the sample is a few hundred rows

    # First, before anything heavy is imported: a child that draws the charts, importing
    # matplotlib while this process reads, scores and compares.
    chart_worker.start()
    # One short run over small sample data: collecting reference cycles on the way (four
    # full passes over every imported module's objects) costs more than the memory it
    # would give back before the process ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from ..pipeline import run_evaluation, sample_data_dir
        from .run_cmd import _progress, print_run

        run = run_evaluation(sample_data_dir() / "evaluation.yaml", out, progress=_progress)
    finally:
        if collecting:
            gc.enable()
        chart_worker.stop()
    print_run(run)
    report = run.files.get("report_pdf") or run.files.get("report_html")
    typer.echo(f"\nThe report is at {report}")
