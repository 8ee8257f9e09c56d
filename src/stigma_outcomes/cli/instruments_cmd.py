"""``stigma-outcomes instruments``: list, show, validate and export instrument definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import InstrumentsDir, echo_json

instruments_app = typer.Typer(
    help="Browse, inspect and validate instrument definitions.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(instruments_app, name="instruments")


def _registry(instruments_dir: list[Path] | None) -> Any:
    from ..instruments.registry import Registry

    return Registry(instruments_dir)


@instruments_app.command("list")
def list_command(
    instruments_dir: InstrumentsDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for a machine.")] = False,
) -> None:
    """List the available instruments by domain: id, name, items, license and verification."""
    from ..instruments.catalogue import verification_summary

    registry = _registry(instruments_dir)
    rows = [
        {
            "id": inst.id,
            "name": inst.name,
            "short_name": inst.short_name,
            "domain": inst.domain,
            "items": len(inst.items),
            "scales": [s.id for s in inst.scales],
            "license": inst.provenance.license.status,
            "verification": verification_summary(inst),
        }
        for inst in registry.all()
    ]
    if as_json:
        echo_json(rows)
        return
    rows.sort(key=lambda r: (r["domain"], r["id"]))
    width = max((len(r["id"]) for r in rows), default=2)
    current = None
    for row in rows:
        if row["domain"] != current:
            current = row["domain"]
            typer.echo(f"\n{current}")
        typer.echo(
            f"  {row['id']:<{width}}  {row['short_name']:<10} {row['items']:>3} items  "
            f"{row['license']:<22} {row['name']}"
        )
        typer.echo(f"  {'':<{width}}  {row['verification']}")


def _fact(fact: Any) -> str:
    return f"{fact.source} [{fact.status}]"


@instruments_app.command("show")
def show_command(
    instrument: Annotated[str, typer.Argument(help="Instrument id or path to a YAML file.")],
    instruments_dir: InstrumentsDir = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the definition as loaded (SPEC §3 fields).")
    ] = False,
) -> None:
    """Show an instrument's scoring rules, scales, bands, citation, license and sources."""
    from ..instruments.catalogue import verification_summary

    inst = _registry(instruments_dir).get(instrument)
    if as_json:
        echo_json(inst.model_dump(mode="json"))
        return
    p = inst.provenance
    lines = [
        f"{inst.name} ({inst.short_name}) — id '{inst.id}', definition v{inst.version}",
        f"construct: {inst.construct}; domain: {inst.domain}",
        f"citation: {p.citation}",
        f"DOI: {p.doi or 'not given'}",
        f"license: {p.license.status} — {p.license.note}",
        f"item wording shipped: {'yes' if p.wording_shipped else 'no (our own short labels)'}",
        f"verification: {verification_summary(inst)}",
        "",
        "response scales:",
    ]
    for name, options in inst.response_scales.items():
        text = ", ".join(f"{o.code} = {o.label}" for o in options)
        lines.append(f"  {name}: {text}")
    lines.append("")
    lines.append("items:")
    for item in inst.items:
        flags = []
        if item.reverse:
            flags.append("reversed")
        if item.recode:
            flags.append("recoded " + ", ".join(f"{k}→{v}" for k, v in item.recode.items()))
        if item.missing_codes:
            flags.append(
                "non-answers: "
                + ", ".join(
                    f"{m.label} → {'missing' if m.score_as is None else f'scored {m.score_as}'}"
                    for m in item.missing_codes
                )
            )
        suffix = f"  ({'; '.join(flags)})" if flags else ""
        lines.append(f"  {item.id:>3}  {item.label} [{item.scale}]{suffix}")
    for scale in inst.scales:
        lines += [
            "",
            f"scale '{scale.id}': {scale.name}",
            f"  items: {', '.join(scale.items)}",
            f"  method: {scale.method}; range {scale.range[0]}–{scale.range[1]}; "
            f"{scale.direction.replace('_', ' ')}",
            f"  missing data: at least {scale.required_answers()} of {len(scale.items)} items "
            f"answered"
            + (
                f", a skipped item counting {scale.missing_item_value:g}"
                if scale.missing_item_value is not None
                else ""
            )
            + (f" — {scale.min_answered_source}" if scale.min_answered_source else ""),
        ]
        if scale.bands is not None:
            bands = "; ".join(f"{b.label} {b.min}–{b.max}" for b in scale.bands.levels)
            lines.append(f"  bands: {bands} — {_fact(scale.bands)}")
        if scale.conversion is not None:
            lines.append(
                f"  conversion to {scale.conversion.to}: {len(scale.conversion.table)} rows — "
                f"{_fact(scale.conversion)}"
            )
        if scale.clinical_cutoff is not None:
            c = scale.clinical_cutoff
            lines.append(
                f"  clinical cutoff: {c.label} if score {c.operator} {c.value} — {_fact(c)}"
            )
        for norm in scale.norms:
            lines.append(
                f"  norm: {norm.population}: mean {norm.mean}, SD {norm.sd}"
                f"{f', n {norm.n}' if norm.n else ''} — {_fact(norm)}"
            )
        if scale.reliability is not None:
            if scale.reliability.alpha is not None:
                a = scale.reliability.alpha
                lines.append(f"  alpha: {a.value} — {_fact(a)}")
            if scale.reliability.test_retest is not None:
                t = scale.reliability.test_retest
                lines.append(f"  test-retest: {t.value} over {t.interval or '?'} — {_fact(t)}")
        if scale.mcid is not None:
            lines.append(
                f"  minimal important difference: {scale.mcid.value} — {_fact(scale.mcid)}"
            )
        if scale.notes:
            lines.append(f"  note: {scale.notes}")
    if inst.alerts:
        lines += ["", "alerts (evaluator only, never in funder reports):"]
        for rule in inst.alerts:
            lines.append(
                f"  {rule.id}: item(s) {', '.join(rule.items)} {rule.operator} {rule.value} — "
                f"{rule.message}"
            )
    if p.sources:
        lines += ["", "facts and their sources (status per fact):"]
        for source in p.sources:
            if isinstance(source, str):
                lines.append(f"  - {source}")
            else:
                lines.append(f"  - {source.fact} [{source.status}]: {'; '.join(source.sources)}")
    if inst.notes:
        lines += ["", f"notes: {inst.notes}"]
    typer.echo("\n".join(lines))


@instruments_app.command("validate")
def validate_command(
    paths: Annotated[list[Path], typer.Argument(help="Definition files to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for a machine.")] = False,
) -> None:
    """Check definition files against the schema and the cross-checks."""
    from ..errors import StigmaOutcomesError
    from ..instruments.registry import load_instrument_file

    results = []
    for path in paths:
        try:
            inst = load_instrument_file(path)
        except StigmaOutcomesError as err:
            results.append({"path": str(path), "valid": False, "error": str(err)})
        else:
            results.append({"path": str(path), "valid": True, "id": inst.id})
    if as_json:
        echo_json(results)
    else:
        for r in results:
            if r["valid"]:
                typer.echo(f"ok: {r['path']} ({r['id']})")
            else:
                typer.echo(
                    f"invalid: {r['path']}\n  {r['error'].replace(chr(10), chr(10) + '  ')}",
                    err=True,
                )
    if not all(r["valid"] for r in results):
        raise typer.Exit(2)


_EXPORT_FORMATS = {"redcap": ".csv", "xlsform": ".xlsx"}


@instruments_app.command("export")
def export_command(
    instrument: Annotated[str, typer.Argument(help="Instrument id or path to a YAML file.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write: .csv for redcap, .xlsx for xlsform."),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="'redcap' (a REDCap data dictionary) or 'xlsform' (a KoboToolbox/ODK XLSForm).",
        ),
    ] = "redcap",
    overlay: Annotated[
        Path | None,
        typer.Option(
            "--overlay",
            help='YAML file with item wording from your licensed copy: items: {"1": "..."}.',
        ),
    ] = None,
    record_id: Annotated[
        str | None,
        typer.Option(
            "--record-id",
            help="Also define a participant ID field first (REDCap record ID, XLSForm text "
            "question).",
        ),
    ] = None,
    instruments_dir: InstrumentsDir = None,
) -> None:
    """Export an instrument so a program can field it (REDCap dictionary or XLSForm).

    Fields are named <id>_<item>, so the REDCap or Kobo/ODK export scores without a mapping
    file.
    """
    from ..errors import InputError

    kind = fmt.lower()
    if kind not in _EXPORT_FORMATS:
        fix = "use --format redcap or --format xlsform"
        if kind.startswith("qualtrics") or kind == "qsf":
            fix += (
                "; no Qualtrics export is offered because Qualtrics' own documentation of its "
                "Advanced TXT import format could not be confirmed. In Qualtrics, set each "
                "question's export tag to <id>_<item> and its recode values to the codes that "
                "`stigma-outcomes instruments show ID` lists, or score the export with a mapping"
            )
        raise InputError(f"unknown export format '{fmt}'", where="--format", fix=fix)
    inst = _registry(instruments_dir).get(instrument)
    if kind == "redcap":
        from ..instruments.redcap import write_redcap_dictionary

        target = write_redcap_dictionary(inst, out, overlay, record_id=record_id)
        what = "REDCap data dictionary"
    else:
        from ..instruments.xlsform import write_xlsform

        target = write_xlsform(inst, out, overlay, record_id=record_id)
        what = "XLSForm (survey, choices and settings sheets)"
    wording = "wording from the overlay" if overlay else "our short labels (no item wording)"
    typer.echo(
        f"wrote {target}: {what} for {inst.short_name}, "
        f"{len(inst.items)} fields named {inst.id}_<item>; field labels are {wording}"
    )
