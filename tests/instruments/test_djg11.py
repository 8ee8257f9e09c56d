"""Hand-worked scoring of the De Jong Gierveld 11-item Loneliness Scale (3-point form).

Facts (fact sheet §4a–4b): codes no = 1, more or less = 2, yes = 3. Positively worded
(social) items 1, 4, 7, 8, 11 score 1 for 'no' or 'more or less'; negatively worded
(emotional) items 2, 3, 5, 6, 9, 10 score 1 for 'yes' or 'more or less'. Total 0–11 with
bands 0–2 not lonely, 3–8 moderately, 9–11 severely lonely; emotional 0–6; social 0–5.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

POSITIVE = {1, 4, 7, 8, 11}


def _by_polarity(positive: object, negative: object) -> list[object]:
    return [positive if n in POSITIVE else negative for n in range(1, 12)]


def test_hand_worked_djg11() -> None:
    df = responses_frame(
        "djg11",
        {
            # all 'Yes': social items → 0 each; emotional items → 1 each → total 6
            "A": ["Yes"] * 11,
            # all 'no': social 5 × 1 = 5; emotional 0 → total 5
            "B": ["no"] * 11,
            # neutral everywhere counts as lonely on BOTH polarities → 11, severely lonely
            "C": ["More or less"] * 11,
            # the least lonely pattern: 'yes!' (synonym of yes) on positive items,
            # 'No' on negative items → 0
            "D": _by_polarity("yes!", "No"),
            # numeric codes: positives 3, 3, 3, 3 and item 11 = 1 (no) → social 1;
            # negatives all 1 (no) → emotional 0; total 1
            "E": [*_by_polarity(3, 1)[:10], 1],
            # item 1 skipped, rest 'yes': the total and social subscale need every item;
            # emotional items all 'yes' → 6
            "F": [None] + ["yes"] * 10,
        },
    )
    result = so.score(df, ["djg11"])
    total = scale_scores(result, "total")
    social = scale_scores(result, "social")
    emotional = scale_scores(result, "emotional")
    assert (total["A"], social["A"], emotional["A"]) == (6, 0, 6)
    assert (total["B"], social["B"], emotional["B"]) == (5, 5, 0)
    assert (total["C"], social["C"], emotional["C"]) == (11, 5, 6)
    assert (total["D"], social["D"], emotional["D"]) == (0, 0, 0)
    assert (total["E"], social["E"], emotional["E"]) == (1, 1, 0)
    assert math.isnan(total["F"]) and math.isnan(social["F"])
    assert emotional["F"] == 6
    totals = result.scores[result.scores["scale"] == "total"].set_index("participant_id")
    assert totals.loc["A", "band"] == "moderately lonely"
    assert totals.loc["C", "band"] == "severely lonely"
    assert totals.loc["D", "band"] == "not lonely"
    assert totals.loc["E", "band"] == "not lonely"
    assert totals.loc["F", "status"] == "insufficient_items"
