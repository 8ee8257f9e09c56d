"""Hand-worked scoring of the PHQ-2 (PHQ-9 items 1–2, codes 0–3, sum 0–6, positive at >= 3)."""

from __future__ import annotations

import math

from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so


def test_hand_worked_phq2() -> None:
    df = responses_frame(
        "phq2",
        {
            "min": ["Not at all", "not at all"],
            "max": ["Nearly every day", 3],
            "mixed": ["Several days", "More than half the days"],  # 1 + 2 = 3
            "missing": [None, 3],  # both items required
        },
    )
    scores = scale_scores(so.score(df, ["phq2"]), "total")
    assert (scores["min"], scores["max"], scores["mixed"]) == (0, 6, 3)
    assert math.isnan(scores["missing"])
    cutoff = so.load_instrument("phq2").scale("total").clinical_cutoff
    assert (cutoff.operator, cutoff.value) == (">=", 3)
