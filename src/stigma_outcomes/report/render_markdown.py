"""Markdown, for pasting findings and tables into other documents.

Each chart is an image reference to its SVG file beside the report (written by
:func:`~stigma_outcomes.report.render.write_markdown`), with its caption and, below it, its
alt text, which carries the same numbers. Without image files (``images`` not given) the
caption and alt text stand alone.
"""

from __future__ import annotations

from .content import Chart, ReportModel, Section, Table
from .escape import markdown_text as _md


def _cell(text: str) -> str:
    # Labels from data are data: no Markdown or HTML in a cell is interpreted.
    return _md(text, block=False)


def _table(t: Table) -> list[str]:
    lines = [f"**{_md(t.caption, block=False)}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in t.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in t.columns) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    lines.append("")
    lines += [f"*{_md(n, block=False)}*" for n in t.notes]
    return [*lines, ""]


def _chart(c: Chart, images: dict[str, str] | None) -> list[str]:
    caption = _md(c.caption, block=False)
    if images and c.id in images:
        # The file name is ours (plain characters only); the alt text is escaped like any
        # label ("]" included), and an opening bracket is escaped too, so a label cannot
        # end or nest the image's text.
        alt = _md(c.alt, block=False).replace("[", "\\[")
        return [f"![{alt}]({images[c.id]})", "", f"*Figure: {caption}*", ""]
    return [f"> *Figure: {caption}* {_md(c.alt, block=False)}", ""]


def _section(sec: Section, level: str, images: dict[str, str] | None = None) -> list[str]:
    lines = [f"{level} {_md(sec.title, block=False)}", ""]
    for p in sec.paragraphs:
        lines += [_md(p), ""]
    if sec.bullets:
        lines += [f"- {_md(b)}" for b in sec.bullets] + [""]
    for c in sec.charts:
        lines += _chart(c, images)
    for t in sec.tables:
        lines += _table(t)
    return lines


def render_markdown(model: ReportModel, images: dict[str, str] | None = None) -> str:
    """Render the model as GitHub-flavoured Markdown.

    Examples
    --------
    >>> from stigma_outcomes.report import build_report
    >>> render_markdown(build_report({"meta": {}, "paired": []})).splitlines()[0]
    '# Programme outcome report'
    """
    s = model.settings
    lines = [f"# {_md(s.title, block=False)}", ""]
    subtitle = " · ".join(x for x in (s.program, s.period, s.date) if x)
    if subtitle:
        lines += [_md(subtitle), ""]
    if s.author:
        lines += [f"Prepared by {_md(s.author, block=False)}", ""]
    # Same order as the PDF and HTML: the flow and design, then "What changed" with the
    # at-a-glance table before the sentences that spell each row out.
    summary = model.summary
    lines += [f"## {_md(summary.title, block=False)}", ""]
    for p in summary.paragraphs:
        lines += [_md(p), ""]
    lines += ["### What changed", ""]
    for t in summary.tables:
        lines += _table(t)
    if summary.bullets:
        lines += [f"- {_md(b)}" for b in summary.bullets] + [""]
    for c in summary.charts:
        lines += _chart(c, images)
    lines += [f"*{_md(model.privacy_note, block=False)}*", "", "## Outcomes", ""]
    for o in model.outcomes:
        lines += [f"### {_md(o.title, block=False)}", ""]
        lines += [_md(p) + "\n" for p in o.paragraphs]
        if o.finding:
            lines += [f"**{_md(o.finding.sentence, block=False)}**", ""]
            lines += [_md(d) + "\n" for d in o.finding.details]
        lines += [_md(m) + "\n" for m in o.more]
        rest = Section(o.id, o.title, [], [], o.tables, o.charts)
        lines += _section(rest, "####", images)[2:]
    for sec in model.sections:
        lines += _section(sec, "##", images)
    return "\n".join(lines).rstrip() + "\n"
