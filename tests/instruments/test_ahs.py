"""Hand-worked scoring of the Adult Hope Scale (8-point format).

Facts (support sheet §9a): 1 definitely false … 8 definitely true; Agency = 2, 9, 10, 12;
Pathways = 1, 4, 6, 8; fillers 3, 5, 7, 11 are not scored; no reversed items; sums
(subscales 4–32, total 8–64); all scored items required (project rule).
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

FILLERS = {3, 5, 7, 11}


def test_hand_worked_ahs() -> None:
    df = responses_frame(
        "ahs",
        {
            # all 8 → agency 32, pathways 32, total 64
            "A": [8] * 12,
            # scored items 1, fillers 8: fillers never count → 4, 4, 8
            "B": [8 if n in FILLERS else 1 for n in range(1, 13)],
            # pathways items 6, agency items 5, fillers skipped (they are not needed)
            # → pathways 24, agency 20, total 44
            "C": [6, 5, None, 6, None, 6, None, 6, 5, 5, None, 5],
            # item 2 (agency) skipped → agency and total not scored; pathways 4 × 7 = 28
            "D": [7, None, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7],
            # labels: pathways 1 mostly true 7 + 4 somewhat true 6 + 6 definitely false 1
            # + 8 slightly true 5 = 19; agency 2 slightly false 4 + 9 mostly false 2
            # + 10 somewhat false 3 + 12 definitely true 8 = 17; total 36
            "E": [
                "Mostly true",
                "Slightly false",
                "Mostly true",
                "somewhat true",
                "Mostly true",
                "DEFINITELY FALSE",
                "Mostly true",
                "Slightly true",
                "Mostly false",
                "Somewhat false",
                "Mostly true",
                "definitely true ",
            ],
        },
    )
    result = so.score(df, ["ahs"])
    agency = scale_scores(result, "agency")
    pathways = scale_scores(result, "pathways")
    total = scale_scores(result, "total")
    assert (agency["A"], pathways["A"], total["A"]) == (32, 32, 64)
    assert (agency["B"], pathways["B"], total["B"]) == (4, 4, 8)
    assert (agency["C"], pathways["C"], total["C"]) == (20, 24, 44)
    assert pathways["D"] == 28
    assert math.isnan(agency["D"]) and math.isnan(total["D"])
    assert (agency["E"], pathways["E"], total["E"]) == (17, 19, 36)
    totals = result.scores[result.scores["scale"] == "total"]
    assert (totals["n_items"] == 8).all()
