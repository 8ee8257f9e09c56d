"""The summary's at-a-glance table: the headline numbers, lined up, with the same privacy."""

from __future__ import annotations

from typing import Any

import pytest

from stigma_outcomes.report import build_report
from stigma_outcomes.report.glance import GLANCE_COLUMNS
from stigma_outcomes.report.render_html import render_html
from stigma_outcomes.report.render_markdown import render_markdown


@pytest.fixture(scope="module")
def model() -> Any:
    from .conftest import ledger_fixture, results_with_small_group, scores_for

    results = results_with_small_group()
    return build_report(results, scores_for(results), ledger_fixture())


def _rows(model: Any) -> dict[str, list[str]]:
    table = next(t for t in model.summary.tables if t.id == "at-a-glance")
    assert table.columns == GLANCE_COLUMNS
    return {r[0].split(",")[0]: r for r in table.rows}


def test_one_row_per_headline_with_the_results_numbers(model: Any) -> None:
    rows = _rows(model)
    assert list(rows) == ["Loneliness (UCLA-3)", "General belongingness (GBS)"]
    lonely = rows["Loneliness (UCLA-3)"]
    assert "3–9 scale (lower scores are better)" in lonely[0]
    assert lonely[1:5] == ["63", "6.87", "5.91", "−0.96 [−1.27 to −0.65]"]
    assert lonely[5] == "Improved"
    # 4 reliably worse is a small count. The headline (19 better) stays: the audit hides
    # "no reliable change" instead, which protects the 4 just as well.
    assert lonely[7] == "<5" and lonely[6] == "30% (19)"
    assert rows["General belongingness (GBS)"][5] == "No clear change"


def test_groups_never_appear_in_the_glance_table(model: Any) -> None:
    cells = " ".join(c for r in _rows(model).values() for c in r)
    assert "Comparison" not in cells and "Intervention" not in cells and "6.33" not in cells


def test_scale_without_reliability_says_not_assessed() -> None:
    from .conftest import paired_record

    rec = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    rec.update(n_reliably_improved=None, n_reliably_deteriorated=None, n_no_reliable_change=None)
    table = build_report({"meta": {}, "paired": [rec]}).summary.tables[0]
    assert table.rows[0][6:] == ["not assessed", "not assessed"]
    assert table.rows[0][1] == "90" and table.rows[0][5] == "Improved"


def test_glance_table_is_in_every_format_near_the_top(model: Any) -> None:
    page = render_html(model)
    assert page.index('id="at-a-glance"') < page.index('id="outcomes"')
    md = render_markdown(model)
    assert md.index("### What changed") < md.index("Each outcome at a glance")
    assert md.index("Each outcome at a glance") < md.index("- Loneliness (UCLA-3) improved")
    assert md.index("- Loneliness (UCLA-3) improved") < md.index("## Outcomes")


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
