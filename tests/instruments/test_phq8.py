"""Hand-worked scoring of the PHQ-8 (PHQ-9 items 1–8, codes 0–3, sum 0–24, all required).

Bands as the PHQ-9's (0–4 / 5–9 / 10–14 / 15–19 / 20–24); cut-off >= 10; no self-harm item,
so no alert.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame

import stigma_outcomes as so


def test_hand_worked_phq8() -> None:
    df = responses_frame(
        "phq8",
        {
            "min": ["Not at all"] * 8,
            "max": ["Nearly every day"] * 8,
            # 2+2+1+1+1+1+1+1 = 10 → moderate, at the cut-off.
            "mixed": ["More than half the days", 2, *["Several days"] * 6],
            "missing": [3, 3, 3, 3, 3, 3, 3, None],
        },
    )
    result = so.score(df, ["phq8"])
    s = result.scores.set_index("participant_id")
    assert s.loc["min", "score"] == 0 and s.loc["min", "band"] == "none or minimal"
    assert s.loc["max", "score"] == 24 and s.loc["max", "band"] == "severe"
    assert s.loc["mixed", "score"] == 10 and s.loc["mixed", "band"] == "moderate"
    assert math.isnan(s.loc["missing", "score"])
    assert result.alerts.empty
    cutoff = so.load_instrument("phq8").scale("total").clinical_cutoff
    assert (cutoff.operator, cutoff.value) == (">=", 10)
