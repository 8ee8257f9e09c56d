"""Qualtrics exports: header rows, previews and unfinished responses, codes vs labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stigma_outcomes as so
from stigma_outcomes.ingest.readers import read_export

from ._exports import EXPORTS, problems, totals

Q5 = {"instruments": {"ucla3": {"pattern": "Q5_{item}"}}}


def test_choice_text_csv_with_three_header_rows() -> None:
    table = read_export(EXPORTS / "qualtrics_choice_text.csv")
    assert table.flavor == "qualtrics"
    assert "ImportId" in table.metadata["flavor_reason"]
    assert table.metadata["header_rows"] == 3
    assert table.metadata["export_values"] == "choice_text"
    # Data start on spreadsheet row 4; the preview (4) and the unfinished response (7) are
    # set aside, the two blank rows at the end are not data.
    assert table.row_numbers.tolist() == [5, 6, 8, 9, 10]
    assert table.rows_in == 7
    assert table.excluded[["row", "column", "problem", "action"]].values.tolist() == [
        [4, "Status", "survey_preview", "row_excluded"],
        [7, "Finished", "unfinished_response", "row_excluded"],
    ]
    assert table.metadata["blank_rows_skipped"] == 2
    # Question text from row 2 with the HTML removed; ImportIds and time zones from row 3.
    assert table.column_labels["Q5_1"] == "How often do you feel... - that you lack companionship"
    assert table.metadata["import_ids"]["Q5_2"] == "QID5_2"
    assert table.metadata["import_ids"]["ResponseId"] == "_recordId"
    assert table.metadata["time_zones"]["StartDate"] == "America/Denver"
    assert table.metadata["display_order_columns"] == ["Q5_DO"]
    assert table.frame.loc[1, "Q6_4_TEXT"] == 'A poster at the "Mind" café'


def test_choice_text_scored_end_to_end_with_ledger() -> None:
    result = so.score(
        EXPORTS / "qualtrics_choice_text.csv", ["ucla3"], mapping=Q5, id_col="pcode", wave="pre"
    )
    # P02's label variants ("often ", "SOME OF THE TIME") decode; P02's later complete
    # response wins under keep-last-complete; P05 skipped an item (UCLA-3 needs all three).
    assert totals(result) == {
        ("P01", "pre"): 6.0,
        ("P04", "pre"): 4.0,
        ("P02", "pre"): 9.0,
        ("P05", "pre"): None,
    }
    found = problems(result)
    assert (4, "Status", "survey_preview") in found
    assert (7, "Finished", "unfinished_response") in found
    assert (6, None, "duplicate_participant") in found
    assert (10, None, "insufficient_items") in found
    dropped = {c for _, c, p in found if p == "pii_column_dropped"}
    assert dropped >= {"IPAddress", "RecipientEmail", "LocationLatitude", "Q6_4_TEXT"}
    assert result.rows_in == 7
    assert result.rows_in == result.summary()["rows_scored"] + result.rows_excluded
    assert not set(result.scores.columns) & dropped


def test_previews_and_unfinished_can_be_kept() -> None:
    table = read_export(
        EXPORTS / "qualtrics_choice_text.csv", include_previews=True, include_incomplete=True
    )
    assert table.row_numbers.tolist() == [4, 5, 6, 7, 8, 9, 10]
    assert table.excluded.empty
    only_previews = read_export(EXPORTS / "qualtrics_choice_text.csv", include_previews=True)
    assert only_previews.excluded["problem"].tolist() == ["unfinished_response"]


def test_numeric_utf16_tsv_with_zero_based_codes_needs_and_gets_a_recode() -> None:
    table = read_export(EXPORTS / "qualtrics_numeric.tsv")
    assert table.metadata["export_values"] == "numeric"
    assert table.excluded["problem"].tolist() == ["survey_preview", "unfinished_response"]
    # The reader never assumes 0 1 2 are scale points 1 2 3: cells stay as exported.
    assert table.frame["Q5_1"].tolist() == ["0", "2", "0"]
    mapping = {"instruments": {"ucla3": {"pattern": "Q5_{item}", "recode": {0: 1, 1: 2, 2: 3}}}}
    result = so.score(
        EXPORTS / "qualtrics_numeric.tsv", ["ucla3"], mapping=mapping, id_col="pcode", wave="pre"
    )
    assert totals(result) == {("Q01", "pre"): 6.0, ("Q02", "pre"): 8.0, ("Q04", "pre"): 3.0}


def test_legacy_two_row_export() -> None:
    table = read_export(EXPORTS / "qualtrics_legacy.csv")
    assert table.flavor == "qualtrics"
    assert table.metadata["qualtrics_layout"] == "legacy"
    assert list(table.frame.columns[:3]) == ["ResponseID", "ResponseSet", "Name"]
    assert table.row_numbers.tolist() == [4, 5]
    assert set(table.pii_columns) >= {"Name", "EmailAddress", "IPAddress"}
    result = so.score(
        EXPORTS / "qualtrics_legacy.csv", ["ucla3"], mapping=Q5, id_col="pcode", wave="pre"
    )
    assert totals(result) == {("L01", "pre"): 8.0, ("L02", "pre"): 4.0}


def test_spss_export_uses_codes_and_honours_user_missing() -> None:
    table = read_export(EXPORTS / "qualtrics_spss.sav")
    assert table.flavor == "qualtrics"
    assert table.excluded["problem"].tolist() == ["survey_preview", "unfinished_response"]
    result = so.score(
        EXPORTS / "qualtrics_spss.sav", ["ucla3"], mapping=Q5, id_col="pcode", wave="pre"
    )
    # S02 answered "Prefer not to say" (-99, user-missing) on item 2: not summed.
    assert totals(result) == {("S01", "pre"): 6.0, ("S02", "pre"): None}


def test_flavour_override_reads_the_same_file_as_plain() -> None:
    table = read_export(EXPORTS / "qualtrics_choice_text.csv", flavor="plain")
    assert table.flavor == "plain"
    assert table.metadata["flavor_reason"] == "given with --flavor"
    # Plain means one header row: the question-text row becomes the first data row.
    assert table.frame.loc[0, "Q5_1"].startswith("<b>How often")
    assert table.row_numbers[0] == 2


@pytest.mark.parametrize("status", ["Survey Preview", "1"])
def test_preview_status_in_text_or_code(status: str, tmp_path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "ResponseId,Status,Finished,pcode\n"
        "Response ID,Response Type,Finished,Code\n"
        f"R_1,{status},True,A\nR_2,IP Address,True,B\nR_3,Spam,True,C\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.metadata["header_rows"] == 2
    assert table.frame["pcode"].tolist() == ["B", "C"]
    # Only preview is documented; other statuses are kept and reported.
    assert table.metadata["status_values"] == {"IP Address": 1, "Spam": 1}


def test_qualtrics_xlsx_download_has_the_same_header_rules(tmp_path) -> None:
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    with (EXPORTS / "qualtrics_choice_text.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            book.active.append([cell or None for cell in row])
    path = tmp_path / "qualtrics.xlsx"
    book.save(path)
    table = read_export(path)
    assert table.flavor == "qualtrics"
    assert table.metadata["header_rows"] == 3
    assert table.row_numbers.tolist() == [5, 6, 8, 9, 10]
    assert table.excluded["problem"].tolist() == ["survey_preview", "unfinished_response"]
    assert table.frame["Q5_2"].tolist()[:2] == ["Some of the time", "SOME OF THE TIME"]


def test_browser_meta_columns_are_personal(tmp_path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text(
        "ResponseId,Finished,Q1_Browser,Q1_Version,Q1_Operating System,Q1_Resolution,Q2\n"
        "R_1,True,Chrome,120.0,Windows NT 10.0,1920x1080,Often\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.pii_columns == ["Q1_Browser", "Q1_Version", "Q1_Operating System", "Q1_Resolution"]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["IP Address", "Survey Preview", "Spam", ""]),
            st.sampled_from(["True", "False", ""]),
            st.sampled_from(["anonymous", "preview", "email"]),
            st.sampled_from(["Often", "Hardly ever", "", "often "]),
        ),
        min_size=1,
        max_size=30,
    ),
    keep_previews=st.booleans(),
    keep_unfinished=st.booleans(),
)
def test_every_qualtrics_row_is_kept_or_set_aside_once(
    rows, keep_previews: bool, keep_unfinished: bool
) -> None:
    import tempfile
    from pathlib import Path

    lines = [
        "ResponseId,Status,Finished,DistributionChannel,Q1",
        "Response ID,Response Type,Finished,Distribution Channel,How often?",
        '"{""ImportId"":""_recordId""}","{""ImportId"":""status""}","{""ImportId"":""finished""}",'
        '"{""ImportId"":""distributionChannel""}","{""ImportId"":""QID1""}"',
    ]
    lines += [f"R_{i},{s},{f},{c},{q}" for i, (s, f, c, q) in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        table = read_export(
            path, include_previews=keep_previews, include_incomplete=keep_unfinished
        )
    kept = set(table.row_numbers.tolist())
    set_aside = table.excluded["row"].tolist()
    assert len(set_aside) == len(set(set_aside))
    assert kept.isdisjoint(set_aside)
    # Every data row (spreadsheet rows 4 …) is accounted for exactly once.
    assert kept | set(set_aside) == set(range(4, 4 + len(rows)))
    assert table.rows_in == len(rows)
    for (status, finished, channel, _), number in zip(rows, range(4, 4 + len(rows)), strict=True):
        preview = status == "Survey Preview" or channel == "preview"
        unfinished = finished == "False"
        expected_out = (preview and not keep_previews) or (unfinished and not keep_unfinished)
        assert (number in set_aside) == expected_out


def test_question_text_with_line_breaks_in_the_header(tmp_path) -> None:
    path = tmp_path / "breaks.csv"
    path.write_text(
        "ResponseId,Finished,Q1\n"
        'Response ID,Finished,"How often do you feel...\n\nthat you lack companionship?"\n'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""finished""}","{""ImportId"":""QID1""}"\n'
        "R_1,True,Often\nR_2,True,Hardly ever\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.metadata["header_rows"] == 3
    assert table.column_labels["Q1"] == "How often do you feel... that you lack companionship?"
    assert table.frame["Q1"].tolist() == ["Often", "Hardly ever"]
    assert table.row_numbers.tolist() == [4, 5]


def test_repeated_export_tags_in_three_header_rows_are_numbered(tmp_path) -> None:
    """Side-by-side questions repeat their export tags (as QualtricsTools' sample survey
    does); each column keeps its own question text and ImportId under the numbered name."""
    import csv

    rows = [
        ["ResponseId", "Finished", "Q9#1_tea_TEXT", "Q9#1_tea_TEXT", "Q9#2_tea", "Q9#2_tea"],
        ["Response ID", "Finished", "Side by side - tea", "Side by side - tea", "Pick", "Pick"],
        [
            '{"ImportId":"_recordId"}',
            '{"ImportId":"finished"}',
            '{"ImportId":"QID9#1-1-1-TEXT"}',
            '{"ImportId":"QID9#1-1-2-TEXT"}',
            '{"ImportId":"QID9#2-1-1"}',
            '{"ImportId":"QID9#2-1-2"}',
        ],
        ["R_1", "True", "green", "mint", "1", "2"],
    ]
    path = tmp_path / "side_by_side.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    table = read_export(path)
    assert table.metadata["qualtrics_layout"] == "three_rows"
    assert list(table.frame.columns[2:]) == [
        "Q9#1_tea_TEXT",
        "Q9#1_tea_TEXT (2)",
        "Q9#2_tea",
        "Q9#2_tea (2)",
    ]
    assert table.metadata["renamed_duplicates"] == {
        "Q9#1_tea_TEXT (2)": "Q9#1_tea_TEXT",
        "Q9#2_tea (2)": "Q9#2_tea",
    }
    assert table.metadata["import_ids"]["Q9#1_tea_TEXT (2)"] == "QID9#1-1-2-TEXT"
    assert table.column_labels["Q9#2_tea (2)"] == "Pick"
    assert table.frame["Q9#1_tea_TEXT (2)"].tolist() == ["mint"]


def test_labelled_status_is_said_by_its_label(tmp_path) -> None:
    """An SPSS export whose Status carries value labels (as Displayr's iLockAll.sav does:
    3 = Qualified, 4 = Partial) is reported by the labels, not by '4.0'."""
    import pandas as pd
    import pyreadstat

    from stigma_outcomes.ingest.propose import propose

    frame = pd.DataFrame(
        {"ResponseId": ["R_1", "R_2", "R_3"], "Status": [3.0, 4.0, 4.0], "Q1": [1.0, 2.0, 3.0]}
    )
    path = tmp_path / "q.sav"
    labels = {"Status": {1.0: "Terminated", 2.0: "Overquota", 3.0: "Qualified", 4.0: "Partial"}}
    pyreadstat.write_sav(frame, path, variable_value_labels=labels)
    table = read_export(path)
    # Code 1 is "Terminated" here, not a preview: nothing is set aside by the code alone.
    assert len(table.frame) == 3 and table.excluded.empty
    assert table.metadata["status_values"] == {"Partial": 2, "Qualified": 1}
    notes = propose([table], [so.load_instrument("ucla3")]).files[0].notes
    assert "2 response(s) with Qualtrics status 'Partial' kept" in " ".join(notes)
    assert "4.0" not in " ".join(notes)


def test_a_damaged_import_id_cell_raises_no_python_source_warning() -> None:
    """A backslash in a cell read as a 2016-17 ImportId literal ('\\I', found by the fuzzer)
    warned about Python source escapes; the user has nothing to do with that."""
    import warnings

    from stigma_outcomes.ingest.flavors._qualtrics import _import_id

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _import_id("{'ImportId': 'QID1\\I'}") == {"ImportId": "QID1\\I"}
