"""The mapping file: validation, per-file and per-wave sections, and its published schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stigma_outcomes.errors import MappingError
from stigma_outcomes.ingest.mapping import load_mapping, mapping_json_schema

REPO = Path(__file__).resolve().parents[2]


def test_sections_inherit_and_override() -> None:
    mapping = load_mapping(
        {
            "instruments": {"ucla3": {"pattern": "Q5_{item}", "recode": {0: 1, 1: 2, 2: 3}}},
            "files": {"post.csv": {"instruments": {"ucla3": {"pattern": "Q9_{item}"}}}},
            "waves": {"followup": {"instruments": {"ucla3": {"columns": {"1": "FU1"}}}}},
        }
    )
    top = mapping.for_source("ucla3", "pre.csv", "pre")
    post = mapping.for_source("ucla3", "post.csv", "post")
    follow = mapping.for_source("ucla3", "fu.csv", "followup")
    assert (top.pattern, post.pattern, follow.pattern) == ("Q5_{item}", "Q9_{item}", "Q5_{item}")
    assert post.recode == {"0": 1, "1": 2, "2": 3}  # inherited from the top level
    assert follow.columns == {"1": "FU1"}
    assert mapping.for_source("gbs", None, None).pattern is None


def test_recode_label_keys_are_case_and_space_folded() -> None:
    mapping = load_mapping({"instruments": {"gbs": {"recode": {"  Totally  AGREE": 7}}}})
    assert mapping.for_source("gbs", None, None).recode == {"totally agree": 7}


def test_unknown_field_is_named() -> None:
    with pytest.raises(MappingError) as info:
        load_mapping({"instrument": {}})
    assert "instrument" in info.value.where and "mapping.schema.json" in info.value.fix


def test_missing_file() -> None:
    with pytest.raises(MappingError, match="mapping file not found"):
        load_mapping("no/such/map.yaml")


def test_published_schema_is_current() -> None:
    committed = (REPO / "schemas" / "mapping.schema.json").read_text()
    expected = json.dumps(mapping_json_schema(), indent=2, sort_keys=True) + "\n"
    assert committed == expected, (
        'schemas/mapping.schema.json is stale; regenerate with: python -c "import json; '
        "from stigma_outcomes.ingest.mapping import mapping_json_schema as s; "
        "open('schemas/mapping.schema.json','w').write(json.dumps(s(), indent=2, "
        "sort_keys=True) + '\\n')\""
    )


def test_column_mapping_no_longer_shadows_abc_mapping_and_the_old_name_still_works() -> None:
    import collections.abc

    import stigma_outcomes.ingest as ingest
    from stigma_outcomes.ingest.mapping import ColumnMapping, Mapping

    # (Each module compared with itself: a doctest run may load mapping.py a second time.)
    assert Mapping is ColumnMapping and ingest.Mapping is ingest.ColumnMapping
    assert ingest.ColumnMapping.__name__ == "ColumnMapping"
    assert ColumnMapping is not collections.abc.Mapping
    loaded = load_mapping({"instruments": {"ucla3": {"pattern": "Q5_{item}"}}})
    assert isinstance(loaded, ColumnMapping) and load_mapping(loaded) is loaded


@pytest.mark.parametrize("source", [123, [1], "LIST"])
def test_a_mapping_that_is_not_a_mapping_is_one_mapping_error(source, tmp_path: Path) -> None:
    if source == "LIST":
        source = tmp_path / "list.yaml"
        source.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(MappingError, match="mapping") as err:
        load_mapping(source)
    assert err.value.fix


@pytest.mark.filterwarnings("ignore:.*is the old name:DeprecationWarning")
def test_old_keys_of_a_mapping_are_read_as_the_new_ones() -> None:
    new = {"id_col": "pcode", "wave_col": "event",
           "files": {"post.csv": {"id_col": "code2", "wave_col": "w"}}}  # fmt: skip
    old = {"id_column": "pcode", "wave_column": "event",
           "files": {"post.csv": {"id_column": "code2", "wave_column": "w"}}}  # fmt: skip
    with pytest.warns(DeprecationWarning, match="'wave_column' is the old name of 'wave_col'"):
        read_old = load_mapping(old)
    assert read_old == load_mapping(new)
    assert read_old.file_content() == new  # written back with the new names
    assert (read_old.id_column_for("post.csv"), read_old.wave_column_for("pre.csv")) == (
        "code2",
        "event",
    )
    with pytest.raises(MappingError, match="give 'id_col' or its old name 'id_column', not both"):
        load_mapping({"id_col": "a", "id_column": "b"})
    section = mapping_json_schema()["$defs"]["Section"]["properties"]
    assert section["id_column"]["deprecated"] and section["wave_column"]["deprecated"]
