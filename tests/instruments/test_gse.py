"""Hand-worked scoring of the General Self-Efficacy Scale.

Facts (support sheet §4): 1 not at all true, 2 hardly true, 3 moderately true, 4 exactly
true; none reversed; sum 10–40. Author's rule: score when at most 3 of 10 items are missing
(prorated to 10 items).
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_gse() -> None:
    df = responses_frame(
        "gse",
        {
            # all 4 → 40
            "A": [4] * 10,
            # all 'Not at all true' → 10
            "B": ["Not at all true"] * 10,
            # three items skipped (the author's limit), seven 3s: 21 over 7 → 21/7 × 10 = 30
            "C": [None, None, None, *[3] * 7],
            # four items skipped → no score
            "D": [None] * 4 + [3] * 6,
            # labels: exactly true 4 + moderately true 4 × 3 = 12 + hardly true 5 × 2 = 10
            # → 26
            "E": ["Exactly true", *["moderately true "] * 4, *["HARDLY TRUE"] * 5],
        },
    )
    result = so.score(df, ["gse"])
    scores = scale_scores(result, "total")
    assert (scores["A"], scores["B"]) == (40, 10)
    assert scores["C"] == pytest.approx(30.0)
    assert math.isnan(scores["D"])
    assert scores["E"] == 26
    table = result.scores.set_index("participant_id")
    assert table.loc["C", "n_answered"] == 7 and table.loc["C", "status"] == "ok"
    assert table.loc["D", "status"] == "insufficient_items"
