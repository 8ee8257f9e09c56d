"""Long layouts → wide: one row per participant (× wave) with one column per item.

Two long shapes reach evaluators. One row per participant × wave is already what the
rest of the pipeline reads (a wave column says which wave), so it passes through. One
row per participant × item (often × wave), as a database or a tidy R script writes it,
is pivoted here so every item becomes a column. Row accounting survives the pivot: each
wide row keeps the spreadsheet row of its first long row, long rows that cannot be
placed (no participant ID, no item name, or a second answer to the same item) are set
aside with a ledger entry, and the count of long rows read is kept in the metadata.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .conventions import ID_CANDIDATES, WAVE_COLUMNS
from .flavors.base import concat_ledgers
from .table import RawTable, ledger_frame

ITEM_COLUMNS = ("item", "item_id", "itemid", "question", "question_id", "variable")
VALUE_COLUMNS = ("response", "value", "answer", "score", "response_value")
ID_COLUMNS = ID_CANDIDATES


def _pick(columns: list[str], wanted: str | None, names: tuple[str, ...]) -> str | None:
    folded = {c.strip().casefold(): c for c in columns}
    if wanted is not None:
        return folded.get(wanted.strip().casefold())
    for name in names:
        if name in folded:
            return folded[name]
    return None


def detect_layout(
    frame: pd.DataFrame,
    *,
    id_col: str | None = None,
    item_col: str | None = None,
    value_col: str | None = None,
    wave_col: str | None = None,
) -> tuple[str, str]:
    """Say whether a table is ``wide``, ``long_waves`` or ``long_items``, and why.

    Examples
    --------
    >>> df = pd.DataFrame({"pid": ["A", "A"], "item": ["ucla3_1", "ucla3_2"],
    ...                    "response": ["2", "3"]})
    >>> detect_layout(df)[0]
    'long_items'
    """
    columns = [str(c) for c in frame.columns]
    item = _pick(columns, item_col, ITEM_COLUMNS)
    value = _pick(columns, value_col, VALUE_COLUMNS)
    ident = _pick(columns, id_col, ID_COLUMNS)
    if item and value and ident and len(columns) <= 8:
        return "long_items", f"columns '{ident}', '{item}' and '{value}': one row per item"
    wave = _pick(columns, wave_col, WAVE_COLUMNS)
    if ident and wave and _repeats(frame[ident]):
        return "long_waves", f"'{ident}' repeats across '{wave}': one row per participant × wave"
    return "wide", "one row per response"


_SAMPLE_ROWS = 1 << 17


def _repeats(values: pd.Series) -> bool:
    """``values.duplicated().any()``, looked for first in an evenly spaced sample.

    A value repeated in the sample is repeated in the column, so a long export (each ID
    on every wave's row, in whatever order) is told from a fraction of its rows; only a
    column whose sample has no repeat is checked whole.
    """
    step = len(values) // _SAMPLE_ROWS
    if step >= 2 and values.iloc[::step].duplicated().any():
        return True
    return bool(values.duplicated().any())


def apply_layout(
    table: RawTable,
    *,
    layout: str = "auto",
    id_col: str | None = None,
    item_col: str | None = None,
    value_col: str | None = None,
    wave_col: str | None = None,
) -> RawTable:
    """Pivot a participant × item table wide when asked (or when unmistakable); else pass.

    Parameters
    ----------
    layout : {"auto", "wide", "long"}
        ``wide`` never pivots; ``long`` pivots and fails clearly if the columns are not
        found; ``auto`` pivots only when :func:`detect_layout` says ``long_items``.

    Examples
    --------
    >>> import numpy as np
    >>> wide = RawTable(frame=pd.DataFrame({"participant_id": ["A"], "ucla3_1": ["2"]}),
    ...                 source="pre.csv", row_numbers=np.array([2]))
    >>> apply_layout(wide).metadata["layout"]
    'wide'
    """
    if layout not in {"auto", "wide", "long"}:
        raise InputError(f"unknown layout '{layout}'", fix="use auto, wide or long")
    if layout == "wide":
        table.metadata.setdefault("layout", "wide")
        return table
    kind, reason = detect_layout(
        table.frame, id_col=id_col, item_col=item_col, value_col=value_col, wave_col=wave_col
    )
    if layout == "auto" and kind != "long_items":
        table.metadata.setdefault("layout", kind)
        table.metadata.setdefault("layout_reason", reason)
        return table
    return long_to_wide(
        table, id_col=id_col, item_col=item_col, value_col=value_col, wave_col=wave_col
    )


def long_to_wide(
    table: RawTable,
    *,
    id_col: str | None = None,
    item_col: str | None = None,
    value_col: str | None = None,
    wave_col: str | None = None,
) -> RawTable:
    """Pivot one row per participant × item (× wave) into one row per participant (× wave).

    Columns other than ID, wave, item and value (e.g. ``site``) are carried from the
    participant's first row. When the same item is answered twice for the same participant
    and wave, the later row wins and the earlier one is set aside (``duplicate_item_response``).

    Examples
    --------
    >>> import numpy as np
    >>> long = pd.DataFrame({"pid": ["A", "A", "B"], "item": ["q1", "q2", "q1"],
    ...                      "response": ["2", "3", "1"]})
    >>> t = RawTable(frame=long, source="long.csv", row_numbers=np.array([2, 3, 4]))
    >>> wide = long_to_wide(t)
    >>> wide.frame.to_dict("list"), wide.row_numbers.tolist()
    ({'pid': ['A', 'B'], 'q1': ['2', '1'], 'q2': ['3', nan]}, [2, 4])
    """
    frame = table.frame
    columns = [str(c) for c in frame.columns]
    picked = {
        "participant ID": (_pick(columns, id_col, ID_COLUMNS), id_col, "--id-col"),
        "item": (_pick(columns, item_col, ITEM_COLUMNS), item_col, "--item-col"),
        "value": (_pick(columns, value_col, VALUE_COLUMNS), value_col, "--value-col"),
    }
    for what, (found, asked, option) in picked.items():
        if found is None:
            shown = f"'{asked}'" if asked else f"(looked for {', '.join(_names(what))})"
            raise InputError(
                f"the long layout's {what} column {shown} is not in the export",
                where=table.source,
                fix=f"name it with {option}; the columns are: {', '.join(columns)}",
            )
    ident, item, value = (picked[k][0] for k in ("participant ID", "item", "value"))
    wave = (
        _pick(columns, wave_col, WAVE_COLUMNS)
        if wave_col or _pick(columns, None, WAVE_COLUMNS)
        else None
    )
    if wave_col and wave is None:
        raise InputError(
            f"the wave column '{wave_col}' is not in the export",
            where=table.source,
            fix=f"the columns are: {', '.join(columns)}",
        )
    keys = [ident] + ([wave] if wave else [])
    work = frame.reset_index(drop=True).copy()
    work["_row"] = table.row_numbers
    key_text = work[[*keys, item]].astype("string").apply(lambda s: s.str.strip())
    unplaced = key_text.isna().any(axis=1) | (key_text == "").any(axis=1)
    ledgers = [table.excluded]
    if unplaced.any():
        ledgers.append(_set_aside(work.loc[unplaced], table.source, ident, "missing_long_key"))
    work = work.loc[~unplaced].copy()
    for column in [*keys, item]:
        work[column] = key_text.loc[~unplaced, column]
    repeated = work.duplicated(subset=[*keys, item], keep="last")
    if repeated.any():
        ledgers.append(
            _set_aside(work.loc[repeated], table.source, ident, "duplicate_item_response")
        )
    work = work.loc[~repeated]
    wide = work.pivot(index=keys, columns=item, values=value)
    item_order = pd.unique(work[item])
    wide = wide.reindex(columns=item_order)
    group = work.groupby(keys, sort=False)
    first_row = group["_row"].min()
    carry = [c for c in columns if c not in set(keys) | {item, value}]
    clash = sorted(set(carry) & set(map(str, item_order)))
    if clash:
        raise InputError(
            f"item name(s) {', '.join(clash)} are also column names of the long file",
            where=table.source,
            fix="rename those columns, or the items, so each wide column is unique",
        )
    carried = group[carry].first() if carry else None
    order = first_row.sort_values(kind="stable").index
    out = wide.loc[order]
    if carried is not None:
        out = carried.loc[order].join(out)
    out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    excluded = concat_ledgers(ledgers)
    metadata = {
        **table.metadata,
        "layout": "long_items",
        "layout_reason": f"pivoted '{item}' × '{value}' by {', '.join(keys)}",
        "long_rows_read": int(table.rows_in or len(frame)),
    }
    return RawTable(
        frame=out,
        source=table.source,
        row_numbers=first_row.loc[order].to_numpy(),
        flavor=table.flavor,
        column_labels=dict(table.column_labels),
        value_labels=dict(table.value_labels),
        pii_columns=[c for c in table.pii_columns if c in out.columns],
        excluded=excluded,
        # The pivoted row is the unit from here on: rows in = wide rows + rows set aside.
        rows_in=len(out) + len(excluded),
        metadata=metadata,
    )


def _names(what: str) -> tuple[str, ...]:
    return {"participant ID": ID_COLUMNS, "item": ITEM_COLUMNS, "value": VALUE_COLUMNS}[what]


def _set_aside(rows: pd.DataFrame, source: str, ident: str, problem: str) -> pd.DataFrame:
    return ledger_frame(
        pd.DataFrame(
            {
                "file": source,
                "row": rows["_row"].to_numpy(dtype=np.int64),
                "participant_id": rows[ident].astype("object").to_numpy(),
                "problem": problem,
                "action": "row_excluded",
            }
        )
    )
