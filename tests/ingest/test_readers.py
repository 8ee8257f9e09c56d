"""read_export: formats, row numbers, cells as read, and one clear error for bad files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.readers import from_dataframe, read_export, read_sheet

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
BAD = EXPORTS / "bad"


def test_cells_are_kept_as_text_and_empty_cells_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id,q1,q2\nA,NA,\nB,None,007\n", encoding="utf-8")
    table = read_export(path)
    assert table.frame["q1"].tolist() == ["NA", "None"]
    assert pd.isna(table.frame.loc[0, "q2"])
    assert table.frame.loc[1, "q2"] == "007"
    assert table.row_numbers.tolist() == [2, 3]


def test_windows_1252_file_with_curly_quotes_and_trailing_blank_rows() -> None:
    table = read_export(EXPORTS / "plain_cp1252.csv")
    assert table.metadata["encoding"] == "cp1252"
    assert table.frame["notes"].iloc[0] == "Said the “drop-in” helped"
    assert table.frame["notes"].iloc[1] == "Café meet-ups – every week"
    assert table.frame["participant_id"].tolist() == ["C01", "C02", "c02 "]
    assert table.row_numbers.tolist() == [2, 3, 4]
    assert table.metadata["blank_rows_skipped"] == 3


def test_utf16_tab_separated_qualtrics_download() -> None:
    table = read_export(EXPORTS / "qualtrics_numeric.tsv")
    assert (table.metadata["encoding"], table.metadata["delimiter"]) == ("utf-16", "\t")
    assert table.frame["pcode"].tolist() == ["Q01", "Q02", "Q04"]


def test_blank_line_in_the_middle_keeps_row_numbers_exact(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("id,q1\nA,1\n\nB,2\n", encoding="utf-8")
    table = read_export(path)
    assert table.frame["id"].tolist() == ["A", "B"]
    assert table.row_numbers.tolist() == [2, 4]


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("id,q\nA,1\nB,2\n  \n", [2, 3]),
        ("id,q\nA,1\n  \nB,2\n\n\n", [2, 4]),
        ("id,q\r\nA,1\r\n\r\nB,2\r\n", [2, 4]),
        ("id,q\nA,1\n,\nB,2\n", [2, 4]),
    ],
)
def test_blank_and_whitespace_lines_never_shift_row_numbers(
    body: str, numbers: list[int], tmp_path: Path
) -> None:
    path = tmp_path / "blanks.csv"
    path.write_bytes(body.encode("utf-8"))
    table = read_export(path)
    assert table.frame["id"].tolist() == ["A", "B"]
    assert table.row_numbers.tolist() == numbers


def test_multiline_quoted_cell_counts_as_one_row(tmp_path: Path) -> None:
    path = tmp_path / "ml.csv"
    path.write_text('id,comment\nA,"line one\nline two"\nB,ok\n', encoding="utf-8")
    table = read_export(path)
    assert table.frame["comment"].tolist() == ["line one\nline two", "ok"]
    assert table.row_numbers.tolist() == [2, 3]


def test_quoted_line_break_after_the_sniffed_sample(tmp_path: Path) -> None:
    body = "id,comment,q1\n" + "A,fine,1\n" * 12000 + 'B,"two\nlines, really",2\nC,ok,3\n'
    path = tmp_path / "late_break.csv"
    path.write_text(body, encoding="utf-8")
    table = read_export(path)
    assert table.metadata["reader"] == "pyarrow"
    assert table.frame["comment"].iloc[-2] == "two\nlines, really"
    assert table.frame["id"].iloc[-1] == "C"
    assert table.row_numbers[-1] == 12003
    assert len(table.frame) == 12002


def test_a_record_longer_than_a_parse_block_after_the_sample(tmp_path: Path) -> None:
    # The sample's short lines give 1 MiB blocks; a 3 MB free-text answer later needs
    # larger ones, still through Arrow, with every value and row number right.
    long_text = "word " * 600_000
    body = "id,comment,q1\n" + "A,fine,1\n" * 20000 + f"B,{long_text},2\nC,ok,3\n"
    path = tmp_path / "long_record.csv"
    path.write_text(body, encoding="utf-8")
    table = read_export(path)
    assert table.metadata["reader"] == "pyarrow"
    assert table.frame["comment"].iloc[-2] == long_text
    assert table.frame["q1"].tolist()[-3:] == ["1", "2", "3"]
    assert table.row_numbers[-1] == 20003 and len(table.frame) == 20002


def test_utf8_error_after_the_sniffed_sample_falls_back_to_windows_1252(tmp_path: Path) -> None:
    body = "id,q1\n" + "A,1\n" * 20000 + "B,caf\xe9\n"
    path = tmp_path / "late.csv"
    path.write_bytes(body.encode("latin-1"))
    table = read_export(path)
    assert table.metadata["encoding"] == "cp1252"
    assert table.frame["q1"].iloc[-1] == "café"
    assert table.row_numbers[-1] == 20002


def test_excel_sheet_by_name_and_position() -> None:
    first = read_export(EXPORTS / "surveymonkey.xlsx")
    assert first.metadata["sheet"] == "Sheet"
    assert first.frame["Respondent ID"].tolist() == [114023987561, 114023991270, 114024002288]
    notes = read_sheet(EXPORTS / "surveymonkey.xlsx", sheet="Notes")
    assert notes.cells.iloc[0, 0] == "Exported from SurveyMonkey"
    assert read_sheet(EXPORTS / "surveymonkey.xlsx", sheet=1).metadata["sheet"] == "Notes"
    with pytest.raises(InputError, match="worksheet 'Responses' not found"):
        read_export(EXPORTS / "surveymonkey.xlsx", sheet="Responses")


def test_spss_labels_and_user_defined_missing_values() -> None:
    table = read_export(EXPORTS / "qualtrics_spss.sav")
    assert table.column_labels["Q5_2"] == "How often do you feel... - left out"
    assert table.value_labels["Q5_1"][3.0] == "Often"
    # -99 "Prefer not to say" is declared missing in the file: it must not be a value.
    s02 = table.frame.loc[table.frame["pcode"] == "S02", "Q5_2"]
    assert s02.isna().all()
    assert table.metadata["user_missing_cells"] == {"Q5_2": 1}


def test_stata_and_parquet_keep_names_types_and_labels() -> None:
    dta = read_export(EXPORTS / "survey.dta")
    assert dta.column_labels["ucla3_2"] == "Left out"
    assert dta.value_labels["ucla3_1"][1] == "Hardly ever"
    pq = read_export(EXPORTS / "survey.parquet")
    assert pq.frame["ucla3_1"].tolist() == [1, 3]
    assert dta.frame["participant_id"].tolist() == pq.frame["participant_id"].tolist()


def test_from_dataframe_flags_personal_columns() -> None:
    table = from_dataframe(pd.DataFrame({"id": ["A"], "email": ["a@example.org"], "q": [1]}))
    assert table.pii_columns == ["email"]
    assert table.row_numbers.tolist() == [1]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("blank_lines.csv", "the file is empty"),
        ("header_only.csv", "a header but no data rows"),
        ("qualtrics_header_only.csv", "a header but no data rows"),
        ("ragged.csv", "row has 5 cells but the header has 4 columns"),
        ("duplicate_columns.csv", "duplicate column name 'q1'"),
        ("not_spss.sav", "not an SPSS data file"),
        ("corrupt.xlsx", "damaged or incomplete"),
        ("password_protected.xlsx", "password-protected"),
        ("damaged_deflate.xlsx", "Error -3 while decompressing"),  # found by fuzzing
        ("damaged_description.parquet", "description of its columns is damaged"),  # the same
    ],
)
def test_bad_input_gets_one_clear_error(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        read_export(BAD / name)
    assert caught.value.where and name in caught.value.where
    assert caught.value.fix


def test_ragged_row_error_names_the_row() -> None:
    with pytest.raises(InputError) as caught:
        read_export(BAD / "ragged.csv")
    assert caught.value.where == "ragged.csv, row 3"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_export(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_export(tmp_path)


def test_unknown_flavour_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown export flavour 'qualtrix'"):
        read_export(EXPORTS / "long_waves.csv", flavor="qualtrix")


def test_a_dictionary_given_as_data_is_refused() -> None:
    with pytest.raises(InputError, match="REDCap data dictionary, not response data"):
        read_export(EXPORTS / "redcap_dictionary.csv")


# A property: whatever an export holds, every data row is either in the table (with its
# own row number) or accounted for in the excluded rows; and writing the table back and
# reading it again gives the same cells.
_cell = st.one_of(
    st.just(""),
    st.sampled_from(["NA", "None", "Often", "Some of the time", " 2 ", "0", "-1", "=1+1"]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
        max_size=12,
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_export_read_and_written_back_keeps_every_row(
    rows: list[list[str]], encoding: str, delimiter: str, tmp_path: Path
) -> None:
    if encoding == "cp1252":
        rows = [[c.encode("cp1252", "replace").decode("cp1252") for c in r] for r in rows]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    header = ["participant_id", "q1", "q2"]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / f"prop_{abs(hash((encoding, delimiter))) % 997}.csv"
    data = buffer.getvalue().encode(encoding, "replace")
    if encoding == "cp1252" and not data.isascii():
        # Windows-1252 bytes that are also valid UTF-8 ("Â\xa0" is the bytes of "\xa0")
        # cannot be told apart; such a file is read as UTF-8, as documented.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)
    path.write_bytes(data)
    table = read_export(path, layout="wide")
    assert table.rows_in == len(table.frame) + len(table.excluded) == len(rows)
    assert table.row_numbers.tolist() == list(range(2, len(rows) + 2))
    read = table.frame.astype(object).where(table.frame.notna(), "").to_numpy().tolist()
    assert read == rows
    again_path = tmp_path / "again.csv"
    table.frame.to_csv(again_path, index=False)
    again = read_export(again_path, layout="wide")
    assert again.rows_in == table.rows_in
    assert np.array_equal(again.row_numbers, table.row_numbers)


def test_a_sheet_named_like_a_number_is_found_by_name(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Intro"
    book.active.append(["Survey notes"])
    data = book.create_sheet("2024")
    data.append(["participant_id", "ucla3_1"])
    data.append(["A", 2])
    path = tmp_path / "waves.xlsx"
    book.save(path)
    table = read_export(path, sheet="2024")
    assert table.frame.to_dict("list") == {"participant_id": ["A"], "ucla3_1": [2]}
    assert read_export(path, sheet=1).metadata["sheet"] == "2024"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_excel_sep_line_names_the_delimiter_and_is_not_a_row(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("sep=;\r\nid;note\r\nA;café, “ok”\r\nB;\r\n".encode(encoding))
    table = read_export(path)
    assert table.metadata["delimiter"] == ";"
    assert table.frame.columns.tolist() == ["id", "note"]
    assert table.frame["note"].iloc[0] == "café, “ok”"
    assert table.row_numbers.tolist() == [3, 4]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=15),
    gaps=st.lists(st.integers(min_value=0, max_value=15), max_size=4),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
@example(rows=[["", "Â\xa0"]], gaps=[], encoding="cp1252")  # bytes C2 A0: valid UTF-8 too
def test_blank_lines_anywhere_keep_every_row_and_its_number(
    rows: list[list[str]], gaps: list[int], encoding: str
) -> None:
    import tempfile

    rows = [[c.encode(encoding, "replace").decode(encoding) for c in r] for r in rows]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    lines = []
    for row in [["participant_id", "q1"], *rows]:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(row)
        lines.append(buffer.getvalue())
    expected = list(range(2, len(rows) + 2))
    for gap in sorted(set(gaps), reverse=True):
        at = min(gap, len(rows)) + 1  # a blank line after the header or after a data row
        lines.insert(at, "")
        expected = [n + 1 if n > at else n for n in expected]
    data = ("\n".join(lines) + "\n").encode(encoding, "replace")
    if encoding == "cp1252" and not data.isascii():
        # As above: Windows-1252 bytes that are also valid UTF-8 are read as UTF-8.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            assume(False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gaps.csv"
        path.write_bytes(data)
        table = read_export(path, layout="wide")
    assert table.row_numbers.tolist() == expected
    read = table.frame.astype(object).where(table.frame.notna(), "").to_numpy().tolist()
    assert read == rows


def test_a_zipped_download_is_read_from_inside(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "Loneliness+survey_March.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(EXPORTS / "qualtrics_choice_text.csv", "Loneliness survey_March.csv")
        archive.writestr("__MACOSX/._Loneliness survey_March.csv", b"\x00\x05")
    table = read_export(path)
    assert table.flavor == "qualtrics"
    assert table.source == "Loneliness+survey_March.zip:Loneliness survey_March.csv"
    assert table.row_numbers.tolist() == [5, 6, 8, 9, 10]
    assert table.excluded["file"].unique().tolist() == [table.source]


def test_a_zip_with_several_exports_asks_which(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "both.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(EXPORTS / "long_waves.csv", "pre.csv")
        archive.write(EXPORTS / "long_waves.csv", "post.csv")
    with pytest.raises(InputError, match=r"holds 2 exports \(pre.csv, post.csv\)"):
        read_export(path)
