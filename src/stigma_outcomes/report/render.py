"""Write a report model to files: PDF, HTML and Markdown, atomically."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .._io import write_atomic, write_text_atomic
from ..errors import InputError
from .content import ReportModel

FORMATS = ("pdf", "html", "md")


def render_report(
    model: ReportModel,
    out: str | os.PathLike[str],
    formats: tuple[str, ...] | list[str] = FORMATS,
) -> dict[str, Path]:
    """Render ``model`` into each format; ``out`` is the PDF path or a stem for the others.

    Parameters
    ----------
    model : ReportModel
        From :func:`stigma_outcomes.report.build_report`.
    out : path
        ``report.pdf`` writes ``report.pdf``, ``report.html`` and ``report.md``.
    formats : sequence of {"pdf", "html", "md"}

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes.report import build_report
    >>> paths = render_report(build_report({"meta": {}, "paired": []}),
    ...                       pathlib.Path(tempfile.mkdtemp()) / "r.pdf", ["md"])
    >>> paths["md"].name
    'r.md'
    """
    return start_report(model, out, formats)()


def start_report(
    model: ReportModel,
    out: str | os.PathLike[str],
    formats: tuple[str, ...] | list[str] = FORMATS,
) -> Callable[[], dict[str, Path]]:
    """:func:`render_report` in two steps: this call starts the work that the chart child
    does (the charts, the PDF), when the command started one; the returned call renders
    the rest, waits for the child and writes the files.

    A command may write other files between the two calls while the child draws. Formats
    are checked here, before anything starts.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            f"unknown report format(s): {', '.join(unknown)}",
            fix=f"choose from {', '.join(FORMATS)}",
        )
    stem = Path(out)
    if stem.suffix.lower() in (".pdf", ".html", ".md"):
        stem = stem.with_suffix("")
    from . import chart_worker

    project = None
    if "pdf" in formats:
        from .render_typst import typst_project

        project = typst_project(model)
    # Drawn, and the PDF compiled, by the chart child when the command started one (else
    # here, as they are asked for); the HTML is rendered here meanwhile.
    drawn = chart_worker.submit_report(
        [c for sec in [model.summary, *model.outcomes, *model.sections] for c in sec.charts],
        project,
    )

    def finish() -> dict[str, Path]:
        written: dict[str, Path] = {}
        pdf = drawn()
        html = None
        if "html" in formats:
            from .render_html import render_html

            html = render_html(model)
        if pdf is not None:
            data, _notes = pdf()
            written["pdf"] = write_atomic(
                stem.with_suffix(".pdf"), lambda fh: fh.write(data), private=False
            )
        if html is not None:
            written["html"] = write_text_atomic(stem.with_suffix(".html"), html, private=False)
        if "md" in formats:
            written["md"] = write_markdown(model, stem.with_suffix(".md"))
        return written

    return finish


def chart_file_name(stem: str, chart_id: str) -> str:
    """The file beside the Markdown report that holds one chart: a plain name, whatever
    the chart's id (ids carry instrument and scale ids, which may come from a user's file).

    Examples
    --------
    >>> chart_file_name("report", "means-ucla3"), chart_file_name("r", "forest-my scale/../x")
    ('report.means-ucla3.svg', 'r.forest-my_scale_.._x.svg')
    """
    import re

    return f"{stem}.{re.sub(r'[^A-Za-z0-9._-]', '_', chart_id)}.svg"


def write_markdown(model: ReportModel, path: str | os.PathLike[str]) -> Path:
    """Write the Markdown report and, beside it, one SVG file per chart that it shows.

    Each file is written atomically (inside a run's all-or-nothing set, staged with the
    rest), and the Markdown refers to the charts by their plain file names, so the folder
    can be moved or zipped whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes.report import build_report
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_markdown(build_report({"meta": {}, "paired": []}), folder / "r.md").name
    'r.md'
    """
    from .charts import render_svg
    from .render_markdown import render_markdown

    target = Path(path)
    images: dict[str, str] = {}
    for sec in [model.summary, *model.outcomes, *model.sections]:
        for chart in sec.charts:
            name = chart_file_name(target.stem, chart.id)
            svg = render_svg(chart).encode("utf-8")
            write_atomic(target.with_name(name), lambda fh, b=svg: fh.write(b), private=False)
            images[chart.id] = name
    return write_text_atomic(target, render_markdown(model, images), private=False)
