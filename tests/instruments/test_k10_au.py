"""Hand-worked K10 scoring, Australian form: items 8/9 swapped, coding 1–5 (§8c).

Total = sum 10–50 with all ten items; CRUfAD bands 10–19 likely well / 20–24 mild /
25–29 moderate / 30–50 severe; skipped items 3 and 6 score 1.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 11)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"k10_au_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: all 'none of the time' = 10 × 1 = 10 → likely to be well (bottom).
                "a": ["None of the time"] * 10,
                # b: 2+2+2+2+2+2+2+2+2+4 = 22 → mild (20–24).
                "b": [2, 2, 2, 2, 2, 2, 2, 2, 2, 4],
                # c: item 5 'none' so item 6 skipped → scores 1:
                #    3+3+3+3+1+1+3+5+5+3 = 30 → severe (30–50, bottom edge).
                "c": [3, 3, 3, 3, "none of the time", "Skipped", 3, "All of the time", 5, 3],
                # d: 0 is not a code on the 1–5 coding (a US-coded answer) → no score.
                "d": [0, 1, 1, 1, 1, 1, 1, 1, 1, 1],
                # e: 19 → likely to be well (top edge); 1+1+1+2+2+2+2+2+3+3 = 19.
                "e": [1, 1, 1, 2, 2, 2, 2, 2, 3, 3],
            }
        ),
        ["k10_au"],
    )
    return result.scores.set_index("participant_id")


def test_australian_sums_and_bands(scores: pd.DataFrame) -> None:
    assert (scores.loc["a", "score"], scores.loc["a", "band"]) == (10, "likely to be well")
    assert (scores.loc["b", "score"], scores.loc["b", "band"]) == (22, "mild disorder")
    assert (scores.loc["c", "score"], scores.loc["c", "band"]) == (30, "severe disorder")
    assert (scores.loc["e", "score"], scores.loc["e", "band"]) == (19, "likely to be well")


def test_us_coded_zero_is_out_of_range(scores: pd.DataFrame) -> None:
    assert scores.loc["d", "status"] == "insufficient_items"


def test_swapped_items_are_labelled() -> None:
    au = so.load_instrument("k10_au")
    assert "effort" in au.item("8").label and "US 9" in au.item("8").label
    assert "US 8" in au.item("9").label
