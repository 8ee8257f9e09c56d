"""Every contrast per outcome: the difference between the groups on every scale, the
groups' starting scores (checked against R's effectsize), the Wilcoxon check beside the t
test, and the caveats said in words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stigma_outcomes.report import build_report
from stigma_outcomes.report.contrasts import standardised_difference
from stigma_outcomes.report.render_html import render_html
from stigma_outcomes.report.render_markdown import render_markdown

from .conftest import paired_record

GOLDEN = Path(__file__).parents[1] / "golden" / "baseline_equivalence" / "expected.json"


@pytest.mark.parametrize("rec", json.loads(GOLDEN.read_text()), ids=lambda r: r["scale"])
def test_standardised_difference_matches_effectsize(rec: dict[str, Any]) -> None:
    g = standardised_difference(
        rec["mean_a"], rec["sd_a"], rec["n_a"], rec["mean_b"], rec["sd_b"], rec["n_b"]
    )
    assert g == pytest.approx(rec["hedges_g"], rel=1e-9, abs=1e-12)


def _ancova(scale: str, diff: float, p: float) -> dict[str, Any]:
    return {
        "instrument": "gbs", "scale": scale, "group": "Intervention",
        "reference_group": "Comparison", "from_wave": "pre", "to_wave": "post",
        "adjusted_difference": diff, "adjusted_difference_ci_low": diff - 0.25,
        "adjusted_difference_ci_high": diff + 0.25, "p": p,
    }  # fmt: skip


def _controlled(comparison_n: int = 75) -> dict[str, Any]:
    paired, ancova = [], []
    for scale, shift in (("total", 0.5), ("acceptance_inclusion", 0.3)):
        paired += [
            paired_record("gbs", scale, None, 75 + comparison_n, 4.0, 4.4, 1, 0.001, 40, 9),
            paired_record("gbs", scale, "Intervention", 75, 4.1, 4.1 + shift, 1, 0.001, 30, 5),
            paired_record(
                "gbs",
                scale,
                "Comparison",
                comparison_n,
                3.9,
                4.0,
                1,
                0.5,
                min(10, comparison_n // 3),
                min(4, comparison_n // 3),
            ),
        ]
        ancova.append(_ancova(scale, shift, 0.002))
    return {"meta": {}, "paired": paired, "ancova": ancova}


def _tables(model: Any) -> dict[str, Any]:
    return {t.id.split("-")[0]: t for t in model.outcomes[0].tables}


def test_the_difference_between_groups_is_given_for_every_scale() -> None:
    tables = _tables(build_report(_controlled()))
    between = tables["between"]
    assert [r[0] for r in between.rows] == ["General belongingness", "Acceptance/Inclusion"]
    assert between.rows[0][1:] == ["+0.50 [0.25 to 0.75]", "0.002"]
    assert "Intervention − Comparison" in between.columns[1]


def test_baseline_table_gives_each_groups_start_and_the_standardised_difference() -> None:
    tables = _tables(build_report(_controlled()))
    base = tables["baseline"]
    assert base.columns[1:3] == ["Intervention: mean (SD)", "Comparison: mean (SD)"]
    g = standardised_difference(4.1, 1.41, 75, 3.9, 1.41, 75)
    assert base.rows[0] == ["General belongingness", "4.10 (1.41)", "3.90 (1.41)", f"+{g:.2f}"]


def test_a_group_without_its_count_of_pairs_gets_no_standardised_difference() -> None:
    """An edited results file whose group record has ``n_pairs: null`` (found by the long
    fuzz run) ended the report in a traceback; the difference is now left out, as for a
    missing mean or SD."""
    results = _controlled()
    for rec in results["paired"]:
        if rec["group"] == "Comparison":
            rec["n_pairs"] = None
    base = _tables(build_report(results))["baseline"]
    assert base.rows[0][-1] == "–"


def test_a_hidden_group_hides_its_rows_in_both_tables() -> None:
    model = build_report(_controlled(comparison_n=3))
    tables = _tables(model)
    assert all(r[1:] == ["not shown", "not shown"] for r in tables["between"].rows)
    assert all(set(r[1:]) == {"not shown"} for r in tables["baseline"].rows)
    assert "3.90" not in model.all_text()


def test_change_table_shows_wilcoxon_beside_t_and_counts_with_their_unit() -> None:
    model = build_report(_controlled())
    table = _tables(model)["stats"]
    assert table.columns[6:] == [
        "p, t test (adjusted)", "p, Wilcoxon", "Reliably better, % (n)", "Reliably worse, % (n)"
    ]  # fmt: skip
    row = next(r for r in table.rows if r[0] == "General belongingness · Intervention")
    # paired_record sets p_wilcoxon = p_t_holm; 30 of 75 reliably better is 40%
    assert row[6:9] == ["0.001", "0.001", "40% (30)"]


def test_no_test_names_in_the_outcome_prose() -> None:
    model = build_report(_controlled())
    prose = " ".join([*model.outcomes[0].paragraphs, *model.outcomes[0].more])
    for jargon in ("Holm", "ANCOVA", "covariance", "Jacobson", "Wilcoxon", "F("):
        assert jargon not in prose


def test_attrition_and_reliability_caveats_are_said_where_they_matter() -> None:
    results = _controlled()
    key = {"instrument": "gbs", "scale": "total", "group": None, "from_wave": "pre"}
    results["attrition"] = [
        {**key, "wave": "post", "n_completers": 150, "n_dropouts": 40, "hedges_g": 0.45,
         "p": 0.01, "mean_completers": 4.0, "mean_dropouts": 3.4},
    ]  # fmt: skip
    results["reliability"] = [
        {"instrument": "gbs", "scale": "total", "wave": w, "n": 150, "alpha": a}
        for w, a in (("pre", 0.55), ("post", 0.66))
    ]
    more = " ".join(build_report(results).outcomes[0].more)
    assert (
        "People not scored at the post survey (not answered, or too few questions) had started "
        "worse off than those scored" in more
    )
    assert "General belongingness 3.40 against 4.00" in more
    assert "internal consistency 0.55 to 0.66 across the waves, below the 0.7" in more
    # A dropout difference under 0.2 that is not clear either says nothing.
    results["attrition"][0].update(hedges_g=0.1, p=0.6)
    results["reliability"] = []
    more = " ".join(build_report(results).outcomes[0].more)
    assert "not scored" not in more and "internal consistency" not in more


def test_an_attrition_difference_that_is_not_clear_is_hedged() -> None:
    results = _controlled()
    results["attrition"] = [
        {"instrument": "gbs", "scale": "total", "group": None, "from_wave": "pre",
         "wave": "post", "n_completers": 150, "n_dropouts": 40, "hedges_g": -0.3, "p": 0.3,
         "mean_completers": 4.0, "mean_dropouts": 4.4},
    ]  # fmt: skip
    more = " ".join(build_report(results).outcomes[0].more)
    assert "had started better off than those scored" in more
    assert "Differences this size could be chance; if not, the changes above" in more


def _sites(sizes: dict[str, int], reference: str) -> dict[str, Any]:
    """GBS total at several sites, each compared with ``reference`` (made-up numbers)."""
    total = sum(sizes.values())
    paired = [paired_record("gbs", "total", None, total, 4.0, 4.4, 1, 0.001, 40, 9)]
    ancova = []
    for i, (site, n) in enumerate(sizes.items()):
        paired.append(paired_record("gbs", "total", site, n, 3.9 + i / 10, 4.3, 1, 0.01, 1, 0))
        if site != reference:
            diff = 0.1 * (i + 1)
            ancova.append({**_ancova("total", diff, 0.01 * (i + 1)), "group": site,
                           "reference_group": reference})  # fmt: skip
    return {"meta": {}, "paired": paired, "ancova": ancova}


def test_each_row_of_the_between_group_table_says_which_groups_it_compares() -> None:
    """Three sites: North and South each against East. The table had two rows both
    labelled "General belongingness" under a "North − East" header."""
    tables = _tables(build_report(_sites({"East": 30, "North": 25, "South": 40}, "East")))
    between = tables["between"]
    assert between.caption == (
        "GBS: each group compared with the East group, allowing for where people started"
    )
    assert between.columns[:2] == ["Scale · groups compared", "Difference after [95% CI]"]
    assert [r[0] for r in between.rows] == [
        "General belongingness · North − East",
        "General belongingness · South − East",
    ]
    assert "the first group named minus the second" in between.notes[0]
    base = tables["baseline"]
    assert [r[0] for r in base.rows] == [r[0] for r in between.rows]
    assert base.columns[1:3] == ["First group: mean (SD)", "Second group: mean (SD)"]
    # Every row its own pair's starting scores: North 4.00, South 4.10 against East 3.90.
    assert [r[1:3] for r in base.rows] == [
        ["4.00 (1.41)", "3.90 (1.41)"],
        ["4.10 (1.41)", "3.90 (1.41)"],
    ]


def test_a_small_reference_group_is_named_in_no_contrast() -> None:
    """East has 3 people: its name appears nowhere, though every contrast is against it;
    the rows, and the sentences saying they are hidden, still tell the contrasts apart."""
    model = build_report(_sites({"East": 3, "North": 25, "South": 40}, "East"))
    tables = _tables(model)
    assert tables["between"].caption.startswith("GBS: each group compared with a small group")
    assert [r[0] for r in tables["between"].rows] == [
        "General belongingness · North − a small group",
        "General belongingness · South − a small group",
    ]
    assert all(r[1:] == ["not shown", "not shown"] for r in tables["between"].rows)
    assert [r[0] for r in tables["baseline"].rows] == [r[0] for r in tables["between"].rows]
    details = model.outcomes[0].finding.details
    hidden = [s for s in details if "is not shown" in s]
    assert hidden == [
        "The comparison of the North group with a small group is not shown, because a group "
        "smaller than 5 people is not reported.",
        "The comparison of the South group with a small group is not shown, because a group "
        "smaller than 5 people is not reported.",
    ]
    for text in (model.all_text(), render_markdown(model), render_html(model)):
        assert "East" not in text


def test_two_small_groups_against_one_reference_make_one_row() -> None:
    """Both read "a small group − West": one row stands for both, never two alike."""
    sizes = {"Alder": 3, "Bay": 2, "West": 40, "Zed": 30}
    model = build_report(_sites(sizes, "West"))
    labels = [r[0] for r in _tables(model)["between"].rows]
    assert labels == [
        "General belongingness · each small group − West",
        "General belongingness · Zed − West",
    ]
    assert len(set(model.outcomes[0].finding.details)) == len(model.outcomes[0].finding.details)
    assert "Alder" not in model.all_text() and "Bay" not in model.all_text()


def test_one_small_group_of_two_is_not_named_in_the_title_or_columns() -> None:
    model = build_report(_controlled(comparison_n=3))
    tables = _tables(model)
    assert tables["between"].caption.startswith("GBS: Intervention group compared with a small")
    assert (
        tables["between"].columns[1] == "Difference after (Intervention − a small group) [95% CI]"
    )
    assert tables["baseline"].columns[1:3] == [
        "Intervention: mean (SD)",
        "a small group: mean (SD)",
    ]
    section = model.outcomes[0]
    texts = [*section.more, *section.finding.details, *section.paragraphs, *model.summary.bullets]
    for t in [*section.tables, *model.summary.tables]:
        texts += [t.caption, *t.columns, *t.notes, *(c for r in t.rows for c in r)]
    assert not [t for t in texts if "Comparison" in t]
