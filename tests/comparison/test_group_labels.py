"""Grouping columns that identify people, or are the scores' own keys, are refused."""

from __future__ import annotations

import pandas as pd
import pytest

from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison.group_labels import check_grouping_columns, refuse_key_columns
from stigma_outcomes.comparison.table import ScoreTable
from stigma_outcomes.errors import InputError


def _scores(categorical: bool) -> pd.DataFrame:
    rows = [
        {"participant_id": f"p{i}", "wave": wave, "instrument": "gbs", "scale": "total",
         "score": float(i + (wave == "post")), "status": "ok", "arm": "ab"[i % 2]}
        for i in range(12) for wave in ("pre", "post")
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    if categorical:  # as a scoring result holds them
        for col in ("participant_id", "wave", "instrument", "scale", "status"):
            frame[col] = frame[col].astype("category")
    return frame


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("column", ["participant_id", "wave", "instrument", "scale"])
def test_compare_refuses_a_key_column_as_the_group(categorical: bool, column: str) -> None:
    # Before: AttributeError ('Categorical' object has no attribute 'cat').
    with pytest.raises(InputError, match=f"group column '{column}' cannot group people"):
        compare(_scores(categorical), pre="pre", post="post", group_by=column)


@pytest.mark.parametrize("column", ["participant_id", "wave"])
def test_the_score_table_refuses_a_key_column_whoever_asks(column: str) -> None:
    with pytest.raises(InputError, match="cannot group people"):
        ScoreTable.from_scores(_scores(False), group_by=column)
    with pytest.raises(InputError, match="cannot group people"):
        ScoreTable.from_scores(_scores(False), columns=[column])


def test_an_arm_still_groups() -> None:
    table = ScoreTable.from_scores(_scores(True), group_by="arm")
    assert table.group_levels == ["a", "b"]
    refuse_key_columns({"group column": "arm", "pooling column": None})
    check_grouping_columns(_scores(True), {"group column": "arm"})


def test_the_id_column_is_refused_before_its_values_are_coded() -> None:
    # the privacy check names the option, not a value
    with pytest.raises(InputError) as caught:
        compare(_scores(True), pre="pre", post="post", pool_by="participant_id")
    assert "pooling column 'participant_id'" in caught.value.what
    assert "p1" not in str(caught.value)
