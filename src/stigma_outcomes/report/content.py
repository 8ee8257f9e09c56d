"""The report's content types: settings, tables, charts, sections, the whole model.

Plain dataclasses, so renderers, tests and notebooks can read a report without rendering it.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
from typing import Any

from .findings import ALPHA, Finding
from .privacy import DEFAULT_THRESHOLD, AuditSummary

ALERT_PROBLEMS = ("alert",)
"""Ledger problems containing these words are evaluator-only and never reach a report."""

RCI_COUNTS = ("n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated")


@dataclass
class ReportSettings:
    """What the report is about and who wrote it (from the evaluation file).

    Examples
    --------
    >>> ReportSettings(title="Peer support outcomes", min_cell=11).min_cell
    11
    """

    title: str = "Programme outcome report"
    program: str | None = None
    period: str | None = None
    author: str = "Programme evaluation team"
    language: str = "en"
    keywords: list[str] = field(default_factory=lambda: ["outcomes", "evaluation"])
    min_cell: int = DEFAULT_THRESHOLD
    """Privacy limit: counts below it are hidden (the file's ``privacy.min_cell``)."""
    alpha: float = ALPHA
    date: str | None = None
    threshold: InitVar[int | None] = None
    """Old name of ``min_cell``, still accepted (deprecated)."""

    def __post_init__(self, threshold: int | None) -> None:
        if threshold is None:
            return
        if self.min_cell not in (DEFAULT_THRESHOLD, threshold):
            from ..errors import InputError

            raise InputError(
                "report settings: give 'min_cell' or its old name 'threshold', not both"
            )
        from ..errors import warn_old_name

        warn_old_name("threshold", "min_cell", stacklevel=3)
        self.min_cell = threshold


# The old name reads the new field (the InitVar above only takes it at construction).
ReportSettings.threshold = property(  # type: ignore[assignment]
    lambda self: self.min_cell, doc="Old name of ``min_cell`` (deprecated)."
)


@dataclass
class Table:
    """A data table: header row, body rows (first cell is the row header), notes."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    widths: list[float] | None = None
    """Relative column widths for paged output (None: the layout decides)."""


@dataclass
class Chart:
    """A chart to draw: kind, data (already privacy-filtered), caption and alt text."""

    id: str
    kind: str
    caption: str
    alt: str
    data: dict[str, Any]


@dataclass
class Section:
    """A titled block of paragraphs, bullet points, tables and charts."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class OutcomeSection(Section):
    """One instrument's section: its headline finding plus every scale's statistics."""

    finding: Finding | None = None
    more: list[str] = field(default_factory=list)


@dataclass
class ReportModel:
    """Everything a renderer needs; built by :func:`build_report`."""

    settings: ReportSettings
    summary: Section
    findings: list[Finding]
    outcomes: list[OutcomeSection]
    sections: list[Section]
    privacy_note: str
    package_version: str
    audit: AuditSummary | None = None
    """What the disclosure audit checked (threshold, counts, added cells, time)."""
    disclosure: Any = field(default=None, repr=False)
    """The report's :class:`~stigma_outcomes.report.privacy.Disclosure` (statuses, for
    checks and notebooks); renderers never read it."""
    evaluator_notes: list[str] = field(default_factory=list)
    """Evaluator-only QA (mis-keying warnings, internal ids, ledger actions): never rendered
    into a report; the pipeline writes them to ``evaluator_qa.txt`` beside the scores."""

    def __repr__(self) -> str:
        """One line: the title and what the report holds (never its sentences)."""
        tables = sum(len(s.tables) for s in [self.summary, *self.outcomes, *self.sections])
        return (
            f"ReportModel(title={self.settings.title!r}, findings={len(self.findings)}, "
            f"outcomes={len(self.outcomes)}, sections={len(self.sections)}, tables={tables})"
        )

    def evaluator_text(self, first: list[str] | tuple[str, ...] = ()) -> str:
        """The evaluator-only QA file's content (never part of a rendered report).

        ``first``: lines the caller puts before the report's own notes (the pipeline's
        alert counts, which the model never holds).
        """
        head = (
            "Evaluator-only quality checks for this report. Do not pass this file on: it "
            "names internal item ids, settings and the cells hidden for privacy."
        )
        return "\n".join([head, "", *first, *self.evaluator_notes]) + "\n"

    def all_text(self) -> str:
        """Every sentence and table cell, for checks (e.g. that no identifier leaked)."""
        parts: list[str] = [self.settings.title, self.privacy_note]
        for sec in [self.summary, *self.outcomes, *self.sections]:
            parts += [sec.title, *sec.paragraphs, *sec.bullets]
            if isinstance(sec, OutcomeSection):
                parts += sec.more
                if sec.finding:
                    parts.append(sec.finding.text)
            for t in sec.tables:
                parts += [t.caption, *t.columns, *t.notes]
                parts += [c for row in t.rows for c in row]
            parts += [c.caption + " " + c.alt for c in sec.charts]
        parts += [f.text for f in self.findings]
        return "\n".join(parts)


def record_key(kind: str, rec: dict[str, Any]) -> str:
    """A stable key for one results record (kind, instrument, scale, contrast, group).

    A record of one wave names it (``wave``); a record of two waves names both: ``from_wave``
    with ``to_wave``, or, for an attrition record, ``from_wave`` with its later ``wave``, so
    that each later wave's record has a key of its own.

    Examples
    --------
    >>> base = {"instrument": "gad7", "scale": "total", "group": None, "from_wave": "pre"}
    >>> record_key("attrition", {**base, "wave": "post"})
    'attrition|gad7|total|pre|post|*'
    >>> record_key("attrition", {**base, "wave": "week 6"})
    'attrition|gad7|total|pre|week 6|*'
    >>> record_key("reliability", {"instrument": "gad7", "scale": "total", "wave": "pre"})
    'reliability|gad7|total|pre||*'
    """
    group = rec.get("group")
    later = rec.get("wave", "") if "from_wave" in rec else ""
    return "|".join(
        [
            kind,
            str(rec.get("instrument")),
            str(rec.get("scale")),
            str(rec.get("from_wave", rec.get("wave", ""))),
            str(rec.get("to_wave", later)),
            "*" if group is None else f"g:{group}",
        ]
    )
