"""One section per instrument: headline finding, group findings, charts, statistics table."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .change import change_chart
from .content import (
    RCI_COUNTS,
    Chart,
    OutcomeSection,
    ReportSettings,
    Table,
    record_key,
)
from .findings import (
    ancova_sentence,
    paired_finding,
    unlinked_finding,
)
from .formatting import count, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import OutcomeInfo, describe_outcome
from .privacy import Disclosure
from .tables import (
    PAIRED_COLUMNS,
    PAIRED_WIDTHS,
    UNLINKED_COLUMNS,
    UNLINKED_WIDTHS,
    first_column,
    one_contrast,
    paired_rows,
    unlinked_rows,
)


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


def outcome_section(
    instrument: str,
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    settings: ReportSettings,
    primary: tuple[str, str] | None,
    change: dict[str, Any] | None = None,
) -> OutcomeSection | None:
    paired = [r for r in data.get("paired") or [] if r.get("instrument") == instrument]
    unlinked = [r for r in data.get("unlinked") or [] if r.get("instrument") == instrument]
    recs = paired or unlinked
    if not recs:
        return None
    scales = list(dict.fromkeys(str(r["scale"]) for r in recs))
    infos = {
        s: describe_outcome(instrument, s, next(r for r in recs if r["scale"] == s)) for s in scales
    }
    head = "total" if "total" in scales else scales[0]
    info = infos[head]
    title = info.instrument_name or info.label
    sec = OutcomeSection(id=f"outcome-{instrument}", title=f"{info.short_name}: {title}")
    sec.paragraphs.append(
        f"Headline scale: {info.name}, on {info.range_text} ({info.better_text})."
    )
    if paired:
        fw, tw = primary or (paired[0]["from_wave"], paired[0]["to_wave"])
        whole = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is None
            and r["from_wave"] == fw
            and r["to_wave"] == tw
        ]
        if whole:
            sec.finding = paired_finding(
                whole[0], info, d, record_key("paired", whole[0]), settings.alpha
            )
        groups = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is not None
            and r["from_wave"] == fw
            and r["to_wave"] == tw
        ]
        for rec in groups:
            sec.more.append(
                paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
            )
        later = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is None
            and r["from_wave"] == fw
            and r["to_wave"] != tw
        ]
        for rec in later:
            sec.more.append(
                f"From {rec['from_wave']} to {rec['to_wave']}: "
                + paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
            )
        for rec in data.get("ancova") or []:
            if (
                rec.get("instrument") == instrument
                and rec.get("scale") == head
                and rec.get("group") is not None
                and rec.get("adjusted_difference") is not None
            ):
                names = (rec.get("group"), rec.get("reference_group"))
                # Hidden when either group's own statistics are hidden for this contrast.
                shown = all(
                    d.shown(record_key("paired", {**rec, "group": g}) + "|stats") for g in names
                )
                sentence = ancova_sentence(rec, info, d, shown, settings.alpha)
                primary_contrast = (rec.get("from_wave"), rec.get("to_wave")) == (fw, tw)
                if primary_contrast and sec.finding is not None:
                    # The comparison-group result belongs with the headline (and the summary).
                    sec.finding.details.append(sentence)
                else:
                    sec.more.append(f"By the {rec.get('to_wave')} wave: {sentence}")
        dec = decimals_for_range(info.range_low, info.range_high)
        cell = [
            r for r in paired if r["scale"] == head and r["from_wave"] == fw and r["to_wave"] == tw
        ]
        mixed = next(
            (
                m
                for m in data.get("mixed_models") or []
                if m.get("instrument") == instrument
                and m.get("scale") == head
                and m.get("wave_means")
            ),
            None,
        )
        if mixed is not None:
            sec.charts.append(mixed_means_chart(instrument, info, mixed, d, dec))
            joint = mixed_test_sentence(mixed, d)
            if joint:
                sec.more.append(joint)
        else:
            sec.charts.append(means_chart(instrument, info, cell, d, dec))
        if change is not None and whole and d.shown(record_key("paired", whole[0]) + "|stats"):
            sec.charts.append(change_chart(instrument, info, change, d, fw, tw))
        if any(is_number(r.get("n_reliably_improved")) for r in cell):
            # Without a reliability coefficient there is no reliable change to draw.
            sec.charts.append(rci_chart(instrument, info, cell, d))
        # Results pooled from separate programmes keep each programme's own adjustment.
        pooled_sources = ((data.get("meta") or {}).get("settings") or {}).get("sources")
        family = "each programme's own analysis" if pooled_sources else "the analysis"
        sec.tables.append(
            Table(
                f"stats-{instrument}",
                f"{info.short_name}: change {_between(paired)}on every scale (linked pairs)",
                [first_column(paired), *PAIRED_COLUMNS[1:]],
                paired_rows(paired, infos, d),
                [
                    "Change = after − before. d_z = mean change ÷ SD of the changes, with a "
                    f"noncentral-t interval. Holm p is adjusted over every paired test in {family}"
                    ". Reliably improved/worse: Jacobson–Truax reliable change index "
                    "beyond ±1.96."
                ],
                widths=PAIRED_WIDTHS,
            )
        )
    else:
        head_rec = next(r for r in unlinked if r["scale"] == head and r.get("group") is None)
        sec.finding = unlinked_finding(
            head_rec, info, d, record_key("unlinked", head_rec), settings.alpha
        )
        dec = decimals_for_range(info.range_low, info.range_high)
        head_cell = [
            r
            for r in unlinked
            if r["scale"] == head
            and (r.get("from_wave"), r.get("to_wave"))
            == (head_rec.get("from_wave"), head_rec.get("to_wave"))
        ]
        chart = unlinked_means_chart(instrument, info, head_cell, d, dec)
        if chart is not None:
            sec.charts.append(chart)
        sec.tables.append(
            Table(
                f"stats-{instrument}",
                f"{info.short_name}: {_unlinked_waves(unlinked)} on every scale (unlinked surveys)",
                [first_column(unlinked), *UNLINKED_COLUMNS[1:]],
                unlinked_rows(unlinked, infos, d),
                [
                    "Unlinked design: the before and after answers come from two sets of "
                    "respondents who could not be matched, compared as independent groups "
                    "(Welch t test; Hedges' g with its 95% interval). Difference = after − "
                    "before. Holm p is adjusted over every unlinked test in the analysis."
                ],
                widths=UNLINKED_WIDTHS,
            )
        )
    return sec


def _between(recs: list[dict[str, Any]]) -> str:
    waves = one_contrast(recs)
    return f"from {waves[0]} to {waves[1]} " if waves else ""


def _unlinked_waves(recs: list[dict[str, Any]]) -> str:
    waves = one_contrast(recs)
    return f"{waves[0]} and {waves[1]} answers" if waves else "before and after"


def means_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure, dec: int
) -> Chart:
    series = group_chart_data(cell, d, dec)
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
        f"Average {info.name} before and after, with 95% confidence intervals (complete pairs).",
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
        "after (unlinked surveys), with 95% confidence intervals.",
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
    """The mixed model's joint test over all waves, in words and numbers, without a verdict.

    With groups, the test of whether the groups changed alike (``wave:<group>``); without,
    whether the average changed at all (``wave``). Left out when a group is hidden.

    Examples
    --------
    >>> m = {"group_column": None, "waves": ["pre", "post", "fu"], "wave_means": [],
    ...      "anova": [{"term": "wave", "num_df": 2, "den_df": 210.44, "f": 5.31,
    ...                 "p": 0.0056}]}
    >>> print(mixed_test_sentence(m, Disclosure()))  # doctest: +NORMALIZE_WHITESPACE
    Across all 3 waves (mixed model, every available answer), the test of whether the
    average changed: F(2, 210.4) = 5.31, p = 0.006.
    """
    group = mixed.get("group_column")
    term = f"wave:{group}" if group else "wave"
    test = next((a for a in mixed.get("anova") or [] if a.get("term") == term), None)
    if test is None or not is_number(test.get("f")) or _hidden_groups(_means_by_group(mixed), d):
        return None
    what = "whether the groups changed alike" if group else "whether the average changed"
    return (
        f"Across all {len(mixed.get('waves') or [])} waves (mixed model, every available "
        f"answer), the test of {what}: F({test['num_df']}, {num(test['den_df'], 1)}) = "
        f"{num(test['f'], 2)}, {pvalue(test['p'])}."
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
        series.append(
            {"group": group, "points": points, "n": max(int(c.get("n") or 0) for c in cells)}
        )
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
        alt += " Groups not shown for privacy: " + ", ".join(small) + "."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} at each wave, estimated by the mixed model from every available "
        "answer, with 95% confidence intervals.",
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
