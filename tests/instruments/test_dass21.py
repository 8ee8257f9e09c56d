"""Hand-worked scoring of the DASS-21.

Facts (dass21.yaml provenance): items coded 0–3, none reversed; depression = items 3, 5, 10,
13, 16, 17, 21, anxiety = 2, 4, 7, 9, 15, 19, 20, stress = 1, 6, 8, 11, 12, 14, 18; each
scale = sum of its seven items × 2 (0–42, the DASS-42 metric); all seven items required;
Lovibond (1995) severity labels on the doubled score.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

DEPRESSION = [3, 5, 10, 13, 16, 17, 21]
ANXIETY = [2, 4, 7, 9, 15, 19, 20]
STRESS = [1, 6, 8, 11, 12, 14, 18]


def _row(values: dict[int, object], default: object = 0) -> list[object]:
    return [values.get(item, default) for item in range(1, 22)]


@pytest.fixture(scope="module")
def result() -> so.ScoreResult:
    df = responses_frame(
        "dass21",
        {
            "low": _row({}, "Did not apply to me at all"),
            "high": _row({}, "Applied to me very much or most of the time"),
            # Depression items 3 on four, 1 on three → raw 4×3 + 3×1 = 15 → 30 (severe);
            # anxiety all 'sometimes' (1) → 7 → 14 (moderate); stress: items 1 and 6 at 2,
            # the rest 0 → 4 → 8 (normal). Labels and codes mixed.
            "mixed": _row(
                {3: 3, 5: 3, 13: 3, 16: 1, 17: 1, 4: 1, 7: 1, 9: 1, 15: 1, 19: 1, 20: 1, 1: 2}
                | {10: "Applied to me very much, or most of the time", 2: "Sometimes"}
                | {21: "Applied to me to some degree, or some of the time", 6: "Often"}
            ),
            # One anxiety item unanswered: anxiety has no score, the other two still score.
            "one_missing": _row({15: None}, 1),
        },
    )
    return so.score(df, ["dass21"])


def test_hand_worked_scale_scores(result: so.ScoreResult) -> None:
    dep, anx, stress = (scale_scores(result, s) for s in ("depression", "anxiety", "stress"))
    assert (dep["low"], anx["low"], stress["low"]) == (0, 0, 0)
    assert (dep["high"], anx["high"], stress["high"]) == (42, 42, 42)
    assert (dep["mixed"], anx["mixed"], stress["mixed"]) == (30, 14, 8)
    assert math.isnan(anx["one_missing"])
    assert dep["one_missing"] == 14 and stress["one_missing"] == 14


def test_severity_labels_on_the_doubled_score() -> None:
    dass = so.load_instrument("dass21")
    depression = dass.scale("depression").bands
    assert depression is not None
    assert [(b.label, b.min, b.max) for b in depression.levels][2] == ("moderate", 14, 20)
    stress = dass.scale("stress").bands
    assert stress is not None and stress.levels[0].max == 14


def test_each_item_belongs_to_one_scale_and_none_is_reversed() -> None:
    dass = so.load_instrument("dass21")
    members = [dass.scale(s).items for s in ("depression", "anxiety", "stress")]
    assert members == [[str(i) for i in group] for group in (DEPRESSION, ANXIETY, STRESS)]
    assert sorted(int(i) for group in members for i in group) == list(range(1, 22))
    assert not any(item.reverse for item in dass.items)
