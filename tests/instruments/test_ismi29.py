"""Hand-worked scoring of the ISMI-29.

Facts (fact sheet §1, VERIFICATION.md): items coded 1–4 (strongly disagree … strongly
agree); Stigma Resistance items 7, 14, 24, 26, 27 reversed (5 − x); subscales Alienation
1,5,8,16,17,21; Stereotype Endorsement 2,6,10,18,19,23,29; Discrimination Experience
3,15,22,25,28; Social Withdrawal 4,9,11,12,13,20; all scores are means of answered items.
Project missing-data rule: at least 80% of a scale's items answered (5 of 6, 6 of 7, 4 of 5,
24 of 29, 20 of 24).
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame

import stigma_outcomes as so

SR = {7, 14, 24, 26, 27}
DE = {3, 15, 22, 25, 28}


def _row(other: object, sr: object, blanks: set[int] = frozenset(), **fixed: object) -> list:
    values = []
    for item in range(1, 30):
        if item in blanks:
            values.append(None)
        elif f"i{item}" in fixed:
            values.append(fixed[f"i{item}"])
        else:
            values.append(sr if item in SR else other)
    return values


def test_hand_worked_ismi29() -> None:
    df = responses_frame(
        "ismi29",
        {
            # Non-SR items all 'Agree' (3); SR items 'Strongly agree' (4) → keyed 5 − 4 = 1.
            "P1": _row("Agree", "Strongly agree"),
            # Items 1 (alienation) and 7 (SR) blank; others 'Disagree' (2); SR items
            # 'strongly disagree' (1) → keyed 4.
            "P2": _row("Disagree", "strongly disagree", blanks={1, 7}),
            # All 'Strongly agree' (4); SR 'Disagree' (2) → keyed 3; DE items 22 and 25 blank;
            # item 2 answered 5, which is not a code → missing.
            "P3": _row(4, 2, blanks={22, 25}, i2=5),
        },
    )
    result = so.score(df, ["ismi29"])
    t = result.scores.set_index(["participant_id", "scale"])

    # P1: every subscale but SR is 3; SR = 1; total = (24 × 3 + 5 × 1) / 29 = 77 / 29.
    for scale in (
        "alienation",
        "stereotype_endorsement",
        "discrimination_experience",
        "social_withdrawal",
        "total_without_sr",
    ):
        assert t.loc[("P1", scale), "score"] == 3
    assert t.loc[("P1", "stigma_resistance"), "score"] == 1
    assert t.loc[("P1", "total"), "score"] == pytest.approx(77 / 29)

    # P2: alienation has 5 of 6 answered (needs 5) → 2; SR 4 of 5 (needs 4) → 4;
    # total = (23 × 2 + 4 × 4) / 27 = 62 / 27; without SR: 23 of 24 answered → 2.
    assert t.loc[("P2", "alienation"), "score"] == 2
    assert t.loc[("P2", "alienation"), "n_answered"] == 5
    assert t.loc[("P2", "stigma_resistance"), "score"] == 4
    assert t.loc[("P2", "total"), "score"] == pytest.approx(62 / 27)
    assert t.loc[("P2", "total_without_sr"), "score"] == 2

    # P3: discrimination experience has 3 of 5 answered (needs 4) → no score;
    # stereotype endorsement loses item 2 (out of range) → 6 of 7 → 4;
    # total: 26 answered = 21 × 4 + 5 × 3 = 99 → 99 / 26; without SR: 21 of 24 → 4.
    assert t.loc[("P3", "discrimination_experience"), "status"] == "insufficient_items"
    assert math.isnan(t.loc[("P3", "discrimination_experience"), "score"])
    assert t.loc[("P3", "stereotype_endorsement"), "score"] == 4
    assert t.loc[("P3", "stigma_resistance"), "score"] == 3
    assert t.loc[("P3", "total"), "score"] == pytest.approx(99 / 26)
    assert t.loc[("P3", "total"), "n_answered"] == 26
    assert t.loc[("P3", "total_without_sr"), "score"] == 4

    problems = result.ledger[["participant_id", "problem"]].value_counts().to_dict()
    assert problems == {("P3", "out_of_range"): 1, ("P3", "insufficient_items"): 1}


def test_ismi29_total_without_sr_cutoff_counts_the_midpoint_as_elevated(ismi29) -> None:
    # West et al. (2011): "1.5 or higher" on 0–3 coding, i.e. >= 2.5 on the 1–4 coding.
    cutoff = ismi29.scale("total_without_sr").clinical_cutoff
    assert (cutoff.value, cutoff.operator) == (2.5, ">=")
    assert ismi29.scale("total").items == [str(i) for i in range(1, 30)]
    assert set(ismi29.scale("stigma_resistance").items) == {str(i) for i in SR}
    assert set(ismi29.scale("discrimination_experience").items) == {str(i) for i in DE}
    assert {i.id for i in ismi29.items if i.reverse} == {str(i) for i in SR}
