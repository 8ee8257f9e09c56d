"""Outputs are written atomically and are safe to open in a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stigma_outcomes._io import neutralise_cell, write_atomic, write_table
from stigma_outcomes.errors import InputError


def test_failed_write_leaves_the_old_file_and_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    target.write_text("old\n")

    def broken(handle) -> None:
        handle.write(b"half a fi")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1+2", "'+1+2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-x", "'-x"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("plain", "plain"),
        (7, 7),
    ],
)
def test_formula_cells_are_neutralised(cell: object, expected: object) -> None:
    assert neutralise_cell(cell) == expected


def test_tables_in_each_format(tmp_path: Path) -> None:
    frame = pd.DataFrame({"participant_id": ['=HYPERLINK("x")', "b"], "score": [1.5, -2.0]})
    write_table(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text()
    assert "'=HYPERLINK" in text
    assert pd.read_csv(tmp_path / "t.csv")["score"].tolist() == [1.5, -2.0]
    write_table(frame, tmp_path / "t.xlsx")
    assert pd.read_excel(tmp_path / "t.xlsx")["participant_id"][0].startswith("'=")
    write_table(frame, tmp_path / "t.parquet")
    assert pd.read_parquet(tmp_path / "t.parquet").equals(frame)
    with pytest.raises(InputError, match="unknown file type"):
        write_table(frame, tmp_path / "t.json")


# --- issue 18: neutralisation by spreadsheet rules, lossless round trips, modes, faults ---

import errno  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from stigma_outcomes._io import read_table, restore_cell  # noqa: E402
from stigma_outcomes._outputs import public_mode  # noqa: E402
from stigma_outcomes.errors import OutputError  # noqa: E402

# What each spreadsheet does with a typed or imported text cell: a formula unless it is a
# plain number. Excel also starts formulas with '@' and runs DDE payloads after '-' or '+';
# LibreOffice Calc evaluates '=', '+' and '-' (and '@' is harmless there). A cell is safe
# when no application would evaluate it.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _excel_evaluates(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@") and not _PLAIN_NUMBER.fullmatch(cell)


def _calc_evaluates(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-") and not _PLAIN_NUMBER.fullmatch(cell)


PAYLOADS = ["=1+1", "+1_000", "-inf", "+nan", "-1,5", "-5%", "@SUM(A1)", "+6m", "-", "=",
            "-2+3+cmd|' /C calc'!A0", "\t=1", "\r=1", "+1e3x", "-0x10", "+", "@"]  # fmt: skip
NUMBERS = ["-1.5", "+2", "1e-05", "-.5", "3.", "+1E+3"]


@pytest.mark.parametrize("cell", PAYLOADS)
def test_payloads_no_spreadsheet_would_evaluate_after_neutralising(cell: str) -> None:
    assert _excel_evaluates(cell) or _calc_evaluates(cell) or cell[0] in "\t\r"
    safe = neutralise_cell(cell)
    assert isinstance(safe, str)
    assert not _excel_evaluates(safe) and not _calc_evaluates(safe)
    assert restore_cell(safe) == cell


@pytest.mark.parametrize("cell", NUMBERS)
def test_plain_numbers_stay_numbers(cell: str) -> None:
    assert neutralise_cell(cell) == cell and not _excel_evaluates(cell)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_neutralising_is_safe_and_undone_exactly(cell: str) -> None:
    safe = neutralise_cell(cell)
    assert not _excel_evaluates(safe) and not _calc_evaluates(safe)
    assert restore_cell(safe) == cell


_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_texts, min_size=1, max_size=6), st.sampled_from([".csv", ".tsv", ".xlsx"]))
def test_round_trip_through_our_own_files_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, values: list[str], suffix: str
) -> None:
    # Values that start with a formula character, a quote or hold control characters,
    # delimiters and quotes come back exactly as they were written (NUL and CR aside: a
    # CSV reader cannot tell them from line ends).
    frame = pd.DataFrame({"wave": ["w" + v for v in values], "label": values})
    path = tmp_path_factory.mktemp("rt") / f"t{suffix}"
    write_table(frame, path)
    back = read_table(path, dtype={"wave": str, "label": str}).fillna("")
    assert back["wave"].tolist() == frame["wave"].tolist()
    # An empty cell reads back as missing (NaN → "" above), whatever the format.
    assert back["label"].tolist() == values


def test_wave_named_plus_6m_round_trips_through_compare(tmp_path: Path) -> None:
    from stigma_outcomes import compare

    rows = []
    for i in range(12):
        for wave, score in (("pre", 5 + i % 3), ("+6m", 4 + i % 2)):
            rows.append({"participant_id": f"p{i}", "wave": wave, "instrument": "ucla3",
                         "scale": "total", "score": float(score), "n_answered": 3,
                         "n_items": 3, "status": "ok", "band": None, "raw_score": None,
                         "score_se": None})  # fmt: skip
    path = tmp_path / "scores.csv"
    write_table(pd.DataFrame(rows), path)
    assert "'+6m" in path.read_text()  # neutralised in the file ...
    results = compare(path, "pre", "+6m")  # ... and found by its own name when read back
    assert results.paired[0]["to_wave"] == "+6m"


def test_xlsx_reruns_are_byte_identical_and_hold_no_formula(tmp_path: Path) -> None:
    import zipfile

    frame = pd.DataFrame({"id": ["=HYPERLINK(1)", "b\x01", "_x0041_"], "score": [1.5, None, 3]})
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_table(frame, first)
    write_table(frame, second)
    assert first.read_bytes() == second.read_bytes()
    sheet = zipfile.ZipFile(first).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    back = read_table(first)
    assert back["id"].tolist() == ["=HYPERLINK(1)", "b\x01", "_x0041_"]


def test_evaluator_files_are_private_and_reports_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        private = write_atomic(tmp_path / "scores.csv", lambda fh: fh.write(b"x"))
        public = write_atomic(tmp_path / "report.md", lambda fh: fh.write(b"x"), private=False)
        assert public_mode() == 0o644
    finally:
        os.umask(old)
    assert private.stat().st_mode & 0o777 == 0o600
    assert public.stat().st_mode & 0o777 == 0o644


def test_a_folder_in_the_way_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")


def test_a_symlink_loop_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(OutputError):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "loop" / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]


@pytest.mark.parametrize(
    ("code", "fix"),
    [(errno.ENOSPC, "free some disk space"), (errno.EROFS, "read-only"),
     (errno.EACCES, "may write"), (errno.EFBIG, "file-size limit")],
)  # fmt: skip
def test_file_system_faults_are_clean_errors_and_leave_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, fix: str
) -> None:
    # Root ignores folder permissions, so the fault is injected where the bytes are written.
    target = tmp_path / "scores.csv"
    target.write_text("old\n")

    def fails(handle) -> None:
        handle.write(b"half")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputError, match=fix):
        write_atomic(target, fails)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(
        st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["", "=1", "-2", "é=", "'x"])),
        max_size=30,
    ),
    start=st.integers(0, 3),
)
def test_risky_cells_read_from_first_bytes_are_those_the_pattern_finds(
    cells: list[str | None], start: int
) -> None:
    # The first-byte reading of Arrow's buffers against the pattern it stands for, on a
    # slice (offsets not starting at zero) and with missing cells.
    from stigma_outcomes._formula import _RISKY_START, _risky

    values = pd.Series(cells, dtype="str").iloc[start:]
    want = [c is not None and bool(_RISKY_START.match(c)) for c in cells[start:]]
    assert _risky(values).tolist() == want
    assert _risky(pd.Index(values)).tolist() == want
    assert _risky(values.astype(object)).tolist() == want


@pytest.mark.parametrize(
    ("fixture", "name"),
    [("damaged_deflate.xlsx", "scores.xlsx"), ("damaged_description.parquet", "scores.parquet")],
)
def test_a_damaged_scores_workbook_or_parquet_file_is_one_clear_error(tmp_path, fixture, name):
    """A scores file given to compare or report, damaged as the fuzz run's exports were: the
    decompressor's error (zlib) and pandas' damaged description are input errors too."""
    bad = tmp_path / name
    bad.write_bytes((Path(__file__).parent / "fixtures" / "exports" / "bad" / fixture).read_bytes())
    with pytest.raises(InputError, match="cannot read the table") as err:
        read_table(bad)
    assert err.value.where == str(bad)
