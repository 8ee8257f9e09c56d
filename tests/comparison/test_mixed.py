"""Mixed models against lme4 and lmerTest goldens (tests/golden/mixed/make_golden.R), bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison._mixed_inference import _anova_hypotheses, _fstat_ddf, _inference
from stigma_outcomes.comparison.mixed import fit_mixed_models
from stigma_outcomes.errors import AnalysisError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "mixed"
RTOL = 1e-4
ATOL = 1e-8
# lmerTest's df, t, p and intervals all depend on the REML fit, so they share its tolerance;
# given R's own estimate, se and df, the t distribution step must agree far more closely.
T_STEP_RTOL = 1e-6
# lmerTest's Satterthwaite df differentiate the variance-parameter covariance numerically
# (numDeriv's Richardson extrapolation around the REML optimum). In case 8 (the "stable"
# scale: residual variance 8e-5 against a participant variance of 28) that numerical step
# alone moves df by ~1.1e-4 relative, so df are compared at a few times the reference's own
# error; ours come from the analytic derivatives and do not carry it.
DF_RTOL = 5e-4


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "scores.csv", dtype={"participant_id": str, "wave": str})


@pytest.fixture(scope="module")
def golden() -> list[dict]:
    return json.loads((GOLDEN / "lme4.json").read_text())["fits"]


def _fit_for(scores: pd.DataFrame, ref: dict) -> dict:
    part = scores.loc[scores["instrument"] == ref["instrument"]]
    records = fit_mixed_models(part, ref["waves"], "arm" if ref["grouped"] else None)
    assert len(records) == 1
    return records[0]


def _ids(ref: dict) -> str:
    return f"{ref['instrument']}-{'grouped' if ref['grouped'] else 'wave-only'}"


def test_golden_covers_the_designs_we_promise(golden: list[dict]) -> None:
    # 3 and 4 waves, 2 and 3 groups, with and without interaction, and a singular fit
    assert {len(ref["waves"]) for ref in golden} == {3, 4}
    assert {ref["grouped"] for ref in golden} == {True, False}
    assert any(ref["singular"] for ref in golden)
    assert any(len(ref["terms"]) == 9 for ref in golden)  # 3 waves x 3 groups
    # variance ratios from 0 (singular) to ~1e5 (scores barely move within a participant)
    ratios = [r["participant_variance"] / r["residual_variance"] for r in golden]
    assert min(ratios) < 1e-10 and max(ratios) > 1e4
    # every fit is unbalanced (missing follow-ups) and carries lmerTest's Satterthwaite values
    for ref in golden:
        assert ref["n_observations"] < ref["n_participants"] * len(ref["waves"])
        satt = ref["satterthwaite"]
        assert len(satt["fixed"]["df"]) == len(ref["terms"])
        assert len(satt["means"]["df"]) == len(ref["means"]["mean"])
        assert len(satt["contrasts"]["df"]) == len(ref["contrasts"]["estimate"])


@pytest.mark.parametrize("index", range(10))
def test_matches_lme4(scores: pd.DataFrame, golden: list[dict], index: int) -> None:
    ref = golden[index]
    rec = _fit_for(scores, ref)
    assert rec["converged"] is True
    assert rec["method"] == "REML"
    assert rec["n_observations"] == ref["n_observations"]
    assert rec["n_participants"] == ref["n_participants"]
    assert [fe["term"] for fe in rec["fixed_effects"]] == ref["terms"], _ids(ref)
    est = [fe["estimate"] for fe in rec["fixed_effects"]]
    se = [fe["se"] for fe in rec["fixed_effects"]]
    np.testing.assert_allclose(est, ref["estimate"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(se, ref["se"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        [rec["participant_variance"], rec["residual_variance"]],
        [ref["participant_variance"], ref["residual_variance"]],
        rtol=RTOL,
        atol=ATOL,
    )
    assert rec["reml_criterion"] == pytest.approx(ref["reml_criterion"], rel=1e-8)

    means = rec["wave_means"]
    assert [m["wave"] for m in means] == ref["means"]["wave"]
    if ref["grouped"]:
        assert [m["group"] for m in means] == ref["means"]["group"]
    np.testing.assert_allclose([m["mean"] for m in means], ref["means"]["mean"], rtol=RTOL)
    np.testing.assert_allclose([m["se"] for m in means], ref["means"]["se"], rtol=RTOL)

    contrasts = rec["contrasts"]
    assert [c["to_wave"] for c in contrasts] == ref["contrasts"]["to_wave"]
    assert {c["from_wave"] for c in contrasts} == {ref["waves"][0]}
    np.testing.assert_allclose(
        [c["estimate"] for c in contrasts], ref["contrasts"]["estimate"], rtol=RTOL, atol=ATOL
    )
    np.testing.assert_allclose(
        [c["se"] for c in contrasts], ref["contrasts"]["se"], rtol=RTOL, atol=ATOL
    )


def _satterthwaite_pairs(rec: dict, ref: dict) -> list[tuple[str, list[dict], dict]]:
    satt = ref["satterthwaite"]
    return [
        ("fixed effects", rec["fixed_effects"], satt["fixed"]),
        ("wave means", rec["wave_means"], satt["means"]),
        ("contrasts", rec["contrasts"], satt["contrasts"]),
    ]


@pytest.mark.parametrize("index", range(10))
def test_satterthwaite_matches_lmertest(
    scores: pd.DataFrame, golden: list[dict], index: int
) -> None:
    ref = golden[index]
    rec = _fit_for(scores, ref)
    for what, ours, theirs in _satterthwaite_pairs(rec, ref):
        label = f"{_ids(ref)} {what}"
        np.testing.assert_allclose(
            [o["df"] for o in ours], theirs["df"], rtol=DF_RTOL, err_msg=label
        )
        # a limit near zero is a difference of two larger numbers: its error scales with se
        se = np.asarray([o["se"] for o in ours])
        for key in ("ci_low", "ci_high"):
            np.testing.assert_allclose(
                [o[key] for o in ours],
                theirs[key],
                rtol=RTOL,
                atol=float(RTOL * se.max()),
                err_msg=label,
            )
        if what == "wave means":
            assert not {"t", "p"} & set(ours[0])  # a test of mean = 0 is not reported
            continue
        np.testing.assert_allclose([o["t"] for o in ours], theirs["t"], rtol=RTOL, err_msg=label)
        # p moves by about t^2 times the relative error in t: compare on the log scale
        np.testing.assert_allclose(
            np.log([o["p"] for o in ours]),
            np.log(theirs["p"]),
            rtol=RTOL,
            atol=1e-3,
            err_msg=label,
        )


@pytest.mark.parametrize("index", range(10))
def test_t_step_matches_lmertest_given_its_estimates(golden: list[dict], index: int) -> None:
    # R's estimate, se and df through our t distribution step: t, p and limits as lmerTest
    ref = golden[index]
    for name in ("fixed", "contrasts", "means"):
        theirs = ref["satterthwaite"][name]
        # summary()'s table has no estimate or se column of its own: they are lme4's
        est = theirs.get("estimate", ref["estimate"])
        se = theirs.get("se", ref["se"])
        stats = _inference(np.asarray(est), np.asarray(se), np.asarray(theirs["df"]))
        np.testing.assert_allclose(stats["t"], theirs["t"], rtol=T_STEP_RTOL)
        np.testing.assert_allclose(stats["p"], theirs["p"], rtol=T_STEP_RTOL, atol=1e-300)
        for key in ("ci_low", "ci_high"):
            np.testing.assert_allclose(stats[key], theirs[key], rtol=T_STEP_RTOL, atol=1e-12)


@pytest.mark.parametrize("index", range(10))
def test_anova_matches_lmertest_type3(scores: pd.DataFrame, golden: list[dict], index: int) -> None:
    ref = golden[index]
    rec = _fit_for(scores, ref)
    theirs = ref["anova"]
    ours = rec["anova"]
    label = _ids(ref)
    assert [a["term"] for a in ours] == theirs["term"], label
    assert [a["num_df"] for a in ours] == theirs["num_df"], label
    for key in ("den_df", "f", "sum_sq", "mean_sq"):
        np.testing.assert_allclose(
            [a[key] for a in ours], theirs[key], rtol=RTOL, err_msg=f"{label} {key}"
        )
    # p moves by about F times the relative error in F: compare on the log scale
    np.testing.assert_allclose(
        np.log([a["p"] for a in ours]), np.log(theirs["p"]), rtol=RTOL, atol=1e-3, err_msg=label
    )
    assert all(a["hypothesis"] for a in ours)


@pytest.mark.parametrize("index", range(10))
def test_anova_hypotheses_are_lmertests(scores: pd.DataFrame, golden: list[dict], index: int):
    # the denominator df depends on the basis of each hypothesis, not only on what it tests,
    # so the matrices themselves must be lmerTest's (R rounds its type III weights to 7 digits)
    ref = golden[index]
    part = scores.loc[
        (scores["instrument"] == ref["instrument"])
        & (scores["status"] == "ok")
        & scores["wave"].isin(ref["waves"])
    ]
    n_waves, n_groups = len(ref["waves"]), part["arm"].nunique() if ref["grouped"] else 1
    wave = pd.Categorical(part["wave"], ref["waves"]).codes
    X = np.zeros((len(part), len(ref["terms"])))
    X[:, 0] = 1.0
    for w in range(1, n_waves):
        X[:, w] = wave == w
    if ref["grouped"]:
        group = pd.Categorical(part["arm"]).codes
        for g in range(1, n_groups):
            X[:, n_waves - 1 + g] = group == g
        for g in range(1, n_groups):
            for w in range(1, n_waves):
                col = n_waves + n_groups - 2 + (g - 1) * (n_waves - 1) + w
                X[:, col] = (group == g) & (wave == w)
    hypotheses = _anova_hypotheses(X.T @ X, n_waves, n_groups, "arm" if ref["grouped"] else None)
    for (term, _, L), theirs in zip(hypotheses, ref["anova"]["hypotheses"], strict=True):
        np.testing.assert_allclose(L, np.asarray(theirs), atol=1e-7, err_msg=term)


def test_fstat_ddf_follows_lmertest_rule() -> None:
    assert _fstat_ddf(np.array([7.5])) == 7.5
    assert _fstat_ddf(np.array([30.0, 30.0 + 1e-9])) == pytest.approx(30.0)
    assert _fstat_ddf(np.array([1.5, 40.0])) == 2.0
    nu = np.array([10.0, 20.0, 40.0])
    e = sum(nu / (nu - 2))
    assert _fstat_ddf(nu) == pytest.approx(2 * e / (e - 3))
    # never more than the smallest direction's df would allow, never less than 2
    assert 2 < _fstat_ddf(nu) < nu.max()


def test_anova_agrees_with_the_single_df_tests(scores: pd.DataFrame) -> None:
    # with two waves the wave F test is the squared t of the change, with the same df
    part = scores.loc[scores["instrument"] == "ucla3"]
    rec = fit_mixed_models(part, ["pre", "post"])[0]
    (wave,) = rec["anova"]
    change = rec["contrasts"][0]
    assert wave["num_df"] == 1
    assert wave["f"] == pytest.approx(change["t"] ** 2, rel=1e-10)
    assert wave["den_df"] == pytest.approx(change["df"], rel=1e-10)
    assert wave["p"] == pytest.approx(change["p"], rel=1e-8)
    # with a group, the interaction of a two-wave model is the group difference in change
    grouped = fit_mixed_models(part, ["pre", "post"], "arm")[0]
    inter = grouped["anova"][2]
    coef = grouped["fixed_effects"][-1]
    assert inter["term"] == "wave:arm" and coef["term"] == "wavepost:armtreatment"
    assert inter["f"] == pytest.approx(coef["t"] ** 2, rel=1e-10)
    assert inter["p"] == pytest.approx(coef["p"], rel=1e-8)


@pytest.mark.filterwarnings("ignore:The inplace keyword:Warning")  # inside pingouin
def test_balanced_complete_data_reproduce_the_repeated_measures_anova() -> None:
    # with every participant at every wave (and a positive participant variance) the
    # random-intercept F tests are the classical split-plot ANOVA's, df included
    pg = pytest.importorskip("pingouin")
    data = _toy(n=40, seed=5)
    wave_only = fit_mixed_models(data, ["pre", "post", "fu"])[0]["anova"][0]
    classical = pg.rm_anova(
        data, dv="score", within="wave", subject="participant_id", correction=False
    ).iloc[0]
    assert wave_only["f"] == pytest.approx(classical["F"], rel=1e-6)
    assert wave_only["den_df"] == pytest.approx(39 * 2, rel=1e-6)
    grouped = fit_mixed_models(data, ["pre", "post", "fu"], "arm")[0]["anova"]
    split = pg.mixed_anova(
        data, dv="score", within="wave", between="arm", subject="participant_id", correction=False
    ).set_index("Source")
    expected = {"wave": ("wave", 38 * 2), "arm": ("arm", 38), "wave:arm": ("Interaction", 38 * 2)}
    for test in grouped:
        source, den_df = expected[test["term"]]
        assert test["f"] == pytest.approx(split.loc[source, "F"], rel=1e-6), test["term"]
        assert test["p"] == pytest.approx(split.loc[source, "p_unc"], rel=1e-5), test["term"]
        assert test["den_df"] == pytest.approx(den_df, rel=1e-6), test["term"]


def test_anova_sees_a_programme_effect() -> None:
    # the treated arm improves over the waves and the control arm does not
    data = _toy(n=60, seed=11)
    treated = (data["arm"] == "b") & (data["wave"] != "pre")
    data.loc[treated, "score"] -= 3.0
    rec = fit_mixed_models(data, ["pre", "post", "fu"], "arm")[0]
    tests = {a["term"]: a for a in rec["anova"]}
    assert list(tests) == ["wave", "arm", "wave:arm"]
    assert tests["wave:arm"]["num_df"] == 2 and tests["wave:arm"]["p"] < 1e-6
    # no interaction built in: the interaction test stays quiet
    calm = fit_mixed_models(_toy(n=60, seed=11), ["pre", "post", "fu"], "arm")[0]
    assert calm["anova"][2]["p"] > 0.001


def test_balanced_complete_data_give_the_within_participant_df() -> None:
    # with every participant at every wave, a wave contrast rests on the within-participant
    # residual alone, so its Satterthwaite df is exactly (n - 1)(waves - 1)
    rec = fit_mixed_models(_toy(n=30, seed=3), ["pre", "post", "fu"])[0]
    assert rec["participant_variance"] > 0
    for c in rec["contrasts"]:
        assert c["df"] == pytest.approx(29 * 2, rel=1e-6)  # REML optimum to ~1e-8
    # the intercept mixes both variance components: df between n - 1 and the total
    intercept = rec["fixed_effects"][0]
    assert 29 < intercept["df"] < 90


def test_singular_fit_is_reported(scores: pd.DataFrame, golden: list[dict]) -> None:
    ref = next(r for r in golden if r["singular"])
    rec = _fit_for(scores, ref)
    assert rec["participant_variance"] == 0.0
    assert "singular" in rec["note"]


def test_t_and_wald_inference_follow_from_estimate_se_and_df(scores: pd.DataFrame) -> None:
    from scipy.stats import norm
    from scipy.stats import t as t_dist

    rec = fit_mixed_models(scores, ["pre", "post", "followup"], "arm")[0]
    for item in [*rec["fixed_effects"], *rec["contrasts"], *rec["wave_means"]]:
        est = item.get("estimate", item.get("mean"))
        se, df = item["se"], item["df"]
        assert df > 1
        q = t_dist.ppf(0.975, df)
        assert item["ci_low"] == pytest.approx(est - q * se, rel=1e-9)
        assert item["ci_high"] == pytest.approx(est + q * se, rel=1e-9)
        assert item["ci_low_wald"] == pytest.approx(est - norm.ppf(0.975) * se, rel=1e-9)
        assert item["ci_high_wald"] == pytest.approx(est + norm.ppf(0.975) * se, rel=1e-9)
        # the t interval is the wider one
        assert item["ci_low"] < item["ci_low_wald"] < item["ci_high_wald"] < item["ci_high"]
        if "p" in item:
            assert item["t"] == pytest.approx(est / se, rel=1e-12) and item["z"] == item["t"]
            assert item["p"] == pytest.approx(2 * t_dist.sf(abs(item["t"]), df), rel=1e-9)
            assert item["p_wald"] == pytest.approx(2 * norm.sf(abs(est / se)), rel=1e-9)
            assert item["p"] >= item["p_wald"]
    assert "Satterthwaite" in rec["df_method"] and "p_wald" in rec["df_method"]


def test_records_are_json_without_nan(scores: pd.DataFrame) -> None:
    records = fit_mixed_models(scores, ["pre", "post", "followup"], "arm")
    text = json.dumps(records, allow_nan=False)
    assert "ucla3" in text
    # k6 was measured at w1..w4, so none of its waves are modelled here
    k6 = next(r for r in records if r["instrument"] == "k6")
    assert k6["fixed_effects"] == [] and k6["participant_variance"] is None
    assert k6["anova"] == []
    assert "fewer than two waves" in k6["note"]


def test_agrees_with_statsmodels_mixedlm(scores: pd.DataFrame) -> None:
    # the closed-form profiled REML must land where a general optimiser does
    import statsmodels.formula.api as smf

    part = scores.loc[(scores["instrument"] == "ucla3") & (scores["status"] == "ok")]
    part = part.assign(wave=pd.Categorical(part["wave"], ["pre", "post", "followup"]))
    fit = smf.mixedlm("score ~ wave", part, groups=part["participant_id"]).fit(
        reml=True, method=["lbfgs"]
    )
    rec = fit_mixed_models(scores.loc[scores["instrument"] == "ucla3"], ["pre", "post", "followup"])
    ours = [fe["estimate"] for fe in rec[0]["fixed_effects"]]
    np.testing.assert_allclose(ours, np.asarray(fit.fe_params), rtol=1e-4)
    assert rec[0]["residual_variance"] == pytest.approx(fit.scale, rel=1e-3)
    assert rec[0]["participant_variance"] == pytest.approx(float(fit.cov_re.iloc[0, 0]), rel=1e-3)


def _toy(n: int = 30, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(n)]
    u = rng.normal(0, 1, n)
    frames = [
        pd.DataFrame(
            {
                "participant_id": ids,
                "wave": wave,
                "arm": np.where(np.arange(n) % 2 == 0, "a", "b"),
                "instrument": "x",
                "scale": "total",
                "score": 10 + k + u + rng.normal(0, 1, n),
                "status": "ok",
            }
        )
        for k, wave in enumerate(["pre", "post", "fu"])
    ]
    return pd.concat(frames, ignore_index=True)


def test_wave_not_in_data_is_a_clear_error() -> None:
    with pytest.raises(AnalysisError, match="followup") as err:
        fit_mixed_models(_toy(), ["pre", "post", "followup"])
    assert err.value.fix and "fu" in err.value.fix


def test_fewer_than_two_waves_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="two distinct waves"):
        fit_mixed_models(_toy(), ["pre"])


def test_group_problems_are_errors() -> None:
    with pytest.raises(AnalysisError, match="not in the scores"):
        fit_mixed_models(_toy(), ["pre", "post"], "site")
    with pytest.raises(AnalysisError, match="1 level"):
        fit_mixed_models(_toy().assign(arm="a"), ["pre", "post"], "arm")


def test_all_missing_gives_a_note_not_a_crash() -> None:
    data = _toy()
    data.loc[data["wave"] != "pre", "status"] = "insufficient_items"
    rec = fit_mixed_models(data, ["pre", "post", "fu"])[0]
    assert rec["fixed_effects"] == [] and rec["converged"] is False
    assert "fewer than two waves" in rec["note"]


def test_empty_wave_by_group_cell_gives_a_note() -> None:
    data = _toy()
    data = data.loc[~((data["wave"] == "fu") & (data["arm"] == "b"))]
    rec = fit_mixed_models(data, ["pre", "post", "fu"], "arm")[0]
    # as lme4: the aliased interaction column is dropped and the rest is estimated
    assert rec["participant_variance"] is not None
    assert "wavefu:armb" in rec["note"] and "fu x b" in rec["note"]
    empty = [m for m in rec["wave_means"] if m["wave"] == "fu" and m["group"] == "b"]
    assert empty[0]["mean"] is None and empty[0]["df"] is None
    assert all(m["mean"] is not None for m in rec["wave_means"] if m is not empty[0])


def test_single_score_per_participant_gives_a_note() -> None:
    data = _toy().drop_duplicates("participant_id")
    data.loc[data.index[::2], "wave"] = "post"
    rec = fit_mixed_models(data, ["pre", "post"])[0]
    assert rec["participant_variance"] is None
    assert "single score" in rec["note"]


def test_dropped_wave_and_missing_group_are_noted() -> None:
    data = _toy()
    data.loc[data.index[:3], "arm"] = None
    data.loc[(data["wave"] == "fu"), "status"] = "insufficient_items"
    rec = fit_mixed_models(data, ["pre", "post", "fu"], "arm")[0]
    assert rec["waves"] == ["pre", "post"]
    assert "3 score(s)" in rec["note"] and "fu" in rec["note"]
    assert math.isfinite(rec["participant_variance"])


def test_nullable_and_string_dtypes_give_the_same_fit(scores: pd.DataFrame) -> None:
    part = scores.loc[scores["instrument"] == "oms"]
    plain = fit_mixed_models(part, ["pre", "post", "followup"], "arm")[0]
    nullable = fit_mixed_models(part.convert_dtypes(), ["pre", "post", "followup"], "arm")[0]
    assert nullable["group_column"] == "arm" and nullable["group"] is None
    assert [fe["estimate"] for fe in nullable["fixed_effects"]] == pytest.approx(
        [fe["estimate"] for fe in plain["fixed_effects"]], rel=1e-12
    )


def test_complete_balanced_data_reproduce_raw_means() -> None:
    # with every participant at every wave, the model's wave means are the raw means
    data = _toy(n=40, seed=7)
    rec = fit_mixed_models(data, ["pre", "post", "fu"], "arm")[0]
    raw = data.groupby(["arm", "wave"])["score"].mean()
    for cell in rec["wave_means"]:
        assert cell["mean"] == pytest.approx(raw[(cell["group"], cell["wave"])], rel=1e-10)
        assert cell["n"] == 20
    for c in rec["contrasts"]:
        expected = raw[(c["group"], c["to_wave"])] - raw[(c["group"], "pre")]
        assert c["estimate"] == pytest.approx(expected, rel=1e-9)


def test_unused_categories_count_as_absent() -> None:
    # scoring hands over categoricals; a category no row uses is not a wave or a level
    toy = _toy().assign(arm="a")
    toy["arm"] = pd.Categorical(toy["arm"], categories=["a", "b"])
    with pytest.raises(AnalysisError, match="1 level"):
        fit_mixed_models(toy, ["pre", "post"], "arm")
    waves = _toy()
    waves["wave"] = pd.Categorical(waves["wave"], categories=["pre", "post", "fu", "later"])
    with pytest.raises(AnalysisError, match="later"):
        fit_mixed_models(waves, ["pre", "post", "later"])


def test_a_criterion_finite_at_scattered_points_only_keeps_the_grids_best() -> None:
    # In a degenerate design the profiled REML criterion is infinite for most variance
    # ratios. Brent's method, started around the grid's best point, then ends where it is
    # infinite: the grid's point is the estimate, not refined, and said to be so.
    import math
    import warnings

    from stigma_outcomes.comparison._reml import _optimise_theta

    class Scattered:
        def criterion(self, theta2: float) -> float:
            if theta2 == 0.0:
                return math.inf
            at = round(math.log10(theta2) * 2) / 2
            on_grid = abs(math.log10(theta2) - at) < 1e-12
            return (at - 1.0) ** 2 - 50.0 if on_grid and at in (0.5, 1.0, 1.5) else math.inf

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from inf - inf inside scipy
        theta2, converged, how = _optimise_theta(Scattered())
    assert theta2 == 10.0
    assert not converged
    assert "no finite criterion" in how
