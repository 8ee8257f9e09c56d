"""Reports for funders and programme officers (SPEC §7): model, findings, privacy, renderers.

:func:`build_report` turns results, scores and ledger into a :class:`ReportModel`;
:func:`render_report` writes it as PDF, HTML and/or Markdown.
"""

from __future__ import annotations

from .model import ReportModel, ReportSettings, build_report
from .render import render_report

__all__ = ["ReportModel", "ReportSettings", "build_report", "render_report"]
