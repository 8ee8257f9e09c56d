"""Hand-worked scoring of the Rosenberg Self-Esteem Scale, Form A (Rosenberg Foundation order).

Facts (support sheet §3): 0 strongly disagree … 3 strongly agree; Form A reverses items
2, 5, 6, 8, 9 (3 − x); sum 0–30. Project rule (after qscorer): 8 of 10 answered, prorated.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

REVERSED_A = {2, 5, 6, 8, 9}


def _pattern(forward: object, reversed_: object) -> list[object]:
    return [reversed_ if n in REVERSED_A else forward for n in range(1, 11)]


def test_hand_worked_rses() -> None:
    df = responses_frame(
        "rses",
        {
            # all 'Strongly agree' = 3: five positive items 15; five reversed 3 − 3 = 0 → 15
            "A": ["Strongly agree"] * 10,
            # agree strongly with positive items, disagree strongly with negative ones → 30
            "B": _pattern("strongly agree ", "Strongly Disagree"),
            # the opposite → 0
            "C": _pattern(0, 3),
            # items 1 and 2 skipped, the rest 'Agree' = 2: positive 3, 4, 7, 10 → 4 × 2 = 8;
            # reversed 5, 6, 8, 9 → 4 × (3 − 2) = 4; 12 over 8 items → 12/8 × 10 = 15
            "D": [None, None, *["Agree"] * 8],
            # three items skipped: 7 answered < 8 → no score
            "E": [None, None, None, *[2] * 7],
            # abbreviations: SA on positive items (3 each = 15), 'd' on reversed items
            # (3 − 1 = 2 each = 10) → 25
            "F": _pattern("SA", "d"),
        },
    )
    result = so.score(df, ["rses"])
    scores = scale_scores(result, "total")
    assert (scores["A"], scores["B"], scores["C"]) == (15, 30, 0)
    assert scores["D"] == pytest.approx(15.0)
    assert math.isnan(scores["E"])
    assert scores["F"] == 25
    status = result.scores.set_index("participant_id")["status"]
    assert status["E"] == "insufficient_items"
