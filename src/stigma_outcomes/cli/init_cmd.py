"""``stigma-outcomes init``: inspect exports, show what matches, draft mapping and evaluation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._load_choices import DESCRIPTIONS as LOAD
from ._common import InstrumentsDir, echo_json, sheet_option

if TYPE_CHECKING:
    from ..evaluation import Evaluation
    from ..ingest.propose import Proposal


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)


def init_command(
    exports: Annotated[list[Path], typer.Argument(help="Export file(s) as downloaded.")],
    instrument: Annotated[
        list[str] | None,
        typer.Option(
            "--instrument",
            "-i",
            help="Instrument id or YAML path to look for (repeatable); all known by default.",
        ),
    ] = None,
    flavor: Annotated[str | None, typer.Option("--flavor", help=LOAD["flavor"])] = None,
    dictionary: Annotated[
        Path | None, typer.Option("--dictionary", help=LOAD["dictionary"])
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help=LOAD["sheet"])] = None,
    include_previews: Annotated[
        bool, typer.Option("--include-previews", help=LOAD["include_previews"])
    ] = False,
    include_incomplete: Annotated[
        bool, typer.Option("--include-incomplete", help=LOAD["include_incomplete"])
    ] = False,
    pii: Annotated[list[str] | None, typer.Option("--pii", help=LOAD["pii"])] = None,
    write_mapping: Annotated[
        Path | None, typer.Option("--write-mapping", help="Write the proposed mapping here.")
    ] = None,
    write_evaluation: Annotated[
        Path | None,
        typer.Option("--write-evaluation", help="Write a starter evaluation file here."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
    instruments_dir: InstrumentsDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
) -> None:
    """Inspect exports and propose how their columns map to instrument items.

    Nothing is written unless --write-mapping or --write-evaluation is given.
    """
    from ..errors import InputError
    from ..ingest.propose import propose
    from ..ingest.readers import read_export
    from ..ingest.redcap import read_redcap_dictionary
    from ..instruments.registry import Registry

    targets = [p for p in (write_mapping, write_evaluation) if p is not None]
    for target in targets:
        if target.exists() and not force:
            raise InputError(
                f"{target} already exists",
                fix="choose another file name, or add --force to replace it",
            )
    registry = Registry(instruments_dir)
    chosen = [registry.get(i) for i in instrument] if instrument else registry.all()
    exports, found = _split_dictionary(exports)
    if found is not None:
        if dictionary is not None:
            raise InputError(
                f"two REDCap data dictionaries: {found.name} and {dictionary.name}",
                fix="give one dictionary, with --dictionary",
            )
        dictionary = found
    if not exports:
        raise InputError(
            "only a data dictionary was given", fix="add the REDCap data export itself"
        )
    dd = read_redcap_dictionary(dictionary) if dictionary is not None else None
    tables = [
        read_export(
            path,
            flavor=flavor,
            sheet=sheet_option(sheet),
            dictionary=dd,
            include_previews=include_previews,
            include_incomplete=include_incomplete,
            pii=pii or (),
        )
        for path in exports
    ]
    proposal = propose(tables, chosen, named=bool(instrument))
    # An instrument given as a YAML file is written as that file's path (relative to the
    # evaluation file), so `run` finds the same definition.
    given = {registry.get(i).id: i for i in instrument or ()}
    refs = {
        i: _relative(Path(given[i]), write_evaluation)
        for i in given
        if Path(given[i]).suffix.lower() in {".yaml", ".yml"}
    }
    draft = draft_evaluation(
        proposal,
        paths=[_relative(p, write_evaluation) for p in exports],
        instruments=refs,
        mapping=_relative(write_mapping, write_evaluation) if write_mapping else None,
        dictionary=_relative(dictionary, write_evaluation) if dictionary else None,
    )
    if write_evaluation is not None:
        _check_runnable(draft, proposal, write_evaluation, named=tuple(given))
    evaluation = None if draft is None else evaluation_file(draft)
    if write_mapping is not None:
        _write_yaml(write_mapping, proposal.mapping, proposal.ambiguities, "column mapping")
    doubts = list(proposal.ambiguities)
    needs_map = (
        any(
            entry != {"pattern": f"{inst}_{{item}}"}
            for inst, entry in proposal.mapping.get("instruments", {}).items()
        )
        or any(f.id_col and f.id_col != proposal.mapping.get("id_col") for f in proposal.files)
        or "waves" in proposal.mapping
    )
    if write_evaluation is not None and write_mapping is None and needs_map:
        doubts.append(
            "the columns need a mapping file but none was written; run again with "
            "--write-mapping FILE (the evaluation file then points at it)"
        )
    if write_evaluation is not None and evaluation is not None:
        _write_yaml(write_evaluation, evaluation, doubts, "evaluation file")
    if as_json:
        echo_json(
            {
                "files": [
                    {
                        "source": f.source,
                        "flavor": f.flavor,
                        "flavor_reason": f.flavor_reason,
                        "id_col": f.id_col,
                        "wave": f.wave,
                        "wave_col": f.wave_col,
                        "matches": {k: _found(c) for k, c in f.matches.items()},
                        "waves_side_by_side": {
                            k: {w: _found(c) for w, c in blocks.items()}
                            for k, blocks in f.by_wave.items()
                        },
                        "possible_unconfirmed": {k: _found(c) for k, c in f.possible.items()},
                        "personal_columns": sorted(f.pii),
                        "excluded": f.excluded,
                    }
                    for f in proposal.files
                ],
                "ambiguities": doubts,
                "mapping": proposal.mapping,
                "evaluation": evaluation,
            }
        )
        return
    for line in proposal.lines():
        typer.echo(line)
    for doubt in doubts[len(proposal.ambiguities) :]:
        typer.echo(f"? {doubt}")
    for target in targets:
        typer.echo(f"wrote {target}")
    if not targets:
        typer.echo("nothing written; add --write-mapping FILE and --write-evaluation FILE")


def _found(candidate: Any) -> dict[str, Any]:
    """One block as ``--json`` shows it: how it was found, why, and its columns."""
    return {"how": candidate.how, "why": candidate.why, "columns": candidate.columns}


def _split_dictionary(paths: list[Path]) -> tuple[list[Path], Path | None]:
    """Take a REDCap data dictionary out of the exports, if one was given among them."""
    from ..errors import InputError
    from ..ingest.readers import read_sheet
    from ..ingest.redcap import looks_like_dictionary

    exports: list[Path] = []
    dictionaries: list[Path] = []
    for path in paths:
        if path.suffix.lower() in {".csv", ".txt"} and looks_like_dictionary(read_sheet(path)):
            dictionaries.append(path)
        else:
            exports.append(path)
    if len(dictionaries) > 1:
        raise InputError(
            f"several REDCap data dictionaries: {', '.join(p.name for p in dictionaries)}",
            fix="give the one that belongs to these exports",
        )
    return exports, (dictionaries[0] if dictionaries else None)


def _relative(path: Path, anchor: Path | None) -> str:
    if anchor is None:
        return str(path)
    return Path(os.path.relpath(path.resolve(), anchor.resolve().parent)).as_posix()


def draft_evaluation(
    proposal: Proposal,
    *,
    paths: list[str],
    instruments: dict[str, str],
    mapping: str | None,
    dictionary: str | None,
) -> Evaluation | None:
    """The starter evaluation file, built as the model ``run`` reads (valid by construction),
    or ``None`` when no instrument was recognised on evidence (there is nothing to run).

    Parameters
    ----------
    proposal : Proposal
        ``init``'s proposal for the exports.
    paths : list of str
        Each export's path as the evaluation file names it, in the proposal's order.
    instruments : dict
        Instrument id → how the file names it, for instruments given as definition files.
    mapping, dictionary : str, optional
        The mapping file and the REDCap data dictionary, as the evaluation file names them.
    """
    from ..evaluation import DataFile, Evaluation, Privacy, Waves
    from ..ingest.propose import WaveOrder

    files = proposal.files
    found = sorted({i for f in files for i in (*f.matches, *f.by_wave)})
    if not found:
        return None
    data = [
        DataFile(
            path=path,
            **({"wave_col": f.wave_col} if f.wave_col else {"wave": wave}),
            **({"flavor": f.flavor} if f.flavor != "plain" else {}),
            **({"dictionary": dictionary} if dictionary else {}),
        )
        for f, path in zip(files, paths, strict=True)
        # a file holding its waves side by side is named once per wave
        for wave in (f.side_by_side or [f.wave])
    ]
    fields: dict[str, Any] = {}
    if mapping is not None:
        fields["mapping"] = mapping
    ids = [f.id_col for f in files if f.id_col]
    if ids:
        fields["id_col"] = ids[0]
    # The waves as the proposal compares them (baseline, post, later waves; a wave that
    # says no place and comes before the post is left out), from the exports' own waves or
    # else a wave column; where they did not say so, the drafted file asks.
    column = next((f for f in files if len(f.wave_values) >= 2), None)
    order = proposal.file_waves
    renames: dict[str, str] = {}
    if order is None and column is not None:
        left_out = set(column.waves_left_out)
        order = WaveOrder([w for w in column.wave_values if w not in left_out], [], None)
        renames = column.wave_renames
    if order is not None:
        pre, post, *later = order.compared
        fields["waves"] = Waves(
            pre=pre,
            post=post,
            **({"followup": later} if later else {}),
            **({"rename": renames} if renames else {}),
        )
    if proposal.id_zeros:
        fields["ignore_id_zeros"] = True
    return Evaluation(
        title="Programme outcome report",
        data=data,
        instruments=[instruments.get(i, i) for i in found],
        **fields,
        privacy=Privacy(min_cell=5),
    )


def evaluation_file(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation file's content: the fields given, in the model's order."""
    return evaluation.model_dump(mode="json", exclude_unset=True)


def _check_runnable(
    evaluation: Evaluation | None,
    proposal: Proposal,
    target: Path,
    named: tuple[str, ...] = (),
) -> None:
    """Refuse, before anything is written, an evaluation file that `run` could not run.

    `run` compares waves, so it needs two of them, and it needs at least one instrument
    matched on evidence (a possible, unconfirmed match is never written as settled).
    ``named`` are the instruments given with ``--instrument``: the advice is then not to
    name them again, but to map their columns.
    """
    from ..errors import InputError

    if evaluation is None:
        possible = sorted({i for f in proposal.files for i in f.possible})
        hint = (
            f" (possible but unconfirmed by labels or names: {', '.join(possible)})"
            if possible
            else ""
        )
        if named:
            raise InputError(
                f"named with --instrument, {', '.join(named)} "
                f"{'was' if len(named) == 1 else 'were'} not recognised on evidence in the "
                f"export(s){hint}, so the evaluation file could not run",
                where=str(target),
                fix=f"if the export does hold {'it' if len(named) == 1 else 'them'}, bind the "
                "columns yourself in a mapping file (instruments: <id>: pattern: or columns:) "
                "and name that file as `mapping:` in the evaluation file; else check the "
                "instrument named",
            )
        raise InputError(
            f"no instrument was recognised on evidence{hint}, so the evaluation file could not run",
            where=str(target),
            fix="name the instrument with --instrument and map its columns in a mapping file "
            "(--write-mapping drafts one); then write the evaluation file",
        )
    found = {entry.wave for entry in evaluation.data if entry.wave}
    found.update(v for f in proposal.files for v in f.wave_values)
    missing = [w for w in (evaluation.waves.pre, evaluation.waves.post) if w not in found]
    if missing:
        raise InputError(
            f"only {len(found)} wave(s) found ({', '.join(sorted(found)) or 'none'}); `run` "
            "compares a baseline with a later wave",
            where=str(target),
            fix="give one export per wave (e.g. init pre.csv post.csv, named after their "
            "waves) or an export with a wave column; or use `score` for a single wave",
        )


def _write_yaml(path: Path, content: dict[str, Any], doubts: list[str], what: str) -> None:
    import yaml

    from .._io import write_text_atomic

    lines = [f"# Starter {what} drafted by `stigma-outcomes init`; check it before use."]
    if doubts:
        lines.append("# Open questions:")
        lines.extend(f"#   - {d}" for d in doubts)
    body = yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
    write_text_atomic(path, "\n".join(lines) + "\n" + body)
