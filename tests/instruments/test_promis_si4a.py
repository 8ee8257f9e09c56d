"""Hand-worked scoring of PROMIS Social Isolation 4a, and a re-derivation of its T-score table.

Facts (fact sheet §5): items UCLA11x2, UCLA13x3, UCLA14x2, UCLA18x2 coded 1 never … 5 always,
none reversed; raw sum 4–20 converted to a T-score with its SE; complete forms only.
The table is COMPUTED (Lord–Wingersky summed-score EAP from the published item parameters),
so the other tests recompute it here and compare with an R computation of the same method
(tests/golden/promis_si/promis_si4a_eap.R) and with every row of the definition.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import responses_frame

import stigma_outcomes as so
from stigma_outcomes.instruments import load_instrument

GOLDEN = Path(__file__).parents[1] / "golden" / "promis_si" / "promis_si4a_eap.json"

# Graded-response parameters (a; b1–b4) as listed in the fact sheet §5b.
ITEM_PARAMETERS = {
    "UCLA11x2": (3.86945, [-0.6775, 0.2171, 1.1507, 1.9481]),
    "UCLA13x3": (3.15724, [-0.8517, 0.0587, 1.1001, 1.8146]),
    "UCLA14x2": (4.2454, [-0.473, 0.2612, 1.1182, 1.6763]),
    "UCLA18x2": (3.98622, [-0.6642, 0.1747, 1.1369, 1.7946]),
}


def test_hand_worked_promis_si4a() -> None:
    df = responses_frame(
        "promis_si4a",
        {
            # all 'Never' → raw 4 → T 34.8 (SE 5.1), the floor of the table
            "A": ["Never"] * 4,
            # 2 + 3 + 2 + 3 = 10 → T 51.8 (SE 2.6)
            "B": [2, 3, 2, 3],
            # all 'always ' → raw 20 → T 74.2 (SE 4.2), the ceiling
            "C": ["always "] * 4,
            # one item skipped: the summed-score table needs a complete form → no score
            "D": [3, 3, None, 3],
            # labels in mixed case: usually 4 + sometimes 3 + rarely 2 + never 1 = 10 → T 51.8
            "E": ["USUALLY", "Sometimes ", "rarely", "Never"],
        },
    )
    result = so.score(df, ["promis_si4a"])
    table = result.scores.set_index("participant_id")
    assert table.loc["A", "raw_score"] == 4
    assert table.loc["A", "score"] == pytest.approx(34.8)
    assert table.loc["A", "score_se"] == pytest.approx(5.1)
    assert table.loc["B", "raw_score"] == 10
    assert table.loc["B", "score"] == pytest.approx(51.8)
    assert table.loc["B", "score_se"] == pytest.approx(2.6)
    assert table.loc["C", "score"] == pytest.approx(74.2)
    assert table.loc["C", "score_se"] == pytest.approx(4.2)
    assert math.isnan(table.loc["D", "score"])
    assert table.loc["D", "status"] == "insufficient_items"
    assert table.loc["E", "score"] == pytest.approx(51.8)


def _summed_score_eap() -> tuple[np.ndarray, np.ndarray]:
    """T and SE per summed score by Lord–Wingersky recursion over a θ grid."""
    theta = np.linspace(-4.5, 4.5, 81)
    likelihood = np.ones((1, theta.size))  # row s = P(summed score s | θ), from 0
    for a, thresholds in ITEM_PARAMETERS.values():
        above = 1.0 / (1.0 + np.exp(-a * (theta[None, :] - np.asarray(thresholds)[:, None])))
        bounds = np.vstack([np.ones(theta.size), above, np.zeros(theta.size)])
        category = bounds[:-1] - bounds[1:]  # five response categories × grid
        grown = np.zeros((likelihood.shape[0] + 4, theta.size))
        for k in range(5):
            grown[k : k + likelihood.shape[0]] += likelihood * category[k]
        likelihood = grown
    posterior = likelihood * np.exp(-(theta**2) / 2)
    posterior /= posterior.sum(axis=1, keepdims=True)
    mean = posterior @ theta
    sd = np.sqrt(posterior @ theta**2 - mean**2)
    return 50 + 10 * mean, 10 * sd


def test_conversion_table_matches_recomputation_from_item_parameters() -> None:
    t_scores, ses = _summed_score_eap()
    table = load_instrument("promis_si4a").scale("total").conversion.table
    assert [row.raw for row in table] == list(range(4, 21))
    for row in table:
        # the definition stores one decimal: a difference of up to half a unit is rounding
        assert abs(row.score - t_scores[row.raw - 4]) <= 0.05 + 1e-9, row.raw
        assert abs(row.se - ses[row.raw - 4]) <= 0.05 + 1e-9, row.raw


def test_recomputation_agrees_with_r() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    t_scores, ses = _summed_score_eap()
    assert golden["raw"] == list(range(4, 21))
    np.testing.assert_allclose(t_scores, golden["t_score"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(ses, golden["se"], rtol=0, atol=1e-8)


def test_definition_table_is_the_r_table_rounded_to_one_decimal() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    table = load_instrument("promis_si4a").scale("total").conversion.table
    for row, t_score, se in zip(table, golden["t_score"], golden["se"], strict=True):
        assert row.score == round(t_score, 1), row.raw
        assert row.se == round(se, 1), row.raw
