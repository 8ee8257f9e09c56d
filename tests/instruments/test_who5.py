"""Hand-worked scoring of the WHO-5 (5 items 0–5, raw sum 0–25, percentage = raw × 4)."""

from __future__ import annotations

import math

from tests.conftest import responses_frame

import stigma_outcomes as so


def test_hand_worked_who5() -> None:
    df = responses_frame(
        "who5",
        {
            "min": ["At no time"] * 5,
            "max": ["All of the time"] * 5,
            # 3 + 2 + 2 + 1 + 4 = 12 → 48%, below the raw 13 cut-off.
            "mixed": [
                "More than half the time",
                "Less than half of the time",
                2,
                "Some of the time",
                "Most of the time",
            ],
            "missing": [5, 5, 5, 5, None],
        },
    )
    t = so.score(df, ["who5"]).scores.set_index(["participant_id", "scale"])["score"]
    assert (t["min", "total"], t["min", "percent"]) == (0, 0)
    assert (t["max", "total"], t["max", "percent"]) == (25, 100)
    assert (t["mixed", "total"], t["mixed", "percent"]) == (12, 48)
    assert math.isnan(t["missing", "total"]) and math.isnan(t["missing", "percent"])
    cutoff = so.load_instrument("who5").scale("total").clinical_cutoff
    assert (cutoff.operator, cutoff.value) == ("<", 13)
