"""Pooling separately analysed programmes from their results (comparison/combine.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stigma_outcomes.comparison import compare, pool_results
from stigma_outcomes.errors import AnalysisError, InputError

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"
INFO = GOLDEN / "scale_info.yaml"


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "scores.csv", dtype={"participant_id": str})


def _strip(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("pooled_over",)} for r in records]


def test_separate_results_pool_like_one_dataset_with_a_site_column(scores, tmp_path) -> None:
    # Each site analysed on its own, as two programmes would, then pooled from the files:
    # the same studies, so the same pooled records as compare(pool_by="site").
    files = []
    for site in sorted(scores["site"].unique()):
        res = compare(scores[scores["site"] == site], "pre", "post", scale_info=INFO)
        files.append(res.to_json(tmp_path / f"{site}.json"))
    separate = pool_results(files)
    together = compare(scores, "pre", "post", scale_info=INFO, pool_by="site").pooled
    assert separate.meta["settings"]["sources"] == sorted(scores["site"].unique())
    assert [r["pooled_over"] for r in separate.pooled] == ["source"] * len(together)
    pooled = _strip(separate.pooled)
    expected = _strip(together)
    assert len(pooled) == len(expected) > 0
    for got, want in zip(pooled, expected, strict=True):
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-14), key
            elif key != "studies":
                assert got[key] == value, key
    # the results file of the pooling validates like any other
    separate.to_json(tmp_path / "pooled.json")


def test_labels_and_errors(scores) -> None:
    res = compare(scores, "pre", "post", scale_info=INFO)
    pooled = pool_results([res, res.to_dict()], ["north", "south"]).pooled
    assert {s["level"] for r in pooled for s in r["studies"]} == {"north", "south"}
    with pytest.raises(InputError, match="distinct names"):
        pool_results([res, res], ["a", "a"])
    with pytest.raises(InputError, match="at least two"):
        pool_results([res])
    with pytest.raises(InputError, match="not found"):
        pool_results([res, "missing.json"])
    unlinked = compare(scores, "pre", "post", scale_info=INFO, unlinked=True)
    with pytest.raises(AnalysisError, match="whole-sample paired"):
        pool_results([unlinked, unlinked], ["a", "b"])


def test_pool_method_is_named_as_in_compare_and_method_is_its_old_name(scores) -> None:
    res = compare(scores, "pre", "post", scale_info=INFO)
    dl = pool_results([res, res.to_dict()], ["north", "south"], pool_method="DL")
    assert {r["method"] for r in dl.pooled} == {"DL"} and dl.meta["settings"]["pool_method"] == "DL"
    with pytest.warns(DeprecationWarning):
        old = pool_results([res, res.to_dict()], ["north", "south"], method="DL")
    assert old.pooled == dl.pooled
    with pytest.raises(InputError, match="not both"):
        pool_results([res, res], ["a", "b"], pool_method="DL", method="REML")
