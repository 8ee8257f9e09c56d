"""Finding the ID, wave and item columns of an export (ingest/binding.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.errors import InputError, MappingError
from stigma_outcomes.ingest import responses
from stigma_outcomes.ingest.binding import (
    bind_items,
    detect_id_column,
    detect_instruments,
    find_column,
    id_strings,
    resolve_instruments,
)
from stigma_outcomes.ingest.mapping import load_mapping
from stigma_outcomes.ingest.table import RawTable
from stigma_outcomes.instruments import Registry, load_instrument


def _table(**columns: list[object]) -> RawTable:
    frame = pd.DataFrame(columns)
    return RawTable(frame=frame, source="x.csv", row_numbers=np.arange(2, len(frame) + 2))


def test_public_names_stay_importable_from_responses() -> None:
    assert responses.bind_items is bind_items
    assert responses.detect_instruments is detect_instruments


def test_items_bind_by_name_ignoring_case_and_spaces() -> None:
    table = _table(ID=["a"], UCLA3_1=[1], **{" ucla3_2 ": [2]}, ucla3_3=[3])
    bound = bind_items(table, load_instrument("ucla3"), load_mapping(None))
    assert bound == {"1": "UCLA3_1", "2": " ucla3_2 ", "3": "ucla3_3"}


def test_a_pattern_binds_items_and_a_missing_item_names_lookalikes() -> None:
    table = _table(id=["a"], Q5_1=[1], Q5_2=[2], Q5_33=[3])
    mapping = load_mapping({"instruments": {"ucla3": {"pattern": "Q5_{item}"}}})
    with pytest.raises(MappingError, match=r"no column for item\(s\) 3") as err:
        bind_items(table, load_instrument("ucla3"), mapping)
    assert "Q5_33" in str(err.value)


def test_one_column_for_two_items_is_refused() -> None:
    table = _table(id=["a"], q=[1], ucla3_3=[3])
    mapping = load_mapping({"instruments": {"ucla3": {"columns": {"1": "q", "2": "q"}}}})
    with pytest.raises(MappingError, match="bound to more than one item"):
        bind_items(table, load_instrument("ucla3"), mapping)


def test_id_column_is_found_by_its_usual_names_or_refused() -> None:
    assert detect_id_column(_table(Participant_ID=["a"], x=[1])) == "Participant_ID"
    with pytest.raises(InputError, match="no participant ID column"):
        detect_id_column(_table(x=[1]))


def test_a_misspelt_column_is_refused_with_lookalikes() -> None:
    table = _table(participant=["a"], wave=["pre"])
    assert find_column(table, " WAVE", "wave", "--wave-col") == "wave"
    with pytest.raises(InputError, match="participant") as err:
        find_column(table, "participnt", "participant ID", "--id-col")
    assert "look similar: participant" in str(err.value)


def test_ids_become_trimmed_text_and_whole_floats_lose_their_point() -> None:
    numbers = id_strings(pd.Series([101.0, 2.5, np.nan]))
    assert numbers[:2].tolist() == ["101", "2.5"] and numbers.isna()[2]
    text = id_strings(pd.Series([" Ab ", "", None]), casefold=True)
    assert text[0] == "ab" and text[1:].isna().all()


def test_instruments_are_detected_by_complete_item_columns() -> None:
    registry = Registry()
    table = _table(id=["a"], ucla3_1=[1], ucla3_2=[1], ucla3_3=[1], gbs_1=[1])
    assert detect_instruments(table, registry) == ["ucla3"]
    resolved = resolve_instruments(None, [table], registry, load_mapping(None))
    assert [i.id for i in resolved] == ["ucla3"]
    with pytest.raises(InputError, match="named twice"):
        resolve_instruments(["ucla3", "ucla3"], [table], registry, load_mapping(None))
