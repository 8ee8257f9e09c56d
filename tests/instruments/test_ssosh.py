"""Hand-worked SSOSH scoring (fact sheet stigma_distress_recovery.md §5).

Codes 1–5; items 2, 4, 5, 7, 9 reversed (6 − x); total = mean of the answered items, scored
when at least 8 of 10 are answered; range 1–5, higher = more self-stigma.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 11)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"ssosh_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    result = so.score(
        _frame(
            {
                # a: strongly agree (5) everywhere. Reversed items 2, 4, 5, 7, 9 become 1:
                #    (5 × 5 + 5 × 1) / 10 = 3.0.
                "a": [5] * 10,
                # b: maximal self-stigma: 5 on non-reversed items, 1 on reversed → all 5 → 5.0.
                "b": [5, 1, 5, 1, 1, 5, 1, 5, 1, 5],
                # c: labels: 1 on items 1, 3, 6, 8, 10; 'strongly agree ' on 2, 4, 5, 7, 9 → all 1
                #    after reversal; items 9 and 10 blank → 8 answered (= 80%), mean 1.0.
                "c": [
                    "Strongly disagree",
                    "strongly agree ",
                    1,
                    "STRONGLY AGREE",
                    5,
                    1,
                    5,
                    "strongly disagree",
                    None,
                    None,
                ],
                # d: neutral (3) on items 1–7 only → 7 of 10 answered < 8 → no score.
                "d": ["Agree and disagree equally"] * 6 + [3, None, None, None],
                # e: 4,2,4,2,3,4,2,4,2,4 → reversed items 2,4,7,9 (2 → 4), 5 (3 → 3):
                #    4+4+4+4+3+4+4+4+4+4 = 39 → 3.9.
                "e": [4, 2, 4, 2, 3, 4, 2, 4, 2, 4],
            }
        ),
        ["ssosh"],
    )
    return result.scores.set_index("participant_id")


def test_means_with_reversed_items(scores: pd.DataFrame) -> None:
    assert scores.loc["a", "score"] == pytest.approx(3.0)
    assert scores.loc["b", "score"] == pytest.approx(5.0)
    assert scores.loc["e", "score"] == pytest.approx(3.9)


def test_missing_items(scores: pd.DataFrame) -> None:
    assert scores.loc["c", "score"] == pytest.approx(1.0)
    assert scores.loc["c", "n_answered"] == 8
    assert scores.loc["d", "status"] == "insufficient_items"


def test_method_is_stored_as_mean() -> None:
    total = so.load_instrument("ssosh").scale("total")
    assert total.method == "mean" and total.range == (1, 5)
