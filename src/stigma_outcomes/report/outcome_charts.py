"""The charts of one outcome section: averages by wave (two waves, unlinked surveys, or a
mixed model's estimates over more), and reliable change by group.

The averages are drawn on the scale's whole range (``range`` in the chart data), so that a
small change looks small; the Y axis never starts wherever the data happen to.
"""

from __future__ import annotations

import math
from typing import Any

from .content import RCI_COUNTS, Chart, record_key
from .formatting import count, interval, is_number, num, pvalue
from .outcomes import OutcomeInfo
from .privacy import Disclosure


def group_chart_data(recs: list[dict[str, Any]], d: Disclosure, dec: int) -> list[dict[str, Any]]:
    """Means with t intervals per wave for each shown group, from the table's own numbers."""
    from ..comparison.distributions import t as t_dist

    series = []
    for rec in recs:
        key = record_key("paired", rec)
        n = rec.get("n_pairs")
        if not d.shown(f"{key}|stats") or not is_number(n) or n < 2:
            continue
        q = float(t_dist.ppf(0.975, n - 1))
        points = []
        for side, wave in (("pre", rec.get("from_wave")), ("post", rec.get("to_wave"))):
            m, s = rec.get(f"{side}_mean"), rec.get(f"{side}_sd")
            if not (is_number(m) and is_number(s)):
                continue
            half = q * float(s) / math.sqrt(n)
            points.append(
                {
                    "wave": str(wave),
                    "mean": float(m),
                    "low": float(m) - half,
                    "high": float(m) + half,
                }
            )
        series.append({"group": rec.get("group") or "Everyone", "points": points, "n": int(n)})
    return series


def _groups_only(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With two or more groups shown, the groups alone: a line or bar for everyone mixes
    the programme with its comparison (the change table keeps the whole-sample row).

    Examples
    --------
    >>> [s["group"] for s in _groups_only([{"group": "Everyone"}, {"group": "A"},
    ...                                      {"group": "B"}])]
    ['A', 'B']
    >>> [s["group"] for s in _groups_only([{"group": "Everyone"}, {"group": "A"}])]
    ['Everyone', 'A']
    """
    groups = [s for s in items if s["group"] != "Everyone"]
    return groups if len(groups) >= 2 else items


def _axis_words(info: OutcomeInfo) -> str:
    """The caption's note on the vertical axis: the scale's whole range, when known.

    Examples
    --------
    >>> _axis_words(OutcomeInfo("x", "t", "X", "X", None, 1, 4))
    '; the vertical axis spans the whole 1–4 scale'
    """
    if info.range_low is None or info.range_high is None:
        return ""
    return f"; the vertical axis spans the whole {info.range_text.removeprefix('the ')}"


def means_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure, dec: int
) -> Chart:
    series = _groups_only(group_chart_data(cell, d, dec))
    bits = []
    for s in series:
        pts = "; ".join(
            f"{p['wave']} {num(p['mean'], dec)} (95% CI {interval(p['low'], p['high'], dec)})"
            for p in s["points"]
        )
        bits.append(f"{s['group']}: {pts}")
    hidden = [
        r.get("group")
        for r in cell
        if r.get("group") is not None and not d.shown(record_key("paired", r) + "|stats")
    ]
    alt = (
        f"Line chart of average {info.name} score by survey wave, with 95% confidence "
        f"intervals, on {info.range_text} ({info.better_text}). " + ". ".join(bits) + "."
    )
    if hidden:
        # Hidden groups are counted, never named.
        alt += f" {len(hidden)} group{'s' if len(hidden) > 1 else ''} not shown for privacy."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} before and after, with 95% confidence intervals (complete "
        f"pairs){_axis_words(info)}.",
        alt,
        {
            "series": series,
            "ylabel": f"{info.label} ({info.better_text})",
            "range": [info.range_low, info.range_high],
        },
    )


def unlinked_means_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure, dec: int
) -> Chart | None:
    """Averages before and after for two unlinked sets of respondents, with t intervals."""
    from ..comparison.distributions import t as t_dist

    series = []
    hidden = []
    for rec in cell:
        key = record_key("unlinked", rec)
        if not d.shown(f"{key}|stats"):
            hidden.append(str(rec.get("group") or "Everyone"))
            continue
        points = []
        for side, wave in (("before", rec.get("from_wave")), ("after", rec.get("to_wave"))):
            m, sd, n = rec.get(f"mean_{side}"), rec.get(f"sd_{side}"), rec.get(f"n_{side}")
            if not (is_number(m) and is_number(sd) and is_number(n)) or n < 2:
                continue
            half = float(t_dist.ppf(0.975, n - 1)) * float(sd) / math.sqrt(n)
            points.append({"wave": str(wave), "mean": float(m), "low": m - half, "high": m + half})
        if points:
            n_max = max(int(rec.get(f"n_{x}") or 0) for x in ("before", "after"))
            series.append({"group": rec.get("group") or "Everyone", "points": points, "n": n_max})
    if not series:
        return None
    bits = [
        f"{s['group']}: "
        + "; ".join(
            f"{p['wave']} {num(p['mean'], dec)} (95% CI {interval(p['low'], p['high'], dec)})"
            for p in s["points"]
        )
        for s in series
    ]
    alt = (
        f"Line chart of average {info.name} before and after, with 95% confidence intervals, "
        f"on {info.range_text} ({info.better_text}); the two waves are different, unlinked "
        "sets of respondents. " + ". ".join(bits) + "."
    )
    if hidden:
        # Hidden groups are counted, never named.
        alt += f" {len(hidden)} group{'s' if len(hidden) > 1 else ''} not shown for privacy."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} among those who answered before and those who answered "
        f"after (unlinked surveys), with 95% confidence intervals{_axis_words(info)}.",
        alt,
        {
            "series": series,
            "ylabel": f"{info.label} ({info.better_text})",
            "range": [info.range_low, info.range_high],
            "n_label": "most at one wave",
        },
    )


def _means_by_group(mixed: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    by_group: dict[str, list[dict[str, Any]]] = {}
    for cell in mixed.get("wave_means") or []:
        by_group.setdefault(cell.get("group") or "Everyone", []).append(cell)
    return by_group


def _hidden_groups(by_group: dict[str, list[dict[str, Any]]], d: Disclosure) -> list[str]:
    """Groups of a mixed model the report may not show.

    A group with fewer people than the threshold at any wave is left out, together with the
    next smallest group (the mixed model has no whole-sample line to subtract from).
    """
    small = [
        g
        for g, cells in by_group.items()
        if any(0 < (c.get("n") or 0) < d.threshold for c in cells)
    ]
    if small and len(by_group) > 1:
        rest = sorted(
            (min(c.get("n") or 0 for c in cells), g)
            for g, cells in by_group.items()
            if g not in small
        )
        small += [rest[0][1]] if len(small) == 1 and rest else []
    return small


def mixed_test_sentence(mixed: dict[str, Any], d: Disclosure) -> str | None:
    """The mixed model's joint test over all waves, in words and its p, without a verdict
    (the F statistic is in the technical annex).

    With groups, the test of whether the groups changed alike (``wave:<group>``); without,
    whether the average changed at all (``wave``). Left out when a group is hidden.

    Examples
    --------
    >>> m = {"group_column": None, "waves": ["pre", "post", "fu"], "wave_means": [],
    ...      "anova": [{"term": "wave", "num_df": 2, "den_df": 210.44, "f": 5.31,
    ...                 "p": 0.0056}]}
    >>> print(mixed_test_sentence(m, Disclosure()))  # doctest: +NORMALIZE_WHITESPACE
    Using every answer given at any of the 3 waves (people who missed a wave included), the
    test of whether the average changed at all across the waves: p = 0.006 (details in the
    technical annex).
    """
    group = mixed.get("group_column")
    term = f"wave:{group}" if group else "wave"
    test = next((a for a in mixed.get("anova") or [] if a.get("term") == term), None)
    if test is None or not is_number(test.get("f")) or _hidden_groups(_means_by_group(mixed), d):
        return None
    what = (
        "the groups changed alike across the waves"
        if group
        else "the average changed at all across the waves"
    )
    return (
        f"Using every answer given at any of the {len(mixed.get('waves') or [])} waves "
        f"(people who missed a wave included), the test of whether {what}: {pvalue(test['p'])} "
        "(details in the technical annex)."
    )


def mixed_means_chart(
    instrument: str, info: OutcomeInfo, mixed: dict[str, Any], d: Disclosure, dec: int
) -> Chart:
    """Model-estimated means per wave (every available answer), for more than two waves."""
    by_group = _means_by_group(mixed)
    small = _hidden_groups(by_group, d)
    series = []
    for group, cells in by_group.items():
        if group in small:
            continue
        points = [
            {
                "wave": str(c["wave"]),
                "mean": float(c["mean"]),
                "low": float(c["ci_low"]),
                "high": float(c["ci_high"]),
            }
            for c in cells
            if is_number(c.get("mean")) and is_number(c.get("ci_low"))
        ]
        # The legend's "up to n per wave", as the audit decided (a hidden one is left out).
        most = f"mixed|{mixed.get('instrument')}|{mixed.get('scale')}|{group}|n_most"
        n_most = max(int(c.get("n") or 0) for c in cells)
        series.append({"group": group, "points": points, "n": n_most if d.shown(most) else None})
    bits = [
        "; ".join(
            f"{s['group']} {p['wave']} {num(p['mean'], dec)} (95% CI "
            f"{interval(p['low'], p['high'], dec)})"
            for p in s["points"]
        )
        for s in series
    ]
    alt = (
        f"Line chart of the model-estimated average {info.name} at each survey wave, with "
        f"95% confidence intervals, on {info.range_text} ({info.better_text}). "
        + ". ".join(bits)
        + "."
    )
    if small:
        # Counted, never named: a group too small to show is named nowhere (docs/outputs.md).
        alt += f" {len(small)} group{'s' if len(small) > 1 else ''} not shown for privacy."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} at each wave, estimated from every available answer, with 95% "
        f"confidence intervals{_axis_words(info)}.",
        alt,
        {
            "series": series,
            "ylabel": f"{info.label} ({info.better_text})",
            "range": [info.range_low, info.range_high],
            "n_label": "most at one wave",
        },
    )


def rci_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure
) -> Chart:
    bars = []
    for rec in cell:
        key = record_key("paired", rec)
        if not d.shown(f"{key}|n_pairs"):
            continue
        values = {}
        for name in RCI_COUNTS:
            k = f"{key}|{name}"
            values[name] = rec.get(name) if d.shown(k) else None
        marks = {name: d.mark(f"{key}|{name}") for name in RCI_COUNTS}
        bars.append(
            {
                "group": rec.get("group") or "Everyone",
                "n": rec.get("n_pairs"),
                "values": values,
                "marks": marks,
            }
        )
    bars = _groups_only(bars)
    words = {
        "n_reliably_improved": "reliably improved",
        "n_no_reliable_change": "no reliable change",
        "n_reliably_deteriorated": "reliably deteriorated",
    }
    alt_parts = []
    for b in bars:
        cells = [
            f"{b['marks'][k] if b['values'][k] is None else count(b['values'][k])} {w}"
            for k, w in words.items()
        ]
        alt_parts.append(f"{b['group']} (n = {count(b['n'])}): " + ", ".join(cells))
    return Chart(
        f"rci-{instrument}",
        "rci",
        f"Participants whose {info.name} reliably improved, did not change reliably, or "
        "reliably deteriorated.",
        f"Horizontal stacked bar chart of reliable change in {info.name}. "
        + "; ".join(alt_parts)
        + ".",
        {"bars": bars, "labels": words},
    )
