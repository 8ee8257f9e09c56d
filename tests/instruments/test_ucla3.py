"""Hand-worked scoring of the UCLA 3-item Loneliness Scale.

Facts (fact sheet §2, VERIFICATION.md): items coded 1 = hardly ever, 2 = some of the time,
3 = often; none reversed; sum 3–9; all three items required (project rule); bands by
convention 3–5 not lonely, 6–9 lonely.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_ucla3() -> None:
    df = responses_frame(
        "ucla3",
        {
            # 1 + 2 + 3 = 6 → lonely (6 is the first score of the 'lonely' band)
            "A": ["Hardly ever", "Some of the time", "Often"],
            # label variants: '  often' and 'OFTEN' are 3, 'Some of the time ' is 2 → 8
            "B": ["  often", "OFTEN", "Some of the time "],
            # numeric codes 1, 1, 1 → 3, the floor of the scale → not lonely
            "C": [1, 1, 1],
            # item 3 unanswered: a sum of two items is not on the 3–9 metric → no score
            "D": ["2", "1", None],
            # 4 is not a code of the three-point scale → missing → no score
            "E": [4, 1, 1],
            # synonyms: 'Hardly ever or never' = 1, 'sometimes' = 2 → 1 + 2 + 1 = 4
            "F": ["Hardly ever or never", "sometimes", 1],
        },
    )
    result = so.score(df, ["ucla3"])
    scores = scale_scores(result, "total")
    assert scores["A"] == 6
    assert scores["B"] == 8
    assert scores["C"] == 3
    assert math.isnan(scores["D"]) and math.isnan(scores["E"])
    assert scores["F"] == 4
    table = result.scores.set_index("participant_id")
    assert table.loc["A", "band"] == "lonely"
    assert table.loc["C", "band"] == "not lonely"
    assert table.loc["F", "band"] == "not lonely"
    assert table.loc["D", "status"] == "insufficient_items"
    assert table.loc["D", "n_answered"] == 2
    assert table.loc["E", "n_answered"] == 2
    assert (table["n_items"] == 3).all()

    ledger = result.ledger
    out_of_range = ledger[ledger["problem"] == "out_of_range"]
    assert out_of_range[["participant_id", "item", "value", "column"]].values.tolist() == [
        ["E", "1", "4", "ucla3_1"]
    ]
    insufficient = ledger[ledger["problem"] == "insufficient_items"]
    assert sorted(insufficient["participant_id"]) == ["D", "E"]
    assert set(insufficient["value"]) == {"2 of 3 answered (needs 3)"}
