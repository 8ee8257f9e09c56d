"""Hand-worked scoring of the Brief Resilience Scale.

Facts (support sheet §2): 1 strongly disagree … 5 strongly agree; items 2, 4, 6 reversed
(6 − x); mean of six items, 1–5; bands 1.00–2.99 low, 3.00–4.30 normal, 4.31–5.00 high.
Project rule: 5 of 6 items answered.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_brs() -> None:
    df = responses_frame(
        "brs",
        {
            # all 5: items 1, 3, 5 → 5; items 2, 4, 6 → 6 − 5 = 1 → 18 / 6 = 3.0, normal
            "A": [5] * 6,
            # agree with the positive items, disagree with the negative ones → all 5 → high
            "B": [5, 1, 5, 1, 5, 1],
            # the opposite → all 1 → low
            "C": [1, 5, 1, 5, 1, 5],
            # item 6 skipped: 4, 6 − 2, 4, 6 − 2, 4 → 20 / 5 = 4.0, normal
            "D": [4, 2, 4, 2, 4, None],
            # two items skipped → no score
            "E": [None, None, 3, 3, 3, 3],
            # labels: 5, 6 − 1 = 5, 3, 6 − 3 = 3, 4, 6 − 2 = 4 → 24 / 6 = 4.0
            "F": [
                "Strongly agree ",
                "strongly disagree",
                "Neutral",
                "Neither agree nor disagree",
                "agree",
                "DISAGREE",
            ],
            # 5, 5, 5, 5, 5 and item 6 = 2 → 4: 29 / 6 = 4.83 → high
            "G": [5, 1, 5, 1, 5, 2],
        },
    )
    result = so.score(df, ["brs"])
    scores = scale_scores(result, "total")
    assert scores["A"] == pytest.approx(3.0)
    assert scores["B"] == pytest.approx(5.0)
    assert scores["C"] == pytest.approx(1.0)
    assert scores["D"] == pytest.approx(4.0)
    assert math.isnan(scores["E"])
    assert scores["F"] == pytest.approx(4.0)
    assert scores["G"] == pytest.approx(29 / 6)
    bands = result.scores.set_index("participant_id")["band"]
    assert bands["A"] == "normal resilience"
    assert bands["B"] == "high resilience"
    assert bands["C"] == "low resilience"
    assert bands["D"] == "normal resilience"
    assert bands["G"] == "high resilience"
