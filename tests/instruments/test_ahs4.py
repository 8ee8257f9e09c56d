"""Hand-worked scoring of the Adult Hope Scale (original 4-point format).

Facts (support sheet §9a): 1 definitely false, 2 mostly false, 3 mostly true, 4 definitely
true; Agency = 2, 9, 10, 12; Pathways = 1, 4, 6, 8; fillers 3, 5, 7, 11 unscored; sums
(subscales 4–16, total 8–32).
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

PATHWAYS = {1, 4, 6, 8}


def test_hand_worked_ahs4() -> None:
    df = responses_frame(
        "ahs4",
        {
            # all 4 → 16, 16, 32
            "A": [4] * 12,
            # pathways items 'Mostly true' = 3, everything else 'mostly false ' = 2:
            # pathways 12, agency 8, total 20 (fillers ignored)
            "B": ["Mostly true" if n in PATHWAYS else "mostly false " for n in range(1, 13)],
            # 5 is not a code of the 4-point scale (8-point data?) → item 1 missing →
            # pathways and total not scored; agency items 1 → 4
            "C": [5, *[1] * 11],
        },
    )
    result = so.score(df, ["ahs4"])
    agency = scale_scores(result, "agency")
    pathways = scale_scores(result, "pathways")
    total = scale_scores(result, "total")
    assert (agency["A"], pathways["A"], total["A"]) == (16, 16, 32)
    assert (agency["B"], pathways["B"], total["B"]) == (8, 12, 20)
    assert agency["C"] == 4
    assert math.isnan(pathways["C"]) and math.isnan(total["C"])
    out_of_range = result.ledger[result.ledger["problem"] == "out_of_range"]
    assert out_of_range[["participant_id", "item", "value"]].values.tolist() == [["C", "1", "5"]]
