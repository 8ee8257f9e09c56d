"""REDCap: record ID from the dictionary, events, repeats, identifiers, label exports."""

from __future__ import annotations

import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.readers import read_export
from stigma_outcomes.ingest.redcap import (
    checkbox_column,
    parse_choices,
    read_redcap_dictionary,
)

from ._exports import EXPORTS, problems, totals

DICTIONARY = EXPORTS / "redcap_dictionary.csv"
LONELY = {"instruments": {"ucla3": {"pattern": "lonely_{item}"}}}


def test_dictionary_gives_record_id_choices_identifiers_and_labels() -> None:
    dd = read_redcap_dictionary(DICTIONARY)
    assert dd.record_id == "participant_id"  # a survey-first project, not record_id
    assert dd.identifiers == ["first_name", "email", "dob"]
    assert dd.choices["lonely_2"] == {"1": "Hardly ever", "2": "Some of the time", "3": "Often"}
    assert dd.choices["barriers"]["-2"] == "Other"
    assert dd.forms == ["enrolment", "loneliness", "services"]
    columns = dd.export_columns()
    assert columns["barriers____2"] == "barriers"
    assert columns["loneliness_complete"] == "loneliness_complete"


def test_choice_and_checkbox_helpers() -> None:
    assert parse_choices("1, Yes, often | 0, No") == {"1": "Yes, often", "0": "No"}
    assert checkbox_column("race", "Other-2") == "race___other_2"


def test_longitudinal_raw_export_with_dictionary() -> None:
    table = read_export(EXPORTS / "redcap_longitudinal_raw.csv", dictionary=DICTIONARY)
    assert table.flavor == "redcap"
    assert table.metadata["record_id"] == "participant_id"
    assert "data dictionary" in table.metadata["record_id_reason"]
    assert table.metadata["events"] == ["baseline_arm_1", "post_arm_1"]
    assert table.metadata["complete_columns"]["loneliness"] == "loneliness_complete"
    assert table.value_labels["lonely_1"]["3"] == "Often"
    assert table.value_labels["loneliness_complete"]["2"] == "Complete"
    assert table.column_labels["lonely_2"] == "...left out?"
    assert table.pii_columns == ["first_name", "email", "dob", "loneliness_timestamp"]
    assert "Identifier? = y" in table.metadata["pii_reasons"]["dob"]
    assert table.row_numbers.tolist() == [2, 3, 4, 5, 6, 7]


def test_longitudinal_raw_export_scored_by_event() -> None:
    table = read_export(EXPORTS / "redcap_longitudinal_raw.csv", dictionary=DICTIONARY)
    result = so.score(
        table, ["ucla3"], mapping=LONELY, id_col="participant_id", wave_col="redcap_event_name"
    )
    assert totals(result) == {
        ("1001", "baseline_arm_1"): 5.0,
        ("1001", "post_arm_1"): 3.0,
        ("1002", "baseline_arm_1"): 8.0,
        ("1002", "post_arm_1"): 6.0,
        ("1004", "baseline_arm_1"): None,
    }
    found = problems(result)
    assert (7, "lonely_2", "out_of_range") in found  # a 9 keyed on a 1–3 item
    # 1003's loneliness form is marked Incomplete (0): set aside, not scored as missing.
    assert (6, "loneliness_complete", "form_incomplete") in found
    assert (7, None, "unmatched_participant") in found  # 1004 has no post
    assert result.rows_in == result.rows_scored + result.rows_excluded
    assert {c for _, c, p in found if p == "pii_column_dropped"} == {
        "first_name",
        "email",
        "dob",
        "loneliness_timestamp",
    }


def test_without_dictionary_the_first_column_is_the_record_id() -> None:
    table = read_export(EXPORTS / "redcap_longitudinal_raw.csv")
    assert table.metadata["record_id"] == "participant_id"
    assert "first column" in table.metadata["record_id_reason"]
    # Identifier flags need the dictionary, but the name patterns still catch these.
    assert {"first_name", "email", "dob"} <= set(table.pii_columns)


def test_label_export_headers_mapped_back_to_field_names() -> None:
    table = read_export(EXPORTS / "redcap_labels.csv", dictionary=DICTIONARY)
    assert table.metadata["header_kind"] == "labels"
    assert table.metadata["export_values"] == "labels"
    assert list(table.frame.columns[:2]) == ["participant_id", "redcap_event_name"]
    assert {"lonely_1", "loneliness_complete", "enrolment_complete"} <= set(table.frame.columns)
    assert "Survey Timestamp" in table.pii_columns
    result = so.score(
        table, ["ucla3"], mapping=LONELY, id_col="participant_id", wave_col="redcap_event_name"
    )
    assert totals(result) == {
        ("1001", "Baseline (Arm 1: Arm 1)"): 5.0,
        ("1001", "Post (Arm 1: Arm 1)"): 3.0,
        ("1002", "Baseline (Arm 1: Arm 1)"): 8.0,
    }


def test_repeating_instruments_and_checkboxes() -> None:
    table = read_export(EXPORTS / "redcap_repeating.csv", dictionary=DICTIONARY)
    assert table.metadata["repeating_instruments"] == {"services": 2}
    assert table.metadata["checkbox_groups"]["barriers"] == [
        "barriers___1",
        "barriers___2",
        "barriers____2",
    ]
    assert table.column_labels["barriers____2"] == "What made it hard to attend?"
    assert table.frame["redcap_repeat_instance"].tolist()[1:3] == ["1", "2"]


def test_dictionary_from_another_project_is_refused(tmp_path) -> None:
    other = tmp_path / "dd.csv"
    other.write_text(
        "Variable / Field Name,Form Name,Field Type,Field Label\nrecord_id,intake,text,ID\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="record-ID field 'record_id' is not a column"):
        read_export(EXPORTS / "redcap_longitudinal_raw.csv", dictionary=other)


def test_a_file_that_is_not_a_dictionary(tmp_path) -> None:
    with pytest.raises(InputError, match="not a REDCap data dictionary"):
        read_redcap_dictionary(EXPORTS / "long_waves.csv")


def test_dictionary_saved_by_excel_with_a_bom(tmp_path) -> None:
    path = tmp_path / "dd.csv"
    path.write_bytes(b"\xef\xbb\xbf" + DICTIONARY.read_bytes())
    assert read_redcap_dictionary(path).record_id == "participant_id"


def test_date_and_notes_fields_are_personal_by_type() -> None:
    dd = read_redcap_dictionary(DICTIONARY)
    assert dd.personal == {
        "dob": "a date field (dates tied to a person are identifying)",
        "barriers_other": "free-text notes field",
    }
    table = read_export(EXPORTS / "redcap_repeating.csv", dictionary=DICTIONARY)
    assert table.metadata["pii_reasons"]["barriers_other"] == "free-text notes field"


def test_form_fields_from_the_dictionary_or_export_order() -> None:
    export = EXPORTS / "redcap_repeating_checkins.csv"
    by_order = read_export(export).metadata
    by_dictionary = read_export(
        export, dictionary=EXPORTS / "redcap_repeating_dictionary.csv"
    ).metadata
    expected = {
        "enrolment": ["site", "enrolment_complete"],
        "loneliness": ["lonely_1", "lonely_2", "lonely_3", "loneliness_complete"],
        "weekly_checkin": [*(f"gad_{i}" for i in range(1, 8)), "weekly_checkin_complete"],
        "contact_log": ["contact_type", "contact_log_complete"],
    }
    assert by_order["form_fields"] == expected
    assert by_dictionary["form_fields"] == expected
    assert by_order["repeating_instruments"] == {"weekly_checkin": 6, "contact_log": 1}
    assert by_order["include_incomplete"] is False
    assert read_export(export, include_incomplete=True).metadata["include_incomplete"] is True


def test_dictionary_places_a_column_export_order_would_misplace(tmp_path) -> None:
    # A report that left out the enrolment status: by order, 'site' would join loneliness.
    export = tmp_path / "report.csv"
    export.write_text(
        "record_id,site,lonely_1,lonely_2,lonely_3,loneliness_complete\n1,2,1,1,1,0\n",
        encoding="utf-8",
    )
    assert read_export(export).metadata["form_fields"]["loneliness"][0] == "site"
    placed = read_export(export, dictionary=EXPORTS / "redcap_repeating_dictionary.csv")
    assert placed.metadata["form_fields"] == {
        "enrolment": ["site"],
        "loneliness": ["lonely_1", "lonely_2", "lonely_3", "loneliness_complete"],
    }


def test_label_headers_without_a_dictionary_still_find_form_status() -> None:
    table = read_export(EXPORTS / "redcap_labels.csv", flavor="redcap")
    assert table.metadata["complete_columns"] == {
        "Complete?": "Complete?",
        "Complete? (2)": "Complete? (2)",
    }
    assert table.metadata["form_fields"]["Complete? (2)"][-1] == "Complete? (2)"


def test_a_multi_form_label_export_is_read_as_redcap_without_flavor() -> None:
    # Its repeated 'Complete?' columns (one per form) were refused as duplicate names: the
    # record ID is labelled 'Participant ID', so detection missed REDCap and read it as plain.
    table = read_export(EXPORTS / "redcap_labels.csv")
    forced = read_export(EXPORTS / "redcap_labels.csv", flavor="redcap")
    assert table.flavor == "redcap"
    assert table.frame.equals(forced.frame)
    assert list(table.frame.columns[:2]) == ["Participant ID", "redcap_event_name"]
    assert table.metadata["complete_columns"] == forced.metadata["complete_columns"]
    assert table.metadata["renamed_duplicates"] == {"Complete? (2)": "Complete?"}
    items = ["...that you lack companionship?", "...left out?", "...isolated from others?"]
    mapping = {"instruments": {"ucla3": {"columns": dict(zip("123", items, strict=True))}}}
    result = so.score(EXPORTS / "redcap_labels.csv", ["ucla3"], mapping=mapping)
    assert totals(result) == {
        ("1001", "Baseline (Arm 1: Arm 1)"): 5.0,
        ("1001", "Post (Arm 1: Arm 1)"): 3.0,
        ("1002", "Baseline (Arm 1: Arm 1)"): 8.0,
    }


def test_label_headers_of_repeats_without_form_status_are_mapped(tmp_path) -> None:
    export = tmp_path / "report.csv"
    export.write_text(
        "Participant ID,Repeat Instrument,Repeat Instance,How often?\n"
        "1001,,,Often\n1001,Weekly check-in,1,Hardly ever\n",
        encoding="utf-8",
    )
    table = read_export(export)
    assert table.flavor == "redcap"
    assert table.metadata["header_kind"] == "labels"
    assert table.metadata["repeating_instruments"] == {"Weekly check-in": 1}


def test_a_missing_or_mistyped_dictionary_is_the_projects_error(tmp_path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_redcap_dictionary(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="file path, not int"):
        read_export(EXPORTS / "redcap_longitudinal_raw.csv", dictionary=123)
