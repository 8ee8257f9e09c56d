"""Hand-worked scoring of the ULS-8.

Facts (fact sheet §3): codes 1 never, 2 rarely, 3 sometimes, 4 often (synonym 'always');
items 3 and 6 reversed (5 − x); sum 8–32; project rule: 7 of 8 answered, prorated to 8.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_uls8() -> None:
    df = responses_frame(
        "uls8",
        {
            # all 1: six forward items × 1 = 6; items 3 and 6 → 5 − 1 = 4 each → 14
            "A": [1] * 8,
            # 4 on forward items, 1 on the reversed ones: 6 × 4 + 2 × 4 = 32, the maximum
            "B": [4, 4, 1, 4, 4, 1, 4, 4],
            # item 7 skipped, the rest 'Sometimes' = 3: forward 5 × 3 = 15, reversed
            # 2 × (5 − 3) = 4 → 19 over 7 items → 19/7 × 8
            "C": ["Sometimes"] * 6 + [None, "Sometimes"],
            # two items skipped: 6 answered < 7 → no score
            "D": [None, None, 2, 2, 2, 2, 2, 2],
            # 'Always' is a synonym of 4 (item 1); 'rarely' in any case/spacing = 2:
            # item 1 = 4; forward items 2, 4, 5, 7, 8 → 5 × 2 = 10;
            # reversed items 3, 6 → 2 × (5 − 2) = 6; total 4 + 10 + 6 = 20
            "E": ["Always", "rarely ", "RARELY", "rarely", "Rarely", "rarely", "rarely", 2],
        },
    )
    result = so.score(df, ["uls8"])
    scores = scale_scores(result, "total")
    assert scores["A"] == 14
    assert scores["B"] == 32
    assert scores["C"] == pytest.approx(19 / 7 * 8)
    assert math.isnan(scores["D"])
    assert scores["E"] == 20
    table = result.scores.set_index("participant_id")
    assert table.loc["D", "status"] == "insufficient_items"
    assert table.loc["C", "n_answered"] == 7
