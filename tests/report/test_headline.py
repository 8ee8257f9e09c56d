"""The summary's headline table: programme group against comparison group, or everyone."""

from __future__ import annotations

from typing import Any

import pytest

from stigma_outcomes.report import build_report
from stigma_outcomes.report.render_html import render_html
from stigma_outcomes.report.render_markdown import render_markdown

from .conftest import paired_record


@pytest.fixture(scope="module")
def model() -> Any:
    from .conftest import ledger_fixture, results_with_small_group, scores_for

    results = results_with_small_group()
    return build_report(results, scores_for(results), ledger_fixture())


def _rows(model: Any) -> dict[str, list[str]]:
    table = next(t for t in model.summary.tables if t.id == "headline")
    return {r[0].split(",")[0]: r for r in table.rows}


def test_one_row_per_headline_with_the_results_numbers(model: Any) -> None:
    rows = _rows(model)
    assert list(rows) == ["Loneliness (UCLA-3)", "General belongingness (GBS)"]
    lonely = rows["Loneliness (UCLA-3)"]
    assert "3–9 scale (lower scores are better)" in lonely[0]
    assert lonely[1:3] == ["6.87 → 5.91, 63 people", "−0.96 [−1.27 to −0.65]"]
    # The effect size is named as in the statistics tables: d_z (change / 1.2 here).
    assert lonely[3] == "Better (large, d_z = −0.80)"
    # 4 reliably worse is a small count; the audit keeps the headline 30% (19 of 63). Among
    # percentages it says people: a bare "<5" there reads as "<5%".
    assert lonely[4:6] == ["30%", "<5 people"]
    assert rows["General belongingness (GBS)"][3] == "No clear change"


def test_groups_never_appear_without_a_comparison(model: Any) -> None:
    cells = " ".join(c for r in _rows(model).values() for c in r)
    assert "Comparison" not in cells and "Intervention" not in cells and "6.33" not in cells


def test_scale_without_reliability_says_not_assessed() -> None:
    rec = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    rec.update(n_reliably_improved=None, n_reliably_deteriorated=None, n_no_reliable_change=None)
    table = build_report({"meta": {}, "paired": [rec]}).summary.tables[0]
    assert table.rows[0][4:] == ["not assessed", "not assessed"]
    assert table.rows[0][1] == "6.80 → 5.90, 90 people" and table.rows[0][3].startswith("Better")


def test_headline_table_is_in_every_format_near_the_top(model: Any) -> None:
    page = render_html(model)
    assert page.index('id="headline"') < page.index('id="outcomes"')
    md = render_markdown(model)
    caption = "What changed from the pre to the post survey"
    assert md.index("### What changed") < md.index(caption)
    assert md.index(caption) < md.index("- Loneliness (UCLA-3): improved")
    assert md.index("- Loneliness (UCLA-3): improved") < md.index("## Outcomes")


def _ancova(group: str, ref: str, diff: float, p: float, **extra: Any) -> dict[str, Any]:
    return {
        "instrument": "ucla3",
        "scale": "total",
        "from_wave": "pre",
        "to_wave": "post",
        "group": group,
        "reference_group": ref,
        "adjusted_difference": diff,
        "adjusted_difference_ci_low": diff - 0.25,
        "adjusted_difference_ci_high": diff + 0.25,
        "p": p,
        **extra,
    }


def _controlled(p_whole: float, **extra: Any) -> dict[str, Any]:
    # The pooled change is "no clear change"; the programme group clearly beat comparison.
    return {
        "meta": {"settings": {"group_col": "arm"}},
        "paired": [
            paired_record("ucla3", "total", None, 155, 5.74, 5.60, -1, p_whole, 11, 6),
            paired_record("ucla3", "total", "Programme", 90, 5.68, 5.39, -1, 0.02, 10, 5),
            paired_record("ucla3", "total", "Waitlist", 65, 5.82, 5.89, -1, 0.9, 0, 0),
        ],
        "ancova": [_ancova("Programme", "Waitlist", -0.45, 0.0005, **extra)],
    }


def test_controlled_design_leads_with_programme_against_comparison() -> None:
    model = build_report(_controlled(0.73))
    table = model.summary.tables[0]
    assert table.columns[1].startswith("Programme group") and table.columns[2].startswith(
        "Waitlist group"
    )
    row = table.rows[0]
    assert row[1] == "5.68 → 5.39 (−0.29), 90 people"
    assert row[2] == "5.82 → 5.89 (+0.07), 65 people"
    assert row[3] == "−0.45 [−0.70 to −0.20]" and row[4] == "Programme group better off"
    # The pooled-arm change (5.74 → 5.60) is never on page 1, let alone called improved.
    text = " ".join([*model.summary.paragraphs, *model.summary.bullets])
    assert "5.74" not in text and "5.74" not in " ".join(" ".join(r) for r in table.rows)
    assert "improved" not in text.lower()
    assert model.summary.paragraphs[0].startswith(
        "Main message: By the end, the Programme group was clearly better off than the "
        "Waitlist group on Loneliness (UCLA-3)"
    )


def test_too_few_to_interpret_is_said_plainly() -> None:
    model = build_report(_controlled(0.73, too_few_to_interpret=True))
    assert model.summary.tables[0].rows[0][4] == "Too few people to say"
    assert "too few people in one of the groups" in model.summary.bullets[0]


def test_a_change_nobody_answered_at_both_waves_is_never_no_clear_change() -> None:
    # GAD-7 not asked at the post survey (scoring's 'not_administered'): its record rests on
    # nobody, and before this it read "No clear change ... among 0 participants".
    empty = paired_record("gad7", "total", None, 0, 0.0, 0.0, -1, 0.5, 0, 0)
    for name in ("pre_mean", "post_mean", "mean_change", "mean_change_ci_low",
                 "mean_change_ci_high", "p_t", "p_t_holm", "t", "df"):  # fmt: skip
        empty[name] = None
    lonely = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    model = build_report({"meta": {}, "paired": [lonely, empty]})
    rows = _rows(model)
    assert rows["Anxiety severity (GAD-7)"][3] == "Too few people to say"
    bullets = " ".join(model.summary.bullets)
    assert "Anxiety severity (GAD-7): too few people answered both surveys" in bullets
    text = render_markdown(model)
    said = "Anxiety severity (GAD-7): not assessed, because no one answered it at both surveys."
    assert said in text
    assert "among 0 participants" not in text
    assert "GAD-7) showed no clear change" not in text


def test_a_questionnaire_not_asked_at_the_later_wave_is_said_so() -> None:
    """The scores hold no GAD-7 row at 'post' (scoring's not_administered): page 1, the
    bottom line and the outcome section say it was not asked, not that too few answered."""
    import pandas as pd

    empty = paired_record("gad7", "total", None, 0, 0.0, 0.0, -1, 0.5, 0, 0)
    for name in ("pre_mean", "post_mean", "mean_change", "mean_change_ci_low",
                 "mean_change_ci_high", "p_t", "p_t_holm", "t", "df"):  # fmt: skip
        empty[name] = None
    lonely = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    people = [f"p{i}" for i in range(90)]
    scores = pd.concat(
        [
            pd.DataFrame(
                {
                    "participant_id": people,
                    "wave": wave,
                    "instrument": inst,
                    "scale": "total",
                    "score": 5.0,
                    "status": "ok",
                }
            )
            for inst, wave in (("ucla3", "pre"), ("ucla3", "post"), ("gad7", "pre"))
        ],
        ignore_index=True,
    )
    results = {"meta": {}, "paired": [lonely, empty]}
    model = build_report(results, scores)
    assert _rows(model)["Anxiety severity (GAD-7)"][3] == "Not asked at both surveys"
    bullets = " ".join(model.summary.bullets)
    assert "Anxiety severity (GAD-7): not asked at the post survey, so no change is known." in (
        bullets
    )
    text = render_markdown(model)
    assert "Anxiety severity (GAD-7): not assessed, because it was not asked at the post" in text
    # the technical change table says it too, not a row of dashes
    rows = [line for line in text.splitlines() if line.startswith("| Anxiety severity | 0 |")]
    assert rows == ["| Anxiety severity | 0 | not asked at the post survey |" + " – |" * 7]
    assert "not_asked_at" not in results["paired"][1]  # the caller's results are left alone


def _three_sites(sizes: dict[str, int], reference: str) -> dict[str, Any]:
    """Three sites compared by the analysis of covariance, each against ``reference``.

    The changes are made up; the whole sample's count is the sites' sum.
    """
    total = sum(sizes.values())
    paired = [paired_record("ucla3", "total", None, total, 6.9, 5.9, -1, 0.0004, 30, 2)]
    paired += [
        paired_record("ucla3", "total", site, n, 6.9, 5.8, -1, 0.01, max(n // 3, 1), 0)
        for site, n in sizes.items()
    ]
    ancova = [_ancova(site, reference, -0.3, 0.04) for site in sorted(sizes) if site != reference]
    return {"meta": {"settings": {"group_by": "site"}}, "paired": paired, "ancova": ancova}


def test_a_tiny_reference_group_leaves_page_1_to_everyone_and_names_it_nowhere() -> None:
    """A site of 3 (the default reference, first in sorted order) blanked page 1 ("Too few
    people to say") although the other sites had 15 and 16 pairs, and the headline named
    it ("the North group against the Eastside group", "Eastside group: not shown (<5
    people)") while the Reach sentence said the small group was not named."""
    model = build_report(_three_sites({"Eastside": 3, "North": 15, "South": 16}, "Eastside"))
    s = model.summary
    table = s.tables[0]
    assert table.caption == (
        "What changed from the pre to the post survey: everyone, all groups together"
    )
    assert table.rows[0][1] == "6.90 → 5.90, 34 people"
    assert table.rows[0][3].startswith("Better")
    assert s.paragraphs[0] == "Main message: Loneliness (UCLA-3) improved."
    assert "Too few people" not in " ".join([*s.paragraphs, *s.bullets])
    assert "The groups are not compared on this page" in " ".join(s.paragraphs)
    # ...not "A comparison group was analysed, to show what happened without the programme"
    assert "without the programme" not in " ".join(s.paragraphs)
    assert s.bullets[0].startswith("Loneliness (UCLA-3): improved; the average fell from 6.90")
    for text in (model.all_text(), render_markdown(model), render_html(model)):
        assert "Eastside" not in text


def test_the_headline_pair_is_the_first_that_page_1_can_name_and_show() -> None:
    """Reference Birch is large, Arbor is small: page 1 compares Cedar with Birch, never
    Arbor with Birch (the first pair of the records), and Arbor is named nowhere."""
    sizes = {"Arbor": 3, "Birch": 40, "Cedar": 30, "Dale": 25}
    model = build_report(_three_sites(sizes, "Birch"))
    table = model.summary.tables[0]
    assert table.caption.endswith("the Cedar group against the Birch group")
    assert table.columns[1:3] == [
        "Cedar group: before → after (change)",
        "Birch group: before → after (change)",
    ]
    assert table.rows[0][3:5] == ["−0.30 [−0.55 to −0.05]", "Cedar group better off"]
    assert model.summary.paragraphs[0].startswith(
        "Main message: By the end, the Cedar group was clearly better off than the Birch group"
    )
    for text in (model.all_text(), render_markdown(model), render_html(model)):
        assert "Arbor" not in text


def test_a_group_hidden_beside_a_small_one_leaves_page_1_to_everyone() -> None:
    """Arbor is small, so the audit hides Cedar (else Arbor = everyone − Birch − Cedar): no
    pair of groups can be shown, and page 1 gives everyone's change rather than "Not shown
    (privacy)" and "Too few people to say"."""
    model = build_report(_three_sites({"Arbor": 3, "Birch": 40, "Cedar": 30}, "Birch"))
    s = model.summary
    assert s.tables[0].caption.endswith(": everyone, all groups together")
    assert s.tables[0].rows[0][1] == "6.90 → 5.90, 73 people"
    assert s.paragraphs[0] == "Main message: Loneliness (UCLA-3) improved."
    assert "‡" not in " ".join(s.tables[0].rows[0])


def test_two_named_groups_still_lead_page_1() -> None:
    """With every group large enough, the first pair of the records leads, as before."""
    model = build_report(_three_sites({"East": 20, "North": 15, "South": 16}, "East"))
    assert model.summary.tables[0].caption.endswith("the North group against the East group")
    assert "The groups are not compared" not in " ".join(model.summary.paragraphs)
