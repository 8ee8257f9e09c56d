"""Hand-worked scoring of the Herth Hope Index.

Facts (support sheet §9b): 1 strongly disagree … 4 strongly agree; items 3 and 6 reversed
(5 − x); sum 12–48. Project rule: 10 of 12 answered, sum prorated to 12 items.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

REVERSED = {3, 6}


def test_hand_worked_hhi() -> None:
    df = responses_frame(
        "hhi",
        {
            # all 4: ten forward items 40; items 3 and 6 → 5 − 4 = 1 each → 42
            "A": [4] * 12,
            # strongly agree with forward items, strongly disagree with 3 and 6 → 48
            "B": ["Strongly disagree" if n in REVERSED else "strongly agree" for n in range(1, 13)],
            # all 'Strongly disagree' = 1: 10 × 1 + 2 × 4 = 18
            "C": ["STRONGLY DISAGREE "] * 12,
            # items 1 and 2 skipped, the rest 'Agree' = 3: forward 8 × 3 = 24; items 3, 6
            # → 2 × 2 = 4; 28 over 10 items → 28/10 × 12 = 33.6
            "D": [None, None, *["Agree"] * 10],
            # three items skipped → 9 answered < 10 → no score
            "E": [None, None, None, *[3] * 9],
        },
    )
    result = so.score(df, ["hhi"])
    scores = scale_scores(result, "total")
    assert (scores["A"], scores["B"], scores["C"]) == (42, 48, 18)
    assert scores["D"] == pytest.approx(33.6)
    assert math.isnan(scores["E"])
