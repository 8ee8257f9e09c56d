"""Hand-worked scoring of the CORE-10.

Facts (core10.yaml provenance): items coded 0 not at all … 4 most or all of the time; items 2
and 3 reverse-scored (4 − x); clinical score = sum 0–40, with one missing item the mean of
the nine answered × 10, no score with two missing; clinical cut-off >= 11; item 6 (risk)
raises an evaluator-only alert when above 'not at all'.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

TOP = "Most or all of the time"


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    df = responses_frame(
        "core10",
        {
            # Lowest distress: 0 on the eight problem items, the two positive items at the
            # top of the scale (4 → keyed 0) → 0.
            "low": ["Not at all", TOP, TOP, *["Not at all"] * 7],
            # Highest: 4 on the eight, 'not at all' on items 2 and 3 (0 → keyed 4) → 40.
            "high": [TOP, "Not at all", "not at all", *[TOP] * 7],
            # Mixed: 1, 3→1, 1→3, 2, 0, 0, 2, 1, 3, 2 → 1+1+3+2+0+0+2+1+3+2 = 15.
            "mixed": [1, 3, 1, "Sometimes", 0, 0, 2, "Only occasionally", "Often", 2],
            # One missing (item 2): 1 + (4→0) + 1 + 1 + 0 + 1 + 1 + 1 + 1 = 7 over nine
            # answered → 7 / 9 × 10 = 7.78; item 6 = 0 → no alert.
            "one_missing": [1, None, 4, 1, 1, 0, 1, 1, 1, 1],
            # Two missing → no score; item 6 answered 1 → alert.
            "two_missing": [None, None, 2, 2, 2, 1, 2, 2, 2, 2],
        },
    )
    return so.score(df, ["core10"])


def test_hand_worked_totals(result: so.ScoreResult) -> None:
    scores = scale_scores(result, "total")
    assert scores["low"] == 0
    assert scores["high"] == 40
    assert scores["mixed"] == 15
    assert scores["one_missing"] == pytest.approx(70 / 9)
    assert math.isnan(scores["two_missing"])
    status = result.scores.set_index("participant_id")["status"]
    assert status["two_missing"] == "insufficient_items"


def test_clinical_cutoff_and_alert(result: so.ScoreResult) -> None:
    total = so.load_instrument("core10").scale("total")
    assert (total.clinical_cutoff.operator, total.clinical_cutoff.value) == (">=", 11)
    flagged = set(result.alerts["participant_id"])
    # 'high' (item 6 = 4), 'mixed' (item 6 = 0: not flagged), 'two_missing' (item 6 = 1).
    assert flagged == {"high", "two_missing"}
    assert set(result.alerts["item"]) == {"6"}


def test_only_items_2_and_3_are_reversed() -> None:
    core10 = so.load_instrument("core10")
    assert [i.id for i in core10.items if i.reverse] == ["2", "3"]
