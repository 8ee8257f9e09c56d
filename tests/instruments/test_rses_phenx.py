"""Hand-worked scoring of the Rosenberg Self-Esteem Scale, Form B (PhenX order).

Facts (support sheet §3): 0 strongly disagree … 3 strongly agree; Form B reverses items
3, 5, 8, 9, 10 (3 − x); sum 0–30. The same answers scored with the Form A key give a
different total, which is why the two orders are separate definitions.
"""

from __future__ import annotations

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

REVERSED_B = {3, 5, 8, 9, 10}
REVERSED_A = {2, 5, 6, 8, 9}


def test_hand_worked_rses_phenx() -> None:
    form_b_best = [0 if n in REVERSED_B else 3 for n in range(1, 11)]
    form_a_best = [0 if n in REVERSED_A else 3 for n in range(1, 11)]
    df = responses_frame(
        "rses_phenx",
        {
            # positive items (1, 2, 4, 6, 7) strongly agree, negative ones strongly
            # disagree → 5 × 3 + 5 × 3 = 30
            "A": form_b_best,
            # a Form A respondent's best pattern read with the Form B key:
            # forward items 1, 2, 4, 6, 7 carry 3, 0, 3, 0, 3 = 9;
            # reversed items 3, 5, 8, 9, 10 carry 3, 0, 0, 0, 3 → 0, 3, 3, 3, 0 = 9 → 18
            "B": form_a_best,
            # item 10 skipped, the rest 'Disagree' = 1: forward 5 × 1 = 5;
            # reversed 3, 5, 8, 9 → 4 × 2 = 8 → 13 over 9 items → 13/9 × 10
            "C": [*["Disagree"] * 9, None],
        },
    )
    result = so.score(df, ["rses_phenx"])
    scores = scale_scores(result, "total")
    assert scores["A"] == 30
    assert scores["B"] == 18
    assert scores["C"] == pytest.approx(13 / 9 * 10)
    # the Form A definition gives the Form A pattern the top score: the keys differ
    form_a = so.score(responses_frame("rses", {"B": form_a_best}), ["rses"]).scores["score"].iloc[0]
    assert form_a == 30
