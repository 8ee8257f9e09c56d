"""REDCap rows as occasions, and form status: which rows and answers get scored.

A REDCap export is not one row per participant × wave. Each record × event has a *base*
row (``redcap_repeat_instrument`` blank) holding the non-repeating forms; each instance of
a repeating instrument has a row of its own holding only that form's fields; each instance
of a repeating event has a row holding every form of the event. And every form carries its
status in ``<form>_complete``: 0 Incomplete, 1 Unverified, 2 Complete.

:func:`sort_out_rows` applies both once the instruments are bound to columns:

* **Occasions.** A base row keeps its wave (the event, or the wave given). A row of a
  repeating instrument becomes ``<wave>/<form>#<instance>`` (``<form>#<instance>`` when no
  wave was given or read), a row of a repeating event ``<wave>#<instance>``. Every
  instance is thus an occasion of its own, never a duplicate of the base row, and the
  form's name keeps two repeating forms with the same instance number apart.
* **Rows that hold no scored instrument.** In an export with events or repeats, a row on
  which no bound instrument has an answer or a form status holds other forms only (the
  base row of a repeating check-in, a repeat of an unscored form): it is set aside with
  problem ``no_scored_form``.
* **Incomplete forms.** An instrument is linked to the form(s) its columns belong to
  (reader metadata ``form_fields``: the dictionary's ``Form Name``, else export order).
  Where such a form is marked Incomplete, the instrument's answers on that row are not
  scored (problem ``form_incomplete``): the row is set aside when that leaves nothing to
  score, otherwise only those answers are blanked. Read with ``include_incomplete=True``
  to score them anyway. Unverified and Complete forms are scored; so is a form without a
  status (a report that left the status columns out).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..flavors.base import matches_any
from ..table import ABSENT_PREFIX, ledger_frame

INCOMPLETE = {"0", "0.0", "incomplete"}
"""``<form>_complete`` values (raw or label export) that mark a form Incomplete."""

_WHOLE = re.compile(r"\.0+$")


def _cells(data: pd.DataFrame, column: str, at: np.ndarray) -> pd.Series:
    """``column`` at the rows ``at`` (positions in ``data``, in order)."""
    series = data[column]
    # Rows are only ever removed, never reordered: as many positions as rows means all.
    return series if len(at) == len(series) else series.iloc[at]


def _text(data: pd.DataFrame, column: str, at: np.ndarray) -> pd.Categorical:
    """Stripped text of ``column`` at ``at`` ('' where missing or absent; ``2.0`` → ``2``).

    Worked out once per distinct value (a repeat column has a handful), and kept as codes.
    """
    if column not in data.columns:
        codes = np.zeros(len(at), dtype=np.int8)
        return pd.Categorical.from_codes(codes, categories=[""], validate=False)
    codes, uniques = pd.factorize(_cells(data, column, at), use_na_sentinel=True)
    text = [_WHOLE.sub("", str(u).strip()) for u in uniques] + [""]
    merged, distinct = pd.factorize(pd.Series(text, dtype=object))
    return pd.Categorical.from_codes(
        merged[codes], categories=pd.Index(distinct, dtype=object), validate=False
    )


def _blank(cells: pd.Series) -> np.ndarray:
    """Cells that are missing or only white space."""
    return cells.isna().to_numpy() | matches_any(cells, {""})


def _filled(data: pd.DataFrame, columns: list[str], at: np.ndarray) -> np.ndarray:
    """Rows where any of ``columns`` holds something other than blank."""
    out = np.zeros(len(at), dtype=bool)
    for column in columns:
        out |= ~_blank(_cells(data, column, at))
    return out


def occasion_names(
    waves: pd.Series,
    instrument: np.ndarray | pd.Categorical,
    instance: np.ndarray | pd.Categorical,
    prefix: bool = True,
) -> pd.Categorical:
    """Occasion (wave) name of each row from its wave and its repeat columns.

    Names are built once per distinct (wave, form, instance), not once per row.

    Examples
    --------
    >>> occasion_names(pd.Series(["baseline_arm_1"] * 3),
    ...                np.array(["", "weekly", ""], dtype=object),
    ...                np.array(["", "2", "3"], dtype=object)).tolist()
    ['baseline_arm_1', 'baseline_arm_1/weekly#2', 'baseline_arm_1#3']
    """
    parts = [pd.factorize(v, use_na_sentinel=True) for v in (waves, instrument, instance)]
    sizes = [len(u) + 1 for _, u in parts]
    key = np.zeros(len(waves), dtype=np.int64)
    for (codes, _), size in zip(parts, sizes, strict=True):
        key = key * size + (codes.astype(np.int64) + 1)
    combos, keys = pd.factorize(key)
    names = []
    for k in np.asarray(keys):
        found = []
        for (_, uniques), size in zip(reversed(parts), reversed(sizes), strict=True):
            code = int(k % size) - 1
            found.append("" if code < 0 else str(uniques[code]))
            k //= size
        form, number, wave = found[1], found[0], found[2]
        numbered = f"#{number}" if number else ""
        if form:
            names.append(f"{wave}/{form}{numbered}" if prefix else f"{form}{numbered}")
        else:
            names.append(f"{wave}{numbered}")
    name_codes, distinct = pd.factorize(pd.Series(names, dtype=object))
    return pd.Categorical.from_codes(
        name_codes[combos], categories=pd.Index(distinct, dtype=object), validate=False
    )


def sort_out_rows(
    rows: pd.DataFrame,
    data: pd.DataFrame,
    metadata: Mapping[str, Any],
    items: Mapping[str, Mapping[str, str]],
    source: str,
    prefix: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Name each REDCap row's occasion and apply form status; returns (rows, ledger).

    Parameters
    ----------
    rows : DataFrame
        Bound responses (``participant_id``, ``wave``, ``<instrument>_<item>``, ``_row``);
        its index gives each row's position in ``data``.
    data : DataFrame
        The export as read (repeat and ``<form>_complete`` columns).
    metadata : dict
        The reader's facts: ``form_fields``, ``complete_columns``, ``include_incomplete``.
    items : dict
        Instrument id → {``<instrument>_<item>`` column of ``rows`` → export column}.
    source : str
        File name for the ledger.
    prefix : bool
        Whether repeat occasions start with the row's wave (False when none was given or
        read, as in a classic project without events).

    Returns
    -------
    rows : DataFrame
        Rows kept, occasions as their ``wave``, answers of Incomplete forms blanked.
    ledger : DataFrame
        ``no_scored_form`` and ``form_incomplete`` entries (action ``row_excluded`` for a
        row set aside, once per row), and one ``repeat_instances_as_waves`` note per
        repeating form or event.

    Examples
    --------
    >>> data = pd.DataFrame({"record_id": ["1", "1", "1"],
    ...     "redcap_repeat_instrument": ["", "weekly", "weekly"],
    ...     "redcap_repeat_instance": ["", "1", "2"],
    ...     "w_1": ["", "2", "3"], "weekly_complete": ["", "2", "0"]})
    >>> rows = pd.DataFrame({"participant_id": ["1"] * 3, "wave": ["1"] * 3,
    ...     "x_1": data["w_1"], "_row": [2, 3, 4]})
    >>> meta = {"form_fields": {"weekly": ["w_1", "weekly_complete"]},
    ...         "complete_columns": {"weekly": "weekly_complete"}}
    >>> kept, ledger = sort_out_rows(rows, data, meta, {"x": {"x_1": "w_1"}}, "r.csv", False)
    >>> kept["wave"].tolist(), ledger["problem"].tolist()
    (['weekly#1'], ['no_scored_form', 'form_incomplete', 'repeat_instances_as_waves'])
    """
    at = rows.index.to_numpy()
    form_text = _text(data, "redcap_repeat_instrument", at)
    instance = _text(data, "redcap_repeat_instance", at)
    if (form_text != "").any() or (instance != "").any():
        rows = rows.assign(wave=occasion_names(rows["wave"], form_text, instance, prefix))
    layered = (
        metadata.get("event_column") is not None
        or "redcap_repeat_instrument" in data.columns
        or "redcap_repeat_instance" in data.columns
    )
    form_of = {c: f for f, cols in metadata.get("form_fields", {}).items() for c in cols}
    complete: Mapping[str, str] = metadata.get("complete_columns", {})
    include = bool(metadata.get("include_incomplete", False))

    n = len(rows)
    present: dict[str, np.ndarray] = {}
    incomplete: dict[str, np.ndarray] = {}
    status_of: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for inst_id, columns in items.items():
        exported = list(columns.values())
        forms = dict.fromkeys(form_of[c] for c in exported if c in form_of)
        statuses = [complete[f] for f in forms if complete.get(f) in data.columns]
        present[inst_id], marked, which, value = _form_status(data, at, exported, statuses)
        incomplete[inst_id] = marked & (not include)
        status_of[inst_id] = (which, value)

    any_present = np.zeros(n, dtype=bool)
    any_scored = np.zeros(n, dtype=bool)
    for inst_id in items:
        any_present |= present[inst_id]
        any_scored |= present[inst_id] & ~incomplete[inst_id]
    no_form = ~any_present if layered else np.zeros(n, dtype=bool)
    all_incomplete = any_present & ~any_scored

    def entries(mask: np.ndarray, **columns: object) -> pd.DataFrame:
        """Ledger rows for the rows in ``mask``; ``columns`` hold one value per such row."""
        return pd.DataFrame(
            {
                "file": source,
                "row": rows["_row"][mask].to_numpy(),
                "participant_id": rows["participant_id"][mask].to_numpy(),
                "wave": rows["wave"][mask].to_numpy(),
                **columns,
            }
        )

    parts: list[pd.DataFrame] = []
    if no_form.any():
        scored = ", ".join(items)
        repeat_forms = np.asarray(form_text[no_form], dtype=object)
        repeat = repeat_forms != ""
        parts.append(
            entries(
                no_form,
                column=np.where(repeat, "redcap_repeat_instrument", None),
                value=np.where(
                    repeat,
                    "a row of repeating form '" + repeat_forms + "'",
                    f"no answer and no form status for {scored}",
                ),
                problem="no_scored_form",
                action="row_excluded",
            )
        )
    excluded_once = np.zeros(n, dtype=bool)
    for inst_id, columns in items.items():
        mask = incomplete[inst_id]
        if not mask.any():
            continue
        which, value = status_of[inst_id]
        # Actions only for the rows in the ledger: full-length text arrays cost megabytes.
        set_aside = all_incomplete[mask]
        action = np.where(
            set_aside,
            "not scored (form marked Incomplete; row set aside)",
            "answers not scored (form marked Incomplete); include_incomplete scores them",
        ).astype(object)
        action[set_aside & ~excluded_once[mask]] = "row_excluded"
        parts.append(
            entries(
                mask,
                instrument=inst_id,
                column=which[mask],
                value=value[mask],
                problem="form_incomplete",
                action=action,
            )
        )
        excluded_once |= mask & all_incomplete
        blank = mask & ~all_incomplete
        if blank.any():
            rows = rows.assign(**{c: rows[c].mask(blank) for c in columns})
    parts.append(_repeat_notes(form_text, instance, source, prefix))
    # An instrument that is not on a kept row (another form's row of a layered export), or
    # whose form is Incomplete, was not given there: scoring writes no score row for it, so
    # it is not reported again as too few answers.
    absent = {
        f"{ABSENT_PREFIX}{inst_id}": incomplete[inst_id] | (~present[inst_id] & layered)
        for inst_id in items
    }
    absent = {name: mask for name, mask in absent.items() if mask.any()}
    if absent:
        rows = rows.assign(**absent)
    drop = no_form | all_incomplete
    ledger = ledger_frame(pd.concat([ledger_frame(p) for p in parts], ignore_index=True))
    if drop.any():
        rows = rows.loc[~drop]
        if isinstance(rows["wave"].dtype, pd.CategoricalDtype):
            # Waves list only occasions that were kept, as if read from the kept rows.
            rows = rows.assign(wave=rows["wave"].cat.remove_unused_categories())
    return rows, ledger


def _form_status(
    data: pd.DataFrame, at: np.ndarray, exported: list[str], statuses: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One instrument on each row: (on the row, form marked Incomplete, which status
    column said so, its value)."""
    n = len(at)
    has_status = np.zeros(n, dtype=bool)
    marked = np.zeros(n, dtype=bool)
    which = np.empty(n, dtype=object)
    value = np.empty(n, dtype=object)
    for column in statuses:
        cells = _cells(data, column, at)
        has_status |= ~_blank(cells)
        hit = matches_any(cells, INCOMPLETE) & ~marked
        if hit.any():
            which[hit] = column
            value[hit] = cells.iloc[np.flatnonzero(hit)].astype("string").to_numpy(object)
        marked |= hit
    # A form status means the form is on the row; answers are looked at only without one.
    present = has_status.copy()
    unknown = ~has_status
    if unknown.any():
        present[unknown] = _filled(data, exported, at[unknown])
    return present, marked, which, value


def _repeat_notes(
    form_text: pd.Categorical, instance: pd.Categorical, source: str, prefix: bool
) -> pd.DataFrame:
    """One ledger note per repeating form or event: how its instances were named."""
    repeated = instance != ""
    if not repeated.any():
        return ledger_frame([])
    kinds = pd.Series(np.asarray(form_text[repeated], dtype=object))
    notes = []
    for kind, count in kinds.value_counts(sort=False).items():
        if kind:
            scheme = f"<wave>/{kind}#<instance>" if prefix else f"{kind}#<instance>"
            what = f"{count} row(s) of repeating form '{kind}'"
        else:
            scheme = "<wave>#<instance>"
            what = f"{count} row(s) of repeating events"
        notes.append(
            {
                "file": source,
                "column": "redcap_repeat_instance",
                "value": what,
                "problem": "repeat_instances_as_waves",
                "action": f"each instance is its own wave, named {scheme}",
            }
        )
    return ledger_frame(notes)
