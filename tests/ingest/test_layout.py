"""Long layouts: participant × wave passes through, participant × item is pivoted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError
from stigma_outcomes.ingest.layout import detect_layout, long_to_wide
from stigma_outcomes.ingest.readers import read_export
from stigma_outcomes.ingest.table import RawTable

from ._exports import EXPORTS, totals


def test_participant_by_item_file_is_pivoted_with_rows_accounted_for() -> None:
    table = read_export(EXPORTS / "long_items.csv")
    assert table.metadata["layout"] == "long_items"
    assert table.metadata["long_rows_read"] == 11
    assert table.frame.columns.tolist() == ["pid", "wave", "site", "ucla3_1", "ucla3_2", "ucla3_3"]
    assert table.frame[["pid", "wave"]].values.tolist() == [
        ["A1", "pre"],
        ["A1", "post"],
        ["B2", "pre"],
    ]
    # Each wide row points at the first long row it came from.
    assert table.row_numbers.tolist() == [2, 5, 8]
    # B2 answered ucla3_2 twice (the later answer wins); one row has no participant ID.
    assert table.frame.loc[2, "ucla3_2"] == "Hardly ever"
    assert table.excluded[["row", "problem", "action"]].values.tolist() == [
        [12, "missing_long_key", "row_excluded"],
        [9, "duplicate_item_response", "row_excluded"],
    ]
    assert table.rows_in == len(table.frame) + len(table.excluded)


def test_pivoted_file_scored_by_wave() -> None:
    table = read_export(EXPORTS / "long_items.csv")
    result = so.score(table, ["ucla3"], id_col="pid", wave_col="wave", carry=["site"])
    assert totals(result) == {("A1", "pre"): 8.0, ("A1", "post"): 4.0, ("B2", "pre"): 6.0}
    assert set(result.scores.loc[result.scores["participant_id"] == "B2", "site"]) == {"Riverside"}


def test_participant_by_wave_passes_through() -> None:
    table = read_export(EXPORTS / "long_waves.csv")
    assert table.metadata["layout"] == "long_waves"
    assert len(table.frame) == 4
    result = so.score(table, ["ucla3"], wave_col="wave")
    assert totals(result)[("A1", "post")] == 4.0


def test_wide_layout_is_never_pivoted() -> None:
    table = read_export(EXPORTS / "long_items.csv", layout="wide")
    assert table.frame.columns.tolist() == ["pid", "wave", "item", "response", "site"]
    assert len(table.frame) == 11


def test_detect_layout_reasons() -> None:
    wide = pd.DataFrame({"participant_id": ["A", "B"], "ucla3_1": ["1", "2"]})
    assert detect_layout(wide)[0] == "wide"


def test_asked_for_long_with_a_missing_column() -> None:
    table = RawTable(
        frame=pd.DataFrame({"pid": ["A"], "question": ["q1"], "answer": ["2"]}),
        source="long.csv",
        row_numbers=np.array([2]),
    )
    with pytest.raises(InputError, match="value column 'resp'"):
        long_to_wide(table, value_col="resp")
    with pytest.raises(InputError, match="--value-col"):
        long_to_wide(table, value_col="resp")
    assert long_to_wide(table).frame.to_dict("list") == {"pid": ["A"], "q1": ["2"]}


def test_item_name_that_clashes_with_a_column() -> None:
    table = RawTable(
        frame=pd.DataFrame({"pid": ["A"], "item": ["site"], "response": ["2"], "site": ["N"]}),
        source="long.csv",
        row_numbers=np.array([2]),
    )
    with pytest.raises(InputError, match="also column names"):
        long_to_wide(table)
