"""Hand-worked OMS-HC-15 scoring (fact sheet stigma_distress_recovery.md §7d).

Codes 1–5, reversed (6 − x) items 2, 6, 7, 8, 14; Attitudes 1, 9, 10, 11, 13, 15;
Disclosure/help-seeking 3, 4, 5, 8; Social distance 2, 6, 7, 12, 14; total 15–75.
Project rule: pro-rated sum when at least 80% of a scale's items are answered.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 16)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"omshc15_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: every answer 5. Reversed items become 1.
                #    attitudes 6 × 5 = 30; disclosure 5+5+5+1 = 16;
                #    social distance 1+1+1+5+1 = 9; total 30+16+9 = 55.
                "a": [5] * 15,
                # b: every answer 1 ("strongly disagree "): reversed items become 5.
                #    attitudes 6; disclosure 1+1+1+5 = 8; social distance 5+5+5+1+5 = 21; total 35.
                "b": ["strongly disagree "] * 15,
                # c: 'Agree' (4) everywhere except item 3 blank. Reversed items become 2.
                #    attitudes 6 × 4 = 24; disclosure needs 4 of 4 → no score;
                #    social distance 2+2+2+4+2 = 12;
                #    total: answered 14, sum = 24 + (4+4+2) + 12 = 46 → 46 / 14 × 15 = 49.2857.
                "c": ["Agree", "Agree", None] + ["Agree"] * 12,
                # d: items 1 and 9 blank, rest 3 (neutral, unchanged by reversal):
                #    attitudes 4 of 6 answered < 5 needed → no score;
                #    total 13 of 15 (>= 12 needed): 13 × 3 / 13 × 15 = 45.
                "d": [None, 3, 3, 3, 3, 3, 3, 3, None, 3, 3, 3, 3, 3, "Neutral"],
            }
        ),
        ["omshc15"],
    )
    return result.scores.set_index(["participant_id", "scale"])


def test_all_agree_and_all_disagree(scores: pd.DataFrame) -> None:
    assert scores.loc[("a", "attitudes"), "score"] == 30
    assert scores.loc[("a", "disclosure_help_seeking"), "score"] == 16
    assert scores.loc[("a", "social_distance"), "score"] == 9
    assert scores.loc[("a", "total"), "score"] == 55
    assert scores.loc[("b", "disclosure_help_seeking"), "score"] == 8
    assert scores.loc[("b", "social_distance"), "score"] == 21
    assert scores.loc[("b", "total"), "score"] == 35


def test_prorated_total_with_one_missing_item(scores: pd.DataFrame) -> None:
    assert scores.loc[("c", "total"), "score"] == pytest.approx(46 / 14 * 15)
    assert scores.loc[("c", "attitudes"), "score"] == 24
    assert scores.loc[("c", "social_distance"), "score"] == 12
    assert scores.loc[("c", "disclosure_help_seeking"), "status"] == "insufficient_items"


def test_subscale_below_80_percent(scores: pd.DataFrame) -> None:
    assert scores.loc[("d", "attitudes"), "status"] == "insufficient_items"
    assert scores.loc[("d", "total"), "score"] == pytest.approx(45)


def test_labels_carry_the_20_item_numbers() -> None:
    oms = so.load_instrument("omshc15")
    assert oms.item("2").label.endswith("(20:3)")
    assert oms.item("14").label.endswith("(20:19)")
    assert [i.id for i in oms.items if i.reverse] == ["2", "6", "7", "8", "14"]
