"""Unlinked before/after statistics against R (tests/golden/unlinked/reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.comparison.golden import mismatches

from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden" / "unlinked"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())["records"]

FIELDS = [
    "n_before", "mean_before", "sd_before", "n_after", "mean_after", "sd_after",
    "mean_difference", "mean_difference_ci_low", "mean_difference_ci_high", "t", "df", "p_t",
    "p_t_holm", "p_t_bh",
    "hedges_g", "hedges_g_ci_low", "hedges_g_ci_high", "mann_whitney_w", "p_mann_whitney",
    "rank_biserial", "threshold", "n_beyond_before", "prop_beyond_before", "n_beyond_after",
    "prop_beyond_after", "risk_difference", "risk_difference_ci_low",
    "risk_difference_ci_high", "odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high",
]  # fmt: skip

OPTIONS = {
    "direction": {"anon.cont": "higher_is_better", "anon.likert": "higher_is_worse",
                  "anon.big": "higher_is_better"},
    "reliability": {"anon.cont": 0.8, "anon.likert": 0.8, "anon.big": 0.8},
    "clinical_threshold": {"anon.cont": 22, "anon.likert": 14, "anon.big": 21.5},
}  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return compare(
        GOLDEN / "scores.csv",
        pre="before",
        post="after",
        group_by="session",
        unlinked=True,
        **OPTIONS,
    )


def _index(records):
    return {(r["scale"], r["group"]): r for r in records}


@pytest.mark.parametrize("key", sorted(_index(EXPECTED), key=str), ids=str)
def test_fields_match_r(results, key):
    ours = _index(results.unlinked)[key]
    theirs = _index(EXPECTED)[key]
    wrong = mismatches(ours, theirs, FIELDS)
    assert not wrong, wrong
    method = "exact" if theirs["mann_whitney_exact"] else "normal"
    assert ours["mann_whitney_method"].startswith(method)
    # effectsize's own optimiser lands within 1e-6 of the exact limits
    assert ours["hedges_g_ci_low"] == pytest.approx(theirs["hedges_g_effectsize_ci_low"], abs=1e-6)
    assert ours["hedges_g_ci_high"] == pytest.approx(
        theirs["hedges_g_effectsize_ci_high"], abs=1e-6
    )


def test_unlinked_results_are_labelled_and_never_paired(results):
    assert results.paired == []
    assert results.attrition == []
    assert {r["design"] for r in results.unlinked} == {"unlinked"}
    assert results.meta["settings"]["design"] == "unlinked"
    from stigma_outcomes.comparison.results import UNLINKED_FIELDS

    assert all(set(r) == set(UNLINKED_FIELDS) for r in results.unlinked)


def test_repeated_ids_under_unlinked_are_reported_not_linked(results):
    # the anonymous exports number respondents 1..n in each wave
    assert any("NOT linked" in w for w in results.meta["warnings"])
    assert all("NOT linked" in (r["note"] or "") for r in results.unlinked)


def test_welch_tests_are_adjusted_over_the_unlinked_family(results):
    multiplicity = results.meta["multiplicity"]
    assert multiplicity["family_size"] == len(EXPECTED) == len(results.unlinked)
    assert multiplicity["family"].startswith("all Welch t tests of this unlinked analysis")
    for rec in results.unlinked:
        assert rec["p_t"] <= rec["p_t_bh"] <= rec["p_t_holm"] <= 1
