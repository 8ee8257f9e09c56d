from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.report.asks.people import person_values, wave_people
from stigma_outcomes.report.asks.subgroups import (
    OTHER,
    change_rows,
    merge_small,
    register_change,
    register_counts,
)
from stigma_outcomes.report.privacy import Disclosure

from .conftest import FIXTURE, make_results


def test_merge_small_folds_until_large_enough() -> None:
    s = pd.Series(["a"] * 20 + ["b"] * 6 + ["c"] * 3 + ["d"])
    merged = merge_small(s, 5)
    # c and d (4 people) are still too few together, so b (the next smallest) joins them
    assert merged.value_counts().to_dict() == {"a": 20, OTHER: 10}
    assert merge_small(pd.Series(["a"] * 5 + ["b"] * 5), 5).equals(pd.Series(["a"] * 5 + ["b"] * 5))


def test_small_category_is_suppressed_and_protected() -> None:
    d = Disclosure(5)
    d.count("flow|pre", 30)
    values = pd.Series(["A"] * 20 + ["B"] * 7 + ["C"] * 3)
    counts = register_counts(values, "ask|who|g", d, total_key="flow|pre")
    assert counts.total_key == "flow|pre"
    d.resolve()
    assert d.mark(counts.key("C")) == "<5"
    # with the total and A printed, B would give C away: the audit hides one more
    hidden = [d.mark(counts.key(c)) for c in ("A", "B")]
    assert "‡" in hidden
    assert not d.shown(f"{counts.key('C')}|pct")


def test_subgroup_change_matches_r(scores) -> None:
    d = Disclosure(5)
    rec = make_results()["paired"][0]
    d.count("paired|ucla3|total|pre|post|*|n_pairs", rec["n_pairs"])
    people = wave_people(scores, "pre")
    groups = person_values(scores, "gender", ["pre", "post"], people)
    change = register_change(scores, rec, groups, "ask|who|gender|ucla3.total", d)
    assert change is not None
    for g, want in FIXTURE["by_group"].items():
        got = change.stats[g]
        assert d.values[change.key(g, "n_pairs")] == want["n"]
        for k in ("pre", "post", "change", "low", "high"):
            assert got[k] == pytest.approx(want[k], abs=1e-10), (g, k)
    d.resolve()
    rows = {r[1]: r for r in change_rows(change, d)}
    # C has 4 pairs: its count is "<5" and its averages are not shown
    assert rows["C"][2] == "<5" and rows["C"][3:] == ["", "", ""]
    assert rows["A"][5].startswith("−0.68")


def test_subgroup_change_refuses_scores_that_do_not_match_the_record(scores) -> None:
    rec = {**make_results()["paired"][0], "n_pairs": 39}
    groups = pd.Series("A", index=np.unique(scores["participant_id"]))
    assert register_change(scores, rec, groups, "x", Disclosure(5)) is None
