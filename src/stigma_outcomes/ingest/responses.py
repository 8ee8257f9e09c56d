"""From read exports to item responses: participant IDs, waves, duplicates and item binding.

:func:`load_responses` takes one or more exports (files, DataFrames or
:class:`~stigma_outcomes.ingest.table.RawTable`), binds export columns to instrument items
(by a mapping file, or automatically by ``<instrument>_<item>`` names), normalises participant
IDs, assigns waves, applies the duplicate policy, and returns :class:`ItemResponses`: the
scoring engine's input. Every data row read is either carried into ``frame`` or recorded in
``ledger`` with the reason it was set aside.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, MappingError
from ..instruments.registry import Registry
from ..instruments.schema import Instrument
from ._duplicates import (
    DUPLICATE_POLICIES,
    DuplicatePolicy,
    _apply_duplicates,
    _single_wave_participants,
)
from ._stacking import _constant, _stack
from .conventions import DEFAULT_WAVE, ID_CANDIDATES, ROW_ID
from .flavors import flavor_named
from .mapping import Mapping, load_mapping
from .readers import read_export
from .table import RawTable, ledger_frame
from .value_labels import decode_by_labels

Source = str | os.PathLike[str] | pd.DataFrame | RawTable


@dataclass
class ItemResponses:
    """Item responses ready for scoring, with every input row accounted for.

    Attributes
    ----------
    frame : DataFrame
        One row per kept input row: ``participant_id``, ``wave``, carried columns, one column
        per bound item named ``<instrument>_<item>`` (cells as read), ``_file`` and ``_row``
        (where the row came from), and for some exports ``_absent_<instrument>`` (see
        :data:`~stigma_outcomes.ingest.table.ABSENT_PREFIX`).
    instruments : list of Instrument
        The instruments bound.
    recodes : dict
        Instrument id → {export value → instrument code} from the mapping.
    source_columns : dict
        ``(file, canonical column)`` → the column's name in that export, for the ledger.
    carry : list of str
        Grouping columns carried through to the scores.
    ledger : DataFrame
        Problems found while reading and binding (excluded rows, dropped personal columns,
        duplicates, participants seen at one wave only).
    rows_in : int
        Data rows read from all sources.
    """

    frame: pd.DataFrame
    instruments: list[Instrument]
    recodes: dict[str, dict[str, float]] = field(default_factory=dict)
    source_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    carry: list[str] = field(default_factory=list)
    ledger: pd.DataFrame = field(default_factory=lambda: ledger_frame([]))
    rows_in: int = 0
    sources: list[str] = field(default_factory=list)
    pii_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rows_excluded(self) -> int:
        """Rows set aside before scoring (each has a ledger entry with action 'row_excluded')."""
        return int((self.ledger["action"] == "row_excluded").sum())

    def _waves(self) -> pd.Series:
        """Rows kept at each wave, in the order the waves appear."""
        return self.frame["wave"].value_counts(sort=False)

    def __repr__(self) -> str:
        """One line of counts (never the responses themselves).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"id": ["a", "b"], "wave": ["pre", "post"],
        ...                    "ucla3_1": [1, 2], "ucla3_2": [2, 2], "ucla3_3": [3, 1]})
        >>> load_responses(df, ["ucla3"])  # doctest: +NORMALIZE_WHITESPACE
        ItemResponses(instruments=['ucla3'], rows=2, participants=2, waves={'pre': 1, 'post': 1},
                      rows_in=2, rows_excluded=0, ledger=2 rows)
        """
        ids = [inst.id for inst in self.instruments]
        waves = {str(w): int(n) for w, n in self._waves().items() if n}
        return (
            f"ItemResponses(instruments={ids}, rows={len(self.frame)}, "
            f"participants={self.frame['participant_id'].nunique()}, waves={waves}, "
            f"rows_in={self.rows_in}, rows_excluded={self.rows_excluded}, "
            f"ledger={len(self.ledger)} rows)"
        )

    def _repr_html_(self) -> str:
        """The same counts and rows per wave as a table, for notebooks."""
        from html import escape

        cells = "".join(
            f"<tr><td>{escape(str(w))}</td><td>{int(n)}</td></tr>"
            for w, n in self._waves().items()
            if n
        )
        return (
            f"<p>{escape(repr(self))}</p><table><thead><tr><th>wave</th><th>rows</th></tr>"
            f"</thead><tbody>{cells}</tbody></table>"
        )


def _lookalikes(name: str, columns: Sequence[str], n: int = 3) -> list[str]:
    lowered = {c.lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[c] for c in close]


def _find_column(table: RawTable, name: str, what: str, option: str) -> str:
    columns = [str(c) for c in table.frame.columns]
    if name in columns:
        return name
    folded = {c.strip().casefold(): c for c in columns}
    if name.strip().casefold() in folded:
        return folded[name.strip().casefold()]
    close = _lookalikes(name, columns)
    hint = (
        f"columns that look similar: {', '.join(close)}"
        if close
        else (f"the columns are: {', '.join(columns[:12])}{' …' if len(columns) > 12 else ''}")
    )
    raise InputError(
        f"the {what} column '{name}' does not exist",
        where=table.source,
        fix=f"pass the right column with {option}; {hint}",
    )


def _detect_id_column(table: RawTable) -> str:
    folded = {str(c).strip().casefold(): str(c) for c in table.frame.columns}
    for candidate in ID_CANDIDATES:
        if candidate in folded:
            return folded[candidate]
    raise InputError(
        "no participant ID column was found",
        where=table.source,
        fix="name the column that identifies participants with --id-col (or id_column in the "
        f"mapping); looked for: {', '.join(ID_CANDIDATES)}. An anonymous survey whose waves "
        f"are not linked (unlinked design) can number its rows instead: --id-col {ROW_ID} "
        f"(id_column: '{ROW_ID}'); never for a paired design",
    )


def bind_items(
    table: RawTable, instrument: Instrument, mapping: Mapping, wave: str | None = None
) -> dict[str, str]:
    """Find the export column of every item of ``instrument``; returns item id → column.

    Raises
    ------
    MappingError
        Naming the items without a column and the columns that look like them.
    """
    columns = [str(c) for c in table.frame.columns]
    folded = {c.strip().casefold(): c for c in columns}
    section = mapping.for_source(instrument.id, table.source, wave)
    bound: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for item in instrument.items:
        if item.id in section.columns:
            wanted = section.columns[item.id]
        elif section.pattern is not None:
            wanted = section.pattern.replace("{item}", item.id)
        else:
            wanted = f"{instrument.id}_{item.id}"
        column = folded.get(wanted.strip().casefold())
        if column is None:
            missing.append((item.id, wanted))
        else:
            bound[item.id] = column
    if missing:
        looked = [w for _, w in missing]
        close = sorted({c for w in looked[:5] for c in _lookalikes(w, columns, 2)})
        hint = f"; columns that look similar: {', '.join(close)}" if close else ""
        items = ", ".join(i for i, _ in missing[:10]) + (" …" if len(missing) > 10 else "")
        raise MappingError(
            f"{instrument.id}: no column for item(s) {items} "
            f"(looked for {', '.join(looked[:4])}{' …' if len(looked) > 4 else ''})",
            where=table.source,
            fix="name the columns <instrument>_<item>, or give a mapping file (--map) with a "
            f"'pattern' or 'columns' for {instrument.id}{hint}",
        )
    doubled = pd.Series(list(bound.values())).duplicated()
    if doubled.any():
        column = list(bound.values())[int(np.flatnonzero(doubled.to_numpy())[0])]
        raise MappingError(
            f"{instrument.id}: column '{column}' is bound to more than one item",
            where=table.source,
            fix="give each item its own column in the mapping",
        )
    return bound


def detect_instruments(table: RawTable, registry: Registry) -> list[str]:
    """Ids of registry instruments whose ``<id>_<item>`` columns are all present."""
    folded = {str(c).strip().casefold() for c in table.frame.columns}
    found = []
    for instrument in registry.all():
        if all(f"{instrument.id}_{i}".casefold() in folded for i in instrument.item_ids):
            found.append(instrument.id)
    return found


def _id_strings(values: pd.Series, casefold: bool = False) -> pd.Series:
    """IDs and wave names as trimmed text (vectorised); blanks become missing.

    Whole numbers typed as floats (``101.0``, as spreadsheets store them) become ``"101"``.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype(float)
        integral = numbers.notna() & (numbers % 1 == 0)
        text = numbers.astype("str")
        if integral.any():
            whole = numbers.where(integral).astype("Int64").astype("str")
            text = whole.where(integral, text)
        text = text.where(numbers.notna(), None)
    else:
        text = values.astype("str")
    text = text.str.strip()
    text = text.where(text.notna() & (text != ""), None)
    if casefold:
        text = text.str.casefold()
    return text.reset_index(drop=True)


def load_responses(
    sources: Source | Sequence[Source],
    instruments: Sequence[str | Instrument] | None = None,
    *,
    mapping: str | os.PathLike[str] | dict | Mapping | None = None,
    id_col: str | None = None,
    wave_col: str | None = None,
    wave: str | Sequence[str] | None = None,
    carry: Sequence[str] = (),
    duplicates: DuplicatePolicy = "keep-last-complete",
    casefold_ids: bool = False,
    flavor: str | None = None,
    registry: Registry | None = None,
    id_key: bytes | None = None,
    read_options: dict[str, Any] | None = None,
    linked: bool | None = None,
) -> ItemResponses:
    """Read exports and bind their columns to instrument items.

    Parameters
    ----------
    sources : path, DataFrame, RawTable, or a list of them
        One export per wave (with ``wave``), or exports that hold a wave column.
    instruments : list of str or Instrument, optional
        Instruments to bind; by default those the mapping names, else every registry
        instrument whose ``<id>_<item>`` columns are all present.
    mapping : path, dict or Mapping, optional
        Column mapping (see :mod:`stigma_outcomes.ingest.mapping`).
    id_col : str, optional
        Participant ID column; detected from common names when omitted.
    wave_col : str, optional
        Column holding the wave of each row.
    wave : str or list of str, optional
        Wave name for each source (one name for all, or one per source).
    carry : list of str
        Grouping columns to carry through to the scores (e.g. ``site``, ``arm``).
    duplicates : {'keep-last-complete', 'keep-first', 'error'}
        What to do when a participant appears twice in one wave.
    casefold_ids : bool
        Treat IDs that differ only in letter case as the same participant.
    id_key : bytes, optional
        Project key (:func:`~stigma_outcomes.ingest.pseudonym.load_id_key`): participant IDs
        are replaced by keyed pseudonyms. Required when the ID column is personal data.
    read_options : dict, optional
        Passed to :func:`~stigma_outcomes.ingest.readers.read_export` for each file
        (``sheet``, ``dictionary``, ``include_previews``, ``include_incomplete``, ``pii``, ...).
    linked : bool, optional
        Whether the design links people across waves (paired); row-number IDs
        (``id_col="@row"``) are refused when it does.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["A", "B"], "ucla3_1": [1, 2], "ucla3_2": [1, 3],
    ...                    "ucla3_3": [2, 2]})
    >>> resp = load_responses(df, ["ucla3"], wave="pre")
    >>> resp.frame[["participant_id", "wave", "ucla3_1"]].to_dict("list")
    {'participant_id': ['A', 'B'], 'wave': ['pre', 'pre'], 'ucla3_1': [1, 2]}
    """
    if duplicates not in DUPLICATE_POLICIES:
        raise InputError(
            f"unknown duplicate policy '{duplicates}'",
            fix=f"use one of: {', '.join(DUPLICATE_POLICIES)}",
        )
    if id_col == ROW_ID and linked:
        raise InputError(
            "row-number IDs (--id-col @row) cannot be used for a paired design",
            fix="a row number is not a person: pairs need an ID column that is the same at "
            "every wave; for anonymous before/after surveys set unlinked: true (--unlinked)",
        )
    items = list(sources) if isinstance(sources, list | tuple) else [sources]
    if not items:
        raise InputError("no export was given", fix="name at least one export file")
    waves = _wave_list(wave, len(items))
    registry = registry or Registry()
    the_map = load_mapping(mapping)
    tables = _number_dataframes([_as_table(s, flavor, read_options or {}) for s in items])
    resolved = _resolve_instruments(instruments, tables, registry, the_map)

    frames: list[pd.DataFrame] = []
    ledgers: list[pd.DataFrame] = []
    source_columns: dict[tuple[str, str], str] = {}
    pii: dict[str, list[str]] = {}
    rows_in = 0
    for index, (table, file_wave) in enumerate(zip(tables, waves, strict=True)):
        _check_rows_left(table)
        rows_in += int(table.rows_in or 0)
        ledgers.append(table.excluded)
        part, columns, part_ledger = _one_source(
            table,
            index,
            resolved,
            the_map,
            id_col,
            wave_col,
            file_wave,
            carry,
            casefold_ids,
            id_key,
        )
        frames.append(part)
        ledgers.append(part_ledger)
        source_columns.update(columns)
        if table.pii_columns:
            pii[table.source] = list(table.pii_columns)
    frame = _stack(frames)
    frame, dup_ledger = _apply_duplicates(frame, resolved, duplicates)
    ledgers.append(dup_ledger)
    ledgers.append(_single_wave_participants(frame))
    recodes = {inst.id: dict(the_map.for_source(inst.id, None, None).recode) for inst in resolved}
    ledger = ledger_frame(pd.concat([ledger_frame(x) for x in ledgers], ignore_index=True))
    return ItemResponses(
        frame=frame.reset_index(drop=True),
        instruments=resolved,
        recodes=recodes,
        source_columns=source_columns,
        carry=list(carry),
        ledger=ledger,
        rows_in=rows_in,
        sources=[t.source for t in tables],
        pii_columns=pii,
    )


def _wave_list(wave: str | Sequence[str] | None, n: int) -> list[str | None]:
    if wave is None:
        return [None] * n
    if isinstance(wave, str):
        return [wave] * n
    names = [str(w) for w in wave]
    if len(names) == 1:
        return names * n
    if len(names) != n:
        raise InputError(
            f"{len(names)} wave names were given for {n} exports",
            fix="give one --wave per export file, in the same order",
        )
    return list(names)


def _number_dataframes(tables: list[RawTable]) -> list[RawTable]:
    """Several DataFrames read in one call are told apart in the ledger: ``<DataFrame 2>``."""
    frames = [t for t in tables if t.source == "<DataFrame>"]
    if len(frames) < 2:
        return tables
    out, k = [], 0
    for table in tables:
        if table.source == "<DataFrame>":
            k += 1
            name = f"<DataFrame {k}>"
            excluded = table.excluded
            if "file" in excluded.columns and len(excluded):
                excluded = excluded.assign(file=name)
            table = replace(table, source=name, excluded=excluded)
        out.append(table)
    return out


def _as_table(source: Source, flavor: str | None, options: dict[str, Any]) -> RawTable:
    if isinstance(source, RawTable):
        return source
    return read_export(source, flavor=flavor, **options)


def _resolve_instruments(
    instruments: Sequence[str | Instrument] | None,
    tables: list[RawTable],
    registry: Registry,
    the_map: Mapping,
) -> list[Instrument]:
    if instruments:
        resolved = [i if isinstance(i, Instrument) else registry.get(i) for i in instruments]
    elif the_map.instruments:
        # A mapping that binds instruments names them: no need to repeat them.
        resolved = [registry.get(i) for i in the_map.instruments]
    else:
        ids = sorted({i for t in tables for i in detect_instruments(t, registry)})
        if not ids:
            raise MappingError(
                "no instrument's item columns were recognised in the export",
                where=", ".join(t.source for t in tables),
                fix="name the instruments with --instrument, and give a mapping file (--map) "
                "if the columns are not named <instrument>_<item>",
            )
        resolved = [registry.get(i) for i in ids]
    seen: set[str] = set()
    for inst in resolved:
        if inst.id in seen:
            raise InputError(f"instrument '{inst.id}' was named twice", fix="name it once")
        seen.add(inst.id)
    return resolved


_KEEP_OPTION = {
    "survey_preview": "--include-previews",
    "unfinished_response": "--include-incomplete",
    "incomplete_response": "--include-incomplete",
}


def _check_rows_left(table: RawTable) -> None:
    """Refuse an export whose every row the reader set aside (say why, name the option)."""
    if len(table.frame) or not len(table.excluded):
        return
    counts = table.excluded["problem"].value_counts()
    why = ", ".join(f"{n} {str(p).replace('_', ' ')}(s)" for p, n in counts.items())
    options = sorted({_KEEP_OPTION[p] for p in counts.index if p in _KEEP_OPTION})
    keep = f"add {' and '.join(options)} to keep them, " if options else ""
    raise InputError(
        f"every row of this export was set aside ({why}): nothing is left to score",
        where=table.source,
        fix=f"{keep}or check that this is the export with the real responses",
    )


def _one_source(
    table: RawTable,
    index: int,
    instruments: list[Instrument],
    the_map: Mapping,
    id_col: str | None,
    wave_col: str | None,
    file_wave: str | None,
    carry: Sequence[str],
    casefold_ids: bool,
    id_key: bytes | None,
) -> tuple[pd.DataFrame, dict[tuple[str, str], str], pd.DataFrame]:
    data = table.frame
    # A reader that knows the record-ID field (REDCap's dictionary) and the event column
    # supplies them when the user has not named columns.
    id_name = id_col or the_map.id_column_for(table.source) or table.metadata.get("record_id")
    id_column = (
        None
        if id_name == ROW_ID
        else _find_column(table, id_name, "participant ID", "--id-col")
        if id_name
        else _detect_id_column(table)
    )
    wave_name = (
        wave_col
        or the_map.wave_column_for(table.source)
        or (table.metadata.get("event_column") if file_wave is None else None)
    )
    wave_named = True
    if wave_name and file_wave is None:
        wave_values = data[_find_column(table, wave_name, "wave", "--wave-col")]
        waves = _id_strings(wave_values)
    else:
        fallback = file_wave
        if fallback is None:
            folded = {str(c).strip().casefold(): str(c) for c in data.columns}
            waves = (
                _id_strings(data[folded["wave"]])
                if "wave" in folded
                else _constant(DEFAULT_WAVE, len(data))
            )
            # A repeat occasion is named after the row's wave unless that is only the default.
            wave_named = "wave" in folded
        else:
            waves = _constant(fallback, len(data))
    data = data.reset_index(drop=True)
    if id_column is None:
        # Row-number IDs: unique within and across files, so no row is paired with another.
        ids = pd.Series(
            np.char.add(f"{table.source}#", table.row_numbers.astype(str)), dtype=object
        )
    else:
        ids = _id_strings(data[id_column], casefold_ids)
    if id_column is not None and id_column in table.pii_columns and id_key is None:
        reason = table.metadata.get("pii_reasons", {}).get(id_column, "personal data")
        raise InputError(
            f"the participant ID column '{id_column}' identifies people ({reason})",
            where=table.source,
            fix="give a project key (--id-key-file, or the STIGMA_OUTCOMES_ID_KEY environment "
            "variable) so IDs are replaced by pseudonyms, or choose another ID column",
        )
    if id_key is not None:
        from .pseudonym import pseudonymise

        ids = pseudonymise(ids, id_key).astype("str").reset_index(drop=True)
    out = pd.DataFrame({"participant_id": ids, "wave": waves})
    pii = set(table.pii_columns)
    reasons = table.metadata.get("pii_reasons", {})
    for name in carry:
        column = _find_column(table, name, "carried", "--carry")
        if column in pii:
            why = reasons.get(column, "personal data")
            raise InputError(
                f"'{column}' holds personal data ({why}) and cannot be carried into the scores",
                where=table.source,
                fix="carry a grouping column (site, arm, cohort) instead",
            )
        out[name] = data[column]
    columns: dict[tuple[str, str], str] = {}
    blocks: list[pd.DataFrame] = [out]
    problems: list[pd.DataFrame] = []
    for inst in instruments:
        wave_for_map = file_wave if file_wave is not None else None
        bound = bind_items(table, inst, the_map, wave_for_map)
        for item_id, column in bound.items():
            canonical = f"{inst.id}_{item_id}"
            if column in pii and not reasons.get(column, "").startswith("values look like"):
                # Named personal fields are never items; a guess from the values alone
                # yields to the user's mapping (answer text can look like free text).
                raise MappingError(
                    f"column '{column}' is bound to {canonical} but was recognised as "
                    "personal data",
                    where=table.source,
                    fix="check the mapping; item responses should not be identifying columns",
                )
            columns[(table.source, canonical)] = column
        # Whole columns are moved, never converted, so text stays in its Arrow buffers.
        sources = [columns[(table.source, f"{inst.id}_{i}")] for i in inst.item_ids]
        block = data[sources].set_axis([f"{inst.id}_{i}" for i in inst.item_ids], axis=1)
        if table.value_labels and not the_map.for_source(inst.id, table.source, None).recode:
            # A recode in the mapping is the user's decision about codes; otherwise labelled
            # columns are decoded by their labels.
            block, label_notes = decode_by_labels(
                block, bound, inst, table.value_labels, table.source
            )
            problems.append(label_notes)
        blocks.append(block)
    blocks.append(
        pd.DataFrame({"_file": _constant(table.source, len(data)), "_row": table.row_numbers})
    )
    out = pd.concat(blocks, axis=1)
    if pii:
        problems.append(
            ledger_frame(
                [
                    {
                        "file": table.source,
                        "column": c,
                        "problem": "pii_column_dropped",
                        "action": "kept out of every output",
                    }
                    for c in sorted(pii)
                ]
            )
        )
    padded = table.metadata.get("short_rows_padded")
    if padded:
        rows = np.intersect1d(np.asarray(padded, dtype=np.int64), table.row_numbers)
        problems.append(
            ledger_frame(
                pd.DataFrame(
                    {
                        "file": table.source,
                        "row": rows,
                        "problem": "short_row_padded",
                        "action": "trailing cells missing from the row read as blank",
                    }
                )
            )
        )
    no_id = out["participant_id"].isna().to_numpy()
    no_wave = out["wave"].isna().to_numpy() & ~no_id
    for mask, problem in ((no_id, "missing_participant_id"), (no_wave, "missing_wave")):
        if mask.any():
            rows = out.loc[mask]
            problems.append(
                ledger_frame(
                    pd.DataFrame(
                        {
                            "file": table.source,
                            "row": rows["_row"].to_numpy(),
                            "participant_id": rows["participant_id"].to_numpy(),
                            "wave": rows["wave"].to_numpy(),
                            "column": id_column if problem == "missing_participant_id" else None,
                            "problem": problem,
                            "action": "row_excluded",
                        }
                    )
                )
            )
    dropped = no_id | no_wave
    kept = out.loc[~dropped] if dropped.any() else out
    items = {
        i.id: {f"{i.id}_{k}": columns[(table.source, f"{i.id}_{k}")] for k in i.item_ids}
        for i in instruments
    }
    kept, flavor_ledger = flavor_named(table.flavor).after_binding(
        kept, data, table.metadata, items, table.source, wave_named
    )
    problems.append(flavor_ledger)
    ledger = pd.concat(problems, ignore_index=True) if problems else ledger_frame([])
    return kept, columns, ledger
