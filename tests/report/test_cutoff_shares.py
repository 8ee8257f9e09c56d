"""Shares beyond an instrument's line: the definition's rule, counted by group, audited."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.report.content import record_key
from stigma_outcomes.report.cutoff_shares import (
    CutoffRule,
    cutoff_rule,
    register_cutoff_shares,
    share_cell,
    share_table,
)
from stigma_outcomes.report.privacy import Disclosure

from .plain_scores import score_tables, shares_by_pivot


def test_rules_come_from_the_definitions_with_their_operator_and_status() -> None:
    lonely = cutoff_rule("ucla3", "total")
    assert lonely is not None
    assert (lonely.label, lonely.words, lonely.status) == ("lonely", "6 or higher", "convention")
    # ISMI-29's line is on the 24-item score; it is named, and its single source said.
    ismi = cutoff_rule("ismi29", "total")
    assert ismi is not None and ismi.scale == "total_without_sr"
    assert ismi.words == "2.5 or higher" and ismi.status == "single_source"
    assert "without Stigma Resistance" in ismi.scale_name
    # Bands only: the worst band (low resilience on a higher-is-better scale).
    brs = cutoff_rule("brs", "total")
    assert brs is not None and (brs.label, brs.words) == ("low resilience", "1–2.99")
    assert cutoff_rule("gbs", "total") is None


@pytest.mark.parametrize(
    ("operator", "words", "beyond"),
    [
        (">=", "6 or higher", [False, True, True]),
        (">", "above 6", [False, False, True]),
        ("<=", "6 or lower", [True, True, False]),
        ("<", "below 6", [True, False, False]),
    ],
)
def test_operator_is_worded_and_applied_exactly(
    operator: str, words: str, beyond: list[bool]
) -> None:
    rule = CutoffRule("x", "total", "beyond", operator, 6.0)
    assert rule.words == words
    assert rule.beyond(np.array([5.0, 6.0, 7.0])).tolist() == beyond
    assert not rule.beyond(np.array([np.nan])).any()


def _scores(pre: dict[str, list[float]], post: dict[str, list[float]]) -> pd.DataFrame:
    rows = []
    for wave, by_arm in (("pre", pre), ("post", post)):
        for arm, values in by_arm.items():
            for i, v in enumerate(values):
                rows.append(
                    {
                        "participant_id": f"{arm}-{i}",
                        "wave": wave,
                        "arm": arm,
                        "instrument": "ucla3",
                        "scale": "total",
                        "score": v,
                        "status": "ok",
                    }
                )
    return pd.DataFrame(rows)


def _data(ns: dict[str, int]) -> dict[str, Any]:
    paired = [
        {"instrument": "ucla3", "scale": "total", "from_wave": "pre", "to_wave": "post",
         "group": g, "n_pairs": n}
        for g, n in ns.items()
    ]  # fmt: skip
    return {
        "meta": {"settings": {"group_col": "arm"}},
        "paired": paired,
        "ancova": [{"group": "P", "reference_group": "C"}],
    }


def _register(data: dict[str, Any], scores: pd.DataFrame, d: Disclosure) -> list[Any]:
    for rec in data["paired"]:
        d.count(f"{record_key('paired', rec)}|n_pairs", rec["n_pairs"])
    return register_cutoff_shares(data, scores, [("ucla3", "total")], [("pre", "post")], d)


def test_shares_are_counted_by_arm_on_the_pairs_and_tied_to_their_totals() -> None:
    # P: 7 of 10 lonely before, 4 after; C: 6 of 8 before, 7 after. One P person has no
    # post score, so is not among the pairs. Threshold 3: counts of 1 or 2 are small.
    scores = _scores(
        {"P": [6, 7, 8, 9, 6, 7, 8, 3, 4, 5, 9], "C": [6, 6, 7, 7, 8, 9, 4, 5]},
        {"P": [6, 7, 3, 4, 5, 9, 8, 3, 4, 5], "C": [6, 6, 7, 7, 8, 9, 7, 5]},
    )
    d = Disclosure(3)
    rows = _register(_data({"P": 10, "C": 8}), scores, d)
    d.resolve()
    by = {r.group: r for r in rows}
    assert by["P"].values == {"n": 10, "pre": 7, "post": 4}
    assert by["C"].values == {"n": 8, "pre": 6, "post": 7}
    assert by["P"].total_key == "paired|ucla3|total|pre|post|g:P|n_pairs"
    assert (by["P"].total_key, (by["P"].beyond_keys[0], by["P"].beyond_keys[0] + "|within")) in [
        (t, parts) for t, parts in d.relations
    ]
    # C: 2 not lonely before and 1 after are small counts, so C's shares cannot be shown.
    assert share_cell(by["P"], d) == "70% → 40% of 10 people"
    assert "%" not in share_cell(by["C"], d)


def test_a_group_smaller_than_the_threshold_is_neither_registered_nor_named() -> None:
    scores = _scores({"P": [7] * 12, "C": [7, 4, 8]}, {"P": [5] * 12, "C": [7, 4, 8]})
    d = Disclosure(5)
    rows = _register(_data({"P": 12, "C": 3}), scores, d)
    d.resolve()
    small = next(r for r in rows if r.group == "C")
    assert small.small and not any(k.startswith("cut|ucla3|total|pre|post|C") for k in d.values)
    table = share_table(rows, {"ucla3": "UCLA-3"}, d, "P")
    assert table is not None
    assert table.columns[1].startswith("P group") and table.columns[2].startswith("A small group")
    assert table.rows[0][2] == "not shown (fewer than 5 people)"
    assert table.rows[0][0].startswith("Lonely: 6 or higher on the UCLA-3 score (a convention")


def test_no_scores_no_shares() -> None:
    assert (
        register_cutoff_shares(_data({"P": 3}), None, [("ucla3", "total")], [], Disclosure()) == []
    )


@settings(max_examples=60, deadline=None)
@given(scores=score_tables(), by_group=st.booleans())
def test_shares_equal_the_pivot_reference(scores: pd.DataFrame, by_group: bool) -> None:
    """Counted from the scores' codes, the shares are those the pivot of rows gave."""
    data = {
        "meta": {"settings": {"group_by": "arm"}},
        "paired": [],
        "ancova": [{"group": "P"}] if by_group else [],
    }
    contrasts = [("pre", "post"), ("pre", "fu")]
    rows = register_cutoff_shares(data, scores, [("ucla3", "total")], contrasts, Disclosure(1))
    got = [(r.group, r.values["n"], r.values[r.waves[0]], r.values[r.waves[1]]) for r in rows]
    want = []
    for waves in contrasts:
        want += shares_by_pivot(scores, "ucla3", "total", waves, by_group) or []
    assert got == want


def test_a_small_count_among_percentages_says_people_not_percent() -> None:
    """'50% → <5 of 12 people' read as '<5%'; a small count there is 'fewer than 5'."""
    scores = _scores({"P": [7] * 6 + [3] * 6}, {"P": [7] * 3 + [3] * 9})
    d = Disclosure(5)
    (row,) = _register(_data({"P": 12}), scores, d)
    d.resolve()
    assert row.values == {"n": 12, "pre": 6, "post": 3}
    assert share_cell(row, d) == "50% → fewer than 5 of 12 people"
