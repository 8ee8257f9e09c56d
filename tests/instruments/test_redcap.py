"""REDCap data-dictionary export: columns, field names, choices, overlay, and the round trip."""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import DefinitionError, InputError
from stigma_outcomes.instruments import list_instruments, load_instrument, parse_instrument
from stigma_outcomes.instruments.redcap import (
    REDCAP_COLUMNS,
    to_redcap_dictionary,
    write_redcap_dictionary,
)
from stigma_outcomes.instruments.registry import builtin_dir, read_yaml
from stigma_outcomes.instruments.schema import code_key

CHOICES = "Choices, Calculations, OR Slider Labels"


def test_the_18_standard_columns_in_order() -> None:
    dd = to_redcap_dictionary(load_instrument("phq9"))
    assert list(dd.columns) == REDCAP_COLUMNS
    assert len(REDCAP_COLUMNS) == 18
    assert REDCAP_COLUMNS[0] == "Variable / Field Name"
    assert REDCAP_COLUMNS[-1] == "Field Annotation"


def test_one_radio_field_per_item_named_id_item() -> None:
    dd = to_redcap_dictionary(load_instrument("phq9"))
    assert dd["Variable / Field Name"].tolist() == [f"phq9_{i}" for i in range(1, 10)]
    assert set(dd["Field Type"]) == {"radio"}
    assert set(dd["Form Name"]) == {"phq9"}
    assert dd.loc[0, CHOICES] == (
        "0, Not at all | 1, Several days | 2, More than half the days | 3, Nearly every day"
    )
    # Section header only on the first field; no wording shipped, so labels are our own.
    assert dd.loc[0, "Section Header"] == "Patient Health Questionnaire-9 (PHQ-9)"
    assert (dd.loc[1:, "Section Header"] == "").all()
    assert dd.loc[8, "Field Label"] == "thoughts of death or self-harm"


def test_non_answers_become_choices_the_engine_recognises() -> None:
    dd = to_redcap_dictionary(load_instrument("ribs")).set_index("Variable / Field Name")
    assert dd.loc["ribs_5", CHOICES].endswith("| DK, Don't know")
    k10 = to_redcap_dictionary(load_instrument("k10_au")).set_index("Variable / Field Name")
    assert k10.loc["k10_au_3", CHOICES].endswith("| Skipped, Not asked (skipped)")
    assert "Skipped" not in k10.loc["k10_au_2", CHOICES]


def test_overlay_supplies_wording_for_listed_items(tmp_path) -> None:
    overlay = tmp_path / "gad7_wording.yaml"
    overlay.write_text('instrument: gad7\nitems:\n  "2": "Licensed wording | two"\n', "utf-8")
    dd = to_redcap_dictionary(load_instrument("gad7"), overlay)
    assert dd.loc[1, "Field Label"] == "Licensed wording / two"  # a pipe would split REDCap cells
    assert dd.loc[0, "Field Label"] == "nervous or on edge"


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ({"items": {"12": "x"}}, "does not have"),
        ({"items": {"1": ""}}, "empty"),
        ({"wording": {"1": "x"}}, "'items' mapping"),
        ({"items": {"1": "x"}, "instrument": "phq9"}, "not 'gad7'"),
    ],
)
def test_bad_overlay_is_one_clear_error(overlay: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        to_redcap_dictionary(load_instrument("gad7"), overlay)


def test_missing_overlay_file(tmp_path) -> None:
    with pytest.raises(InputError, match="overlay file not found"):
        to_redcap_dictionary(load_instrument("gad7"), tmp_path / "nope.yaml")


def test_record_id_row_comes_first() -> None:
    dd = to_redcap_dictionary(load_instrument("k6"), record_id="participant_id")
    assert dd.loc[0, "Variable / Field Name"] == "participant_id"
    assert dd.loc[0, "Field Type"] == "text"
    with pytest.raises(InputError, match="not a valid REDCap variable name"):
        to_redcap_dictionary(load_instrument("k6"), record_id="Record ID")


def test_non_answer_without_storable_code_is_a_definition_error() -> None:
    data = read_yaml(builtin_dir() / "ribs.yaml")
    for item in data["items"]:
        for missing in item.get("missing_codes", []):
            missing["synonyms"] = ["do not know"]
    with pytest.raises(DefinitionError, match="no code that REDCap can store"):
        to_redcap_dictionary(parse_instrument(data, "ribs.yaml"))


def test_written_csv_reads_back(tmp_path) -> None:
    path = write_redcap_dictionary(load_instrument("omshc15"), tmp_path / "dd.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == REDCAP_COLUMNS
    assert back["Variable / Field Name"].tolist()[:2] == ["omshc15_1", "omshc15_2"]
    with pytest.raises(InputError, match="REDCap data dictionary"):
        write_redcap_dictionary(load_instrument("omshc15"), tmp_path / "dd.parquet")


def test_round_trip_raw_redcap_export_scores_without_mapping() -> None:
    """Field the exported RIBS form, export raw codes as REDCap does (text), score it."""
    dd = to_redcap_dictionary(load_instrument("ribs"), record_id="record_id")
    fields = dd["Variable / Field Name"].tolist()
    # Raw export: one column per field, codes as text. Hand-scored intended behaviour:
    # r1: 5 + 4 + DK(3) + 2 = 14;  r2: 1 + 1 + 1 + 1 = 4.
    export = pd.DataFrame(
        [
            ["r1", "1", "0", "DK", "1", "5", "4", "DK", "2"],
            ["r2", "0", "0", "0", "0", "1", "1", "1", "1"],
        ],
        columns=fields,
        dtype=object,
    )
    result = so.score(export, ["ribs"], id_col="record_id")
    scores = result.scores.set_index("participant_id")["score"]
    assert scores.to_dict() == {"r1": 14, "r2": 4}
    assert (result.ledger["problem"] != "unknown_label").all()


def _keyed(instrument, item, code: float) -> float:
    codes = [float(o.code) for o in instrument.response_scales[item.scale]]
    value = min(codes) + max(codes) - code if item.reverse else code
    if item.recode is not None:
        value = float(item.recode.get(code_key(value), value))
    return value


@pytest.mark.parametrize("instrument_id", [i.id for i in list_instruments()])
def test_round_trip_every_definition(instrument_id: str) -> None:
    """Each built-in definition: dictionary → raw export of its extreme answers → score."""
    instrument = load_instrument(instrument_id)
    dd = to_redcap_dictionary(instrument, record_id="record_id").iloc[1:]
    by_field = {f"{instrument.id}_{i.id}".lower(): i for i in instrument.items}
    low, high = [], []
    for field, choices in zip(dd["Variable / Field Name"], dd[CHOICES], strict=True):
        item = by_field[field]
        scale_codes = {code_key(o.code) for o in instrument.response_scales[item.scale]}
        codes = [pair.split(",")[0].strip() for pair in choices.split(" | ")]
        on_scale = [c for c in codes if c in scale_codes]
        # Every scale code is offered, and non-answers come only after them.
        assert on_scale == codes[: len(on_scale)] and set(on_scale) == scale_codes
        ranked = sorted(on_scale, key=lambda c, it=item: _keyed(instrument, it, float(c)))
        low.append(ranked[0])
        high.append(ranked[-1])
    export = pd.DataFrame(
        [["low", *low], ["high", *high]],
        columns=["record_id", *dd["Variable / Field Name"]],
        dtype=object,
    )
    result = so.score(export, [instrument], id_col="record_id")
    assert (result.ledger["problem"] != "unknown_label").all()
    for scale in instrument.scales:
        got = result.scores[result.scores["scale"] == scale.id].set_index("participant_id")
        assert sorted(got["score"]) == pytest.approx(sorted(scale.range)), scale.id
