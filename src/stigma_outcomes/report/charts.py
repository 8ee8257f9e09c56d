"""Charts for the report, drawn with matplotlib as SVG.

One style for every chart: the Okabe–Ito colour-blind-safe palette (no yellow for lines or
text), and a second cue besides colour in every chart (marker shape and line style per
group, hatching per bar segment, direct labels), so that a greyscale print still reads.
SVG output is made reproducible (fixed hash salt, no date) so that the same model always
gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from .chart_style import (
    BAR_HEIGHT,
    LABEL_MIN_PERCENT,
    LINESTYLES,
    MARKERS,
    MIN_FONT_PT,
    PRINT_SHARE,
    RCI_STYLE,
    SERIES_COLOURS,
    WIDTH_IN,
)
from .content import Chart
from .escape import chart_data
from .formatting import percent

_CACHE: dict[int, tuple[Chart, str]] = {}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "stigma-outcomes",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "legend.fontsize": 8.5,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            # Labels from data are text, never mathtext: '$\\frac{a$' is drawn as typed.
            "text.parse_math": False,
        }
    )
    return plt


def render_svg(chart: Chart) -> str:
    """Draw ``chart`` and return standalone SVG text.

    Examples
    --------
    >>> from stigma_outcomes.report.content import Chart
    >>> svg = render_svg(Chart("f", "flow", "c", "a", {"steps": [
    ...     {"label": "Took part", "n": "40", "loss": None}]}))
    >>> svg.lstrip().startswith("<?xml")
    True
    """
    cached = _CACHE.get(id(chart))
    if cached is not None and cached[0] is chart:
        return cached[1]
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    plt = _pyplot()
    fig = draw_figure(plt, chart)
    buffer = io.StringIO()
    # Printed straight from an SVG canvas: the figure is laid out (constrained layout) and
    # drawn in one pass. savefig() would first draw it once more with drawing switched off,
    # only to lay it out; the bytes are the same either way (tests/report/test_charts.py).
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return remember(chart, buffer.getvalue())


def remember(chart: Chart, svg: str) -> str:
    """Keep ``chart``'s SVG text while the chart lives: PDF, HTML and Markdown of one report
    draw the same charts (also filled by :mod:`.chart_worker`'s child)."""
    _CACHE[id(chart)] = (chart, svg)
    if len(_CACHE) > 64:
        _CACHE.pop(next(iter(_CACHE)))
    return svg


def draw_figure(plt: Any, chart: Chart) -> Any:
    """The matplotlib figure of ``chart``, drawn at its print size (the caller closes it)."""
    drawer = {
        "means": _means,
        "change": _change,
        "rci": _rci,
        "flow": _flow,
        "forest": _forest,
    }[chart.kind]
    return drawer(plt, chart_data(chart.data))


def _means(plt: Any, data: dict[str, Any]) -> Any:
    series = data["series"]
    fig, ax = plt.subplots(figsize=(WIDTH_IN * PRINT_SHARE["means"], 2.7), layout="constrained")
    waves: list[str] = []
    for s in series:
        for p in s["points"]:
            if p["wave"] not in waves:
                waves.append(p["wave"])
    offset_step = 0.08
    for i, s in enumerate(series):
        xs = [
            waves.index(p["wave"]) + (i - (len(series) - 1) / 2) * offset_step for p in s["points"]
        ]
        ys = [p["mean"] for p in s["points"]]
        err = [
            [p["mean"] - p["low"] for p in s["points"]],
            [p["high"] - p["mean"] for p in s["points"]],
        ]
        ax.errorbar(
            xs,
            ys,
            yerr=err,
            color=SERIES_COLOURS[i % 6],
            marker=MARKERS[i % 6],
            linestyle=LINESTYLES[i % 6],
            capsize=3,
            linewidth=1.6,
            markersize=5,
            label=(
                s["group"]
                if s.get("n") is None  # a count the disclosure audit hid
                else f"{s['group']} (up to {s['n']:,} per wave)"
                if data.get("n_label")
                else f"{s['group']} (n = {s['n']:,})"
            ),
        )
    ax.set_xticks(range(len(waves)), waves)
    ax.set_xlim(-0.5, max(len(waves), 1) - 0.5)  # no waves: still a non-empty axis
    ax.set_ylabel(_wrap(data["ylabel"], 34))
    low, high = (data.get("range") or [None, None])[:2]
    if low is not None and high is not None and high > low:
        # The scale's whole range: a small change looks as small as it is.
        pad = 0.03 * (high - low)
        ax.set_ylim(low - pad, high + pad)
    if series:
        # On the whole range the lines leave room inside the axes for the legend.
        ax.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="best")
    else:
        ax.text(0.5, 0.5, "not shown for privacy", transform=ax.transAxes, ha="center")
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    return fig


def _change(plt: Any, data: dict[str, Any]) -> Any:
    """Histogram of individual change: one bar per bin of people, never a mark per person;
    one panel per group when the data has panels, stacked on one axis of change."""
    panels = data.get("panels") or [{"group": None, "bars": data["bars"]}]
    height = 2.7 if len(panels) == 1 else 1.25 * len(panels) + 1.3
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(WIDTH_IN * PRINT_SHARE["change"], height),
        layout="constrained",
        sharex=True,
        squeeze=False,
    )
    band = data.get("band")
    for i, panel in enumerate(panels):
        ax = axes[i][0]
        _change_panel(ax, panel["bars"], band)
        if panel.get("group"):
            ax.set_title(str(panel["group"]), loc="left", fontsize=9)
        ax.set_ylabel("People")
    ax = axes[-1][0]
    better = f"; improvement is to the {data['better']}" if data.get("better") else ""
    ax.set_xlabel(_wrap(data["xlabel"] + better, 46))
    if band is not None and len(panels) > 1:
        # Above the panels, clear of each panel's group name.
        fig.legend(
            *axes[0][0].get_legend_handles_labels(), frameon=False, loc="outside upper right"
        )
    elif band is not None:
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2)
    return fig


def _change_panel(ax: Any, bars: list[dict[str, Any]], band: float | None) -> None:
    if band is not None:
        ax.axvspan(
            -band, band, color="#E0E0E0", linewidth=0, label=f"no reliable change (±{band:.2f})"
        )
    shown = [b for b in bars if b["n"] is not None]
    ax.bar(
        [b["low"] for b in shown],
        [b["n"] for b in shown],
        width=[b["high"] - b["low"] for b in shown],
        align="edge",
        color="#0072B2",
        edgecolor="#FFFFFF",
        linewidth=0.6,
    )
    top = max((b["n"] for b in shown), default=1) or 1
    for b in bars:
        if b["n"] is None:
            # A suppressed bin has no height; its mark sits on the axis instead.
            ax.text(
                (b["low"] + b["high"]) / 2,
                top * 0.02,
                b["mark"],
                ha="center",
                va="bottom",
                fontsize=MIN_FONT_PT,
            )
    ax.axvline(0, color="#000000", linewidth=0.8, linestyle="--")
    if bars:
        ax.set_xlim(min(b["low"] for b in bars), max(b["high"] for b in bars))
    ax.set_ylim(0, top * 1.1)


def _rci(plt: Any, data: dict[str, Any]) -> Any:
    bars = data["bars"]
    labels = data["labels"]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.42 * max(len(bars), 1) + 0.9), layout="constrained")
    for row, bar in enumerate(bars):
        left = 0.0
        total = float(bar["n"]) if bar["n"] else 1.0
        for name in labels:
            colour, hatch = RCI_STYLE[name]
            value = bar["values"][name]
            if value is None:
                continue
            width = 100.0 * float(value) / total
            ax.barh(
                row,
                width,
                height=BAR_HEIGHT,
                left=left,
                color=colour,
                hatch=hatch,
                edgecolor="#333333",
                linewidth=0.6,
                label=labels[name] if row == 0 else None,
            )
            # A label needs about 9 points of the axis at this size; narrower segments are
            # left unlabelled (their counts are in the table and the alt text) rather than
            # spilling over their neighbours or the axis.
            if width >= LABEL_MIN_PERCENT:
                ax.text(
                    left + width / 2,
                    row,
                    percent(value, bar["n"]),
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="#000000",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8},
                )
            left += width
        hidden = [f"{labels[k]} {bar['marks'][k]}" for k in labels if bar["values"][k] is None]
        if hidden:
            # Under the bar, inside the axes, so the bars keep the full width of the page.
            ax.text(
                0,
                row + BAR_HEIGHT / 2 + 0.04,
                "Not shown for privacy: " + ", ".join(hidden),
                va="top",
                fontsize=MIN_FONT_PT,
            )
    ax.set_yticks(range(len(bars)), [f"{b['group']} (n = {int(b['n']):,})" for b in bars])
    ax.set_ylim(len(bars) - 0.5 + 0.1, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of participants with both surveys")
    handles, names = ax.get_legend_handles_labels()
    if handles:
        ax.legend(
            handles,
            names,
            frameon=False,
            ncol=3,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
        )
    return fig


def _forest(plt: Any, data: dict[str, Any]) -> Any:
    """Sites as squares sized by their weight with 95% CIs, the pooled change as a diamond,
    and its prediction interval as a dashed line beneath it."""
    studies, pooled = data["studies"], data["pooled"]
    rows = len(studies) + 1
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.36 * rows + 1.0), layout="constrained")
    biggest = max((float(s["weight"] or 0) for s in studies), default=1.0) or 1.0
    for row, s in enumerate(studies):
        ax.plot([s["low"], s["high"]], [row, row], color="#000000", linewidth=1.2)
        size = 4 + 8 * (float(s["weight"] or 0) / biggest) ** 0.5
        ax.plot(s["estimate"], row, marker="s", color="#0072B2", markersize=size, linestyle="")
    y = len(studies) + 0.2
    if pooled.get("pi_low") is not None and pooled.get("pi_high") is not None:
        ax.plot(
            [pooled["pi_low"], pooled["pi_high"]],
            [y, y],
            color="#D55E00",
            linestyle="--",
            linewidth=1.2,
            zorder=2,
            label="95% prediction interval (a new site)",
        )
    low, mid, high = pooled["low"], pooled["estimate"], pooled["high"]
    ax.fill(
        [low, mid, high, mid],
        [y, y - 0.28, y, y + 0.28],
        color="#000000",
        zorder=3,  # the prediction interval shows only where it reaches beyond the CI
        label="pooled change [95% CI]",
    )
    ax.axvline(0, color="#777777", linewidth=0.8, linestyle=":")
    ax.set_yticks(range(rows), [s["label"] for s in studies] + [pooled["label"]])
    ax.set_ylim(rows - 0.3, -0.7)
    ax.set_xlabel(_wrap(data["xlabel"], 60))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.legend(frameon=False, ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return fig


def _flow(plt: Any, data: dict[str, Any]) -> Any:
    from matplotlib.patches import FancyBboxPatch

    steps = data["steps"]
    height = 0.8 * len(steps)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    fig.subplots_adjust(left=0, right=1, top=1, bottom=0)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, len(steps))
    ax.axis("off")
    for i, step in enumerate(steps):
        y = len(steps) - i - 0.5
        ax.add_patch(
            FancyBboxPatch(
                (0.2, y - 0.3),
                4.6,
                0.6,
                boxstyle="round,pad=0.02",
                facecolor="#FFFFFF",
                edgecolor="#0072B2",
                linewidth=1.2,
            )
        )
        ax.text(
            2.5,
            y,
            f"{_wrap(step['label'], 34)}\nn = {step['n']}",
            ha="center",
            va="center",
            fontsize=8.5,
        )
        if i + 1 < len(steps):
            ax.annotate(
                "",
                xy=(2.5, y - 0.68),
                xytext=(2.5, y - 0.32),
                arrowprops={"arrowstyle": "-|>", "color": "#000000", "lw": 1.0},
            )
        if step.get("loss"):
            ax.annotate(
                "",
                xy=(5.3, y - 0.5),
                xytext=(2.5, y - 0.5),
                arrowprops={"arrowstyle": "-|>", "color": "#D55E00", "lw": 1.0, "linestyle": "--"},
            )
            ax.text(
                5.4,
                y - 0.5,
                _wrap(f"Not carried forward: {step['loss']}", 52),
                va="center",
                fontsize=8.5,
            )
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)
