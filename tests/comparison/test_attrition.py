"""Attrition records and per-wave counts."""

from __future__ import annotations

import math

import pandas as pd

from stigma_outcomes.comparison.attrition import attrition_records, wave_counts
from stigma_outcomes.comparison.pairing import valid_scores


def _valid() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "participant_id": ["a", "b", "c", "d", "e", "a", "b", "z"],
            "wave": ["pre"] * 5 + ["post"] * 3,
            "arm": ["x", "x", "y", "y", "y", "x", "x", "y"],
            "instrument": "i",
            "scale": "t",
            "score": [1.0, 3.0, 5.0, 7.0, 9.0, 2.0, 2.0, 4.0],
            "status": "ok",
        }
    )
    return valid_scores(frame, "arm")


def test_completers_are_those_with_the_later_wave():
    (rec,) = attrition_records(_valid(), "pre", ["post"])
    assert (rec["n_completers"], rec["n_dropouts"], rec["n_at_wave"]) == (2, 3, 3)
    assert rec["mean_completers"] == 2.0 and rec["mean_dropouts"] == 7.0
    assert rec["mean_difference"] == -5.0 and rec["prop_retained"] == 0.4
    assert rec["suppress"] is True and rec["wave"] == "post"


def test_per_group_and_no_dropouts():
    records = attrition_records(_valid(), "pre", ["post"], group_col="arm")
    by_group = {r["group"]: r for r in records}
    assert set(by_group) == {None, "x", "y"}
    x = by_group["x"]
    assert (x["n_completers"], x["n_dropouts"]) == (2, 0)
    # Two people with no dropouts still rest on two people: suppressed (issue 18).
    assert "no dropouts" in x["note"] and math.isnan(x["t"]) and x["suppress"] is True
    assert by_group["y"]["n_at_wave"] == 1


def test_wave_counts_per_group():
    counts = wave_counts(_valid(), ["pre", "post"], "arm")
    table = {(c["group"], c["wave"]): c["n"] for c in counts}
    assert table == {
        (None, "pre"): 5, (None, "post"): 3, ("x", "pre"): 2, ("x", "post"): 2,
        ("y", "pre"): 3, ("y", "post"): 1,
    }  # fmt: skip


def test_a_scale_nobody_has_at_a_wave_gets_no_attrition_record():
    """GAD-7 not asked at 'mid' (scoring's not_administered): everyone would count as lost
    on it there, as the report's attrition table said before ('0 completers, 40 lost')."""
    rows = []
    for person in "abcdef":
        rows.append({"participant_id": person, "wave": "pre", "scale": "gad7", "score": 5.0})
        for wave in ("pre", "mid"):
            rows.append({"participant_id": person, "wave": wave, "scale": "ucla3", "score": 4.0})
    frame = pd.DataFrame(rows).assign(instrument=lambda f: f["scale"], status="ok")
    records = attrition_records(valid_scores(frame), "pre", ["mid"])
    assert [(r["scale"], r["wave"], r["n_completers"]) for r in records] == [("ucla3", "mid", 6)]
