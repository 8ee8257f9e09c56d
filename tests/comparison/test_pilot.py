"""Planning from a pilot's results: the observed effect, its interval, attrition and r."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import stigma_outcomes as so
from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison.pilot import plan_from_pilot
from stigma_outcomes.errors import InputError

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"


@pytest.fixture(scope="module")
def pilot(tmp_path_factory):
    res = compare(GOLDEN / "scores.csv", "pre", "post", followup=["fu"],
                  scale_info=GOLDEN / "scale_info.yaml")  # fmt: skip
    return res, res.to_json(tmp_path_factory.mktemp("pilot") / "results.json")


def _record(res, outcome, to_wave="post"):
    inst, scale = outcome.split(".")
    key = (inst, scale, None, to_wave)
    return next(
        r for r in res.paired if (r["instrument"], r["scale"], r["group"], r["to_wave"]) == key
    )


def test_pilot_plan_uses_the_observed_effect_interval_attrition_and_r(pilot):
    res, path = pilot
    outcome = f"{res.paired[0]['instrument']}.{res.paired[0]['scale']}"
    rec = _record(res, outcome)
    plan = so.plan_sample_size(pilot=path, outcome=outcome, power=0.8)
    assert plan.effect == pytest.approx(rec["d_z"], rel=1e-12)
    assert (plan.effect_ci_low, plan.effect_ci_high) == pytest.approx(
        (rec["d_z_ci_low"], rec["d_z_ci_high"]), rel=1e-12
    )
    drop = next(a for a in res.attrition if (a["instrument"], a["scale"], a["group"], a["wave"])
                == (rec["instrument"], rec["scale"], None, "post"))  # fmt: skip
    assert plan.attrition_observed == pytest.approx(1 - drop["prop_retained"])
    a, b, c = rec["pre_sd"], rec["post_sd"], rec["sd_change"]
    assert plan.prepost_r == pytest.approx((a * a + b * b - c * c) / (2 * a * b))
    same = so.plan_sample_size("paired", effect=abs(rec["d_z"]), power=0.8,
                               attrition=plan.attrition_used)  # fmt: skip
    assert plan.point.n_recruit == same.n_recruit
    assert plan.cautions[0].startswith("Pilot effects are noisy")


def test_conservative_end_needs_more_people_or_says_why_not(pilot):
    res, path = pilot
    for rec in (r for r in res.paired if r["group"] is None and r["to_wave"] == "post"):
        if not math.isfinite(rec["d_z"]) or rec["d_z"] == 0:
            continue
        plan = plan_from_pilot(path, f"{rec['instrument']}.{rec['scale']}", to_wave="post")
        lo, hi = rec["d_z_ci_low"], rec["d_z_ci_high"]
        if lo <= 0 <= hi:
            assert plan.conservative is None and "includes no effect" in plan.conservative_note
        else:
            assert plan.conservative.effect == pytest.approx(min(abs(lo), abs(hi)))
            assert plan.conservative.n_analysed >= plan.point.n_analysed


def test_user_attrition_overrides_the_pilots(pilot):
    res, path = pilot
    outcome = f"{res.paired[0]['instrument']}.{res.paired[0]['scale']}"
    plan = plan_from_pilot(path, outcome, attrition=0.5)
    assert plan.attrition_used == 0.5
    assert plan.point.n_recruit == math.ceil(plan.point.n_analysed / 0.5)


def test_unknown_outcome_and_undefined_effect_are_refused(pilot):
    _, path = pilot
    with pytest.raises(InputError, match="no whole-sample record"):
        plan_from_pilot(path, "nope.total")
    from stigma_outcomes.comparison.results import Results

    rec = {"instrument": "x", "scale": "t", "group": None, "to_wave": "post", "d_z": None,
           "note": "every pair changed by the same amount"}  # fmt: skip
    flat = Results(paired=[rec])
    with pytest.raises(InputError, match="undefined or zero"):
        plan_from_pilot(flat, "x.t")


def test_an_unlinked_pilot_plans_two_independent_samples():
    golden = Path(__file__).parents[1] / "golden" / "edge_cases"
    res = compare(golden / "scores_constant_unlinked.csv", "before", "after", unlinked=True,
                  direction={"edge.x": "higher_is_worse", "edge.flat": "higher_is_worse"},
                  reliability={"edge.x": 0.8, "edge.flat": 0.8})  # fmt: skip
    rec = next(r for r in res.unlinked if r["scale"] == "x" and r["group"] is None)
    plan = plan_from_pilot(res, "edge.x")
    assert plan.design == "unlinked" and plan.effect_name == "hedges_g"
    assert plan.effect == pytest.approx(rec["hedges_g"]) and plan.prepost_r is None
    assert plan.point.design == "two_groups" and plan.ancova_point is None
    with pytest.raises(InputError, match="undefined or zero"):
        plan_from_pilot(res, "edge.flat")  # essentially constant: no effect to plan from
