"""The results object, its JSON (deterministic, schema-valid) and CSV."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from stigma_outcomes.comparison import Results, compare, results_json_schema
from stigma_outcomes.comparison.results import SCHEMA_PATH, SECTIONS, schema_text
from stigma_outcomes.errors import InputError

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"


@pytest.fixture(scope="module")
def results() -> Results:
    return compare(
        GOLDEN / "scores.csv", "pre", "post", followup=["fu"], group_by="site",
        scale_info=GOLDEN / "scale_info.yaml",
    )  # fmt: skip


def test_published_schema_files_are_current():
    assert SCHEMA_PATH.read_text() == schema_text()
    published = Path(__file__).parents[2] / "schemas" / "results.schema.json"
    assert published.read_text() == schema_text()


def test_every_field_is_documented():
    from stigma_outcomes.comparison.fields import SECTION_DOCS, fields_markdown
    from stigma_outcomes.comparison.results import SECTION_FIELDS

    for section, fields in SECTION_FIELDS.items():
        assert set(fields) <= set(SECTION_DOCS[section]), section
    docs = Path(__file__).parents[2] / "docs" / "results-fields.md"
    assert docs.read_text() == fields_markdown()


def test_every_record_field_is_declared(results):
    from stigma_outcomes.comparison.results import SECTION_FIELDS

    for section in ("paired", "attrition"):
        for rec in getattr(results, section):
            assert set(rec) == set(SECTION_FIELDS[section]), section
    pooled = compare(
        GOLDEN / "scores.csv", "pre", "post", pool_by="site",
        scale_info=GOLDEN / "scale_info.yaml",
    ).pooled  # fmt: skip
    assert pooled, "the golden scores have sites to pool"
    for rec in pooled:
        assert set(rec) == set(SECTION_FIELDS["pooled"])


def test_json_validates_against_the_schema(results, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    path = results.to_json(tmp_path / "r.json")
    data = json.loads(path.read_text())
    jsonschema.Draft202012Validator(results_json_schema()).validate(data)
    assert list(data) == sorted(data) and set(data) == {"meta", *SECTIONS}


def test_schema_rejects_a_paired_record_without_design(results):
    jsonschema = pytest.importorskip("jsonschema")
    data = results.to_dict()
    del data["paired"][0]["design"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, results_json_schema())


def test_json_is_deterministic_and_has_no_nan(results, tmp_path):
    a = results.to_json(tmp_path / "a.json").read_bytes()
    again = compare(
        GOLDEN / "scores.csv", "pre", "post", followup=["fu"], group_by="site",
        scale_info=GOLDEN / "scale_info.yaml",
    )  # fmt: skip
    b = again.to_json(tmp_path / "b.json").read_bytes()
    assert a == b
    assert b"NaN" not in a and b"Infinity" not in a
    assert not list(tmp_path.glob("*.part"))


def test_meta_records_version_settings_and_checksum(results):
    meta = results.to_dict()["meta"]
    assert meta["package"] == "stigma_outcomes" and meta["version"]
    assert meta["inputs"][0]["name"] == "scores.csv" and len(meta["inputs"][0]["sha256"]) == 64
    assert meta["settings"]["followup"] == ["fu"] and meta["settings"]["group_by"] == "site"
    assert "paired t tests" in meta["multiplicity"]["family"]


def test_to_dict_cleans_values():
    res = Results(paired=[{"a": np.float64("nan"), "b": np.int64(3), "c": np.inf,
                           "d": np.bool_(True), "e": 0.1 + 0.2}])  # fmt: skip
    rec = res.to_dict()["paired"][0]
    assert rec == {"a": None, "b": 3, "c": None, "d": True, "e": 0.3}
    assert isinstance(rec["b"], int)


def test_frames_and_csv(results, tmp_path):
    paired = results.to_frame()
    assert list(paired.columns[:7]) == [
        "design", "instrument", "scale", "group_column", "group", "from_wave", "to_wave",
    ]  # fmt: skip
    assert len(paired) == len(results.paired)
    stacked = results.to_frame(None)
    assert set(stacked["section"]) == {"paired", "mixed_models", "ancova", "attrition"}
    path = results.to_csv(tmp_path / "r.csv")
    assert path.read_text().splitlines()[0].startswith("section,")
    with pytest.raises(InputError, match="unknown results section"):
        results.to_frame("bogus")


def test_csv_neutralises_formula_like_text(tmp_path):
    res = Results(paired=[{"instrument": "x", "scale": "t", "group": "=HYPERLINK(1)"}])
    text = res.to_csv(tmp_path / "r.csv").read_text()
    assert "'=HYPERLINK(1)" in text


def test_round_trip_through_json(results, tmp_path):
    path = results.to_json(tmp_path / "r.json")
    back = Results.read_json(path)
    assert len(back.paired) == len(results.paired)
    first = back.paired[0]
    assert first["n_pairs"] == results.paired[0]["n_pairs"]
    assert math.isclose(first["t"], results.paired[0]["t"], rel_tol=1e-14)
    bad = tmp_path / "bad.json"
    bad.write_text('{"paired": [], "weird": 1}')
    with pytest.raises(InputError, match="unexpected key"):
        Results.read_json(bad)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xfb" + b'{"paired": []}', "cannot read results file"),  # not UTF-8 (found by fuzz)
        (b"[" * 100_000, "nested too deeply"),
        (b"[1, 2]", "expected a JSON object"),
    ],
)
def test_a_file_that_is_not_results_is_one_clear_error(tmp_path, content, problem):
    bad = tmp_path / "r.json"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=problem) as err:
        Results.read_json(bad)
    assert err.value.where == str(bad) and "compare" in err.value.fix


def test_results_in_another_encoding_are_read(results, tmp_path):
    data = results.to_dict()
    data["meta"]["title"] = "Évaluation"
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("latin-1"))
    assert Results.read_json(path).meta["title"] == "Évaluation"


def test_a_folder_or_a_pipe_is_refused_before_it_is_opened(tmp_path):
    import os

    with pytest.raises(InputError, match="is a folder"):
        Results.read_json(tmp_path)
    pipe = tmp_path / "r.json"
    os.mkfifo(pipe)  # reading it would wait forever
    with pytest.raises(InputError, match="not a regular file"):
        Results.read_json(pipe)


def test_repr_is_short_on_a_full_results_file() -> None:
    """repr never prints the records (it once printed 132,164 characters for the sample)."""
    records = [{"instrument": "ucla3", "scale": "total", "t": 1.0, "p": 0.3}] * 500
    results = Results(paired=records, attrition=records, meta={"settings": {"design": "linked"}})
    assert repr(results) == "Results(design='linked', paired=500, attrition=500)"
    assert "<table>" in results._repr_html_() and "ucla3" in results._repr_html_()
