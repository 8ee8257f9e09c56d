"""``stigma-outcomes pool``: results of separately analysed programmes → pooled results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..comparison._choices import PoolMethod
from ._common import fmt_ci, fmt_num, fmt_p, text_table


def register(app: typer.Typer) -> None:
    app.command("pool")(pool_command)


def pooled_rows(records: list[dict[str, Any]]) -> str:
    """The terminal table of pooled records (one row per scale × contrast × effect)."""
    rows = [
        [
            f"{r['instrument']}.{r['scale']}",
            f"{r['from_wave']} → {r['to_wave']}",
            str(r["effect"]),
            str(r["k"]),
            f"{fmt_num(r['estimate'])} {fmt_ci(r['ci_low'], r['ci_high'])}",
            fmt_p(r["p"]),
            fmt_num(r["tau2"], 3),
            f"{fmt_num(r['i2'], 0)}%",
            fmt_ci(r["pi_low"], r["pi_high"]),
        ]
        for r in records
    ]
    headers = ["scale", "contrast", "effect", "sources", "pooled [95% CI]", "p", "tau2", "I2",
               "prediction interval"]  # fmt: skip
    return text_table(headers, rows)


def pool_command(
    results: Annotated[
        list[Path], typer.Argument(help="Results JSON of each programme (from 'compare' or 'run').")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Pooled results JSON to write.")
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", help="Name of each programme, in order (default: file names)."),
    ] = None,
    method: Annotated[
        PoolMethod,
        typer.Option(
            "--pool-method",
            "--method",
            help="Between-programme variance estimator: REML or DL (as compare's "
            "--pool-method; --method is its old name).",
        ),
    ] = PoolMethod.REML,
    min_cell: Annotated[
        int,
        typer.Option(
            "--min-cell", min=1, help="Privacy limit: programmes with fewer pairs are not pooled."
        ),
    ] = 5,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Also write every record as one table.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the pooled records and file paths as JSON.")
    ] = False,
) -> None:
    """Pool programmes analysed separately: random-effects meta-analysis of each one's change.

    Each results file's whole-sample paired records are one study; the pooled change, the
    spread between programmes (tau2, I2) and a prediction interval are written as the
    'pooled' records of a results file. Use 'compare --pool-by COLUMN' instead when one
    scores table holds every site.
    """
    from .._outputs import all_or_nothing, check_output_paths
    from ..comparison import pool_results
    from ._common import echo_json, required_out

    json_out = required_out(out, "pooled results JSON file", "pooled.json")
    check_output_paths({"--out": json_out, "--csv": csv_out}, results)
    pooled = pool_results(results, label or None, min_cell=min_cell, pool_method=str(method))
    with all_or_nothing():
        pooled.to_json(json_out)
        if csv_out is not None:
            pooled.to_csv(csv_out)
    if as_json:
        files = {"results": str(json_out)} | ({"csv": str(csv_out)} if csv_out else {})
        echo_json({"files": files, "pooled": pooled.pooled})
        return
    if pooled.pooled:
        typer.echo(pooled_rows(pooled.pooled))
    else:
        typer.echo(
            f"nothing pooled: no scale had {min_cell} or more pairs in at least two programmes"
        )
    typer.echo(f"\nwrote {json_out}" + (f" and {csv_out}" if csv_out else ""))
