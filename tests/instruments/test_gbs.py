"""Hand-worked scoring of the General Belongingness Scale.

Facts (fact sheet §7, VERIFICATION.md): 12 items on a 7-point agreement scale (1 strongly
disagree … 7 strongly agree); Acceptance/Inclusion = 1, 2, 5, 8, 10, 11; Rejection/Exclusion
= 3, 4, 6, 7, 9, 12, reversed (8 − x); scores are item means. Project missing-data rule: 5 of 6
per subscale, 10 of 12 for the total.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 13)]


def test_hand_worked_gbs() -> None:
    df = responses_frame(
        "gbs",
        {
            # All 'Strongly agree' (7): acceptance 7; rejection items keyed 8 − 7 = 1;
            # total = (6 × 7 + 6 × 1) / 12 = 4.
            "Q1": ["Strongly agree"] * 12,
            # Acceptance items 6 ('Agree'); rejection items 2 ('Disagree') → keyed 6: all 6.
            "Q2": [6, 6, 2, 2, 6, 2, 2, 6, 2, 6, 6, 2],
            # Acceptance: 5 ('somewhat agree'), 5 ('slightly agree' synonym), 4 ('Neutral'),
            # 4, item 10 blank, 3 → 5 of 6 answered: (5 + 5 + 4 + 4 + 3) / 5 = 4.2.
            # Rejection: 1 → 7, 1 → 7, blank, blank, 4 → 4, 'strongly DISAGREE ' → 7:
            # 4 of 6 answered (needs 5) → no score; total 9 of 12 (needs 10) → no score.
            "Q3": [
                "somewhat agree",
                "slightly agree",
                1,
                1,
                "Neutral",
                None,
                None,
                4,
                4,
                None,
                3,
                "strongly DISAGREE ",
            ],
        },
    )
    result = so.score(df, ["gbs"])
    t = result.scores.set_index(["participant_id", "scale"])
    assert t.loc[("Q1", "acceptance_inclusion"), "score"] == 7
    assert t.loc[("Q1", "rejection_exclusion"), "score"] == 1
    assert t.loc[("Q1", "total"), "score"] == 4
    assert t.loc[("Q2", "acceptance_inclusion"), "score"] == 6
    assert t.loc[("Q2", "rejection_exclusion"), "score"] == 6
    assert t.loc[("Q2", "total"), "score"] == 6
    assert t.loc[("Q3", "acceptance_inclusion"), "score"] == pytest.approx(4.2)
    assert t.loc[("Q3", "rejection_exclusion"), "status"] == "insufficient_items"
    assert t.loc[("Q3", "rejection_exclusion"), "n_answered"] == 4
    assert math.isnan(t.loc[("Q3", "total"), "score"])
    assert t.loc[("Q3", "total"), "n_answered"] == 9
    # Keyed items carry the reversal, for in-sample reliability.
    keyed = result.keyed_items.set_index("participant_id")
    assert keyed.loc["Q3", "gbs_3"] == 7 and keyed.loc["Q3", "gbs_12"] == 7


def test_gbs_every_scale_is_higher_is_better(gbs) -> None:
    assert {s.direction for s in gbs.scales} == {"higher_is_better"}
    assert {i.id for i in gbs.items if i.reverse} == {"3", "4", "6", "7", "9", "12"}
