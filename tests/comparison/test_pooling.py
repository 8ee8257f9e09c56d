"""Random-effects pooling of sites against R metafor (tests/golden/pooled/make_golden.R)."""

from __future__ import annotations

import doctest
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.comparison.golden import REL_TOL

from stigma_outcomes.comparison import pooling
from stigma_outcomes.comparison.pooling import pool_paired, random_effects, study_effects
from stigma_outcomes.comparison.results import Results
from stigma_outcomes.errors import AnalysisError, InputError

GOLDEN = Path(__file__).parents[1] / "golden" / "pooled"
EXPECTED = json.loads((GOLDEN / "expected.json").read_text())
GOLD = EXPECTED["records"]

FIT_FIELDS = ["estimate", "se", "ci_low", "ci_high", "z", "p", "tau2", "tau", "i2", "h2", "q",
              "q_df", "q_p", "pi_low", "pi_high"]  # fmt: skip
NEAR_ZERO = {"tau2", "i2"}
"""Heterogeneity fields compared absolutely (1e-8) when R's value is within 1e-8 of 0."""

RECORD_FIELDS = [
    "instrument", "scale", "group", "group_column", "pooled_over", "from_wave", "to_wave",
    "effect", "method", "k", "n_total", "estimate", "se", "ci_low", "ci_high", "z", "p",
    "tau2", "tau", "i2", "h2", "q", "q_df", "q_p", "pi_low", "pi_high", "improvement_sign",
    "studies", "excluded", "suppress",
]  # fmt: skip


def _close(ours: float, theirs: float, field: str = "") -> bool:
    if field in NEAR_ZERO and abs(theirs) <= 1e-8:
        return abs(ours - theirs) <= 1e-8
    if field == "tau" and theirs**2 <= 1e-8:  # tau = √tau2: the same rule on its square
        return abs(ours**2 - theirs**2) <= 1e-8
    return math.isclose(ours, theirs, rel_tol=REL_TOL, abs_tol=1e-12)


def _paired_records() -> list[dict]:
    """Paired-like records (group column 'site') rebuilt from the summary statistics."""
    sites = pd.read_csv(GOLDEN / "sites.csv", dtype={"site": str})
    records = []
    for row in sites.to_dict("records"):
        records.append(
            {
                "design": "linked",
                "instrument": row["instrument"],
                "scale": row["scale"],
                "group_column": "site",
                "group": row["site"],
                "from_wave": "pre",
                "to_wave": "post",
                "n_pairs": int(row["n_pairs"]),
                "pre_mean": row["pre_mean"],
                "pre_sd": row["pre_sd"],
                "post_mean": row["post_mean"],
                "post_sd": row["post_sd"],
                "mean_change": row["post_mean"] - row["pre_mean"],
                "sd_change": row["sd_change"],
                "improvement_sign": int(row["improvement_sign"]),
                "suppress": int(row["n_pairs"]) < 5,
            }
        )
    return records


RECORDS = _paired_records()


def _gold_id(g: dict) -> str:
    return f"{g['scale']}-{g['effect']}-{g['method']}"


def _rows(scale: str, levels: list[str]) -> list[dict]:
    by_level = {r["group"]: r for r in RECORDS if r["scale"] == scale}
    return [by_level[level] for level in levels]


@pytest.fixture(scope="module")
def pooled() -> dict[str, dict[tuple[str, str], dict]]:
    return {
        method: {(r["scale"], r["effect"]): r for r in pool_paired(RECORDS, "site", method=method)}
        for method in ("REML", "DL")
    }


# --- against R ---------------------------------------------------------------------------


@pytest.mark.parametrize("gold", GOLD, ids=_gold_id)
def test_effect_sizes_match_escalc(gold):
    table = study_effects(_rows(gold["scale"], gold["levels"]), gold["effect"])
    for column in ("yi", "vi", "sei"):
        ours = table[column].tolist()
        assert all(_close(a, b) for a, b in zip(ours, gold[column], strict=True)), column


@pytest.mark.parametrize("gold", GOLD, ids=_gold_id)
def test_random_effects_match_rma(gold):
    res = random_effects(gold["yi"], gold["vi"], method=gold["method"])
    wrong = {f: (res[f], gold[f]) for f in FIT_FIELDS if not _close(res[f], gold[f], f)}
    assert not wrong, wrong
    assert res["k"] == gold["k"] and res["method"] == gold["method"]
    assert all(_close(a, b) for a, b in zip(res["weights"], gold["weights"], strict=True))


@pytest.mark.parametrize("gold", [g for g in GOLD if g["method"] == "REML"], ids=_gold_id)
def test_reml_agrees_with_stock_metafor_to_its_own_tolerance(gold):
    # metafor's default stops Fisher scoring when tau² moves by < 1e-5; the golden's main
    # values use 1e-12. Ours (converged tightly) sits within 1e-5 relative of the stock fit.
    res = random_effects(gold["yi"], gold["vi"])
    stock = gold["metafor_default"]
    for field in ("tau2", "estimate", "se", "i2"):
        if stock[field] == 0:
            assert res[field] == 0
        else:
            assert math.isclose(res[field], stock[field], rel_tol=1e-5), field


@pytest.mark.parametrize("gold", GOLD, ids=_gold_id)
def test_pooled_record_matches_r(pooled, gold):
    rec = pooled[gold["method"]][(gold["scale"], gold["effect"])]
    wrong = {f: (rec[f], gold[f]) for f in FIT_FIELDS if not _close(rec[f], gold[f], f)}
    assert not wrong, wrong
    assert (rec["k"], rec["n_total"]) == (gold["k"], gold["n_total"])
    assert rec["improvement_sign"] == gold["improvement_sign"]
    assert [s["level"] for s in rec["studies"]] == gold["levels"]
    for study, y, se, lo, hi, w in zip(
        rec["studies"], gold["yi"], gold["sei"], gold["study_ci_low"], gold["study_ci_high"],
        gold["weights"], strict=True,
    ):  # fmt: skip
        assert all(
            _close(a, b)
            for a, b in [(study["estimate"], y), (study["se"], se), (study["ci_low"], lo),
                         (study["ci_high"], hi), (study["weight"], w)]
        ), study  # fmt: skip
    assert [e["level"] for e in rec["excluded"]] == gold["excluded_levels"]


@pytest.mark.parametrize(
    "gold", EXPECTED["raw_records"], ids=lambda g: f"{g['case']}-{g['method']}"
)
def test_effect_sizes_given_directly_match_rma(gold):
    res = random_effects(gold["yi"], gold["vi"], method=gold["method"])
    wrong = {f: (res[f], gold[f]) for f in FIT_FIELDS if not _close(res[f], gold[f], f)}
    assert not wrong, wrong
    assert all(_close(a, b) for a, b in zip(res["weights"], gold["weights"], strict=True))


def test_a_boundary_maximum_is_reported_as_exactly_zero():
    # The Hedges start is 2.14 but the restricted likelihood is highest at tau² = 0: R with
    # threshold 1e-12 ends at 1.5e-14, stock metafor at 3.2e-7 (I² = 0.00016%). We report 0.
    [gold] = [
        g for g in EXPECTED["raw_records"] if (g["case"], g["method"]) == ("boundary", "REML")
    ]
    res = random_effects(gold["yi"], gold["vi"])
    assert res["tau2"] == 0.0 and res["i2"] == 0.0 and res["h2"] == 1.0
    assert 0 < gold["tau2"] < 1e-13 and gold["metafor_default"]["tau2"] > 1e-7
    assert res["estimate"] == pytest.approx(gold["metafor_default"]["estimate"], rel=1e-5)


def test_scenarios_cover_what_the_golden_promises():
    by = {(g["scale"], g["effect"], g["method"]): g for g in GOLD}
    assert by[("hetero", "mean_change", "REML")]["k"] == 5
    assert by[("hetero", "mean_change", "REML")]["tau2"] > 1  # real heterogeneity
    assert by[("homog", "mean_change", "REML")]["tau2"] == 0
    assert by[("homog", "smcr", "DL")]["tau2"] == 0
    assert by[("two", "smcr", "REML")]["k"] == 2
    assert by[("falling", "smcr", "REML")]["estimate"] < 0  # scores went down


# --- by hand -----------------------------------------------------------------------------


def test_two_study_dersimonian_laird_by_hand():
    # yi = (0, 3), vi = (1, 2). Fixed-effect weights 1, 1/2: mean = 1.5/1.5 = 1,
    # Q = 1·1² + ½·2² = 3 on 1 df. tr P = Σw − Σw²/Σw = 1.5 − 1.25/1.5 = 2/3, so
    # τ² = (3 − 1)/(2/3) = 3. Random-effects weights 1/4, 1/5 (sum 9/20): estimate =
    # (3/5)/(9/20) = 4/3, se = √(20/9). Typical within-study variance (k − 1)/tr P = 3/2, so
    # I² = 100·3/(3/2 + 3) = 66.67% (= (Q − df)/Q) and H² = 3/(3/2) + 1 = 3. Prediction
    # interval: 4/3 ± 1.96·√(20/9 + 3).
    res = random_effects([0.0, 3.0], [1.0, 2.0], method="DL")
    z975 = 1.959963984540054
    assert res["tau2"] == pytest.approx(3.0, rel=1e-12)
    assert res["tau"] == pytest.approx(math.sqrt(3.0), rel=1e-12)
    assert res["estimate"] == pytest.approx(4 / 3, rel=1e-12)
    assert res["se"] == pytest.approx(math.sqrt(20 / 9), rel=1e-12)
    assert res["q"] == pytest.approx(3.0, rel=1e-12) and res["q_df"] == 1
    assert res["i2"] == pytest.approx(200 / 3, rel=1e-12)
    assert res["h2"] == pytest.approx(3.0, rel=1e-12)
    assert res["pi_low"] == pytest.approx(4 / 3 - z975 * math.sqrt(20 / 9 + 3), rel=1e-12)
    assert res["ci_high"] == pytest.approx(4 / 3 + z975 * math.sqrt(20 / 9), rel=1e-12)
    assert res["weights"] == pytest.approx([500 / 9, 400 / 9], rel=1e-12)
    # χ²(1) upper tail at 3 is 2·Φ(−√3)
    assert res["q_p"] == pytest.approx(0.08326451666355, rel=1e-9)


def test_homogeneous_studies_have_no_heterogeneity_under_either_method():
    # Q below its df: DL truncates τ² at 0 and REML's likelihood peaks on the boundary.
    for method in ("REML", "DL"):
        res = random_effects([1.0, 1.1, 0.9], [0.5, 0.4, 0.6], method=method)
        assert res["tau2"] == 0.0 and res["i2"] == 0.0 and res["h2"] == 1.0
        assert res["pi_low"] == pytest.approx(res["ci_low"])


def test_small_sites_are_excluded_never_shown(pooled):
    rec = pooled["REML"][("hetero", "mean_change")]
    assert rec["excluded"] == [
        {"level": "F", "n_pairs": 3, "reason": "fewer than 5 pairs (minimum cell size)"}
    ]
    assert "F" not in [s["level"] for s in rec["studies"]]
    stricter = pool_paired(RECORDS, "site", min_cell=10, effects=["mean_change"])
    rec10 = next(r for r in stricter if r["scale"] == "hetero")
    assert [s["level"] for s in rec10["studies"]] == ["A", "B", "C", "E"]  # D has 9 pairs
    assert [e["level"] for e in rec10["excluded"]] == ["D", "F"]
    assert rec10["n_total"] == 42 + 18 + 65 + 27


def test_a_suppressed_paired_record_is_not_pooled():
    # min_cell of pooling is 5, but the paired analysis suppressed site D (e.g. min cell 10)
    records = [dict(r, suppress=True) if r["group"] == "D" else r for r in RECORDS]
    rec = next(r for r in pool_paired(records, "site") if r["scale"] == "hetero")
    assert [e["level"] for e in rec["excluded"]] == ["D", "F"]
    assert rec["excluded"][0]["reason"].startswith("suppressed")


def test_only_levels_of_the_pooled_column_are_used():
    whole = dict(RECORDS[0], group=None, group_column=None, n_pairs=500, post_mean=99.0)
    arm = [dict(r, group_column="arm", group=f"arm{i}", post_mean=0.0)
           for i, r in enumerate(RECORDS[:3])]  # fmt: skip
    mixed = [whole, *arm, *RECORDS]
    assert pool_paired(mixed, "site") == pool_paired(RECORDS, "site")
    by_arm = pool_paired(mixed, "arm", effects=["mean_change"])
    assert len(by_arm) == 1 and by_arm[0]["pooled_over"] == "arm"
    assert [s["level"] for s in by_arm[0]["studies"]] == ["arm0", "arm1", "arm2"]


def test_fewer_than_two_usable_levels_give_no_record():
    # 'two' has sites of 15 and 22 pairs; with a minimum cell of 20 only one remains
    scales = {r["scale"] for r in pool_paired(RECORDS, "site", min_cell=20)}
    assert "two" not in scales and "hetero" in scales
    assert pool_paired(_rows("two", ["J"]), "site") == []


def test_contrasts_and_scales_pool_separately():
    two = _rows("two", ["J", "K"])
    follow_up = [dict(r, to_wave="fu", post_mean=r["post_mean"] + 1) for r in two]
    out = pool_paired(RECORDS + follow_up, "site", effects=["mean_change"])
    keys = [(r["scale"], r["to_wave"]) for r in out]
    assert keys == [("hetero", "post"), ("homog", "post"), ("two", "post"), ("falling", "post"),
                    ("two", "fu")]  # fmt: skip
    post, fu = out[2], out[4]
    assert fu["estimate"] == pytest.approx(post["estimate"] + 1, rel=1e-12)


def test_zero_sd_of_change_and_zero_baseline_sd_are_excluded_with_reasons():
    rows = [dict(r) for r in _rows("falling", ["L", "M", "N", "O"])]
    rows[1]["sd_change"] = 0.0  # every participant changed by the same amount
    rows[2]["pre_sd"] = 0.0  # everyone scored alike at baseline
    out = {r["effect"]: r for r in pool_paired(rows, "site")}
    assert [e["level"] for e in out["mean_change"]["excluded"]] == ["M"]
    assert "SD of change" in out["mean_change"]["excluded"][0]["reason"]
    assert out["mean_change"]["k"] == 3  # a zero baseline SD does not stop a raw change
    assert [e["level"] for e in out["smcr"]["excluded"]] == ["M", "N"]
    assert "baseline SD" in out["smcr"]["excluded"][1]["reason"]
    assert out["smcr"]["k"] == 2


def test_study_effects_leave_undefined_statistics_as_nan():
    rec = dict(RECORDS[0], n_pairs=2, sd_change=None)
    table = study_effects([rec], "smcr")
    assert np.isnan(table.loc[0, "yi"])  # J(1) undefined, as metafor's NA
    assert np.isnan(study_effects([rec], "mean_change").loc[0, "vi"])


def test_smcr_is_positive_when_scores_rose_and_uses_the_baseline_sd():
    rec = {"n_pairs": 101, "pre_mean": 10.0, "pre_sd": 2.0, "post_mean": 11.0, "post_sd": 8.0,
           "sd_change": 7.0}  # fmt: skip
    yi = study_effects([rec], "smcr").loc[0, "yi"]
    j = pooling._small_sample_factor(np.array([100.0]))[0]
    assert yi == pytest.approx(j * 1.0 / 2.0, rel=1e-12) and yi > 0


def test_a_correlation_rounded_past_one_is_taken_as_one():
    # post = 2·pre gives r = 1 and sd_change = pre_sd; a reported sd_change rounded down
    # implies r a hair above 1, which metafor would refuse. We clip, so vi = yi²/(2n).
    exact = {"n_pairs": 30, "pre_mean": 5.0, "pre_sd": 2.0, "post_mean": 10.0, "post_sd": 4.0,
             "sd_change": 2.0}  # fmt: skip
    rounded = dict(exact, sd_change=1.99999)
    a, b = study_effects([exact, rounded], "smcr").to_dict("records")
    assert a == b
    assert a["vi"] == pytest.approx(a["yi"] ** 2 / 60, rel=1e-12)


def test_levels_that_disagree_on_the_improving_direction_are_refused():
    rows = _rows("two", ["J", "K"])
    with pytest.raises(AnalysisError, match="improvement"):
        pool_paired([rows[0], dict(rows[1], improvement_sign=-1)], "site")


def test_record_has_exactly_the_documented_fields_and_is_json_ready(pooled):
    from stigma_outcomes.comparison.fields import POOLED_DOCS

    rec = pooled["REML"][("hetero", "smcr")]
    assert list(rec) == RECORD_FIELDS
    assert set(rec) <= set(POOLED_DOCS)
    assert rec["group"] is None and rec["group_column"] is None
    assert rec["pooled_over"] == "site" and rec["suppress"] is False
    for name in FIT_FIELDS:
        assert type(rec[name]) in (float, int), name
    assert all(type(v) in (str, int, float) for s in rec["studies"] for v in s.values())
    text = json.dumps(Results(pooled=[rec]).to_dict(), allow_nan=False)
    assert json.loads(text)["pooled"][0]["studies"][0]["level"] == "A"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yi", "vi", "message"),
    [
        ([1.0], [0.5], "at least 2 studies"),
        ([1.0, 2.0], [0.5, 0.0], "positive"),
        ([1.0, 2.0], [0.5, -1.0], "positive"),
        ([1.0, 2.0], [0.5, float("nan")], "positive"),
        ([1.0, float("nan")], [0.5, 0.5], "missing"),
        ([1.0, 2.0, 3.0], [0.5, 0.5], "variances"),
    ],
)
def test_random_effects_refuses_what_it_cannot_pool(yi, vi, message):
    with pytest.raises(AnalysisError, match=message) as err:
        random_effects(yi, vi)
    assert err.value.where and err.value.fix


def test_unknown_method_effect_or_level_are_input_errors():
    with pytest.raises(InputError, match="method"):
        random_effects([1.0, 2.0], [1.0, 1.0], method="PM")
    with pytest.raises(InputError, match="proportion"):
        random_effects([1.0, 2.0], [1.0, 1.0], level=95)
    with pytest.raises(InputError, match="effect"):
        study_effects(RECORDS, "hedges_g")
    with pytest.raises(InputError, match="effect"):
        pool_paired(RECORDS, "site", effects=["d_z"])
    with pytest.raises(InputError, match="method"):
        pool_paired(RECORDS, "site", method="ML")


def test_pooling_over_a_column_without_records_says_which_columns_exist():
    with pytest.raises(AnalysisError, match="no paired results by 'cohort'") as err:
        pool_paired(RECORDS, "cohort")
    assert "'site'" in err.value.fix


def test_a_level_twice_in_one_cell_is_refused():
    rows = _rows("two", ["J", "K"])
    with pytest.raises(AnalysisError, match="more than once"):
        pool_paired([*rows, rows[0]], "site")


def test_examples_in_docstrings_run():
    failures, tried = doctest.testmod(pooling, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0


# --- properties --------------------------------------------------------------------------


@st.composite
def sites(draw: st.DrawFn) -> list[dict]:
    k = draw(st.integers(2, 7))
    out = []
    for i in range(k):
        pre_sd = draw(st.floats(0.5, 10))
        post_sd = draw(st.floats(0.5, 10))
        r = draw(st.floats(-0.9, 0.95))
        out.append(
            {
                "instrument": "x", "scale": "t", "group_column": "site", "group": f"S{i}",
                "from_wave": "pre", "to_wave": "post", "improvement_sign": 1,
                "suppress": False, "n_pairs": draw(st.integers(5, 300)),
                "pre_mean": draw(st.floats(0, 50)), "post_mean": draw(st.floats(0, 50)),
                "pre_sd": pre_sd, "post_sd": post_sd,
                "sd_change": math.sqrt(pre_sd**2 + post_sd**2 - 2 * r * pre_sd * post_sd),
            }
        )  # fmt: skip
    return out


_IDENTICAL_NULL_SITES = [
    {"instrument": "x", "scale": "t", "group_column": "site", "group": f"S{i}",
     "from_wave": "pre", "to_wave": "post", "improvement_sign": 1, "suppress": False,
     "n_pairs": 5, "pre_mean": 0.0, "post_mean": 0.0, "pre_sd": 1.0, "post_sd": 1.0,
     "sd_change": math.sqrt(2.0)}
    for i in range(3)
]  # fmt: skip
"""Sites whose every estimate is exactly 0: a relative tolerance alone fails on rounding."""


@settings(max_examples=60, deadline=None)
@given(data=sites(), order=st.data(), method=st.sampled_from(["REML", "DL"]))
@example(data=_IDENTICAL_NULL_SITES, order=None, method="REML").via("found by CI")
def test_permuting_the_studies_changes_no_pooled_field(data, order, method):
    shuffled = data[::-1] if order is None else order.draw(st.permutations(data))
    a = pool_paired(data, "site", method=method)
    b = pool_paired(shuffled, "site", method=method)
    assert len(a) == len(b) == 2
    for ra, rb in zip(a, b, strict=True):
        for field in [*FIT_FIELDS, "k", "n_total"]:
            x, y = ra[field], rb[field]
            # REML runs a few more or fewer Fisher steps in another summation order
            assert x == pytest.approx(y, rel=1e-9, abs=1e-10 * (1 + abs(ra["se"]) ** 2)), field
        key = {s["level"]: s for s in ra["studies"]}
        for s in rb["studies"]:
            same = key[s["level"]]
            for name in ("n_pairs", "estimate", "se", "ci_low", "ci_high", "weight"):
                # estimates of exactly 0 differ by rounding only: an absolute floor is needed
                assert s[name] == pytest.approx(same[name], rel=1e-9, abs=1e-12), name
        assert [s["level"] for s in rb["studies"]] == [r["group"] for r in shuffled]


@settings(max_examples=60, deadline=None)
@given(data=sites(), change=st.floats(-20, 20), method=st.sampled_from(["REML", "DL"]))
def test_a_constant_effect_has_no_heterogeneity(data, change, method):
    same = [dict(r, pre_mean=10.0, post_mean=10.0 + change) for r in data]
    [rec] = pool_paired(same, "site", method=method, effects=["mean_change"])
    assert rec["tau2"] == 0.0 and rec["i2"] == 0.0 and rec["tau"] == 0.0
    assert rec["estimate"] == pytest.approx(change, rel=1e-12, abs=1e-12)
