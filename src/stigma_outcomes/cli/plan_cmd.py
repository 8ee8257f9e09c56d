"""``stigma-outcomes plan``: sample size, power or detectable effect of the next cohort."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import echo_json


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)


def _proportion(text: str | None, option: str) -> float | None:
    """``0.8`` or ``80%`` as a float; a clear error for anything else."""
    from ..errors import InputError

    if text is None:
        return None
    raw = text.strip()
    try:
        return float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise InputError(f"{option} must be a number, got {text!r}", where=option,
                         fix=f"write it like {option} 0.8 or {option} 80%") from None  # fmt: skip


def _plan_lines(plan: Any, label: str = "") -> list[str]:
    head = f"{label}: " if label else ""
    lines = [f"{head}{plan.sentence()}"]
    exact = f" (exactly {plan.n_exact:.2f} as R pwr)" if plan.solved_for == "n" else ""
    if plan.design == "paired":
        lines.append(f"  analysed: {plan.n_analysed} pairs{exact}")
    else:
        lines.append(
            f"  analysed: {plan.n_analysed} in all, {plan.n_per_group} in the first group{exact}"
        )
    if plan.solved_for == "power":
        lines.append(f"  power: {plan.power:.3f}")
    elif plan.solved_for == "effect":
        lines.append(f"  smallest detectable effect: {plan.effect:.3f}")
    if plan.attrition > 0:
        lines.append(f"  recruit:  {plan.n_recruit} (expecting {plan.attrition:.0%} attrition)")
    lines += [f"  note: {note}" for note in plan.notes]
    return lines


def _pilot_lines(pilot: Any) -> list[str]:
    ci = (
        f" (95% CI {pilot.effect_ci_low:.2f} to {pilot.effect_ci_high:.2f})"
        if pilot.effect_ci_low is not None and pilot.effect_ci_high is not None
        else ""
    )
    lines = [
        f"Pilot: {pilot.outcome}, {pilot.from_wave} → {pilot.to_wave}, {pilot.n_pilot} "
        f"{'pairs' if pilot.design == 'linked' else 'respondents at the smaller wave'}; "
        f"{pilot.effect_name} = {pilot.effect:.2f}{ci}",
    ]
    if pilot.prepost_r is not None:
        lines.append(f"  pre-post correlation r = {pilot.prepost_r:.2f}")
    if pilot.attrition_observed is not None:
        lines.append(f"  attrition observed in the pilot: {pilot.attrition_observed:.0%}")
    lines.append("")
    lines += _plan_lines(pilot.point, "For the pilot's effect")
    if pilot.conservative is not None:
        lines += _plan_lines(pilot.conservative, "For the interval's conservative end")
    else:
        lines.append(f"For the interval's conservative end: {pilot.conservative_note}")
    if pilot.ancova_point is not None:
        lines += _plan_lines(pilot.ancova_point, "Two arms with ANCOVA, pilot's effect")
    if pilot.ancova_conservative is not None:
        lines += _plan_lines(pilot.ancova_conservative, "Two arms with ANCOVA, conservative end")
    lines.append("")
    lines += [f"Caution: {c}" for c in pilot.cautions]
    return lines


def plan_command(
    results: Annotated[
        Path | None,
        typer.Argument(help="A pilot's results JSON (from 'compare' or 'run'); needs --outcome."),
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="INSTRUMENT.SCALE to plan for (pilot mode).")
    ] = None,
    design: Annotated[
        str, typer.Option("--design", help="paired, two_groups or ancova (target mode).")
    ] = "paired",
    effect: Annotated[
        float | None,
        typer.Option(
            "--effect", help="Target effect: d_z (paired), d (two groups), d_adj (ANCOVA)."
        ),
    ] = None,
    n: Annotated[
        int | None,
        typer.Option("--n", help="Pairs, or participants in the first group, who complete."),
    ] = None,
    power: Annotated[
        str | None, typer.Option("--power", help="Target power, e.g. 0.8 or 80% (default 0.8).")
    ] = None,
    alpha: Annotated[str, typer.Option("--alpha", help="Two-sided level.")] = "0.05",
    attrition: Annotated[
        str | None,
        typer.Option("--attrition", help="Expected loss before follow-up, e.g. 0.2 or 20%."),
    ] = None,
    ratio: Annotated[
        float, typer.Option("--ratio", help="Second group's size over the first.")
    ] = 1.0,
    n_covariates: Annotated[
        int,
        typer.Option(
            "--n-covariates",
            "--covariates",
            help="Number of ANCOVA covariates, the baseline included (--covariates is its old "
            "name; compare's --covariate names a column).",
        ),
    ] = 1,
    difference: Annotated[
        float | None, typer.Option("--difference", help="Target difference in score points.")
    ] = None,
    residual_sd: Annotated[
        float | None, typer.Option("--residual-sd", help="Residual SD of the ANCOVA.")
    ] = None,
    sd: Annotated[float | None, typer.Option("--sd", help="SD of the outcome.")] = None,
    correlation: Annotated[
        float | None, typer.Option("--correlation", help="Pre-post correlation (ANCOVA).")
    ] = None,
    to_wave: Annotated[
        str | None, typer.Option("--to-wave", help="The pilot's later wave (default: post).")
    ] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the plan as JSON on standard output.")
    ] = False,
) -> None:
    """Plan the next cohort: participants to recruit, power, or the detectable effect.

    Give two of --effect, --n and --power and the third is solved (matching R's pwr), or a
    pilot's results file with --outcome to plan from the pilot's observed effect, its
    interval, attrition and pre-post correlation.
    """
    from ..comparison.power import plan_sample_size
    from ..errors import InputError

    pw = _proportion(power, "--power")
    common: dict[str, Any] = {
        "alpha": _proportion(alpha, "--alpha"),
        "attrition": _proportion(attrition, "--attrition") or 0.0,
    }
    if results is not None:
        if not results.is_file():
            raise InputError(f"results file not found: {results}", fix="check the path")
        if outcome is None:
            raise InputError("a pilot plan needs --outcome", where="plan RESULTS",
                             fix="add --outcome INSTRUMENT.SCALE, e.g. ucla3.total")  # fmt: skip
        pilot = plan_sample_size(pilot=results, outcome=outcome, power=pw, to_wave=to_wave,
                                 **common)  # fmt: skip
        if json_out:
            echo_json(pilot.to_dict())
        else:
            typer.echo("\n".join(_pilot_lines(pilot)))
        return
    plan = plan_sample_size(
        design, effect=effect, n=n, power=pw, ratio=ratio, n_covariates=n_covariates,
        difference=difference, residual_sd=residual_sd, sd=sd, correlation=correlation,
        **common,
    )  # fmt: skip
    if json_out:
        echo_json(plan.to_dict())
    else:
        typer.echo("\n".join(_plan_lines(plan)))
        typer.echo(f"Method: {plan.method}")
