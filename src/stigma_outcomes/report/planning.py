"""The optional "Planning the next cohort" section: sample sizes from this cohort's results.

Asked for in the evaluation file (``report: planning: {power: 0.8}``). Each outcome's plan
comes from :func:`stigma_outcomes.comparison.pilot.plan_from_pilot`: this cohort's effect and
its interval, its attrition and pre–post correlation, all read from the results records, so
nothing is computed here but the wording. Privacy: an outcome whose record is suppressed
(fewer people than the threshold) gets no plan, and a suppressed attrition share is neither
printed nor used (the plan then says to allow for attrition).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .content import Section
from .outcomes import describe_outcome

TITLE = "Planning the next cohort"


def _outcomes(data: dict[str, Any], asked: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    records = [
        r for r in (data.get("paired") or data.get("unlinked") or [])
        if r.get("group") is None
    ]  # fmt: skip
    first = records[0]["to_wave"] if records else None
    out = []
    for rec in records:
        key = f"{rec['instrument']}.{rec['scale']}"
        if rec["to_wave"] == first and (not asked or key in asked):
            out.append((key, rec))
    return out


def _attrition_suppressed(data: dict[str, Any], rec: dict[str, Any]) -> bool:
    return any(
        a.get("suppress")
        for a in data.get("attrition") or []
        if (a.get("instrument"), a.get("scale"), a.get("group"), a.get("wave"))
        == (rec["instrument"], rec["scale"], None, rec["to_wave"])
    )


def _paragraph(name: str, plan: Any, attrition_shown: bool) -> str:
    effect = f"{plan.effect_name.replace('hedges_g', 'Hedges g')} = {plan.effect:.2f}" + (
        f", 95% CI {plan.effect_ci_low:.2f} to {plan.effect_ci_high:.2f}"
        if plan.effect_ci_low is not None and plan.effect_ci_high is not None
        else ""
    )
    point = plan.point
    who = (
        f"{point.n_analysed} participants who answer both surveys"
        if point.design == "paired"
        else f"{point.n_per_group} respondents at each survey"
    )
    if attrition_shown and plan.attrition_used > 0:
        recruit = (
            f" (about {point.n_recruit} to recruit, if {plan.attrition_used:.0%} are lost "
            "before the follow-up survey as in this cohort)"
        )
    elif point.design == "paired":
        recruit = " (recruit more to allow for people lost before the follow-up survey)"
    else:
        recruit = ""
    text = (
        f"{name}: this cohort's change ({effect}) suggests that {who}{recruit} would give "
        f"{plan.power:.0%} power (the chance of a clear result) if the next cohort changes "
        "as much."
    )
    if plan.conservative is not None:
        cons = plan.conservative
        text += (
            f" Planning for the cautious end of the interval ({cons.effect:.2f}) would need "
            f"{cons.n_analysed if cons.design == 'paired' else cons.n_per_group}"
            f"{' participants' if cons.design == 'paired' else ' at each survey'}."
        )
    else:
        text += (
            " The interval includes no change, so this cohort cannot promise any sample size; "
            "plan on the smallest change worth detecting."
        )
    return text


def planning_section(
    data: dict[str, Any], options: Mapping[str, Any] | None, threshold: int
) -> Section | None:
    """The section, or None when the evaluation file does not ask for it.

    ``options``: ``power`` (default 0.8), ``alpha`` (0.05), ``outcomes`` (``INSTRUMENT.SCALE``
    names; default every outcome of the primary contrast), ``attrition`` (overrides this
    cohort's own).

    Examples
    --------
    >>> rec = {"instrument": "x", "scale": "total", "group": None, "from_wave": "pre",
    ...        "to_wave": "post", "n_pairs": 40, "d_z": -0.5, "d_z_ci_low": -0.83,
    ...        "d_z_ci_high": -0.17, "pre_sd": 2.0, "post_sd": 2.0, "sd_change": 2.0,
    ...        "mean_change": -1.0, "suppress": False}
    >>> sec = planning_section({"paired": [rec]}, {"power": 0.8}, 5)
    >>> sec.title, "34 participants" in sec.paragraphs[1]
    ('Planning the next cohort', True)
    """
    if options is None:
        return None
    from ..comparison.pilot import CAUTION, plan_from_pilot
    from ..comparison.results import Results
    from ..errors import InputError

    power = float(options.get("power", 0.8))
    alpha = float(options.get("alpha", 0.05))
    asked = [str(o) for o in options.get("outcomes") or []]
    results = Results.from_dict({k: v for k, v in data.items() if k != "meta"})
    section = Section("planning", TITLE)
    section.paragraphs.append(
        f"How many people a next cohort needs for {power:.0%} power, the chance of a clear "
        f"result (two-sided test at the {alpha:g} level), if its change is like this cohort's."
    )
    for key, rec in _outcomes(data, asked):
        info = describe_outcome(rec["instrument"], rec["scale"], rec)
        name = info.name if info.name != info.short_name else info.short_name
        if rec.get("suppress") or rec.get("too_few_to_interpret"):
            section.paragraphs.append(f"{name}: too few people in this cohort to plan from.")
            continue
        hidden = _attrition_suppressed(data, rec)
        given = options.get("attrition")
        try:
            plan = plan_from_pilot(
                results, key, power=power, alpha=alpha, to_wave=rec["to_wave"],
                attrition=float(given) if given is not None else (0.0 if hidden else None),
            )  # fmt: skip
        except InputError:
            section.paragraphs.append(
                f"{name}: this cohort's change is undefined, so it cannot size the next one."
            )
            continue
        section.paragraphs.append(_paragraph(name, plan, given is not None or not hidden))
    section.paragraphs.append(CAUTION)
    return section
