"""The scoring engine on a toy instrument that uses every feature of the schema."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.scoring.toy import toy_instrument

import stigma_outcomes as so


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for j in range(5):
        data[f"toy_{j + 1}"] = [v[j] for v in rows.values()]
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def result():
    df = _frame(
        {
            # item 2 reversed: 5 − 1 = 4 → items 4, 4, 4, 4: sum 16 → T = 30 + 2.5 × 16 = 70
            "full": ["SA", "SD", 4, "strongly agree", 4],
            # item 3 "Don't know" is scored 2 (its declared value) and counts as answered;
            # item 2 reversed: 5 − 4 = 1 → 1 + 1 + 2 + 1 = 5 → T = 30 + 2.5 × 5 = 42.5
            "dontknow": [1, 4, "Don't know", 1, 2],
            # item 4 'Prefer not to say' → missing: sum has no score; mean of 3 answered
            # (needs 75% of 4 = 3): (3 + 3 + 3) / 3 = 3 → band 'high'; prorated 3 × 4 = 12
            "prefer": [3, 2, 3, "prefer not to say", 1],
            # code 8 is the declared code of 'Prefer not to say' → missing as above
            "code8": [2, 3, 2, 8, 3],
            # two items missing: mean has 2 of 4 (needs 3) → no score
            "sparse": [2, None, None, 2, None],
        }
    )
    return so.score(df, [toy_instrument()])


def _get(result, pid: str, scale: str, column: str = "score"):
    t = result.scores
    row = t[(t["participant_id"] == pid) & (t["scale"] == scale)]
    return row[column].iloc[0]


def test_sum_with_reversed_item_and_conversion(result) -> None:
    assert _get(result, "full", "sum4", "raw_score") == 16
    assert _get(result, "full", "sum4") == 70
    assert _get(result, "full", "sum4", "score_se") == pytest.approx(3.4)


def test_declared_non_answer_scored_as_stated_value(result) -> None:
    assert _get(result, "dontknow", "sum4", "raw_score") == 5
    assert _get(result, "dontknow", "sum4") == 42.5
    assert _get(result, "dontknow", "mean4") == pytest.approx(5 / 4)
    entry = result.ledger[
        (result.ledger["participant_id"] == "dontknow")
        & (result.ledger["problem"] == "missing_code")
    ]
    assert entry["action"].tolist() == ["scored_as_2.0"]


def test_declared_non_answer_as_missing_by_label_and_code(result) -> None:
    for pid, expected_mean in (("prefer", 3.0), ("code8", (2 + 2 + 2) / 3)):
        assert _get(result, pid, "sum4", "status") == "insufficient_items"
        assert _get(result, pid, "mean4") == pytest.approx(expected_mean)
        assert _get(result, pid, "prorated4") == pytest.approx(expected_mean * 4)
    assert _get(result, "prefer", "mean4", "band") == "high"
    assert _get(result, "code8", "mean4", "band") == "low"


def test_dichotomous_recode(result) -> None:
    assert [_get(result, p, "dich") for p in ("full", "dontknow", "prefer", "code8")] == [
        1,
        0,
        0,
        1,
    ]
    assert _get(result, "sparse", "dich", "status") == "insufficient_items"


def test_min_answered_as_proportion(result) -> None:
    assert _get(result, "sparse", "mean4", "status") == "insufficient_items"
    assert _get(result, "sparse", "mean4", "n_answered") == 2
    assert pd.isna(_get(result, "sparse", "mean4", "band"))


def test_alerts_are_kept_apart_from_scores(result) -> None:
    alerts = result.alerts
    assert alerts["participant_id"].tolist() == ["dontknow"]
    assert alerts["alert"].tolist() == ["strong_disagree_item1"]
    assert "alert" not in result.scores.columns


def test_tidy_columns_and_order(result) -> None:
    assert list(result.scores.columns) == [
        "participant_id",
        "wave",
        "instrument",
        "scale",
        "score",
        "n_answered",
        "n_items",
        "status",
        "band",
        "raw_score",
        "score_se",
    ]
    # scale by scale in definition order, and within a scale the rows in input order
    assert list(dict.fromkeys(result.scores["scale"])) == ["sum4", "mean4", "prorated4", "dich"]
    assert result.scores["participant_id"].tolist()[:5] == [
        "full",
        "dontknow",
        "prefer",
        "code8",
        "sparse",
    ]


def test_wide_view(result) -> None:
    wide = result.wide()
    assert wide.columns.tolist() == [
        "participant_id",
        "wave",
        "toy_sum4",
        "toy_mean4",
        "toy_prorated4",
        "toy_dich",
    ]
    assert wide.set_index("participant_id").loc["full", "toy_sum4"] == 70


def test_unknown_label_goes_to_ledger_not_crash() -> None:
    df = pd.DataFrame(
        {"participant_id": ["x"], "ucla3_1": ["Sometimes?"], "ucla3_2": [1], "ucla3_3": [True]}
    )
    res = so.score(df, ["ucla3"])
    problems = res.ledger.set_index("item")["problem"].to_dict()
    assert problems == {"1": "unknown_label", "3": "unknown_label", None: "insufficient_items"}


def test_carry_columns_and_numeric_ids() -> None:
    df = pd.DataFrame(
        {
            "ID": [101.0, 102.0],
            "site": ["north", "south"],
            "ucla3_1": [1, 2],
            "ucla3_2": [1, 2],
            "ucla3_3": [1, 2],
        }
    )
    res = so.score(df, ["ucla3"], carry=["site"], wave="pre")
    assert res.scores[["participant_id", "wave", "site", "score"]].values.tolist() == [
        ["101", "pre", "north", 3.0],
        ["102", "pre", "south", 6.0],
    ]
