"""Chart drawing: labels stay inside their bars, privacy notes stay inside the chart."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report.charts import LABEL_MIN_PERCENT, _pyplot, _rci

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


def test_density_cells_below_the_threshold_stay_blank() -> None:
    import numpy as np

    from stigma_outcomes.report.charts import _scatter

    rng = np.random.default_rng(3)
    pre = np.concatenate([rng.uniform(3, 9, 2100), np.full(8, 3.0)])
    post = np.concatenate([pre[:2100] + rng.normal(0, 0.5, 2100), np.full(8, 9.0)])
    data = {
        "pre": pre.tolist(),
        "post": post.tolist(),
        "band": 1.2,
        "range": [3, 9],
        "label": "Loneliness (UCLA-3)",
        "from_wave": "pre",
        "to_wave": "post",
        "improvement_sign": -1,
        "min_bin": 11,
    }
    plt = _pyplot()
    fig = _scatter(plt, data)
    counts = np.concatenate(
        [c.get_array() for c in fig.axes[0].collections if c.get_array() is not None]
    )
    plt.close(fig)
    # The 8 people at (3, 9) share one cell: fewer than 11, so it is not drawn at all.
    assert counts.min() >= 11


def test_shared_scores_become_one_dot_sized_by_people() -> None:
    from stigma_outcomes.report.charts import _scatter

    plt = _pyplot()
    # 10 people: 6 at (5, 4), 3 at (6, 6), 1 at (3, 9): three points, areas 6 : 3 : 1
    pre = [5] * 6 + [6] * 3 + [3]
    post = [4] * 6 + [6] * 3 + [9]
    data = {
        "pre": pre,
        "post": post,
        "band": 1.2,
        "range": [3, 9],
        "label": "Loneliness",
        "from_wave": "pre",
        "to_wave": "post",
        "improvement_sign": -1,
        "stacked": True,
    }
    fig = _scatter(plt, data)
    dots = fig.axes[0].collections[-1]
    offsets = [tuple(p) for p in dots.get_offsets().tolist()]
    sizes = dict(zip(offsets, dots.get_sizes().tolist(), strict=True))
    plt.close(fig)
    assert set(offsets) == {(5.0, 4.0), (6.0, 6.0), (3.0, 9.0)}
    assert sizes[(5.0, 4.0)] == 6 * sizes[(3.0, 9.0)] and sizes[(6.0, 6.0)] == 3 * sizes[(3.0, 9.0)]
