"""The shipped demo and REDCap sample reports as pages and as reviewed text.

* Snapshots: the body of each report (everything after the summary page) as Markdown is
  compared with the committed text under ``tests/report/snapshots/``, so every change of
  wording or numbers is a reviewed diff. After an intended change, regenerate them with
  ``STIGMA_OUTCOMES_UPDATE_SNAPSHOTS=1 python -m pytest tests/report/test_layout.py`` and
  commit the diff.
* Pages: the PDF's pages are rendered to PNG by Typst itself (no poppler or ghostscript
  needed) and measured: the demo's body fits in 10 pages, and no page is more than half
  empty unless it is the last page of a section (the next page starts a new one) or the
  last page.
* Charts: every text in every chart is at least 8 pt at the size it is printed.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from stigma_outcomes.evaluation import load_evaluation
from stigma_outcomes.pipeline import run_evaluation, sample_data_dir
from stigma_outcomes.report import build_report

RUNS = {"demo": "evaluation.yaml", "redcap": "evaluation_redcap.yaml"}
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("STIGMA_OUTCOMES_UPDATE_SNAPSHOTS") == "1"
MAX_BODY_PAGES = {"demo": 10}
PPI = 30


@pytest.fixture(scope="module", params=sorted(RUNS))
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    for f in sample_data_dir().iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    run = run_evaluation(folder / RUNS[name], folder / "out")
    ev, _base = load_evaluation(folder / RUNS[name])
    import json

    settings = ev.report_settings()
    out = run.out_dir
    model = build_report(
        json.loads((out / "results.json").read_text()),
        pd.read_csv(out / "scores.csv"),
        pd.read_csv(out / "ledger.csv"),
        settings,
    )
    return {"name": name, "model": model, "pdf": run.files.get("report_pdf"), "out": out}


def _body(markdown: str) -> str:
    """The report after its summary page, the package version masked."""
    body = markdown[markdown.index("\n## Outcomes\n") + 1 :]
    return re.sub(r"stigma_outcomes \d+\.\d+\.\d+\S*", "stigma_outcomes <version>", body)


def test_body_text_matches_its_reviewed_snapshot(report: dict) -> None:
    # The run's own Markdown, image references to its chart files included.
    text = _body((report["out"] / "report.md").read_text(encoding="utf-8"))
    path = SNAPSHOTS / f"{report['name']}_body.md"
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"no snapshot yet: wrote {path}; review and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{path.name} (committed)",
                f"{path.name} (now)",
                n=1,
            )
        )
        pytest.fail(
            "the report body changed; if intended, regenerate with "
            "STIGMA_OUTCOMES_UPDATE_SNAPSHOTS=1 and commit the diff:\n" + diff[:6000]
        )


def _pages_png(model: Any) -> list[bytes]:
    import typst

    from stigma_outcomes.report.render_typst import typst_sources

    pages = typst.compile(typst_sources(model), format="png", ppi=PPI, ignore_system_fonts=True)
    return [pages] if isinstance(pages, bytes) else list(pages)


def _ink_share(png: bytes) -> float:
    """How far down the page's text area the last printed line reaches (0 to 1)."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    height = grey.shape[0]
    # A4 297 mm: top margin 20 mm, bottom margin 22 mm (the footer sits in it).
    top, bottom = round(height * 20 / 297), round(height * (297 - 22) / 297)
    rows = np.flatnonzero((grey[top:bottom] < 200).any(axis=1))
    return 0.0 if rows.size == 0 else float(rows[-1] + 1) / (bottom - top)


def _first_lines(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [
        (page.extract_text() or "").strip().splitlines()[0] if page.extract_text() else ""
        for page in PdfReader(pdf).pages
    ]


def test_pages_are_full_except_the_last_of_a_section(report: dict) -> None:
    model = report["model"]
    pngs = _pages_png(model)
    from pypdf import PdfReader

    assert report["pdf"] is not None
    assert len(PdfReader(report["pdf"]).pages) == len(pngs)
    starts = _first_lines(report["pdf"])
    titles = {"Outcomes", *(s.title for s in model.sections)}
    for number, png in enumerate(pngs, start=1):
        share = _ink_share(png)
        last_of_section = number == len(pngs) or starts[number] in titles
        assert share > 0.5 or last_of_section, (
            f"page {number} of {len(pngs)} is more than half empty ({share:.0%} used) and "
            "the next page does not start a new section"
        )
    # No table caption (nor its notes) is left at the foot of a page without its rows.
    from pypdf import PdfReader as _Reader

    for number, page in enumerate(_Reader(report["pdf"]).pages, start=1):
        lines = [
            line
            for line in (page.extract_text() or "").splitlines()
            if line.strip() and not re.search(r"Page \d+ of \d+", line)
        ]
        tail = lines[-2:]
        assert not any(re.match(r"Table\s\d+:", line) for line in tail), (number, tail)
    limit = MAX_BODY_PAGES.get(report["name"])
    if limit is not None:
        annex = next(i for i, line in enumerate(starts, start=1) if line == "Technical annex")
        assert annex - 1 <= limit, f"the body runs to {annex - 1} pages"


def test_chart_text_is_at_least_8_points_when_printed(report: dict) -> None:
    from matplotlib.text import Text

    from stigma_outcomes.report.chart_style import MIN_FONT_PT, PRINT_SHARE, TEXT_WIDTH_IN
    from stigma_outcomes.report.charts import _pyplot, draw_figure

    plt = _pyplot()
    charts = [c for s in [report["model"].summary, *report["model"].outcomes,
                          *report["model"].sections] for c in s.charts]  # fmt: skip
    assert {c.kind for c in charts} >= {"means", "rci", "flow"}
    for chart in charts:
        fig = draw_figure(plt, chart)
        scale = PRINT_SHARE[chart.kind] * TEXT_WIDTH_IN / fig.get_figwidth()
        sizes = [
            t.get_fontsize() * scale
            for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip()
        ]
        plt.close(fig)
        assert sizes and min(sizes) >= MIN_FONT_PT, (chart.id, min(sizes))


def test_means_charts_span_the_whole_scale(report: dict) -> None:
    from stigma_outcomes.report.charts import _pyplot, draw_figure

    plt = _pyplot()
    for sec in report["model"].outcomes:
        chart = next(c for c in sec.charts if c.kind == "means")
        low, high = chart.data["range"]
        fig = draw_figure(plt, chart)
        bottom, top = fig.axes[0].get_ylim()
        plt.close(fig)
        assert bottom <= low and top >= high, (chart.id, bottom, top)
        assert "the vertical axis spans the whole" in chart.caption
