"""The programme's own targets, met or not, with the shortfall (as Time to Change reported).

Asked for with ``report: targets: [{outcome: ucla3.total, measure: reliably_improved,
value: 60}]``. Nothing new is counted: each target is judged from the results record of the
programme group (or the group named), whose counts the report has already registered, and a
verdict is printed only where the numbers behind it are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import InputError
from ..content import Section, Table, record_key
from ..formatting import decimals_for_range, interval, is_number, num, percent
from ..outcomes import describe_outcome
from ..privacy import Disclosure
from .people import known_outcomes, paired_record, programme_group

TITLE = "Targets"
_COUNT = {
    "reliably_improved": "n_reliably_improved",
    "reliably_deteriorated": "n_reliably_deteriorated",
}


@dataclass
class Judged:
    """One target with the record it is judged from."""

    target: Mapping[str, Any]
    record: dict[str, Any]
    group: str | None


def _name(target: Mapping[str, Any], places: int) -> str:
    if target.get("label"):
        return str(target["label"])
    value = float(target["value"])
    info = describe_outcome(*str(target["outcome"]).split(".", 1))
    if target["measure"] == "reliably_improved":
        return f"At least {num(value, 0)}% reliably better on {info.label}"
    if target["measure"] == "reliably_deteriorated":
        return f"At most {num(value, 0)}% reliably worse on {info.label}"
    return f"An average improvement of at least {num(value, places)} points on {info.label}"


def _judge(j: Judged, d: Disclosure) -> list[str]:
    """Target, group, what was achieved, verdict, shortfall (blank where not shown)."""
    t, rec = j.target, j.record
    info = describe_outcome(str(rec["instrument"]), str(rec["scale"]))
    places = decimals_for_range(info.range_low, info.range_high)
    key = record_key("paired", rec)
    value = float(t["value"])
    who = j.group or "Everyone"
    if t["measure"] in _COUNT:
        count = f"{key}|{_COUNT[t['measure']]}"
        if count not in d.values or not d.shown(f"{count}|pct"):
            return [_name(t, places), who, "not shown (small numbers)", "cannot be judged", ""]
        n, total = d.values[count], d.values[f"{key}|n_pairs"]
        achieved = 100.0 * n / total
        met = achieved >= value if t["measure"] == "reliably_improved" else achieved <= value
        gap = value - achieved if t["measure"] == "reliably_improved" else achieved - value
        text = f"{percent(n, total)} ({d.mark(count)} of {d.mark(f'{key}|n_pairs')})"
        return [
            _name(t, places),
            who,
            text,
            "Met" if met else "Not met",
            "" if met else f"{num(gap, 1)} percentage points",
        ]
    if not d.shown(f"{key}|stats"):
        return [_name(t, places), who, "not shown (small numbers)", "cannot be judged", ""]
    sign = float(rec.get("improvement_sign") or 0)
    if sign == 0:
        return [_name(t, places), who, "direction of the scale unknown", "cannot be judged", ""]
    estimate = [rec.get(k) for k in ("mean_change", "mean_change_ci_low", "mean_change_ci_high")]
    if not all(is_number(x) for x in estimate):
        # One pair has a change but no interval (a privacy limit of 1 allows it): unjudged.
        return [_name(t, places), who, "no interval (too few people)", "cannot be judged", ""]
    better = sign * float(estimate[0])
    lo, hi = sorted(sign * float(x) for x in estimate[1:])
    met = better >= value
    return [
        _name(t, places),
        who,
        f"{num(better, places, signed=True)} points (95% CI {interval(lo, hi, places)})",
        "Met" if met else "Not met",
        "" if met else f"{num(value - better, places)} points",
    ]


@dataclass
class Targets:
    """The programme's targets, ready to judge once the audit has run."""

    judged: list[Judged]

    def section(self, d: Disclosure) -> Section:
        sec = Section("targets", TITLE)
        rows = [_judge(j, d) for j in self.judged]
        met = sum(1 for r in rows if r[3] == "Met")
        judged = sum(1 for r in rows if r[3] in ("Met", "Not met"))
        sec.paragraphs.append(
            f"The programme set {len(rows)} target{'s' if len(rows) != 1 else ''} before the "
            f"evaluation; {met} of the {judged} that could be judged "
            f"{'was' if met == 1 else 'were'} met. Where a target was missed, the shortfall is "
            "how far the result fell short of it. Reliable change is change larger than the "
            "questionnaire's measurement error (see Methods)."
        )
        sec.tables.append(
            Table(
                "targets",
                "The programme's targets and what was achieved",
                ["Target", "Group", "Achieved", "Verdict", "Shortfall"],
                rows,
                widths=[3.0, 1.2, 1.8, 1.1, 1.4],
            )
        )
        return sec


def register_targets(
    targets: Sequence[Mapping[str, Any]],
    data: Mapping[str, Any],
    primary: tuple[str, str] | None,
) -> Targets:
    """Find each target's results record (an unknown outcome or group is one clear error)."""
    judged = []
    for i, t in enumerate(targets):
        group = programme_group(data, t.get("group"), f"targets[{i}]")
        rec = paired_record(data, str(t["outcome"]), group, primary)
        if rec is None:
            raise InputError(
                f"report.targets[{i}].outcome '{t['outcome']}' has no before–after results"
                + (f" for the {group} group" if group else ""),
                where=f"report.targets[{i}]",
                fix=f"use INSTRUMENT.SCALE from: {', '.join(known_outcomes(data)) or '(none)'}",
            )
        judged.append(Judged(t, rec, group))
    return Targets(judged)
