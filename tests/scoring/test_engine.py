"""The scoring engine on a toy instrument that uses every feature of the schema."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.scoring.toy import toy_definition, toy_instrument

import stigma_outcomes as so
from stigma_outcomes.instruments import parse_instrument
from stigma_outcomes.scoring import engine


def _frame(rows: dict[str, list[object]]) -> pd.DataFrame:
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for j in range(5):
        data[f"toy_{j + 1}"] = [v[j] for v in rows.values()]
    return pd.DataFrame(data)


def _toy_rows() -> pd.DataFrame:
    return _frame(
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


@pytest.fixture(scope="module")
def result():
    return so.score(_toy_rows(), [toy_instrument()])


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


def test_small_whole_number_instruments_are_keyed_as_int8() -> None:
    toy = toy_instrument()
    assert engine._compact(toy, engine._decoders(toy, None))
    # A half-point recode, or codes past int8, need floats.
    half = toy_definition()
    half["items"][4]["recode"] = {1: 0, 2: 0.5, 3: 0.5, 4: 1}
    wide = {
        **{k: toy_definition()[k] for k in ("name", "short_name", "construct", "domain")},
        **{k: toy_definition()[k] for k in ("version", "provenance")},
        "id": "vas",
        "response_scales": {"vas": [{"code": c, "label": f"{c} points"} for c in (0, 100, 200)]},
        "items": [{"id": "1", "label": "slider", "scale": "vas"}],
        "scales": [
            {
                "id": "total",
                "name": "Slider",
                "items": ["1"],
                "method": "sum",
                "min_answered": 1,
                "direction": "higher_is_better",
                "range": [0, 200],
            }
        ],
    }
    for definition in (half, wide):
        inst = parse_instrument(definition, "toy.yaml")
        assert not engine._compact(inst, engine._decoders(inst, None))


def test_int8_and_float_keying_give_identical_results(monkeypatch) -> None:
    compact = so.score(_toy_rows(), [toy_instrument()])
    monkeypatch.setattr(engine, "_compact", lambda *args: False)
    floats = so.score(_toy_rows(), [toy_instrument()])
    pd.testing.assert_frame_equal(compact.scores, floats.scores)
    pd.testing.assert_frame_equal(compact.ledger, floats.ledger)
    pd.testing.assert_frame_equal(compact.alerts, floats.alerts)
    pd.testing.assert_frame_equal(compact.keyed_items, floats.keyed_items)
    # keyed items are floats with NaN for a missing answer whichever way they were held
    sparse = compact.keyed_items.set_index("participant_id").loc["sparse"]
    assert sparse["toy_1"] == 2.0 and sparse["toy_4"] == 2.0
    assert sparse[["toy_2", "toy_3", "toy_5"]].isna().all()
    assert compact.keyed_items["toy_1"].dtype == float


def test_half_point_recode_is_scored_in_floats() -> None:
    definition = toy_definition()
    definition["items"][4]["recode"] = {1: 0, 2: 0.5, 3: 0.5, 4: 1}
    inst = parse_instrument(definition, "toy.yaml")
    df = _frame({"a": [1, 1, 1, 1, "Disagree"], "b": [1, 1, 1, 1, 4]})
    # item 5 answered 'Disagree' (code 2) → 0.5; code 4 → 1
    scores = so.score(df, [inst]).scores
    assert scores.loc[scores["scale"] == "dich", "score"].tolist() == [0.5, 1.0]


def test_skipped_items_count_as_the_missing_item_value() -> None:
    definition = toy_definition()
    # sum4 without its conversion table, allowing one skipped item counted as 2.
    definition["scales"][0].update(min_answered=3, missing_item_value=2)
    definition["scales"][0].pop("conversion")
    definition["scales"][0]["range"] = [4, 16]
    inst = parse_instrument(definition, "toy.yaml")
    df = _frame({"one_skipped": [4, None, 4, 4, 1], "two_skipped": [4, None, None, 4, 1]})
    scores = so.score(df, [inst]).scores.set_index(["participant_id", "scale"])
    # items 1, 3, 4 answered 4 each (item 2 reversed but skipped) → 12, plus 2 for item 2
    assert scores.loc[("one_skipped", "sum4"), "score"] == 14
    assert scores.loc[("one_skipped", "sum4"), "n_answered"] == 3
    assert scores.loc[("two_skipped", "sum4"), "status"] == "insufficient_items"


def test_an_instrument_not_given_on_a_row_gets_no_score_row() -> None:
    from stigma_outcomes.ingest import load_responses

    df = pd.DataFrame(
        {"participant_id": ["a", "b", "c"], "ucla3_1": [1, None, None],
         "ucla3_2": [2, None, None], "ucla3_3": [3, None, None]}
    )  # fmt: skip
    responses = load_responses(df, ["ucla3"])
    # b's row did not hold the questionnaire (as ingest marks REDCap rows of other forms);
    # c's did, and c left it blank.
    responses.frame["_absent_ucla3"] = [False, True, False]
    result = so.score(responses)
    assert result.scores["participant_id"].astype(str).tolist() == ["a", "c"]
    assert result.scores["status"].tolist() == ["ok", "insufficient_items"]
    short = result.ledger[result.ledger["problem"] == "insufficient_items"]
    assert short["participant_id"].astype(str).tolist() == ["c"]
    assert result.rows_scored == 3 and result.rows_excluded == 0


def _long(gad7_at: dict[str, list[object]]) -> pd.DataFrame:
    """Three people at three waves of a long export: UCLA-3 answered at every wave, GAD-7's
    first item as given per wave (the other six answered wherever the first is)."""
    rows = []
    for wave, firsts in gad7_at.items():
        for person, first in zip("abc", firsts, strict=True):
            rest = None if first is None else 1
            gad7 = {f"gad7_{i}": (first if i == 1 else rest) for i in range(1, 8)}
            rows.append({"participant_id": person, "wave": wave, "ucla3_1": 1, "ucla3_2": 2,
                         "ucla3_3": 3, **gad7})  # fmt: skip
    return pd.DataFrame(rows)


def test_an_instrument_nobody_answered_at_a_wave_was_not_asked_there() -> None:
    df = _long({"pre": [1, 2, 3], "mid": [None, None, None], "post": [2, None, 0]})
    result = so.score(df, ["ucla3", "gad7"], wave_col="wave")
    gad7 = result.scores[result.scores["instrument"] == "gad7"]
    # no score row at 'mid', and no row of too few answers for it: it was not asked there
    assert gad7["wave"].astype(str).tolist() == ["pre"] * 3 + ["post"] * 3
    assert gad7["status"].tolist() == ["ok"] * 3 + ["ok", "insufficient_items", "ok"]
    ucla = result.scores[result.scores["instrument"] == "ucla3"]
    assert len(ucla) == 9 and set(ucla["status"]) == {"ok"}
    not_asked = result.ledger[result.ledger["problem"] == "not_administered"]
    assert not_asked[["wave", "instrument", "action"]].values.tolist() == [
        ["mid", "gad7", "not_scored_at_this_wave"]
    ]
    assert not_asked["value"].tolist() == ["no answer to any of its items in 3 row(s)"]
    short = result.ledger[result.ledger["problem"] == "insufficient_items"]
    assert short[["participant_id", "wave"]].astype(str).values.tolist() == [["b", "post"]]
    assert result.rows_scored == 9 and result.rows_excluded == 0


@pytest.mark.parametrize(
    "gad7_at",
    [
        # one person answered at 'mid' (the others left it blank): it was asked there
        {"pre": [1, 2, 3], "mid": [None, 2, None], "post": [2, 1, 0]},
        # a declared non-answer or an unknown label is an answer too
        {"pre": [1, 2, 3], "mid": [None, "maybe", None], "post": [2, 1, 0]},
        # nobody answered at any wave: nothing says which waves asked it
        {"pre": [None] * 3, "mid": [None] * 3, "post": [None] * 3},
        # one wave only
        {"pre": [None, None, None]},
    ],
)
def test_a_wave_with_any_answer_keeps_its_rows_of_too_few_answers(
    gad7_at: dict[str, list[object]],
) -> None:
    result = so.score(_long(gad7_at), ["ucla3", "gad7"], wave_col="wave")
    gad7 = result.scores[result.scores["instrument"] == "gad7"]
    assert len(gad7) == 3 * len(gad7_at)
    assert "not_administered" not in set(result.ledger["problem"])


def test_released_keyed_items_are_built_again_alike() -> None:
    result = so.score(_toy_rows(), [toy_instrument()])
    first = result.keyed_items
    assert result.keyed_items is first  # kept once built
    result.release_keyed_items()
    again = result.keyed_items
    assert again is not first
    pd.testing.assert_frame_equal(again, first)
