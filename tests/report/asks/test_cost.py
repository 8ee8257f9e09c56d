from __future__ import annotations

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report import build_report
from stigma_outcomes.report.asks.cost import money, register_cost
from stigma_outcomes.report.privacy import Disclosure

from .conftest import make_results

OPTIONS = {"budget": 10000, "currency": "£", "outcome": "ucla3.total", "group": None}


def test_money() -> None:
    assert money(1234.5, "£") == "£1,235" and money(80, "USD") == "80 USD"


def test_cost_per_participant_and_per_improved(scores, results) -> None:
    model = build_report(results, scores, asks={"cost": OPTIONS})
    (sec,) = [s for s in model.sections if s.id == "cost"]
    rows = sec.tables[0].rows
    assert rows[0][2] == "£10,000"
    assert rows[1][1:] == ["40", "£250"]  # 10,000 / 40
    assert rows[2][1:] == ["12", "£833"]  # 10,000 / 12 reliably improved


def test_cost_is_not_shown_when_its_count_is_small(scores) -> None:
    model = build_report(make_results(improved=3), scores, asks={"cost": OPTIONS})
    (sec,) = [s for s in model.sections if s.id == "cost"]
    # budget / cost would give the small count back
    assert sec.tables[0].rows[2][1:] == ["<5", "not shown"]


def test_unknown_group_is_one_clear_error(scores, results) -> None:
    with pytest.raises(InputError, match="not one of the groups compared"):
        register_cost(
            {**OPTIONS, "group": "Arm X"}, results, scores, Disclosure(5), ("pre", "post")
        )


def test_a_count_printed_twice_is_one_number_to_the_audit(scores, results) -> None:
    # the people who started are the flow's "took part": hiding one and printing the other
    # would defeat the suppression, so the audit is told they are equal
    model = build_report(results, scores, asks={"cost": OPTIONS})
    assert ("ask|cost|started", ("flow|pre",)) in model.disclosure.relations
