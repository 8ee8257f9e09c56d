"""Real exports (tests/fixtures/real, see SOURCES.md): read right, or refused with the fix.

Each reader behaviour of issue 13 is tested on a real export where the corpus has one and on
a small hand-made file (``handmade_*``) where it has none.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.pii import find_pii_columns
from stigma_outcomes.ingest.propose import propose
from stigma_outcomes.ingest.readers import read_export
from stigma_outcomes.instruments import Registry, load_instrument

REAL = Path(__file__).parents[1] / "fixtures" / "real"

# file → (flavour, data rows kept, rows set aside, first row numbers)
CORPUS = {
    "qualtrics/qualtrics_sample.csv": ("qualtrics", 1, 0, [4]),
    "qualtrics/qualtrics_sample_legacy.csv": ("qualtrics", 1, 0, [3]),
    "qualtrics/handmade_2016_single_quoted.csv": ("qualtrics", 2, 2, [4, 6]),
    "redcap/simple_data.csv": ("redcap", 5, 0, [2, 3, 4]),
    "redcap/survey_data.csv": ("redcap", 2, 0, [2, 3]),
    "redcap/checkboxes-1_data.csv": ("redcap", 4, 0, [2, 3, 4]),
    "redcap/longitudinal_data.csv": ("redcap", 18, 0, [2, 3, 4]),
    "redcap/handmade_letter_codes_data.csv": ("redcap", 4, 0, [2, 3, 4]),
    "redcap/arm-single-longitudinal_data.csv": ("redcap", 9, 0, [2, 3, 4]),
    "redcap/dag_data.csv": ("redcap", 3, 0, [2, 3, 4]),
    "redcap/decimal-comma_data.csv": ("redcap", 4, 0, [2, 3, 4]),
    "redcap/nonnumeric-record-id_data.csv": ("redcap", 3, 0, [2, 3, 4]),
    "redcap/repeating-instruments_data.csv": ("redcap", 6, 0, [2, 3, 4]),
    "redcap/validation-types-1_data.csv": ("redcap", 1, 0, [2]),
    "redcap/vignette-repeating_data.csv": ("redcap", 17, 0, [2, 3, 4]),
    "redcap/redcapapi_offline_data.csv": ("redcap", 40, 0, [2, 3, 4]),
    "spss_stata/hebrews.sav": ("plain", 99, 0, [1, 2, 3]),
    "spss_stata/sample.zsav": ("plain", 5, 0, [1, 2, 3]),
    "spss_stata/simple_alltypes.sav": ("plain", 6, 0, [1, 2, 3]),
    "spss_stata/tegulu.sav": ("plain", 1, 0, [1]),
    "spss_stata/test_width.sav": ("qualtrics", 5, 0, [1, 2, 3]),
    "spss_stata/sample.sav": ("plain", 5, 0, [1, 2, 3]),
    "spss_stata/sample_missing.sav": ("plain", 7, 0, [1, 2, 3]),
    "spss_stata/sample.dta": ("plain", 5, 0, [1, 2, 3]),
    "spss_stata/missing_test.dta": ("plain", 1, 0, [1]),
    "qualtrics/qualtricstools_sample_survey.csv": ("qualtrics", 5, 0, [4, 5, 6]),
    "qualtrics/qualtricstools_no_basis_legacy.csv": ("qualtrics", 15, 0, [3, 4, 5]),
    "qualtrics/qualtricstools_matrix.csv": ("qualtrics", 5, 0, [4, 5, 6]),
    "qualtrics/qualtricstools_matrix_legacy.csv": ("qualtrics", 5, 0, [3, 4, 5]),
    "limesurvey/limonaid_998192.csv": ("limesurvey", 2, 5, [2, 8]),
    "limesurvey/limonaid_100001.csv": ("limesurvey", 2, 1, [2, 4]),
    "kobo/kobocat_nested_repeats.csv": ("kobo", 2, 0, [2, 3]),
    "kobo/kobocat_transportation.csv": ("kobo", 1, 0, [2]),
    "kobo/kobocat_transportation_export.xlsx": ("kobo", 4, 0, [2, 3, 4]),
    "kobo/kobocat_tutorial_w_repeats.csv": ("kobo", 1, 0, [2]),
    "odk/ruODK_taxon_encounter.csv": ("kobo", 7, 0, [2, 3, 4]),
    "odk/ruODK_vegetation_stratum.csv": ("kobo", 7, 0, [2, 3, 4]),
    "google_forms/amy_instructor_profiles.csv": ("google_forms", 2, 0, [2, 3]),
    "redcap/phpcap-longitudinal_data.csv": ("redcap", 14, 0, [2, 3, 4]),
    "redcap/phpcap-repeating-forms.csv": ("redcap", 16, 0, [2, 3, 4]),
    "redcap/redcaptidier-records.csv": ("redcap", 22, 0, [2, 3, 4]),
    "plain/rminr_dass21.csv": ("plain", 110, 0, [2, 3, 4]),
    "plain/rminr_sses.csv": ("plain", 73, 0, [2, 3, 4]),
    "plain/clinsig_claus-2020.xlsx": ("plain", 43, 0, [2, 3, 4]),
    "spss_stata/sample.por": ("plain", 5, 0, [1, 2, 3]),
    "spss_stata/sample.sas7bdat": ("plain", 5, 0, [1, 2, 3]),
    "spss_stata/haven_tagged-na-double.dta": ("plain", 8, 0, [1, 2, 3]),
    "spss_stata/haven_labelled-num-na.sav": ("plain", 2, 0, [1, 2]),
    "spss_stata/haven_labelled-str.sav": ("plain", 2, 0, [1, 2]),
    "spss_stata/haven_umlauts.sav": ("plain", 4, 0, [1, 2, 3]),
    "spss_stata/missing_char.sav": ("plain", 2, 0, [1, 2]),
    "spss_stata/foreign_mval_bug.sav": ("plain", 600, 0, [1, 2, 3]),
    "spss_stata/foreign_testdata.sav": ("plain", 5, 0, [1, 2, 3]),
    "limesurvey/handmade_code_and_text.csv": ("limesurvey", 4, 2, [2, 3, 5]),
    "odk/handmade_central_short_rows.csv": ("kobo", 4, 0, [2, 3, 4]),
    "plain/handmade_custom_instrument.csv": ("plain", 6, 0, [2, 3, 4]),
}


def _dictionary(name: str) -> Path | None:
    twin = REAL / name.replace("_data.csv", "_dictionary.csv")
    return twin if name.endswith("_data.csv") and twin.exists() else None


def test_the_corpus_list_is_complete() -> None:
    on_disk = {
        f"{p.parent.name}/{p.name}"
        for p in REAL.glob("*/*.*")
        if p.suffix in {".csv", ".sav", ".zsav", ".por", ".dta", ".sas7bdat", ".xlsx"}
        and "dictionary" not in p.name
    }
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_file_of_the_corpus_is_read_right(name: str) -> None:
    flavor, kept, set_aside, first_rows = CORPUS[name]
    table = read_export(REAL / name, dictionary=_dictionary(name))
    assert table.flavor == flavor
    assert (len(table.frame), len(table.excluded)) == (kept, set_aside)
    assert table.row_numbers[: len(first_rows)].tolist() == first_rows
    assert table.rows_in == kept + set_aside


# 1. Legacy Qualtrics ------------------------------------------------------------------------


def test_legacy_qualtrics_trailing_comma_is_an_artefact_not_a_nameless_column() -> None:
    table = read_export(REAL / "qualtrics" / "qualtrics_sample_legacy.csv")
    assert table.metadata["qualtrics_layout"] == "legacy"
    assert table.metadata["empty_last_columns_dropped"] == 1
    assert table.frame.columns[-1] == "LocationAccuracy"
    assert table.column_labels["Q1"] == "This is a multiple choice question."
    assert {"Name", "EmailAddress", "IPAddress", "Q2"} <= set(table.pii_columns)


def test_a_nameless_last_column_with_content_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,q1,\nA,2,oops\n", encoding="utf-8")
    with pytest.raises(InputError, match="column 3 has no name"):
        read_export(path)


def test_repeated_legacy_export_tags_are_numbered_and_said(tmp_path: Path) -> None:
    rows = [
        ["V1", "V2", "V3", "V4", "question_one", "question_one", "question_one", ""],
        ["ResponseID", "ResponseSet", "Status", "Finished", "A", "B", "C", ""],
        ["R_1", "Default", "0", "1", "1", "2", "3", ""],
    ]
    path = tmp_path / "legacy.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    table = read_export(path)
    assert list(table.frame.columns)[4:] == ["question_one", "question_one (2)", "question_one (3)"]
    assert table.metadata["renamed_duplicates"] == {
        "question_one (2)": "question_one",
        "question_one (3)": "question_one",
    }
    notes = propose([table], [load_instrument("ucla3")]).files[0].notes
    assert "repeated column title 'question_one' renamed 'question_one (2)'" in notes


def test_qualtrics_spss_finished_is_read_by_its_labels(tmp_path: Path) -> None:
    """pyreadstat's test_width.sav is a Qualtrics SPSS export whose Finished is coded
    1 = False, 2 = True: code 1 is an unfinished response, not a finished one."""
    import pyreadstat

    real = read_export(REAL / "spss_stata" / "test_width.sav")
    assert real.value_labels["Finished"] == {1.0: "False", 2.0: "True"} and len(real.frame) == 5
    frame = pd.DataFrame({"ResponseId": ["R_1", "R_2"], "Finished": [2.0, 1.0]})
    path = tmp_path / "q.sav"
    pyreadstat.write_sav(
        frame, path, variable_value_labels={"Finished": {1.0: "False", 2.0: "True"}}
    )
    table = read_export(path)
    assert table.frame["ResponseId"].tolist() == ["R_1"]
    assert table.excluded[["row", "problem"]].values.tolist() == [[2, "unfinished_response"]]


def test_r_row_names_are_not_a_nameless_column(tmp_path: Path) -> None:
    """R's write.csv adds a nameless first column of row numbers (as in REDCapR's
    project 'russian', not copied here because it may hold real survey answers)."""
    path = tmp_path / "r.csv"
    path.write_text('"","record_id","q1"\n"1","AAAA",2\n"2","BBBB",3\n', encoding="utf-8")
    table = read_export(path)
    assert list(table.frame.columns) == ["record_id", "q1"]
    assert table.metadata["row_names_column_dropped"] is True


# 2. 2016–17 Qualtrics -----------------------------------------------------------------------


def test_2016_qualtrics_single_quoted_import_ids_are_header_rows_not_people() -> None:
    table = read_export(REAL / "qualtrics" / "handmade_2016_single_quoted.csv")
    assert table.metadata["qualtrics_layout"] == "three_rows"
    assert table.frame["ResponseID"].tolist() == ["R_1a2b3c4d5e6f7g8", "R_3a2b3c4d5e6f7g8"]
    assert table.metadata["import_ids"]["Q2_1"] == "QID2_1"
    assert table.excluded["problem"].tolist() == ["survey_preview", "unfinished_response"]
    reasons = table.metadata["pii_reasons"]
    assert reasons["Q3"] == "name"  # "Name and contact information - First name"
    assert reasons["Q3_TEXT_a"] == "free-text answer (ImportId QID9_TEXT)"
    assert "Q1" not in reasons  # a text-entry question asking for the participant code


def test_qualtrics_free_text_is_found_by_its_import_id() -> None:
    table = read_export(REAL / "qualtrics" / "qualtrics_sample.csv")
    assert table.metadata["pii_reasons"]["Q2"].startswith("free-text answer (ImportId QID")


# 3. LimeSurvey "code. question text" ---------------------------------------------------------


def test_limesurvey_code_and_text_headings_set_aside_unsubmitted_responses() -> None:
    table = read_export(REAL / "limesurvey" / "handmade_code_and_text.csv")
    assert table.metadata["headings"] == "code and text"
    assert list(table.frame.columns[:3]) == ["id", "submitdate", "lastpage"]
    assert table.column_labels["L1[SQ002]"] == "How often do you feel... [left out?]"
    assert table.frame["id"].tolist() == ["1", "2", "4", "6"]
    assert set(table.excluded["problem"]) == {"incomplete_response"}
    assert table.metadata["pii_reasons"]["C1"] == "free-text answer"


# 4. ODK Central short rows -------------------------------------------------------------------


def test_odk_central_short_rows_are_padded_with_a_ledger_note() -> None:
    path = REAL / "odk" / "handmade_central_short_rows.csv"
    table = read_export(path)
    assert table.metadata["flavor_reason"].startswith("ODK Central")
    assert table.metadata["odk_export"] == "central"
    assert table.metadata["short_rows_padded"] == [3, 4]
    assert table.frame["FormVersion"].isna().tolist() == [False, True, True, False]
    responses = so.load_responses(
        path,
        ["ucla3"],
        mapping={"id_col": "pcode", "instruments": {"ucla3": {"pattern": "lonely-q{item}"}}},
    )
    notes = responses.ledger[responses.ledger["problem"] == "short_row_padded"]
    assert notes["row"].tolist() == [3, 4]


def test_a_row_longer_than_the_header_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,q1\nA,2\nB,3,4\n", encoding="utf-8")
    with pytest.raises(InputError, match="row has 3 cells but the header has 2"):
        read_export(path)


# 5. Value labels in scoring ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample.sav", "sample.dta"])
def test_spss_and_stata_value_labels_decide_the_score(name: str) -> None:
    """pyreadstat's myord is 1=low, 2=medium, 3=high; the test instrument codes low=0..high=2."""
    registry = Registry([REAL / "instruments"])
    result = so.score(
        [str(REAL / "spss_stata" / name)],
        ["level1"],
        mapping={"id_col": "mychar", "instruments": {"level1": {"columns": {"1": "myord"}}}},
        registry=registry,
    )
    assert result.scores["score"].tolist() == [0.0, 1.0, 2.0, 0.0, 0.0]
    warning = result.ledger[result.ledger["problem"] == "value_labels_differ_from_codes"]
    assert warning["column"].tolist() == ["myord"]
    assert warning["value"].iloc[0] == "1=low → 0; 2=medium → 1; 3=high → 2"


def test_redcap_letter_codes_are_scored_by_their_dictionary_labels() -> None:
    data = REAL / "redcap" / "handmade_letter_codes_data.csv"
    result = so.score(
        [str(data)],
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"pattern": "lonely_{item}"}}},
        read_options={"dictionary": REAL / "redcap" / "handmade_letter_codes_dictionary.csv"},
    )
    assert result.scores["score"].tolist()[:3] == [6.0, 8.0, 3.0]
    flagged = result.ledger[result.ledger["problem"] == "value_labels_differ_from_codes"]
    assert flagged["column"].tolist() == ["lonely_1", "lonely_2", "lonely_3"]


def test_labels_that_agree_with_the_codes_leave_no_warning(tmp_path: Path) -> None:
    import pyreadstat

    path = tmp_path / "agree.sav"
    frame = pd.DataFrame({"id": ["A", "B"], "l1": [0.0, 2.0]})
    pyreadstat.write_sav(
        frame, path, variable_value_labels={"l1": {0: "low", 1: "medium", 2: "high"}}
    )
    result = so.score(
        [str(path)],
        ["level1"],
        mapping={"instruments": {"level1": {"columns": {"1": "l1"}}}},
        registry=Registry([REAL / "instruments"]),
    )
    assert result.scores["score"].tolist() == [0.0, 2.0]
    assert "value_labels_differ_from_codes" not in set(result.ledger["problem"])


# 6. Personal data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "label"),
    [
        ("Q8 Form field_1", "Name and contact information - First name"),
        ("name_first", ""),
        ("name_last", ""),
        ("next_of_kin_contact_name", ""),
        ("children[1]/childs_name", ""),
        ("reporter", ""),
        ("SubmitterName", ""),
        ("SubmitterID", ""),
        ("device_id", ""),
        ("picture", ""),
        ("Is there anything else you would like to say?", ""),
        ("Q12 - Comments", ""),
    ],
)
def test_personal_columns_named_or_asked_for_are_found(column: str, label: str) -> None:
    frame = pd.DataFrame({column: ["x"], "q1": ["2"]})
    assert column in find_pii_columns(frame, labels={column: label} if label else None)


@pytest.mark.parametrize(
    "column", ["redcap_event_name", "site_name", "Instrument name", "form_name", "ucla3_1"]
)
def test_structural_names_are_not_personal(column: str) -> None:
    assert find_pii_columns(pd.DataFrame({column: ["1"]})) == {}


def test_free_text_names_and_phones_are_found_by_their_content() -> None:
    frame = pd.DataFrame(
        {
            "notes2": ["Ann Lee", "Bo Diaz", "Cy Park", "Di Moss", "Ed Fox"],
            "x7": ["+44 20 7946 0000", "(405) 321-1111", "555-0100 22", None, "0161 496 0000"],
            "q9": [
                "I liked the second session most of all",
                "The room was too small for the whole group",
                "More time to talk with the peer mentors please",
                "Nothing to add really, it was all very good",
                None,
            ],
            "q1": ["Often", "Never", "Often", "Often", "Never"],
            "site": ["North", "North", "South", "South", "North"],
        }
    )
    assert find_pii_columns(frame) == {
        "notes2": "values look like people's names",
        "x7": "values look like phone numbers",
        "q9": "values look like free text",
    }


def test_the_real_redcap_projects_personal_fields_are_all_found() -> None:
    simple = read_export(REAL / "redcap" / "simple_data.csv")  # without its dictionary
    assert set(simple.pii_columns) == {
        "name_first",
        "name_last",
        "address",
        "telephone",
        "email",
        "dob",
        "comments",
    }
    with_dd = read_export(
        REAL / "redcap" / "simple_data.csv", dictionary=REAL / "redcap" / "simple_dictionary.csv"
    )
    assert "mugshot" in with_dd.pii_columns  # a file-upload field
    longitudinal = read_export(REAL / "redcap" / "longitudinal_data.csv")
    assert {
        "first_name",
        "last_name",
        "email",
        "telephone_1",
        "next_of_kin_contact_name",
        "next_of_kin_contact_phone",
        "next_of_kin_contact_address",
        "ec_phone",
        "dob",
    } <= set(longitudinal.pii_columns)


def test_the_redcapapi_test_project_personal_fields_are_all_found() -> None:
    table = read_export(
        REAL / "redcap" / "redcapapi_offline_data.csv",
        dictionary=REAL / "redcap" / "redcapapi_offline_dictionary.csv",
    )
    assert {
        "email_test",
        "phone_test",
        "zipcode_test",
        "text_test",
        "notes_test",
        "signature_test",
        "file_upload_test",
        "date_ymd_test",
    } <= set(table.pii_columns)
    assert "number_test" not in table.pii_columns  # 19.14555454 is a measurement


@pytest.mark.parametrize(
    ("values", "why"),
    [
        (["ann@example.org", "bo@example.org", "cy@example.net"], "e-mail"),
        (["+44 20 7946 0000", "(405) 321-1111", "0161 496 0000"], "phone"),
        (["Ann Lee", "Bo Diaz", "Cy Park"], "names"),
    ],
)
def test_carry_refuses_a_column_whose_content_is_personal(values: list[str], why: str) -> None:
    """Issue 18, point 4: an innocent name (``notes2``) does not let personal content through."""
    frame = pd.DataFrame(
        {"id": ["A", "B", "C"], "notes2": values, **{f"ucla3_{i}": ["1", "2", "3"] for i in "123"}}
    )
    with pytest.raises(InputError, match=f"'notes2' holds personal data .*{why}"):
        so.load_responses(frame, ["ucla3"], carry=["notes2"])


def test_carry_of_a_grouping_column_still_works() -> None:
    frame = pd.DataFrame(
        {
            "id": list("ABCDE"),
            "site": ["North Clinic", "South Clinic", "North Clinic", "East Clinic", "South Clinic"],
            **{f"ucla3_{i}": ["1", "2", "3", "1", "2"] for i in "123"},
        }
    )
    responses = so.load_responses(frame, ["ucla3"], carry=["site"])
    assert responses.frame["site"].tolist()[:2] == ["North Clinic", "South Clinic"]


# 8. Row-number IDs for unlinked designs ------------------------------------------------------


def test_no_id_column_names_the_row_number_option() -> None:
    frame = pd.DataFrame({"Timestamp": ["1"], **{f"ucla3_{i}": ["Often"] for i in "123"}})
    with pytest.raises(InputError, match="--id-col @row"):
        so.load_responses(frame, ["ucla3"])


def test_row_number_ids_never_pair_anyone_and_are_refused_for_paired_designs() -> None:
    frame = pd.DataFrame({"Timestamp": ["1", "2"], **{f"ucla3_{i}": ["Often"] * 2 for i in "123"}})
    responses = so.load_responses([frame, frame], ["ucla3"], id_col="@row", wave=["pre", "post"])
    ids = responses.frame["participant_id"].astype(str).tolist()
    assert len(set(ids)) == 4
    with pytest.raises(InputError, match="cannot be used for a paired design"):
        so.load_responses(frame, ["ucla3"], id_col="@row", unlinked=False)


# 10. Wide exports ----------------------------------------------------------------------------


def test_a_wide_export_with_rows_set_aside_keeps_every_column(tmp_path: Path) -> None:
    names = ["ResponseId", "Status", "Finished", "pcode"] + [f"Q{i}" for i in range(1, 2501)]
    path = tmp_path / "wide.csv"
    rng = np.random.default_rng(2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in range(20):
            status = "Survey Preview" if row == 0 else "IP Address"
            answers = rng.integers(1, 5, len(names) - 4).astype(str).tolist()
            writer.writerow([f"R_{row}", status, "True", f"P{row}", *answers])
    table = read_export(path)
    assert table.frame.shape == (19, len(names))
    assert table.excluded["row"].tolist() == [2]
    assert table.frame["pcode"].iloc[0] == "P1"


# 11. SPSS/Stata case numbers -----------------------------------------------------------------


def test_spss_ledger_rows_are_spss_case_numbers(tmp_path: Path) -> None:
    import pyreadstat

    path = tmp_path / "cases.sav"
    frame = pd.DataFrame({"id": ["A", "B", None], **{f"ucla3_{i}": [1.0, 2.0, 3.0] for i in "123"}})
    pyreadstat.write_sav(frame, path)
    responses = so.load_responses(path, ["ucla3"])
    missing = responses.ledger[responses.ledger["problem"] == "missing_participant_id"]
    assert missing["row"].tolist() == [3]  # the third case, as SPSS's Data View numbers it


# 12. An export whose every row is set aside ---------------------------------------------------


def test_every_row_set_aside_is_an_error_naming_the_option(tmp_path: Path) -> None:
    source = (REAL / "qualtrics" / "handmade_2016_single_quoted.csv").read_text(encoding="utf-8")
    lines = source.splitlines()
    path = tmp_path / "previews.csv"
    path.write_text("\n".join([*lines[:3], lines[4]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="every row of this export was set aside") as caught:
        so.load_responses(path, ["ucla3"], mapping={"id_col": "Q1"})
    assert "--include-previews" in caught.value.fix


# 13. SPSS portable and SAS files; Stata's special missing values; binary data as text --------


def test_spss_portable_file_is_read_with_its_value_labels() -> None:
    """pyreadstat's sample.por was refused with a CSV error ("row has 2 cells but the header
    has 1 columns"): ``.por`` went to the text reader."""
    import pyreadstat

    table = read_export(REAL / "spss_stata" / "sample.por")
    expected, _ = pyreadstat.read_por(str(REAL / "spss_stata" / "sample.por"))
    assert table.metadata["format"] == "por"
    assert list(table.frame.columns) == list(expected.columns)
    assert table.frame["MYNUM"].tolist() == expected["MYNUM"].tolist()
    assert table.value_labels["MYLABL"] == {1.0: "Male", 2.0: "Female"}


@pytest.mark.parametrize("name", ["sample.sas7bdat", "sas_data_without_extension"])
def test_sas_data_file_is_read_by_its_extension_or_its_first_bytes(
    name: str, tmp_path: Path
) -> None:
    """pyreadstat's sample.sas7bdat was read as UTF-16 text: a 2 × 2 table of garbage names
    (one 64,444 characters long), and ``init`` exited 0."""
    import pyreadstat

    source = REAL / "spss_stata" / "sample.sas7bdat"
    path = tmp_path / name
    path.write_bytes(source.read_bytes())
    table = read_export(path)
    expected, _ = pyreadstat.read_sas7bdat(str(source))
    assert table.metadata["format"] == "sas7bdat"
    assert list(table.frame.columns) == list(expected.columns)
    assert table.frame["mynum"].tolist() == expected["mynum"].tolist()


def test_binary_data_given_as_text_is_refused_saying_what_it_looks_like(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes((REAL / "spss_stata" / "sample.sas7bdat").read_bytes())
    with pytest.raises(InputError, match="binary data, not text: it looks like a SAS data file"):
        read_export(path)
    noise = tmp_path / "noise.csv"
    noise.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary data, not text"):
        read_export(noise)


def test_a_text_export_with_stray_control_characters_in_answers_is_still_read(
    tmp_path: Path,
) -> None:
    """A typed answer may hold a control character (a unit separator pasted in): the check
    for binary data must not refuse the file (a property test's export with one did)."""
    path = tmp_path / "export.csv"
    rows = [f"P{i},{i % 3 + 1},note\x1f{i}\x0b" for i in range(20)]
    path.write_text("id,ucla3_1,comment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    table = read_export(path)
    assert len(table.frame) == 20 and table.frame["comment"].iloc[0] == "note\x1f0\x0b"


def test_the_command_line_refuses_binary_data_as_text_with_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    path = tmp_path / "pre.csv"
    path.write_bytes((REAL / "spss_stata" / "sample.sas7bdat").read_bytes())
    result = CliRunner().invoke(
        app, ["score", str(path), "-i", "ucla3", "-o", str(tmp_path / "s.csv")]
    )
    assert result.exit_code == 2, result.output
    assert "binary data, not text" in result.output and "Traceback" not in result.output


def test_stata_special_missing_values_are_counted_and_their_labels_dropped() -> None:
    """haven's tagged-na-double.dta holds .a, .h and .z among 1-5: they were missing with no
    word, and value_labels still showed {'a': 'apple', 'z': '.zebra'}."""
    table = read_export(REAL / "spss_stata" / "haven_tagged-na-double.dta")
    assert table.frame["x"].tolist()[:5] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert table.frame["x"].isna().sum() == 3 and table.frame["x"].dtype == float
    assert table.metadata["user_missing_cells"] == {"x": 3}
    assert "x" not in table.value_labels


def test_spss_user_missing_values_singles_several_and_ranges_on_a_real_file() -> None:
    """cran/foreign's mval_bug.sav declares one value, several, a range, LO THRU and THRU HI
    (and ranges plus a value); each column's missing cells, counted by pyreadstat."""
    import pyreadstat

    path = REAL / "spss_stata" / "foreign_mval_bug.sav"
    table = read_export(path)
    raw, meta = pyreadstat.read_sav(str(path), user_missing=True)
    for column, ranges in meta.missing_ranges.items():
        declared = np.zeros(len(raw), dtype=bool)
        for spec in ranges:
            declared |= (raw[column] >= spec["lo"]) & (raw[column] <= spec["hi"])
        assert table.metadata["user_missing_cells"].get(column, 0) == declared.sum(), column
        assert table.frame[column].isna().sum() == declared.sum() + raw[column].isna().sum()
    assert table.metadata["user_missing_cells"]["Q1_MISSING_RANGE_1"] == 33


# 14. Scores of a real dataset against the totals it ships with ------------------------------


def test_dass21_scores_of_a_real_dataset_are_twice_its_own_subscale_sums() -> None:
    """rminr-data's dass21.csv (a teaching dataset) ships each participant's DASS-21 subscale
    sums; the definition multiplies them by 2 (the DASS manual, as the definition cites).
    Every participant with the dataset's own sums gets exactly twice them."""
    path = REAL / "plain" / "rminr_dass21.csv"
    result = so.score(
        path, ["dass21"],
        mapping={"id_col": "partID", "instruments": {"dass21": {"pattern": "DASS{item}"}}},
    )  # fmt: skip
    ours = result.scores.pivot_table(index="participant_id", columns="scale", values="score")
    theirs = pd.read_csv(path, dtype={"partID": str}).set_index("partID")
    theirs = theirs[["DASSD", "DASSA", "DASSS"]].dropna()
    theirs.columns = ["depression", "anxiety", "stress"]
    assert len(theirs) >= 60
    both = ours.loc[theirs.index, theirs.columns]
    assert (both == 2 * theirs).all().all()


# 15. Headings real exports really have ----------------------------------------------------------


def test_real_qualtrics_side_by_side_tags_and_limesurvey_text_headings_are_read() -> None:
    """Both were refused: QualtricsTools' sample survey repeats export tags (side-by-side
    questions) in the three-row layout; limonaid's survey 100001 has a question-text heading
    that is empty and question texts that repeat."""
    qualtrics = read_export(REAL / "qualtrics" / "qualtricstools_sample_survey.csv")
    assert qualtrics.frame.shape == (5, 190)
    renamed = qualtrics.metadata["renamed_duplicates"]
    assert len(renamed) == 12 and all(new.endswith(")") for new in renamed)
    lime = read_export(REAL / "limesurvey" / "limonaid_100001.csv")
    assert lime.frame.shape == (2, 646)
    assert lime.metadata["unnamed_columns"] == {"column 10": 10}
    assert len(lime.metadata["renamed_duplicates"]) == 17


def test_init_does_not_take_an_empty_intro_text_column_for_the_participant_id() -> None:
    """limonaid's survey 998192 opens with a ~1,000-character intro text, empty in every
    row, whose words ("study ... consider") matched the ID hint."""
    table = read_export(REAL / "limesurvey" / "limonaid_998192.csv")
    proposal = propose([table], [load_instrument("ucla3")]).files[0]
    assert proposal.id_col is None


# 16. KoboToolbox's empty mark and ODK repeat tables ---------------------------------------------


def test_kobo_n_a_cells_are_empty_answers_not_unknown_ones() -> None:
    """kobocat's nested_repeats.csv writes 'n/a' in repeat slots a family did not fill (and
    onadata's NA_REP setting does so for every empty value); each was ledgered as an
    unknown answer."""
    path = REAL / "kobo" / "kobocat_nested_repeats.csv"
    table = read_export(path)
    assert table.metadata["na_cells"] == 5
    assert not table.frame.isin(["n/a"]).any().any()
    notes = propose([table], [load_instrument("ucla3")]).files[0].notes
    assert any("5 cell(s) 'n/a' read as empty" in n for n in notes)


def test_odk_repeat_group_table_is_said_to_hold_repeats_not_respondents() -> None:
    """ruODK's taxon_encounter.csv holds 7 repeats of 2 submissions; init called it one row
    per response, with no word that scoring it would count each repeat as a person."""
    table = read_export(REAL / "odk" / "ruODK_taxon_encounter.csv")
    assert table.metadata["repeat_group_table"] == "PARENT_KEY"
    notes = propose([table], [load_instrument("ucla3")]).files[0].notes
    assert any("one row per repeat of a group, not one per respondent" in n for n in notes)


# 17. Personal data in real exports ------------------------------------------------------------


def test_personal_data_the_guard_missed_in_real_exports_is_found() -> None:
    """Found missing when these files were first tried: a medical record number, person
    names at the end of Kobo group paths, an ORCID and a personal website."""
    trial = read_export(REAL / "redcap" / "redcaptidier-records.csv")
    assert "demo_mrn" in trial.pii_columns
    kobo = read_export(REAL / "kobo" / "kobocat_nested_repeats.csv")
    assert {"kids/kids_details[1]/kids_name", "kids/nested_group/nested_name"} <= set(
        kobo.pii_columns
    )
    forms = read_export(REAL / "google_forms" / "amy_instructor_profiles.csv")
    assert {"ORCID ID", "Personal website"} <= set(forms.pii_columns)


def test_a_redcap_study_code_is_not_a_phone_number_so_it_can_be_the_participant_id() -> None:
    """REDCapTidieR's subject IDs (001-123-001) read as phone numbers, so the ID column was
    refused as personal data; and a yes/no field named emergency_phone_confirmed was flagged."""
    trial = read_export(REAL / "redcap" / "redcaptidier-records.csv")
    assert "subject_id" not in trial.pii_columns
    project = read_export(
        REAL / "redcap" / "phpcap-longitudinal_data.csv",
        dictionary=REAL / "redcap" / "phpcap-longitudinal_dictionary.csv",
    )
    assert "emergency_phone_confirmed" not in project.pii_columns
    assert {"emergency_phone", "telephone_1", "email"} <= set(project.pii_columns)
