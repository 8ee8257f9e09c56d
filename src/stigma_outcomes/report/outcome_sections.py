"""One section per instrument: headline finding, group findings, caveats, charts, tables.

Per outcome: the chart of averages on the scale's whole range, the privacy-safe
distribution of individual change, reliable change by group; the change table with every
contrast (t test and Wilcoxon beside each other), and with a comparison group the difference
between the groups on every scale and whether the groups started alike. Caveats (people who
left started differently; the scale's items hung together poorly here) are said in words
where the numbers are.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .caveats import attrition_caveat, reliability_caveat
from .change import change_chart
from .content import OutcomeSection, ReportSettings, Table, record_key
from .contrasts import baseline_table, between_groups_table, group_name
from .findings import ancova_sentence, paired_finding, unlinked_finding
from .formatting import decimals_for_range, is_number
from .outcome_charts import (
    means_chart,
    mixed_means_chart,
    mixed_test_sentence,
    rci_chart,
    unlinked_means_chart,
)
from .outcomes import Definitions, OutcomeInfo
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

PAIRED_NOTE = (
    "Change = after − before, among people who answered both surveys. d_z = mean change ÷ "
    "SD of the changes. p, t test: adjusted for the number of tests in {family}; p, "
    "Wilcoxon: a check that does not assume the changes are normally distributed "
    "(unadjusted). Reliably better or worse: changed by more than measurement error alone "
    "would produce, as a % of the people in the row (n in brackets). Methods give the tests."
)


def outcome_section(
    instrument: str,
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    settings: ReportSettings,
    primary: tuple[str, str] | None,
    change: list[tuple[str | None, dict[str, Any]]] | None = None,
    definitions: Definitions | None = None,
) -> OutcomeSection | None:
    """The section of one instrument, or None when the results hold nothing for it."""
    paired = [r for r in data.get("paired") or [] if r.get("instrument") == instrument]
    unlinked = [r for r in data.get("unlinked") or [] if r.get("instrument") == instrument]
    recs = paired or unlinked
    if not recs:
        return None
    defs = definitions or Definitions()
    scales = list(dict.fromkeys(str(r["scale"]) for r in recs))
    infos = {
        s: defs.describe(instrument, s, next(r for r in recs if r["scale"] == s)) for s in scales
    }
    head = "total" if "total" in scales else scales[0]
    info = infos[head]
    title = info.instrument_name or info.label
    sec = OutcomeSection(id=f"outcome-{instrument}", title=f"{info.short_name}: {title}")
    sec.paragraphs.append(
        f"Headline scale: {info.name}, on {info.range_text} ({info.better_text})."
    )
    if paired:
        _paired_body(sec, instrument, head, info, infos, data, paired, d, settings, primary, change)
    else:
        _unlinked_body(sec, instrument, head, info, infos, unlinked, d, settings)
    for caveat in (
        attrition_caveat(instrument, data, infos, d, settings.alpha),
        reliability_caveat(instrument, data, infos, d),
    ):
        if caveat:
            sec.more.append(caveat)
    return sec


def _paired_body(
    sec: OutcomeSection,
    instrument: str,
    head: str,
    info: OutcomeInfo,
    infos: dict[str, OutcomeInfo],
    data: dict[str, Any],
    paired: list[dict[str, Any]],
    d: Disclosure,
    settings: ReportSettings,
    primary: tuple[str, str] | None,
    change: list[tuple[str | None, dict[str, Any]]] | None,
) -> None:
    fw, tw = primary or (paired[0]["from_wave"], paired[0]["to_wave"])

    def headline(rec: dict[str, Any], main: bool) -> bool:
        same = rec["from_wave"] == fw and rec["to_wave"] == tw
        return rec["scale"] == head and (same if main else rec["from_wave"] == fw and not same)

    whole = [r for r in paired if headline(r, True) and r.get("group") is None]
    if whole:
        sec.finding = paired_finding(
            whole[0], info, d, record_key("paired", whole[0]), settings.alpha
        )
    for rec in [r for r in paired if headline(r, True) and r.get("group") is not None]:
        sec.more.append(
            paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
        )
    for rec in [r for r in paired if headline(r, False) and r.get("group") is None]:
        sec.more.append(
            f"From {rec['from_wave']} to {rec['to_wave']}: "
            + paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
        )
    for rec in data.get("ancova") or []:
        if not (
            rec.get("instrument") == instrument
            and rec.get("scale") == head
            and rec.get("group") is not None
            and rec.get("adjusted_difference") is not None
        ):
            continue
        names = (rec.get("group"), rec.get("reference_group"))
        # Hidden when either group's own statistics are hidden for this contrast.
        shown = all(d.shown(record_key("paired", {**rec, "group": g}) + "|stats") for g in names)
        printed = (group_name(names[0], rec, d), group_name(names[1], rec, d))
        sentence = ancova_sentence(rec, info, d, shown, settings.alpha, printed)
        if (rec.get("from_wave"), rec.get("to_wave")) == (fw, tw) and sec.finding is not None:
            # The comparison-group result belongs with the headline (and the summary).
            place = sec.finding.details
        else:
            place, sentence = sec.more, f"By the {rec.get('to_wave')} wave: {sentence}"
        if sentence not in place:  # two small groups' hidden comparisons read alike
            place.append(sentence)
    dec = decimals_for_range(info.range_low, info.range_high)
    cell = [r for r in paired if headline(r, True)]
    mixed = next(
        (
            m
            for m in data.get("mixed_models") or []
            if m.get("instrument") == instrument and m.get("scale") == head and m.get("wave_means")
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
    if change and whole:
        # Each panel only when its group's (or everyone's) statistics are shown.
        by_group = {r.get("group"): r for r in cell}
        panels = [
            (g, spec)
            for g, spec in change
            if g in by_group and d.shown(record_key("paired", by_group[g]) + "|stats")
        ]
        if panels:
            together = panels[0][0] is None and len(by_group) > 1
            sec.charts.append(change_chart(instrument, info, panels, d, fw, tw, together))
    if any(is_number(r.get("n_reliably_improved")) for r in cell):
        # Without a reliability coefficient there is no reliable change to draw.
        sec.charts.append(rci_chart(instrument, info, cell, d))
    # Results pooled from separate programmes keep each programme's own adjustment.
    pooled_sources = ((data.get("meta") or {}).get("settings") or {}).get("sources")
    family = "each programme's own analysis" if pooled_sources else "the whole analysis"
    sec.tables.append(
        Table(
            f"stats-{instrument}",
            f"{info.short_name}: change {_between(paired)}on every scale",
            [first_column(paired), *PAIRED_COLUMNS[1:]],
            paired_rows(paired, infos, d),
            [PAIRED_NOTE.format(family=family)],
            widths=PAIRED_WIDTHS,
        )
    )
    for table in (
        between_groups_table(instrument, data, infos, d, info.short_name),
        baseline_table(instrument, data, infos, d, info.short_name, (str(fw), str(tw))),
    ):
        if table is not None:
            sec.tables.append(table)


def _unlinked_body(
    sec: OutcomeSection,
    instrument: str,
    head: str,
    info: OutcomeInfo,
    infos: dict[str, OutcomeInfo],
    unlinked: list[dict[str, Any]],
    d: Disclosure,
    settings: ReportSettings,
) -> None:
    head_rec = next(r for r in unlinked if r["scale"] == head and r.get("group") is None)
    sec.finding = unlinked_finding(
        head_rec, info, d, record_key("unlinked", head_rec), settings.alpha
    )
    dec = decimals_for_range(info.range_low, info.range_high)
    waves = (head_rec.get("from_wave"), head_rec.get("to_wave"))
    head_cell = [
        r
        for r in unlinked
        if r["scale"] == head and (r.get("from_wave"), r.get("to_wave")) == waves
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
                "respondents who could not be matched, compared as independent groups. "
                "Difference = after − before; g = the difference ÷ the pooled SD. p is adjusted "
                "for the number of tests in the analysis. Methods give the tests."
            ],
            widths=UNLINKED_WIDTHS,
        )
    )


def _between(recs: list[dict[str, Any]]) -> str:
    waves = one_contrast(recs)
    return f"from {waves[0]} to {waves[1]} " if waves else ""


def _unlinked_waves(recs: list[dict[str, Any]]) -> str:
    waves = one_contrast(recs)
    return f"{waves[0]} and {waves[1]} answers" if waves else "before and after"
