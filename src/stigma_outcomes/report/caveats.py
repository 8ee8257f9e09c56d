"""An outcome section's caveats in words: people who left started differently (attrition),
or the scale's items hung together poorly in this sample (internal consistency under 0.7).
"""

from __future__ import annotations

from typing import Any

from .content import record_key
from .formatting import decimals_for_range, is_number, num
from .outcomes import OutcomeInfo
from .privacy import Disclosure

ACCEPTABLE_ALPHA = 0.7
"""Internal consistency usually taken as acceptable for group comparisons (methods cite it)."""
NOTABLE_ATTRITION_G = 0.2
"""A difference at baseline between those who stayed and those who left worth saying in
words: a small standardised difference by the usual convention, or a clear one (p < α)."""


def attrition_caveat(
    instrument: str,
    data: dict[str, Any],
    infos: dict[str, OutcomeInfo],
    d: Disclosure,
    alpha: float,
) -> str | None:
    """A sentence when people with no score at a later wave (who did not answer it, or too
    few of a scale's questions) started clearly differently from those with one.

    Examples
    --------
    >>> info = OutcomeInfo("ismi29", "total", "ISMI total", "ISMI-29", "higher_is_worse", 1, 4)
    >>> rec = {"instrument": "ismi29", "scale": "total", "group": None, "from_wave": "pre",
    ...        "wave": "post", "n_completers": 175, "n_dropouts": 62, "hedges_g": -0.43,
    ...        "p": 0.002, "mean_completers": 2.31, "mean_dropouts": 2.50}
    >>> d = Disclosure(5)
    >>> for k in ("n_completers", "n_dropouts"):
    ...     d.count(f"{record_key('attrition', rec)}|{k}", rec[k])
    >>> print(attrition_caveat("ismi29", {"attrition": [rec]}, {"total": info}, d, 0.05))
    ... # doctest: +NORMALIZE_WHITESPACE
    People not scored at the post survey (not answered, or too few questions) had started
    worse off than those scored: ISMI total 2.50 against 2.31 on the 1–4 scale (lower scores
    are better; standardised difference −0.43). The changes above describe the people
    scored at both surveys, who may have been doing better from the start.
    """
    notes = []
    waves: list[str] = []
    worse_off = better_off = clear = 0
    for rec in data.get("attrition") or []:
        info = infos.get(str(rec.get("scale")))
        if rec.get("instrument") != instrument or rec.get("group") is not None or info is None:
            continue
        key = record_key("attrition", rec)
        if not (d.shown(f"{key}|n_completers") and d.shown(f"{key}|n_dropouts")):
            continue
        g, p = rec.get("hedges_g"), rec.get("p")
        if not is_number(g) or not (
            abs(float(g)) >= NOTABLE_ATTRITION_G or (is_number(p) and float(p) < alpha)
        ):
            continue
        sign = {"higher_is_better": 1, "higher_is_worse": -1}.get(str(info.direction))
        if sign is None:
            continue
        # g = scored later − not; those not scored started worse off when g favours the rest.
        if float(g) * sign > 0:
            worse_off += 1
        else:
            better_off += 1
        clear += is_number(p) and float(p) < alpha
        dec = decimals_for_range(info.range_low, info.range_high)
        notes.append(
            f"{info.name} {num(rec.get('mean_dropouts'), dec)} against "
            f"{num(rec.get('mean_completers'), dec)} on {info.range_text} ({info.better_text}; "
            f"standardised difference {num(g, 2, signed=True)})"
        )
        waves.append(str(rec.get("wave")))
    if not notes:
        return None
    wave = " or ".join(dict.fromkeys(waves))
    if worse_off and not better_off:
        how, meaning = (
            "started worse off than",
            "The changes above describe the people scored at both surveys, who may have "
            "been doing better from the start.",
        )
    elif better_off and not worse_off:
        how, meaning = (
            "started better off than",
            "The changes above describe the people scored at both surveys, who may have "
            "had more room to improve.",
        )
    else:
        how, meaning = (
            "started differently from",
            "The changes above may not describe everyone who started.",
        )
    if not clear:
        meaning = (
            "Differences this size could be chance; if not, " + meaning[0].lower() + meaning[1:]
        )
    shown = notes[:3]
    more = f"; and {len(notes) - 3} more scales" if len(notes) > 3 else ""
    return (
        f"People not scored at the {wave} survey (not answered, or too few questions) had "
        f"{how} those scored: " + "; ".join(shown) + more + f". {meaning}"
    )


def reliability_caveat(
    instrument: str, data: dict[str, Any], infos: dict[str, OutcomeInfo], d: Disclosure
) -> str | None:
    """A sentence when a scale's items hung together poorly in this sample.

    Examples
    --------
    >>> info = OutcomeInfo("ucla3", "total", "Loneliness", "UCLA-3", "higher_is_worse", 3, 9)
    >>> recs = [{"instrument": "ucla3", "scale": "total", "wave": w, "n": 200, "alpha": a}
    ...         for w, a in (("pre", 0.36), ("post", 0.60))]
    >>> d = Disclosure(5)
    >>> for r in recs:
    ...     d.count(f"{record_key('reliability', r)}|n", r["n"])
    >>> print(reliability_caveat("ucla3", {"reliability": recs}, {"total": info}, d))
    ... # doctest: +NORMALIZE_WHITESPACE
    In this sample the items of Loneliness agreed with each other less than usual
    (internal consistency 0.36 to 0.60 across the waves, below the 0.7 usually taken as
    acceptable): its scores carry more measurement error, so a real change is harder to
    detect and a person's reliable change is less certain.
    """
    low: dict[str, list[float]] = {}
    for rec in data.get("reliability") or []:
        info = infos.get(str(rec.get("scale")))
        if rec.get("instrument") != instrument or info is None or not is_number(rec.get("alpha")):
            continue
        if not d.shown(f"{record_key('reliability', rec)}|n"):
            continue
        low.setdefault(info.name, []).append(float(rec["alpha"]))
    weak = {name: a for name, a in low.items() if min(a) < ACCEPTABLE_ALPHA}
    if not weak:
        return None
    spans = {
        name: (
            f"{num(min(a), 2)} to {num(max(a), 2)} across the waves"
            if len(a) > 1 and min(a) != max(a)
            else num(min(a), 2)
        )
        for name, a in weak.items()
    }
    tail = (
        "scores carry more measurement error, so a real change is harder to detect and a "
        "person's reliable change is less certain."
    )
    if len(spans) == 1:
        ((name, span),) = spans.items()
        return (
            f"In this sample the items of {name} agreed with each other less than usual "
            f"(internal consistency {span}, below the {ACCEPTABLE_ALPHA} usually taken as "
            f"acceptable): its {tail}"
        )
    listed = [f"{name} {span}" for name, span in spans.items()]
    more = f"; and {len(listed) - 3} more" if len(listed) > 3 else ""
    return (
        "In this sample the items of some scales agreed with each other less than usual "
        f"(internal consistency below the {ACCEPTABLE_ALPHA} usually taken as acceptable: "
        + "; ".join(listed[:3])
        + more
        + f"): their {tail}"
    )
