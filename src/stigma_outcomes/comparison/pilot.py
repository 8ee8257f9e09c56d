"""Planning the next cohort from a pilot's results: its effect, interval, attrition and r.

A pilot's results file (``compare --out``) already holds what a plan needs for one outcome:
the observed effect (d_z of a linked design, Hedges' g of an unlinked one) with its 95%
interval, the share of baseline participants lost by the later wave (attrition records), and
the pre–post correlation, recovered from the paired record's SDs as
``r = (pre_sd² + post_sd² − sd_change²) / (2·pre_sd·post_sd)``. :func:`plan_from_pilot`
turns them into participants to recruit for the point estimate and for the interval's
conservative end (the limit nearer zero), and, for a linked pilot, for a two-arm next cohort
analysed by ANCOVA, assuming the programme's effect over a comparison group equals the
pilot's standardised change (d = |mean change| / baseline SD) and a residual SD of
SD·√(1 − r²) (Borm et al. 2007). Pilot effects are noisy, and a plan says so.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputError
from .power import SamplePlan, plan_sample_size

CAUTION = (
    "Pilot effects are noisy: a small pilot's effect can easily be twice or half the true "
    "one, and pilots that look promising tend to overstate it. Planning on the point "
    "estimate risks an underpowered study; the interval's conservative end is the safer "
    "basis, and the smallest effect worth detecting is better still."
)


@dataclass(frozen=True)
class PilotPlan:
    """Plans for one outcome from a pilot (the ``plan`` command's JSON)."""

    outcome: str
    design: str
    from_wave: str
    to_wave: str
    n_pilot: int
    effect_name: str
    effect: float
    effect_ci_low: float | None
    effect_ci_high: float | None
    prepost_r: float | None
    attrition_observed: float | None
    attrition_used: float
    power: float
    alpha: float
    point: SamplePlan
    conservative: SamplePlan | None
    conservative_note: str | None
    ancova_point: SamplePlan | None
    ancova_conservative: SamplePlan | None
    cautions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (plans nested)."""
        return asdict(self)


def _read(results: Any) -> Any:
    from .results import Results

    if isinstance(results, Results):
        return results
    if isinstance(results, str | os.PathLike):
        return Results.read_json(results)
    raise InputError("the pilot must be a results file or Results", where="pilot",
                     fix="pass the JSON written by 'stigma-outcomes compare --out'")  # fmt: skip


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _find(records: list[dict[str, Any]], key: tuple[str, str], to_wave: str | None) -> Any:
    hits = [
        r for r in records
        if (r.get("instrument"), r.get("scale")) == key and r.get("group") is None
        and (to_wave is None or r.get("to_wave") == to_wave)
    ]  # fmt: skip
    return hits[0] if hits else None


def plan_from_pilot(
    results: Any,
    outcome: str,
    power: float = 0.8,
    alpha: float = 0.05,
    attrition: float | None = None,
    to_wave: str | None = None,
) -> PilotPlan:
    """Participants the next cohort needs, from a pilot's results for one outcome.

    Parameters
    ----------
    results : Results or path
        The pilot's results (``compare --out``).
    outcome : str
        ``INSTRUMENT.SCALE``.
    power, alpha : float
        Target power and two-sided level.
    attrition : float, optional
        Expected attrition; by default the pilot's own (1 − prop_retained at ``to_wave``),
        else 0 for an unlinked pilot.
    to_wave : str, optional
        The pilot's later wave (default: the first contrast, pre → post).

    Examples
    --------
    >>> from stigma_outcomes.comparison.results import Results
    >>> rec = {"instrument": "x", "scale": "t", "group": None, "from_wave": "pre",
    ...        "to_wave": "post", "n_pairs": 20, "d_z": -0.6, "d_z_ci_low": -1.08,
    ...        "d_z_ci_high": -0.12, "pre_sd": 2.0, "post_sd": 2.0, "sd_change": 2.0,
    ...        "mean_change": -1.2}
    >>> plan = plan_from_pilot(Results(paired=[rec]), "x.t")
    >>> plan.point.n_analysed, plan.conservative.n_analysed, round(plan.prepost_r, 2)
    (24, 547, 0.5)
    """
    res = _read(results)
    instrument, _, scale = outcome.partition(".")
    key = (instrument, scale)
    rec = _find(res.paired, key, to_wave)
    linked = rec is not None
    if not linked:
        rec = _find(res.unlinked, key, to_wave)
    if rec is None:
        known = sorted({f"{r['instrument']}.{r['scale']}" for r in [*res.paired, *res.unlinked]})
        raise InputError(
            f"the pilot results have no whole-sample record of {outcome}"
            + (f" at wave '{to_wave}'" if to_wave else ""),
            where="--outcome",
            fix=f"choose one of: {', '.join(known) or '(none)'}",
        )
    name = "d_z" if linked else "hedges_g"
    effect = _number(rec.get(name))
    if effect is None or effect == 0:
        raise InputError(
            f"the pilot's {name} for {outcome} is undefined or zero, so it cannot size a study",
            where=f"results record {outcome} ({rec.get('note') or 'no note'})",
            fix="plan from a target effect instead: stigma-outcomes plan --effect 0.3",
        )
    lo, hi = _number(rec.get(f"{name}_ci_low")), _number(rec.get(f"{name}_ci_high"))
    cautions = [CAUTION]
    n_pilot = int(rec.get("n_pairs") if linked else min(rec["n_before"], rec["n_after"]))
    if rec.get("too_few_to_interpret"):
        cautions.append(f"the pilot rests on {n_pilot} people: too few to interpret")
    observed = None
    if linked:
        drop = _find([{**a, "to_wave": a.get("wave")} for a in res.attrition], key, rec["to_wave"])
        retained = _number(drop.get("prop_retained")) if drop else None
        observed = None if retained is None else 1.0 - retained
    used = attrition if attrition is not None else (observed or 0.0)
    design = "paired" if linked else "two_groups"

    def plan(d: float, kind: str = design) -> SamplePlan:
        return plan_sample_size(kind, effect=d, power=power, alpha=alpha, attrition=used)

    point = plan(abs(effect))
    conservative, why = None, None
    if lo is None or hi is None:
        why = "the pilot's interval is undefined, so there is no conservative end"
    elif lo <= 0 <= hi:
        why = (
            f"the pilot's 95% interval ({lo:.2f} to {hi:.2f}) includes no effect, so no sample "
            "size can be promised from it; plan on the smallest effect worth detecting"
        )
    else:
        conservative = plan(min(abs(lo), abs(hi)))
    r = _prepost_r(rec) if linked else None
    ancova_point = ancova_cons = None
    if linked and r is not None and abs(r) < 1 and _number(rec.get("pre_sd")):
        d = abs(float(rec["mean_change"])) / float(rec["pre_sd"])
        adj = d / math.sqrt(1.0 - r * r)
        ancova_point = plan(adj, "ancova") if adj > 0 else None
        if conservative is not None and adj > 0:
            ancova_cons = plan(adj * conservative.effect / abs(effect), "ancova")
        cautions.append(
            "the ANCOVA plans assume the programme's effect over a comparison group equals the "
            "pilot's whole change; part of a pre-post change is usually not the programme's"
        )
    return PilotPlan(
        outcome=outcome, design="linked" if linked else "unlinked",
        from_wave=str(rec.get("from_wave")), to_wave=str(rec.get("to_wave")), n_pilot=n_pilot,
        effect_name=name, effect=effect, effect_ci_low=lo, effect_ci_high=hi, prepost_r=r,
        attrition_observed=observed, attrition_used=used, power=power, alpha=alpha,
        point=point, conservative=conservative, conservative_note=why,
        ancova_point=ancova_point, ancova_conservative=ancova_cons, cautions=cautions,
    )  # fmt: skip


def _prepost_r(rec: dict[str, Any]) -> float | None:
    a, b, c = (_number(rec.get(k)) for k in ("pre_sd", "post_sd", "sd_change"))
    if not (a and b) or c is None:
        return None
    return max(-1.0, min(1.0, (a * a + b * b - c * c) / (2.0 * a * b)))
