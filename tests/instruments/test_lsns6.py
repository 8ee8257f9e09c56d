"""Hand-worked scoring of the Lubben Social Network Scale, 6 items.

Facts (fact sheet §6): counts coded 0 none, 1 one, 2 two, 3 three or four, 4 five to eight,
5 nine or more; family = items 1–3, friends = items 4–6; sums (total 0–30); higher = larger
network; total below 12 = at risk of social isolation.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_lsns6() -> None:
    df = responses_frame(
        "lsns6",
        {
            # nobody anywhere → 0, at risk
            "A": ["None"] * 6,
            # 'nine or more' everywhere → 6 × 5 = 30, not at risk
            "B": ["Nine or more"] * 6,
            # no family ties, five to eight on each friend item → 0 + 3 × 4 = 12, the first
            # score above the cut-off (< 12 is at risk)
            "C": [0, 0, 0, 4, 4, 4],
            # one point lower → 11, at risk
            "D": [0, 0, 0, 4, 4, 3],
            # labels: three or four = 3 (twice, with stray spaces/case), one = 1, two = 2,
            # five to eight = 4, numeric string "2" = 2 → family 3 + 3 + 1 = 7,
            # friends 2 + 4 + 2 = 8, total 15
            "E": ["Three or four", "three or four ", "One", "Two", "Five to eight", "2"],
            # item 6 skipped: family still scored (1 + 1 + 1 = 3); friends and total need
            # every item
            "F": [1, 1, 1, 1, 1, None],
        },
    )
    result = so.score(df, ["lsns6"])
    total = scale_scores(result, "total")
    family = scale_scores(result, "family")
    friends = scale_scores(result, "friends")
    assert (total["A"], total["B"], total["C"], total["D"]) == (0, 30, 12, 11)
    assert (total["E"], family["E"], friends["E"]) == (15, 7, 8)
    assert family["F"] == 3
    assert math.isnan(total["F"]) and math.isnan(friends["F"])
    totals = result.scores[result.scores["scale"] == "total"].set_index("participant_id")
    assert totals.loc["A", "band"] == "at risk of social isolation"
    assert totals.loc["C", "band"] == "not at risk"
    assert totals.loc["D", "band"] == "at risk of social isolation"
    assert totals.loc["F", "status"] == "insufficient_items"
