"""Hand-worked RIBS scoring (fact sheet stigma_distress_recovery.md §7b).

Items 5–8 coded 1–5 and summed (4–20); 'Don't know' scored 3; items 1–4 never scored.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 9)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"ribs_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    return so.score(
        _frame(
            {
                # a: 5 + 4 + 5 + 4 = 18.
                "a": ["Yes", "No", "Yes", "Yes", 5, 4, "Strongly agree", "agree "],
                # b: 1 + don't know (3) + 2 + neutral (3) = 9.
                "b": [
                    "No",
                    "No",
                    "Don't know",
                    "No",
                    1,
                    "Don't know",
                    2,
                    "Neither agree nor disagree",
                ],
                # c: item 8 blank → 3 of 4, no score.
                "c": ["Yes", "Yes", "Yes", "Yes", 5, 5, 5, None],
                # d: 'don't know' (any case) on all four → 4 × 3 = 12.
                "d": [None, None, None, None, "DON'T KNOW", "dont know", "Don't know", "DK"],
            }
        ),
        ["ribs"],
    )


def test_intended_behaviour_sums(result: so.ScoreResult) -> None:
    s = result.scores.set_index("participant_id")
    assert s.loc["a", "score"] == 18
    assert s.loc["b", "score"] == 9
    assert s.loc["d", "score"] == 12
    assert s.loc["c", "status"] == "insufficient_items"


def test_reported_behaviour_items_are_not_scored(result: so.ScoreResult) -> None:
    assert set(result.scores["scale"]) == {"intended_behaviour"}
    ribs = so.load_instrument("ribs")
    scored = {item for scale in ribs.scales for item in scale.items}
    assert scored == {"5", "6", "7", "8"}


def test_dont_know_is_recorded_in_the_ledger(result: so.ScoreResult) -> None:
    dk = result.ledger[result.ledger["problem"] == "missing_code"]
    # b answered 'Don't know' on reported item 3 (never scored) and intended item 6; d on 5–8.
    assert sorted(dk["item"].astype(str)) == ["3", "5", "6", "6", "7", "8"]
    scored = dk[dk["item"].astype(str) != "3"]
    assert set(scored["action"]) == {"scored_as_3.0"}
