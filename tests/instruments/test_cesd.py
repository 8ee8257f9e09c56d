"""Hand-worked scoring of the CES-D.

Facts (cesd.yaml provenance): twenty items coded 0 rarely or none … 3 most or all of the
time; items 4, 8, 12 and 16 reverse-scored (3 − x); total = sum 0–60; all twenty required;
cut-off >= 16.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

POSITIVE = {4, 8, 12, 16}


def _row(symptom: object, positive: object) -> list[object]:
    return [positive if item in POSITIVE else symptom for item in range(1, 21)]


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    df = responses_frame(
        "cesd",
        {
            "low": _row("Rarely or none of the time", "Most or all of the time (5-7 days)"),
            "high": _row("Most or all of the time", "Rarely or none of the time"),
            # Sixteen symptom items at 1 → 16; the four positive items at 2 (→ keyed 1) → 4;
            # total 20, at or above the cut-off.
            "mixed": _row(1, "Occasionally or a moderate amount of time"),
            # Every symptom item 0, positive items 'some or a little' (1 → keyed 2): 8.
            "below_cutoff": _row(0, "Some or a little of the time (1-2 days)"),
            "one_missing": [None, *_row(0, 3)[1:]],
        },
    )
    return so.score(df, ["cesd"])


def test_hand_worked_totals(result: so.ScoreResult) -> None:
    scores = scale_scores(result, "total")
    assert scores["low"] == 0
    assert scores["high"] == 60
    assert scores["mixed"] == 20
    assert scores["below_cutoff"] == 8
    assert math.isnan(scores["one_missing"])


def test_cutoff_is_16_or_more() -> None:
    cutoff = so.load_instrument("cesd").scale("total").clinical_cutoff
    assert cutoff is not None and (cutoff.operator, cutoff.value) == (">=", 16)


def test_only_the_four_positive_items_are_reversed() -> None:
    cesd = so.load_instrument("cesd")
    assert {int(i.id) for i in cesd.items if i.reverse} == POSITIVE
