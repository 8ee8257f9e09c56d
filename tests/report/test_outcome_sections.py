"""Outcome sections: chart captions promise only what the chart draws."""

from __future__ import annotations

from .conftest import results_with_small_group, scores_for


def test_every_outcome_gets_a_change_histogram_and_no_scatter() -> None:
    from stigma_outcomes.report import build_report

    results = results_with_small_group()
    model = build_report(results, scores_for(results))
    for section in model.outcomes:
        kinds = [c.kind for c in section.charts]
        assert "scatter" not in kinds
    # The fixture has no reliable-change scale (no rci_s_diff), so the bins add up to the
    # pairs only; either way a chart has bins, never one entry per person.
    changes = [c for o in model.outcomes for c in o.charts if c.kind == "change"]
    assert changes
    for chart in changes:
        assert len(chart.data["bars"]) < 63
        assert all(set(b) <= {"low", "high", "n", "mark", "open"} for b in chart.data["bars"])


def test_unlinked_outcome_gets_a_means_chart_without_hidden_groups() -> None:
    from stigma_outcomes.report import build_report

    from .test_glance import _unlinked

    recs = [_unlinked(None, 80, 70), _unlinked("A", 77, 67), _unlinked("B", 3, 3)]
    model = build_report({"meta": {}, "paired": [], "unlinked": recs})
    chart = next(c for c in model.outcomes[0].charts if c.kind == "means")
    groups = [s["group"] for s in chart.data["series"]]
    # B has 3 people; A's counts would reveal it from the totals, so both are left out.
    assert groups == ["Everyone"]
    assert [p["wave"] for p in chart.data["series"][0]["points"]] == ["pre", "post"]
    # Hidden groups are counted in the alt text, never named (issue 18).
    assert "unlinked" in chart.caption and "6.50" in chart.alt
    assert "groups not shown for privacy" in chart.alt and " B" not in chart.alt
    rows = {r[0].split(" · ")[1]: r for r in model.outcomes[0].tables[0].rows}
    assert "B" not in rows
    assert rows["a small group"][1:3] == ["<5", "<5"] and rows["A"][1:3] == ["‡", "‡"]


def test_mixed_joint_test_sentence_and_its_privacy() -> None:
    from stigma_outcomes.report.outcome_charts import mixed_test_sentence
    from stigma_outcomes.report.privacy import Disclosure

    cells = [
        {"wave": w, "group": g, "n": n, "mean": 5.0, "ci_low": 4.0, "ci_high": 6.0}
        for w in ("pre", "post", "fu")
        for g, n in (("Intervention", 60), ("Comparison", 40))
    ]
    anova = [
        {"term": "wave", "num_df": 2, "den_df": 190.2, "f": 4.0, "p": 0.02},
        {"term": "wave:arm", "num_df": 2, "den_df": 190.2, "f": 6.5, "p": 0.0019},
    ]
    mixed = {"group_column": "arm", "waves": ["pre", "post", "fu"], "wave_means": cells,
             "anova": anova}  # fmt: skip
    text = mixed_test_sentence(mixed, Disclosure(5))
    assert text is not None and "whether the groups changed alike" in text
    # in plain words with its p; the F statistic is in the technical annex
    assert "p = 0.002" in text and "F(" not in text and "annex" in text
    # a group of 3 at one wave is hidden in the chart, so its test is not given either
    cells[-1]["n"] = 3
    assert mixed_test_sentence(mixed, Disclosure(5)) is None
