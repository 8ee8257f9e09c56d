"""Parts of a CSV body made by the writer in order and by a helper from the back."""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa
import pytest

from stigma_outcomes import _csv
from stigma_outcomes._csv import csv_body
from stigma_outcomes._csv_shared import SharedParts, help_with_parts, stop_helping


def _helper() -> tuple[threading.Thread, threading.Event]:
    until = threading.Event()
    thread = threading.Thread(target=help_with_parts, args=(until,))
    thread.start()
    return thread, until


def test_parts_come_in_order_whoever_makes_them() -> None:
    made_by: dict[int, str] = {}
    helped = threading.Event()

    def make(index: int) -> int:
        if index == 0:
            # The writer's first part waits until the helper has made the last one.
            assert helped.wait(10)
        made_by[index] = threading.current_thread().name
        if index == 5:
            helped.set()
        return index * index

    thread, until = _helper()
    try:
        assert list(SharedParts(make, 6)) == [0, 1, 4, 9, 16, 25]
    finally:
        stop_helping(until)
        thread.join(10)
    assert not thread.is_alive()
    assert made_by[5] == thread.name  # taken from the back
    assert made_by[0] == threading.current_thread().name
    assert sorted(made_by) == list(range(6))  # each part made once


def test_a_helpers_error_is_raised_where_the_writer_meets_that_part() -> None:
    helper_started = threading.Event()

    def make(index: int) -> int:
        if index == 0:
            assert helper_started.wait(10)
        if index == 2:
            helper_started.set()
            raise ValueError("part 2")
        return index

    thread, until = _helper()
    got: list[int] = []
    try:
        with pytest.raises(ValueError, match="part 2"):
            for part in SharedParts(make, 3):
                got.append(part)
    finally:
        stop_helping(until)
        thread.join(10)
    assert got == [0, 1]


def test_without_a_helper_the_writer_makes_every_part() -> None:
    names = []
    parts = SharedParts(lambda i: names.append(threading.current_thread().name) or i, 4)
    assert list(parts) == [0, 1, 2, 3]
    assert set(names) == {threading.current_thread().name}
    assert list(SharedParts(lambda i: i, 0)) == []


def test_a_helper_returns_once_told_even_with_nothing_to_do() -> None:
    thread, until = _helper()
    stop_helping(until)
    thread.join(10)
    assert not thread.is_alive()


def test_lines_made_with_a_helper_are_the_bytes_made_alone(monkeypatch) -> None:
    # Parts of a few rows, so that the helper takes many of them while the writer works.
    monkeypatch.setattr(_csv, "_CHUNK_ROWS", 7)
    rng = np.random.default_rng(5)
    n = 2_000
    table = pa.table(
        {
            "id": pa.array([f"P{i % 300}" for i in range(n)]).dictionary_encode(),
            "score": pa.array(rng.integers(0, 40, n) / 4, mask=rng.random(n) < 0.1),
            "items": pa.array(rng.integers(0, 10, n).astype(np.int8)),
            "more": pa.array(rng.integers(0, 10, n).astype(np.int8)),
        }
    )
    alone = b"".join(csv_body(table, ","))
    thread, until = _helper()
    try:
        shared = b"".join(csv_body(table, ","))
    finally:
        stop_helping(until)
        thread.join(10)
    assert shared == alone
