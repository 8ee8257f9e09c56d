"""The unlinked design's summary table (linked designs: tests/report/test_headline.py)."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report import build_report


def _unlinked(group: str | None, n_before: int, n_after: int) -> dict[str, Any]:
    return {
        "instrument": "ucla3",
        "scale": "total",
        "group": group,
        "design": "unlinked",
        "from_wave": "pre",
        "to_wave": "post",
        "n_before": n_before,
        "n_after": n_after,
        "mean_before": 6.5,
        "sd_before": 1.4,
        "mean_after": 6.1,
        "sd_after": 1.3,
        "mean_difference": -0.4,
        "mean_difference_ci_low": -0.85,
        "mean_difference_ci_high": 0.05,
        "hedges_g": -0.29,
        "p_t": 0.08,
        "p_t_holm": 0.08,
        "improvement_sign": -1,
    }


def test_unlinked_design_gets_its_own_glance_columns() -> None:
    import pandas as pd

    scores = pd.DataFrame(
        {
            "participant_id": [f"R{i}" for i in range(150)],
            "wave": ["pre"] * 80 + ["post"] * 70,
            "instrument": "ucla3",
            "scale": "total",
            "score": 6.0,
            "status": "ok",
        }
    )
    results = {"meta": {}, "paired": [], "unlinked": [_unlinked(None, 80, 70)]}
    table = build_report(results, scores).summary.tables[0]
    assert table.columns[1] == "People before / after" and "Reliably better" not in table.columns
    assert table.rows[0][1:] == [
        "80 / 70",
        "6.50",
        "6.10",
        "−0.40 [−0.85 to 0.05]",
        "No clear change",
    ]
    assert "two different sets of respondents" in table.notes[0]


def test_reports_without_findings_have_no_glance_table() -> None:
    assert build_report({"meta": {}, "paired": [], "unlinked": []}).summary.tables == []
