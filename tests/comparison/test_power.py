"""Planning the next cohort against R ``pwr`` (``tests/golden/power/make_golden.R``)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from stigma_outcomes.comparison.power import plan_sample_size, power_of
from stigma_outcomes.errors import InputError

R = json.loads((Path(__file__).parents[1] / "golden" / "power" / "pwr.json").read_text())


@pytest.mark.parametrize(
    "case", R["paired"], ids=lambda c: f"d{c['d']}-p{c['power']}-a{c['alpha']}"
)
def test_paired_n_for_power_matches_pwr_t_test(case):
    plan = plan_sample_size("paired", effect=case["d"], power=case["power"], alpha=case["alpha"])
    assert plan.n_exact == pytest.approx(case["n"], rel=1e-8)
    assert plan.n_exact == pytest.approx(case["pwr_n"], abs=1e-3)  # pwr's own, tol ~1e-4
    assert plan.n_analysed == math.ceil(case["pwr_n"])
    assert plan.solved_for == "n" and plan.n_recruit == plan.n_analysed


@pytest.mark.parametrize("case", R["paired_power"], ids=lambda c: f"n{c['n']}")
def test_paired_power_for_n_matches_pwr(case):
    plan = plan_sample_size("paired", effect=case["d"], n=case["n"])
    assert plan.power == pytest.approx(case["power"], rel=1e-9)


@pytest.mark.parametrize("case", R["paired_d"], ids=lambda c: f"n{c['n']}")
def test_paired_detectable_effect_matches_pwr(case):
    plan = plan_sample_size("paired", n=case["n"], power=case["power"])
    assert plan.solved_for == "effect"
    assert plan.effect == pytest.approx(case["d"], rel=1e-8)
    assert plan.effect == pytest.approx(case["pwr_d"], abs=1e-3)


@pytest.mark.parametrize("case", R["two_sample"], ids=lambda c: f"d{c['d']}")
def test_two_group_n_per_group_matches_pwr_t_test(case):
    plan = plan_sample_size("two_groups", effect=case["d"], power=case["power"])
    assert plan.n_exact == pytest.approx(case["n"], rel=1e-8)
    assert plan.n_per_group == math.ceil(case["pwr_n"])
    assert plan.n_analysed == 2 * plan.n_per_group


@pytest.mark.parametrize("case", R["t2n"], ids=lambda c: f"{c['n1']}-{c['n2']}")
def test_unequal_groups_power_matches_pwr_t2n_test(case):
    ratio = case["n2"] / case["n1"]
    assert power_of("two_groups", case["d"], case["n1"], ratio=ratio) == pytest.approx(
        case["power"], rel=1e-9
    )


@pytest.mark.parametrize("case", R["t2n_d"], ids=lambda c: f"{c['n1']}-{c['n2']}")
def test_unequal_groups_detectable_effect_matches_pwr_t2n_test(case):
    plan = plan_sample_size("two_groups", n=case["n1"], power=case["power"],
                            ratio=case["n2"] / case["n1"])  # fmt: skip
    assert plan.effect == pytest.approx(case["d"], rel=1e-8)
    assert plan.n_analysed == case["n1"] + case["n2"]


@pytest.mark.parametrize("case", R["ancova_power"], ids=lambda c: f"{c['n1']}-{c['n2']}-k{c['k']}")
def test_ancova_power_matches_pwr_f2_test(case):
    got = power_of("ancova", case["d"], case["n1"], ratio=case["n2"] / case["n1"],
                   n_covariates=case["k"])  # fmt: skip
    assert got == pytest.approx(case["power"], rel=1e-9)


@pytest.mark.parametrize("case", R["ancova_n"], ids=lambda c: f"d{c['d']}-r{c['ratio']}")
def test_ancova_n_matches_pwr_f2_test(case):
    plan = plan_sample_size("ancova", effect=case["d"], power=case["power"],
                            ratio=case["ratio"], n_covariates=case["k"])  # fmt: skip
    assert plan.n_exact == pytest.approx(case["n"], rel=1e-8)


def test_ancova_effect_from_difference_sd_and_correlation_borm():
    ref = R["borm"]
    plan = plan_sample_size("ancova", difference=ref["difference"], sd=ref["sd"],
                            correlation=ref["r"], n=20)  # fmt: skip
    assert plan.effect == pytest.approx(ref["d_adj"], rel=1e-12)
    assert plan.power == pytest.approx(ref["power_20_per_group"], rel=1e-9)
    same = plan_sample_size("ancova", difference=2, residual_sd=4 * math.sqrt(1 - 0.36), n=20)
    assert same.power == pytest.approx(plan.power, rel=1e-12)


def test_the_three_directions_agree():
    n_plan = plan_sample_size("paired", effect=0.45, power=0.85)
    back = plan_sample_size("paired", effect=0.45, n=n_plan.n_exact)
    assert back.power == pytest.approx(0.85, rel=1e-9)
    d_plan = plan_sample_size("paired", n=n_plan.n_exact, power=0.85)
    assert d_plan.effect == pytest.approx(0.45, rel=1e-8)


def test_attrition_gives_the_number_to_recruit():
    plan = plan_sample_size("paired", effect=0.5, power=0.8, attrition=0.25)
    assert plan.n_analysed == 34 and plan.n_recruit == math.ceil(34 / 0.75)
    two = plan_sample_size("two_groups", effect=0.5, power=0.8, attrition=0.2)
    assert two.n_recruit_per_group == math.ceil(64 / 0.8) and two.n_recruit == 2 * 80
    assert "to recruit" in plan.sentence() and "25%" in plan.sentence()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"effect": 0.5, "power": 1.0}, "power must be a proportion"),
        ({"effect": 0.5, "power": 0.03}, "not above alpha"),
        ({"effect": 0.5, "power": 0.8, "attrition": 1.0}, "attrition must be a proportion"),
        ({"effect": 0.5, "power": 0.8, "attrition": -0.1}, "attrition must be a proportion"),
        ({"effect": 0.5, "power": 0.8, "alpha": 0}, "alpha must be a proportion"),
        ({"effect": 0.0, "power": 0.8}, "effect of 0"),
        ({"effect": 0.5, "n": 1}, "too small"),
        ({"effect": 0.5, "n": 20, "power": 0.8}, "exactly two"),
        ({"effect": 0.5, "power": 0.8, "design": "anova"}, "unknown design"),
    ],
)
def test_impossible_inputs_are_refused(kwargs, message):
    with pytest.raises(InputError, match=message):
        plan_sample_size(**kwargs)


def test_every_plan_field_is_documented():
    from dataclasses import fields

    from stigma_outcomes.comparison.fields import PILOT_PLAN_DOCS, PLAN_DOCS
    from stigma_outcomes.comparison.pilot import PilotPlan
    from stigma_outcomes.comparison.power import SamplePlan

    assert {f.name for f in fields(SamplePlan)} == set(PLAN_DOCS)
    assert {f.name for f in fields(PilotPlan)} == set(PILOT_PLAN_DOCS)
