"""Helpers shared by the read-ahead tests: a file read ahead gives what reading it in place
gives, the same sheet or the same error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.formats._started import start_reading
from stigma_outcomes.ingest.formats.text import read_text


def same_sheet(a, b) -> None:
    assert a.cells.equals(b.cells)
    assert [str(t) for t in a.cells.dtypes] == [str(t) for t in b.cells.dtypes]
    assert np.array_equal(a.row_numbers, b.row_numbers)
    assert a.metadata == b.metadata
    assert a.source == b.source


def ahead_as_in_place(path: Path) -> None:
    """Read ``path`` in place, then started ahead: the same sheet, or the same error."""
    try:
        in_place = read_text(path)
    except InputError as exc:
        start_reading([path])
        with pytest.raises(InputError) as caught:
            read_text(path)
        assert str(caught.value) == str(exc)
        return
    start_reading([path])
    same_sheet(read_text(path), in_place)
