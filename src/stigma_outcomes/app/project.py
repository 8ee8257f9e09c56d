"""The two files a run is made of: ``evaluation.yaml`` and ``mapping.yaml``, from the answers.

Both are checked by the same models ``stigma-outcomes run`` uses, written next to the uploaded
exports, and packed with them into the project zip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ._answers import Answers


def mapping_of(wb: Answers) -> dict[str, Any]:
    """The mapping file's content, from the confirmed blocks (with the user's changes).

    Built as the :class:`~stigma_outcomes.ingest.ColumnMapping` that ``run`` reads, so it is
    valid by construction.
    """
    from ..ingest import ColumnMapping, InstrumentMap, MappingSection

    per_file: dict[str, dict[str, InstrumentMap]] = {}
    per_wave: dict[str, dict[str, InstrumentMap]] = {}
    top: dict[str, InstrumentMap] = {}
    for block in wb.chosen_blocks():
        entries: dict[str, InstrumentMap] = {}
        for source, entry in block.entries.items():
            if block.target != block.instrument:
                items = wb.load_target(block.target).item_ids
                columns = block.columns[source]
                if len(items) != len(columns):
                    raise InputError(
                        f"{block.target} has {len(items)} items but the block of "
                        f"{block.instrument} has {len(columns)} columns",
                        where=f"Questionnaires, {block.instrument}",
                        fix=f"choose an instrument with {len(columns)} items, or undo the change",
                    )
                pairs = zip(map(str, items), columns, strict=True)
                fields: dict[str, Any] = {"columns": dict(pairs)}
            else:
                fields = {k: v for k, v in entry.items() if k != "recode"}
            if block.recode:
                fields["recode"] = dict(block.recode)
            if source in block.waves:
                # A file holding its waves side by side: each wave's block in its section.
                per_wave.setdefault(block.waves[source], {})[block.target] = InstrumentMap(**fields)
                continue
            entries[source] = InstrumentMap(**fields)
        if not entries:
            continue
        values = list(entries.values())
        if len(entries) == len(wb.readable()) and all(v == values[0] for v in values):
            top[block.target] = values[0]
        else:
            for source, entry in entries.items():
                per_file.setdefault(source, {})[block.target] = entry
    ids = {e.summary.id_col for e in wb.readable() if e.summary.id_col}
    file_ids: dict[str, str] = {}
    if not wb.design.id_col and len(ids) > 1:
        file_ids = {e.name: e.summary.id_col for e in wb.readable() if e.summary.id_col}
    sources = list(dict.fromkeys([*per_file, *file_ids]))
    files = {
        s: MappingSection(
            instruments=per_file.get(s, {}),
            **({"id_col": file_ids[s]} if s in file_ids else {}),
        )
        for s in sources
    }
    sections: dict[str, Any] = {"files": files} if files else {}
    if per_wave:
        sections["waves"] = {w: MappingSection(instruments=b) for w, b in per_wave.items()}
    return ColumnMapping(instruments=top, **sections).file_content()


def evaluation_of(wb: Answers) -> dict[str, Any]:
    """The evaluation file's content; checked by the same model ``run`` uses."""
    from ..evaluation import load_evaluation

    p, d = wb.programme, wb.design
    data = []
    for export in wb.exports:
        entry: dict[str, Any] = {"path": export.name}
        s = export.summary
        if s is not None and s.wave_col:
            entry["wave_col"] = s.wave_col
        else:
            entry["wave"] = export.wave or None
        if s is not None and s.flavor != "plain":
            entry["flavor"] = s.flavor
        if wb.dictionary_for(export) is not None:
            entry["dictionary"] = wb.dictionary
        entry.update(export.read_options())
        # A file holding its waves side by side is named once per wave (as init drafts it).
        waves = s.side_by_side if s is not None and not s.wave_col else []
        data += [{**entry, "wave": w} for w in waves] if waves else [entry]
    ids = {e.summary.id_col for e in wb.readable() if e.summary.id_col}
    evaluation: dict[str, Any] = {"title": p.title or "Programme outcome report"}
    evaluation.update({k: v for k, v in (("program", p.program), ("period", p.period)) if v})
    targets = [wb.instrument_ref(b.target) for b in wb.chosen_blocks()]
    evaluation["data"] = data
    evaluation["instruments"] = list(dict.fromkeys(targets))
    evaluation["mapping"] = "mapping.yaml"
    id_col = d.id_col or (ids.pop() if len(ids) == 1 else None)
    if id_col:
        evaluation["id_col"] = id_col
    evaluation["duplicates"] = d.duplicates
    grouping = [c for c in (d.group_by, d.pool_by) if c]
    if grouping:
        evaluation["carry"] = grouping
    for key, value in (
        ("group_by", d.group_by),
        ("reference_group", d.group_by and d.reference_group),
        ("pool_by", d.pool_by),
    ):
        if value:
            evaluation[key] = value
    if d.covariates:
        evaluation["covariates"] = list(d.covariates)
    if d.unlinked:
        evaluation["unlinked"] = True
    if d.ignore_id_zeros:
        evaluation["ignore_id_zeros"] = True
    evaluation["waves"] = {"pre": d.pre, "post": d.post}
    if d.followup:
        evaluation["waves"]["followup"] = list(d.followup)
    renamed = {old: new for old, new in wb.rename.items() if new and new != old}
    if renamed:
        evaluation["waves"]["rename"] = renamed
    evaluation["privacy"] = {"min_cell": int(p.min_cell)}
    if wb.personal:
        evaluation["privacy"]["pii"] = list(wb.personal)
    evaluation["report"] = {
        "author": p.author or "Programme evaluation team",
        "formats": ["pdf", "html", "md"],
    }
    if d.planning:
        planning: dict[str, Any] = {"power": d.planning_power, "alpha": d.planning_alpha}
        if d.planning_attrition is not None:
            planning["attrition"] = d.planning_attrition
        evaluation["report"]["planning"] = planning
    evaluation["output"] = "outputs"
    check(wb, evaluation)
    load_evaluation(evaluation)
    return evaluation


def check(wb: Answers, evaluation: dict[str, Any]) -> None:
    if not wb.exports:
        raise InputError(
            "no export uploaded yet",
            where="Exports",
            fix="upload one export per wave, or one long file",
        )
    broken = [e for e in wb.exports if e.error is not None]
    if broken:
        raise InputError(
            f"{broken[0].name} cannot be read: {broken[0].error.what}",
            where="Exports",
            fix=broken[0].error.fix or "remove it, or upload a corrected export",
        )
    if not evaluation["instruments"]:
        raise InputError(
            "no questionnaire is confirmed",
            where="Questionnaires",
            fix="tick 'Use this match' for each questionnaire to score, or add one by hand",
        )
    for i, entry in enumerate(evaluation["data"]):
        if not entry.get("wave") and not entry.get("wave_col"):
            raise InputError(
                f"{entry['path']} has no wave",
                where=f"Exports, file {i + 1}",
                fix="type the wave this file holds (e.g. pre or post)",
            )
    waves = wb.waves()
    for which, wave in (("pre", wb.design.pre), ("post", wb.design.post)):
        if wave not in waves:
            raise InputError(
                f"the {which} wave '{wave}' is not among the waves found ({', '.join(waves)})",
                where="Design, waves to compare",
                fix="choose two different waves that the exports hold",
            )
    if wb.design.pre == wb.design.post:
        raise InputError(
            f"pre and post are the same wave ('{wb.design.pre}')",
            where="Design, waves to compare",
            fix="choose two different waves",
        )


def write_files(wb: Answers) -> tuple[Path, Path]:
    """Write ``evaluation.yaml`` and ``mapping.yaml`` into the project folder."""
    from .._io import write_text_atomic

    evaluation, mapping = evaluation_of(wb), mapping_of(wb)
    ev_path = write_text_atomic(wb.folder / "evaluation.yaml", _yaml(evaluation, "evaluation"))
    map_path = write_text_atomic(wb.folder / "mapping.yaml", _yaml(mapping, "mapping"))
    return ev_path, map_path


def project_zip(wb: Answers) -> Path:
    """The project (exports, definitions, the two files) as one zip, to save it."""
    import zipfile

    wb.write_files()
    target = wb.folder.parent / "stigma-outcomes-project.zip"
    names = (
        [e.name for e in wb.exports]
        + ([wb.dictionary] if wb.dictionary else [])
        + list(wb.definitions.values())
        + ["evaluation.yaml", "mapping.yaml"]
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(wb.folder / name, f"project/{name}")
    return target


def absolute(wb: Answers, evaluation: dict[str, Any]) -> dict[str, Any]:
    def where(name: str) -> str:
        return str(wb.folder / name)

    absolute = dict(evaluation)
    absolute["data"] = [{**e, "path": where(e["path"])} for e in evaluation["data"]]
    absolute["mapping"] = where(evaluation["mapping"])
    absolute["data"] = [
        {**e, "dictionary": where(e["dictionary"])} if "dictionary" in e else e
        for e in absolute["data"]
    ]
    absolute["instruments"] = [
        where(i) if i in wb.definitions.values() else i for i in evaluation["instruments"]
    ]
    return absolute


def _yaml(content: dict[str, Any], what: str) -> str:
    import yaml

    header = (
        f"# {what.capitalize()} file written by the stigma-outcomes workbench.\n"
        "# Reproduce the run with: stigma-outcomes run evaluation.yaml\n"
        "# (keep the exports and mapping.yaml in the same folder as evaluation.yaml)\n"
    )
    return header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
