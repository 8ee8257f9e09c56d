"""Cost per participant and per reliably improved participant, from the programme's budget.

Asked for with ``report: cost: {budget: 48000, currency: "£", outcome: ucla3.total}``. A
cost divided by a count gives the count back (budget ÷ cost), so each cost is printed only
where its count is: the participants are counted here and registered with the disclosure
audit, and the reliably improved count is the results record's, already registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...comparison.records.meta import run_settings
from ...errors import InputError
from ..content import Section, Table, record_key
from ..outcomes import describe_outcome
from ..privacy import Disclosure
from .people import (
    known_outcomes,
    paired_record,
    person_values,
    programme_group,
    starters_key,
    tie,
    wave_people,
)
from .subgroups import COST

TITLE = "Cost"
STARTED = "ask|cost|started"


def money(amount: float, currency: str) -> str:
    """An amount with its currency: a symbol before it, a code after it.

    Examples
    --------
    >>> money(1234.5, "£"), money(80, "USD")
    ('£1,235', '80 USD')
    """
    whole = f"{int(amount + 0.5):,}"
    return f"{whole} {currency}" if currency.isalpha() else f"{currency}{whole}"


@dataclass
class Cost:
    """The budget, the counts it is divided by and the record of the costed outcome."""

    options: Mapping[str, Any]
    group: str | None
    record: dict[str, Any]
    from_wave: str

    def section(self, d: Disclosure) -> Section:
        sec = Section("cost", TITLE)
        budget, currency = float(self.options["budget"]), str(self.options["currency"])
        info = describe_outcome(str(self.record["instrument"]), str(self.record["scale"]))
        improved = f"{record_key('paired', self.record)}|n_reliably_improved"
        whose = f"in the {self.group} group" if self.group else ""
        rows = [["Budget", "", money(budget, currency)]]
        rows.append(
            [
                f"Per participant {whose}".strip() + f" (started: answered the {self.from_wave} "
                "survey)",
                d.mark(STARTED),
                money(budget / d.values[STARTED], currency)
                if d.shown(f"{STARTED}|cost") and d.values[STARTED]
                else "not shown",
            ]
        )
        n_imp = d.values.get(improved)
        rows.append(
            [
                f"Per participant reliably better on {info.label}",
                d.mark(improved) if improved in d.values else "–",
                money(budget / n_imp, currency)
                if n_imp and d.shown(f"{improved}|cost")
                else "not shown",
            ]
        )
        sec.paragraphs.append(
            "What the programme cost for each person who started it, and for each person whose "
            f"{info.label} improved by more than the questionnaire's measurement error. The "
            "second figure puts the whole budget against one outcome; the programme's other "
            "outcomes, and people who improved less than that, came from the same money."
            + (
                " Some people in a comparison group improve without the programme, so this "
                "is a cost per improved participant, not per improvement the programme caused."
                if self.group
                else ""
            )
        )
        sec.tables.append(Table("cost", "Cost per participant", ["", "People (n)", "Cost"], rows))
        return sec


def register_cost(
    options: Mapping[str, Any],
    data: Mapping[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> Cost | None:
    """Count the people who started; tie both costs to their counts; None without scores."""
    group = programme_group(data, options.get("group"), "cost")
    outcome = str(options["outcome"])
    rec = paired_record(data, outcome, group, primary)
    if rec is None:
        raise InputError(
            f"report.cost.outcome '{outcome}' has no before–after results"
            + (f" for the {group} group" if group else ""),
            where="report.cost.outcome",
            fix=f"use INSTRUMENT.SCALE from: {', '.join(known_outcomes(data)) or '(none)'}",
        )
    if scores is None or scores.empty or primary is None:
        return None
    people = wave_people(scores, primary[0])
    group_col = run_settings(data).get("group_by")
    if group is not None and group_col:
        arm = person_values(scores, group_col, list(primary), people)
        people = pd.Index(arm[arm == group].index)
    d.count(STARTED, len(people), cost=COST)
    tie(d, STARTED, [starters_key(group)])
    d.derived(f"{STARTED}|cost", STARTED)
    improved = f"{record_key('paired', rec)}|n_reliably_improved"
    if improved in d.values:
        d.derived(f"{improved}|cost", improved)
    return Cost(options, group, rec, primary[0])
