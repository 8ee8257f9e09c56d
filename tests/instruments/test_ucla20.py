"""Hand-worked scoring of the UCLA Loneliness Scale, Version 3 (20 items).

Facts (fact sheet §1): codes 1 never, 2 rarely, 3 sometimes, 4 always (synonym 'often');
items 1, 5, 6, 9, 10, 15, 16, 19, 20 reversed (5 − x); sum 20–80; project rule: at least
16 of 20 answered, sum prorated to 20 items.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

REVERSED = {1, 5, 6, 9, 10, 15, 16, 19, 20}


def _answers(forward: object, reversed_: object) -> list[object]:
    return [reversed_ if n in REVERSED else forward for n in range(1, 21)]


def test_hand_worked_ucla20() -> None:
    missing_two = [None, None, *[2] * 18]  # items 1 and 2 skipped
    df = responses_frame(
        "ucla20",
        {
            # all 'Never': 11 forward items × 1 = 11; 9 reversed items × (5 − 1) = 36 → 47
            "A": ["Never"] * 20,
            # all code 4: 11 × 4 = 44; reversed 9 × (5 − 4) = 9 → 53
            "B": [4] * 20,
            # 'often ' (synonym of 4) on forward items, 'NEVER' on reversed ones:
            # 11 × 4 + 9 × 4 = 80, the loneliest possible answer pattern
            "C": _answers("often ", "NEVER"),
            # items 1 (reversed) and 2 skipped, the rest 'rarely' = 2: forward answered
            # 10 × 2 = 20, reversed answered 8 × 3 = 24 → 44 over 18 items → 44/18 × 20
            "D": missing_two,
            # five items skipped: 15 answered < 16 required → no score
            "E": [None] * 5 + [3] * 15,
            # all 'Sometimes' = 3: 11 × 3 + 9 × (5 − 3) = 33 + 18 = 51
            "F": ["Sometimes"] * 20,
        },
    )
    result = so.score(df, ["ucla20"])
    scores = scale_scores(result, "total")
    assert scores["A"] == 47
    assert scores["B"] == 53
    assert scores["C"] == 80
    assert scores["D"] == pytest.approx(44 / 18 * 20)
    assert math.isnan(scores["E"])
    assert scores["F"] == 51
    table = result.scores.set_index("participant_id")
    assert table.loc["D", "n_answered"] == 18 and table.loc["D", "status"] == "ok"
    assert table.loc["E", "status"] == "insufficient_items"
    assert table.loc["E", "n_answered"] == 15
    # no bands ship: the cut-offs in circulation are not the author's
    assert table["band"].isna().all()
