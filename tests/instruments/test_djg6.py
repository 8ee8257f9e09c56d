"""Hand-worked scoring of the De Jong Gierveld 6-item Loneliness Scale (3-point form).

Facts (fact sheet §4c): manual order; emotional = items 1, 4, 6 (negatively worded: 'yes' or
'more or less' → 1); social = items 2, 3, 5 (positively worded: 'no' or 'more or less' → 1).
Codes no = 1, more or less = 2, yes = 3. Bands: total 0–1 / 2–4 / 5–6; subscales 0 / 1–3.
Missing items (manual §8 syntax): the total allows one, counted as 0; subscales need all three.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def _bands(result, scale: str) -> dict[str, object]:
    table = result.scores[result.scores["scale"] == scale]
    return dict(zip(table["participant_id"], table["band"], strict=True))


def test_hand_worked_djg6() -> None:
    df = responses_frame(
        "djg6",
        {
            # all 'yes': emotional 1 + 1 + 1 = 3, social 0 → total 3 (moderately lonely)
            "A": ["yes"] * 6,
            # all 'more or less ': lonely on every item → 3 + 3 = 6 (severely lonely)
            "B": ["more or less "] * 6,
            # 'No' on negative items (1, 4, 6) and 'YES' on positive items → 0
            "C": ["No", "YES", "YES", "No", "YES", "No"],
            # item 2 (social) skipped, the rest 'no': emotional 0; social needs all three
            # items → no score; the total allows one skipped item, counted as 0 (manual):
            # items 1, 4, 6 'no' → 0; items 3, 5 'no' → 1 + 1; item 2 → 0 → total 2
            "D": ["no", None, "no", "no", "no", "no"],
            # two items skipped (1 and 2): more than the one the manual allows → no total
            "F": [None, None, "yes", "yes", "yes", "yes"],
            # codes: item 1 no → 0, item 2 no → 1, item 3 more or less → 1,
            # item 4 yes → 1, item 5 yes → 0, item 6 more or less → 1
            # emotional (1, 4, 6) = 0 + 1 + 1 = 2; social (2, 3, 5) = 1 + 1 + 0 = 2; total 4
            "E": [1, 1, 2, 3, 3, 2],
        },
    )
    result = so.score(df, ["djg6"])
    total = scale_scores(result, "total")
    emotional = scale_scores(result, "emotional")
    social = scale_scores(result, "social")
    assert (total["A"], emotional["A"], social["A"]) == (3, 3, 0)
    assert (total["B"], emotional["B"], social["B"]) == (6, 3, 3)
    assert (total["C"], emotional["C"], social["C"]) == (0, 0, 0)
    assert emotional["D"] == 0 and total["D"] == 2
    assert math.isnan(social["D"]) and math.isnan(total["F"])
    answered = result.scores.set_index(["participant_id", "scale"])["n_answered"]
    assert answered[("D", "total")] == 5  # the 0 stands in for the skipped item, unprorated
    assert (total["E"], emotional["E"], social["E"]) == (4, 2, 2)
    total_bands = _bands(result, "total")
    assert total_bands["A"] == "moderately lonely"
    assert total_bands["B"] == "severely lonely"
    assert total_bands["C"] == "not lonely"
    assert total_bands["E"] == "moderately lonely"
    assert _bands(result, "emotional")["A"] == "lonely"
    assert _bands(result, "social")["A"] == "not lonely"
