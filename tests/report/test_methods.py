"""Methods and participation sections."""

from __future__ import annotations


def test_attrition_table_names_a_single_later_wave_in_its_caption() -> None:
    from stigma_outcomes.report import build_report

    from .conftest import results_with_small_group

    model = build_report(results_with_small_group())
    part = next(s for s in model.sections if s.id == "participation")
    table = next(t for t in part.tables if t.id == "attrition")
    assert table.caption.startswith("Starting scores of people who stayed to the post wave")
    assert table.columns[0] == "Scale" and table.rows[0][0] == "Loneliness"


def test_participation_bullets_read_as_sentences() -> None:
    from stigma_outcomes.report import build_report

    from .conftest import results_with_small_group, scores_for

    results = results_with_small_group()
    model = build_report(results, scores_for(results))
    part = next(s for s in model.sections if s.id == "participation")
    assert part.bullets[0] == (
        "Took part: answered the pre survey — 80 people. Not carried forward: 17 (did not "
        "answer the post survey)."
    )
    assert part.bullets[1].endswith("— 63 people. Nobody was lost at this step.")
