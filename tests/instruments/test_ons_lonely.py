"""Hand-worked scoring of the ONS direct loneliness question (1 never … 5 often or always)."""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_ons_lonely() -> None:
    df = responses_frame(
        "ons_lonely",
        {
            "never": ["Never"],
            "always": ["Often/always"],
            "sometimes": ["Some of the time"],
            "coded": [2],
            "skipped": [None],
        },
    )
    scores = scale_scores(so.score(df, ["ons_lonely"]), "total")
    assert (scores["never"], scores["always"], scores["sometimes"], scores["coded"]) == (1, 5, 4, 2)
    assert math.isnan(scores["skipped"])
    assert so.load_instrument("ons_lonely").scale("total").direction == "higher_is_worse"
