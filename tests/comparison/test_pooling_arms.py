"""Sites compared within each arm (issue 14): never a programme arm pooled with a comparison
arm. Reference: metafor on each arm's own pairs (tests/golden/pooled_arms/make_golden.R)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden" / "pooled_arms"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())
FIELDS = ("estimate", "se", "ci_low", "ci_high", "z", "p", "tau2", "i2", "h2", "q", "q_p",
          "pi_low", "pi_high")  # fmt: skip


@pytest.fixture(scope="module")
def results():
    return compare(
        GOLDEN / "scores.csv", "pre", "post", group_by="arm", pool_by="site",
        direction={"arms.total": "higher_is_worse"}, reliability={"arms.total": 0.8},
    )  # fmt: skip


@pytest.mark.parametrize("arm", ["programme", "waitlist"])
@pytest.mark.parametrize("effect", ["mean_change", "smcr"])
def test_each_arm_pools_its_own_sites_as_metafor(results, arm, effect):
    (rec,) = [r for r in results.pooled if r["group"] == arm and r["effect"] == effect]
    ref = EXPECTED[arm][effect]
    assert rec["group_column"] == "arm" and rec["pooled_over"] == "site"
    assert [s["level"] for s in rec["studies"]] == ref["sites"]
    assert [s["estimate"] for s in rec["studies"]] == pytest.approx(ref["yi"], rel=1e-9)
    for name in FIELDS:
        assert rec[name] == pytest.approx(ref["REML"][name], rel=1e-6, abs=1e-9), name
    assert rec["k"] == ref["REML"]["k"]
    weights = [s["weight"] for s in rec["studies"]]
    assert weights == pytest.approx(ref["REML"]["weights"], rel=1e-6)


def test_a_small_site_is_left_out_of_its_arm_only(results):
    wait = [r for r in results.pooled if r["group"] == "waitlist"]
    prog = [r for r in results.pooled if r["group"] == "programme"]
    assert all([e["level"] for e in r["excluded"]] == ["D"] for r in wait)
    assert all(not r["excluded"] and r["k"] == 4 for r in prog)
    assert EXPECTED["waitlist"]["excluded"] == ["D"]


def test_no_pooled_record_mixes_the_arms(results):
    assert {r["group"] for r in results.pooled} == {"programme", "waitlist"}
    pooled_pairs = {r["group"]: r["n_total"] for r in results.pooled if r["effect"] == "smcr"}
    paired = {r["group"]: r["n_pairs"] for r in results.paired if r["group"]}
    assert pooled_pairs == {"programme": paired["programme"], "waitlist": paired["waitlist"] - 3}


def test_dl_matches_too():
    res = compare(
        GOLDEN / "scores.csv", "pre", "post", group_by="arm", pool_by="site", pool_method="DL",
        direction={"arms.total": "higher_is_worse"}, reliability={"arms.total": 0.8},
    )  # fmt: skip
    for rec in res.pooled:
        ref = EXPECTED[rec["group"]][rec["effect"]]["DL"]
        assert rec["estimate"] == pytest.approx(ref["estimate"], rel=1e-9)
        assert rec["tau2"] == pytest.approx(ref["tau2"], rel=1e-9, abs=1e-12)


def test_without_a_group_column_the_sites_pool_the_whole_sample():
    res = compare(
        GOLDEN / "scores.csv", "pre", "post", pool_by="site",
        direction={"arms.total": "higher_is_worse"}, reliability={"arms.total": 0.8},
    )  # fmt: skip
    assert res.pooled and all(r["group"] is None for r in res.pooled)
