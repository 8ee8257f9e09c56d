"""The "Across sites" section: pooled change, heterogeneity, forest plot, and privacy."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report.charts import _forest, _pyplot, render_svg
from stigma_outcomes.report.content import Chart
from stigma_outcomes.report.findings import Finding
from stigma_outcomes.report.privacy import Disclosure
from stigma_outcomes.report.sites import register_sites, sites_section

PRIMARY = ("pre", "post")
FINDING = Finding("ucla3", "total", "Loneliness (UCLA-3)", "improved", "text")


def _study(level: str, n: int, estimate: float, weight: float) -> dict[str, Any]:
    return {
        "level": level,
        "n_pairs": n,
        "estimate": estimate,
        "se": 0.2,
        "ci_low": estimate - 0.39,
        "ci_high": estimate + 0.39,
        "weight": weight,
    }


def _pooled(studies: list[dict[str, Any]], excluded: list[dict[str, Any]] | None = None):
    return {
        "instrument": "ucla3",
        "scale": "total",
        "group": None,
        "pooled_over": "site",
        "from_wave": "pre",
        "to_wave": "post",
        "effect": "mean_change",
        "method": "REML",
        "k": len(studies),
        "n_total": sum(s["n_pairs"] for s in studies),
        "estimate": -0.84,
        "se": 0.15,
        "ci_low": -1.13,
        "ci_high": -0.55,
        "p": 0.00001,
        "tau2": 0.04,
        "tau": 0.2,
        "i2": 31.5,
        "pi_low": -1.38,
        "pi_high": -0.30,
        "improvement_sign": -1,
        "studies": studies,
        "excluded": excluded or [],
    }


def _whole(n: int) -> dict[str, Any]:
    return {"instrument": "ucla3", "scale": "total", "from_wave": "pre", "to_wave": "post",
            "group": None, "n_pairs": n}  # fmt: skip


def _build(data: dict[str, Any], threshold: int = 5):
    d = Disclosure(threshold)
    for rec in data.get("paired", []):
        d.count(
            "|".join(["paired", rec["instrument"], rec["scale"], "pre", "post", "*"]) + "|n_pairs",
            rec["n_pairs"],
        )
    register_sites(data, d)
    d.resolve()
    return sites_section(data, [FINDING], PRIMARY, d)


THREE = [_study("North", 50, -1.0, 45.0), _study("South", 30, -0.6, 30.0),
         _study("West", 20, -0.8, 25.0)]  # fmt: skip


def test_table_and_forest_plot_carry_the_pooled_numbers() -> None:
    rec = _pooled(THREE)
    section = _build({"paired": [_whole(100)], "pooled": [rec]})
    assert section is not None and section.title == "Across sites"
    (table,) = section.tables
    assert table.rows == [
        ["UCLA-3", "3", "100", "−0.84 [−1.13 to −0.55]", "p < 0.001", "0.20", "32%",
         "−1.38 to −0.30"],
    ]  # fmt: skip
    (chart,) = section.charts
    assert chart.kind == "forest"
    assert [s["label"] for s in chart.data["studies"]] == [
        "North (n = 50)", "South (n = 30)", "West (n = 20)"
    ]  # fmt: skip
    assert chart.data["pooled"]["estimate"] == -0.84
    assert "lower is better" in chart.data["xlabel"]
    assert "North (n = 50) −1.00" in chart.alt


def test_two_sites_are_shown_side_by_side_without_heterogeneity() -> None:
    # With two sites τ, I² and a prediction interval say nothing useful: each site's change
    # and both together, in a plain table, and no forest plot.
    rec = _pooled([_study("North", 60, -1.0, 55.0), _study("South", 40, -0.6, 45.0)])
    section = _build({"paired": [_whole(100)], "pooled": [rec]})
    assert section is not None and not section.charts
    (table,) = section.tables
    assert table.columns == ["Outcome", "Site", "People (n)", "Change [95% CI]"]
    assert table.rows == [
        ["UCLA-3", "North", "60", "−1.00 [−1.39 to −0.61]"],
        ["UCLA-3", "South", "40", "−0.60 [−0.99 to −0.21]"],
        ["UCLA-3", "Both sites together", "100", "−0.84 [−1.13 to −0.55]"],
    ]
    text = " ".join([*section.paragraphs, *table.notes])
    assert "τ" not in text and "I²" not in text and "prediction" not in text


def test_a_small_site_hides_another_and_the_pooled_estimate_goes() -> None:
    # South has 3 pairs: too few to show. North's 97 would give South away (100 − 97), so
    # North is hidden too; the pooled record of North alone is then not shown either.
    rec = _pooled(
        [_study("North", 97, -1.0, 60.0), _study("East", 3, -0.2, 40.0)],
    )
    section = _build({"paired": [_whole(100)], "pooled": [rec]})
    assert section is not None
    assert not section.tables and not section.charts
    assert any("too small to report" in p for p in section.paragraphs)
    assert "97" not in " ".join(section.paragraphs)


def test_excluded_sites_are_counted_but_never_named_with_their_size() -> None:
    rec = _pooled(
        [_study("North", 50, -1.0, 50.0), _study("South", 47, -0.6, 50.0)],
        excluded=[{"level": "East", "n_pairs": 3, "reason": "fewer than 5 pairs"}],
    )
    section = _build({"paired": [_whole(100)], "pooled": [rec]})
    assert section is not None
    # East (3) is small; South (47) is hidden so that 100 − 50 − 47 cannot be worked out,
    # which leaves the pooled estimate unreportable.
    assert not section.tables
    text = " ".join(section.paragraphs)
    assert "East" not in text and " 3 " not in text


def test_no_pooled_records_means_no_section() -> None:
    assert _build({"paired": [_whole(100)], "pooled": []}) is None
    other_contrast = {**_pooled([_study("A", 50, -1, 50), _study("B", 50, -1, 50)])}
    other_contrast["to_wave"] = "followup"
    assert _build({"paired": [_whole(100)], "pooled": [other_contrast]}) is None


def test_forest_plot_draws_every_site_and_the_diamond() -> None:
    plt = _pyplot()
    data = {
        "studies": [
            {"label": "North (n = 60)", "estimate": -1.0, "low": -1.4, "high": -0.6, "weight": 55},
            {"label": "South (n = 40)", "estimate": -0.6, "low": -1.1, "high": -0.1, "weight": 45},
        ],
        "pooled": {"label": "Pooled (2 sites)", "estimate": -0.84, "low": -1.13, "high": -0.55,
                   "pi_low": -1.38, "pi_high": -0.30},
        "xlabel": "Change in score points (lower is better)",
    }  # fmt: skip
    fig = _forest(plt, data)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    diamond = ax.patches[0].get_xy()
    plt.close(fig)
    assert labels == ["North (n = 60)", "South (n = 40)", "Pooled (2 sites)"]
    assert min(x for x, _ in diamond) == -1.13 and max(x for x, _ in diamond) == -0.55
    svg = render_svg(Chart("f", "forest", "c", "a", data))
    assert svg.lstrip().startswith("<?xml") and svg == render_svg(
        Chart("f", "forest", "c", "a", data)
    )


def test_without_findings_the_total_is_the_headline() -> None:
    # Results pooled from separate programmes carry no whole-sample record, so no finding:
    # the section falls back on the outcome sections' rule (the total, else the first).
    total = _pooled(THREE)
    sub = {**total, "scale": "emotional"}
    d = Disclosure(5)
    data = {"paired": [], "pooled": [sub, total]}
    register_sites(data, d)
    section = sites_section(data, [], PRIMARY, d)
    assert section is not None
    assert [c.id for c in section.charts] == ["forest-ucla3-total"]
    assert section.tables[0].columns[1] == "Sites"


def test_sites_pooled_within_an_arm_are_parts_of_that_arm() -> None:
    # compare pools sites within each arm (issue 14): a site's pairs add up to its arm's
    # pairs, not to the whole sample's, so the auditor protects them against the arm's count.
    from stigma_outcomes.report.privacy import Disclosure
    from stigma_outcomes.report.sites import _site_key, register_sites

    d = Disclosure(5)
    rec = {"instrument": "x", "scale": "t", "from_wave": "pre", "to_wave": "post",
           "group": "programme", "group_column": "arm", "effect": "mean_change",
           "studies": [{"level": "A", "n_pairs": 40}],
           "excluded": [{"level": "B", "n_pairs": 3}]}  # fmt: skip
    arm = "paired|x|t|pre|post|g:programme|n_pairs"
    d.count(arm, 43)  # the arm's pairs, printed in its paired row
    register_sites({"pooled": [rec]}, d)
    resolved = d.resolve()
    assert resolved[_site_key(rec, "B")] == "small"
    # 43 − 40 would give the small site away: the arm's count and site A are not both shown
    assert "hidden" in (resolved[_site_key(rec, "A")], resolved[arm])
