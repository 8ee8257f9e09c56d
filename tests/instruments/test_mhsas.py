"""Hand-worked scoring of the MHSAS.

Facts (mhsas.yaml provenance): 9 items scored 1 (left pole) … 7 (right pole); items 2, 5, 6,
8, 9 reversed (8 − x); score = mean 1–7, higher = more favourable; at least 8 of 9 answered.
"""

from __future__ import annotations

import math

import pytest
from tests.conftest import responses_frame, scale_scores

import stigma_outcomes as so

REVERSED = {2, 5, 6, 8, 9}


def _row(plain: object, reversed_: object, blanks: set[int] = frozenset()) -> list[object]:
    return [None if i in blanks else (reversed_ if i in REVERSED else plain) for i in range(1, 10)]


def test_hand_worked_mhsas() -> None:
    df = responses_frame(
        "mhsas",
        {
            # Least favourable: left pole on the four plain items, right pole on the five
            # reversed items (7 → 1) → mean 1.
            "min": _row("Left pole", 7),
            # Most favourable → 7.
            "max": _row(7, "Left pole"),
            # Plain items 6, reversed items 3 (→ 5): (4 × 6 + 5 × 5) / 9 = 49 / 9.
            "mixed": _row("Second from right", 3),
            # Item 1 blank: 8 of 9 answered; all 'undecided' → 4.
            "one_missing": _row(4, "Undecided", blanks={1}),
            # Two blanks → 7 of 9, below the authors' 8 → no score.
            "two_missing": _row(5, 2, blanks={1, 2}),
        },
    )
    scores = scale_scores(so.score(df, ["mhsas"]), "total")
    assert scores["min"] == 1 and scores["max"] == 7
    assert scores["mixed"] == pytest.approx(49 / 9)
    assert scores["one_missing"] == 4
    assert math.isnan(scores["two_missing"])


def test_reverse_keys() -> None:
    mhsas = so.load_instrument("mhsas")
    assert {int(i.id) for i in mhsas.items if i.reverse} == REVERSED
