"""Outcome sections: chart captions promise only what the chart draws."""

from __future__ import annotations

from stigma_outcomes.report.outcome_sections import scatter_chart
from stigma_outcomes.report.outcomes import describe_outcome

from .conftest import paired_record, results_with_small_group, scores_for


def test_scatter_without_reliability_has_no_band_in_caption_or_alt() -> None:
    rec = paired_record("ucla3", "total", None, 63, 6.9, 5.9, -1, 0.001, 19, 4)
    rec["rci_threshold"] = None
    info = describe_outcome("ucla3", "total")
    scores = scores_for(results_with_small_group())
    chart = scatter_chart("ucla3", info, rec, scores, "pre", "post")
    assert chart.data["band"] is None
    assert "band marks" not in chart.caption and "no reliability coefficient" in chart.caption
    assert "grey band" not in chart.alt and "nan" not in chart.alt
    assert "Improvement is below the diagonal" in chart.alt


def test_scatter_with_reliability_describes_its_band() -> None:
    rec = paired_record("ucla3", "total", None, 63, 6.9, 5.9, -1, 0.001, 19, 4)
    info = describe_outcome("ucla3", "total")
    chart = scatter_chart("ucla3", info, rec, None, "pre", "post")
    assert "the band marks changes too small" in chart.caption
    assert "grey band (±2.07 points)" in chart.alt
    # Chart titles use the short outcome label, not the scale's full parenthesised name.
    assert chart.data["label"] == "Loneliness (UCLA-3)"
