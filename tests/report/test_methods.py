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


def _pooling_paragraph(groups: list[str | None]) -> str:
    from stigma_outcomes.report.content import ReportSettings
    from stigma_outcomes.report.methods import methods_section
    from stigma_outcomes.report.privacy import Disclosure

    pooled = [{"instrument": "ucla3", "scale": "total", "group": g} for g in groups]
    data = {"meta": {"settings": {"pool_by": "site"}}, "pooled": pooled}
    sec = methods_section(data, [], Disclosure(5), ReportSettings())
    (paragraph,) = [p for p in sec.paragraphs if p.startswith("Across sites.")]
    return paragraph


def test_pooling_within_each_arm_is_said_only_when_pooled_records_carry_a_group() -> None:
    sentence = "the sites were pooled within each group separately"
    assert "Each level of 'site' was analysed" in _pooling_paragraph([None])
    assert sentence not in _pooling_paragraph([None])
    assert sentence in _pooling_paragraph(["Intervention", "Comparison"])
