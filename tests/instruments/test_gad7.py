"""Hand-worked GAD-7 scoring (fact sheet stigma_distress_recovery.md §8b).

Codes 0–3, no reversed items, total = plain sum 0–21 with all seven items,
bands 0–4 minimal / 5–9 mild / 10–14 moderate / 15–21 severe.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 8)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"gad7_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: 0+0+1+1+1+1+0 = 4 → minimal (top of 0–4).
                "a": [0, 0, 1, 1, 1, 1, 0],
                # b: 2+2+2+1+1+1+1 = 10 → moderate, at the >= 10 cut-off;
                #    labels in mixed case with trailing spaces.
                "b": [
                    "MORE THAN HALF THE DAYS",
                    "more than half the days ",
                    2,
                    "Several days",
                    "several days",
                    1,
                    1,
                ],
                # c: item 7 left blank → 6 of 7, no score.
                "c": [3, 3, 3, 3, 3, 3, None],
                # d: 3+3+3+3+3+0+0 = 15 → severe (bottom of 15–21).
                "d": [3, 3, 3, 3, 3, "Not at all", 0],
            }
        ),
        ["gad7"],
    )
    return result.scores.set_index("participant_id")


def test_sums_and_bands(scores: pd.DataFrame) -> None:
    assert (scores.loc["a", "score"], scores.loc["a", "band"]) == (4, "minimal")
    assert (scores.loc["b", "score"], scores.loc["b", "band"]) == (10, "moderate")
    assert (scores.loc["d", "score"], scores.loc["d", "band"]) == (15, "severe")


def test_one_missing_item_is_not_scored(scores: pd.DataFrame) -> None:
    assert scores.loc["c", "status"] == "insufficient_items"
    assert pd.isna(scores.loc["c", "score"])
