"""Hand-worked scoring of the GAD-2 (GAD-7 items 1–2, codes 0–3, sum 0–6, positive at >= 3)."""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_gad2() -> None:
    df = responses_frame(
        "gad2",
        {
            "min": [0, "Not at all"],
            "max": ["nearly every day", "Nearly every day"],
            "mixed": ["Over half the days", "Not at all"],  # 2 + 0 = 2
            "missing": [2, None],  # both items required
        },
    )
    scores = scale_scores(so.score(df, ["gad2"]), "total")
    assert (scores["min"], scores["max"], scores["mixed"]) == (0, 6, 2)
    assert math.isnan(scores["missing"])
    cutoff = so.load_instrument("gad2").scale("total").clinical_cutoff
    assert (cutoff.operator, cutoff.value) == (">=", 3)
