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
    from ..pipeline import run_evaluation, sample_data_dir
    from .run_cmd import _progress, print_run

    run = run_evaluation(sample_data_dir() / "evaluation.yaml", out, progress=_progress)
    print_run(run)
    report = run.files.get("report_pdf") or run.files.get("report_html")
    typer.echo(f"\nThe report is at {report}")
