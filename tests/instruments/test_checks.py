"""Each kind of broken definition gives its own clear error (file, field path, fix)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from stigma_outcomes.errors import DefinitionError
from stigma_outcomes.instruments.registry import builtin_dir, parse_instrument, read_yaml


@pytest.fixture
def ucla() -> dict[str, Any]:
    return read_yaml(builtin_dir() / "ucla3.yaml")


@pytest.fixture
def gbs_data() -> dict[str, Any]:
    return read_yaml(builtin_dir() / "gbs.yaml")


def _error(data: dict[str, Any]) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        parse_instrument(data, "broken.yaml")
    return info.value


def test_builtin_definitions_parse(ucla, gbs_data) -> None:
    assert parse_instrument(ucla, "ucla3.yaml").id == "ucla3"
    assert parse_instrument(gbs_data, "gbs.yaml").id == "gbs"


def test_missing_required_field(ucla) -> None:
    del ucla["domain"]
    err = _error(ucla)
    assert "domain" in err.what and "Field required" in err.what
    assert err.where == "broken.yaml: domain"
    assert err.fix == "add the required field 'domain'"


def test_misspelt_field(ucla) -> None:
    ucla["scales"][0]["metod"] = "sum"
    err = _error(ucla)
    assert "scales[0] (id 'total').metod" in err.where
    assert "correct its spelling" in err.fix


def test_unknown_method_lists_allowed_values(ucla) -> None:
    ucla["scales"][0]["method"] = "average"
    err = _error(ucla)
    assert "'sum', 'mean' or 'prorated_sum'" in err.what


def test_scale_item_that_does_not_exist(ucla) -> None:
    ucla["scales"][0]["items"] = ["1", "2", "4"]
    err = _error(ucla)
    assert "item '4'" in err.what and err.where.endswith(".items")
    assert "1, 2, 3" in err.fix


def test_item_with_undefined_response_scale(ucla) -> None:
    ucla["items"][0]["scale"] = "agree5"
    err = _error(ucla)
    assert "response scale 'agree5' is not defined" in err.what


def test_recode_refers_to_code_not_on_scale(ucla) -> None:
    ucla["items"][0]["recode"] = {1: 0, 2: 1, 5: 1}
    err = _error(ucla)
    assert "code(s) 5" in err.what and "recode" in err.where


def test_recode_must_cover_every_code(ucla) -> None:
    ucla["items"][0]["recode"] = {1: 0, 2: 1}
    assert "code(s) 3" in _error(ucla).what


def test_range_disagrees_with_items(ucla) -> None:
    ucla["scales"][0]["range"] = [0, 9]
    err = _error(ucla)
    assert "give [3, 9]" in err.what and err.fix.startswith("set range to [3, 9]")


def test_plain_sum_with_missing_items_allowed(ucla) -> None:
    ucla["scales"][0]["min_answered"] = 2
    assert "prorated_sum" in _error(ucla).fix


def test_sum_with_the_authors_missing_item_value_is_accepted(ucla) -> None:
    ucla["scales"][0].update(min_answered=2, missing_item_value=1)
    scale = parse_instrument(ucla, "ok.yaml").scales[0]
    assert scale.missing_item_value == 1


def test_missing_item_value_outside_what_an_item_can_score(ucla) -> None:
    # UCLA-3 items score 1-3, so a skipped item cannot count as 0.
    ucla["scales"][0].update(min_answered=2, missing_item_value=0)
    err = _error(ucla)
    assert "outside the 1 to 3" in err.what and err.where.endswith(".missing_item_value")


def test_missing_item_value_only_for_a_sum(ucla) -> None:
    ucla["scales"][0].update(method="mean", range=[1, 3], min_answered=2, missing_item_value=1)
    ucla["scales"][0].pop("bands", None)
    assert "applies to a 'sum'" in _error(ucla).what


def test_min_answered_above_item_count(ucla) -> None:
    ucla["scales"][0]["min_answered"] = 4
    assert "asks for 4 answers" in _error(ucla).what


def test_bands_with_a_gap(ucla) -> None:
    ucla["scales"][0]["bands"]["levels"][1]["min"] = 7
    err = _error(ucla)
    assert "gap between bands" in err.what and "start 'lonely' at 6" in err.fix


def test_bands_that_overlap(ucla) -> None:
    ucla["scales"][0]["bands"]["levels"][1]["min"] = 5
    assert "overlap" in _error(ucla).what


def test_bands_not_reaching_the_top(ucla) -> None:
    ucla["scales"][0]["bands"]["levels"][1]["max"] = 8
    assert "not at the top of the range" in _error(ucla).what


def test_mean_bands_at_two_decimals_tile(gbs_data) -> None:
    data = copy.deepcopy(gbs_data)
    data["scales"][2]["bands"] = {
        "source": "test bands",
        "status": "convention",
        "levels": [
            {"label": "low", "min": 1, "max": 3.99},
            {"label": "high", "min": 4.0, "max": 7},
        ],
    }
    assert parse_instrument(data, "gbs.yaml").scale("total").bands is not None
    data["scales"][2]["bands"]["levels"][1]["min"] = 4.01
    assert "gap between bands" in _error(data).what


def _conversion_definition(ucla: dict[str, Any], rows: range) -> dict[str, Any]:
    ucla["scales"][0].pop("bands")
    ucla["scales"][0].pop("clinical_cutoff")
    ucla["scales"][0]["conversion"] = {
        "to": "T-score",
        "source": "a test table",
        "status": "computed",
        "table": [{"raw": r, "score": 40 + 2 * r, "se": 3.0} for r in rows],
    }
    ucla["scales"][0]["range"] = [40 + 2 * rows[0], 40 + 2 * rows[-1]]
    return ucla


def test_conversion_table_must_cover_every_reachable_raw_score(ucla) -> None:
    err = _error(_conversion_definition(ucla, range(3, 9)))
    assert "no row for reachable raw score(s) 9" in err.what


def test_conversion_table_that_covers_is_accepted(ucla) -> None:
    inst = parse_instrument(_conversion_definition(ucla, range(3, 10)), "x.yaml")
    assert inst.scale("total").range == (46, 58)


def test_duplicate_item_ids(ucla) -> None:
    ucla["items"][1]["id"] = "1"
    assert "item id '1' appears twice" in _error(ucla).what


def test_label_that_is_a_number(ucla) -> None:
    ucla["response_scales"]["frequency3"][0]["synonyms"] = ["1"]
    assert "is a number" in _error(ucla).what


def test_doi_with_url_prefix(ucla) -> None:
    ucla["provenance"]["doi"] = "https://doi.org/10.1177/0164027504268574"
    assert "starts with '10.'" in _error(ucla).what


def test_bad_license_status(ucla) -> None:
    ucla["provenance"]["license"]["status"] = "free"
    assert "license.status" in _error(ucla).where


def test_not_a_mapping() -> None:
    with pytest.raises(DefinitionError, match="must be a mapping"):
        parse_instrument(["id", "x"], "list.yaml")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    from stigma_outcomes.instruments.registry import load_instrument_file

    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nname: [unclosed\n")
    with pytest.raises(DefinitionError) as info:
        load_instrument_file(path)
    assert "not valid YAML" in info.value.what and "line" in info.value.where


def test_yes_no_labels_stay_text(tmp_path: Path, ucla) -> None:
    from stigma_outcomes.instruments.registry import load_instrument_file

    ucla["response_scales"]["frequency3"][0]["synonyms"] = ["No"]
    path = tmp_path / "ucla3.yaml"
    text = yaml.safe_dump(ucla, sort_keys=False).replace("- 'No'", "- No")
    path.write_text(text)
    inst = load_instrument_file(path)
    assert inst.response_scales["frequency3"][0].synonyms == ["No"]
