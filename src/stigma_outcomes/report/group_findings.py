"""Sentences about groups and designs: a comparison with the comparison group, which never
uses a causal verb (allowing for where people started, "compared with", not "caused"), and
what the design can and cannot show. Re-exported by :mod:`.findings`.
"""

from __future__ import annotations

from typing import Any

from ._verdicts import ALPHA
from .formatting import SMALL_GROUP, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import OutcomeInfo
from .privacy import Disclosure


def ancova_sentence(
    record: dict[str, Any],
    info: OutcomeInfo,
    d: Disclosure,
    shown: bool,
    alpha: float = ALPHA,
    names: tuple[str, str] | None = None,
) -> str:
    """Compared-with-the-comparison-group sentence, with no causal verb.

    ``names``: the two groups as the report prints them (:func:`.contrasts.group_name`:
    "a small group" for one too small to show), by default the record's labels (and a
    hidden comparison then names neither group).
    """
    group, ref = names or (record.get("group"), record.get("reference_group"))
    if not shown and names is None:
        # Without the printed names neither group is named: one of them may be small.
        return "The comparison between two of the groups is not shown, for privacy."
    if not shown:
        # Which two groups, so that two hidden comparisons never read alike; a group too
        # small to show is not named (its label may point at its few people).
        first, second = (n if n == SMALL_GROUP else f"the {n} group" for n in (group, ref))
        why = (
            f"because a group smaller than {d.threshold} people is not reported"
            if SMALL_GROUP in (group, ref)
            else "so that the size of a smaller group cannot be worked out from the totals"
        )
        return f"The comparison of {first} with {second} is not shown, {why}."
    dec = decimals_for_range(info.range_low, info.range_high)
    diff = record.get("adjusted_difference")
    ci = interval(
        record.get("adjusted_difference_ci_low"), record.get("adjusted_difference_ci_high"), dec
    )
    p = record.get("p")
    sign = -1 if info.direction == "higher_is_worse" else 1
    clear = is_number(p) and float(p) < alpha and is_number(diff) and float(diff) != 0
    if clear and float(diff) * sign > 0:
        reading = f"the {group} group ended better off than the {ref} group"
    elif clear:
        reading = f"the {group} group ended worse off than the {ref} group"
    else:
        reading = "no clear difference between the groups"
    return (
        f"Allowing for where people started, the {group} group's average after was "
        f"{_points(diff, dec)} the {ref} group's (difference {num(diff, dec, signed=True)}, "
        f"95% CI {ci}; {pvalue(p)}): {reading}."
    )


def _points(diff: object, dec: int) -> str:
    if not is_number(diff) or float(diff) == 0:
        return "the same as"
    word = "higher" if float(diff) > 0 else "lower"
    return f"{num(abs(float(diff)), dec)} points {word} than"


def design_sentence(has_comparison: bool, linked: bool) -> str:
    """What the design can and cannot show, for the summary page.

    Examples
    --------
    >>> design_sentence(False, True).split(",")[0]
    'There was no comparison group'
    """
    parts = []
    if not linked:
        parts.append(
            "The surveys were anonymous and could not be linked person to person, so before "
            "and after are two sets of respondents."
        )
    if has_comparison:
        parts.append(
            "A comparison group was analysed, to show what happened without the programme; "
            "unless people were assigned to the groups at random, the groups may also differ "
            "in other ways."
        )
    else:
        parts.append(
            "There was no comparison group, so these changes show what happened, not that the "
            "programme caused them."
        )
    return " ".join(parts)
