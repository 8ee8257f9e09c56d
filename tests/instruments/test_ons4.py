"""Hand-worked scoring of the ONS4: four single questions on 0–10, each its own score."""

from __future__ import annotations

import math

from tests.conftest import responses_frame

import stigma_outcomes as so


def test_hand_worked_ons4() -> None:
    df = responses_frame(
        "ons4",
        {
            "low": ["Not at all", 0, 0, "Completely"],
            "high": ["Completely", 10, "completely", "Not at all"],
            "mixed": [7, "Point eight", 6, 3],
            "missing": [None, 9, 9, None],
        },
    )
    t = so.score(df, ["ons4"]).scores.set_index(["participant_id", "scale"])["score"]
    assert [t["low", s] for s in ("life_satisfaction", "worthwhile", "happiness", "anxiety")] == [
        0, 0, 0, 10,
    ]  # fmt: skip
    assert [t["high", s] for s in ("life_satisfaction", "worthwhile", "happiness", "anxiety")] == [
        10, 10, 10, 0,
    ]  # fmt: skip
    assert (t["mixed", "worthwhile"], t["mixed", "anxiety"]) == (8, 3)
    # A skipped question leaves only its own score empty.
    assert math.isnan(t["missing", "life_satisfaction"]) and math.isnan(t["missing", "anxiety"])
    assert t["missing", "happiness"] == 9


def test_anxiety_is_not_reversed_but_higher_is_worse() -> None:
    ons4 = so.load_instrument("ons4")
    assert not any(item.reverse for item in ons4.items)
    assert ons4.scale("anxiety").direction == "higher_is_worse"
    assert ons4.scale("happiness").direction == "higher_is_better"
