"""Page 1, the Summary, built for a one-minute read (1:3:25; CDC Clear Communication Index).

Top to bottom: the main message; the programme, its period and its reach (every wave's
number of people); what the design can show; the headline table (programme group against
comparison group when there is one, everyone's change when every comparison involves a group
too small to show); the share beyond each scale's line before and after;
one bottom line per outcome, with follow-up; harm flags. No test names, no p values: the
Methods section carries those.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._score_keys import ScoreKeys
from .bottom_line import (
    attrition_caveat,
    bottom_line,
    harm_sentence,
    main_message,
    unlinked_bottom_line,
    unlinked_main_message,
)
from .content import ReportSettings, Section
from .cutoff_shares import ShareRow, register_cutoff_shares, share_table
from .findings import Finding, design_sentence
from .glance import glance_table, whole_sample_record
from .headline import collect_headlines, groups_not_compared, headline_table
from .participation import flow_sentence, followup_waves, is_none_lost
from .privacy import Disclosure


def headline_scales(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(instrument, headline scale) in report order: "total" where there is one, else the
    first scale, as the outcome sections choose it."""
    recs = (data.get("paired") or []) or (data.get("unlinked") or [])
    scales: dict[str, list[str]] = {}
    for r in recs:
        scales.setdefault(str(r["instrument"]), [])
        if str(r["scale"]) not in scales[str(r["instrument"])]:
            scales[str(r["instrument"])].append(str(r["scale"]))
    return [(i, "total" if "total" in s else s[0]) for i, s in scales.items()]


def register_summary(
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    primary: tuple[str, str] | None,
    followups: list[str],
    d: Disclosure,
    keys: ScoreKeys | None = None,
) -> list[ShareRow]:
    """Register what only page 1 prints (the shares beyond each line); before resolve()."""
    if primary is None or not data.get("paired"):
        return []
    contrasts = [primary, *((primary[0], fu) for fu in followups)]
    return register_cutoff_shares(data, scores, headline_scales(data), contrasts, d, keys)


def reach_sentence(
    flow: list[tuple[str, str, str | None, str | None]],
    groups: list[str],
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> str | None:
    """Who took part and every wave's number of people, in one sentence."""
    if not flow or primary is None:
        return None
    if "flow|both" not in d.values:
        return "Reach: " + flow_sentence(flow, d, primary)
    fw, tw = primary
    shown = [g for g in groups if d.status(f"flowg|{g}|pre") != "small"]
    split = ", ".join(f"{d.mark(f'flowg|{g}|pre')} in the {g} group" for g in shown)
    unnamed = len(groups) - len(shown)
    if unnamed:
        small = "a small group" if unnamed == 1 else f"{unnamed} small groups"
        split += f", and {small} not named" if split else f"{small} not named"
    text = f"Reach: {d.mark('flow|pre')} people answered the {fw} survey"
    text += f" ({split})" if split else ""
    text += f"; {d.mark('flow|both')} also answered the {tw} survey"
    if is_none_lost(d, "flow|unscorable"):
        text += " and all were analysed"
    elif "flow|analysed" in d.values:
        text += f" and {d.mark('flow|analysed')} were analysed"
    for fu in followup_waves(flow):
        text += f"; {d.mark(f'flow|fu|{fu}')} answered the {fu} survey"
    return text + "."


NOT_COMPARED = (
    "The groups are not compared on this page: one of them is too small to report, and none "
    "of the comparisons the analysis made can be shown without giving it away. The changes "
    "below are everyone's, all groups together, so they show what happened, not that the "
    "programme caused it."
)
"""What page 1 says in place of the design sentence when no pair of groups can be shown."""


def build_summary(
    data: dict[str, Any],
    findings: list[Finding],
    flow: list[tuple[str, str, str | None, str | None]],
    groups: list[str],
    shares: list[ShareRow],
    d: Disclosure,
    settings: ReportSettings,
    primary: tuple[str, str] | None,
    has_comparison: bool,
    linked: bool,
) -> Section:
    """The Summary section; every count it prints was registered before the audit ran."""
    summary = Section("summary", "Summary")
    heads = collect_headlines(data, findings, primary, d)
    message = main_message(heads, d, settings.alpha) if heads else unlinked_main_message(findings)
    if message:
        summary.paragraphs.append(message)
    programme = next((h.programme for h in heads if h.programme), None)
    groups = sorted(groups, key=lambda g: g != programme)
    reach = reach_sentence(flow, groups, d, primary)
    # A tiny comparison group leaves no comparison page 1 could show: everyone's change
    # leads instead (headline.headline_pair), and the design sentence says what it is.
    design = NOT_COMPARED if groups_not_compared(heads) else design_sentence(has_comparison, linked)
    summary.paragraphs.append(" ".join(x for x in (reach, design) if x))
    table = headline_table(heads, d, settings.alpha)
    if table is None:
        table = glance_table(data, findings, d, primary)
    if table is not None:
        summary.tables.append(table)
    names = {h.info.instrument: h.info.short_name for h in heads}
    shares_shown = share_table(shares, names, d, programme)
    if shares_shown is not None:
        summary.tables.append(shares_shown)
    if heads:
        summary.bullets = [bottom_line(h, shares, d, settings.alpha) for h in heads]
        summary.bullets += [
            s for h in heads if (s := harm_sentence(h, d, settings.alpha)) is not None
        ]
        summary.bullets += attrition_caveat(data, heads, d, settings.alpha)
    else:
        unlinked = data.get("unlinked") or []
        summary.bullets = [
            unlinked_bottom_line(f, whole_sample_record(unlinked, f, primary), d)
            for f in findings
            if primary is not None
        ]
    return summary
