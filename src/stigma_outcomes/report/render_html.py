"""HTML: one self-contained, accessible file (inline SVG charts, no external assets).

Landmarks (header, nav, main, sections labelled by their headings), table header cells
with ``scope``, and every chart an ``<svg role="img">`` whose ``<title>``/``<desc>`` carry the
alt text. Text is HTML-escaped by jinja2's autoescaping.
"""

from __future__ import annotations

import re

from .content import Chart, ReportModel
from .escape import html_text

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)


def inline_svg(svg: str, chart: Chart) -> str:
    """Strip the XML prologue and label the SVG for screen readers with the chart's alt text.

    Examples
    --------
    >>> c = Chart("x", "flow", "cap", "Alt & text", {})
    >>> inline_svg('<?xml version="1.0"?>\\n<svg width="1"><g/></svg>', c)[:60]
    '<svg role="img" aria-labelledby="t-x d-x" width="1"><title i'
    """
    body = _PROLOGUE.sub("", svg, count=1)
    ident = html_text(chart.id)  # ids, captions and alt text may carry labels from data
    label = (
        f'<title id="t-{ident}">{html_text(chart.caption)}</title>'
        f'<desc id="d-{ident}">{html_text(chart.alt)}</desc>'
    )
    opening = f'<svg role="img" aria-labelledby="t-{ident} d-{ident}"'
    body = re.sub(r"<svg\b", lambda _m: opening, body, count=1)
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + label, body, count=1)


def render_html(model: ReportModel) -> str:
    """Render the model as one HTML document.

    Examples
    --------
    >>> from stigma_outcomes.report import build_report
    >>> page = render_html(build_report({"meta": {}, "paired": []}))
    >>> '<main>' in page and 'lang="en"' in page
    True
    """
    import jinja2

    from .charts import render_svg

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stigma_outcomes.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    svgs = {}
    for sec in [model.summary, *model.outcomes, *model.sections]:
        for chart in sec.charts:
            svgs[chart.id] = inline_svg(render_svg(chart), chart)
    s = model.settings
    subtitle = " · ".join(x for x in (s.program, s.period, s.date) if x)
    return env.get_template("report.html.j2").render(m=model, s=s, svgs=svgs, subtitle=subtitle)
