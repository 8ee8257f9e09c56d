"""compare(): the whole comparison from tidy scores, its designs and its bad-input messages."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison import compare
from stigma_outcomes.errors import AnalysisError, InputError

OPTIONS = {"direction": {"x.t": "higher_is_worse"}, "reliability": {"x.t": 0.8}}


def _scores(n: int = 30, waves=("pre", "post"), seed: int = 1, arm: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.normal(20, 4, n)
    rows = []
    for w, wave in enumerate(waves):
        for i in range(n):
            row = {"participant_id": f"p{i}", "wave": wave, "instrument": "x", "scale": "t",
                   "score": base[i] - 1.5 * w + rng.normal(0, 2), "status": "ok"}  # fmt: skip
            if arm:
                row["arm"] = "control" if i % 3 == 0 else "program"
            rows.append(row)
    return pd.DataFrame(rows)


def _ucla3(n: int = 40, seed: int = 4):
    """Scores and keyed items of the real ucla3 definition (3 items coded 1–3, summed)."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, n)
    rows, items = [], []
    for w, wave in enumerate(("pre", "post", "fu")):
        answers = np.clip(np.round(2 + latent[:, None] * 0.8 - 0.3 * w
                                   + rng.normal(0, 0.5, (n, 3))), 1, 3)  # fmt: skip
        for i in range(n):
            pid = f"u{i}"
            rows.append({"participant_id": pid, "wave": wave, "instrument": "ucla3",
                         "scale": "total", "score": float(answers[i].sum()), "status": "ok",
                         "site": "north" if i % 2 else "south"})  # fmt: skip
            items.append({"participant_id": pid, "wave": wave,
                          **{f"ucla3_{k + 1}": answers[i, k] for k in range(3)}})  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(items)


def test_known_instrument_takes_facts_from_its_definition():
    scores, _ = _ucla3()
    res = compare(scores, "pre", "post")
    (rec,) = res.paired
    assert rec["improvement_sign"] == -1
    assert rec["rci_reliability"] == 0.72
    assert rec["rci_reliability_source"].startswith("definition alpha")
    assert (rec["clinical_cutoff"], rec["recovery_criterion"]) == (6.0, "published")
    assert res.meta["inputs"][0]["name"] == "scores (DataFrame)"


def test_three_waves_add_mixed_models_attrition_and_both_contrasts():
    scores, _ = _ucla3()
    scores = scores[~((scores["wave"] == "fu") & (scores["participant_id"].isin(["u1", "u2"])))]
    res = compare(scores, "pre", "post", followup=["fu"])
    assert [(r["from_wave"], r["to_wave"]) for r in res.paired] == [("pre", "post"), ("pre", "fu")]
    assert len(res.mixed_models) == 1 and res.mixed_models[0]["instrument"] == "ucla3"
    fu = next(r for r in res.attrition if r["wave"] == "fu")
    assert (fu["n_completers"], fu["n_dropouts"]) == (38, 2)
    assert res.ancova == []


def test_group_column_adds_per_group_records_and_ancova():
    res = compare(_scores(arm=True), "pre", "post", group_by="arm", **OPTIONS)
    assert [r["group"] for r in res.paired] == [None, "control", "program"]
    assert sum(r["n_pairs"] for r in res.paired[1:]) == res.paired[0]["n_pairs"]
    assert res.ancova and res.ancova[0]["reference_group"] == "control"
    assert res.meta["settings"]["group_levels"] == ["control", "program"]


def test_keyed_items_add_in_sample_reliability_usable_for_rci():
    scores, items = _ucla3()
    res = compare(scores, "pre", "post", keyed_items=items, rci_reliability="in_sample")
    waves = [r["wave"] for r in res.reliability]
    assert waves == ["pre", "post", "fu"]
    alpha_pre = res.reliability[0]["alpha"]
    assert 0 < alpha_pre < 1
    assert res.paired[0]["rci_reliability"] == pytest.approx(alpha_pre)
    assert res.paired[0]["rci_reliability_source"].startswith("in-sample alpha at 'pre'")
    with pytest.raises(InputError, match="keyed item responses"):
        compare(scores, "pre", "post", rci_reliability="in_sample")


def test_missing_wave_lists_the_waves_present():
    with pytest.raises(AnalysisError, match="'follow'") as err:
        compare(_scores(), "pre", "post", followup=["follow"], **OPTIONS)
    assert "waves present: 'post', 'pre'" in str(err.value)


def test_all_scores_missing():
    scores = _scores().assign(status="insufficient_items", score=np.nan)
    with pytest.raises(AnalysisError, match="no usable scores"):
        compare(scores, "pre", "post", **OPTIONS)
    half = _scores()
    half.loc[half["wave"] == "post", "status"] = "insufficient_items"
    with pytest.raises(AnalysisError, match="wave 'post' has no usable scores"):
        compare(half, "pre", "post", **OPTIONS)


def test_group_column_with_one_level():
    scores = _scores().assign(arm="only")
    with pytest.raises(AnalysisError, match="1 level"):
        compare(scores, "pre", "post", group_by="arm", **OPTIONS)


def test_no_linked_ids_without_unlinked_says_to_use_unlinked():
    scores = _scores()
    scores.loc[scores["wave"] == "post", "participant_id"] += "_b"
    with pytest.raises(AnalysisError, match="no participant has scores at both") as err:
        compare(scores, "pre", "post", **OPTIONS)
    assert "--unlinked" in str(err.value)
    res = compare(scores, "pre", "post", unlinked=True, **OPTIONS)
    assert res.unlinked[0]["design"] == "unlinked" and res.meta["warnings"] == []


def test_fewer_than_two_pairs_gives_a_flagged_record():
    scores = _scores(n=5)
    scores.loc[(scores["wave"] == "post") & (scores["participant_id"] != "p0"), "status"] = "x"
    (rec,) = compare(scores, "pre", "post", **OPTIONS).paired
    assert rec["n_pairs"] == 1 and rec["suppress"] is True
    assert rec["t"] is None and rec["p_t_holm"] is None
    assert "fewer than 2 complete pairs" in rec["note"]


def test_zero_variance_of_change_gives_a_flagged_record():
    scores = _scores(n=8)
    pre = scores[scores["wave"] == "pre"]["score"].to_numpy()
    scores.loc[scores["wave"] == "post", "score"] = pre - 2
    (rec,) = compare(scores, "pre", "post", **OPTIONS).paired
    assert rec["mean_change"] == pytest.approx(-2) and rec["d_z"] is None
    assert "essentially constant" in rec["note"]


def test_same_wave_twice_and_bad_settings():
    with pytest.raises(InputError, match="named twice"):
        compare(_scores(), "pre", "pre", **OPTIONS)
    with pytest.raises(InputError, match="rci_sd"):
        compare(_scores(), "pre", "post", rci_sd="pooled", **OPTIONS)
    with pytest.raises(InputError, match="not found"):
        compare("/nonexistent/scores.csv", "pre", "post")


def test_unknown_scale_without_facts_is_a_clear_error():
    with pytest.raises(InputError, match="direction is unknown"):
        compare(_scores(), "pre", "post")


def test_waves_are_compared_as_text(tmp_path):
    scores = _scores(waves=("1", "2"))
    path = tmp_path / "scores.csv"
    scores.to_csv(path, index=False)
    res = compare(path, "1", "2", **OPTIONS)
    assert res.paired[0]["from_wave"] == "1" and res.paired[0]["n_pairs"] == 30


def test_row_number_ids_get_a_warning_that_they_may_not_link_people():
    scores = _scores(n=12)
    scores["participant_id"] = scores["participant_id"].str.removeprefix("p").astype(int) + 1
    res = compare(scores, "pre", "post", **OPTIONS)
    assert any("row numbers" in w and "--unlinked" in w for w in res.meta["warnings"])
    assert compare(_scores(n=12), "pre", "post", **OPTIONS).meta["warnings"] == []


def _real_totals(instruments: tuple[str, ...], n: int = 60, seed: int = 11):
    """Scores and keyed items for the 'total' scale of real definitions (items coded 1–4)."""
    from stigma_outcomes.instruments.registry import Registry

    rng = np.random.default_rng(seed)
    reg = Registry()
    ids = [f"r{i}" for i in range(n)]
    score_frames, item_frames = [], []
    for w, wave in enumerate(("pre", "post")):
        items = pd.DataFrame({"participant_id": ids, "wave": wave})
        for inst in instruments:
            (total,) = [s for s in reg.get(inst).scales if s.id == "total"]
            latent = rng.normal(0, 1, n)[:, None] - 0.3 * w
            noise = rng.normal(0, 0.7, (n, len(total.items)))
            codes = np.clip(np.round(2.5 + latent + noise), 1, 4)
            for k, item in enumerate(total.items):
                items[f"{inst}_{item}"] = codes[:, k]
            score_frames.append(
                pd.DataFrame({"participant_id": ids, "wave": wave, "instrument": inst,
                              "scale": "total", "score": codes.sum(axis=1), "status": "ok"})
            )  # fmt: skip
        item_frames.append(items)
    return pd.concat(score_frames, ignore_index=True), pd.concat(item_frames, ignore_index=True)


def _by_instrument(res):
    return {r["instrument"]: r for r in res.paired if r["group"] is None}


def test_auto_chain_user_value_then_retest_then_alpha_then_in_sample():
    scores, items = _real_totals(("ucla20", "ucla3", "ismi29", "gbs"))
    res = compare(scores, "pre", "post", keyed_items=items, reliability={"gbs.total": 0.91})
    assert res.meta["settings"]["rci_reliability"] == "auto"
    rec = _by_instrument(res)
    # a user value beats the definition's alpha (0.95)
    assert (rec["gbs"]["rci_reliability"], rec["gbs"]["rci_reliability_source"]) == (
        0.91,
        "user override",
    )
    # ucla20 has both a test-retest r (0.73) and an alpha (0.89): test-retest wins
    assert rec["ucla20"]["rci_reliability"] == 0.73
    assert rec["ucla20"]["rci_reliability_source"] == (
        "definition test-retest (Russell (1996) abstract; tpcjournal summary, 1 year)"
    )
    # ucla3 has only an alpha
    assert rec["ucla3"]["rci_reliability"] == 0.72
    assert rec["ucla3"]["rci_reliability_source"].startswith("definition alpha (Hughes")
    # ismi29 has neither: the sample's alpha at the from-wave, with its n
    (pre_alpha,) = [
        r for r in res.reliability if r["instrument"] == "ismi29" and r["wave"] == "pre"
    ]
    assert rec["ismi29"]["rci_reliability"] == pytest.approx(pre_alpha["alpha"])
    assert rec["ismi29"]["rci_reliability_source"] == "in-sample alpha at 'pre' (n = 60)"
    assert rec["ismi29"]["n_reliably_improved"] is not None
    assert math.isfinite(rec["ismi29"]["rci_threshold"])


def test_auto_without_keyed_items_leaves_reliable_change_undefined():
    scores, _ = _real_totals(("ismi29", "ucla3"))
    rec = _by_instrument(compare(scores, "pre", "post"))
    assert rec["ucla3"]["rci_reliability_source"].startswith("definition alpha")
    assert rec["ismi29"]["rci_reliability"] is None or math.isnan(rec["ismi29"]["rci_reliability"])
    assert rec["ismi29"]["rci_reliability_source"] is None
    assert rec["ismi29"]["n_reliably_improved"] is None
    assert "no reliability" in rec["ismi29"]["note"]


def test_definition_choice_never_uses_the_sample_and_in_sample_prefers_it():
    scores, items = _real_totals(("ismi29", "ucla3"))
    plain = _by_instrument(
        compare(scores, "pre", "post", keyed_items=items, rci_reliability="definition")
    )
    assert plain["ismi29"]["n_reliably_improved"] is None
    assert plain["ucla3"]["rci_reliability"] == 0.72
    sample = _by_instrument(
        compare(scores, "pre", "post", keyed_items=items, rci_reliability="in_sample",
                reliability={"ucla3.total": 0.8})
    )  # fmt: skip
    assert sample["ismi29"]["rci_reliability_source"] == "in-sample alpha at 'pre' (n = 60)"
    assert sample["ucla3"]["rci_reliability_source"] == "user override"
    with pytest.raises(InputError, match="setting 'rci_reliability': Input should be 'auto'"):
        compare(scores, "pre", "post", rci_reliability="sample")


def test_categorical_and_text_scores_give_the_same_results():
    # scoring hands compare categorical key columns; a scores file gives text
    scores = _scores(n=40, waves=("pre", "post", "fu"), arm=True)
    as_text = compare(scores, "pre", "post", followup=["fu"], group_by="arm", **OPTIONS)
    cats = scores.astype({c: "category" for c in ("participant_id", "wave", "instrument",
                                                  "scale", "status", "arm")})  # fmt: skip
    as_cats = compare(cats, "pre", "post", followup=["fu"], group_by="arm", **OPTIONS)
    for section in ("paired", "attrition", "mixed_models", "ancova"):
        ours, theirs = getattr(as_cats, section), getattr(as_text, section)
        assert len(ours) == len(theirs) > 0, section
        for a, b in zip(ours, theirs, strict=True):
            assert a.keys() == b.keys()
            for key in a:
                if isinstance(a[key], float) and math.isnan(a[key]):
                    assert math.isnan(b[key]), (section, key)
                elif isinstance(a[key], float):
                    assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-12), (section, key)
                else:
                    assert a[key] == b[key], (section, key)


def test_reliable_change_table_uses_the_same_chain():
    from stigma_outcomes.comparison import reliable_change_table

    scores, items = _real_totals(("ismi29", "ucla3"))
    table = reliable_change_table(scores, "pre", "post", keyed_items=items)
    res = compare(scores, "pre", "post", keyed_items=items)
    for rec in res.paired:
        rows = table[table["instrument"] == rec["instrument"]]
        assert (rows["reliable_change"] == "improved").sum() == rec["n_reliably_improved"]
        assert (rows["reliable_change"] == "deteriorated").sum() == rec["n_reliably_deteriorated"]
    plain = reliable_change_table(scores, "pre", "post", rci_reliability="definition")
    assert plain.loc[plain["instrument"] == "ismi29", "reliable_change"].isna().all()


def test_every_field_of_model_records_is_documented():
    from stigma_outcomes.comparison.fields import MODEL_SECTION_DOCS

    scores, items = _ucla3()
    mixed = compare(scores, "pre", "post", followup=["fu"], keyed_items=items)
    grouped = compare(_scores(arm=True), "pre", "post", group_by="arm", **OPTIONS)
    records = {
        "mixed_models": mixed.mixed_models,
        "reliability": mixed.reliability,
        "ancova": grouped.ancova,
    }
    for section, recs in records.items():
        assert recs, section
        fields = set().union(*(set(r) for r in recs))
        undocumented = fields - set(MODEL_SECTION_DOCS[section])
        assert not undocumented, f"{section}: document {sorted(undocumented)} in fields.py"


def test_pooling_by_site_agrees_whether_or_not_sites_are_the_groups():
    from pathlib import Path

    from stigma_outcomes.comparison.pooling import pool_paired

    golden = Path(__file__).parents[1] / "golden" / "paired"
    common = {"scale_info": golden / "scale_info.yaml", "followup": ["fu"]}
    as_groups = compare(golden / "scores.csv", "pre", "post", group_by="site",
                        pool_by="site", **common)  # fmt: skip
    apart = compare(golden / "scores.csv", "pre", "post", pool_by="site", **common)
    assert as_groups.pooled == apart.pooled
    # one record per scale × contrast × effect, each pooling the sites' own paired records
    contrasts = {(r["from_wave"], r["to_wave"]) for r in apart.pooled}
    assert contrasts == {("pre", "post"), ("pre", "fu")}
    assert as_groups.pooled == pool_paired(as_groups.paired, by="site", min_cell=5)
    # pooling leaves the other sections as they were
    plain = compare(golden / "scores.csv", "pre", "post", **common)
    assert apart.paired == plain.paired and plain.pooled == []


def test_pooling_is_for_linked_designs():
    df = pd.DataFrame({
        "participant_id": [f"p{i}" for i in range(20)],
        "wave": ["pre"] * 10 + ["post"] * 10, "instrument": "ucla3", "scale": "total",
        "score": [5.0, 6, 7, 5, 6, 7, 5, 6, 7, 8] * 2, "status": "ok",
        "site": ["a", "b"] * 10,
    })  # fmt: skip
    res = compare(df, "pre", "post", unlinked=True, pool_by="site")
    assert res.pooled == []
    assert any("pooling across sites" in n for n in res.meta["not_computed"])


def test_unlinked_share_defaults_to_outside_the_clinical_range():
    # PHQ-9 total: clinical range score >= 10 (definition), higher is worse. Without a
    # threshold the share counts people outside the range: score < 10 (not <= 10).
    before = [12.0, 10, 9, 15, 4, 10, 11, 8]  # below 10: 9, 4, 8 → 3 of 8
    after = [9.0, 10, 5, 7, 12, 3, 9]  # below 10: 9, 5, 7, 3, 9 → 5 of 7
    df = pd.DataFrame({
        "participant_id": [f"b{i}" for i in range(8)] + [f"a{i}" for i in range(7)],
        "wave": ["pre"] * 8 + ["post"] * 7, "instrument": "phq9", "scale": "total",
        "score": before + after, "status": "ok",
    })  # fmt: skip
    rec = compare(df, "pre", "post", unlinked=True).unlinked[0]
    assert rec["threshold"] == 10 and rec["threshold_rule"] == "score < 10"
    assert (rec["n_beyond_before"], rec["n_beyond_after"]) == (3, 5)
    assert rec["risk_difference"] == pytest.approx(5 / 7 - 3 / 8)
    assert "outside the clinical range score >= 10" in rec["note"]
    # a user threshold still wins, with the usual inclusive rule
    user = compare(
        df, "pre", "post", unlinked=True, clinical_threshold={"phq9.total": 10}
    ).unlinked[0]
    assert user["threshold_rule"] == "score <= 10"
    assert (user["n_beyond_before"], user["n_beyond_after"]) == (5, 6)


def test_compare_takes_a_score_result_whole() -> None:
    """compare(score(...)): the definitions scored (a user's own, given only as an object)
    and the keyed items travel in one argument, so reliability and direction need no more."""
    import yaml

    import stigma_outcomes as so
    from stigma_outcomes.instruments import builtin_dir, parse_instrument

    data = yaml.safe_load((builtin_dir() / "ucla3.yaml").read_text(encoding="utf-8"))
    data["id"], data["domain"] = "mine3", "programme_satisfaction"
    mine = parse_instrument(data, "mine3.yaml")
    rng = np.random.default_rng(3)
    n = 40
    base = rng.integers(1, 4, size=(n, 1))
    frames = []
    for wave, shift in (("pre", 0), ("post", 1)):
        items = np.clip(base + rng.integers(-1, 2, size=(n, 3)) * (rng.random((n, 3)) < 0.3)
                        - shift * (rng.random((n, 1)) < 0.5), 1, 3)  # fmt: skip
        frame = pd.DataFrame(items, columns=["mine3_1", "mine3_2", "mine3_3"])
        frames.append(frame.assign(id=[f"p{i}" for i in range(n)], wave=wave))
    scored = so.score(pd.concat(frames, ignore_index=True), [mine], wave_col="wave")
    results = so.compare(scored, "pre", "post")
    assert [r["instrument"] for r in results.paired] == ["mine3"]
    assert [(r["instrument"], r["scale"]) for r in results.reliability][:1] == [("mine3", "total")]
