"""The outcome sections' tables beside the change table (their caveats in words are in
:mod:`.caveats`).

* Between groups: the difference after, allowing for where people started, on every scale
  the results compared (the analysis of covariance records), not only the headline one.
* Baseline equivalence: each group's starting mean and SD among the people analysed, and the
  standardised difference between them (Hedges' g with the pooled SD, as
  ``effectsize::hedges_g``; What Works Clearinghouse reads under 0.05 as equivalent and
  over 0.25 as too different to adjust away).

No new count of people is printed here: the groups' sizes are the change table's, and a
group whose statistics the audit hides hides its row here too.
"""

from __future__ import annotations

import math
from typing import Any

from .content import Table, record_key
from .formatting import SMALL_GROUP, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import OutcomeInfo
from .privacy import Disclosure


def standardised_difference(
    m1: float, s1: float, n1: int, m2: float, s2: float, n2: int
) -> float | None:
    """Hedges' g of group 1 − group 2 from summary statistics (pooled SD, exact J).

    The same number as ``effectsize::hedges_g(x, y)`` on the raw scores.

    Examples
    --------
    >>> round(standardised_difference(4.1, 1.17, 101, 3.81, 1.24, 75), 4)
    0.2406
    """
    from ..comparison._common import hedges_j

    if n1 < 2 or n2 < 2:
        return None
    df = n1 + n2 - 2
    sd = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / df)
    if not sd > 0:
        return None
    return (m1 - m2) / sd * hedges_j(df)


def _group_records(
    paired: list[dict[str, Any]], scale: str, waves: tuple[str, str]
) -> dict[str, dict[str, Any]]:
    return {
        str(r["group"]): r
        for r in paired
        if str(r["scale"]) == scale
        and r.get("group") is not None
        and (str(r.get("from_wave")), str(r.get("to_wave"))) == waves
    }


def unnamed(group: object, rec: dict[str, Any] | None, d: Disclosure) -> bool:
    """Whether ``group`` is too small to be named in ``rec``'s contrast.

    A group too small to show is never named, anywhere in the report (issue 18,
    ``docs/outputs.md``): a site's or an arm's name next to "<5" points at the few people
    in it, who may be known to the reader, and SPEC §7 asks for no way to identify anyone.
    The Reach sentence and the participation table already leave it unnamed; the
    headline, the between-group tables and the baseline table follow the same rule, so the
    report never names what it says it does not. Small means: fewer people than the
    threshold answered the group's first survey (the participant flow), or its record of
    this contrast rests on fewer pairs (the change table's rule, :func:`.tables.row_label`).
    """
    if group is None:
        return False
    if d.status(f"flowg|{group}|pre") == "small":
        return True
    if rec is None:
        return False
    key = record_key("paired", {**rec, "group": group})
    return d.status(f"{key}|n_pairs") == "small"


def group_name(group: object, rec: dict[str, Any] | None, d: Disclosure) -> str:
    """The group's name as printed: its label, or "a small group" (see :func:`unnamed`)."""
    return SMALL_GROUP if unnamed(group, rec, d) else str(group)


def _ancova_records(data: dict[str, Any], instrument: str) -> list[dict[str, Any]]:
    return [
        r
        for r in data.get("ancova") or []
        if r.get("instrument") == instrument
        and r.get("group") is not None
        and r.get("adjusted_difference") is not None
    ]


def _pairs(recs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The (group, reference group) pairs the records compare, in record order."""
    return list(dict.fromkeys((str(r["group"]), str(r.get("reference_group"))) for r in recs))


def _one_row_per_label(rows: list[list[str]]) -> list[list[str]]:
    """Rows that read the same once small groups are unnamed, as one row.

    Two contrasts can only read alike when a small group stands in both (a small group
    against the same group twice, say); their cells are then "not shown" alike, and one
    row says so for "each small group" rather than two rows with the same label.
    """
    times: dict[tuple[str, ...], int] = {}
    for row in rows:
        times[tuple(row)] = times.get(tuple(row), 0) + 1
    return [
        [label.replace(SMALL_GROUP, "each small group", 1) if n > 1 else label, *cells]
        for (label, *cells), n in times.items()
    ]


def _who(name: str, capital: bool = False) -> str:
    """ "the North group" or "a small group"."""
    text = name if name == SMALL_GROUP else f"the {name} group"
    return text[0].upper() + text[1:] if capital else text


def between_groups_table(
    instrument: str,
    data: dict[str, Any],
    infos: dict[str, OutcomeInfo],
    d: Disclosure,
    short_name: str,
) -> Table | None:
    """Every scale's difference between the groups after, allowing for the start.

    With more than two groups the records compare several pairs of groups (each group
    against the reference group); each row then says which two it compares, so that no
    two rows of different contrasts read alike. A group too small to show is not named.
    """
    recs = _ancova_records(data, instrument)
    if not recs:
        return None
    contrasts = {(str(r.get("from_wave")), str(r.get("to_wave"))) for r in recs}
    several = len(_pairs(recs)) > 1
    rows = []
    names: list[tuple[str, str]] = []
    for rec in recs:
        info = infos.get(str(rec["scale"]))
        if info is None:
            continue
        groups = (rec.get("group"), rec.get("reference_group"))
        shown = all(d.shown(record_key("paired", {**rec, "group": g}) + "|stats") for g in groups)
        pair = (group_name(groups[0], rec, d), group_name(groups[1], rec, d))
        names.append(pair)
        label = info.name
        if several:
            label += f" · {pair[0]} − {pair[1]}"
        if len(contrasts) > 1:
            label += f" · {rec.get('from_wave')}→{rec.get('to_wave')}"
        if not shown:
            rows.append([label, "not shown", "not shown"])
            continue
        dec = decimals_for_range(info.range_low, info.range_high)
        low, high = rec.get("adjusted_difference_ci_low"), rec.get("adjusted_difference_ci_high")
        rows.append(
            [
                label,
                f"{num(rec['adjusted_difference'], dec, signed=True)} [{interval(low, high, dec)}]",
                pvalue(rec.get("p")).removeprefix("p ").removeprefix("= "),
            ]
        )
    if not rows:
        return None
    note = (
        "The difference between the groups' average scores after, for people who started "
        "at the same score (see Methods: comparison group). Which direction is better "
        "depends on the scale, as in the change table. p is not adjusted for the number "
        "of scales."
    )
    if several:
        references = {ref for _, ref in names}
        whom = _who(next(iter(references))) if len(references) == 1 else "another group"
        title = f"{short_name}: each group compared with {whom}, allowing for where people started"
        columns = ["Scale · groups compared", "Difference after [95% CI]", "p"]
        note = "Difference: the first group named minus the second. " + note
    else:
        group, reference = names[0]
        title = (
            f"{short_name}: {_who(group, capital=True).removeprefix('The ')} compared with "
            f"{_who(reference)}, allowing for where people started"
        )
        columns = ["Scale", f"Difference after ({group} − {reference}) [95% CI]", "p"]
    return Table(
        f"between-{instrument}",
        title,
        columns,
        _one_row_per_label(rows),
        [note],
        widths=[3.2, 2.2, 0.8],
    )


def baseline_table(
    instrument: str,
    data: dict[str, Any],
    infos: dict[str, OutcomeInfo],
    d: Disclosure,
    short_name: str,
    waves: tuple[str, str] | None,
) -> Table | None:
    """Were the groups alike at the start? Each group's starting mean (SD), among the
    people analysed, and the standardised difference between the two groups of each pair
    the analysis compared (with more than one pair, each row names its two groups; a
    group too small to show is not named)."""
    recs = _ancova_records(data, instrument)
    if not recs or waves is None:
        return None
    pairs = _pairs(recs)
    several = len(pairs) > 1
    paired = [r for r in data.get("paired") or [] if r.get("instrument") == instrument]
    rows = []
    names: list[tuple[str, str]] = []
    for scale, info in infos.items():
        by_group = _group_records(paired, scale, waves)
        for group, reference in pairs:
            a, b = by_group.get(group), by_group.get(reference)
            if a is None or b is None:
                continue
            pair = (group_name(group, a, d), group_name(reference, b, d))
            names.append(pair)
            label = f"{info.name} · {pair[0]} − {pair[1]}" if several else info.name
            if not all(d.shown(record_key("paired", r) + "|stats") for r in (a, b)):
                rows.append([label, "not shown", "not shown", "not shown"])
                continue
            rows.append([label, *_starting_scores(a, b, info)])
    if not rows:
        return None
    if several:
        first, second = "First group", "Second group"
        columns = ["Scale · groups compared", f"{first}: mean (SD)", f"{second}: mean (SD)"]
        difference = "(first − second)"
    else:
        first, second = names[0]
        columns = ["Scale", f"{first}: mean (SD)", f"{second}: mean (SD)"]
        difference = f"({first} − {second})"
    return Table(
        f"baseline-{instrument}",
        f"{short_name}: were the groups alike at the start ({waves[0]})?",
        [*columns, "Standardised difference"],
        _one_row_per_label(rows),
        [
            "Starting scores of the people analysed (both surveys answered); group sizes as "
            f"in the change table. Standardised difference = {difference} ÷ pooled "
            "SD. Under 0.05 the groups started alike; from 0.05 to 0.25 the difference is "
            "allowed for by comparing the groups with their starting scores taken into "
            "account; over 0.25 even that may not make them comparable."
        ],
        widths=[3.0, 1.3, 1.3, 1.2],
    )


def _starting_scores(a: dict[str, Any], b: dict[str, Any], info: OutcomeInfo) -> list[str]:
    """Two groups' starting mean (SD) and the standardised difference between them."""
    dec = decimals_for_range(info.range_low, info.range_high)
    nums = [a.get("pre_mean"), a.get("pre_sd"), b.get("pre_mean"), b.get("pre_sd")]
    counts = [a.get("n_pairs"), b.get("n_pairs")]  # null in an edited file: no difference
    g = (
        standardised_difference(
            float(nums[0]),
            float(nums[1]),
            int(counts[0]),
            float(nums[2]),
            float(nums[3]),
            int(counts[1]),
        )
        if all(is_number(x) for x in (*nums, *counts))
        else None
    )
    return [
        f"{num(a.get('pre_mean'), dec)} ({num(a.get('pre_sd'), dec)})",
        f"{num(b.get('pre_mean'), dec)} ({num(b.get('pre_sd'), dec)})",
        num(g, 2, signed=True) if g is not None else "–",
    ]
