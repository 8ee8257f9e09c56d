"""Methods and participation sections."""

from __future__ import annotations


def test_attrition_table_names_a_single_later_wave_in_its_caption() -> None:
    from stigma_outcomes.report import build_report

    from .conftest import results_with_small_group

    model = build_report(results_with_small_group())
    part = next(s for s in model.sections if s.id == "participation")
    table = next(t for t in part.tables if t.id == "attrition")
    assert table.caption == "Starting scores of people with and without a score at the post survey"
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


def test_each_later_wave_of_the_attrition_table_shows_its_own_counts() -> None:
    # Two later waves from one baseline: their records once shared one key, so the End
    # row printed the Week 6 row's "<5" though 6 people had no End score.
    from stigma_outcomes.report import build_report

    from .conftest import three_wave_results, three_wave_scores

    scores = three_wave_scores()
    results = three_wave_results(scores)
    model = build_report(results, scores)
    part = next(s for s in model.sections if s.id == "participation")
    table = next(t for t in part.tables if t.id == "attrition")
    rows = {row[0]: row for row in table.rows}
    for rec in results["attrition"]:
        assert rec["group"] is None
        row = next(r for label, r in rows.items() if label.endswith(f"· {rec['wave']}"))
        if rec["wave"] == "End":
            assert row[1:3] == [str(rec["n_completers"]), str(rec["n_dropouts"])] == ["34", "6"]
        else:
            assert row[2] == "<5" and rec["n_dropouts"] == 3
            assert row[1] != str(rec["n_completers"])  # 40 − 37 would give the 3 away


def test_attrition_table_says_who_is_in_each_column() -> None:
    # "Left" counted people who answered the post survey but too few of a scale's questions:
    # the columns are named for what they count, a score at the later survey or none.
    from stigma_outcomes.report import build_report

    from .conftest import results_with_small_group

    model = build_report(results_with_small_group())
    part = next(s for s in model.sections if s.id == "participation")
    table = next(t for t in part.tables if t.id == "attrition")
    assert table.columns[1:5] == [
        "Scored (n)",
        "Not scored (n)",
        "Scored: mean at start",
        "Not scored: mean at start",
    ]
    assert "Left" not in " ".join(table.columns) and "stayed" not in table.notes[0]
    assert "too few of its questions" in table.notes[0]
