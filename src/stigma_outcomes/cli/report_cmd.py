"""``stigma-outcomes report``: render a report from saved results, scores and ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)


def _read_table(path: Path | None, what: str):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    from .._io import read_table
    from ..errors import InputError

    if not path.exists():
        raise InputError(
            f"{what} file not found: {path}",
            where=str(path),
            fix=f"give the {what} file written by 'score' or 'run'",
        )
    from ._results_input import check_ledger, check_scores

    # Checked (regular file, size), read, formula neutralisation undone, then its columns
    # checked so that the report never trips over an edited or damaged table.
    frame = read_table(path)
    return check_scores(frame, str(path)) if what == "scores" else check_ledger(frame, str(path))


def _read_results(paths: list[Path]) -> dict[str, Any]:
    """One results dict; several files (e.g. one per site) have their records concatenated."""
    from ..comparison import Results
    from ..errors import InputError
    from ._common import clean_json
    from ._results_input import REPORT_NEEDS

    merged: dict[str, Any] = {}
    for path in paths:
        if not path.is_file():
            raise InputError(
                f"results file not found: {path}",
                where=str(path),
                fix="give the results JSON written by 'compare' or 'run'",
            )
        try:  # Results.read_json checks the file, then every record against its model
            # Non-finite numbers (NaN, Infinity) are not valid results: read as missing.
            data = clean_json(Results.read_json(path, REPORT_NEEDS).to_dict())
        except (ValueError, TypeError, KeyError, AttributeError, OSError) as err:
            raise InputError(
                "cannot read the results file",
                where=str(path),
                fix=f"give a results JSON written by 'compare' or 'run' ({err})",
            ) from err
        for section, value in data.items():
            if isinstance(value, list):
                merged.setdefault(section, []).extend(value)
            else:
                merged.setdefault(section, value)
    return merged


_ENDINGS = {
    "--out": ("PDF", (".pdf",)),
    "--html": ("HTML", (".html", ".htm")),
    "--md": ("Markdown", (".md", ".markdown")),
}
"""Each report option's format and the file endings it writes: a name is the file written."""


def _check_report_paths(paths: dict[str, Path | None]) -> None:
    """``--out``, ``--html`` and ``--md`` name the files written, exactly: a folder, or a
    name without the format's ending, is refused (exit 2), as every command's outputs are.

    Before, ``--out adir`` (a folder) wrote ``adir.pdf``, ``--out rr.txt`` ``rr.pdf`` and
    ``--out results.json`` ``results.pdf``: files the user never named; ``--html`` and
    ``--md`` wrote any name given, ``report.pdf`` included.
    """
    from .._outputs import check_output_paths
    from ..errors import InputError

    # --out as named, a folder included (the general check saw it with .pdf added); --html
    # and --md were checked as named there already
    check_output_paths({"--out": paths["--out"]})
    for option, path in paths.items():
        what, endings = _ENDINGS[option]
        if path is None or path.suffix in endings:
            continue
        named = (
            path.with_suffix(endings[0])
            if path.suffix
            else path.with_name(f"{path.name}{endings[0]}")
        )
        raise InputError(
            f"{option} names the {what} report, and '{path.name}' does not end in "
            f"{' or '.join(endings)}",
            where=f"{option} {path}",
            fix=f"give {option} a {endings[0]} file name, e.g. {option} {named} (the PDF, HTML "
            "and Markdown reports are written with --out, --html and --md)",
        )


def report_command(
    results: Annotated[
        list[Path], typer.Argument(help="Results JSON file(s) written by 'compare' or 'run'.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="PDF report path.")] = Path("report.pdf"),
    scores: Annotated[
        Path | None, typer.Option("--scores", help="Tidy scores (participant flow, charts).")
    ] = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Data-quality ledger (problem counts).")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML report to this path.")
    ] = None,
    md: Annotated[
        Path | None, typer.Option("--md", help="Also write a Markdown report to this path.")
    ] = None,
    qa: Annotated[
        Path | None,
        typer.Option(
            "--qa",
            help="Evaluator-only quality checks (the cells the privacy audit hid, mis-keying "
            "warnings, ledger actions; default: <report>.evaluator_qa.txt beside the PDF). "
            "Never share it.",
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="Report title.")] = (
        "Programme outcome report"
    ),
    program: Annotated[str | None, typer.Option("--program", help="Programme name.")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Period covered.")] = None,
    author: Annotated[str, typer.Option("--author", help="Organisation writing the report.")] = (
        "Programme evaluation team"
    ),
    min_cell: Annotated[
        int,
        typer.Option(
            "--min-cell",
            min=1,
            help="Privacy: counts of fewer people than this are suppressed (default 5); "
            "the same name as compare's --min-cell.",
        ),
    ] = 5,
    language: Annotated[
        str,
        typer.Option(
            "--language", "--lang", help="Report language code: en (the text is in English)."
        ),
    ] = "en",
    keyword: Annotated[
        list[str] | None,
        typer.Option("--keyword", help="PDF/HTML keyword (repeatable)."),
    ] = None,
) -> None:
    """Render the funder report (PDF, and optionally HTML and Markdown) and the evaluator's
    quality-check file beside it."""
    from .._io import write_text_atomic
    from .._outputs import all_or_nothing, check_output_paths
    from ..errors import InputError
    from ..report import ReportSettings, build_report, render_report
    from ..report.options import report_language

    try:
        language = report_language(language)
    except ValueError as err:
        raise InputError(
            f"report language '{language}' is not available", where="--language", fix=str(err)
        ) from None
    stem = out.with_suffix("") if out.suffix.lower() in (".pdf", ".html", ".md") else out
    # Not 'evaluator_qa.txt': re-rendering a report inside a run's folder must not replace
    # that run's QA file, which also counts its alerts.
    qa = qa or stem.with_name(f"{stem.name}.evaluator_qa.txt")
    check_output_paths(
        {"--out": stem.with_suffix(".pdf"), "--html": html, "--md": md, "--qa": qa},
        [*results, scores, ledger],
    )
    _check_report_paths({"--out": out, "--html": html, "--md": md})
    settings = ReportSettings(
        title=title,
        program=program,
        period=period,
        author=author,
        language=language,
        min_cell=min_cell,
        **({"keywords": list(keyword)} if keyword else {}),
    )
    model = build_report(
        _read_results(results),
        _read_table(scores, "scores"),
        _read_table(ledger, "ledger"),
        settings,
    )
    written: list[str] = []
    # All or nothing: the PDF, HTML, Markdown and the QA file move into place together.
    with all_or_nothing():
        for fmt, path in render_report(model, out, ["pdf"]).items():
            written.append(f"{fmt}: {path}")
        if html is not None:
            from ..report.render_html import render_html

            written.append(f"html: {write_text_atomic(html, render_html(model), private=False)}")
        if md is not None:
            from ..report.render import write_markdown

            # The charts go beside it as SVG files, staged with the rest.
            written.append(f"md: {write_markdown(model, md)}")
        # Evaluator-only (the audit's hidden cells, mis-keying, ledger actions): private, and
        # never in the PDF, HTML or Markdown; as 'run' writes it beside the scores.
        qa_file = write_text_atomic(qa, model.evaluator_text(), private=True)
        written.append(f"evaluator_qa: {qa_file}")
    # On the terminal too, as 'run' says them (stderr: stdout stays the files written).
    for note in model.evaluator_notes:
        if not note.startswith(("Ledger: ", "  ")):
            typer.echo(note, err=True)
    for line in written:
        typer.echo(line)
