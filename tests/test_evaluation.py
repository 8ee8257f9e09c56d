"""The evaluation file: validation errors are one clear message; the schema is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.evaluation import evaluation_json_schema, load_evaluation

ROOT = Path(__file__).resolve().parents[1]


def test_sample_evaluation_is_valid() -> None:
    ev, base = load_evaluation(ROOT / "data" / "sample" / "evaluation.yaml")
    assert ev.groups == "arm" and [d.wave for d in ev.data] == ["pre", "post"]
    assert base == (ROOT / "data" / "sample").resolve()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("data: []\ninstruments: [ucla3]\n", "'data'"),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nprivacy: {min_cell: 0}\n",
            "'privacy.min_cell'",
        ),
        ("data: [{path: a.csv}]\ninstruments: [ucla3]\n", "'data'"),
        ("data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\ncolour: red\n", "'colour'"),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nreport: {language: english}\n",
            "'report.language'",
        ),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nreliability: {ismi29: 0.9}\n",
            "INSTRUMENT.SCALE",
        ),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\n"
            "reliability: {ismi29.total: 1.3}\n",
            "between 0 and 1",
        ),
    ],
)
def test_bad_fields_name_the_field(tmp_path: Path, content: str, field: str) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        load_evaluation(path)
    assert field in str(info.value) and str(path) in str(info.value)


def test_broken_yaml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text("title: ok\ndata: [\n")
    with pytest.raises(InputError, match="not valid YAML") as info:
        load_evaluation(path)
    assert "line" in str(info.value)


def test_published_schema_matches_the_model() -> None:
    published = json.loads((ROOT / "schemas" / "evaluation.schema.json").read_text())
    assert published == json.loads(json.dumps(evaluation_json_schema()))


def test_rci_reliability_defaults_to_the_auto_chain() -> None:
    base = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ismi29"]}
    ev, _ = load_evaluation(base)
    assert ev.rci_reliability == "auto"
    pinned, _ = load_evaluation({**base, "rci_reliability": "definition"})
    assert pinned.rci_reliability == "definition"
    with pytest.raises(InputError, match="rci_reliability"):
        load_evaluation({**base, "rci_reliability": "sample"})


@pytest.mark.filterwarnings("ignore:.*is the old name:DeprecationWarning")
def test_old_keys_read_as_the_new_ones_warn_and_are_listed_as_deprecated() -> None:
    new = {"data": [{"path": "a.csv", "wave_col": "event"}], "instruments": ["ucla3"],
           "id_col": "pcode", "group_by": "arm",
           "privacy": {"min_cell": 7, "pii": ["email"]}}  # fmt: skip
    old = {"data": [{"path": "a.csv", "wave_column": "event"}], "instruments": ["ucla3"],
           "id_column": "pcode", "groups": "arm",
           "privacy": {"threshold": 7, "personal_columns": ["email"]}}  # fmt: skip
    with pytest.warns(DeprecationWarning, match="'id_column' is the old name of 'id_col'"):
        read_old, _ = load_evaluation(old)
    assert read_old == load_evaluation(new)[0]
    assert (read_old.id_column, read_old.data[0].wave_column) == ("pcode", "event")
    assert read_old.privacy.personal_columns == ["email"] == list(read_old.load_settings().pii)
    schema = evaluation_json_schema()
    data_file, privacy = schema["$defs"]["DataFile"], schema["$defs"]["Privacy"]
    cases = [
        (schema, "id_column", "id_col"),
        (schema, "groups", "group_by"),
        (data_file, "wave_column", "wave_col"),
        (privacy, "threshold", "min_cell"),
        (privacy, "personal_columns", "pii"),
    ]
    for model, old_name, new_name in cases:
        properties = model["properties"]
        assert properties[old_name]["deprecated"] is True
        assert f"'{new_name}'" in properties[old_name]["description"]
        assert "deprecated" not in properties[new_name]


def test_the_same_value_under_both_names_is_not_an_error_but_two_values_are() -> None:
    base = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ucla3"]}
    with pytest.warns(DeprecationWarning):
        ev, _ = load_evaluation({**base, "id_col": "pcode", "id_column": "pcode"})
    assert ev.id_col == "pcode"
    with pytest.raises(InputError, match="give 'id_col' or its old name 'id_column', not both"):
        load_evaluation({**base, "id_col": "pcode", "id_column": "code"})


def test_row_ids_in_a_paired_file_name_the_file_keys() -> None:
    # Before: LoadSettings' message, "see LoadSettings (stigma_outcomes.ingest.settings)".
    ev, _ = load_evaluation(
        {"data": [{"path": "pre.csv", "wave": "pre"}, {"path": "post.csv", "wave": "post"}],
         "instruments": ["ucla3"], "id_col": "@row"}
    )  # fmt: skip
    with pytest.raises(InputError) as caught:
        ev.load_settings()
    assert "id_col: '@row'" in caught.value.what
    assert caught.value.where == "evaluation file, id_col"
    assert "unlinked: true" in caught.value.fix and "LoadSettings" not in str(caught.value)
    unlinked, _ = load_evaluation(
        {"data": [{"path": "pre.csv", "wave": "pre"}, {"path": "post.csv", "wave": "post"}],
         "instruments": ["ucla3"], "id_col": "@row", "unlinked": True}
    )  # fmt: skip
    assert unlinked.load_settings().id_col == "@row"
