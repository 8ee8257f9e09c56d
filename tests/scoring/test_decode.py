"""Decoding export cells: every path gives the same codes and problem flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.scoring.toy import toy_instrument

from stigma_outcomes.instruments import load_instrument
from stigma_outcomes.scoring.decode import (
    MISSING_CODE,
    NO_ANSWER,
    OK,
    OUT_OF_RANGE,
    UNKNOWN_LABEL,
    ItemDecoder,
    as_float_codes,
)

# Cells an export of toy item 3 may hold: labels as written and in other spellings, a
# synonym, the declared non-answer (label and code), numbers as text, blanks, nonsense.
CELLS = [
    "Strongly disagree",
    "strongly DISAGREE ",
    "SD",
    "Disagree",
    "Agree",
    "  Agree",
    "Strongly agree",
    "SA",
    "Don't know",
    "don't know",
    "9",
    "3",
    "3.0",
    "7",
    "",
    "  ",
    "maybe",
    None,
]


def _decoder(recode: dict[str, float] | None = None) -> ItemDecoder:
    toy = toy_instrument()
    return ItemDecoder.for_item(toy, toy.item("3"), recode)


def test_text_cells_by_hand() -> None:
    codes, flags = _decoder().decode(pd.Series(CELLS, dtype="str"))
    # Labels in any case and spacing and the synonym decode to their codes; "Don't know"
    # (label or its code 9) is a declared non-answer scored 2; "7" is outside 1-4;
    # blanks are plain missing answers; "maybe" is no known label.
    assert codes[:8].tolist() == [1, 1, 1, 2, 3, 3, 4, 4]
    assert codes[8:11].tolist() == [2, 2, 2] and flags[8:11].tolist() == [MISSING_CODE] * 3
    assert codes[11:13].tolist() == [3, 3]
    assert np.isnan(codes[13:]).all()
    assert flags[13:].tolist() == [OUT_OF_RANGE, OK, OK, UNKNOWN_LABEL, OK]


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("recode", [None, {"maybe": 4.0, "7": 1.0}])
@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.sampled_from(CELLS), min_size=1, max_size=40))
def test_arrow_text_and_python_objects_decode_alike(
    picks: list[str | None], compact: bool, recode: dict[str, float] | None
) -> None:
    decoder = _decoder(recode)
    arrow = decoder.decode(pd.Series(picks, dtype="str"), compact)
    objects = decoder.decode(pd.Series(picks, dtype=object), compact)
    np.testing.assert_array_equal(arrow[0], objects[0])
    np.testing.assert_array_equal(arrow[1], objects[1])
    floats = decoder.decode(pd.Series(picks, dtype="str"))
    np.testing.assert_array_equal(as_float_codes(arrow[0]), floats[0])
    np.testing.assert_array_equal(arrow[1], floats[1])


def test_compact_codes_mark_missing_answers() -> None:
    ucla = load_instrument("ucla3")
    decoder = ItemDecoder.for_item(ucla, ucla.item("1"))
    codes, _ = decoder.decode(pd.Series([3, None, 1.0]), compact=True)
    assert codes.dtype == np.int8
    assert codes.tolist() == [3, NO_ANSWER, 1]
    assert as_float_codes(codes)[1] != as_float_codes(codes)[1]  # NaN
