"""Edge cases where a statistic must refuse nonsense, each checked against R (issue 11).

The inputs and R's values come from ``tests/golden/edge_cases/make_golden.R``. Where R
refuses (``t.test``: "data are essentially constant") the golden holds R's message, and the
test checks that our record is undefined for the same reason instead of printing a number.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison.mixed import fit_mixed_models
from stigma_outcomes.comparison.pooling import pool_paired, random_effects
from stigma_outcomes.comparison.reliability import _minres_uniquenesses, in_sample_reliability
from stigma_outcomes.errors import AnalysisError

GOLDEN = Path(__file__).parents[1] / "golden" / "edge_cases"
R: dict[str, Any] = json.loads((GOLDEN / "expected.json").read_text())
TEXT = {"participant_id": str, "wave": str, "instrument": str, "scale": str}


def _scores(name: str, **dtypes: Any) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, dtype={**TEXT, **dtypes})


def _by_scale(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["scale"]: r for r in records if r["group"] is None}


def _facts(*keys: str) -> dict[str, dict[str, Any]]:
    """Direction and reliability of the scales of no known instrument."""
    return {
        "direction": dict.fromkeys(keys, "higher_is_worse"),
        "reliability": dict.fromkeys(keys, 0.8),
    }


EDGE = _facts("edge.constant", "edge.flat", "edge.a", "edge.b")


# 1. essentially constant change -------------------------------------------------------------


@pytest.fixture(scope="module")
def constant() -> dict[str, dict[str, Any]]:
    return _by_scale(compare(_scores("scores_constant.csv"), "pre", "post", **EDGE).paired)


def test_r_refuses_the_constant_change_and_so_do_we(constant):
    ref = R["constant_linked"]
    assert ref["refusal_constant"] == "data are essentially constant"
    assert 0 < ref["sd_change_constant"] < 1e-15  # the rounding that used to give t ~ 1e16
    rec = constant["constant"]
    for key in ("t", "p_t", "d_z", "d_z_ci_low", "mean_change_ci_low", "p_t_holm", "p_t_bh"):
        assert rec[key] is None, key
    assert rec["sd_change"] == 0.0 and rec["mean_change"] == pytest.approx(2 / 3)
    assert "essentially constant" in rec["note"] and "Holm/BH" in rec["note"]
    # the signed-rank test is defined and matches R
    assert rec["wilcoxon_v"] == ref["wilcoxon_v_constant"]
    assert rec["p_wilcoxon"] == pytest.approx(ref["p_wilcoxon_constant"], rel=1e-9)


def test_the_constant_record_stays_out_of_the_multiplicity_family(constant):
    ref = R["constant_linked"]
    for scale in ("a", "b"):
        rec = constant[scale]
        assert rec["t"] == pytest.approx(ref[f"t_{scale}"]["t"], rel=1e-9)
        assert rec["p_t"] == pytest.approx(ref[f"t_{scale}"]["p"], rel=1e-9)
        assert rec["p_t_holm"] == pytest.approx(ref["p_holm"][scale], rel=1e-9)
        assert rec["p_t_bh"] == pytest.approx(ref["p_bh"][scale], rel=1e-9)


def test_constant_baseline_leaves_reliable_change_undefined(constant):
    ref = R["constant_linked"]
    assert ref["refusal_flat"] == "data are essentially constant"
    assert 0 < ref["sd_pre_flat"] < 1e-15  # R's own SD of the baseline is rounding noise
    rec = constant["flat"]
    assert rec["t"] is None and rec["rci_s_diff"] is None
    assert rec["n_reliably_deteriorated"] is None and rec["n_reliably_improved"] is None
    assert "no yardstick" in rec["note"]
    # the constant-change scale's baseline varies, so it has a real yardstick, and its change
    # of 2/3 of a point is beyond it for everyone: a genuine, not a rounding, result
    rec = constant["constant"]
    assert rec["rci_threshold"] < 2 / 3 and rec["n_reliably_deteriorated"] == 10


def test_unlinked_constant_scores_are_refused_as_r_does():
    ref = R["constant_unlinked"]
    assert ref["refusal_flat"] == "data are essentially constant"
    recs = _by_scale(
        compare(_scores("scores_constant_unlinked.csv"), "before", "after", unlinked=True,
                **_facts("edge.flat", "edge.x")).unlinked
    )  # fmt: skip
    flat = recs["flat"]
    assert flat["t"] is None and flat["hedges_g"] is None and flat["p_t_holm"] is None
    assert "essentially constant" in flat["note"]
    x = recs["x"]
    for ours, theirs in (
        ("t", "t"),
        ("df", "df"),
        ("p_t", "p"),
        ("mean_difference_ci_low", "ci_low"),
    ):
        assert x[ours] == pytest.approx(ref["t_x"][theirs], rel=1e-9)
    assert x["p_t_holm"] == pytest.approx(ref["t_x"]["p"], rel=1e-9)  # a family of one


# 2. pooling a site whose change does not vary ---------------------------------------------


@pytest.mark.parametrize("method", ["DL", "REML"])
def test_pooling_leaves_out_the_constant_site_and_matches_metafor(method):
    ref = R["pooling"]
    res = compare(_scores("scores_pool.csv", site=str), "pre", "post", pool_by="site",
                  pool_method=method, **_facts("edge.total"))  # fmt: skip
    (rec,) = [r for r in res.pooled if r["effect"] == "mean_change"]
    assert [e["level"] for e in rec["excluded"]] == ["D"]
    assert "up to rounding" in rec["excluded"][0]["reason"]
    assert rec["estimate"] == pytest.approx(ref[method]["estimate"], rel=1e-6)
    assert rec["se"] == pytest.approx(ref[method]["se"], rel=1e-6)
    assert rec["tau2"] == pytest.approx(ref[method]["tau2"], rel=1e-5)
    assert rec["i2"] == pytest.approx(ref[method]["i2"], rel=1e-5)
    # metafor given site D anyway: I² of 100% and Q ~ 1e17, numbers nobody could defend
    assert ref[f"{method}_with_d"]["i2"] == pytest.approx(100.0)
    assert ref[f"{method}_with_d"]["q"] > 1e15


def test_random_effects_refuses_a_variance_that_takes_all_the_weight():
    ref = R["pooling"]
    with pytest.raises(AnalysisError, match="essentially zero"):
        random_effects([0.667, -1.0, -2.0, 0.5], [ref["vi_site_d"], 0.1, 0.2, 0.15], "DL")


def test_pool_paired_excludes_a_constant_record_from_an_older_results_file():
    base = {"improvement_sign": -1, "suppress": False, "instrument": "x", "scale": "t",
            "from_wave": "pre", "to_wave": "post", "group_column": "site"}  # fmt: skip
    rows = [
        {**base, "group": g, "n_pairs": 8, "pre_mean": 10.0, "pre_sd": 2.0, "post_mean": m,
         "post_sd": 2.0, "sd_change": sd}
        for g, m, sd in (("A", 9.0, 1.0), ("B", 8.0, 1.5), ("C", 10.5, 1.2), ("D", 31 / 3, 1e-16))
    ]  # fmt: skip
    (rec,) = [r for r in pool_paired(rows, by="site", method="DL") if r["effect"] == "mean_change"]
    assert [e["level"] for e in rec["excluded"]] == ["D"] and rec["k"] == 3


# 3. mixed model with an empty wave x group cell ---------------------------------------------


def test_mixed_model_fits_the_estimable_part_as_lme4():
    ref = R["mixed"]
    rec = fit_mixed_models(_scores("scores_mixed.csv"), ["pre", "post", "fu"], "arm")[0]
    assert [fe["term"] for fe in rec["fixed_effects"]] == ref["terms"]
    assert ref["dropped"] in rec["note"] and "fu x B" in rec["note"]
    for fe, est, se in zip(rec["fixed_effects"], ref["estimate"], ref["se"], strict=True):
        assert fe["estimate"] == pytest.approx(est, rel=1e-5, abs=1e-8)
        assert fe["se"] == pytest.approx(se, rel=1e-5)
    assert rec["participant_variance"] == pytest.approx(ref["participant_variance"], rel=1e-4)
    assert rec["residual_variance"] == pytest.approx(ref["residual_variance"], rel=1e-4)
    means = {(m["wave"], m["group"]): m for m in rec["wave_means"]}
    for cell in ref["means"]:
        ours = means[(cell["wave"], cell["arm"])]
        assert ours["mean"] == pytest.approx(cell["estimate"], rel=1e-6)
        assert ours["se"] == pytest.approx(cell["se"], rel=1e-5)
        assert ours["df"] == pytest.approx(cell["df"], rel=1e-5)
    assert means[("fu", "B")]["mean"] is None  # the empty cell, said so in the note
    contrasts = {(c["to_wave"], c["group"]): c for c in rec["contrasts"]}
    for c in ref["contrasts"]:
        ours = contrasts[(c["to_wave"], c["arm"])]
        assert ours["estimate"] == pytest.approx(c["estimate"], rel=1e-6)
        assert ours["se"] == pytest.approx(c["se"], rel=1e-5)
        assert ours["df"] == pytest.approx(c["df"], rel=1e-5)
    assert contrasts[("fu", "B")]["estimate"] is None
    anova = {a["term"]: a for a in rec["anova"]}
    inter, ref_inter = anova["wave:arm"], ref["anova_interaction"]
    assert inter["num_df"] == ref_inter["num_df"] == 1
    assert inter["f"] == pytest.approx(ref_inter["f"], rel=1e-5)
    assert inter["den_df"] == pytest.approx(ref_inter["den_df"], rel=1e-5)
    assert inter["p"] == pytest.approx(ref_inter["p"], rel=1e-5)
    assert anova["wave"]["f"] is None and anova["arm"]["f"] is None  # said so in note


# 4. ANCOVA with a covariate constant among the complete cases ---------------------------------


def test_ancova_drops_the_aliased_covariate_as_lm():
    ref = R["ancova"]
    assert ref["cohort_coefficient_is_na"]
    res = compare(_scores("scores_ancova.csv", arm=str), "pre", "post", group_by="arm",
                  covariates=["cohort"], **_facts("an.total"))  # fmt: skip
    (rec,) = res.ancova
    assert rec["n"] == ref["n"] and rec["df"] == ref["df"]
    for ours, theirs in (("adjusted_difference", "estimate"), ("adjusted_difference_se", "se"),
                         ("t", "t"), ("p", "p")):  # fmt: skip
        assert rec[ours] == pytest.approx(ref[theirs], rel=1e-9)
    assert rec["adjusted_difference_ci_low"] == pytest.approx(ref["ci"][0], rel=1e-9)
    assert "cohort" in rec["note"] and "R lm" in rec["note"]


# 5-7. reliability of a user's own scale, missing item rows, Heywood omega ----------------------


@pytest.fixture(scope="module")
def mine() -> list[dict[str, Any]]:
    items = pd.read_csv(GOLDEN / "items_mine.csv", dtype={"participant_id": str, "wave": str})
    return compare(_scores("scores_mine.csv"), "pre", "post", keyed_items=items,
                   **_facts("mine.total")).reliability  # fmt: skip


def test_reliability_of_an_unregistered_scale_matches_psych(mine):
    ref = R["reliability_unregistered"]
    pre = next(r for r in mine if r["wave"] == "pre")
    assert pre["alpha"] == pytest.approx(ref["alpha"], rel=1e-9)
    assert [pre["alpha_ci_low"], pre["alpha_ci_high"]] == pytest.approx(ref["alpha_ci"], rel=1e-6)
    for item, r_drop in ref["r_drop"].items():
        assert pre["item_rest_r"][item] == pytest.approx(r_drop, rel=1e-9)


def test_a_wave_without_item_rows_says_what_is_missing(mine):
    ref = R["reliability_unregistered"]
    assert ref["post_item_rows"] == 0 and ref["refusal_post"] == "'x' is empty"
    post = next(r for r in mine if r["wave"] == "post")
    assert post["alpha"] is None
    assert "40 participant(s) have an ok score" in post["note"]
    assert "no row" in post["note"] and "0 participants" not in post["note"]


def test_cli_keyed_items_gives_records_for_an_unregistered_scale(tmp_path):
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, [
        "compare", str(GOLDEN / "scores_mine.csv"), "--pre", "pre", "--post", "post",
        "--direction", "mine.total=higher_is_worse", "--reliability", "mine.total=0.8",
        "--keyed-items",
        str(GOLDEN / "items_mine.csv"), "--out", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text())["reliability"]
    assert {r["wave"] for r in records} == {"pre", "post"}


def test_heywood_omega_keeps_the_bounded_minimum_and_warns():
    ref = R["heywood"]
    items = pd.read_csv(GOLDEN / "items_heywood.csv", dtype={"participant_id": str, "wave": str})
    scores = _scores("scores_heywood.csv")
    (rec,) = in_sample_reliability(items, {("hey", "total"): ["i1", "i2", "i3", "i4"]}, scores)
    assert "Heywood" in rec["note"] and "i1" in rec["note"]
    # psych's minres lets the uniqueness go negative (an impossible variance) ...
    assert min(ref["psych_uniquenesses"]) < 0
    # ... and its omega differs from ours by the amount the docstring now states
    gap = abs(rec["omega_total"] - ref["psych_omega_total"])
    assert 1e-4 < gap < 0.02
    # ours is the minres minimum within the admissible region (uniqueness ≥ 0.005)
    cor = np.array(ref["cor"])
    off = ~np.eye(4, dtype=bool)
    lam = np.sqrt(1 - _minres_uniquenesses(cor))
    ours = float(((cor - np.outer(lam, lam))[off] ** 2).sum())
    clipped = np.clip(np.abs(ref["psych_loadings"]), 0, math.sqrt(0.995))
    theirs = float(((cor - np.outer(clipped, clipped))[off] ** 2).sum())
    assert ours <= theirs


# 8. reference group in R's factor() order -----------------------------------------------------


def test_default_reference_is_2_before_10_as_r_factor():
    ref = R["reference"]
    assert ref["levels"] == ["2", "10"]
    res = compare(_scores("scores_reference.csv", cohort=str), "pre", "post",
                  group_by="cohort", **_facts("rg.total"))  # fmt: skip
    (rec,) = res.ancova
    assert rec["reference_group"] == "2" and rec["term"] == ref["term"]
    assert rec["adjusted_difference"] == pytest.approx(ref["estimate"], rel=1e-9)
    assert rec["p"] == pytest.approx(ref["p"], rel=1e-9)
    assert res.meta["settings"]["group_levels"] == ["2", "10"]


# 9. very small samples --------------------------------------------------------------------------


def test_three_pairs_match_r_but_are_flagged_too_few_to_interpret():
    ref = R["tiny"]["t"]
    (rec,) = compare(_scores("scores_tiny.csv"), "pre", "post",
                     **_facts("tn.total")).paired  # fmt: skip
    assert rec["t"] == pytest.approx(ref["t"], rel=1e-9)
    assert rec["p_t"] == pytest.approx(ref["p"], rel=1e-9)
    assert rec["mean_change_ci_low"] == pytest.approx(ref["ci_low"], rel=1e-9)
    assert rec["too_few_to_interpret"] is True and "too few to interpret" in rec["note"]
    big = compare(_scores("scores_constant.csv"), "pre", "post", **EDGE).paired
    assert not any(r["too_few_to_interpret"] for r in big)
