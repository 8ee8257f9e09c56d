"""Hand-worked scoring of the SWLS.

Facts (swls.yaml provenance): five items coded 1 strongly disagree … 7 strongly agree, none
reversed; score = sum 5–35, higher = more satisfied; all five items required; convention
bands with 20 = neutral.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    df = responses_frame(
        "swls",
        {
            "low": ["Strongly disagree"] * 5,
            "high": ["Strongly agree"] * 5,
            # 6 + 5 + 'neither' 4 + 2 + 'slightly disagree' 3 = 20 → neutral.
            "mixed": [6, "Slightly agree", "Neither agree nor disagree", 2, "slightly disagree"],
            "one_missing": [7, 7, 7, None, 7],
        },
    )
    return so.score(df, ["swls"])


def test_hand_worked_totals(result: so.ScoreResult) -> None:
    scores = scale_scores(result, "total")
    assert scores["low"] == 5
    assert scores["high"] == 35
    assert scores["mixed"] == 20
    assert math.isnan(scores["one_missing"])


def test_neutral_band_is_the_single_score_20() -> None:
    bands = so.load_instrument("swls").scale("total").bands
    assert bands is not None and bands.status == "convention"
    neutral = [b for b in bands.levels if b.label == "neutral"]
    assert [(b.min, b.max) for b in neutral] == [(20, 20)]


def test_no_item_is_reversed() -> None:
    assert not any(item.reverse for item in so.load_instrument("swls").items)
