"""PDF through Typst: the model as JSON plus a fixed layout template, compiled in memory.

The layout lives in ``templates/report.typ`` and reads every word from ``model.json``, so no
report text is ever spliced into Typst markup (nothing to escape, nothing to inject). The
PDF is tagged, carries title, author, keywords and language, and is exported as PDF/UA-1
when the installed Typst accepts it; otherwise it falls back to a tagged PDF and says so in
the returned notes. Typst's bundled fonts only, and a fixed timestamp, so the same model
gives the same bytes on any machine.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from ..errors import InputError
from .content import Chart, ReportModel
from .escape import map_strings, typst_text

FIXED_TIMESTAMP = datetime(2000, 1, 1, tzinfo=UTC)
"""Creation time written into every PDF, so that identical inputs give identical files."""


def _template() -> bytes:
    return resources.files(__package__).joinpath("templates/report.typ").read_bytes()


def typst_sources(model: ReportModel) -> dict[str, bytes]:
    """The in-memory Typst project: template, model JSON and one SVG per chart."""
    return fill_project(typst_project(model))


def typst_project(model: ReportModel) -> dict[str, bytes | Chart]:
    """:func:`typst_sources` with each chart's file still its :class:`Chart` (undrawn)."""
    from .chart_style import PRINT_SHARE

    files: dict[str, bytes | Chart] = {"main.typ": _template()}
    data = _data(model)
    for group in [data["summary"], *data["outcomes"], *data["sections"]]:
        for chart in group["charts"]:
            source = chart.pop("_chart")
            name = f"{chart['id']}.svg"
            files[name] = source
            chart["file"] = name
            # Placed at the size it was drawn, so its text keeps its size in points.
            chart["width"] = round(100 * PRINT_SHARE.get(source.kind, 1.0), 2)
    # Labels reach Typst as JSON strings, never as markup; typst_text only drops what a
    # PDF cannot carry (control characters, lone surrogates).
    data = map_strings(data, typst_text)
    files["model.json"] = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return files


def fill_project(project: dict[str, bytes | Chart]) -> dict[str, bytes]:
    """The project's charts drawn (:func:`~.charts.render_svg`: from the cache when drawn)."""
    from .charts import render_svg

    return {
        name: render_svg(item).encode("utf-8") if isinstance(item, Chart) else item
        for name, item in project.items()
    }


def compile_project(project: dict[str, bytes | Chart]) -> tuple[bytes, list[str]]:
    """:func:`compile_pdf` of :func:`typst_project`'s project, its charts drawn."""
    return compile_pdf(fill_project(project))


def _data(model: ReportModel) -> dict[str, Any]:
    s = model.settings
    subtitle = " · ".join(x for x in (s.program, s.period, s.date) if x)

    def section(sec: Any) -> dict[str, Any]:
        out = asdict(sec)
        out["charts"] = [{**asdict(c), "_chart": c} for c in sec.charts]
        for c in out["charts"]:
            c.pop("data", None)
        return out

    outcomes = []
    for o in model.outcomes:
        item = section(o)
        item["finding"] = asdict(o.finding) if o.finding else None
        outcomes.append(item)
    return {
        "title": s.title,
        "subtitle": subtitle,
        "author": s.author,
        "lang": s.language,
        "keywords": list(s.keywords),
        "description": f"Outcome evaluation report: {s.program or s.title}",
        "summary": section(model.summary),
        "outcomes": outcomes,
        "sections": [section(x) for x in model.sections],
        "privacy_note": model.privacy_note,
    }


def render_pdf(model: ReportModel) -> tuple[bytes, list[str]]:
    """Compile the report to PDF bytes; also return notes about the export standard used.

    Examples
    --------
    >>> from stigma_outcomes.report import build_report
    >>> pdf, notes = render_pdf(build_report({"meta": {}, "paired": []}))
    >>> pdf[:5]
    b'%PDF-'
    """
    return compile_pdf(typst_sources(model))


def compile_pdf(files: dict[str, bytes]) -> tuple[bytes, list[str]]:
    """Compile the in-memory Typst project of :func:`typst_sources` to PDF bytes and notes."""
    import typst

    kwargs: dict[str, Any] = {
        "format": "pdf",
        "ignore_system_fonts": True,
        "timestamp": int(FIXED_TIMESTAMP.timestamp()),
    }
    try:
        return typst.compile(files, pdf_standards=["ua-1"], **kwargs), ["PDF/UA-1"]
    except TypeError:
        note = "this Typst version has no pdf_standards option; the PDF is tagged but not PDF/UA"
    except typst.TypstError as err:
        note = f"PDF/UA-1 export was refused ({err}); fell back to a tagged PDF"
    try:
        return typst.compile(files, **kwargs), [note]
    except typst.TypstError as err:  # pragma: no cover - a template bug, not user input
        raise InputError(
            "the PDF report could not be typeset",
            where="report/templates/report.typ",
            fix=f"please report this; Typst said: {err}",
        ) from err
