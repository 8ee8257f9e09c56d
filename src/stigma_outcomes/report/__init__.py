"""Reports for funders and programme officers (SPEC §7): model, findings, privacy, renderers.

:func:`build_report` turns results, scores and ledger into a :class:`ReportModel`;
:func:`render_report` writes it as PDF, HTML and/or Markdown. Both are imported when first
used, so a light submodule (such as :mod:`.chart_worker`) comes without pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from .model import ReportModel, ReportSettings, build_report
    from .render import render_report

__all__ = ["ReportModel", "ReportSettings", "build_report", "render_report"]


__getattr__, __dir__ = lazy_exports(
    __name__,
    {"ReportModel": ".model", "ReportSettings": ".model", "build_report": ".model",
     "render_report": ".render"},
)  # fmt: skip
