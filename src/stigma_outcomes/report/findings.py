"""Plain-language findings that never say more than the statistics do.

The rules, each tested on its own:

* a change is called an improvement or a worsening only when the multiplicity-adjusted test
  (Holm) is below the significance level; otherwise it is "no clear change", with its
  interval;
* every word comes with its number (before, after, change, interval), so the reader does no
  arithmetic;
* effect-size words name their convention ("small by Cohen's conventions") and the one
  effect size the whole report uses for a linked change, d_z;
* which way is better comes from the scale's direction, never from the sign alone;
* reliable deterioration is reported next to reliable improvement;
* nothing is attributed to the programme unless a comparison group was analysed, and even
  then the wording is "compared with", not "caused";
* unlinked (anonymous) designs are labelled as such, and their differences follow the first
  rule with the Holm-adjusted Welch test.

The verdict and the effect-size words (the first and third rules) live in
:mod:`stigma_outcomes.report._verdicts`, and the sentences comparing groups and saying what
the design can show in :mod:`.group_findings`; both are re-exported here. This module writes
the sentences of one group's change.
"""

from __future__ import annotations

from typing import Any

from ._verdicts import (
    ALPHA,
    CONVENTION,
    CONVENTION_DETAIL,
    EFFECT_SIZE,
    EFFECT_SIZE_NAME,
    Finding,
    Verdict,
    adjusted_p,
    effect_word,
    no_pairs,
    verdict,
)
from .formatting import (
    count,
    decimals_for_range,
    interval,
    is_number,
    num,
    percent,
    pvalue,
)
from .group_findings import ancova_sentence, design_sentence
from .outcomes import OutcomeInfo
from .privacy import Disclosure

__all__ = [
    "ALPHA",
    "CONVENTION",
    "CONVENTION_DETAIL",
    "EFFECT_SIZE",
    "EFFECT_SIZE_NAME",
    "Finding",
    "Verdict",
    "adjusted_p",
    "ancova_sentence",
    "design_sentence",
    "effect_word",
    "no_pairs",
    "paired_finding",
    "register_threshold_shares",
    "reliable_change_sentence",
    "threshold_sentence",
    "unlinked_finding",
    "verdict",
]


def _count_phrase(d: Disclosure, key: str, n: Any, total: Any, total_key: str) -> str:
    if d.status(key) == "small":
        return f"fewer than {d.threshold} of {_total(d, total, total_key)}"
    if not d.shown(key):
        return f"a number not shown for privacy ({d.mark(key)})"
    if not is_number(n) or not is_number(total):
        return "not available"
    if not d.shown(total_key):
        # A share of a hidden total would give the total away.
        return f"{count(n)} participants"
    return f"{percent(n, total)} of participants ({count(n)} of {count(total)})"


def _total(d: Disclosure, total: Any, total_key: str) -> str:
    return count(total) if d.shown(total_key) and is_number(total) else d.mark(total_key)


def reliable_change_sentence(record: dict[str, Any], d: Disclosure, key: str) -> str:
    """Reliable improvement and reliable deterioration, side by side, with their counts."""
    n = record.get("n_pairs")
    n_key = f"{key}|n_pairs"
    if not is_number(record.get("n_reliably_improved")):
        return (
            "Reliable change could not be assessed for this scale: no reliability coefficient "
            "was available for it."
        )
    improved = _count_phrase(
        d, f"{key}|n_reliably_improved", record.get("n_reliably_improved"), n, n_key
    )
    worse = _count_phrase(
        d, f"{key}|n_reliably_deteriorated", record.get("n_reliably_deteriorated"), n, n_key
    )
    return (
        f"Reliable improvement: {improved}; reliable deterioration: {worse} "
        "(changes larger than measurement error alone would produce)."
    )


def paired_finding(
    record: dict[str, Any],
    info: OutcomeInfo,
    d: Disclosure,
    key: str,
    alpha: float = ALPHA,
) -> Finding:
    """The headline sentence for one linked pre/post comparison.

    Examples
    --------
    >>> from stigma_outcomes.report.outcomes import OutcomeInfo
    >>> info = OutcomeInfo("ucla3", "total", "Loneliness", "UCLA-3", "higher_is_worse", 3, 9)
    >>> rec = {"n_pairs": 150, "pre_mean": 6.8, "post_mean": 5.9, "mean_change": -0.9,
    ...        "mean_change_ci_low": -1.2, "mean_change_ci_high": -0.6, "p_t_holm": 0.0001,
    ...        "improvement_sign": -1, "d_z": -0.52}
    >>> f = paired_finding(rec, info, Disclosure(), "k")
    >>> f.verdict, f.sentence.split(":")[0]
    ('improved', 'Loneliness (UCLA-3) improved')
    """
    group = record.get("group")
    who = f" in the {group} group" if group else ""
    if not d.shown(f"{key}|n_pairs"):
        why = (
            f"because fewer than {d.threshold} people had both surveys"
            if d.status(f"{key}|n_pairs") == "small"
            else "so that the size of a smaller group cannot be worked out from the totals"
        )
        return Finding(
            info.instrument,
            info.scale,
            info.label,
            "not shown",
            # A hidden group is never named (its label may point at the few people in it).
            f"{info.label}{' in one group' if group else ''}: not shown, {why}.",
        )
    if no_pairs(record):
        at = record.get("not_asked_at")
        why = f"it was not asked at the {at} survey" if at else "no one answered it at both surveys"
        sentence = f"{info.label}{who}: not assessed, because {why}."
        return Finding(info.instrument, info.scale, info.label, "not shown", sentence)
    dec = decimals_for_range(info.range_low, info.range_high)
    pre, post = num(record.get("pre_mean"), dec), num(record.get("post_mean"), dec)
    change = num(record.get("mean_change"), dec, signed=True)
    ci = interval(record.get("mean_change_ci_low"), record.get("mean_change_ci_high"), dec)
    n = int(record["n_pairs"]) if is_number(record.get("n_pairs")) else 0
    word = verdict(record, alpha)
    where = f"on {info.range_text} ({info.better_text})"
    moved = "fell" if is_number(record.get("mean_change")) and record["mean_change"] < 0 else "rose"
    dz = record.get(EFFECT_SIZE)
    size = (
        f"The size of the change was {effect_word(dz)} by {CONVENTION} "
        f"({EFFECT_SIZE_NAME} = {num(dz, 2, signed=True)})."
    )
    p = adjusted_p(record)
    if word == "no clear change":
        sentence = (
            f"{info.label}{who} showed no clear change: the average was {pre} before and {post} "
            f"after {where}, a change of {change} (95% CI {ci}; adjusted {pvalue(p)}), "
            f"among {count(n)} participants with both surveys."
        )
        if _interval_excludes_zero(record):
            # Otherwise a reader sees an interval clear of zero beside "no clear change".
            sentence += (
                " The 95% interval on its own does not include zero, but with this many "
                "outcomes and groups tested, a change of this size could still arise by chance."
            )
        return Finding(
            info.instrument,
            info.scale,
            info.label,
            word,
            sentence,
            [reliable_change_sentence(record, d, key)],
        )
    sentence = (
        f"{info.label}{who} {word}: the average {moved} from {pre} to {post} {where}, a change "
        f"of {change} (95% CI {ci}; adjusted {pvalue(p)}), among {count(n)} participants with both "
        "surveys."
    )
    return Finding(
        info.instrument,
        info.scale,
        info.label,
        word,
        sentence,
        [size, reliable_change_sentence(record, d, key)],
    )


def _interval_excludes_zero(record: dict[str, Any]) -> bool:
    low, high = record.get("mean_change_ci_low"), record.get("mean_change_ci_high")
    return is_number(low) and is_number(high) and (low > 0 or high < 0)


def _first(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        if record.get(name) is not None:
            return record[name]
    return None


def unlinked_finding(
    record: dict[str, Any], info: OutcomeInfo, d: Disclosure, key: str, alpha: float = ALPHA
) -> Finding:
    """The headline for an anonymous before/after design, labelled as unlinked.

    A difference is called clear only when the Welch test's Holm-adjusted p (``p_t_holm``)
    is below ``alpha``, exactly as :func:`verdict` rules on paired records.

    Examples
    --------
    >>> from stigma_outcomes.report.outcomes import OutcomeInfo
    >>> info = OutcomeInfo("ucla3", "total", "Loneliness", "UCLA-3", "higher_is_worse", 3, 9)
    >>> rec = {"n_before": 80, "n_after": 70, "mean_before": 6.5, "mean_after": 6.0,
    ...        "mean_difference": -0.5, "mean_difference_ci_low": -0.8,
    ...        "mean_difference_ci_high": -0.2, "p_t": 0.002, "p_t_holm": 0.006,
    ...        "improvement_sign": -1}
    >>> unlinked_finding(rec, info, Disclosure(), "u").verdict
    'improved'
    """
    group = record.get("group")
    who = f" in the {group} group" if group else ""
    if not d.shown(f"{key}|n_before") or not d.shown(f"{key}|n_after"):
        return Finding(
            info.instrument,
            info.scale,
            info.label,
            "not shown",
            f"{info.label}{' in one group' if group else ''}: not shown, because fewer "
            f"than {d.threshold} people answered at one of the waves.",
        )
    dec = decimals_for_range(info.range_low, info.range_high)
    diff = _first(record, "mean_difference", "mean_change")
    low = _first(record, "mean_difference_ci_low", "mean_change_ci_low")
    high = _first(record, "mean_difference_ci_high", "mean_change_ci_high")
    # the same rule as the paired verdict: the Holm-adjusted Welch p over the analysis's
    # family of unlinked tests, and the scale's direction
    p_adj = adjusted_p(record)
    word = verdict({**record, "mean_change": diff}, alpha)
    label = "no clear difference" if word == "no clear change" else word
    test = (
        f"adjusted {pvalue(p_adj)}"
        if p_adj is not None
        else "no multiplicity-adjusted test was available, so no difference is called clear"
    )
    n_before = _first(record, "n_before", "n_pre") or 0
    n_after = _first(record, "n_after", "n_post") or 0
    sentence = (
        f"{info.label}{who} ({label}; unlinked surveys): {count(n_before)} people answered "
        f"before (average {num(_first(record, 'mean_before', 'pre_mean'), dec)}) and "
        f"{count(n_after)} after (average {num(_first(record, 'mean_after', 'post_mean'), dec)}) "
        f"on {info.range_text} ({info.better_text}); difference {num(diff, dec, signed=True)} "
        f"(95% CI {interval(low, high, dec)}; {test}). The answers could not be linked person "
        "to person, so these are two sets of respondents, not the same people measured twice."
    )
    share = threshold_sentence(record, d, key)
    return Finding(
        info.instrument, info.scale, info.label, word, sentence, [share] if share else []
    )


def _share_keys(key: str, wave: str) -> tuple[str, str]:
    return f"{key}|n_{wave}|beyond", f"{key}|n_{wave}|within"


def register_threshold_shares(record: dict[str, Any], key: str, d: Disclosure) -> None:
    """Register an unlinked record's threshold counts: each wave's total and its two parts.

    Examples
    --------
    >>> d = Disclosure(5)
    >>> register_threshold_shares({"n_before": 80, "n_beyond_before": 78}, "u", d)
    >>> d.resolve()["u|n_before|within"]
    'small'
    """
    for wave in ("before", "after"):
        total, beyond = record.get(f"n_{wave}"), record.get(f"n_beyond_{wave}")
        if not is_number(total) or not is_number(beyond):
            continue
        beyond_key, within_key = _share_keys(key, wave)
        d.count(beyond_key, beyond)
        d.count(within_key, total - beyond)
        d.relation(f"{key}|n_{wave}", [beyond_key, within_key])


def threshold_sentence(record: dict[str, Any], d: Disclosure, key: str) -> str | None:
    """The share at or beyond the threshold before and after (unlinked), or None.

    By default the threshold is the scale's clinical cutoff and the share is the people
    outside the clinical range; small counts are never shown.

    Examples
    --------
    >>> rec = {"n_before": 80, "n_after": 70, "n_beyond_before": 30, "n_beyond_after": 42,
    ...        "threshold_rule": "score < 10", "risk_difference": 0.225,
    ...        "risk_difference_ci_low": 0.07, "risk_difference_ci_high": 0.38,
    ...        "note": "threshold: outside the clinical range score >= 10 (manual)"}
    >>> print(threshold_sentence(rec, Disclosure(), "u"))  # doctest: +NORMALIZE_WHITESPACE
    Outside the clinical range (score < 10): 38% before (30 of 80) and 60% after (42 of 70), a
    difference of +22 percentage points (95% CI 7 to 38).
    """
    rule = record.get("threshold_rule")
    beyond_b, beyond_a = record.get("n_beyond_before"), record.get("n_beyond_after")
    if not rule or not is_number(beyond_b) or not is_number(beyond_a):
        return None
    clinical = "outside the clinical range" in str(record.get("note") or "")
    what = "Outside the clinical range" if clinical else "At or beyond the threshold"
    parts = [*_share_keys(key, "before"), *_share_keys(key, "after")]
    if not all(d.shown(p) for p in parts if p in d.values):
        return (
            f"{what} ({rule}): not shown, because it would rest on fewer than {d.threshold} people."
        )
    n_b, n_a = record.get("n_before") or 0, record.get("n_after") or 0
    rd = record.get("risk_difference")
    low, high = record.get("risk_difference_ci_low"), record.get("risk_difference_ci_high")
    difference = (
        f", a difference of {num(100 * rd, 0, signed=True)} percentage points "
        f"(95% CI {interval(100 * low, 100 * high, 0)})"
        if is_number(rd) and is_number(low) and is_number(high)
        else ""
    )
    return (
        f"{what} ({rule}): {percent(beyond_b, n_b)} before ({count(beyond_b)} of {count(n_b)}) "
        f"and {percent(beyond_a, n_a)} after ({count(beyond_a)} of {count(n_a)}){difference}."
    )
