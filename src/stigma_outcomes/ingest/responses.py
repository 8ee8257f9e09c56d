"""From read exports to item responses: participant IDs, waves, duplicates and item binding.

:func:`load_responses` takes one or more exports (files, DataFrames or
:class:`~stigma_outcomes.ingest.table.RawTable`), binds export columns to instrument items
(by a mapping file, or automatically by ``<instrument>_<item>`` names), normalises participant
IDs, assigns waves, applies the duplicate policy, and returns :class:`ItemResponses`: the
scoring engine's input. Every data row read is either carried into ``frame`` or recorded in
``ledger`` with the reason it was set aside.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..errors import InputError
from ..instruments.registry import Registry
from ..instruments.schema import Instrument
from ._duplicates import _apply_duplicates, _single_wave_participants
from ._id_folds import CASE, ZEROS, check_ids_kept
from ._source_rows import check_rows_left, source_rows
from ._stacking import _stack
from .binding import bind_items, detect_instruments, resolve_instruments
from .mapping import Mapping, load_mapping
from .readers import read_export
from .settings import LoadSettings
from .table import RawTable, ledger_frame

__all__ = ["ItemResponses", "Source", "bind_items", "detect_instruments", "load_responses"]

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
    wave_columns : dict
        ``(file, wave, canonical column)`` → the column's name, for an export holding its
        waves side by side (each wave binds other columns of the one file; ``source_columns``
        keeps the last wave's).
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
    wave_columns: dict[tuple[str, str, str], str] = field(default_factory=dict)
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


def load_responses(
    sources: Source | Sequence[Source],
    instruments: Sequence[str | Instrument] | None = None,
    settings: LoadSettings | None = None,
    *,
    registry: Registry | None = None,
    id_key: bytes | None = None,
    **options: Any,
) -> ItemResponses:
    """Read exports and bind their columns to instrument items.

    Parameters
    ----------
    sources : path, DataFrame, RawTable, or a list of them
        One export per wave (with ``wave``), or exports that hold a wave column, or a file
        holding its waves side by side named once per wave (each wave's columns in its
        section of the mapping; a row blank at a wave is set aside for that wave,
        ``no_answers_at_wave``).
    instruments : list of str or Instrument, optional
        Instruments to bind; by default those the mapping names, else every registry
        instrument whose ``<id>_<item>`` columns are all present.
    settings : LoadSettings, optional
        How to read and bind, whole (:class:`~stigma_outcomes.ingest.settings.LoadSettings`);
        or give its fields as keyword arguments instead.
    registry : Registry, optional
        Where instrument ids are looked up.
    id_key : bytes, optional
        Project key (:func:`~stigma_outcomes.ingest.pseudonym.load_id_key`): participant IDs
        are replaced by keyed pseudonyms. Required when the ID column is personal data.
    **options
        The fields of :class:`~stigma_outcomes.ingest.settings.LoadSettings`, validated into
        it: ``mapping``, ``id_col``, ``wave``, ``wave_col``, ``carry``, ``duplicates``,
        ``casefold_ids``, ``flavor``, ``unlinked``, and the reading settings passed to
        :func:`~stigma_outcomes.ingest.readers.read_export` for each file (``sheet``,
        ``encoding``, ``delimiter``, ``include_previews``, ``include_incomplete``,
        ``dictionary``, ``pii``, ``layout``, ...; ``read_options={...}`` still works).
        An unknown name or a bad value is an :class:`~stigma_outcomes.errors.InputError`.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["A", "B"], "ucla3_1": [1, 2], "ucla3_2": [1, 3],
    ...                    "ucla3_3": [2, 2]})
    >>> resp = load_responses(df, ["ucla3"], wave="pre")
    >>> resp.frame[["participant_id", "wave", "ucla3_1"]].to_dict("list")
    {'participant_id': ['A', 'B'], 'wave': ['pre', 'pre'], 'ucla3_1': [1, 2]}
    """
    s = _settings(settings, options)
    items = list(sources) if isinstance(sources, list | tuple) else [sources]
    if not items:
        raise InputError("no export was given", fix="name at least one export file")
    for i, item in enumerate(items):
        if not isinstance(item, str | os.PathLike | pd.DataFrame | RawTable):
            raise InputError(
                f"an export must be a file path, a DataFrame or a RawTable, not "
                f"{type(item).__name__}",
                where=f"load_responses(), export {i + 1} of {len(items)}",
                fix="pass the path of the export file (or a list of paths, one per wave)",
            )
    waves = _wave_list(s.wave, len(items))
    registry = registry or Registry()
    the_map = load_mapping(s.mapping)
    read_kwargs = s.read_kwargs()
    # Instruments named outright (or by the mapping) are loaded before the exports are read:
    # an export parsed ahead on the other core may still be under way meanwhile. Only
    # detection from column names needs the tables.
    named = bool(instruments or the_map.bound)
    resolved = resolve_instruments(instruments, [], registry, the_map) if named else []
    tables = _number_dataframes([_as_table(x, s.flavor, read_kwargs) for x in items])
    if not named:
        resolved = resolve_instruments(instruments, tables, registry, the_map)

    frames: list[pd.DataFrame] = []
    ledgers: list[pd.DataFrame] = []
    source_columns: dict[tuple[str, str], str] = {}
    wave_columns: dict[tuple[str, str, str], str] = {}
    pii: dict[str, list[str]] = {}
    rows_in = 0
    side_by_side = _side_by_side(items, tables, waves, resolved, the_map)
    for index, (table, file_wave) in enumerate(zip(tables, waves, strict=True)):
        check_rows_left(table)
        rows_in += int(table.rows_in or 0)
        ledgers.append(table.excluded)
        part, columns, part_ledger = source_rows(
            table,
            index,
            resolved,
            the_map,
            s.id_col,
            s.wave_col,
            file_wave,
            list(s.carry),
            s.casefold_ids,
            id_key,
            s.ignore_id_zeros,
            side_by_side[index],
        )
        frames.append(part)
        ledgers.append(part_ledger)
        source_columns.update(columns)
        if side_by_side[index] and file_wave is not None:
            wave_columns.update({(f, file_wave, c): v for (f, c), v in columns.items()})
        if table.pii_columns:
            pii[table.source] = list(table.pii_columns)
    frame = _stack(frames)
    # Waves kept apart by lost leading zeros or by letter case, unless the setting folds them
    folds = [f for f, on in ((ZEROS, s.ignore_id_zeros), (CASE, s.casefold_ids)) if not on]
    frame = check_ids_kept(frame, folds)
    frame, dup_ledger = _apply_duplicates(frame, resolved, s.duplicates)
    ledgers.append(dup_ledger)
    ledgers.append(_single_wave_participants(frame))
    recodes = {inst.id: dict(the_map.for_source(inst.id, None, None).recode) for inst in resolved}
    ledger = ledger_frame(pd.concat([ledger_frame(x) for x in ledgers], ignore_index=True))
    return ItemResponses(
        frame=frame.reset_index(drop=True),
        instruments=resolved,
        recodes=recodes,
        source_columns=source_columns,
        wave_columns=wave_columns,
        carry=list(s.carry),
        ledger=ledger,
        rows_in=rows_in,
        sources=[t.source for t in tables],
        pii_columns=pii,
    )


def _settings(given: LoadSettings | None, options: dict[str, Any]) -> LoadSettings:
    """The settings object given, or the keyword options validated into one."""
    if given is None:
        return LoadSettings.build("load_responses()", **options)
    if not isinstance(given, LoadSettings):
        raise InputError(
            f"settings must be a LoadSettings, not {type(given).__name__}",
            where="load_responses()",
            fix="pass LoadSettings(...) from stigma_outcomes.ingest.settings, or keywords",
        )
    if options:
        raise InputError(
            "give the settings either whole (settings=LoadSettings(...)) or as keyword "
            f"arguments, not both (also given: {', '.join(sorted(options))})",
            where="load_responses()",
            fix="put every option into the LoadSettings, or drop settings=",
        )
    return given


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


def _side_by_side(
    items: list[Source],
    tables: list[RawTable],
    waves: list[str | None],
    instruments: list[Instrument],
    the_map: Mapping,
) -> list[bool]:
    """Which exports hold their waves side by side: the same export named at several waves,
    binding other columns at each (the mapping's wave sections).

    The same export is the same DataFrame object, or a table of the same name, size (where
    the reader knows it), columns and number of rows: a file read once per wave. Two exports
    of one name at two waves whose columns are bound alike are left as they are (two
    folders' exports of one survey, say).
    """
    keys = [_export_key(item, table) for item, table in zip(items, tables, strict=True)]
    named_at: dict[object, set[str]] = {}
    for key, wave in zip(keys, waves, strict=True):
        if wave is not None:
            named_at.setdefault(key, set()).add(wave)
    several = [w is not None and len(named_at[k]) > 1 for k, w in zip(keys, waves, strict=True)]
    if not any(several):
        return several
    bound: dict[int, tuple[str, ...]] = {
        i: tuple(
            column
            for inst in instruments
            for column in bind_items(tables[i], inst, the_map, waves[i]).values()
        )
        for i, flag in enumerate(several)
        if flag
    }
    return [
        flag and any(keys[j] == keys[i] and bound[j] != bound[i] for j in bound if j != i)
        for i, flag in enumerate(several)
    ]


def _export_key(item: Source, table: RawTable) -> object:
    """What makes two of the exports given the same export (see :func:`_side_by_side`)."""
    if isinstance(item, pd.DataFrame) or table.source.startswith("<DataFrame"):
        return ("object", id(item))
    return (
        "export",
        table.source,
        table.metadata.get("bytes"),
        int(table.rows_in or 0),
        tuple(str(c) for c in table.frame.columns),
    )


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
