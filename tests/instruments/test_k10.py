"""Hand-worked K10 scoring, US coding 0–4 (fact sheet stigma_distress_recovery.md §8c).

No reversed items; total = sum 0–40, all ten items needed; items 3 and 6 skipped by design
score as 'none of the time' (0 on this coding).
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 11)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"k10_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: 0+1+2+3+4+0+1+2+3+4 = 20.
                "a": [0, 1, 2, 3, 4, 0, 1, 2, 3, 4],
                # b: item 2 'none' so item 3 skipped ('Not asked') → 0; labels otherwise:
                #    1 + 0 + 0 + 2 + 1 + 1 + 3 + 4 + 0 + 1 = 13.
                "b": [
                    "A little of the time",
                    "None of the time",
                    "Not asked (skipped)",
                    "some of the time",
                    "A LITTLE of the time",
                    1,
                    "Most of the time",
                    "All of the time",
                    0,
                    1,
                ],
                # c: item 10 blank → 9 of 10, no score.
                "c": [4, 4, 4, 4, 4, 4, 4, 4, 4, None],
                # d: a 5 is outside the 0–4 codes (an Australian-coded answer) → missing → no score.
                "d": [5, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            }
        ),
        ["k10"],
    )
    return result.scores.set_index("participant_id")


def test_us_coding_sums(scores: pd.DataFrame) -> None:
    assert scores.loc["a", "score"] == 20
    assert scores.loc["b", "score"] == 13


def test_missing_and_out_of_range_items_block_the_total(scores: pd.DataFrame) -> None:
    assert scores.loc["c", "status"] == "insufficient_items"
    assert scores.loc["d", "status"] == "insufficient_items"


def test_item_order_is_labelled_for_both_forms() -> None:
    k10 = so.load_instrument("k10")
    assert "Aus 9" in k10.item("8").label and "Aus 8" in k10.item("9").label
    assert k10.scale("total").range == (0, 40)
