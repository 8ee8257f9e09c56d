"""The histogram of individual change: bins tied to the reliable-change counts, no one's scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.report.change import (
    _merge,
    change_chart,
    individual_change,
    register_change_bins,
)
from stigma_outcomes.report.content import record_key
from stigma_outcomes.report.outcomes import describe_outcome
from stigma_outcomes.report.privacy import Disclosure

from .conftest import paired_record
from .plain_scores import change_by_merge, score_tables


def _record(change: np.ndarray, s_diff: float = 0.5, sign: int = -1) -> dict:
    directed = sign * change / s_diff
    improved = int(np.sum(directed > 1.96))
    worse = int(np.sum(directed < -1.96))
    rec = paired_record("ucla3", "total", None, len(change), 6.0, 5.5, sign, 0.01, improved, worse)
    rec.update(rci_s_diff=s_diff, rci_threshold=1.96 * s_diff)
    return rec


def test_bins_add_up_to_the_reliable_change_counts() -> None:
    rng = np.random.default_rng(0)
    change = np.round(rng.normal(-0.4, 1.2, 140), 2)
    rec = _record(change)
    d = Disclosure(5)
    spec = register_change_bins(rec, change, d, (3, 9))
    assert spec is not None
    key = record_key("paired", rec)
    by_category: dict[str, int] = {}
    for total, parts in d.relations:
        if any(p.split("|")[-1].startswith("bin:") for p in parts):
            by_category[total.rsplit("|", 1)[-1]] = sum(d.values[p] for p in parts)
    assert by_category == {
        name: rec[name]
        for name in ("n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated")
    }
    # Merged from the tails inward: every bin but a whole category's own has >= 5 people.
    sizes = [d.values[b["key"]] for b in spec["bins"]]
    assert sum(sizes) == len(change) and key in spec["bins"][0]["key"]
    assert sum(1 for v in sizes if 0 < v < 5) <= 3


def test_the_chart_carries_counts_per_bin_and_no_scores() -> None:
    rng = np.random.default_rng(1)
    change = np.round(rng.normal(0.3, 1.0, 90), 2)
    rec = _record(change, sign=1)
    d = Disclosure(5)
    spec = register_change_bins(rec, change, d, (1, 7))
    d.resolve()
    chart = change_chart(
        "ucla3", describe_outcome("ucla3", "total"), [(None, spec)], d, "pre", "post"
    )
    assert len(chart.data["bars"]) < 20 < len(change)
    for bar in chart.data["bars"]:
        assert set(bar) <= {"low", "high", "n", "mark", "open"}
    assert (
        "no individual scores are shown" in chart.alt and "Improvement is to the right" in chart.alt
    )
    assert "or less" in chart.alt and "or more" in chart.alt


def test_small_bins_merge_from_the_tails() -> None:
    assert _merge([(9, 9, 1), (8, 8, 1), (7, 7, 1), (6, 6, 8)], 5) == [(6, 9, 11)]
    assert _merge([(0, 0, 0), (1, 1, 7)], 5) == [(0, 1, 7)]
    assert _merge([(0, 0, 3)], 5) == [(0, 0, 3)]


def test_scores_that_do_not_match_the_record_give_no_chart() -> None:
    change = np.array([0.0, 1.0, -1.0])
    rec = _record(np.zeros(5))
    assert register_change_bins(rec, change, Disclosure(5), (3, 9)) is None


def test_without_a_reliability_coefficient_no_band_is_promised() -> None:
    change = np.arange(-20, 20) / 4
    rec = paired_record("ucla3", "total", None, len(change), 6.0, 5.5, -1, 0.01, 0, 0)
    rec.update(rci_threshold=None, n_reliably_improved=None, n_reliably_deteriorated=None)
    d = Disclosure(5)
    spec = register_change_bins(rec, change, d, (3, 9))
    d.resolve()
    chart = change_chart(
        "ucla3", describe_outcome("ucla3", "total"), [(None, spec)], d, "pre", "post"
    )
    assert chart.data["band"] is None and "band" not in chart.caption
    assert "shaded band" not in chart.alt


def test_individual_change_is_sorted_and_keyless() -> None:
    scores = pd.DataFrame(
        {
            "participant_id": ["b", "a", "b", "a"],
            "wave": ["pre", "pre", "post", "post"],
            "instrument": "x",
            "scale": "total",
            "status": "ok",
            "score": [5.0, 3.0, 4.0, 6.0],
        }
    )
    assert individual_change(scores, "x", "total", "pre", "post").tolist() == [-1.0, 3.0]


def _grouped(sizes: dict[str, int]) -> tuple[dict, pd.DataFrame]:
    """Results and scores of two arms, each person's change drawn at random."""
    rng = np.random.default_rng(3)
    rows, recs, everyone = [], [], []
    for group, n in sizes.items():
        change = np.round(rng.normal(-0.5, 1.0, n), 1)
        everyone.append(change)
        rec = _record(change)
        rec["group"] = group
        recs.append(rec)
        for i, c in enumerate(change):
            pid = f"{group}-{i}"
            for wave, score in (("pre", 6.0), ("post", 6.0 + c)):
                rows.append(
                    {"participant_id": pid, "wave": wave, "arm": group, "instrument": "ucla3",
                     "scale": "total", "status": "ok", "score": score}
                )  # fmt: skip
    whole = _record(np.concatenate(everyone))
    results = {"meta": {"settings": {"group_col": "arm"}}, "paired": [whole, *recs]}
    return results, pd.DataFrame(rows)


def test_with_groups_each_group_gets_its_own_panel_tied_to_its_counts() -> None:
    from stigma_outcomes.report.change import register_changes

    results, scores = _grouped({"Comparison": 40, "Intervention": 60})
    d = Disclosure(5)
    panels = register_changes(results, scores, d, ("pre", "post"))["ucla3"]
    assert [g for g, _ in panels] == ["Comparison", "Intervention"]
    for (group, spec), rec in zip(panels, results["paired"][1:], strict=True):
        assert all(f"g:{group}|bin:" in b["key"] for b in spec["bins"])
        assert sum(d.values[b["key"]] for b in spec["bins"]) == rec["n_pairs"]
    # no whole-sample histogram: it would mix the programme with its comparison
    assert not any("|*|bin:" in k for k in d.values)
    d.resolve()
    chart = change_chart("ucla3", describe_outcome("ucla3", "total"), panels, d, "pre", "post")
    assert [p["group"] for p in chart.data["panels"]] == ["Comparison", "Intervention"]
    assert "in each group" in chart.caption and "Intervention group per bin" in chart.alt


def test_a_group_under_the_threshold_keeps_the_whole_sample_histogram() -> None:
    from stigma_outcomes.report.change import register_changes

    results, scores = _grouped({"Comparison": 4, "Intervention": 60})
    d = Disclosure(5)
    panels = register_changes(results, scores, d, ("pre", "post"))["ucla3"]
    assert [g for g, _ in panels] == [None]
    assert not any("g:Comparison|bin:" in k for k in d.values)


def test_results_written_before_the_rename_give_the_same_panels() -> None:
    """``meta.settings.group_col`` (files written before ``group_by``) is read as ``group_by``."""
    from stigma_outcomes.report.change import register_changes

    old, scores = _grouped({"Comparison": 40, "Intervention": 60})
    new = {**old, "meta": {"settings": {"group_by": "arm"}}}
    assert old["meta"]["settings"] == {"group_col": "arm"}
    panels = {}
    for name, results in (("old", old), ("new", new)):
        d = Disclosure(5)
        panels[name] = register_changes(results, scores, d, ("pre", "post"))["ucla3"]
    assert [g for g, _ in panels["new"]] == ["Comparison", "Intervention"]
    assert panels["old"] == panels["new"]


@settings(max_examples=60, deadline=None)
@given(scores=score_tables(), group=st.sampled_from([None, "P", "C"]))
def test_individual_change_equals_the_merge_reference(scores, group) -> None:
    """Pairs matched through the scores' codes give the changes the merge of rows gave,
    for everyone and for one group's rows."""
    from stigma_outcomes.report._score_keys import ScoreKeys

    keys = ScoreKeys(scores)
    rows = None if group is None else keys.text_is("arm", group)
    got = individual_change(scores, "ucla3", "total", "pre", "post", keys=keys, rows=rows)
    want = change_by_merge(scores, "ucla3", "total", "pre", "post", group)
    assert got.tolist() == want.tolist()
