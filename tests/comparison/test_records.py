"""The record models: the one declaration of each results field, and the check on reading."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison import Results, compare
from stigma_outcomes.comparison.records import (
    RESULTS_SCHEMA_VERSION,
    SECTION_MODELS,
    PairedRecord,
    validate_results,
)
from stigma_outcomes.errors import InputError

GOLDEN = Path(__file__).parents[1] / "golden"


@pytest.fixture(scope="module")
def full() -> Results:
    """Every linked section at once: groups, a follow-up, pooling and keyed items."""
    return compare(
        GOLDEN / "paired" / "scores.csv", "pre", "post", followup=["fu"], group_by="site",
        scale_info=GOLDEN / "paired" / "scale_info.yaml", pool_by="site",
    )  # fmt: skip


@pytest.fixture(scope="module")
def reliability() -> Results:
    rng = np.random.default_rng(12)
    n = 40
    trait = rng.normal(size=n)
    ids = [f"p{i}" for i in range(n)] * 2
    waves = ["pre"] * n + ["post"] * n
    items = pd.DataFrame(
        {f"x_q{j}": np.round(2 + np.tile(trait, 2) + rng.normal(size=2 * n)) for j in (1, 2, 3)}
    ).assign(participant_id=ids, wave=waves)
    scores = pd.DataFrame({"participant_id": ids, "wave": waves, "instrument": "x",
                           "scale": "total", "status": "ok",
                           "score": items[["x_q1", "x_q2", "x_q3"]].sum(axis=1)})  # fmt: skip
    return compare(
        scores, "pre", "post", keyed_items=items, scale_items={("x", "total"): ["q1", "q2", "q3"]},
        direction={"x.total": "higher_is_worse"}, reliability={"x.total": 0.8},
    )  # fmt: skip


def _declared(section: str) -> set[str]:
    return set(SECTION_MODELS[section].model_fields)


def test_compare_output_fits_every_model_strictly(full, reliability):
    unlinked = compare(
        GOLDEN / "unlinked" / "scores.csv", "before", "after", unlinked=True, group_by="session",
        direction={"anon.cont": "higher_is_better", "anon.likert": "higher_is_worse",
                   "anon.big": "higher_is_better"},
        reliability={"anon.cont": 0.8, "anon.likert": 0.8, "anon.big": 0.8},
        clinical_threshold={"anon.cont": 22},
    )  # fmt: skip
    seen = set()
    for results in (full, reliability, unlinked):
        data = results.to_dict()
        assert data["meta"]["schema_version"] == RESULTS_SCHEMA_VERSION
        validate_results(data)
        for section, records in results.sections():
            for rec in records:
                SECTION_MODELS[section].model_validate(rec)
                # every field compare writes is declared (with its type and meaning)
                assert set(rec) <= _declared(section), (section, set(rec) - _declared(section))
                seen.add(section)
    assert seen == set(SECTION_MODELS)


def test_undefined_is_none_in_the_api_and_null_in_json(full):
    values = [v for _, recs in full.sections() for r in recs for v in r.values()]
    assert not any(isinstance(v, float) and v != v for v in values)
    small = [r for r in full.paired if r["n_pairs"] <= 2]
    assert small and all(r["g_av"] is None for r in small)
    # to_frame is pandas: undefined is NaN there
    assert full.to_frame()["g_av"].isna().sum() == len(small)


def test_round_trip_is_exact(full, tmp_path):
    back = Results.read_json(full.to_json(tmp_path / "r.json"))
    assert back.to_dict() == full.to_dict()


def test_a_versioned_file_must_be_complete(full):
    data = full.to_dict()
    del data["paired"][0]["p_t_holm"]
    with pytest.raises(InputError, match=r"paired\[0\] lacks the field 'p_t_holm'"):
        Results.from_dict(data)


def test_a_file_older_than_versions_is_checked_field_by_field(full):
    data = full.to_dict()
    del data["meta"]["schema_version"]
    del data["paired"][0]["p_t_holm"]  # older files lack later fields: accepted
    assert Results.from_dict(data).paired[0].get("p_t_holm") is None
    data["paired"][0]["n_pairs"] = 3.5
    with pytest.raises(InputError, match=r"paired\[0\]\.n_pairs has the wrong type"):
        Results.from_dict(data)


@pytest.mark.parametrize(
    ("section", "field", "value", "problem"),
    [
        ("paired", "t", "1.2", "a number is expected"),
        ("paired", "suppress", 1, "true or false"),
        ("attrition", "n_dropouts", "4", "a whole number"),
        ("pooled", "studies", "site A", "list"),
        ("mixed_models", "group_levels", 3, "list"),
    ],
)
def test_a_wrong_type_is_one_clear_error(full, section, field, value, problem):
    data = full.to_dict()
    data[section][0][field] = value
    with pytest.raises(InputError, match=problem) as err:
        validate_results(data, "r.json")
    assert f"{section}[0].{field}" in err.value.what and err.value.where == "r.json"


def test_a_newer_layout_is_refused(full):
    data = full.to_dict()
    data["meta"]["schema_version"] = "99.0"
    with pytest.raises(InputError, match=r"layout version 99\.0"):
        validate_results(data)


def test_unknown_fields_are_kept(full, tmp_path):
    data = full.to_dict()
    data["paired"][0]["from_a_later_version"] = 1
    assert Results.from_dict(data).paired[0]["from_a_later_version"] == 1


def test_the_models_are_the_schema_and_the_docs():
    from stigma_outcomes.comparison.records import fields_markdown, results_json_schema

    schema = results_json_schema()["properties"]["paired"]["items"]
    info = PairedRecord.model_fields["n_pairs"]
    assert schema["properties"]["n_pairs"] == {"type": ["integer", "null"], "minimum": 0,
                                               "description": info.description}  # fmt: skip
    assert schema["properties"]["improvement_sign"]["enum"] == [-1, 1, None]
    assert "n_pairs" in schema["required"] and "sd_change" not in schema["required"]
    docs = fields_markdown()
    assert f"| `n_pairs` | integer or null, 0 or more | yes | {info.description} |" in docs
    assert "| `improvement_sign` | integer or null: -1 or +1 | yes |" in docs


@pytest.mark.parametrize(
    ("section", "field", "value", "problem"),
    [
        ("paired", "n_pairs", -1, "a whole number of 0 or more"),
        ("paired", "n_reliably_improved", -2.0, "a whole number of 0 or more"),
        ("attrition", "n_dropouts", -3, "a whole number of 0 or more"),
        ("paired", "improvement_sign", 0, r"\+1 or -1"),
        ("paired", "improvement_sign", 2, r"\+1 or -1"),
    ],
)
def test_a_count_below_zero_or_a_sign_not_one_is_refused(full, section, field, value, problem):
    """Of the right type but impossible: refused here, with the field named, not deep in the
    report's disclosure audit (found by the long fuzz run: a reliability record's n of -1)."""
    data = full.to_dict()
    data[section][0][field] = value
    with pytest.raises(InputError, match=problem) as err:
        validate_results(data, "r.json")
    assert f"{section}[0].{field} is out of range" in err.value.what


def test_zero_counts_and_both_signs_are_accepted(full):
    data = full.to_dict()
    data["paired"][0]["n_worsened"] = 0
    data["paired"][0]["improvement_sign"] = -1
    data["paired"][1]["improvement_sign"] = 1.0  # as JSON may carry it
    assert validate_results(data)["paired"][0]["n_worsened"] == 0


def test_the_report_cli_refuses_a_bad_results_file(tmp_path, full):
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    data = full.to_dict()
    data["paired"][0]["n_pairs"] = "many"
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["report", str(bad), "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "paired[0].n_pairs has the wrong type" in result.output
    assert "Traceback" not in result.output


def test_the_report_cli_refuses_a_count_below_zero(tmp_path, reliability):
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    data = reliability.to_dict()
    data["reliability"][0]["n"] = -1
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps(data))
    result = CliRunner().invoke(app, ["report", str(bad), "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2, result.output
    assert "reliability[0].n is out of range (a whole number of 0 or more" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "x.pdf").exists()


def test_plain_copies_for_the_api_or_for_a_results_file() -> None:
    from stigma_outcomes.comparison.records._types import plain

    marker = object()
    value = {
        1: np.float64(2 / 3),
        "n": np.int64(4),
        "flag": np.bool_(True),
        "gone": [float("nan"), np.inf, pd.NA, pd.NaT, None],
        "arr": np.array([0.1, 0.2]),
        "frame": pd.DataFrame({"a": [1.0 / 7, np.nan]}),
        "when": pd.Timestamp("2025-03-01"),
        "obj": marker,
    }
    api = plain(value)
    assert api["1"] == 2 / 3 and type(api["n"]) is int and api["flag"] is True
    assert api["gone"] == [None] * 5 and api["arr"] == [0.1, 0.2]
    assert api["frame"] is value["frame"] and api["obj"] is marker  # objects stay themselves
    file = plain(value, for_json=True)
    assert file["1"] == float(f"{2 / 3:.15g}") != 2 / 3  # 15 significant digits
    assert file["frame"] == [{"a": float(f"{1 / 7:.15g}")}, {"a": None}]
    assert file["when"] == "2025-03-01 00:00:00" and file["obj"] == str(marker)
    assert json.loads(json.dumps(file, allow_nan=False)) == file
