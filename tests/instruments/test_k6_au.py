"""Hand-worked K6 scoring, Australian coding 1–5 (fact sheet §8c).

Sum 6–30 of six items, all required; single-source grouping 6–11 low / 12–19 moderate /
20–30 high.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 7)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"k6_au_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: six × 'none' (1) = 6 → low.
                "a": ["None of the time", "none", 1, 1, 1, 1],
                # b: 2+2+2+2+2+2 = 12 → moderate (bottom edge).
                "b": ["A little of the time"] * 6,
                # c: 5+5+5+3+1+1 = 20 → high (bottom edge).
                "c": ["All of the time", 5, "all", 3, 1, 1],
                # d: 0 (a US-coded answer) is not a code here → no score.
                "d": [0, 1, 1, 1, 1, 1],
            }
        ),
        ["k6_au"],
    )
    return result.scores.set_index("participant_id")


def test_sums_and_bands(scores: pd.DataFrame) -> None:
    assert (scores.loc["a", "score"], scores.loc["a", "band"]) == (6, "low")
    assert (scores.loc["b", "score"], scores.loc["b", "band"]) == (12, "moderate")
    assert (scores.loc["c", "score"], scores.loc["c", "band"]) == (20, "high")


def test_us_code_is_not_accepted(scores: pd.DataFrame) -> None:
    assert scores.loc["d", "status"] == "insufficient_items"
