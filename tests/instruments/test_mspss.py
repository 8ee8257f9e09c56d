"""Hand-worked scoring of the MSPSS.

Facts (support sheet §1): 7-point, 1 very strongly disagree … 7 very strongly agree, none
reversed; Significant Other = 1, 2, 5, 10; Family = 3, 4, 8, 11; Friends = 6, 7, 9, 12; each
score is the item mean (1–7). Project rule: 3 of 4 items per subscale, 10 of 12 in the total.
Bands on the total (single source): 1–2.9 low, 3–5 moderate, 5.1–7 high, read at one decimal.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_mspss() -> None:
    df = responses_frame(
        "mspss",
        {
            # every item 'Very strongly agree' = 7 → all scores 7, high support
            "A": ["Very strongly agree"] * 12,
            # significant-other items 7, family items 1, friends items 4:
            # SO 7, family 1, friends 4, total (28 + 4 + 16) / 12 = 4.0
            "B": [7, 7, 1, 1, 7, 4, 4, 1, 4, 7, 1, 4],
            # eleven 3s and item 12 = 2: total 35 / 12 = 2.917 → shown as 2.9 → low;
            # friends (3 + 3 + 3 + 2) / 4 = 2.75
            "C": [*[3] * 11, 2],
            # eleven 5s and item 1 = 6: total 61 / 12 = 5.083 → 5.1 → high;
            # SO (6 + 5 + 5 + 5) / 4 = 5.25
            "D": [6, *[5] * 11],
            # items 1 and 2 skipped, the rest 6: SO has 2 of 4 → no score; total has
            # 10 of 12 → 6.0
            "E": [None, None, *[6] * 10],
            # 'Agree' is a synonym of 'Mildly agree' = 5 → total 5.0, the top of moderate
            "F": ["agree "] * 12,
        },
    )
    result = so.score(df, ["mspss"])
    total = scale_scores(result, "total")
    so_scores = scale_scores(result, "significant_other")
    family = scale_scores(result, "family")
    friends = scale_scores(result, "friends")
    assert total["A"] == 7 and so_scores["A"] == 7
    assert (so_scores["B"], family["B"], friends["B"]) == (7, 1, 4)
    assert total["B"] == pytest.approx(4.0)
    assert total["C"] == pytest.approx(35 / 12)
    assert friends["C"] == pytest.approx(2.75)
    assert total["D"] == pytest.approx(61 / 12)
    assert so_scores["D"] == pytest.approx(5.25)
    assert math.isnan(so_scores["E"]) and total["E"] == pytest.approx(6.0)
    assert total["F"] == pytest.approx(5.0)
    totals = result.scores[result.scores["scale"] == "total"].set_index("participant_id")
    assert totals.loc["A", "band"] == "high support"
    assert totals.loc["B", "band"] == "moderate support"
    assert totals.loc["C", "band"] == "low support"
    assert totals.loc["D", "band"] == "high support"
    assert totals.loc["F", "band"] == "moderate support"
    subscale = result.scores[result.scores["scale"] == "significant_other"]
    assert subscale.set_index("participant_id").loc["E", "status"] == "insufficient_items"
