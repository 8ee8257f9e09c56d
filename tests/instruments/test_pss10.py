"""Hand-worked scoring of the PSS-10.

Facts (pss10.yaml provenance): ten items coded 0 never … 4 very often; items 4, 5, 7 and 8
reverse-scored (4 − x); score = sum 0–40, higher = more perceived stress; every item
required (no published missing-data rule); convention bands 0–13 / 14–26 / 27–40.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    low, high = "Never", "Very often"
    df = responses_frame(
        "pss10",
        {
            # Least stress: 'never' on the six stress items, 'very often' on the four positive
            # ones (4 → keyed 0) → 0.
            "low": [low, low, low, high, high, low, high, high, low, low],
            # Most stress: the mirror image → 6 × 4 + 4 × (4 − 0) = 40.
            "high": [high, high, high, low, low, high, low, low, high, high],
            # Mixed, codes and labels: 2, 3, 1, (3→1), (0→4), 2, (1→3), (2→2), 0, 4
            # → 2 + 3 + 1 + 1 + 4 + 2 + 3 + 2 + 0 + 4 = 22 (moderate).
            "mixed": [2, "Fairly often", 1, 3, "never", 2, 1, "Sometimes", 0, 4],
            # Everyone 'sometimes' (2): reversal leaves 2 → 20, whatever the keys.
            "all_middle": ["Sometimes"] * 10,
            # One item unanswered → no score (all ten are required).
            "one_missing": [1, 1, 1, 1, 1, None, 1, 1, 1, 1],
        },
    )
    return so.score(df, ["pss10"])


def test_hand_worked_totals(result: so.ScoreResult) -> None:
    scores = scale_scores(result, "total")
    assert scores["low"] == 0
    assert scores["high"] == 40
    assert scores["mixed"] == 22
    assert scores["all_middle"] == 20
    assert math.isnan(scores["one_missing"])
    status = result.scores.set_index("participant_id")["status"]
    assert status["one_missing"] == "insufficient_items"


def test_convention_bands() -> None:
    total = so.load_instrument("pss10").scale("total")
    assert total.bands is not None and total.bands.status == "convention"
    assert [(b.min, b.max) for b in total.bands.levels] == [(0, 13), (14, 26), (27, 40)]


def test_only_items_4_5_7_8_are_reversed() -> None:
    pss10 = so.load_instrument("pss10")
    assert [i.id for i in pss10.items if i.reverse] == ["4", "5", "7", "8"]
