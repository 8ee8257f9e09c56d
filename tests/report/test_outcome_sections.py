"""Outcome sections: chart captions promise only what the chart draws."""

from __future__ import annotations

from stigma_outcomes.report.outcome_sections import scatter_chart
from stigma_outcomes.report.outcomes import describe_outcome

from .conftest import paired_record, results_with_small_group, scores_for


def test_scatter_without_reliability_has_no_band_in_caption_or_alt() -> None:
    rec = paired_record("ucla3", "total", None, 63, 6.9, 5.9, -1, 0.001, 19, 4)
    rec["rci_threshold"] = None
    info = describe_outcome("ucla3", "total")
    scores = scores_for(results_with_small_group())
    chart = scatter_chart("ucla3", info, rec, scores, "pre", "post")
    assert chart.data["band"] is None
    assert "band marks" not in chart.caption and "no reliability coefficient" in chart.caption
    assert "grey band" not in chart.alt and "nan" not in chart.alt
    assert "Improvement is below the diagonal" in chart.alt


def test_scatter_with_reliability_describes_its_band() -> None:
    rec = paired_record("ucla3", "total", None, 63, 6.9, 5.9, -1, 0.001, 19, 4)
    info = describe_outcome("ucla3", "total")
    chart = scatter_chart("ucla3", info, rec, None, "pre", "post")
    assert "the band marks changes too small" in chart.caption
    assert "grey band (±2.07 points)" in chart.alt
    # Chart titles use the short outcome label, not the scale's full parenthesised name.
    assert chart.data["label"] == "Loneliness (UCLA-3)"


def test_dots_are_not_drawn_when_they_would_show_a_hidden_count() -> None:
    from stigma_outcomes.report import build_report

    results = results_with_small_group()
    model = build_report(results, scores_for(results))
    by_id = {o.id: o for o in model.outcomes}
    # Everyone's UCLA-3: 4 reliably deteriorated is a small count; counting the dots
    # outside the band would give it away, so that chart is left out and the text says so.
    lonely = by_id["outcome-ucla3"]
    assert not any(c.kind == "scatter" for c in lonely.charts)
    assert any("could be counted" in m and "fewer than 5" in m for m in lonely.more)
    # GBS (7 better, 6 worse) keeps its chart.
    assert any(c.kind == "scatter" for c in by_id["outcome-gbs"].charts)


def test_density_view_is_never_withheld_and_blanks_cells_below_the_threshold() -> None:
    from stigma_outcomes.report.content import MAX_POINTS, record_key
    from stigma_outcomes.report.outcome_sections import dots_reveal_hidden_counts
    from stigma_outcomes.report.privacy import Disclosure

    rec = paired_record("ucla3", "total", None, MAX_POINTS + 1, 6.9, 5.9, -1, 0.001, 900, 3)
    d = Disclosure(11)
    d.count(record_key("paired", rec) + "|n_reliably_deteriorated", 3)
    assert not dots_reveal_hidden_counts(rec, d)
    assert dots_reveal_hidden_counts({**rec, "n_pairs": MAX_POINTS}, d)
    chart = scatter_chart("ucla3", describe_outcome("ucla3", "total"), rec, None, "pre", "post", 11)
    assert chart.data["min_bin"] == 11


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
    from stigma_outcomes.report.outcome_sections import mixed_test_sentence
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
    assert "F(2, 190.2) = 6.50, p = 0.002" in text
    # a group of 3 at one wave is hidden in the chart, so its test is not given either
    cells[-1]["n"] = 3
    assert mixed_test_sentence(mixed, Disclosure(5)) is None
