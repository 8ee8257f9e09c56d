"""Propose a column mapping from exports: what matched, why, and what is left to decide.

For every instrument the proposer looks for the columns of its items in four ways, from
the most to the least certain:

1. ``name`` — columns named ``<instrument>_<item>`` (also under a Kobo group path), or a
   block of one column per item named by the instrument's id or short name, with or
   without its number of items (``DASS1..DASS21``, ``DASS-21_1..``);
2. ``pattern`` — a block of columns ``<prefix><item>`` (``Q5_1..Q5_3``, ``lonely_1..3``)
   with exactly one column per item;
3. ``column order`` — a question block without item numbers (a SurveyMonkey matrix, a
   Google Forms grid, a LimeSurvey array) with as many columns as the instrument has items,
   taken in column order;
4. ``pattern (subset)`` — a ``<prefix><item>`` block with more columns than items (only
   when the user named the instrument).

A candidate counts only when its cells fit the instrument's response scale: answer
labels (or synonyms), the codes themselves, codes shifted by one (a 0-based export of a
1-based scale, for which a recode is proposed), or value labels (SPSS, REDCap) that name
the scale's answers. A fit of the codes' range alone (codes within the scale, or one
below it) is no evidence: it is listed as "possible, unconfirmed", never written, and
several such blocks are listed together, not posed as a choice. Two equally good
evidence-backed candidates are reported as an ambiguity, never picked between; so is a
column claimed by two instruments.

Modules
-------
_fit       how a column's answers fit a response scale (profiles of the first rows)
_matching  candidates by name, pattern, column order or subset; one winner each
_guess     the participant-ID column and the wave of each export
_emit      the mapping as the ``ColumnMapping`` model (valid by construction)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import InputError
from ...instruments.schema import Instrument
from ..mapping import ColumnMapping
from ..table import RawTable
from ._emit import mapping_model
from ._fit import RANGE_ONLY
from ._found import Candidate, FileProposal
from ._guess import ids_lost_zeros, pick_id, pick_wave
from ._matching import checkbox_columns, describe, equally_good, match_instruments
from ._waves import WaveOrder, compared_waves, hint

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RANGE_ONLY", "Candidate", "FileProposal", "Proposal", "WaveOrder", "propose"]


@dataclass
class Proposal:
    """Proposals for all exports, and the mapping they add up to.

    Attributes
    ----------
    files : list of FileProposal
        What was found in each export, in the order given.
    column_mapping : ColumnMapping
        The mapping, as the model that reads mapping files (valid by construction).
    """

    files: list[FileProposal]
    column_mapping: ColumnMapping
    id_zeros: str | None = None
    """Why the IDs pair across the exports only once leading zeros are ignored (then the
    evaluation file ``init`` drafts sets ``ignore_id_zeros``), or ``None``."""

    @property
    def mapping(self) -> dict[str, Any]:
        """The mapping file's content (only the fields given, in the usual order)."""
        return self.column_mapping.file_content()

    def __repr__(self) -> str:
        found = sorted({i for f in self.files for i in f.matches})
        return (
            f"<Proposal: {len(self.files)} file(s), matched {', '.join(found) or 'nothing'}, "
            f"{len(self.ambiguities)} open question(s)>"
        )

    @property
    def file_waves(self) -> WaveOrder | None:
        """The waves the exports are named after (one export per wave, or a file holding its
        waves side by side), placed as a comparison; ``None`` for fewer than two."""
        named = [w for f in self.files if not f.wave_col for w in (f.side_by_side or [f.wave])]
        waves = [w for w in dict.fromkeys(named) if w]
        return compared_waves(waves, "the exports' waves") if len(waves) > 1 else None

    @property
    def ambiguities(self) -> list[str]:
        """Every open question, prefixed with its file."""
        zeros = [f"{self.id_zeros}; drafted ignore_id_zeros: true"] if self.id_zeros else []
        order = self.file_waves
        waves = [order.question] if order is not None and order.question else []
        return [*(f"{f.source}: {a}" for f in self.files for a in f.ambiguities), *waves, *zeros]

    def lines(self) -> list[str]:
        """A terminal report: flavour, ID, wave, matches with reasons, personal data, doubts."""
        out: list[str] = []
        for f in self.files:
            out.append(f"{f.source}: {f.flavor} ({f.flavor_reason})")
            out.append(f"  participant ID: {f.id_col or '?'} ({f.id_reason})")
            wave = (
                (f.wave_col and f"column {f.wave_col}")
                or f.wave
                or (f.side_by_side and ", ".join(f.side_by_side))
                or "?"
            )
            out.append(f"  wave: {wave} ({f.wave_reason})")
            for excluded, count in f.excluded.items():
                out.append(f"  set aside: {count} row(s), {excluded.replace('_', ' ')}")
            for inst, cand in f.matches.items():
                cols = list(cand.columns.values())
                shown = f"{cols[0]} … {cols[-1]}" if len(cols) > 2 else ", ".join(cols)
                out.append(f"  {inst}: {len(cols)} item(s) ← {shown} [{cand.how}] {cand.why}")
                if cand.recode:
                    out.append(f"    recode proposed: {cand.recode}")
            for inst, blocks in f.by_wave.items():
                first = next(iter(blocks.values()))
                out.append(
                    f"  {inst}: {len(first.columns)} item(s) at each of {len(blocks)} waves side "
                    f"by side [{first.how}] {first.why}"
                )
                out.extend(f"    wave {wave} ← {describe(cand)}" for wave, cand in blocks.items())
            for inst, cand in f.possible.items():
                cols = list(cand.columns.values())
                shown = f"{cols[0]} … {cols[-1]}" if len(cols) > 2 else ", ".join(cols)
                out.append(
                    f"  possible, unconfirmed: {inst} ← {shown} ({cand.why}); not written — "
                    "only the codes' range fits; map it yourself if it really is this instrument"
                )
            if f.pii:
                out.append(f"  personal data kept out: {', '.join(f.pii)}")
            out.extend(f"  note: {note}" for note in f.notes)
            for doubt in f.ambiguities:
                out.append(f"  ? {doubt}")
        order = self.file_waves
        if order is not None and order.question:
            out.append(f"? {order.question}")
        if self.id_zeros:
            out.append(f"? {self.id_zeros}; an evaluation file drafted here pairs them")
        return out


def propose(
    tables: Sequence[RawTable | pd.DataFrame],
    instruments: Sequence[Instrument | str],
    *,
    named: bool = False,
) -> Proposal:
    """Match each export's columns to instrument items and draft the mapping.

    Parameters
    ----------
    tables : list of RawTable or DataFrame
        The exports, read with :func:`~stigma_outcomes.ingest.readers.read_export` (a
        DataFrame is read as a plain table).
    instruments : list of Instrument, id or definition path
        Instruments to look for.
    named : bool
        Whether the user named these instruments (then looser matches are allowed and an
        instrument not found is reported).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from stigma_outcomes.instruments import load_instrument
    >>> frame = pd.DataFrame({"pcode": ["A", "B"], "Q5_1": ["Often", "Hardly ever"],
    ...                       "Q5_2": ["Often", "Often"], "Q5_3": ["Some of the time", "Often"]})
    >>> t = RawTable(frame=frame, source="pre.csv", row_numbers=np.array([2, 3]))
    >>> p = propose([t], [load_instrument("ucla3")], named=True)
    >>> p.mapping["instruments"]["ucla3"], p.files[0].id_col
    ({'pattern': 'Q5_{item}'}, 'pcode')
    """
    tables = [_as_table(t) for t in tables]
    instruments = _as_instruments(instruments)
    sources = [t.source for t in tables]
    files = [_one_file(t, instruments, named, i, sources) for i, t in enumerate(tables)]
    _side_by_side(files)
    return Proposal(
        files=files, column_mapping=mapping_model(files), id_zeros=ids_lost_zeros(tables, files)
    )


def _side_by_side(files: list[FileProposal]) -> None:
    """Waves side by side are drafted for one export alone (the mapping's wave sections
    hold for every file), whose instruments name the same waves; otherwise each wave's
    blocks stay a question."""
    for f in files:
        if not f.by_wave:
            continue
        if len(files) > 1 or len({tuple(blocks) for blocks in f.by_wave.values()}) > 1:
            for inst, blocks in f.by_wave.items():
                f.ambiguities.append(equally_good(inst, list(blocks.values()), hint(list(blocks))))
            f.by_wave = {}
            continue
        first = f.side_by_side[0]
        for inst, cand in f.matches.items():
            # Scored at every wave, one block would give a change of exactly zero.
            f.ambiguities.append(
                f"{inst}: found once ({describe(cand)}) in a file holding waves side by side; "
                f"drafted under wave '{first}' only: move it to the wave that asked it"
            )


def _as_table(table: object) -> RawTable:
    """An export as a ``RawTable`` (a DataFrame is read as a plain table)."""
    import pandas as pd

    from ..readers import read_export

    if isinstance(table, RawTable):
        return table
    if isinstance(table, pd.DataFrame):
        return read_export(table)
    raise InputError(
        f"propose() takes exports as read by read_export, not {type(table).__name__}",
        fix="read each export first: propose([read_export(path), ...], instruments)",
    )


def _as_instruments(instruments: Sequence[Instrument | str]) -> list[Instrument]:
    """Definitions, ids and definition paths → definitions (ids looked up once)."""
    if isinstance(instruments, str | Instrument):
        instruments = [instruments]
    from ...instruments.registry import Registry

    return Registry().resolve(instruments)


def _one_file(
    table: RawTable, instruments: Sequence[Instrument], named: bool, index: int, sources: list[str]
) -> FileProposal:
    meta = table.metadata
    result = FileProposal(
        source=table.source,
        flavor=table.flavor,
        flavor_reason=str(meta.get("flavor_reason", "")),
        pii=dict(meta.get("pii_reasons", {})),
        excluded={str(k): int(v) for k, v in table.excluded["problem"].value_counts().items()},
    )
    result.notes = _notes(meta)
    left_out = set(table.pii_columns) | checkbox_columns(table)
    usable = [c for c in map(str, table.frame.columns) if c not in left_out]
    match_instruments(result, table, usable, instruments, named)
    taken = {c for cand in result.matches.values() for c in cand.columns.values()}
    pick_id(result, table, [c for c in usable if c not in taken])
    pick_wave(result, table, index, sources)
    if result.by_wave and len(sources) == 1:
        result.wave = None
        result.wave_reason = (
            "waves side by side: each wave's columns in a mapping section of its own, the "
            "file named once per wave"
        )
    return result


def _notes(meta: dict[str, Any]) -> list[str]:
    """Reader facts a user should know before trusting the mapping."""
    notes = []
    for new_name, old_name in meta.get("renamed_duplicates", {}).items():
        notes.append(f"repeated column title '{old_name}' renamed '{new_name}'")
    for name, place in meta.get("unnamed_columns", {}).items():
        notes.append(f"column {place} has no heading; named '{name}'")
    if dropped := meta.get("empty_columns_dropped"):
        shown = ", ".join(map(str, dropped[:6])) + (" …" if len(dropped) > 6 else "")
        notes.append(
            f"{len(dropped)} column(s) without a name or any value left out (file column(s) "
            f"{shown})"
        )
    for column in meta.get("checkbox_columns", []):
        notes.append(
            f"'{column}' joins ticked options with ', ' (an option with a comma "
            "in its label cannot be told apart)"
        )
    if meta.get("na_cells"):
        notes.append(
            f"{meta['na_cells']} cell(s) 'n/a' read as empty (KoboToolbox's mark for a "
            "question not asked or a repeat not filled)"
        )
    if parent := meta.get("repeat_group_table"):
        notes.append(
            f"'{parent}' links each row to its submission: this table holds one row per "
            "repeat of a group, not one per respondent; score the main table of the export"
        )
    for column, count in meta.get("user_missing_cells", {}).items():
        notes.append(f"{count} cell(s) of '{column}' hold a declared missing-value code")
    for form, count in meta.get("repeating_instruments", {}).items():
        notes.append(f"{count} repeat row(s) of instrument '{form}' (one per instance)")
    normal = {"ip address", "0", "0.0", "survey preview", "1", "1.0"}
    for status, count in meta.get("status_values", {}).items():
        if status.strip().lower() not in normal:
            notes.append(
                f"{count} response(s) with Qualtrics status '{status}' kept (only previews are "
                "set aside; check whether these should count)"
            )
    if meta.get("blank_rows_skipped"):
        notes.append(f"{meta['blank_rows_skipped']} blank row(s) skipped")
    return notes
