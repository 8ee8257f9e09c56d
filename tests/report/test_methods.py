"""Methods section: the internal-consistency table shows only what was worked out."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report import build_report


def _rel(scale: str, wave: str, n: int, alpha: float | None) -> dict[str, Any]:
    return {
        "instrument": "gbs",
        "scale": scale,
        "wave": wave,
        "n": n,
        "alpha": alpha,
        "alpha_ci_low": None if alpha is None else alpha - 0.05,
        "alpha_ci_high": None if alpha is None else alpha + 0.03,
        "omega_total": None if alpha is None else alpha + 0.01,
        "miskeyed_items": [],
    }


def _methods(reliability: list[dict[str, Any]]) -> Any:
    from .conftest import paired_record

    rec = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    model = build_report({"meta": {}, "paired": [rec], "reliability": reliability})
    return next(s for s in model.sections if s.id == "methods")


def test_rows_without_any_coefficient_are_named_not_tabulated() -> None:
    methods = _methods([_rel("total", "pre", 58, 0.91), _rel("total", "post", 0, None)])
    table = next(t for t in methods.tables if t.id == "reliability")
    assert [r[0] for r in table.rows] == ["GBS · General belongingness · pre"]
    assert table.rows[0][2] == "0.91 [0.86 to 0.94]"
    said = " ".join(methods.paragraphs)
    assert "could not be worked out for 1 other scale and wave combination (" in said
    assert "GBS · General belongingness)" in said


def test_no_table_of_dashes_when_nothing_was_computed() -> None:
    methods = _methods([_rel("total", w, 0, None) for w in ("pre", "post")])
    assert not any(t.id == "reliability" for t in methods.tables)
    assert "could not be worked out for 2 scale and wave combinations" in " ".join(
        methods.paragraphs
    )


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
