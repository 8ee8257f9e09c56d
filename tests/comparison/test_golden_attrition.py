"""Attrition (completers vs dropouts at baseline) against R (tests/golden/attrition/reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.comparison.golden import mismatches

from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden"
EXPECTED = json.loads((GOLDEN / "attrition" / "expected.json").read_text())["records"]
FIELDS = [
    "n_completers", "n_dropouts", "mean_completers", "mean_dropouts", "t", "df", "p",
    "mean_difference_ci_low", "mean_difference_ci_high", "hedges_g", "hedges_g_ci_low",
    "hedges_g_ci_high",
]  # fmt: skip


@pytest.fixture(scope="module")
def results():
    paired = GOLDEN / "paired"
    return compare(
        paired / "scores.csv", "pre", "post", followup=["fu"], group_by="site",
        scale_info=paired / "scale_info.yaml",
    )  # fmt: skip


def _index(records):
    return {(r["wave"], r["scale"], r["group"]): r for r in records}


@pytest.mark.parametrize("key", sorted(_index(EXPECTED), key=str), ids=str)
def test_fields_match_r(results, key):
    ours = _index(results.attrition)[key]
    theirs = _index(EXPECTED)[key]
    wrong = mismatches(ours, theirs, FIELDS)
    assert not wrong, wrong
    assert ours["from_wave"] == "pre"
    assert ours["n_baseline"] == ours["n_completers"] + ours["n_dropouts"]


def test_small_site_has_undefined_test_with_a_reason(results):
    site_c = [r for r in results.attrition if r["group"] == "C"]
    assert len(site_c) == 6
    for rec in site_c:
        if min(rec["n_completers"], rec["n_dropouts"]) < 2:
            assert rec["t"] is None and rec["note"]
        # A small side, or a small site with nobody on the other side (issue 18).
        sides = (rec["n_completers"], rec["n_dropouts"])
        assert rec["suppress"] == (any(0 < n < 5 for n in sides) or sum(sides) < 5)


def test_counts_per_wave_in_meta(results):
    counts = {(c["scale"], c["group"], c["wave"]): c["n"] for c in results.meta["wave_counts"]}
    attr = _index(results.attrition)
    assert counts[("ints", None, "post")] == attr[("post", "ints", None)]["n_at_wave"]
    assert counts[("ints", None, "pre")] == attr[("post", "ints", None)]["n_baseline"]
