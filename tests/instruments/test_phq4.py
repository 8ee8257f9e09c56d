"""Hand-worked scoring of the PHQ-4 (items 1–2 GAD-2, items 3–4 PHQ-2; codes 0–3; sums).

Bands on the 0–12 total: none 0–2, mild 3–5, moderate 6–8, severe 9–12; each two-item
subscale screens positive at 3 or more. All four items are required for the total.
"""

from __future__ import annotations

import math

from tests.conftest import responses_frame

import stigma_outcomes as so


def test_hand_worked_phq4() -> None:
    df = responses_frame(
        "phq4",
        {
            "min": ["Not at all"] * 4,
            "max": ["Nearly every day"] * 4,
            # anxiety 2 + 1 = 3 (positive), depression 0 + 2 = 2 (negative), total 5 → mild.
            "mixed": ["More than half the days", "several days", 0, "over half the days"],
            # item 4 missing: total and depression unscored, anxiety 1 + 1 = 2.
            "missing": [1, 1, 3, None],
        },
    )
    result = so.score(df, ["phq4"])
    t = result.scores.set_index(["participant_id", "scale"])
    assert t.loc[("min", "total"), "score"] == 0 and t.loc[("min", "total"), "band"] == "none"
    assert t.loc[("max", "total"), "score"] == 12 and t.loc[("max", "total"), "band"] == "severe"
    assert t.loc[("mixed", "total"), "score"] == 5 and t.loc[("mixed", "total"), "band"] == "mild"
    assert t.loc[("mixed", "anxiety"), "score"] == 3
    assert t.loc[("mixed", "depression"), "score"] == 2
    assert math.isnan(t.loc[("missing", "total"), "score"])
    assert math.isnan(t.loc[("missing", "depression"), "score"])
    assert t.loc[("missing", "anxiety"), "score"] == 2


def test_subscale_screens_are_three_or_more() -> None:
    phq4 = so.load_instrument("phq4")
    for scale_id in ("anxiety", "depression"):
        cutoff = phq4.scale(scale_id).clinical_cutoff
        assert (cutoff.operator, cutoff.value) == (">=", 3)
    assert [b.min for b in phq4.scale("total").bands.levels] == [0, 3, 6, 9]
