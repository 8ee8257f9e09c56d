"""The output set's guards when work runs on more than one thread (issue 15)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from stigma_outcomes._io import write_text_atomic
from stigma_outcomes._outputs import all_or_nothing
from stigma_outcomes._signals import signals_held
from stigma_outcomes.errors import OutputError


def test_a_signal_is_held_back_while_other_threads_run() -> None:
    """With another thread running the kernel may hand SIGTERM to it; the handler must still
    wait for the end of the held section (masking the main thread alone did not)."""
    order: list[str] = []

    def handler(_signum: int, _frame: object) -> None:
        order.append("handled")

    stop = threading.Event()
    busy = threading.Thread(target=lambda: stop.wait(5))
    previous = signal.signal(signal.SIGTERM, handler)
    busy.start()
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # time for the interpreter to run a handler, were one set
            order.append("section ended")
        assert order == ["section ended", "handled"]
    finally:
        stop.set()
        busy.join()
        signal.signal(signal.SIGTERM, previous)


def test_a_writer_still_running_after_the_set_closed_leaves_no_folder(tmp_path: Path) -> None:
    with all_or_nothing() as outputs:
        write_text_atomic(tmp_path / "a.txt", "a")
    # the set is committed: a late writer is refused instead of staging a new folder
    with pytest.raises(OutputError, match="already closed"):
        outputs.staging_file(tmp_path / "late.txt", private=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_background_jobs_are_waited_for_when_the_block_fails(tmp_path: Path) -> None:
    finished = threading.Event()

    def slow_write() -> None:
        time.sleep(0.2)
        write_text_atomic(tmp_path / "big.txt", "late")
        finished.set()

    with (
        pytest.raises(RuntimeError, match="report failed"),
        all_or_nothing() as outputs,
        outputs.beside(tmp_path) as submit,
    ):
        submit(slow_write)
        raise RuntimeError("report failed")
    # the job ran to its end before the set was abandoned, and nothing of it is left
    assert finished.is_set()
    assert list(tmp_path.iterdir()) == []


def test_background_jobs_run_in_order_and_hand_back_their_results(tmp_path: Path) -> None:
    """A job submitted after a write runs once the write is done, and its result is read
    from the Future ``submit`` returns (``run`` counts its summary so)."""
    order: list[str] = []

    def write() -> None:
        time.sleep(0.1)
        write_text_atomic(tmp_path / "scores.csv", "a\n")
        order.append("written")

    def count() -> list[str]:
        order.append("counted")
        return list(order)

    with all_or_nothing() as outputs, outputs.beside(tmp_path) as submit:
        first = submit(write)
        counted = submit(count)
        assert counted.result() == ["written", "counted"]
        assert first.done()
    assert order == ["written", "counted"]
    assert (tmp_path / "scores.csv").read_text() == "a\n"


def test_a_job_taken_back_before_it_began_is_not_waited_for(tmp_path: Path) -> None:
    # ``score`` counts its summary itself when the items are still being written.
    import threading

    release = threading.Event()
    with all_or_nothing() as outputs, outputs.beside(tmp_path) as submit:
        busy = submit(release.wait, 10)
        queued = submit(lambda: "counted on the worker")
        assert queued.cancel()
        release.set()
    assert busy.result() is True and queued.cancelled()


def test_a_failed_block_stops_a_long_background_write_at_its_next_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that fails (or is interrupted) while a large table is written beside it does
    not wait for the rest of the file: the writer stops between two parts, the run's own
    error is raised without a note about the stop, and nothing of the set is left."""
    import pandas as pd

    from stigma_outcomes import _csv, _io

    monkeypatch.setattr(_csv, "_BLOCK_ROWS", 64)
    monkeypatch.setattr(_csv, "_CHUNK_ROWS", 64)
    started, parts = threading.Event(), []
    real_write = _io._write_csv

    class Slow:
        """A file handle that takes its time over each part."""

        def __init__(self, handle: object) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            parts.append(len(data))
            started.set()
            time.sleep(0.01)
            return self.handle.write(data)

        def __getattr__(self, name: str) -> object:
            return getattr(self.handle, name)

    monkeypatch.setattr(_io, "_write_csv", lambda fh, *a: real_write(Slow(fh), *a))
    frame = pd.DataFrame({"g": pd.Categorical(["a", "b"] * 5_000), "v": range(10_000)})
    begun = time.perf_counter()
    with (
        pytest.raises(RuntimeError, match="comparison failed") as caught,
        all_or_nothing() as outputs,
        outputs.beside(tmp_path) as submit,
    ):
        submit(_io.write_table, frame, tmp_path / "scores.csv")
        started.wait(5)
        raise RuntimeError("comparison failed")
    # 157 parts at 0.01 s each would take 1.6 s; it stopped after a few
    assert time.perf_counter() - begun < 1.0 and len(parts) < 50
    assert not any("in the background" in note for note in caught.value.__notes__)
    assert list(tmp_path.iterdir()) == []


def test_staged_files_are_on_the_disk_before_any_moves_into_place(
    tmp_path: Path, monkeypatch
) -> None:
    from stigma_outcomes import _syncs

    events: list[str] = []
    real_flush, real_replace = _syncs._flush, os.replace

    def slow_flush(path: Path) -> None:
        time.sleep(0.05)  # the disk is slow: the move must still wait for it
        real_flush(path)
        events.append(f"flushed {path.name}")

    def replace(src, dst) -> None:
        events.append(f"moved {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(_syncs, "_flush", slow_flush)
    monkeypatch.setattr("stigma_outcomes._outputs.os.replace", replace)
    with all_or_nothing():
        write_text_atomic(tmp_path / "a.txt", "a")
        write_text_atomic(tmp_path / "b.txt", "b")
        assert not any(e.startswith("moved") for e in events)
    assert sorted(events[:2]) == ["flushed a.txt", "flushed b.txt"]
    assert sorted(events[2:]) == ["moved a.txt", "moved b.txt"]
    assert (tmp_path / "b.txt").read_text() == "b"


def test_a_file_that_cannot_reach_the_disk_moves_nothing_into_place(
    tmp_path: Path, monkeypatch
) -> None:
    import errno

    from stigma_outcomes import _syncs

    def failing_flush(path: Path) -> None:
        if path.name == "b.txt":
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(_syncs, "_flush", failing_flush)
    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(OutputError) as caught, all_or_nothing():
        write_text_atomic(tmp_path / "a.txt", "new")
        write_text_atomic(tmp_path / "b.txt", "b")
    assert "Input/output error" in str(caught.value) and "b.txt" in str(caught.value)
    assert (tmp_path / "a.txt").read_text() == "old"  # the old set stays whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no staging left


def test_a_long_file_is_handed_to_the_disk_while_it_is_written(tmp_path: Path, monkeypatch) -> None:
    from stigma_outcomes import _syncs

    calls: list[tuple[int, int, int]] = []
    monkeypatch.setattr(_syncs, "_WRITEBACK_BYTES", 1000)
    monkeypatch.setattr(
        _syncs,
        "_sync_file_range",
        lambda: lambda fd, start, n, flag: calls.append((start, n, flag)) or 0,
    )
    with (tmp_path / "f.bin").open("wb") as handle:
        writeback = _syncs.Writeback(handle)
        for _ in range(5):
            handle.write(b"x" * 600)
            writeback.wrote()
    # every stretch of 1,000 bytes or more handed on once, in order, none twice
    assert calls == [(0, 1200, 2), (1200, 1200, 2)]
