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
