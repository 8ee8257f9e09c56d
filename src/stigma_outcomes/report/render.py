"""Write a report model to files: PDF, HTML and Markdown, atomically."""

from __future__ import annotations

import os
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
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            f"unknown report format(s): {', '.join(unknown)}",
            fix=f"choose from {', '.join(FORMATS)}",
        )
    stem = Path(out)
    if stem.suffix.lower() in (".pdf", ".html", ".md"):
        stem = stem.with_suffix("")
    written: dict[str, Path] = {}
    if "pdf" in formats:
        from .render_typst import render_pdf

        pdf, _notes = render_pdf(model)
        written["pdf"] = write_atomic(
            stem.with_suffix(".pdf"), lambda fh: fh.write(pdf), private=False
        )
    if "html" in formats:
        from .render_html import render_html

        written["html"] = write_text_atomic(
            stem.with_suffix(".html"), render_html(model), private=False
        )
    if "md" in formats:
        from .render_markdown import render_markdown

        written["md"] = write_text_atomic(
            stem.with_suffix(".md"), render_markdown(model), private=False
        )
    return written
