"""``stigma-outcomes score``: exports → tidy scores, data-quality ledger and alerts."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from .._load_choices import DESCRIPTIONS as LOAD
from .._load_choices import DuplicatePolicy
from ._common import (
    InstrumentsDir,
    echo_json,
    hand_back_memory,
    one_blas_thread,
    sheet_option,
)


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)


def score_command(
    exports: Annotated[
        list[Path], typer.Argument(help="Export file(s): one per wave, or one long file.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Scores file (.csv, .xlsx or .parquet).")
    ],
    instrument: Annotated[
        list[str] | None,
        typer.Option(
            "--instrument",
            "-i",
            help="Instrument id or YAML path (repeatable); "
            "detected from <instrument>_<item> column names when omitted.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "--map", help=LOAD["mapping"])
    ] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help=LOAD["id_col"])] = None,
    wave_col: Annotated[str | None, typer.Option("--wave-col", help=LOAD["wave_col"])] = None,
    wave: Annotated[list[str] | None, typer.Option("--wave", help=LOAD["wave"])] = None,
    carry: Annotated[list[str] | None, typer.Option("--carry", help=LOAD["carry"])] = None,
    flavor: Annotated[str | None, typer.Option("--flavor", help=LOAD["flavor"])] = None,
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Data-quality ledger file.")
    ] = None,
    alerts: Annotated[
        Path | None,
        typer.Option("--alerts", help="Evaluator-only alerts file (default: beside --out)."),
    ] = None,
    duplicates: Annotated[
        DuplicatePolicy, typer.Option("--duplicates", help=LOAD["duplicates"])
    ] = DuplicatePolicy.keep_last_complete,
    casefold_ids: Annotated[
        bool, typer.Option("--casefold-ids", help=LOAD["casefold_ids"])
    ] = False,
    ignore_id_zeros: Annotated[
        bool, typer.Option("--ignore-id-zeros", help=LOAD["ignore_id_zeros"])
    ] = False,
    wide: Annotated[
        Path | None, typer.Option("--wide", help="Also write a wide scores file.")
    ] = None,
    no_items: Annotated[
        bool,
        typer.Option(
            "--no-items",
            help="Do not write the keyed item responses beside the scores "
            "(compare then cannot compute in-sample reliability).",
        ),
    ] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help=LOAD["sheet"])] = None,
    dictionary: Annotated[
        Path | None, typer.Option("--dictionary", help=LOAD["dictionary"])
    ] = None,
    include_previews: Annotated[
        bool, typer.Option("--include-previews", help=LOAD["include_previews"])
    ] = False,
    include_incomplete: Annotated[
        bool, typer.Option("--include-incomplete", help=LOAD["include_incomplete"])
    ] = False,
    pii: Annotated[list[str] | None, typer.Option("--pii", help=LOAD["pii"])] = None,
    id_key_file: Annotated[
        Path | None,
        typer.Option(
            "--id-key-file",
            help="Project key file: replace participant IDs by keyed pseudonyms "
            "(or set STIGMA_OUTCOMES_ID_KEY).",
        ),
    ] = None,
    instruments_dir: InstrumentsDir = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 1 when the ledger has any problem.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Score every participant on the instruments' scales; write scores, ledger and alerts."""
    one_blas_thread()
    # Arrow parses the exports on the idle core while the heavy imports hold the GIL.
    with _started_up(exports):
        from .._outputs import all_or_nothing, check_output_paths
        from ..ingest.settings import LoadSettings
        from ..instruments.registry import Registry
        from ..scoring import score
        from ._common import items_beside

        default_alerts = out.with_name(f"{out.stem}.alerts{out.suffix or '.csv'}")
        items_path = None if no_items else items_beside(out)
        check_output_paths(
            {"--out": out, "--ledger": ledger, "--alerts": alerts or default_alerts, "--wide": wide,
             "item responses": items_path},
            [*exports, mapping, dictionary, id_key_file,
             *(Path(i) for i in instrument or () if i.endswith((".yaml", ".yml")))],
        )  # fmt: skip
        registry = Registry(instruments_dir)
        id_key = None
        if id_key_file is not None or os.environ.get("STIGMA_OUTCOMES_ID_KEY"):
            from ..ingest.pseudonym import load_id_key

            id_key = load_id_key(id_key_file)
        settings = LoadSettings.build(
            "stigma-outcomes score",
            mapping=mapping,
            id_col=id_col,
            wave_col=wave_col,
            wave=wave or None,
            carry=carry or (),
            duplicates=duplicates,
            casefold_ids=casefold_ids,
            ignore_id_zeros=ignore_id_zeros,
            flavor=flavor,
            include_previews=include_previews,
            include_incomplete=include_incomplete,
            pii=pii or (),
            sheet=sheet_option(sheet),
            dictionary=dictionary,
        )
        sources = [str(p) for p in exports]
        result = score(sources, instrument or None, settings, registry=registry, id_key=id_key)
        alerts_path = alerts
        if alerts_path is None and len(result.alerts):
            alerts_path = default_alerts
        # All or nothing: scores, ledger, alerts, the item responses (which 'compare' reads for
        # in-sample reliability) and the wide file move into place together.
        from .._csv_shared import help_with_parts, stop_helping
        from .._io import write_table

        with all_or_nothing() as outputs:
            with outputs.beside(out.parent) as in_background:
                summarised = None
                written, items_written = threading.Event(), threading.Event()
                if items_path is not None:
                    # The item responses are written on the other core while the scores are
                    # written here: both writers spend most of their time in Arrow and numpy,
                    # without the GIL. The summary's counts follow them there, and then that
                    # core makes the scores' last lines; or this one the items', if the scores
                    # are written first (:mod:`.._csv_shared`).
                    items = in_background(result.write_items, items_path)
                    items.add_done_callback(lambda _: stop_helping(items_written))
                    summarised = in_background(result.summary)
                    in_background(help_with_parts, written)
                else:
                    # An older run's item responses would no longer match these scores: 'compare'
                    # reads the file beside the scores, so it goes with the rest of the set.
                    outputs.remove_on_commit([items_beside(out)])
                if alerts_path is None:
                    # An older run's alerts beside these scores would be taken for theirs.
                    outputs.remove_on_commit([default_alerts])
                try:
                    result.write(out, ledger, alerts_path)
                    if wide is not None:
                        write_table(result.wide(), wide, private=True)
                finally:
                    stop_helping(written)
                # A summary not yet begun on the other core is counted here, while the items
                # are still being written there.
                here = summarised is None or summarised.cancel()
                summary = result.summary() if here else None
                if items_path is not None:
                    help_with_parts(items_written)
                if summary is None:
                    summary = summarised.result()
            # Written: the results' memory goes back on the other core while the set moves
            # into place, not on this thread as the command ends.
            read_from, problems = result.sources, sum(result.problems_by_type().values())
            held = [result]
            del result
            hand_back_memory(held)
        summary["outputs"] = {
            "scores": str(out),
            "ledger": str(ledger) if ledger else None,
            "alerts": str(alerts_path) if alerts_path else None,
            "items": str(items_path) if items_path else None,
        }
        if as_json:
            echo_json(summary)
        else:
            _print_summary(summary, read_from)
        if strict and problems:
            raise typer.Exit(1)


_HEAVY_IMPORTS = ("..scoring", "..ingest.settings", "..instruments.registry", ".._outputs")
"""What the command imports first (pandas, pydantic and the pipeline)."""


@contextlib.contextmanager
def _started_up(exports: list[Path]) -> Iterator[None]:
    """The exports parsed ahead while the heavy modules are imported, with no garbage
    collection meanwhile.

    Importing pandas and the pipeline makes hundreds of thousands of objects that live as
    long as the process, and next to no garbage: the collector's passes over them took
    ~0.1 s of the main thread. None runs while they are imported, and they are frozen out
    of its later passes: until the block ends, or for good where objects were frozen before
    (by the console script, :mod:`._entry`, or the caller).
    """
    from ..ingest.formats._started import reading_ahead

    # Objects frozen before (by the console script, or the caller) stay frozen at the end.
    unfreeze = gc.get_freeze_count() == 0
    with contextlib.ExitStack() as started:
        enabled = gc.isenabled()
        gc.disable()
        try:
            # The parse's own modules (numpy, Arrow) first, here, where the import has the
            # GIL to itself: begun by the read-ahead thread, it shared the GIL with pandas'
            # import here and the parse started 0.1 s late, to end after the imports.
            importlib.import_module("..ingest.formats.text", __package__)
            started.enter_context(reading_ahead(exports))
            for module in _HEAVY_IMPORTS:
                importlib.import_module(module, __package__)
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
        try:
            yield
        finally:
            if unfreeze:
                gc.unfreeze()


def _print_summary(summary: dict, sources: list[str]) -> None:
    echo = typer.echo
    echo(f"read {summary['rows_in']} rows from {len(sources)} file(s): {', '.join(sources)}")
    echo(f"scored {summary['rows_scored']} rows; excluded {summary['rows_excluded']}")
    for reason, count in summary["excluded_by_reason"].items():
        echo(f"  excluded, {reason.replace('_', ' ')}: {count}")
    echo("")
    width = max((len(f"{s['instrument']}.{s['scale']}") for s in summary["scales"]), default=10)
    echo(f"  {'scale':<{width}}  {'scored':>7}  {'no score':>8}  {'mean':>8}")
    for s in summary["scales"]:
        mean = "" if s["mean"] is None else f"{s['mean']:.2f}"
        echo(
            f"  {s['instrument'] + '.' + s['scale']:<{width}}  {s['n_ok']:>7}  "
            f"{s['n_no_score']:>8}  {mean:>8}"
        )
    if summary["not_asked"]:
        where = ", ".join(f"{x['instrument']} at {x['wave']}" for x in summary["not_asked"])
        echo(f"\nnot asked (nobody answered it at that wave; no score there): {where}")
    if summary["notes"]:
        echo("\nnotes on the export's layout (no data problem; see the ledger):")
        for note, count in summary["notes"].items():
            echo(f"  {note.replace('_', ' ')}: {count}")
    if summary["problems"]:
        echo("\ndata problems (see the ledger for each one):")
        for problem, count in summary["problems"].items():
            echo(f"  {problem.replace('_', ' ')}: {count}")
    if summary["alerts"]:
        echo(
            f"\n{summary['alerts']} alert(s) for the evaluator only: "
            f"{summary['outputs']['alerts']} — never share this file."
        )
    echo(f"\nscores written to {summary['outputs']['scores']}")
    if summary["outputs"]["ledger"]:
        echo(f"ledger written to {summary['outputs']['ledger']}")
