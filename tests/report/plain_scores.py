"""References for tests: the report's questions of the tidy scores answered the plain way
(pivot, merge, drop_duplicates over rows), as they were before the scores' codes
(``report/_score_keys.py``) answered them; and random scores tables to ask them of."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

# Weighted towards the rows the questions select (ucla3 total ok at pre and post), with
# few people, so that people repeat, within a wave too.
ROW = st.tuples(
    st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6", None]),
    st.sampled_from(["pre", "post", "pre", "post", "fu", None]),
    st.sampled_from(["ucla3", "ucla3", "ucla3", "other"]),
    st.sampled_from(["total", "total", "total", "sub"]),
    st.sampled_from(["ok", "ok", "ok", "insufficient_items"]),
    st.sampled_from([4.0, 5.0, 6.0, 7.0, 8.5, float("nan")]),
    st.sampled_from(["P", "C", "C", None]),
)


@st.composite
def score_tables(draw: Any, min_size: int = 12, max_size: int = 80) -> pd.DataFrame:
    """A tidy scores table: repeated people and waves, missing codes, groups and scores;
    its text columns plain or categorical (with unused categories)."""
    rows = draw(st.lists(ROW, min_size=min_size, max_size=max_size))
    frame = pd.DataFrame(
        rows, columns=["participant_id", "wave", "instrument", "scale", "status", "score", "arm"]
    )
    if draw(st.booleans()):
        for column in ("participant_id", "wave", "instrument", "scale", "status", "arm"):
            present = [v for v in pd.unique(frame[column]) if pd.notna(v)]
            extra = ["unused"] if draw(st.booleans()) else []
            frame[column] = pd.Categorical(frame[column], categories=[*present, *extra])
    return frame


def wide_by_pivot(scores: pd.DataFrame, instrument: str, scale: str) -> pd.DataFrame:
    """One column of scores per wave (named by its text), one row per person."""
    sub = scores[
        (scores["instrument"].astype(str) == instrument).to_numpy()
        & (scores["scale"].astype(str) == scale).to_numpy()
        & (scores["status"].astype(str) == "ok").to_numpy()
    ]
    if sub.empty:
        return pd.DataFrame()
    wide = sub.pivot_table(index="participant_id", columns="wave", values="score", aggfunc="first")
    wide.columns = [str(c) for c in wide.columns]
    return wide


def shares_by_pivot(
    scores: pd.DataFrame, instrument: str, scale: str, waves: tuple[str, str], by_group: bool
) -> list[tuple[str | None, int, int, int]] | None:
    """(group, pairs, at or above 6 first, at or above 6 later) for each group, or ``None``
    when a wave has no score (no row at all)."""
    first, later = waves
    wide = wide_by_pivot(scores, instrument, scale)
    if len(wide.columns) == 0 or first not in wide.columns or later not in wide.columns:
        return None
    pairs = wide[[first, later]].dropna()
    by: list[tuple[str | None, pd.DataFrame]] = [(None, pairs)]
    if by_group:
        at_first = scores.loc[
            (scores["wave"].astype(str) == first).to_numpy(), ["participant_id", "arm"]
        ]
        groups = at_first.drop_duplicates("participant_id").set_index("participant_id")["arm"]
        labels = groups.reindex(pairs.index)
        by = [(str(g), pairs[labels == g]) for g in sorted(labels.dropna().unique())]
    return [
        (g, len(part), int((part[first] >= 6).sum()), int((part[later] >= 6).sum()))
        for g, part in by
    ]


def change_by_merge(
    scores: pd.DataFrame, instrument: str, scale: str, fw: str, tw: str, group: str | None
) -> np.ndarray:
    """Each pair's change (after − before), sorted; of one group's rows when ``group``."""
    if group is not None:
        scores = scores[(scores["arm"].astype(str) == group).to_numpy()]
    mask = (
        (scores["instrument"] == instrument)
        & (scores["scale"] == scale)
        & (scores["status"] == "ok")
        & scores["score"].notna()
    ).to_numpy(dtype=bool)
    part = scores.loc[mask, ["participant_id", "wave", "score"]]
    pre = part[(part["wave"].astype(str) == fw).to_numpy()].drop_duplicates("participant_id")
    post = part[(part["wave"].astype(str) == tw).to_numpy()].drop_duplicates("participant_id")
    both = pre.merge(post, on="participant_id", suffixes=("_pre", "_post"))
    return np.sort(both["score_post"].to_numpy(float) - both["score_pre"].to_numpy(float))


def group_flow_by_rows(scores: pd.DataFrame, fw: str, tw: str) -> dict[str, tuple[int, int]]:
    """Each group's (people at ``fw``, of them at ``tw`` too), by the group on each
    person's first row at ``fw``."""
    at_fw = (scores["wave"].astype(str) == fw).to_numpy()
    at_tw = (scores["wave"].astype(str) == tw).to_numpy()
    first = scores.loc[at_fw, ["participant_id", "arm"]].drop_duplicates("participant_id")
    came_back = first["participant_id"].isin(scores.loc[at_tw, "participant_id"])
    group = first["arm"].astype(object).where(first["arm"].notna(), "(no group recorded)")
    counts = pd.DataFrame({"group": group.astype(str), "back": came_back.to_numpy()})
    table = counts.groupby("group", sort=True)["back"].agg(["size", "sum"])
    return {str(g): (int(r["size"]), int(r["sum"])) for g, r in table.iterrows()}
