"""Hand-worked scoring of the WEMWBS (14 items).

Facts (fact sheet §11a): codes 1 none of the time … 5 all of the time, none reversed; sum
14–70; bands <= 40 probable depression, 41–44 possible depression, 45–59 average, >= 60 high.
Project rule: at least 12 of 14 answered, sum prorated to 14 items; bands read the
prorated sum rounded to a whole point.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_wemwbs() -> None:
    df = responses_frame(
        "wemwbs",
        {
            # 14 × 3 = 42 → possible depression
            "A": ["Some of the time"] * 14,
            # 14 × 4 = 56 → average
            "B": ["often"] * 14,
            # 14 × 1 = 14 → probable depression (the floor)
            "C": ["NONE OF THE TIME"] * 14,
            # two items skipped, the rest 5: 60 over 12 items → 60/12 × 14 = 70, high
            "D": [None, None, *[5] * 12],
            # three items skipped: 11 answered < 12 → no score
            "E": [None, None, None, *[3] * 11],
            # 12 × 3 + 2 × 2 = 40 → the top of 'probable depression'
            "F": [*[3] * 12, 2, 2],
            # item 14 skipped; 12 × 3 + 4 = 40 over 13 items → 40/13 × 14 = 43.08,
            # banded as 43 → possible depression
            "G": [*[3] * 12, 4, None],
        },
    )
    result = so.score(df, ["wemwbs"])
    scores = scale_scores(result, "total")
    assert (scores["A"], scores["B"], scores["C"], scores["D"]) == (42, 56, 14, 70)
    assert math.isnan(scores["E"])
    assert scores["F"] == 40
    assert scores["G"] == pytest.approx(40 / 13 * 14)
    bands = result.scores.set_index("participant_id")["band"]
    assert bands["A"] == "possible depression"
    assert bands["B"] == "average wellbeing"
    assert bands["C"] == "probable depression"
    assert bands["D"] == "high wellbeing"
    assert bands["F"] == "probable depression"
    assert bands["G"] == "possible depression"
