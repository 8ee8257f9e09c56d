"""ScoreTable: the scores validated and coded once, read by every analysis."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stigma_outcomes.comparison.table import ScoreTable
from stigma_outcomes.errors import InputError

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"


@pytest.fixture(scope="module")
def table() -> ScoreTable:
    scores = pd.read_csv(GOLDEN / "scores.csv", dtype={"participant_id": str})
    return ScoreTable.from_scores(scores, group_by="site")


def test_immutable(table):
    with pytest.raises(AttributeError):
        table.group_by = "x"  # type: ignore[misc]
    assert "ScoreTable(" in repr(table) and len(repr(table)) < 200


def test_pairs_cells_and_frame_agree(table):
    pairs = table.pairs("pre", "post")
    frame = table.to_frame()
    cells = pd.DataFrame(table.cells(["pre", "post"]))
    whole = cells[cells["group"].isna()]
    # every pair is one participant at both waves; the cells count each wave's scores
    sizes = [int((pairs.scale_code == k).sum()) for k in range(len(table.scales))]
    for (inst, scale), n in zip(table.scales, sizes, strict=True):
        at = frame[(frame["instrument"] == inst) & (frame["scale"] == scale)]
        ids = [set(at.loc[at["wave"] == w, "participant_id"]) for w in ("pre", "post")]
        assert n == len(ids[0] & ids[1])
        counts = whole[(whole["instrument"] == inst) & (whole["scale"] == scale)]
        assert counts.set_index("wave")["n"].to_dict() == {"pre": len(ids[0]),
                                                           "post": len(ids[1])}  # fmt: skip
    assert list(frame["site"].cat.categories) == table.group_levels == ["A", "B", "C"]


def test_within_and_regroup_are_new_tables(table):
    part = table.within("A")
    assert set(part.to_frame()["site"]) == {"A"} and len(part) < len(table)
    assert len(table.within("A").pairs("pre", "post")) == int(
        (table.pairs("pre", "post").group == "A").sum()
    )
    assert len(table) == len(table.to_frame())  # the original is untouched


def test_refuses_bad_scores_once():
    with pytest.raises(InputError, match="no column"):
        ScoreTable.from_scores(pd.DataFrame({"participant_id": ["a"]}))


def test_attrition_takes_the_table_and_its_grouping(table):
    from stigma_outcomes.comparison.attrition import attrition_records
    from stigma_outcomes.comparison.records import plain  # NaN -> None, so == compares

    by_table = attrition_records(table, "pre", ["post", "fu"])
    by_frame = attrition_records(table.coded, "pre", ["post", "fu"], group_col="site")
    assert plain(by_table) == plain(by_frame) and {r["group"] for r in by_table} == {
        None,
        "A",
        "B",
        "C",
    }
