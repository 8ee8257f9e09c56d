"""SurveyMonkey, Google Forms, LimeSurvey, KoboToolbox/ODK and plain files."""

from __future__ import annotations

import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError, MappingError
from stigma_outcomes.ingest.readers import read_export

from ._exports import EXPORTS, problems, totals

SM_ITEMS = {
    "1": "How often do you feel... - that you lack companionship",
    "2": "How often do you feel... - left out",
    "3": "How often do you feel... - isolated from others",
}


def test_surveymonkey_csv_and_xlsx_give_the_same_table() -> None:
    csv_table = read_export(EXPORTS / "surveymonkey.csv")
    xlsx_table = read_export(EXPORTS / "surveymonkey.xlsx")
    for table in (csv_table, xlsx_table):
        assert table.flavor == "surveymonkey"
        assert table.metadata["header_rows"] == 2
        assert table.row_numbers.tolist() == [3, 4, 5]
        assert list(table.frame.columns[10:13]) == list(SM_ITEMS.values())
        assert {
            "Email Address",
            "IP Address",
            "Contact details (optional) - Name",
            "Contact details (optional) - Phone Number",
            "Anything else you would like to tell us?",
        } <= set(table.pii_columns)
    assert csv_table.frame[SM_ITEMS["2"]].tolist() == xlsx_table.frame[SM_ITEMS["2"]].tolist()


def test_surveymonkey_scored_end_to_end() -> None:
    result = so.score(
        EXPORTS / "surveymonkey.xlsx",
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"columns": SM_ITEMS}}},
        id_col="What is your participant code?",
        wave="pre",
    )
    assert totals(result) == {("M01", "pre"): 5.0, ("M02", "pre"): 8.0, ("M03", "pre"): None}
    assert (5, None, "insufficient_items") in problems(result)


def test_google_forms_grid_duplicates_and_windows_1252() -> None:
    table = read_export(EXPORTS / "google_forms_grid.csv")
    assert table.flavor == "google_forms"
    assert table.metadata["encoding"] == "cp1252"
    assert list(table.frame.columns[-2:]) == ["Comments", "Comments (2)"]
    assert table.metadata["renamed_duplicates"] == {"Comments (2)": "Comments"}
    grid = table.metadata["grids"]["How often do you feel…"]
    assert grid[0] == "How often do you feel… [that you lack companionship]"
    assert table.frame["Comments"].iloc[0] == "“Great group” – thank you"
    assert table.pii_columns == ["Timestamp", "Email address", "Comments", "Comments (2)"]
    assert table.metadata["checkbox_columns"] == ["Which groups did you attend?"]
    assert table.frame["Which groups did you attend?"].iloc[2] == "Art, Cooking, Walking"
    result = so.score(
        table,
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"columns": dict(zip("123", grid, strict=True))}}},
        id_col="Participant code",
        wave="pre",
    )
    assert totals(result) == {("G01", "pre"): 6.0, ("G02", "pre"): 3.0, ("G03", "pre"): 8.0}


def test_limesurvey_codes_and_unsubmitted_response() -> None:
    table = read_export(EXPORTS / "limesurvey_codes.csv")
    assert table.flavor == "limesurvey"
    assert table.excluded[["row", "column", "problem"]].values.tolist() == [
        [3, "submitdate", "incomplete_response"]
    ]
    assert table.metadata["subquestions"]["UCLA"] == ["UCLA[SQ001]", "UCLA[SQ002]", "UCLA[SQ003]"]
    assert {"token", "ipaddr", "refurl", "submitdate"} <= set(table.pii_columns)
    mapping = {
        "instruments": {
            "ucla3": {
                "columns": {"1": "UCLA[SQ001]", "2": "UCLA[SQ002]", "3": "UCLA[SQ003]"},
                "recode": {"A1": 1, "A2": 2, "A3": 3},
            }
        }
    }
    result = so.score(table, ["ucla3"], mapping=mapping, id_col="pcode", wave="pre")
    assert totals(result) == {("S01", "pre"): 6.0, ("S03", "pre"): 6.0}
    assert result.rows_in == 3 and result.rows_excluded == 1


def test_kobo_semicolons_group_paths_and_system_columns() -> None:
    table = read_export(EXPORTS / "kobo.csv")
    assert table.flavor == "kobo"
    assert table.metadata["delimiter"] == ";"
    assert table.frame["_geolocation"].iloc[0] == "[-1.2921, 36.8219]"
    assert table.metadata["submission_id_columns"] == ["_id", "_uuid"]
    assert {"deviceid", "_geolocation", "_submitted_by", "start"} <= set(table.pii_columns)
    assert "_uuid" not in table.pii_columns
    result = so.score(
        table,
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"pattern": "ucla/ucla_{item}"}}},
        id_col="participant/code",
        wave="pre",
    )
    assert totals(result) == {("K01", "pre"): 6.0, ("K02", "pre"): 9.0}


def test_odk_briefcase_dash_paths_and_key() -> None:
    table = read_export(EXPORTS / "odk_briefcase.csv")
    assert table.flavor == "kobo"
    assert "KEY" in table.metadata["flavor_reason"]
    assert table.metadata["group_separator"] == "-"
    assert table.frame["SubmissionDate"].iloc[0] == "Apr 26, 2026 10:15:02 AM"
    assert {"gps-Latitude", "gps-Accuracy", "deviceid", "SubmissionDate"} <= set(table.pii_columns)
    result = so.score(
        table,
        ["ucla3"],
        mapping={"instruments": {"ucla3": {"pattern": "ucla-ucla_{item}"}}},
        id_col="pcode",
        wave="pre",
    )
    assert totals(result) == {("D01", "pre"): 6.0, ("D02", "pre"): 6.0}


def test_plain_cp1252_duplicate_ids_after_normalising() -> None:
    result = so.score(EXPORTS / "plain_cp1252.csv", ["ucla3"], wave="pre", casefold_ids=True)
    # "c02 " is C02 once trimmed and case-folded: the later (row 4) answer is kept.
    assert totals(result) == {("c01", "pre"): 6.0, ("c02", "pre"): 6.0}
    assert (3, None, "duplicate_participant") in problems(result)


def test_stata_and_parquet_scored() -> None:
    for name in ("survey.dta", "survey.parquet"):
        result = so.score(EXPORTS / name, ["ucla3"], wave="pre")
        assert totals(result) == {("T01", "pre"): 6.0, ("T02", "pre"): 8.0}


def test_id_column_that_does_not_exist_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="participant ID column 'Participant Code ' does not"):
        so.score(
            EXPORTS / "kobo.csv",
            ["ucla3"],
            id_col="Participant Code ",
            wave="pre",
            mapping={"instruments": {"ucla3": {"pattern": "ucla/ucla_{item}"}}},
        )


def test_conflicting_mapping_is_one_clear_error() -> None:
    mapping = {"instruments": {"ucla3": {"columns": {"1": "pcode", "2": "pcode", "3": "pcode"}}}}
    with pytest.raises(MappingError, match="bound to more than one item"):
        so.score(EXPORTS / "odk_briefcase.csv", ["ucla3"], mapping=mapping, id_col="pcode")


def test_mapping_onto_a_personal_column_is_refused() -> None:
    mapping = {
        "instruments": {"ucla3": {"columns": {"1": "deviceid"}, "pattern": "ucla-ucla_{item}"}}
    }
    with pytest.raises(MappingError, match="recognised as personal data"):
        so.score(EXPORTS / "odk_briefcase.csv", ["ucla3"], mapping=mapping, id_col="pcode")


def test_google_forms_free_text_with_commas_is_not_a_checkbox(tmp_path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(
        "Timestamp,What helped?,Which groups?\n"
        '9/8/2026 14:28:27,"The walks, mostly",Art\n'
        '9/8/2026 15:02:10,"Talking, and the tea","Art, Music"\n'
        '9/9/2026 08:17:45,"Honestly, everything",Music\n',
        encoding="utf-8",
    )
    assert read_export(path).metadata["checkbox_columns"] == ["Which groups?"]


def test_odk_repeat_group_file_links_to_its_parent(tmp_path) -> None:
    path = tmp_path / "visit-household.csv"
    path.write_text(
        "member-name,member-age,PARENT_KEY,KEY,SET-OF-member\n"
        "Ana,34,uuid:aaa,uuid:aaa/member[1],uuid:aaa/member\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.flavor == "kobo"
    assert "repeat-group" in table.metadata["flavor_reason"]
    assert table.metadata["parent_key_columns"] == ["PARENT_KEY"]
    assert "member-name" in table.pii_columns


def _write_rows(path, rows: list[list[str]]) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_google_forms_nameless_empty_columns_are_dropped_and_said(tmp_path) -> None:
    """A Google Forms sheet keeps blank, nameless columns where questions were deleted
    (as in the event-sangha export, not copied here: it may hold a real name)."""
    path = tmp_path / "form.csv"
    _write_rows(
        path,
        [
            ["Timestamp", "Participant code", "", "How often?", "", "Notes"],
            ["9/8/2026 14:28:27", "A01", "", "Often", "", "x"],
            ["9/8/2026 15:02:10", "A02", "", "Hardly ever", "", ""],
        ],
    )
    table = read_export(path)
    assert table.flavor == "google_forms"
    assert list(table.frame.columns) == ["Timestamp", "Participant code", "How often?", "Notes"]
    assert table.metadata["empty_columns_dropped"] == [3, 5]
    assert table.frame["How often?"].tolist() == ["Often", "Hardly ever"]


def test_a_nameless_column_with_content_is_refused_by_its_place_in_the_file(tmp_path) -> None:
    path = tmp_path / "form.csv"
    _write_rows(
        path,
        [
            ["Timestamp", "", "Participant code", "", "How often?"],
            ["9/8/2026 14:28:27", "", "A01", "kept by hand", "Often"],
        ],
    )
    # Column 2 (empty) is dropped; column 4 holds values and cannot be read without a name.
    with pytest.raises(InputError, match="column 4 has no name"):
        read_export(path)


def test_limesurvey_question_text_headings_may_be_empty_or_repeated(tmp_path) -> None:
    """Full-text headings are question texts: a question without text has an empty
    heading, and two questions may share a text (as in limonaid's survey 100001)."""
    path = tmp_path / "ls.csv"
    _write_rows(
        path,
        [
            [
                "Response ID",
                "Date submitted",
                "Last page",
                "Start language",
                "How old are you?",
                "",
                " [Other]",
                "When I ask for help, ...",
                "When I ask for help, ...",
            ],
            ["1", "2026-03-15 10:51:00", "3", "en", "3", "rather not say", "", "2", "4"],
            ["2", "", "1", "en", "", "", "", "", ""],
            ["3", "2026-03-15 10:58:12", "3", "en", "4", "other", "tea", "1", "1"],
        ],
    )
    table = read_export(path)
    assert table.flavor == "limesurvey"
    assert list(table.frame.columns[4:]) == [
        "How old are you?",
        "column 6",
        "[Other]",
        "When I ask for help, ...",
        "When I ask for help, ... (2)",
    ]
    assert table.metadata["unnamed_columns"] == {"column 6": 6}
    assert table.metadata["renamed_duplicates"] == {
        "When I ask for help, ... (2)": "When I ask for help, ..."
    }
    assert table.frame["column 6"].tolist() == ["rather not say", "other"]
    assert table.excluded["problem"].tolist() == ["incomplete_response"]


def test_limesurvey_code_headings_still_refuse_a_nameless_column(tmp_path) -> None:
    path = tmp_path / "ls.csv"
    _write_rows(
        path,
        [
            ["id", "submitdate", "lastpage", "startlanguage", "", "Q1"],
            ["1", "2026-03-15 10:51:00", "3", "en", "x", "2"],
        ],
    )
    with pytest.raises(InputError, match="column 5 has no name"):
        read_export(path)


def test_surveymonkey_answer_row_repeating_the_question_is_one_name(tmp_path) -> None:
    """The osposurvey exports repeat row 1 in row 2 over the metadata columns (and single
    questions): 'Respondent ID - Respondent ID' is 'Respondent ID', the response ID."""
    from stigma_outcomes.ingest.propose import propose

    path = tmp_path / "sm.csv"
    _write_rows(
        path,
        [
            [
                "Respondent ID",
                "Start Date",
                "End Date",
                "How many people work there?",
                "How often?",
                "",
                "Your team?",
            ],
            [
                "Respondent ID",
                "Start Date",
                "End Date",
                "How many people work there?",
                "Reading",
                "Writing",
                "Response",
            ],
            ["11901", "03/01/2026", "03/01/2026", "12", "Often", "Never", "Sales"],
            ["11902", "03/02/2026", "03/02/2026", "40", "Never", "Often", "Support"],
        ],
    )
    table = read_export(path)
    assert table.metadata["header_rows"] == 2
    assert list(table.frame.columns) == [
        "Respondent ID",
        "Start Date",
        "End Date",
        "How many people work there?",
        "How often? - Reading",
        "How often? - Writing",
        "Your team?",
    ]
    found = propose([table], [so.load_instrument("ucla3")]).files[0]
    assert found.id_col is None  # a response ID cannot link waves
