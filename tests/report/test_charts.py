"""Chart drawing: labels stay inside their bars, privacy notes stay inside the chart."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report.chart_style import LABEL_MIN_PERCENT
from stigma_outcomes.report.charts import _pyplot, _rci

LABELS = {
    "n_reliably_improved": "reliably improved",
    "n_no_reliable_change": "no reliable change",
    "n_reliably_deteriorated": "reliably deteriorated",
}


def _bar(group: str, n: int, values: dict[str, Any], marks: dict[str, str]) -> dict[str, Any]:
    return {"group": group, "n": n, "values": values, "marks": marks}


def _texts(fig: Any) -> list[Any]:
    return [t for t in fig.axes[0].texts]


def test_narrow_segments_get_no_overlapping_percentage() -> None:
    plt = _pyplot()
    values = {"n_reliably_improved": 11, "n_no_reliable_change": 137, "n_reliably_deteriorated": 7}
    fig = _rci(plt, {"bars": [_bar("Everyone", 155, values, {})], "labels": LABELS})
    labels = [t.get_text() for t in _texts(fig)]
    plt.close(fig)
    # 11 of 155 is 7%, narrower than a label: only the wide middle segment is labelled.
    assert labels == ["88%"]
    assert 100 * 11 / 155 < LABEL_MIN_PERCENT <= 100 * 137 / 155


def test_hidden_counts_are_noted_inside_the_plot_area() -> None:
    plt = _pyplot()
    values = {
        "n_reliably_improved": None,
        "n_no_reliable_change": 60,
        "n_reliably_deteriorated": None,
    }
    marks = {"n_reliably_improved": "<5", "n_reliably_deteriorated": "<5"}
    fig = _rci(plt, {"bars": [_bar("Comparison", 65, values, marks)], "labels": LABELS})
    ax = fig.axes[0]
    note = next(t for t in _texts(fig) if "privacy" in t.get_text())
    plt.close(fig)
    assert note.get_text() == (
        "Not shown for privacy: reliably improved <5, reliably deteriorated <5"
    )
    x, y = note.get_position()
    # Inside the axes, so the bars keep the full 0–100% width.
    assert ax.get_xlim() == (0.0, 100.0) and 0 <= x <= 100
    low, high = sorted(ax.get_ylim())
    assert low <= y <= high


def test_change_histogram_draws_bins_not_people() -> None:
    from stigma_outcomes.report.charts import _change

    plt = _pyplot()
    bars = [
        {"low": -2.0, "high": -1.0, "n": 12, "mark": "12"},
        {"low": -1.0, "high": 0.0, "n": None, "mark": "<5"},
        {"low": 0.0, "high": 1.0, "n": 30, "mark": "30"},
    ]
    data = {"bars": bars, "band": 1.0, "better": "left", "xlabel": "Change", "threshold": 5}
    fig = _change(plt, data)
    ax = fig.axes[0]
    heights = sorted(p.get_height() for p in ax.patches if p.get_height() > 0)
    texts = [t.get_text() for t in ax.texts]
    plt.close(fig)
    # Two drawn bars (the suppressed bin has no height, only its mark) and no scatter.
    assert heights[-2:] == [12, 30] and "<5" in texts
    assert not ax.collections or all(len(c.get_offsets()) <= 1 for c in ax.collections)


def _reference_svg(chart: Any) -> str:
    """The chart as ``savefig`` writes it (a layout pass with drawing off, then a draw)."""
    import io

    from stigma_outcomes.report.charts import draw_figure

    plt = _pyplot()
    fig = draw_figure(plt, chart)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return buffer.getvalue()


def test_charts_printed_in_one_pass_are_the_bytes_savefig_writes() -> None:
    from stigma_outcomes.report.charts import render_svg
    from stigma_outcomes.report.content import Chart

    points = [
        {"wave": w, "mean": m, "low": m - 0.3, "high": m + 0.4}
        for w, m in [("Baseline", 3.1), ("Post", 2.6), ("Follow-up", 2.4)]
    ]
    series = [
        {"group": "Programme", "n": 1234, "points": points},
        {"group": "Comparison", "n": 57, "points": points[:2]},
    ]
    bars = [
        {"low": -2.0, "high": -1.0, "n": 12, "mark": "12"},
        {"low": -1.0, "high": 0.0, "n": None, "mark": "<5"},
        {"low": 0.0, "high": 1.0, "n": 30, "mark": "30"},
    ]
    rci = {"n_reliably_improved": 40, "n_no_reliable_change": 137, "n_reliably_deteriorated": 9}
    hidden = dict(rci, n_reliably_deteriorated=None)
    studies = [
        {
            "label": f"Site {i}",
            "low": -0.5 + i / 10,
            "high": 0.3 + i / 8,
            "estimate": i / 20,
            "weight": 10 + i,
        }
        for i in range(3)
    ]
    pooled = {
        "label": "Pooled",
        "low": -0.1,
        "estimate": 0.05,
        "high": 0.2,
        "pi_low": -0.6,
        "pi_high": 0.7,
    }
    charts = [
        Chart("m", "means", "c", "a", {"series": series, "ylabel": "Mean", "range": [1, 7]}),
        Chart("m0", "means", "c", "a", {"series": [], "ylabel": "Mean"}),
        Chart(
            "c1",
            "change",
            "c",
            "a",
            {"bars": bars, "band": 0.8, "xlabel": "Change", "better": "left"},
        ),
        Chart(
            "c2",
            "change",
            "c",
            "a",
            {
                "panels": [{"group": "A", "bars": bars}, {"group": "B", "bars": bars[::2]}],
                "bars": [],
                "band": 0.8,
                "xlabel": "Change",
            },
        ),
        Chart(
            "r",
            "rci",
            "c",
            "a",
            {
                "labels": LABELS,
                "bars": [
                    _bar("Programme", 186, rci, {}),
                    _bar("Comparison", 177, hidden, {"n_reliably_deteriorated": "<5"}),
                ],
            },
        ),
        Chart("f", "forest", "c", "a", {"studies": studies, "pooled": pooled, "xlabel": "Change"}),
        Chart(
            "fl",
            "flow",
            "c",
            "a",
            {
                "steps": [
                    {"label": "Took part", "n": "400", "loss": "12 previews"},
                    {"label": "Both surveys", "n": "388", "loss": None},
                ]
            },
        ),
    ]
    for chart in charts:
        assert render_svg(chart) == _reference_svg(chart), chart.kind


def test_a_hidden_mixed_model_n_is_left_out_of_the_legend() -> None:
    from stigma_outcomes.report.outcome_charts import mixed_means_chart
    from stigma_outcomes.report.outcomes import describe_outcome
    from stigma_outcomes.report.privacy import Disclosure

    key = "mixed|ucla3|total|Everyone|n_most"
    d = Disclosure(5)
    d.count(key, 40)
    d.count("came_back", 37, cost=1000.0)
    d.count("did_not", 3)
    d.relation(key, ["came_back", "did_not"])
    assert d.status(key) == "hidden"
    cells = [
        {"wave": w, "group": None, "n": n, "mean": 6.0, "ci_low": 5.5, "ci_high": 6.5}
        for w, n in (("pre", 40), ("post", 37))
    ]
    mixed = {"instrument": "ucla3", "scale": "total", "wave_means": cells}
    chart = mixed_means_chart("ucla3", describe_outcome("ucla3", "total"), mixed, d, 1)
    assert [s["n"] for s in chart.data["series"]] == [None]
