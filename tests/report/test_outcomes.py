"""Outcome facts come from the registry; lookups are shared within one build only."""

from __future__ import annotations

from types import SimpleNamespace

from stigma_outcomes.report import build_report, outcomes
from stigma_outcomes.report.outcomes import describe_outcome

from .conftest import paired_record


def test_a_stale_definition_is_not_carried_into_the_next_report() -> None:
    fake = SimpleNamespace(scales=[SimpleNamespace(id="total", name="Stale name")])
    outcomes._DEFINITIONS["ucla3"] = fake
    assert describe_outcome("ucla3", "total").name == "Stale name"
    rec = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    model = build_report({"meta": {}, "paired": [rec]})
    assert model.findings[0].label == "Loneliness (UCLA-3)"
    assert "Stale name" not in model.all_text()


def test_unknown_instrument_falls_back_to_the_results() -> None:
    info = describe_outcome("not_in_registry", "total", {"improvement_sign": -1})
    assert info.direction == "higher_is_worse" and outcomes._DEFINITIONS["not_in_registry"] is None
