"""The distribution of individual change, as a histogram that carries no one's own scores.

A before/after scatter plot draws one mark per person, and an SVG keeps each mark's exact
coordinates, so every pair of scores could be read back. This chart shows instead how many
people changed by how much: bins of change (after − before) in score points, split at the
reliable-change band so that the bins on each side add up to the reliably improved,
no-reliable-change and reliably worse counts of the statistics table. Bins with fewer people
than the threshold are merged with their neighbour (from the tails inward); any still under
it are suppressed. Every bin is a count registered with the report's
:class:`~stigma_outcomes.report.privacy.Disclosure`, with the relations above, so the audit
sees the chart exactly as it sees the tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..comparison.records.meta import run_settings
from ._score_keys import ScoreKeys
from .content import Chart, record_key
from .formatting import is_number, num
from .outcomes import OutcomeInfo
from .privacy import Disclosure

CATEGORIES = ("n_reliably_deteriorated", "n_no_reliable_change", "n_reliably_improved")
BIN_COST = 0.5
"""Bins are the cheapest counts to hide: the table beside the chart keeps every total."""


def individual_change(
    scores: pd.DataFrame | None,
    instrument: str,
    scale: str,
    fw: str,
    tw: str,
    keys: ScoreKeys | None = None,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Each complete pair's change (after − before), sorted so order carries no identity.

    A pair is a person's first ok score on the scale at ``fw`` and at ``tw`` (a missing
    participant code is one person). ``rows``: a mask of the score rows to keep (one
    group's); ``keys``: the scores' codes, shared with the rest of the report.
    """
    if scores is None or scores.empty:
        return np.array([], dtype=float)
    keys = keys if keys is not None else ScoreKeys(scores)
    mine = keys.outcome_rows(instrument, scale)
    if rows is not None:
        mine = mine[rows[mine]]
    pre = keys.first_rows(mine[keys.text_is("wave", fw)[mine]])
    post = keys.first_rows(mine[keys.text_is("wave", tw)[mine]])
    both = (pre >= 0) & (post >= 0)
    score = keys.score
    return np.sort(score[post[both]] - score[pre[both]])


def _merge(counts: list[tuple[int, int, int]], t: int) -> list[tuple[int, int, int]]:
    """Merge runs of adjacent bins (lo, hi, n), in the given order, until each has >= t.

    Examples
    --------
    >>> _merge([(5, 5, 1), (4, 4, 2), (3, 3, 9), (2, 2, 6)], 5)
    [(3, 5, 12), (2, 2, 6)]
    """
    out: list[tuple[int, int, int]] = []
    acc: tuple[int, int, int] | None = None
    for lo, hi, n in counts:
        acc = (lo, hi, n) if acc is None else (min(acc[0], lo), max(acc[1], hi), acc[2] + n)
        if acc[2] >= t:
            out.append(acc)
            acc = None
    if acc is not None:
        if out and 0 < acc[2] < t:
            lo, hi, n = out.pop()
            acc = (min(lo, acc[0]), max(hi, acc[1]), n + acc[2])
        out.append(acc)
    return out


def register_change_bins(
    rec: dict[str, Any],
    change: np.ndarray,
    d: Disclosure,
    scale_range: tuple[float | None, float | None],
) -> dict[str, Any] | None:
    """Count people per bin of change, merge small bins, register the bins; chart data.

    Returns ``None`` (and registers nothing) when the scores do not reproduce the record's
    counts, as then the bins could not be tied to the table's totals.
    """
    key = record_key("paired", rec)
    n = rec.get("n_pairs")
    if not len(change) or not is_number(n) or len(change) != int(n):
        return None
    band = rec.get("rci_threshold") if is_number(rec.get("rci_threshold")) else None
    s_diff, sign = rec.get("rci_s_diff"), rec.get("improvement_sign")
    t = int(d.threshold)
    if band and is_number(s_diff) and sign in (1, -1, 1.0, -1.0):
        from ..comparison.rci import RCI_CRITICAL

        width = float(band) / 2
        directed = float(sign) * change / float(s_diff)
        cat = np.where(directed > RCI_CRITICAL, 2, np.where(directed < -RCI_CRITICAL, 0, 1))
        if float(sign) < 0:
            cat = 2 - cat  # categories run from the left of the axis: lowest change first
        names = CATEGORIES if float(sign) > 0 else CATEGORIES[::-1]
        expected = [rec.get(name) for name in names]
        if any(int(np.sum(cat == i)) != e for i, e in enumerate(expected)):
            return None
    else:
        low, high = scale_range
        width = (high - low) / 10 if low is not None and high is not None and high > low else 1.0
        cat = np.zeros(len(change), dtype=int)
        names = ("n_pairs",)
    index = np.floor(change / width + 1e-9).astype(int)
    if len(names) == 3:
        # Keep each category's bins on its own side of the band's edges (at ±2 bins).
        index = np.where(cat == 0, np.minimum(index, -3), index)
        index = np.where(cat == 1, np.clip(index, -2, 1), index)
        index = np.where(cat == 2, np.maximum(index, 2), index)
    bins = []
    for c, name in enumerate(names):
        idx = index[cat == c]
        if not len(idx):
            continue
        lo, hi = int(idx.min()), int(idx.max())
        counts = np.bincount(idx - lo, minlength=hi - lo + 1)
        run = [(lo + i, lo + i, int(v)) for i, v in enumerate(counts)]
        # Tails first: small counts far from the band fold into their inner neighbours.
        if len(names) == 3 and c == 0:
            merged = _merge(run, t)
        elif len(names) == 3 and c == 2:
            merged = _merge(run[::-1], t)
        else:
            merged = _merge(run, t)
        parts = []
        for b_lo, b_hi, b_n in sorted(merged):
            bin_key = f"{key}|bin:{c}:{b_lo}:{b_hi}"
            d.count(bin_key, b_n, cost=BIN_COST)
            d.derived(bin_key, f"{key}|n_pairs")
            parts.append(bin_key)
            bins.append({"key": bin_key, "low": b_lo * width, "high": (b_hi + 1) * width})
        d.relation(f"{key}|{name}", parts)
    return {"bins": bins, "band": band, "width": width, "improvement_sign": sign}


def _bin_words(b: dict[str, Any], dec: int) -> str:
    if b.get("open") == "low":
        return f"{num(b['high'], dec, signed=True)} or less"
    if b.get("open") == "high":
        return f"{num(b['low'], dec, signed=True)} or more"
    return f"{num(b['low'], dec, signed=True)} to {num(b['high'], dec, signed=True)}"


def _panel_bars(spec: dict[str, Any], d: Disclosure) -> list[dict[str, Any]]:
    bars = []
    for b in spec["bins"]:
        shown = d.shown(b["key"])
        value = d.values.get(b["key"], 0)
        bars.append(
            {
                "low": b["low"],
                "high": b["high"],
                "n": value if shown else None,
                "mark": d.mark(b["key"]),
            }
        )
    # The outermost bins are open-ended and drawn one bin wide, so no edge of the chart
    # tells where the most extreme person's change lies.
    width = spec["width"]
    if len(bars) > 1:
        bars[0]["low"] = bars[0]["high"] - width
        bars[0]["open"] = "low"
        bars[-1]["high"] = bars[-1]["low"] + width
        bars[-1]["open"] = "high"
    return bars


def change_chart(
    instrument: str,
    info: OutcomeInfo,
    panels: list[tuple[str | None, dict[str, Any]]],
    d: Disclosure,
    fw: str,
    tw: str,
    groups_together: bool = False,
) -> Chart:
    """The histogram, one panel per group (or one for everyone), with each bin's count or
    its privacy mark, and alt text that reads it.

    ``panels``: (group, spec) pairs from :func:`register_changes`, group ``None`` for the
    whole sample. ``groups_together``: a single whole-sample panel of a sample with groups;
    the caption then says that it counts all groups together.
    """
    spec = panels[0][1]
    width = spec["width"]
    dec = 2 if width < 1 else 1
    band = spec.get("band")
    sign = spec.get("improvement_sign")
    better = "right" if sign == 1 else "left" if sign == -1 else None
    drawn = []
    counts = []
    for group, one in panels:
        bars = _panel_bars(one, d)
        drawn.append({"group": group, "bars": bars})
        words = "; ".join(f"{_bin_words(b, dec)}: {b['mark']}" for b in bars)
        counts.append(f"{group + ' group' if group else 'People'} per bin: {words}.")
    alt = (
        f"Histogram of how much each participant's {info.name} changed from {fw} to {tw} "
        "(after minus before, in score points), counted in bins"
        + (", one panel per group" if len(panels) > 1 else "")
        + "; no individual scores are shown. "
        + " ".join(counts)
    )
    if band is not None:
        alt += (
            f" The shaded band from −{num(band, 2)} to +{num(band, 2)} marks changes too "
            "small to tell from measurement error."
        )
    if better:
        alt += f" Improvement is to the {better}."
    if any(b["n"] is None for p in drawn for b in p["bars"]):
        alt += f" Bins marked “<{d.threshold}” or “‡” are not drawn, for privacy."
    if len(panels) > 1:
        whom = " in each group"
    elif groups_together:
        whom = " (everyone with both surveys, all groups together)"
    else:
        whom = ""
    return Chart(
        f"change-{instrument}",
        "change",
        f"How much {info.name} changed, person by person{whom}, counted in bins"
        + ("; the band marks changes too small to tell from measurement error." if band else "."),
        alt,
        {
            "bars": drawn[0]["bars"],
            "panels": drawn if len(drawn) > 1 else [],
            "band": band,
            "better": better,
            "xlabel": f"Change in {info.label} ({tw} − {fw}, score points)",
            "threshold": d.threshold,
        },
    )


def register_changes(
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
    keys: ScoreKeys | None = None,
) -> dict[str, list[tuple[str | None, dict[str, Any]]]]:
    """Register the histogram of each instrument's headline scale; chart panels by instrument.

    The headline scale is the outcome sections' (the total if there is one, else the
    first), for the main contrast. With groups (``meta.settings.group_by`` in the scores,
    every group at least the threshold), one panel per group, each tied to its group's
    reliable-change counts, and no whole-sample histogram (which would mix the programme
    with its comparison); otherwise one panel for the whole sample.
    """
    from .outcomes import describe_outcome

    paired = data.get("paired") or []
    if primary is None or scores is None:
        return {}
    group_col = run_settings(data).get("group_by")
    keys = ScoreKeys(scores) if keys is None else keys
    has_groups = bool(group_col) and group_col in scores.columns
    out: dict[str, list[tuple[str | None, dict[str, Any]]]] = {}
    for instrument in dict.fromkeys(str(r["instrument"]) for r in paired):
        recs = [
            r
            for r in paired
            if str(r["instrument"]) == instrument
            and (str(r.get("from_wave")), str(r.get("to_wave"))) == primary
        ]
        scales = list(dict.fromkeys(str(r["scale"]) for r in recs))
        if not scales:
            continue
        head = "total" if "total" in scales else scales[0]
        cell = [r for r in recs if str(r["scale"]) == head]
        whole = next((r for r in cell if r.get("group") is None), None)
        if whole is None:
            continue
        info = describe_outcome(instrument, head, whole)
        scale_range = (info.range_low, info.range_high)
        panels = (
            _group_panels(cell, keys, group_col, d, instrument, head, primary, scale_range)
            if has_groups
            else []
        )
        if not panels:
            change = individual_change(scores, instrument, head, *primary, keys=keys)
            spec = register_change_bins(whole, change, d, scale_range)
            panels = [(None, spec)] if spec is not None else []
        if panels:
            out[instrument] = panels
    return out


def _group_panels(
    cell: list[dict[str, Any]],
    keys: ScoreKeys,
    group_col: str,
    d: Disclosure,
    instrument: str,
    scale: str,
    primary: tuple[str, str],
    scale_range: tuple[float | None, float | None],
) -> list[tuple[str | None, dict[str, Any]]]:
    groups = [r for r in cell if r.get("group") is not None]
    if len(groups) < 2:
        return []
    if any(not is_number(r.get("n_pairs")) or r["n_pairs"] < d.threshold for r in groups):
        return []  # a small group: the whole-sample histogram instead, as before
    # Each group's rows are those whose group, as text, is the record's group.
    changes = [
        (
            r,
            individual_change(
                keys.scores,
                instrument,
                scale,
                *primary,
                keys=keys,
                rows=keys.text_is(group_col, str(r["group"])),
            ),
        )
        for r in groups
    ]
    # Nothing is registered unless every group's scores reproduce its record.
    if any(len(c) != int(r["n_pairs"]) for r, c in changes):
        return []
    panels: list[tuple[str | None, dict[str, Any]]] = []
    for rec, change in changes:
        spec = register_change_bins(rec, change, d, scale_range)
        if spec is not None:
            panels.append((str(rec["group"]), spec))
    return panels
