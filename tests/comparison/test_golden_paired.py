"""Paired statistics and reliable change against R (tests/golden/paired/reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.comparison.golden import close, mismatches

from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())["records"]

CLOSED_FORM = [
    "n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "mean_change",
    "mean_change_ci_low", "mean_change_ci_high", "t", "df", "p_t", "p_t_holm", "p_t_bh",
    "wilcoxon_v", "p_wilcoxon", "n_zero_differences", "rank_biserial", "d_z", "d_z_ci_low",
    "d_z_ci_high", "d_av", "improvement_sign", "n_improved", "prop_improved",
    "prop_improved_ci_low", "prop_improved_ci_high", "rci_reliability", "rci_sd",
    "rci_threshold", "n_reliably_improved", "n_no_reliable_change",
    "n_reliably_deteriorated", "n_clinical_at_pre", "n_recovered", "clinical_cutoff",
    "clinical_cutoff_operator", "recovery_criterion",
]  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return compare(
        GOLDEN / "scores.csv",
        pre="pre",
        post="post",
        followup=["fu"],
        group_by="site",
        scale_info=GOLDEN / "scale_info.yaml",
    )


def _index(records):
    return {(r["from_wave"], r["to_wave"], r["scale"], r["group"]): r for r in records}


def test_every_r_record_has_a_python_record(results):
    ours = _index(results.paired)
    theirs = _index(EXPECTED)
    assert set(theirs) <= set(ours)
    # whole sample + 3 sites, 3 scales, 2 contrasts
    assert len(results.paired) == 24


@pytest.mark.parametrize(
    "key",
    sorted(_index(EXPECTED), key=lambda k: (k[1], k[2], k[3] or "")),
    ids=lambda k: f"{k[1]}-{k[2]}-{k[3] or 'all'}",
)
def test_fields_match_r(results, key):
    ours = _index(results.paired)[key]
    theirs = _index(EXPECTED)[key]
    wrong = mismatches(ours, theirs, CLOSED_FORM)
    assert not wrong, wrong
    if theirs["n_pairs"] > 2:
        assert close(ours["g_av"], theirs["g_av"])
    else:
        # J(1) = Γ(1/2)/(√(1/2)·Γ(0)) is 0 in R; we report g_av as undefined instead.
        assert ours["g_av"] is None
    expected_method = "exact" if theirs["wilcoxon_exact"] else "normal"
    assert ours["wilcoxon_method"].startswith(expected_method)


def test_small_site_is_computed_but_flagged(results):
    site_c = [r for r in results.paired if r["group"] == "C"]
    assert site_c and all(r["suppress"] for r in site_c)
    assert all(r["n_pairs"] < 5 for r in site_c)
    assert not any(r["suppress"] for r in results.paired if r["group"] is None)


def test_design_and_sources_are_stated(results):
    rec = _index(results.paired)[("pre", "post", "ints", None)]
    assert rec["design"] == "linked"
    assert rec["group_column"] is None
    assert rec["rci_reliability_source"].startswith("user scale-info")
    assert rec["rci_sd_source"].startswith("baseline sample SD")
    assert rec["clinical_cutoff_source"] == "synthetic cutoff"
    grouped = _index(results.paired)[("pre", "post", "ints", "A")]
    assert grouped["group_column"] == "site"
    # every group is judged by the same yardstick (whole-sample baseline SD)
    assert grouped["rci_sd"] == rec["rci_sd"]
    assert results.meta["multiplicity"]["family_size"] == 24
