"""Hand-worked scoring of the SWEMWBS with its raw → metric conversion.

Facts (fact sheet §11b): 7 items coded 1 none of the time … 5 all of the time, none
reversed; raw sum 7–35 converted to the Rasch metric score (table in §11b); all seven
items required (project rule, the table is for complete sums).
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame

import stigma_outcomes as so


def test_hand_worked_swemwbs() -> None:
    df = responses_frame(
        "swemwbs",
        {
            # raw 7 → metric 7.00 (the floor maps to itself)
            "A": ["None of the time"] * 7,
            # 7 × 3 = 21 → 19.25
            "B": [3] * 7,
            # 'all of the time ' × 7 = 35 → 35.00
            "C": ["all of the time "] * 7,
            # one item skipped → no score (the table is for complete sums)
            "D": [4, 4, 4, None, 4, 4, 4],
            # 5 + 4 + 3 + 2 + 1 + 4 + 5 = 24 → 21.54, with label variants
            "E": ["All of the time", "OFTEN", "Some of the time", "rarely", 1, "4", 5],
        },
    )
    result = so.score(df, ["swemwbs"])
    table = result.scores.set_index("participant_id")
    assert table.loc["A", "score"] == pytest.approx(7.00)
    assert (table.loc["B", "raw_score"], table.loc["B", "score"]) == (21, pytest.approx(19.25))
    assert table.loc["C", "score"] == pytest.approx(35.00)
    assert math.isnan(table.loc["D", "score"])
    assert table.loc["D", "status"] == "insufficient_items"
    assert (table.loc["E", "raw_score"], table.loc["E", "score"]) == (24, pytest.approx(21.54))
