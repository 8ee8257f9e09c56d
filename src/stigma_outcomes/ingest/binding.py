"""Finding columns in an export: the participant ID, the wave, each item's column.

:func:`bind_items` binds an instrument's items to export columns (by a mapping, or by
``<instrument>_<item>`` names); :func:`detect_instruments` and :func:`resolve_instruments`
decide which instruments a run scores; :func:`id_strings` turns ID and wave cells into
trimmed text. Split from :mod:`.responses`, which re-exports the public names.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError, MappingError
from ..instruments.registry import Registry
from ..instruments.schema import Instrument
from .conventions import ID_CANDIDATES, ROW_ID
from .mapping import Mapping
from .table import RawTable


def _lookalikes(name: str, columns: Sequence[str], n: int = 3) -> list[str]:
    lowered = {c.lower(): c for c in columns}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[c] for c in close]


def find_column(table: RawTable, name: str, what: str, option: str) -> str:
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


def detect_id_column(table: RawTable) -> str:
    folded = {str(c).strip().casefold(): str(c) for c in table.frame.columns}
    for candidate in ID_CANDIDATES:
        if candidate in folded:
            return folded[candidate]
    raise InputError(
        "no participant ID column was found",
        where=table.source,
        fix="name the column that identifies participants with --id-col (or id_col in the "
        f"mapping); looked for: {', '.join(ID_CANDIDATES)}. An anonymous survey whose waves "
        f"are not linked (unlinked design) can number its rows instead: --id-col {ROW_ID} "
        f"(id_col: '{ROW_ID}'); never for a paired design",
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


def id_strings(values: pd.Series, casefold: bool = False, ignore_zeros: bool = False) -> pd.Series:
    """IDs and wave names as trimmed text (vectorised); blanks become missing.

    Whole numbers typed as floats (``101.0``, as spreadsheets store them) become ``"101"``.
    With ``ignore_zeros``, all-digit IDs lose their leading zeros (``"007"`` → ``"7"``), as
    a spreadsheet's number would.

    Examples
    --------
    >>> id_strings(pd.Series(["007", " A7 ", "000"]), ignore_zeros=True).tolist()
    ['7', 'A7', '0']
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
        text = _casefold(text)
    if ignore_zeros:
        text = without_leading_zeros(text)
    return text.reset_index(drop=True)


def without_leading_zeros(text: pd.Series) -> pd.Series:
    """All-digit texts without their leading zeros (``"007"`` → ``"7"``, ``"000"`` →
    ``"0"``); other texts as they are."""
    digits = text.str.fullmatch(r"\d+").fillna(False).astype(bool)
    if not digits.any():
        return text
    stripped = text.str.lstrip("0").mask(lambda t: t == "", "0")
    return text.mask(digits, stripped)


def _casefold(text: pd.Series) -> pd.Series:
    """``text.str.casefold()``; text held by Arrow that is all ASCII is lowered by Arrow.

    For ASCII, case folding is lowering A-Z (``"ß"`` and the other special foldings are
    not ASCII); pandas would call ``str.casefold`` once a row, in Python.
    """
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(text.array)
        if pc.all(pc.string_is_ascii(values)).as_py() is not False:
            lowered = pd.array(pc.ascii_lower(values), dtype=text.dtype)
            return pd.Series(lowered, index=text.index, name=text.name)
    return text.str.casefold()


def resolve_instruments(
    instruments: Sequence[str | Instrument] | None,
    tables: list[RawTable],
    registry: Registry,
    the_map: Mapping,
) -> list[Instrument]:
    if instruments:
        resolved = [i if isinstance(i, Instrument) else registry.get(i) for i in instruments]
    elif the_map.bound:
        # A mapping that binds instruments names them: no need to repeat them.
        resolved = [registry.get(i) for i in the_map.bound]
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
