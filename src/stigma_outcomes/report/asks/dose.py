"""Dose: sessions attended, completion, and change by dose band (with a caution: not causal).

Asked for with ``report: dose: {column: sessions, offered: 8, complete_at: 6, bands: [3, 6]}``.
The column is carried into the scores and read per person (the later survey's value first:
attendance is known by the end). Only the programme group is counted when there is a
comparison group. Every count goes through the report's disclosure audit; the median and
quartiles rest on the number of people with a recorded dose and are withheld with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...comparison.records.meta import run_settings
from ...errors import InputError
from ..content import Section, Table
from ..formatting import num, percent
from ..privacy import Disclosure
from .people import (
    NOT_RECORDED,
    check_outcomes,
    paired_record,
    person_values,
    programme_group,
    require_columns,
    starters_key,
    wave_people,
)
from .subgroups import (
    CHANGE_COLUMNS,
    CHANGE_WIDTHS,
    COST,
    Counts,
    SubgroupChange,
    change_rows,
    counts_table,
    register_change,
    register_counts,
)

TITLE = "Dose: sessions attended"
CAUTION = (
    "People who came to more sessions may differ from those who came to fewer (more able to "
    "attend, more motivated, less unwell), so a larger change at a higher dose does not show "
    "that more sessions cause more change."
)


def band_labels(edges: Sequence[int], offered: int | None) -> list[str]:
    """Labels of the bands cut at ``edges`` (lower edges after the first band).

    Examples
    --------
    >>> band_labels([3, 6], 8), band_labels([1], None)
    (['0–2 sessions', '3–5 sessions', '6–8 sessions'], ['0 sessions', '1 or more sessions'])
    """
    lows = [0, *edges]
    labels = []
    for i, low in enumerate(lows):
        high = lows[i + 1] - 1 if i + 1 < len(lows) else offered
        if high is None:
            labels.append(f"{low} or more sessions")
        else:
            labels.append(f"{low} sessions" if high == low else f"{low}–{high} sessions")
    return labels


def sessions(values: pd.Series, column: str, offered: int | None) -> pd.Series:
    """Recorded values as numbers of sessions (NaN where not recorded); bad values refused."""
    text = values.where(values != NOT_RECORDED)
    number = pd.to_numeric(text, errors="coerce")
    bad = number.isna() & text.notna()
    bad |= number.notna() & ((number < 0) | (number != np.floor(number)))
    if offered is not None:
        bad |= number > offered
    if bad.any():
        raise InputError(
            f"report.dose.column '{column}' holds {int(bad.sum())} value(s) that are not a "
            "whole number of sessions" + (f" from 0 to {offered}" if offered else ""),
            where="report.dose.column",
            fix="record sessions attended as a whole number (leave it blank if unknown)",
        )
    return number


@dataclass
class Dose:
    """The registered counts, summaries and subgroup changes of the dose section."""

    options: Mapping[str, Any]
    bands: Counts
    recorded: str
    summary: dict[str, float]
    group: str | None
    completed: str | None = None
    changes: list[SubgroupChange] = field(default_factory=list)

    def section(self, d: Disclosure) -> Section:
        sec = Section("dose", TITLE)
        whose = f"the {self.group} group" if self.group else "participants"
        offered = self.options.get("offered")
        text = f"Sessions attended by {whose}"
        text += f" (of {offered} offered)" if offered else ""
        if d.shown(f"{self.recorded}|summary"):
            s = self.summary
            text += (
                f": a median of {num(s['median'], 1)} sessions (middle half "
                f"{num(s['q1'], 1)} to {num(s['q3'], 1)}), among the "
                f"{d.mark(self.recorded)} people whose attendance was recorded."
            )
        else:
            text += ": too few people had their attendance recorded to summarise it here."
        if self.completed is not None:
            at = self.options["complete_at"]
            total = self.bands.total_key
            if d.shown(f"{self.completed}|pct"):
                share = percent(d.values[self.completed], d.values[total])
                text += (
                    f" {share} ({d.mark(self.completed)} of {d.mark(total)}) completed the "
                    f"programme (attended at least {at} sessions)."
                )
            else:
                text += (
                    f" {d.mark(self.completed)} of {d.mark(total)} attended at least {at} sessions."
                )
        sec.paragraphs.append(text)
        sec.tables.append(
            counts_table(self.bands, d, "dose-bands", f"Sessions attended ({whose})", "Sessions")
        )
        rows = [row for change in self.changes for row in change_rows(change, d)]
        if rows:
            sec.tables.append(
                Table(
                    "dose-change",
                    f"Change by sessions attended ({whose})",
                    CHANGE_COLUMNS,
                    rows,
                    widths=CHANGE_WIDTHS,
                    notes=[CAUTION],
                )
            )
            sec.paragraphs.append(CAUTION)
        return sec


def register_dose(
    options: Mapping[str, Any],
    data: Mapping[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> Dose | None:
    """Register bands, completion and change by band; None without scores."""
    column = str(options["column"])
    require_columns(scores, [column], "dose.column")
    if scores is None or scores.empty or primary is None:
        return None
    fw, tw = primary
    settings = run_settings(data)
    group = programme_group(data, None, "dose")
    people = wave_people(scores, fw)
    if group is not None and settings.get("group_by"):
        arm = person_values(scores, settings["group_by"], [fw, tw], people)
        people = pd.Index(arm[arm == group].index)
    offered = options.get("offered")
    edges = list(options.get("bands") or [])
    if offered is not None and edges and edges[-1] > offered:
        raise InputError(
            f"report.dose.bands: the band starting at {edges[-1]} is beyond the {offered} "
            "sessions offered",
            where="report.dose.bands",
            fix="keep every band edge at or below 'offered'",
        )
    count = sessions(person_values(scores, column, [tw, fw], people), column, offered)
    labels = band_labels(edges, offered)
    index = np.searchsorted(np.asarray(edges), count.to_numpy(), side="right")
    band = pd.Series(np.asarray(labels, dtype=object)[np.minimum(index, len(labels) - 1)])
    band = band.set_axis(count.index).where(count.notna(), NOT_RECORDED)
    counts = register_counts(
        band, "ask|dose|band", d, total_key=starters_key(group), categories=labels
    )
    recorded = "ask|dose|recorded"
    d.count(recorded, int(count.notna().sum()), cost=COST)
    d.relation(recorded, [counts.key(c) for c in counts.categories if c != NOT_RECORDED])
    d.derived(f"{recorded}|summary", recorded)
    q = count.dropna().to_numpy(float)
    summary = (
        {"median": float(np.median(q)), "q1": float(np.quantile(q, 0.25)),
         "q3": float(np.quantile(q, 0.75))}
        if len(q) else {"median": np.nan, "q1": np.nan, "q3": np.nan}
    )  # fmt: skip
    dose = Dose(options, counts, recorded, summary, group)
    if options.get("complete_at") is not None:
        at = int(options["complete_at"])
        if at not in edges:
            # Completion must be a sum of whole bands, so the audit knows how they relate.
            raise InputError(
                f"report.dose.complete_at ({at}) is not one of the band edges {edges}",
                where="report.dose.complete_at",
                fix=f"add {at} to 'bands' so completers are whole bands",
            )
        done = count >= at
        dose.completed = "ask|dose|completed"
        d.count(dose.completed, int(done.sum()), cost=COST)
        d.count("ask|dose|not_completed", int((~done).sum()), published=False)
        d.relation(counts.total_key, [dose.completed, "ask|dose|not_completed"])
        d.share(f"{dose.completed}|pct", dose.completed, counts.total_key)
        above = labels[edges.index(at) + 1 :]
        d.relation(dose.completed, [counts.key(c) for c in above])
    for outcome in check_outcomes(data, options.get("outcomes") or [], "dose.outcomes"):
        rec = paired_record(data, outcome, group, primary)
        if rec is None:
            continue
        change = register_change(
            scores, rec, band, f"ask|dose|{outcome}", d, counts.categories, people
        )
        if change is not None:
            dose.changes.append(change)
    return dose
