"""The summary table of an unlinked (anonymous) design: every headline outcome in a row.

The sentences under it say the same in words; the table only lines the numbers up. Each
row is the whole sample's headline scale for the main contrast (first to second wave),
with the same suppression marks as everywhere else in the report. Linked designs get
:mod:`.headline`'s table (programme group against comparison group where there is one).
"""

from __future__ import annotations

from typing import Any

from .content import Table, record_key
from .findings import Finding
from .formatting import count, decimals_for_range, interval, num
from .outcomes import describe_outcome
from .privacy import Disclosure

VERDICT_WORDS = {
    "improved": "Improved",
    "worsened": "Worsened",
    "no clear change": "No clear change",
    "not shown": "Not shown",
}


def whole_sample_record(
    records: list[dict[str, Any]], finding: Any, waves: tuple[str, str]
) -> dict[str, Any] | None:
    """The whole-sample record of a finding's scale for one pair of waves, if there is one."""
    return next(
        (
            r
            for r in records
            if r.get("instrument") == finding.instrument
            and str(r.get("scale")) == finding.scale
            and r.get("group") is None
            and (str(r.get("from_wave")), str(r.get("to_wave"))) == waves
        ),
        None,
    )


def glance_table(
    data: dict[str, Any],
    findings: list[Finding],
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> Table | None:
    """One row per headline finding of an unlinked design; ``None`` without findings.

    Linked designs get :func:`~stigma_outcomes.report.headline.headline_table` instead.

    Examples
    --------
    >>> glance_table({"unlinked": []}, [], Disclosure(), None) is None
    True
    """
    if not findings or primary is None or data.get("paired"):
        return None
    return _unlinked_glance(data, findings, d, primary)


UNLINKED_GLANCE_COLUMNS = [
    "Outcome",
    "People before / after",
    "Average before",
    "Average after",
    "Difference [95% CI]",
    "Result",
]


def _unlinked_glance(
    data: dict[str, Any], findings: list[Finding], d: Disclosure, primary: tuple[str, str]
) -> Table | None:
    fw, tw = primary
    rows = []
    for f in findings:
        rec = whole_sample_record(data.get("unlinked") or [], f, (fw, tw))
        if rec is None:
            continue
        info = describe_outcome(f.instrument, f.scale, rec)
        key = record_key("unlinked", rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        outcome = f"{f.label}, {info.range_text.removeprefix('the ')} ({info.better_text})"
        people = " / ".join(
            d.mark(f"{key}|{name}")
            if not d.shown(f"{key}|{name}")
            else count(rec.get(name, rec.get(legacy)))
            for name, legacy in (("n_before", "n_pre"), ("n_after", "n_post"))
        )
        if not d.shown(f"{key}|stats"):
            rows.append([outcome, people, *(["not shown"] * 3), "Not shown"])
            continue
        diff = num(rec.get("mean_difference"), dec, signed=True)
        ci = interval(rec.get("mean_difference_ci_low"), rec.get("mean_difference_ci_high"), dec)
        rows.append(
            [
                outcome,
                people,
                num(rec.get("mean_before"), dec),
                num(rec.get("mean_after"), dec),
                f"{diff} [{ci}]",
                VERDICT_WORDS.get(f.verdict, f.verdict.capitalize()),
            ]
        )
    if not rows:
        return None
    return Table(
        "at-a-glance",
        f"Each outcome at a glance: everyone who answered the {fw} or the {tw} survey",
        UNLINKED_GLANCE_COLUMNS,
        rows,
        [
            "The surveys could not be linked person to person, so the people before and "
            "after are two different sets of respondents, and no one's own change is known. "
            "Difference = average after − average before, with its 95% confidence interval "
            "(the range the true difference most likely lies in). Result: improved or "
            "worsened only when the difference is clear after allowing for the number of "
            "tests."
        ],
        widths=[2.6, 1.0, 0.8, 0.8, 1.3, 1.0],
    )
