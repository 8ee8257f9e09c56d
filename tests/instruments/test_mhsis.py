"""Hand-worked scoring of the MHSIS (3 items scored 1–7, none reversed, mean, all required)."""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_mhsis() -> None:
    df = responses_frame(
        "mhsis",
        {
            "min": ["Lowest point", 1, 1],
            "max": [7, "Highest point", 7],
            "mixed": [2, "Middle point", 7],  # (2 + 4 + 7) / 3 = 13 / 3
            "missing": [7, None, 7],  # the authors allow no missing item
            "off_scale": [8, 7, 7],  # 8 is not a code → missing → no score
        },
    )
    scores = scale_scores(so.score(df, ["mhsis"]), "total")
    assert scores["min"] == 1 and scores["max"] == 7
    assert scores["mixed"] == pytest.approx(13 / 3)
    assert math.isnan(scores["missing"]) and math.isnan(scores["off_scale"])
    assert not any(item.reverse for item in so.load_instrument("mhsis").items)
