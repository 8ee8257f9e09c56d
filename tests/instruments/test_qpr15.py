"""Hand-worked scoring of the QPR-15.

Facts (qpr15.yaml provenance): 15 items coded 0 disagree strongly … 4 agree strongly, none
reversed, total = sum 0–60 (higher = more recovery); the project requires all 15 items.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_qpr15() -> None:
    df = responses_frame(
        "qpr15",
        {
            "min": ["Disagree strongly"] * 15,
            "max": ["agree strongly"] * 15,
            # Mixed labels, synonyms and codes: 5 × 3 + 5 × 2 + 4 × 1 + 1 × 4 = 33.
            "mixed": [
                *["Agree"] * 5,
                *["Neither agree nor disagree"] * 5,
                *[1] * 4,
                "Strongly agree",
            ],
            # One item skipped → no score (no published rule; all 15 required).
            "missing": [None, *[4] * 14],
            # An answer off the scale (5) counts as missing → no score.
            "off_scale": [5, *[2] * 14],
        },
    )
    result = so.score(df, ["qpr15"])
    scores = scale_scores(result, "total")
    assert (scores["min"], scores["max"], scores["mixed"]) == (0, 60, 33)
    assert math.isnan(scores["missing"]) and math.isnan(scores["off_scale"])
    problems = set(result.ledger["problem"])
    assert {"insufficient_items", "out_of_range"} <= problems


def test_no_item_is_reversed_and_higher_is_better() -> None:
    qpr = so.load_instrument("qpr15")
    assert not any(item.reverse for item in qpr.items)
    assert qpr.scale("total").direction == "higher_is_better"
