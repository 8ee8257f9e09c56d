"""A file parsed ahead in shared pieces (ingest/formats/_pieces.py): the sheet read whole.

The pieces are made tiny here (a few dozen bytes, any file size), so random exports are cut
at many line breaks; every sheet must equal the one the reader makes in place (Arrow's
whole-file parse), or fail with the same error.
"""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigma_outcomes.ingest.formats import _pieces
from stigma_outcomes.ingest.formats._arrow_text import ONE_THREAD, _arrow_parse
from stigma_outcomes.ingest.formats._started import forget_started, start_reading
from stigma_outcomes.ingest.formats.text import read_text

from ._read_ahead import ahead_as_in_place, same_sheet


@pytest.fixture(autouse=True)
def _tiny_pieces(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_pieces, "PIECE_BYTES", 24)
    monkeypatch.setattr(_pieces, "SHARED_FROM", 0)
    yield
    forget_started()


_plain_cell = st.one_of(
    st.just(""),
    st.text(alphabet="AbZ09 .-é\t", max_size=5),
    st.sampled_from(["NA", "3", "Often", " ", "ß"]),
)
_cell = st.one_of(
    st.just(""),
    st.sampled_from(["NA", "3", "Often", "a,b", 'say "hi"', "two\nlines", " ", "é", "x\r"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.one_of(
        # cells a plain export holds (no quotes: the pieces are used) ...
        st.lists(st.lists(_plain_cell, min_size=3, max_size=3), min_size=0, max_size=25),
        # ... and any cell (quotes, line breaks in cells, ragged rows: parsed whole)
        st.lists(st.lists(_cell, min_size=3, max_size=4), min_size=0, max_size=25),
    ),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONE]),
    ending=st.sampled_from(["\n", "\r\n"]),
    blank_at=st.one_of(st.none(), st.integers(min_value=1, max_value=26)),
    trailing_blanks=st.integers(0, 2),
    blank=st.sampled_from(["", "  ", " \t"]),  # Arrow skips a line of spaces as invalid
    bom=st.booleans(),
    sep_line=st.booleans(),
    cp1252_byte=st.booleans(),
)
def test_pieces_give_the_sheet_read_whole(
    rows,
    quoting,
    ending,
    blank_at,
    trailing_blanks,
    blank,
    bom,
    sep_line,
    cp1252_byte,
    tmp_path: Path,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending, quoting=quoting, escapechar="\\")
    writer.writerows([["participant_id", "q1", "q2"], *rows])
    lines = buffer.getvalue().split(ending)
    if blank_at is not None:
        lines.insert(min(blank_at, len(lines) - 1), blank)
    text = ending.join(lines) + (blank + ending) * trailing_blanks
    text = text.replace("\x00", "")
    if sep_line:
        text = f"sep=,{ending}{text}"
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", "replace")
    if cp1252_byte:
        data = data[: len(data) // 2] + b"\x93" + data[len(data) // 2 :]
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    ahead_as_in_place(path)


def _long_export(path: Path, rows: int) -> None:
    rng = np.random.default_rng(7)
    lines = ["participant_id,wave,q1,q2"]
    lines += [f"P{i},w{i % 3},{a},{b}" for i, (a, b) in enumerate(rng.integers(1, 6, (rows, 2)))]
    path.write_text("\n".join(lines) + "\n")


def test_pieces_taken_by_several_threads_make_the_whole_table(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    _long_export(path, 3000)
    bounds = _pieces.piece_bounds(path, 512, 0)
    assert bounds is not None and len(bounds) > 50
    pieces = _pieces._Pieces(str(path), bounds, (",", 4, 0, 1 << 20))
    helpers = [threading.Thread(target=pieces.work) for _ in range(3)]
    for helper in helpers:
        helper.start()
    pieces.work()
    pieces.wait()
    for helper in helpers:
        helper.join()
    tables = []
    for outcome in pieces.results:
        assert isinstance(outcome, tuple)
        tables.append(outcome[0])
    whole = _arrow_parse(pa.OSFile(str(path)), ",", 4, False, 0, 0, 1 << 20)
    assert pa.concat_tables(tables).equals(whole)


def test_a_reader_waiting_for_the_parse_helps_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "long.csv"
    _long_export(path, 3000)
    monkeypatch.setattr(_pieces, "PIECE_BYTES", 512)
    parsed_by: list[str] = []
    started = threading.Event()
    parse = _pieces._Pieces._parse

    def slow_parse(self, index: int):
        parsed_by.append(threading.current_thread().name)
        started.set()
        threading.Event().wait(0.002)  # slow enough that the reader arrives meanwhile
        return parse(self, index)

    monkeypatch.setattr(_pieces._Pieces, "_parse", slow_parse)
    whole = read_text(path)  # in place: not ahead, parsed whole
    assert not parsed_by
    start_reading([path])
    started.wait(5)
    same_sheet(read_text(path), whole)
    assert "read-ahead" in parsed_by
    assert threading.current_thread().name in parsed_by


def test_a_file_with_a_quote_is_parsed_whole(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('id,q1\nA,1\nB,"x\ny"\nC,3\n' + "D,4\n" * 40)
    token = ONE_THREAD.set(True)
    try:
        assert _pieces.parse_in_pieces(str(path), ",", 2, 0, 0, 1 << 20) is None
    finally:
        ONE_THREAD.reset(token)
    assert read_text(path).cells[1].tolist()[2] == "x\ny"


def test_small_files_and_long_lines_are_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text("id,q1\n" + "A,1\n" * 10)
    assert _pieces.piece_bounds(path, 8, 1 << 20) is None  # smaller than the threshold
    path.write_text("id," + "q" * 5000 + "\nA,1\n")
    assert _pieces.piece_bounds(path, 1 << 20, 0) is None  # nothing to cut
    bounds = _pieces.piece_bounds(path, 8, 0)
    assert bounds is not None and bounds[0] == 0 and bounds[-1] == path.stat().st_size
    assert all(path.read_bytes()[b - 1 : b] == b"\n" for b in bounds[1:-1])
