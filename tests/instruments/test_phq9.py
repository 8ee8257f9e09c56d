"""Hand-worked PHQ-9 scoring (fact sheet stigma_distress_recovery.md §8a).

Codes 0–3, no reversed items, total = plain sum 0–27, all nine items required,
bands 0–4 / 5–9 / 10–14 / 15–19 / 20–27, evaluator-only alert on item 9 >= 1.
"""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so

ITEMS = [str(i) for i in range(1, 10)]


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for index, item in enumerate(ITEMS):
        data[f"phq9_{item}"] = [answers[index] for answers in rows.values()]
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    return so.score(
        _frame(
            {
                # a: 1+1+1+1+1+0+0+0+0 = 5 → mild (5–9); item 9 = 0, no alert.
                "a": [1, 1, 1, 1, 1, 0, 0, 0, 0],
                # b: labels with odd case/spacing: 3+3+2+2+2+1+1+0+1 = 15 → moderately severe;
                #    "several days" on item 9 is code 1 → alert.
                "b": [
                    "Nearly every day",
                    "nearly every day ",
                    "More than half the days",
                    "over half the days",
                    2,
                    "Several days",
                    1,
                    "Not at all",
                    "several days",
                ],
                # c: item 4 missing → 8 of 9 answered, below min_answered 9 → no score;
                #    item 9 = 3 still raises the alert.
                "c": [3, 3, 3, None, 3, 3, 3, 3, 3],
                # d: every item 3 → 27, top of the range, severe.
                "d": [3] * 9,
            }
        ),
        ["phq9"],
    )


def test_totals_and_bands(result: so.ScoreResult) -> None:
    s = result.scores.set_index("participant_id")
    assert s.loc["a", "score"] == 5 and s.loc["a", "band"] == "mild"
    assert s.loc["b", "score"] == 15 and s.loc["b", "band"] == "moderately severe"
    assert s.loc["d", "score"] == 27 and s.loc["d", "band"] == "severe"


def test_missing_item_gives_no_score(result: so.ScoreResult) -> None:
    row = result.scores.set_index("participant_id").loc["c"]
    assert row["status"] == "insufficient_items"
    assert pd.isna(row["score"])
    assert row["n_answered"] == 8


def test_item9_alert_for_any_nonzero_answer(result: so.ScoreResult) -> None:
    flagged = sorted(result.alerts["participant_id"])
    assert flagged == ["b", "c", "d"]
    assert set(result.alerts["item"]) == {"9"}


def test_cutoff_and_bands_in_definition() -> None:
    total = so.load_instrument("phq9").scale("total")
    assert total.clinical_cutoff is not None
    assert (total.clinical_cutoff.operator, total.clinical_cutoff.value) == (">=", 10)
    assert [b.min for b in total.bands.levels] == [0, 5, 10, 15, 20]
