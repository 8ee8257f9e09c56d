"""``stigma-outcomes compare``: tidy scores → results JSON (and CSV) with a readable summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..comparison._choices import DESCRIPTIONS as COMPARE
from ..comparison._choices import PoolMethod, RciReliability, RciSd
from ._common import InstrumentsDir, fmt_ci, fmt_num, fmt_p, text_table


def register(app: typer.Typer) -> None:
    app.command("compare")(compare_command)


def _share(rec: dict[str, Any]) -> str:
    if not rec.get("threshold_rule"):
        return "–"
    before, after = rec["prop_beyond_before"], rec["prop_beyond_after"]
    return (
        f"{rec['threshold_rule']}: {before:.0%} → {after:.0%} "
        f"({fmt_num(rec['risk_difference'])} "
        f"{fmt_ci(rec['risk_difference_ci_low'], rec['risk_difference_ci_high'])})"
    )


def _label(rec: dict[str, Any]) -> list[str]:
    group = "all" if rec.get("group") is None else str(rec["group"])
    star = "*" if rec.get("suppress") else ""
    return [f"{rec['instrument']}.{rec['scale']}", group + star]


def _paired_rows(records: list[dict[str, Any]]) -> str:
    rows = []
    for r in records:
        defined = r["n_reliably_improved"] is not None
        rci = f"{r['n_reliably_improved']} / {r['n_reliably_deteriorated']}" if defined else "–"
        rows.append(
            [
                *_label(r),
                f"{r['from_wave']}→{r['to_wave']}",
                str(r["n_pairs"]),
                f"{fmt_num(r['pre_mean'])} → {fmt_num(r['post_mean'])}",
                f"{fmt_num(r['mean_change'])} "
                f"{fmt_ci(r['mean_change_ci_low'], r['mean_change_ci_high'])}",
                f"{fmt_num(r['d_z'])} {fmt_ci(r['d_z_ci_low'], r['d_z_ci_high'])}",
                fmt_p(r["p_t"]),
                fmt_p(r["p_t_holm"]),
                rci,
            ]
        )
    headers = ["scale", "group", "contrast", "pairs", "mean", "change [95% CI]",
               "d_z [95% CI]", "p", "p Holm", "reliably better / worse"]  # fmt: skip
    return text_table(headers, rows)


def _unlinked_rows(records: list[dict[str, Any]]) -> str:
    rows = [
        [
            *_label(r),
            f"{r['from_wave']}→{r['to_wave']}",
            f"{r['n_before']} / {r['n_after']}",
            f"{fmt_num(r['mean_before'])} → {fmt_num(r['mean_after'])}",
            f"{fmt_num(r['mean_difference'])} "
            f"{fmt_ci(r['mean_difference_ci_low'], r['mean_difference_ci_high'])}",
            f"{fmt_num(r['hedges_g'])} {fmt_ci(r['hedges_g_ci_low'], r['hedges_g_ci_high'])}",
            fmt_p(r["p_t"]),
            fmt_p(r.get("p_t_holm")),
            fmt_p(r["p_mann_whitney"]),
            _share(r),
        ]
        for r in records
    ]
    headers = ["scale", "group", "waves", "n before / after", "mean", "difference [95% CI]",
               "g [95% CI]", "p Welch", "p Welch Holm", "p Mann-Whitney",
               "share at threshold (RD [95% CI])"]  # fmt: skip
    return text_table(headers, rows)


def summary_text(results: Any, min_cell: int) -> str:
    """The terminal summary of a :class:`~stigma_outcomes.comparison.Results`."""
    parts: list[str] = []
    if results.paired:
        parts.append("Paired (linked participants)\n" + _paired_rows(results.paired))
    if results.unlinked:
        parts.append(
            "Unlinked (anonymous waves compared as independent samples)\n"
            + _unlinked_rows(results.unlinked)
        )
    extra = []
    for name, label in (("mixed_models", "mixed models"), ("ancova", "ANCOVA records"),
                        ("attrition", "attrition records"),
                        ("pooled", "pooled (across-site) records"),
                        ("reliability", "in-sample reliability records")):  # fmt: skip
        count = len(getattr(results, name))
        if count:
            extra.append(f"{count} {label}")
    if extra:
        parts.append("Also computed: " + ", ".join(extra) + " (see the results file).")
    if any(r.get("suppress") for _, recs in results.sections() for r in recs):
        parts.append(
            f"* based on fewer than {min_cell} people: shown here for you, "
            "suppressed in reports meant for others."
        )
    notes = sorted({r["note"] for r in results.paired + results.unlinked if r.get("note")})
    if notes:
        parts.append("Notes:\n" + "\n".join(f"  - {n}" for n in notes))
    return "\n\n".join(parts)


def compare_command(
    scores: Annotated[Path, typer.Argument(help="Tidy scores file written by 'score'.")],
    pre: Annotated[str, typer.Option("--pre", help=COMPARE["pre"])],
    post: Annotated[str, typer.Option("--post", help=COMPARE["post"])],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Results JSON file to write.")
    ] = None,
    followup: Annotated[
        list[str] | None, typer.Option("--followup", help=COMPARE["followup"])
    ] = None,
    group_by: Annotated[
        str | None, typer.Option("--group-by", "--group-col", help=COMPARE["group_by"])
    ] = None,
    reference_group: Annotated[
        str | None, typer.Option("--reference-group", help=COMPARE["reference_group"])
    ] = None,
    covariate: Annotated[
        list[str] | None, typer.Option("--covariate", help=COMPARE["covariates"])
    ] = None,
    unlinked: Annotated[bool, typer.Option("--unlinked", help=COMPARE["unlinked"])] = False,
    reliability: Annotated[
        list[str] | None,
        typer.Option("--reliability", metavar="INSTRUMENT.SCALE=R", help=COMPARE["reliability"]),
    ] = None,
    direction: Annotated[
        list[str] | None,
        typer.Option(
            "--direction", metavar="INSTRUMENT.SCALE=DIRECTION", help=COMPARE["direction"]
        ),
    ] = None,
    scale_info: Annotated[
        Path | None,
        typer.Option("--scale-info", help="YAML with direction/reliability/cutoff of scales."),
    ] = None,
    clinical_threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--clinical-threshold",
            metavar="INSTRUMENT.SCALE=VALUE",
            help=COMPARE["clinical_threshold"],
        ),
    ] = None,
    keyed_items: Annotated[
        Path | None,
        typer.Option(
            "--items",
            "--keyed-items",
            help="Keyed item responses for in-sample reliability (default: the file 'score' "
            "wrote beside the scores, <scores>.items.<ext>, when it is there).",
        ),
    ] = None,
    rci_sd: Annotated[RciSd, typer.Option("--rci-sd", help=COMPARE["rci_sd"])] = RciSd.baseline,
    rci_reliability: Annotated[
        RciReliability, typer.Option("--rci-reliability", help=COMPARE["rci_reliability"])
    ] = RciReliability.auto,
    min_cell: Annotated[int, typer.Option("--min-cell", help=COMPARE["min_cell"])] = 5,
    pool_by: Annotated[str | None, typer.Option("--pool-by", help=COMPARE["pool_by"])] = None,
    pool_method: Annotated[
        PoolMethod, typer.Option("--pool-method", help=COMPARE["pool_method"])
    ] = PoolMethod.REML,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Also write every record as one table.")
    ] = None,
    instruments_dir: InstrumentsDir = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary and file paths as JSON.")
    ] = False,
) -> None:
    """Compare waves: paired or unlinked statistics, reliable change, attrition, mixed models.

    Scales of instruments in the registry take reliability and direction from their
    definitions; scales of other instruments need --direction and --reliability (or a
    --scale-info YAML file). The options are the settings of the evaluation file, by the
    same names (stigma_outcomes.comparison.CompareSettings).
    """
    from .._outputs import all_or_nothing, check_output_paths
    from ..comparison import compare
    from ..comparison.scale_facts import parse_assignments
    from ..comparison.settings import CompareSettings
    from ..errors import InputError
    from ..instruments.registry import Registry
    from ._common import echo_json, items_beside, required_out

    json_out = required_out(out, "results JSON file", "results.json")
    if keyed_items is None and items_beside(scores).is_file():
        keyed_items = items_beside(scores)
    check_output_paths({"--out": json_out, "--csv": csv_out}, [scores, keyed_items, scale_info])
    settings = CompareSettings.build(
        "stigma-outcomes compare",
        pre=pre,
        post=post,
        followup=followup or (),
        group_by=group_by,
        reference_group=reference_group,
        covariates=covariate or (),
        unlinked=unlinked,
        reliability=parse_assignments(reliability or [], "--reliability"),
        direction=parse_assignments(direction or [], "--direction"),
        clinical_threshold=parse_assignments(clinical_threshold or [], "--clinical-threshold"),
        rci_sd=rci_sd,
        rci_reliability=rci_reliability,
        min_cell=min_cell,
        pool_by=pool_by,
        pool_method=pool_method,
    )
    items = None
    if keyed_items is not None:
        from .._io import read_table

        if not keyed_items.exists():
            raise InputError(f"keyed items file not found: {keyed_items}", fix="check the path")
        items = read_table(keyed_items, dtype={"participant_id": str, "wave": str})
    results = compare(
        scores,
        settings=settings,
        registry=Registry(instruments_dir),
        keyed_items=items,
        scale_info=scale_info,
    )
    with all_or_nothing():
        results.to_json(json_out)
        if csv_out is not None:
            results.to_csv(csv_out)
    for warning in results.meta.get("warnings", []):
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        files = {"results": str(json_out)} | ({"csv": str(csv_out)} if csv_out else {})
        records = {name: len(recs) for name, recs in results.sections() if recs}
        echo_json(
            {"files": files, "records": records, "warnings": results.meta.get("warnings", [])}
        )
        return
    typer.echo(summary_text(results, min_cell))
    typer.echo(f"\nwrote {json_out}" + (f" and {csv_out}" if csv_out else ""))
