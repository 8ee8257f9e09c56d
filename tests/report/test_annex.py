"""The technical annex: scoring rules, reliable-change inputs once per scale, internal
consistency per wave (only what was worked out), the mixed models' F tests."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report import build_report

from .conftest import paired_record


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


def _annex(results: dict[str, Any]) -> Any:
    model = build_report(results)
    ids = [s.id for s in model.sections]
    # The annex comes after the body: after the methods and the limitations.
    assert ids.index("annex") == len(ids) - 1 and ids.index("methods") < ids.index("annex")
    return model.sections[-1]


def _with_reliability(reliability: list[dict[str, Any]]) -> Any:
    rec = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    return _annex({"meta": {}, "paired": [rec], "reliability": reliability})


def test_rows_without_any_coefficient_are_named_not_tabulated() -> None:
    annex = _with_reliability([_rel("total", "pre", 58, 0.91), _rel("total", "post", 0, None)])
    table = next(t for t in annex.tables if t.id == "reliability")
    assert [r[0] for r in table.rows] == ["GBS · General belongingness · pre"]
    assert table.rows[0][2] == "0.91 [0.86 to 0.94]"
    said = " ".join(annex.paragraphs)
    assert "could not be worked out for 1 other scale and wave combination (" in said
    assert "GBS · General belongingness)" in said


def test_no_table_of_dashes_when_nothing_was_computed() -> None:
    annex = _with_reliability([_rel("total", w, 0, None) for w in ("pre", "post")])
    assert not any(t.id == "reliability" for t in annex.tables)
    assert "could not be worked out for 2 scale and wave combinations" in " ".join(annex.paragraphs)


def test_reliable_change_inputs_appear_once_per_scale_with_their_contrasts() -> None:
    post = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    later = {**post, "to_wave": "follow-up", "n_pairs": 40}
    other = {**post, "scale": "acceptance_inclusion", "rci_reliability": 0.8}
    group = {**post, "group": "A"}
    annex = _annex({"meta": {}, "paired": [post, later, other, group]})
    table = next(t for t in annex.tables if t.id == "rci-inputs")
    assert [r[:3] for r in table.rows] == [
        ["GBS · General belongingness", "pre→post, pre→follow-up", "0.72"],
        ["GBS · Acceptance/Inclusion", "pre→post", "0.80"],
    ]


def test_different_inputs_for_a_later_contrast_keep_their_own_row() -> None:
    post = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    later = {**post, "to_wave": "follow-up", "rci_sd": 1.5, "rci_threshold": 2.2}
    annex = _annex({"meta": {}, "paired": [post, later]})
    table = next(t for t in annex.tables if t.id == "rci-inputs")
    assert [r[1] for r in table.rows] == ["pre→post", "pre→follow-up"]


def test_a_single_contrast_is_named_once_in_the_caption() -> None:
    post = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    annex = _annex({"meta": {}, "paired": [post]})
    table = next(t for t in annex.tables if t.id == "rci-inputs")
    assert table.caption.endswith("(pre→post)") and "Waves" not in table.columns
    assert table.rows[0][:2] == ["GBS · General belongingness", "0.72"]


def test_mixed_model_f_tests_live_in_the_annex_not_the_outcome_text() -> None:
    rec = paired_record("gbs", "total", None, 60, 4.1, 4.5, 1, 0.01, 10, 2)
    mixed = {
        "instrument": "gbs",
        "scale": "total",
        "group_column": None,
        "waves": ["pre", "post", "fu"],
        "wave_means": [
            {"wave": w, "group": None, "n": 50, "mean": 4.0, "ci_low": 3.8, "ci_high": 4.2}
            for w in ("pre", "post", "fu")
        ],
        "anova": [{"term": "wave", "num_df": 2, "den_df": 98.44, "f": 5.31, "p": 0.0056}],
    }
    model = build_report({"meta": {}, "paired": [rec], "mixed_models": [mixed]})
    table = next(t for t in model.sections[-1].tables if t.id == "mixed-tests")
    assert table.rows == [
        ["GBS · General belongingness", "Did the average change at all?", "5.31 (2, 98.4)", "0.006"]
    ]
    body = " ".join(model.outcomes[0].more)
    assert "p = 0.006" in body and "F(" not in body and "F =" not in body
