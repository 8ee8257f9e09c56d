"""ANCOVA against R lm / effectsize goldens (tests/golden/ancova/make_golden.R) and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison.ancova import fit_ancova
from stigma_outcomes.errors import AnalysisError, InputError

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ancova"
RTOL = 1e-6


def _list(value: object) -> list:
    # jsonlite writes length-one vectors as scalars
    return [] if value == {} else np.atleast_1d(value).tolist()


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "scores.csv", dtype={"participant_id": str, "wave": str})


@pytest.fixture(scope="module")
def golden() -> list[dict]:
    return json.loads((GOLDEN / "lm.json").read_text())["fits"]


@pytest.mark.parametrize("index", range(6))
def test_matches_r_lm(scores: pd.DataFrame, golden: list[dict], index: int) -> None:
    ref = golden[index]
    part = scores.loc[scores["instrument"] == ref["instrument"]]
    records = fit_ancova(
        part, "pre", "post", "arm", ref["reference_group"], _list(ref["covariates"])
    )
    contrasts = [r for r in records if r["term"] != "group"]
    assert [r["group"] for r in contrasts] == _list(ref["group"])
    assert [r["term"] for r in contrasts] == _list(ref["terms"])
    for rec in records:
        assert rec["n"] == ref["n"]
        assert rec["reference_group"] == ref["reference_group"]
        assert rec["from_wave"] == "pre" and rec["to_wave"] == "post"

    def col(field: str) -> list[float]:
        return [r[field] for r in contrasts]

    np.testing.assert_allclose(col("adjusted_difference"), _list(ref["estimate"]), rtol=RTOL)
    np.testing.assert_allclose(col("adjusted_difference_se"), _list(ref["se"]), rtol=RTOL)
    np.testing.assert_allclose(col("adjusted_difference_ci_low"), _list(ref["ci_low"]), rtol=RTOL)
    np.testing.assert_allclose(col("adjusted_difference_ci_high"), _list(ref["ci_high"]), rtol=RTOL)
    np.testing.assert_allclose(col("t"), _list(ref["t"]), rtol=RTOL)
    np.testing.assert_allclose(col("p"), _list(ref["p"]), rtol=RTOL)
    assert col("df") == [ref["df_residual"]] * len(contrasts)
    np.testing.assert_allclose(
        col("partial_eta_squared"), _list(ref["contrast_partial_eta2"]), rtol=RTOL
    )

    if len(contrasts) == 1:
        # two groups: the contrast is the group term, so no separate overall record
        assert len(records) == 1
        overall = records[0]
    else:
        overall = records[-1]
        assert overall["term"] == "group" and overall["group"] is None
        assert overall["adjusted_difference"] is None
    assert overall["F"] == pytest.approx(ref["F"], rel=RTOL)
    assert (overall["df1"], overall["df2"]) == (ref["df1"], ref["df2"])
    assert overall["partial_eta_squared"] == pytest.approx(ref["group_partial_eta2"], rel=RTOL)
    if len(contrasts) > 1:
        assert overall["p"] == pytest.approx(ref["p_F"], rel=RTOL)


def test_default_reference_is_first_sorted_level(scores: pd.DataFrame) -> None:
    records = fit_ancova(scores, "pre", "post", "arm")
    by_scale = {(r["instrument"], r["group"]) for r in records if r["term"] != "group"}
    assert ("gbs", "program") in by_scale and ("ismi", "site_b") in by_scale
    assert {r["reference_group"] for r in records if r["instrument"] == "gbs"} == {"control"}
    json.dumps(records, allow_nan=False)


def test_categorical_covariate_is_dummy_coded(scores: pd.DataFrame) -> None:
    part = scores.loc[scores["instrument"] == "gbs"].copy()
    part["older"] = np.where(part["age"] > 45, "yes", "no")
    part.loc[part["age"].isna(), "older"] = None
    numeric = fit_ancova(
        part.assign(older=(part["older"] == "yes").astype(float)).loc[part["older"].notna()],
        "pre",
        "post",
        "arm",
        covariates=["older"],
    )[0]
    categorical = fit_ancova(part, "pre", "post", "arm", covariates=["older"])[0]
    assert categorical["n"] == numeric["n"]
    assert categorical["adjusted_difference"] == pytest.approx(numeric["adjusted_difference"])


def _toy() -> pd.DataFrame:
    rows = []
    for i in range(12):
        arm = "a" if i < 6 else "b"
        pre = 10 + i % 4
        rows.append({"participant_id": f"p{i}", "wave": "pre", "arm": arm, "score": pre})
        rows.append({"participant_id": f"p{i}", "wave": "post", "arm": arm, "score": pre - (i % 3)})
    return pd.DataFrame(rows).assign(instrument="x", scale="total", status="ok")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"from_wave": "pre", "to_wave": "pre"}, "two different waves"),
        ({"from_wave": "pre", "to_wave": "fu"}, "wave 'fu'"),
        ({"group_col": "site"}, "site"),
        ({"reference_group": "c"}, "reference group 'c'"),
        ({"covariates": ["age"]}, "age"),
    ],
)
def test_bad_requests_are_clear_errors(kwargs: dict, message: str) -> None:
    args = {"from_wave": "pre", "to_wave": "post", "group_col": "arm", **kwargs}
    with pytest.raises(AnalysisError, match=message):
        fit_ancova(_toy(), **args)


def test_one_group_level_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="1 level"):
        fit_ancova(_toy().assign(arm="a"), "pre", "post", "arm")


def test_scale_with_one_group_in_pairs_gets_a_note() -> None:
    data = _toy()
    data = data.loc[~((data["arm"] == "b") & (data["wave"] == "post"))]
    (rec,) = fit_ancova(data, "pre", "post", "arm")
    assert rec["adjusted_difference"] is None and rec["p"] is None
    assert "one group" in rec["note"]
    assert rec["n"] == 6


def test_too_few_pairs_gets_a_note() -> None:
    data = _toy()
    keep = data["participant_id"].isin(["p0", "p6", "p7"])
    (rec,) = fit_ancova(data.loc[keep], "pre", "post", "arm")
    assert rec["adjusted_difference"] is None
    assert "too few" in rec["note"]


def test_duplicate_participant_rows_are_an_error() -> None:
    # refused where every analysis's scores are validated: the ScoreTable
    data = pd.concat([_toy(), _toy().iloc[:1]], ignore_index=True)
    with pytest.raises(InputError, match="duplicated scores"):
        fit_ancova(data, "pre", "post", "arm")


def test_takes_the_score_table_and_pairs_as_everyone_else() -> None:
    from stigma_outcomes.comparison.table import ScoreTable

    table = ScoreTable.from_scores(_toy(), group_by="arm")
    assert fit_ancova(table, "pre", "post", "arm") == fit_ancova(_toy(), "pre", "post", "arm")
    with pytest.raises(AnalysisError, match="built without the column"):
        fit_ancova(table, "pre", "post", "site")


def test_records_name_their_group_column_and_design(scores: pd.DataFrame) -> None:
    for rec in fit_ancova(scores.convert_dtypes(), "pre", "post", "arm", covariates=["age"]):
        assert rec["group_column"] == "arm" and rec["covariates"] == ["age"]
        assert "type II" in rec["eta_squared_method"]
        assert set(rec["n_by_group"]) <= {"control", "program", "site_a", "site_b", "site_c"}
