"""Exports parsed ahead (ingest/formats/_started.py): the same sheet as reading in place."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.formats import _started
from stigma_outcomes.ingest.formats._started import forget_started, start_reading, take_started
from stigma_outcomes.ingest.formats.text import read_text

from ._read_ahead import ahead_as_in_place


@pytest.fixture(autouse=True)
def _nothing_left_over():
    yield
    forget_started()


_cell = st.one_of(
    st.just(""),
    st.sampled_from(["NA", "3", "Often", "a,b", 'say "hi"', "two\nlines", " ", "é"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=0, max_size=20),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    blank_at=st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
    sep_line=st.booleans(),
)
def test_a_file_parsed_ahead_gives_the_sheet_read_in_place(
    rows: list[list[str]],
    encoding: str,
    delimiter: str,
    blank_at: int | None,
    sep_line: bool,
    tmp_path: Path,
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(
        [["participant_id", "q1", "q2"], *rows]
    )
    lines = buffer.getvalue().split("\n")
    if blank_at is not None:
        lines.insert(min(blank_at, len(lines) - 1), "")
    text = ("\n".join(lines)).replace("\x00", "")
    if sep_line:
        text = f"sep={delimiter}\n{text}"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding, "replace"))
    ahead_as_in_place(path)
    assert not _started._STARTED  # taken, not kept


def test_a_file_changed_after_the_start_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id,q1\nA,1\n")
    start_reading([path])
    path.write_text("id,q1\nA,1\nB,2\n")
    os.utime(path, ns=(0, 10**18))  # a different time stamp, whatever the clock's grain
    assert read_text(path).cells[0].tolist() == ["id", "A", "B"]


def test_settings_other_than_sniffed_parse_anew(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id;q1\nA;1\n")
    start_reading([path])
    assert take_started(path, None, ",") is None
    assert read_text(path, delimiter=",").cells.shape == (2, 1)
    # The sniffed parse is still there for a reader with no settings of its own.
    assert read_text(path).cells.shape == (2, 2)
    assert not _started._STARTED


def test_a_failure_is_raised_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"  \n")
    start_reading([path])
    with pytest.raises(InputError, match="the file is empty"):
        read_text(path)


def test_only_regular_text_files_are_started(tmp_path: Path) -> None:
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"PK\x03\x04")
    start_reading([folder, book, tmp_path / "missing.csv"])
    assert not _started._STARTED
    if hasattr(os, "mkfifo"):
        fifo = Path(tempfile.mkdtemp()) / "pipe.csv"
        os.mkfifo(fifo)
        start_reading([fifo])  # never opened: a FIFO would block the reader
        assert not _started._STARTED


def test_what_was_never_taken_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id,q1\nA,1\n")
    start_reading([path])
    forget_started()
    assert not _started._STARTED
    assert take_started(path, None, None) is None


def test_a_file_named_twice_is_started_once(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id,q1\nA,1\n")
    start_reading([path, tmp_path / "." / "pre.csv"])
    assert len(_started._STARTED) == 1
    assert read_text(path).cells.shape == read_text(path).cells.shape == (2, 2)


def test_parses_on_two_threads_leave_the_process_hook_as_it_was(tmp_path: Path) -> None:
    import sys

    before = sys.unraisablehook
    paths = []
    for k in range(4):
        path = tmp_path / f"w{k}.csv"
        path.write_text("id,q1\n" + "".join(f"P{i},{i % 5}\n" for i in range(5000)))
        paths.append(path)
    start_reading(paths[:2])
    for path in paths[2:]:
        read_text(path)  # parsed here while the read-ahead thread parses the others
    for path in paths[:2]:
        assert read_text(path).cells.shape == (5001, 2)
    assert sys.unraisablehook is before
