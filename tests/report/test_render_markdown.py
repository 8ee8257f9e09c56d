"""The Markdown report refers to its charts as SVG files written beside it."""

from __future__ import annotations

import re
from pathlib import Path

from stigma_outcomes.report import build_report, render_report
from stigma_outcomes.report.render import chart_file_name, write_markdown

from .conftest import paired_record


def _model(group: str = "Intervention") -> object:
    recs = [
        paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5),
        paired_record("ucla3", "total", group, 60, 6.9, 5.8, -1, 0.001, 15, 3),
        paired_record("ucla3", "total", "Comparison", 30, 6.7, 6.1, -1, 0.2, 5, 2),
    ]
    return build_report({"meta": {}, "paired": recs})


def test_every_chart_is_a_file_beside_the_report_and_referenced(tmp_path: Path) -> None:
    model = _model()
    paths = render_report(model, tmp_path / "out.pdf", ["md"])
    text = paths["md"].read_text()
    charts = [c for s in [model.summary, *model.outcomes, *model.sections] for c in s.charts]
    assert charts
    for chart in charts:
        name = chart_file_name("out", chart.id)
        assert (tmp_path / name).read_text().lstrip().startswith("<?xml")
        assert f"]({name})" in text
        assert f"*Figure: {chart.caption}" in text.replace("\\", "")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".svg") == sorted(
        chart_file_name("out", c.id) for c in charts
    )


def test_a_label_cannot_break_out_of_the_image_text(tmp_path: Path) -> None:
    model = _model("A](http://x.example)[b")
    text = write_markdown(model, tmp_path / "r.md").read_text()
    images = [line for line in text.splitlines() if line.startswith("![")]
    assert images
    for line in images:
        # the only unescaped "](" is the one that ends the image's text
        assert len(re.findall(r"(?<!\\)\]\(", line)) == 1
        assert line.endswith(".svg)")
