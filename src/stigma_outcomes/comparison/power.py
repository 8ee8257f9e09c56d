"""Planning the next cohort: sample size, power or detectable effect of a two-sided t test.

Three designs, each solved in any direction (participants for a power, power for a number of
participants, the smallest detectable effect for a number of participants), with expected
attrition turned into the number to recruit:

* ``paired``: the same people before and after; the effect is d_z (mean change / SD of
  change). Power of the paired t test, df = n − 1, noncentrality d_z·√n: R
  ``pwr::pwr.t.test(type = "paired")``.
* ``two_groups``: two independent groups (a comparison group, or anonymous before and after
  surveys); the effect is Cohen's d. df = n₁ + n₂ − 2, noncentrality d·√(n₁n₂/(n₁ + n₂)):
  R ``pwr::pwr.t2n.test`` (``pwr.t.test(type = "two.sample")`` for equal groups).
* ``ancova``: two groups compared at follow-up adjusting for baseline (and further
  covariates); the effect is the adjusted difference over the residual SD,
  d_adj = Δ / σ_e. The group term is the test of one predictor added to k covariates in a
  regression, whose power Cohen (1988, ch. 9) gives from the noncentral F with u = 1,
  v = N − k − 2 and λ = f²·(u + v + 1), with f² = d_adj²·n₁n₂/N² (the variance the group
  explains over the residual variance): R ``pwr::pwr.f2.test(u = 1, v = N − k − 2, f2)``.
  When only the outcome SD σ and the pre–post correlation ρ are known, σ_e = σ·√(1 − ρ²)
  (Borm, Fransen & Lemmens 2007), so d_adj = d / √(1 − ρ²).

Two-sided power counts both rejection tails, as ``pwr`` does. Sample sizes are solved on a
continuous scale (what ``pwr`` prints as ``n``) and then rounded up per group; attrition a
(a proportion) gives ``n_recruit = ceil(n / (1 − a))``.

References
----------
Cohen, J. (1988). *Statistical power analysis for the behavioral sciences* (2nd ed.).
Erlbaum. Chapter 9 (F tests in multiple regression), λ = f²(u + v + 1).
Borm, G. F., Fransen, J., & Lemmens, W. A. J. G. (2007). A simple sample size formula for
analysis of covariance in randomized clinical trials. *Journal of Clinical Epidemiology*,
60(12), 1234–1238.
Champely, S. (2020). *pwr: Basic functions for power analysis* (R package 1.3-0).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InputError

DESIGNS = ("paired", "two_groups", "ancova")
"""The designs :func:`plan_sample_size` plans for."""

_EFFECT_NAME = {
    "paired": "d_z, the mean change over the SD of change",
    "two_groups": "Cohen's d, the difference over the pooled SD",
    "ancova": "d_adj, the adjusted difference over the residual SD",
}

_REFERENCE = {
    "paired": "noncentral t, df = n - 1, ncp = d_z * sqrt(n); R pwr::pwr.t.test(type = 'paired')",
    "two_groups": "noncentral t, df = n1 + n2 - 2, ncp = d * sqrt(n1 n2 / (n1 + n2)); "
    "R pwr::pwr.t2n.test",
    "ancova": "noncentral F (Cohen 1988, ch. 9), u = 1, v = N - k - 2, lambda = f2 (u + v + 1), "
    "f2 = d_adj^2 n1 n2 / N^2; R pwr::pwr.f2.test; residual SD = SD sqrt(1 - r^2) "
    "(Borm et al. 2007)",
}

_MAX_N = 1e9


@dataclass(frozen=True)
class SamplePlan:
    """One solved plan. Sizes are per group for two-group designs (pairs for ``paired``)."""

    design: str
    solved_for: str
    effect: float
    alpha: float
    power: float
    n_exact: float
    n_per_group: int | None
    n_analysed: int
    attrition: float
    n_recruit_per_group: int | None
    n_recruit: int
    ratio: float
    n_covariates: int
    effect_name: str
    method: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The plan as a JSON-ready dictionary."""
        return asdict(self)

    def sentence(self) -> str:
        """The plan in one plain-language sentence."""
        who = (
            f"{self.n_analysed} participants with both surveys"
            if self.design == "paired"
            else f"{self.n_analysed} participants ({self.n_per_group} per group"
            + (", groups of unequal size" if self.ratio != 1 else "")
            + ")"
        )
        recruit = (
            f", so about {self.n_recruit} to recruit if {self.attrition:.0%} drop out"
            if self.attrition > 0
            else ""
        )
        return (
            f"With {who}{recruit}, a two-sided test at the {self.alpha:g} level has "
            f"{self.power:.0%} power to detect an effect of {self.effect:.2f} "
            f"({self.effect_name})."
        )


def _check_probability(value: float, name: str, option: str, low_ok: bool = False) -> float:
    value = float(value)
    if not (0.0 <= value < 1.0 if low_ok else 0.0 < value < 1.0):
        bounds = "from 0 up to (not including) 1" if low_ok else "strictly between 0 and 1"
        raise InputError(
            f"{name} must be a proportion {bounds}, got {value:g}",
            where=option,
            fix=f"give {name} as a fraction, e.g. "
            + ("0.2 for 20%" if low_ok else "0.8 for 80%" if name == "power" else "0.05"),
        )
    return value


def _ncp_df(design: str, effect: float, n1: float, ratio: float, k: int) -> tuple[float, float]:
    """Noncentrality and denominator df of the test for ``n1`` (pairs, or the first group)."""
    if design == "paired":
        return effect * math.sqrt(n1), n1 - 1.0
    n2 = ratio * n1
    total = n1 + n2
    if design == "two_groups":
        return effect * math.sqrt(n1 * n2 / total), total - 2.0
    v = total - k - 2.0
    f2 = effect**2 * n1 * n2 / total**2
    return math.sqrt(f2 * (v + 2.0)), v  # λ = f²(u + v + 1) with u = 1, as a t noncentrality


def power_of(design: str, effect: float, n1: float, alpha: float = 0.05, ratio: float = 1.0,
             n_covariates: int = 1) -> float:  # fmt: skip
    """Two-sided power of the design's test (both rejection tails, as R ``pwr``).

    ``n1`` is the number of pairs (``paired``) or the size of the first group; the second
    group has ``ratio · n1``. For ``ancova`` the noncentral F with one numerator df is the
    square of a noncentral t, so the same two tails give ``pwr.f2.test``'s power.

    Examples
    --------
    >>> round(power_of("paired", 0.5, 34), 6)
    0.807778
    """
    from .distributions import nct
    from .distributions import t as t_dist

    ncp, df = _ncp_df(design, abs(effect), n1, ratio, n_covariates)
    if not df > 0:
        return math.nan
    q = float(t_dist.ppf(1.0 - alpha / 2.0, df))
    upper = 1.0 - float(nct.cdf(q, df, ncp))
    lower = float(nct.cdf(-q, df, ncp))
    return min(1.0, max(0.0, upper + lower))


def _smallest_n(design: str, ratio: float, k: int) -> float:
    """The smallest n (pairs, or first group) with at least one residual df."""
    if design == "paired":
        return 2.0
    lowest = (k + 3.0) / (1.0 + ratio) if design == "ancova" else 3.0 / (1.0 + ratio)
    return max(2.0, lowest, 2.0 / ratio)


def _solve(f: Any, lo: float, hi: float, what: str, fix: str) -> float:
    from ._roots import brent_root

    if f(lo) > 0:
        return lo
    while f(hi) < 0:
        if hi >= _MAX_N:
            raise InputError(f"no {what} reaches the requested power", fix=fix)
        hi *= 4.0
    return brent_root(f, lo, hi, xtol=1e-12, rtol=1e-14)


def plan_sample_size(
    design: str = "paired",
    effect: float | None = None,
    n: int | None = None,
    power: float | None = None,
    alpha: float = 0.05,
    attrition: float = 0.0,
    *,
    ratio: float = 1.0,
    n_covariates: int = 1,
    difference: float | None = None,
    residual_sd: float | None = None,
    sd: float | None = None,
    correlation: float | None = None,
    pilot: Any | None = None,
    outcome: str | None = None,
    to_wave: str | None = None,
) -> Any:
    """Participants needed, power, or detectable effect of the next cohort's main test.

    Give two of ``effect``, ``n`` and ``power`` and the third is solved (with ``power``
    defaulting to 0.8 when only ``effect`` is given). Or give ``pilot`` (a results file or
    :class:`~stigma_outcomes.comparison.results.Results`) and ``outcome`` to plan from a
    pilot's observed effect (see :func:`stigma_outcomes.comparison.pilot.plan_from_pilot`).

    Parameters
    ----------
    design : {"paired", "two_groups", "ancova"}
        The test the next cohort will be analysed with (see the module docstring).
    effect : float, optional
        d_z (paired), d (two groups) or d_adj (ANCOVA). For ANCOVA it may instead come from
        ``difference`` and ``residual_sd``, or from ``difference``, ``sd`` and
        ``correlation`` (σ_e = sd·√(1 − r²)).
    n : int, optional
        Pairs (paired) or participants per group (first group; the second has ``ratio · n``)
        who complete the study.
    power : float, optional
        Target power, strictly between ``alpha`` and 1.
    alpha : float
        Two-sided significance level.
    attrition : float
        Expected share of recruits lost before follow-up, in [0, 1).
    ratio : float
        Size of the second group over the first (two-group designs).
    n_covariates : int
        Covariates in the ANCOVA, the baseline score included (default 1).

    Returns
    -------
    SamplePlan
        (or a pilot plan when ``pilot`` is given).

    Raises
    ------
    InputError
        Impossible inputs: power ≥ 1 or ≤ alpha, attrition ≥ 100%, an effect of zero, a
        sample too small for the test, or not exactly one unknown.

    Examples
    --------
    >>> plan = plan_sample_size("paired", effect=0.5, power=0.8, attrition=0.2)
    >>> round(plan.n_exact, 4), plan.n_analysed, plan.n_recruit
    (33.3671, 34, 43)
    >>> round(plan_sample_size("two_groups", effect=0.5, n=64).power, 4)
    0.8015
    """
    if pilot is not None:
        from .pilot import plan_from_pilot

        if outcome is None:
            raise InputError("planning from a pilot needs the outcome", where="outcome",
                             fix="name it as INSTRUMENT.SCALE, e.g. ucla3.total")  # fmt: skip
        return plan_from_pilot(pilot, outcome, power=0.8 if power is None else power,
                               alpha=alpha, attrition=attrition if attrition else None,
                               to_wave=to_wave)  # fmt: skip
    if design not in DESIGNS:
        raise InputError(f"unknown design {design!r}", where="design",
                         fix=f"use one of {', '.join(DESIGNS)}")  # fmt: skip
    alpha = _check_probability(alpha, "alpha", "--alpha")
    attrition = _check_probability(attrition, "attrition", "--attrition", low_ok=True)
    if not (math.isfinite(ratio) and ratio > 0):
        raise InputError(
            f"the group ratio must be positive, got {ratio:g}",
            where="--ratio",
            fix="give the second group's size over the first, e.g. 1 or 2",
        )
    k = int(n_covariates)
    if design == "ancova" and k < 0:
        raise InputError("n_covariates cannot be negative", where="--n-covariates",
                         fix="count the baseline score and any other covariates")  # fmt: skip
    effect = _ancova_effect(design, effect, difference, residual_sd, sd, correlation)
    if power is None and n is None:
        power = 0.8
    unknown = [name for name, v in (("effect", effect), ("n", n), ("power", power)) if v is None]
    if len(unknown) != 1:
        raise InputError(
            "give exactly two of effect, n and power; the third is solved",
            where=f"unknown: {', '.join(unknown) or 'none'}",
            fix="e.g. --effect 0.4 --power 0.8 for the sample size",
        )
    if power is not None:
        power = _check_probability(power, "power", "--power")
        if power <= alpha:
            raise InputError(
                f"a power of {power:g} is not above alpha ({alpha:g}): any test reaches that "
                "with no participants",
                where="--power",
                fix="ask for a power such as 0.8 or 0.9",
            )
    notes: list[str] = []
    lowest = _smallest_n(design, ratio, k)
    if n is not None and n < lowest:
        raise InputError(
            f"n = {n} is too small for the {design} test (it needs at least {math.ceil(lowest)})",
            where="--n", fix="give the number of participants who complete the study",
        )  # fmt: skip
    if effect is not None and not (math.isfinite(effect) and effect != 0):
        raise InputError(
            "an effect of 0 (or undefined) cannot be detected by any sample size",
            where="--effect", fix="give the smallest effect worth detecting, e.g. 0.3",
        )  # fmt: skip
    solved = unknown[0]
    if solved == "n":
        target = float(power)  # type: ignore[arg-type]
        n_exact = _solve(
            lambda m: power_of(design, effect, m, alpha, ratio, k) - target, lowest, 64.0,
            "sample size", "check the effect: it may be far too small",
        )  # fmt: skip
    elif solved == "power":
        n_exact = float(n)  # type: ignore[arg-type]
        power = power_of(design, effect, n_exact, alpha, ratio, k)  # type: ignore[arg-type]
    else:
        n_exact = float(n)  # type: ignore[arg-type]
        target = float(power)  # type: ignore[arg-type]
        effect = _solve(
            lambda d: power_of(design, d, n_exact, alpha, ratio, k) - target, 1e-9, 1.0,
            "effect", "check n",
        )  # fmt: skip
    if effect is not None and effect < 0:
        notes.append("the effect's sign does not matter to a two-sided test; its size was used")
    size = abs(float(effect))  # type: ignore[arg-type]
    first = math.ceil(n_exact - 1e-9)
    if design == "paired":
        per_group, analysed = None, first
        recruit_group, recruit = None, math.ceil(first / (1.0 - attrition) - 1e-9)
    else:
        second = math.ceil(ratio * first - 1e-9)
        per_group, analysed = first, first + second
        recruit_group = math.ceil(first / (1.0 - attrition) - 1e-9)
        recruit = recruit_group + math.ceil(second / (1.0 - attrition) - 1e-9)
    if solved == "n" and first < 6:
        notes.append(
            "so few participants leave the estimate very uncertain even if it is significant"
        )
    return SamplePlan(
        design=design, solved_for=solved, effect=size, alpha=alpha,
        power=float(power),  # type: ignore[arg-type]
        n_exact=n_exact, n_per_group=per_group, n_analysed=analysed, attrition=attrition,
        n_recruit_per_group=recruit_group, n_recruit=recruit,
        ratio=float(ratio) if design != "paired" else 1.0,
        n_covariates=k if design == "ancova" else 0,
        effect_name=_EFFECT_NAME[design], method=_REFERENCE[design], notes=notes,
    )  # fmt: skip


def _ancova_effect(
    design: str,
    effect: float | None,
    difference: float | None,
    residual_sd: float | None,
    sd: float | None,
    correlation: float | None,
) -> float | None:
    """d_adj from the adjusted difference and residual SD, or from SD and correlation."""
    if difference is None:
        if design == "ancova" and effect is not None and correlation is not None:
            return effect / math.sqrt(1.0 - _correlation(correlation) ** 2)
        return effect
    if effect is not None:
        raise InputError("give the effect or the difference, not both", where="--difference",
                         fix="drop one of them")  # fmt: skip
    if residual_sd is None and sd is not None and correlation is not None:
        residual_sd = sd * math.sqrt(1.0 - _correlation(correlation) ** 2)
    if residual_sd is None and sd is not None and design != "ancova":
        residual_sd = sd
    if residual_sd is None or not residual_sd > 0:
        raise InputError(
            "a difference in score points needs the SD it is measured against",
            where="--residual-sd / --sd",
            fix="give --residual-sd (ANCOVA), or --sd with --correlation (pre-post r)",
        )
    return difference / residual_sd


def _correlation(r: float) -> float:
    if not -1.0 < r < 1.0:
        raise InputError(f"a pre-post correlation must lie between -1 and 1, got {r:g}",
                         where="--correlation", fix="give it as e.g. 0.5")  # fmt: skip
    return r
