"""``stigma-outcomes report``: render a report from saved results, scores and ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)


def _read_table(path: Path | None, what: str):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    import pandas as pd

    from ..errors import InputError

    if not path.is_file():
        raise InputError(
            f"{what} file not found: {path}",
            where=str(path),
            fix=f"give the {what} file written by 'score' or 'run'",
        )
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        if path.suffix.lower() == ".xlsx":
            return pd.read_excel(path)
        return pd.read_csv(path, keep_default_na=True)
    except Exception as err:
        raise InputError(
            f"cannot read the {what} file",
            where=str(path),
            fix=f"give a CSV, XLSX or Parquet file ({err})",
        ) from err


def report_command(
    results: Annotated[Path, typer.Argument(help="Results JSON written by 'compare' or 'run'.")],
    out: Annotated[Path, typer.Option("--out", help="PDF report path.")] = Path("report.pdf"),
    scores: Annotated[
        Path | None, typer.Option("--scores", help="Tidy scores (participant flow, charts).")
    ] = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Data-quality ledger (problem counts).")
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="Also write an HTML report.")] = False,
    md: Annotated[bool, typer.Option("--md", help="Also write a Markdown report.")] = False,
    title: Annotated[str, typer.Option("--title", help="Report title.")] = (
        "Programme outcome report"
    ),
    program: Annotated[str | None, typer.Option("--program", help="Programme name.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Period covered.")] = None,
    author: Annotated[str, typer.Option("--author", help="Organisation writing the report.")] = (
        "Programme evaluation team"
    ),
    threshold: Annotated[
        int, typer.Option("--threshold", min=1, help="Suppress counts below this (default 5).")
    ] = 5,
    language: Annotated[str, typer.Option("--lang", help="Report language code.")] = "en",
) -> None:
    """Render the funder report (PDF, and optionally HTML and Markdown)."""
    from ..comparison import Results
    from ..errors import InputError
    from ..report import ReportSettings, build_report, render_report

    if not results.is_file():
        raise InputError(
            f"results file not found: {results}",
            where=str(results),
            fix="give the results JSON written by 'compare' or 'run'",
        )
    try:
        data = Results.read_json(results)
    except Exception as err:
        raise InputError(
            "cannot read the results file",
            where=str(results),
            fix=f"give a results JSON written by 'compare' or 'run' ({err})",
        ) from err
    settings = ReportSettings(
        title=title,
        program=program,
        period=period,
        author=author,
        language=language,
        threshold=threshold,
    )
    model = build_report(
        data, _read_table(scores, "scores"), _read_table(ledger, "ledger"), settings
    )
    formats = ["pdf"] + (["html"] if html else []) + (["md"] if md else [])
    for fmt, path in render_report(model, out, formats).items():
        typer.echo(f"{fmt}: {path}")
