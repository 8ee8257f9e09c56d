"""Who took part: everyone at the first survey by carried demographic columns, and each
outcome's change by subgroup (the equity question SAMHSA disparity statements and lottery
funders ask: did the programme work as well for every group?).

Asked for with ``report: who: {columns: [age_band, gender, site]}``; the columns must be
carried into the scores (``carry:``). Categories smaller than the privacy threshold are
folded into "Other or not stated"; what is still small is suppressed by the report's audit,
and a subgroup's averages are not shown when its number of pairs is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...comparison.group_labels import check_grouping_columns
from ...comparison.records.meta import run_settings
from ..content import Section, Table
from ..privacy import Disclosure
from .people import (
    check_outcomes,
    paired_record,
    person_values,
    programme_group,
    require_columns,
    wave_people,
)
from .subgroups import (
    CHANGE_COLUMNS,
    CHANGE_WIDTHS,
    Counts,
    SubgroupChange,
    change_rows,
    counts_table,
    merge_small,
    register_change,
    register_counts,
)

TITLE = "Who took part"


def _heading(column: str) -> str:
    return column.replace("_", " ").strip().capitalize()


@dataclass
class Who:
    """The registered counts and subgroup changes of "Who took part"."""

    counts: dict[str, Counts] = field(default_factory=dict)
    changes: dict[str, list[SubgroupChange]] = field(default_factory=dict)
    group: str | None = None
    group_col: str | None = None
    from_wave: str = ""

    def section(self, d: Disclosure) -> Section:
        sec = Section("who-took-part", TITLE)
        sec.paragraphs.append(
            f"Everyone who answered the {self.from_wave} survey"
            + (f" (all {self.group_col} groups together)" if self.group_col else "")
            + ", as they described themselves. Groups with fewer people than the privacy "
            "threshold are combined into “Other or not stated”."
        )
        for column, counts in self.counts.items():
            sec.tables.append(
                counts_table(
                    counts,
                    d,
                    f"who-{column}",
                    f"Participants by {_heading(column).lower()}",
                    _heading(column),
                )
            )
        for column, changes in self.changes.items():
            rows = [row for change in changes for row in change_rows(change, d)]
            if not rows:
                continue
            whose = f"the {self.group} group" if self.group else "everyone"
            sec.tables.append(
                Table(
                    f"who-change-{column}",
                    f"Change by {_heading(column).lower()} ({whose})",
                    CHANGE_COLUMNS,
                    rows,
                    widths=CHANGE_WIDTHS,
                    notes=[
                        "Averages are of people with scores before and after. Differences "
                        "between subgroups are descriptive: the subgroups are small and were "
                        "not compared by a test."
                    ],
                )
            )
        return sec


def register_who(
    options: Mapping[str, Any],
    data: Mapping[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> Who | None:
    """Register the demographic counts and the subgroup changes; None without scores."""
    columns = list(options.get("columns") or [])
    by = list(options.get("outcomes_by") if options.get("outcomes_by") is not None else columns)
    require_columns(scores, [*columns, *by], "who.columns")
    if scores is None or scores.empty or primary is None:
        return None
    # Labels are printed: refuse a column that identifies people (codes, e-mails, names).
    for column in dict.fromkeys([*columns, *by]):
        check_grouping_columns(scores, {"report.who column": column})
    fw, _tw = primary
    settings = run_settings(data)
    who = Who(group_col=settings.get("group_by"), from_wave=fw)
    people = wave_people(scores, fw)
    waves = [fw, primary[1]]
    merged = {
        c: merge_small(person_values(scores, c, waves, people), d.threshold)
        if options.get("merge_small", True)
        else person_values(scores, c, waves, people)
        for c in dict.fromkeys([*columns, *by])
    }
    for column in columns:
        who.counts[column] = register_counts(
            merged[column], f"ask|who|{column}", d, total_key="flow|pre"
        )
    who.group = programme_group(data, None, "who")
    outcomes = check_outcomes(data, options.get("outcomes") or [], "who.outcomes")
    arm = None
    if who.group is not None and who.group_col:
        arm = person_values(scores, who.group_col, waves, people)
        arm = pd.Index(arm[arm == who.group].index)
    for column in by:
        cats = who.counts[column].categories if column in who.counts else None
        found = []
        for outcome in outcomes:
            rec = paired_record(data, outcome, who.group, primary)
            if rec is None:
                continue
            change = register_change(
                scores, rec, merged[column], f"ask|who|{column}|{outcome}", d, cats, arm
            )
            if change is not None:
                found.append(change)
        who.changes[column] = found
    return who
