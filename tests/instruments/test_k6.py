"""Hand-worked K6 scoring, US coding 0–4 (fact sheet §8c).

Sum 0–24 of six items, all required; bands 0–4 low / 5–12 moderate / 13–24 serious,
clinical cut-off >= 13.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 7)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"k6_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: 0+1+0+1+1+1 = 4 → low distress (top of 0–4).
                "a": [0, 1, 0, 1, 1, 1],
                # b: 'most' = 3, 'some' = 2: 3+2+2+2+2+2 = 13 → serious (cut-off).
                "b": ["Most of the time", "some", "Some of the time", 2, 2, "SOME OF THE TIME"],
                # c: 2+2+2+2+2+2 = 12 → moderate (top of 5–12).
                "c": [2] * 6,
                # d: one blank → no score.
                "d": [4, 4, 4, 4, 4, None],
            }
        ),
        ["k6"],
    )
    return result.scores.set_index("participant_id")


def test_sums_and_bands(scores: pd.DataFrame) -> None:
    assert (scores.loc["a", "score"], scores.loc["a", "band"]) == (4, "low distress")
    assert (scores.loc["b", "score"], scores.loc["b", "band"]) == (
        13,
        "serious psychological distress",
    )
    assert (scores.loc["c", "score"], scores.loc["c", "band"]) == (12, "moderate distress")


def test_missing_item(scores: pd.DataFrame) -> None:
    assert scores.loc["d", "status"] == "insufficient_items"
