"""Hand-worked scoring of the Social Connectedness Scale (8 items).

Facts (scs8.yaml provenance): 8 negatively worded items on 1 strongly disagree … 6 strongly
agree, all reverse-scored (7 − x); total = sum 8–48, higher = more connected; all 8 required.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_scs8() -> None:
    df = responses_frame(
        "scs8",
        {
            # Agreeing strongly with every statement of disconnection → 8 × 1 = 8.
            "least": ["Strongly agree"] * 8,
            # Disagreeing strongly with all → 8 × 6 = 48.
            "most": ["strongly disagree"] * 8,
            # codes 2, 3, 4, 5 twice → keyed 5, 4, 3, 2 twice → 28.
            "mixed": [2, 3, 4, 5, "Second point", "Third point", 4, 5],
            # One item skipped → no score.
            "missing": [None, *[1] * 7],
        },
    )
    scores = scale_scores(so.score(df, ["scs8"]), "total")
    assert (scores["least"], scores["most"], scores["mixed"]) == (8, 48, 28)
    assert math.isnan(scores["missing"])
    assert all(item.reverse for item in so.load_instrument("scs8").items)
