"""Where participants started: the baseline compared with the instrument's published norms.

Asked for with ``report: norms: {}`` (or a list of ``outcomes``). Only scales whose definition
carries ``norms`` (population, mean, SD, source, status) are compared; the sample's baseline
mean, SD and t-based 95% interval are this report's own, over everyone with a valid score at
the first survey, and the difference is given in the norm's SD units. The count of people
goes through the disclosure audit and the statistics rest on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import InputError
from ..content import Section, Table, record_key
from ..formatting import decimals_for_range, interval, num
from ..outcomes import _definition, describe_outcome
from ..privacy import Disclosure
from .people import known_outcomes, tie
from .subgroups import COST

TITLE = "Compared with published norms"


def scale_norms(instrument: str, scale: str) -> list[Any]:
    """The published norms of one scale (empty when the definition has none)."""
    definition = _definition(instrument)
    for spec in getattr(definition, "scales", []) or []:
        if spec.id == scale:
            return list(getattr(spec, "norms", []) or [])
    return []


def baseline(scores: pd.DataFrame, instrument: str, scale: str, wave: str) -> np.ndarray:
    """Valid scores at ``wave``, one per participant, sorted."""
    ok = (
        (scores["instrument"] == instrument)
        & (scores["scale"] == scale)
        & (scores["status"] == "ok")
        & scores["score"].notna()
        & (scores["wave"].astype(str) == wave)
    )
    part = scores.loc[ok, ["participant_id", "score"]].drop_duplicates("participant_id")
    return np.sort(part["score"].to_numpy(float))


def describe(values: np.ndarray) -> dict[str, float]:
    """Mean, SD and the mean's t-based 95% interval (NaN where undefined)."""
    n = len(values)
    mean = float(values.mean()) if n else np.nan
    sd = float(values.std(ddof=1)) if n >= 2 else np.nan
    half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n) if n >= 2 else np.nan
    return {"n": n, "mean": mean, "sd": sd, "low": mean - half, "high": mean + half}


@dataclass
class Norms:
    """Each compared scale's baseline summary and norms."""

    wave: str
    rows: list[tuple[str, dict[str, float], list[Any]]] = field(default_factory=list)

    def section(self, d: Disclosure) -> Section:
        sec = Section("norms", TITLE)
        sec.paragraphs.append(
            f"How participants scored at the {self.wave} survey, beside the averages published "
            "for other groups of people. The difference is in the published group's standard "
            "deviations (0.2 is small, 0.5 medium, 0.8 large). The published groups were "
            "measured elsewhere, at other times and sometimes in other ways, so this places "
            "the programme's participants rather than testing them."
        )
        body = []
        notes = []
        for outcome, s, norms in self.rows:
            inst, scale = outcome.split(".", 1)
            info = describe_outcome(inst, scale)
            places = decimals_for_range(info.range_low, info.range_high)
            key = f"ask|norms|{outcome}|n"
            shown = d.shown(f"{key}|stats")
            for norm in norms:
                diff = (s["mean"] - float(norm.mean)) / float(norm.sd)
                sample = (
                    f"{num(s['mean'], places)} (SD {num(s['sd'], places)}; 95% CI "
                    f"{interval(s['low'], s['high'], places)})"
                    if shown
                    else "not shown (small numbers)"
                )
                published = f"{num(float(norm.mean), places)} (SD {num(float(norm.sd), places)})"
                body.append(
                    [
                        info.label,
                        d.mark(key),
                        sample,
                        str(norm.population),
                        published,
                        num(diff, 2, signed=True) if shown else "",
                    ]
                )
                status = str(getattr(norm, "status", "") or "").replace("_", " ")
                notes.append(
                    f"{info.label}, {norm.population}: {norm.source}"
                    + (f" (status: {status})" if status else "")
                    + "."
                )
            if shown:
                sec.paragraphs.append(_sentence(info, s, norms, places))
        sec.tables.append(
            Table(
                "norms",
                f"Scores at the {self.wave} survey beside published norms",
                [
                    "Outcome",
                    "People (n)",
                    "This programme: mean",
                    "Published group",
                    "Published mean",
                    "Difference (SDs)",
                ],
                body,
                notes=notes,
                widths=[2.2, 0.8, 2.0, 2.4, 1.3, 1.0],
            )
        )
        return sec


def _sentence(info: Any, s: Mapping[str, float], norms: list[Any], places: int) -> str:
    first = norms[0]
    diff = round((s["mean"] - float(first.mean)) / float(first.sd), 2)
    side = "above" if diff > 0 else "below" if diff < 0 else "level with"
    direction = {"higher_is_worse": " (higher scores are worse)",
                 "higher_is_better": " (higher scores are better)"}  # fmt: skip
    return (
        f"{info.label}: participants started at {num(s['mean'], places)}, "
        + ("" if diff == 0 else f"{num(abs(diff), 2)} standard deviations ")
        + f"{side} the published average of "
        f"{num(float(first.mean), places)} for {first.population}"
        f"{direction.get(str(info.direction or ''), '')}."
    )


def _baseline_keys(data: Mapping[str, Any], inst: str, scale: str) -> list[str]:
    """The attrition records' keys for everyone with a score at the first survey."""
    return [
        f"{record_key('attrition', rec)}|n_baseline"
        for rec in data.get("attrition") or []
        if (rec.get("instrument"), rec.get("scale"), rec.get("group")) == (inst, scale, None)
    ]


def register_norms(
    options: Mapping[str, Any],
    data: Mapping[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> Norms | None:
    """Register each compared scale's baseline count; None when no scale has norms."""
    if scores is None or scores.empty or primary is None:
        return None
    known = known_outcomes(data)
    asked = list(options.get("outcomes") or [])
    for key in asked:
        inst, _, scale = key.partition(".")
        if key not in known or not scale_norms(inst, scale):
            raise InputError(
                f"report.norms.outcomes names '{key}', which has no results or no published "
                "norms in its definition",
                where="report.norms.outcomes",
                fix="leave 'outcomes' out to compare every scale whose definition has norms",
            )
    out = Norms(primary[0])
    for outcome in asked or known:
        inst, scale = outcome.split(".", 1)
        norms = scale_norms(inst, scale)
        if not norms:
            continue
        s = describe(baseline(scores, inst, scale, primary[0]))
        key = f"ask|norms|{outcome}|n"
        d.count(key, s["n"], cost=COST)
        tie(d, key, _baseline_keys(data, inst, scale))
        d.derived(f"{key}|stats", key)
        out.rows.append((outcome, s, norms))
    return out if out.rows else None
