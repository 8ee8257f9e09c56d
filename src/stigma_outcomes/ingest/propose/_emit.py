"""The mapping file a proposal adds up to, built as the model that reads it
(:class:`~stigma_outcomes.ingest.mapping.ColumnMapping`), so what ``init`` writes is valid by
construction. (The evaluation file is drafted by ``init`` itself, in the command-line layer:
its model belongs to a later stage than ingest.)"""

from __future__ import annotations

from typing import Any

from ..mapping import ColumnMapping, InstrumentMap, Section
from ._found import Candidate, FileProposal


def mapping_model(files: list[FileProposal]) -> ColumnMapping:
    """One mapping for all exports: an instrument found alike in every file is mapped once at
    the top level, otherwise per file; one ID column for all, otherwise per file. An export
    holding its waves side by side (proposed for one export alone) gets a section per wave."""
    side = next((f for f in files if f.by_wave), None)
    if side is not None:
        return _wave_sections(side)
    sections = {f.source: {inst: entry(c) for inst, c in f.matches.items()} for f in files}
    top: dict[str, InstrumentMap] = {}
    per_file: dict[str, dict[str, InstrumentMap]] = {}
    for inst in sorted({i for s in sections.values() for i in s}):
        entries = [s[inst] for s in sections.values() if inst in s]
        if all(e == entries[0] for e in entries):
            top[inst] = entries[0]
            continue
        for source, section in sections.items():
            if inst in section:
                per_file.setdefault(source, {})[inst] = section[inst]
    ids = {f.id_col for f in files if f.id_col}
    shared_id = ids.pop() if len(ids) == 1 else None
    file_ids = {} if shared_id else {f.source: f.id_col for f in files if f.id_col}
    sources = [f.source for f in files if f.source in per_file or f.source in file_ids]
    by_file = {
        s: Section(instruments=per_file.get(s, {}), **_given(id_col=file_ids.get(s)))
        for s in sources
    }
    return ColumnMapping(
        instruments=top,
        **_given(id_col=shared_id),
        **({"files": by_file} if by_file else {}),
    )


def _wave_sections(found: FileProposal) -> ColumnMapping:
    """Each wave's blocks in that wave's section; an instrument found once goes under the
    first wave only (``propose`` asks the user to check it), never at the top level, where
    it would be scored at every wave from the same columns."""
    waves = found.side_by_side
    sections: dict[str, dict[str, InstrumentMap]] = {wave: {} for wave in waves}
    for inst, blocks in found.by_wave.items():
        for wave, candidate in blocks.items():
            sections[wave][inst] = entry(candidate)
    for inst, candidate in found.matches.items():
        sections[waves[0]][inst] = entry(candidate)
    return ColumnMapping(
        **_given(id_col=found.id_col),
        waves={wave: Section(instruments=bound) for wave, bound in sections.items()},
    )


def entry(candidate: Candidate) -> InstrumentMap:
    """One instrument's entry: its pattern (or its columns), and a recode if one is needed."""
    fields: dict[str, Any] = (
        {"pattern": candidate.pattern}
        if candidate.pattern
        else {"columns": dict(candidate.columns)}
    )
    if candidate.recode:
        fields["recode"] = dict(candidate.recode)
    return InstrumentMap(**fields)


def _given(**fields: Any) -> dict[str, Any]:
    """The fields that have a value (so a model records only what was given)."""
    return {k: v for k, v in fields.items() if v is not None}
