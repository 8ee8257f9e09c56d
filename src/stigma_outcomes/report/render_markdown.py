"""Markdown, for pasting findings and tables into other documents.

Charts are not embedded; each is replaced by its caption and alt text, which carry the
same numbers.
"""

from __future__ import annotations

from .content import ReportModel, Section, Table


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(t: Table) -> list[str]:
    lines = [f"**{t.caption}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in t.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in t.columns) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    lines.append("")
    lines += [f"*{n}*" for n in t.notes]
    return [*lines, ""]


def _section(sec: Section, level: str) -> list[str]:
    lines = [f"{level} {sec.title}", ""]
    for p in sec.paragraphs:
        lines += [p, ""]
    if sec.bullets:
        lines += [f"- {b}" for b in sec.bullets] + [""]
    for c in sec.charts:
        lines += [f"> *Figure: {c.caption}* {c.alt}", ""]
    for t in sec.tables:
        lines += _table(t)
    return lines


def render_markdown(model: ReportModel) -> str:
    """Render the model as GitHub-flavoured Markdown.

    Examples
    --------
    >>> from stigma_outcomes.report import build_report
    >>> render_markdown(build_report({"meta": {}, "paired": []})).splitlines()[0]
    '# Programme outcome report'
    """
    s = model.settings
    lines = [f"# {s.title}", ""]
    subtitle = " · ".join(x for x in (s.program, s.period, s.date) if x)
    if subtitle:
        lines += [subtitle, ""]
    if s.author:
        lines += [f"Prepared by {s.author}", ""]
    # Same order as the PDF and HTML: the flow and design, then "What changed" with the
    # at-a-glance table before the sentences that spell each row out.
    summary = model.summary
    lines += [f"## {summary.title}", ""]
    for p in summary.paragraphs:
        lines += [p, ""]
    lines += ["### What changed", ""]
    for t in summary.tables:
        lines += _table(t)
    if summary.bullets:
        lines += [f"- {b}" for b in summary.bullets] + [""]
    for c in summary.charts:
        lines += [f"> *Figure: {c.caption}* {c.alt}", ""]
    lines += [f"*{model.privacy_note}*", "", "## Outcomes", ""]
    for o in model.outcomes:
        lines += [f"### {o.title}", ""]
        lines += [p + "\n" for p in o.paragraphs]
        if o.finding:
            lines += [f"**{o.finding.sentence}**", ""] + [d + "\n" for d in o.finding.details]
        lines += [m + "\n" for m in o.more]
        rest = Section(o.id, o.title, [], [], o.tables, o.charts)
        lines += _section(rest, "####")[2:]
    for sec in model.sections:
        lines += _section(sec, "##")
    return "\n".join(lines).rstrip() + "\n"
