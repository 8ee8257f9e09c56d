"""The scoring engine's records for people: the data-quality ledger and the evaluator's alerts.

The engine (:mod:`.engine`, :mod:`._numerics`) leaves problem cells and alert hits as index
arrays; this module finds them (:func:`problem_cells`, :func:`find_alerts`) and
turns them into ledger and alert rows in one vectorised step per instrument and scale.
"""

from __future__ import annotations

import operator as op
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..ingest.responses import ItemResponses
from ..ingest.table import ledger_frame
from ..instruments.schema import Instrument
from .decode import MISSING_CODE, OK, PROBLEM_NAMES, as_float_codes

if TYPE_CHECKING:  # the engine imports this module; its types are only annotations here
    from ._numerics import _ScaleOutput
    from .engine import InstrumentScores

INSUFFICIENT = "insufficient_items"
_OPS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt}


def _at(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    """Values of one column at some rows, as plain objects (for ledger rows)."""
    return frame[column].iloc[rows].to_numpy(dtype=object)


def item_ledger(responses: ItemResponses, scored: InstrumentScores) -> pd.DataFrame:
    if len(scored.problem_rows) == 0:
        return ledger_frame([])
    instrument = scored.instrument
    order = np.lexsort((scored.problem_items, scored.problem_rows))
    rows, cols = scored.problem_rows[order], scored.problem_items[order]
    problem_codes = scored.problem_flags[order]
    values_scored = scored.problem_values[order]
    frame = responses.frame
    item_ids = np.array(instrument.item_ids, dtype=object)[cols]
    canonical = np.array([f"{instrument.id}_{i}" for i in instrument.item_ids], dtype=object)[cols]
    files = _at(frame, "_file", rows)
    source_column = pd.Series(list(zip(files, canonical, strict=True))).map(
        responses.source_columns
    )
    if responses.wave_columns:
        # A file holding its waves side by side: each wave's own column, not the last one's.
        waves = _at(frame, "wave", rows)
        at_wave = pd.Series(list(zip(files, waves, canonical, strict=True))).map(
            responses.wave_columns
        )
        source_column = at_wave.fillna(source_column)
    values = np.empty(len(rows), dtype=object)
    for j in np.unique(cols):
        sel = cols == j
        values[sel] = _at(frame, f"{instrument.id}_{instrument.items[j].id}", rows[sel])
    action = np.where(
        problem_codes == MISSING_CODE,
        np.where(
            np.isnan(values_scored), "treated_as_missing", "scored_as_" + values_scored.astype(str)
        ),
        "treated_as_missing",
    )
    return ledger_frame(
        pd.DataFrame(
            {
                "file": files,
                "row": _at(frame, "_row", rows),
                "column": source_column.fillna(pd.Series(canonical)).to_numpy(),
                "participant_id": _at(frame, "participant_id", rows),
                "wave": _at(frame, "wave", rows),
                "instrument": instrument.id,
                "item": item_ids,
                "value": [None if v is None else str(v) for v in values],
                "problem": pd.Series(problem_codes).map(PROBLEM_NAMES).to_numpy(),
                "action": action,
            }
        )
    )


def scale_ledger(
    responses: ItemResponses,
    instrument: Instrument,
    outputs: list[_ScaleOutput],
    not_given: np.ndarray | None = None,
) -> pd.DataFrame:
    frame = responses.frame
    # Every scale's rows gathered first, then one look-up per column and one frame: a frame
    # per scale cost more than the rows in it.
    rows, scales, values = [], [], []
    for out in outputs:
        at = np.flatnonzero(~out.ok if not_given is None else ~out.ok & ~not_given)
        if len(at) == 0:
            continue
        need = out.scale.required_answers()
        rows.append(at)
        scales.append(np.full(len(at), out.scale.id, dtype=object))
        # Counts run from 0 to the scale's items: each text made once, taken by count.
        k = len(out.scale.items)
        texts = np.array([f"{c} of {k} answered (needs {need})" for c in range(k + 1)], object)
        values.append(texts[out.answered[at].astype(np.intp)])
    if not rows:
        return ledger_frame([])
    at = np.concatenate(rows)
    return ledger_frame(
        pd.DataFrame(
            {
                "file": _at(frame, "_file", at),
                "row": _at(frame, "_row", at),
                "participant_id": _at(frame, "participant_id", at),
                "wave": _at(frame, "wave", at),
                "instrument": instrument.id,
                "scale": np.concatenate(scales),
                "value": np.concatenate(values),
                "problem": INSUFFICIENT,
                "action": "no_score",
            }
        )
    )


NOT_ASKED = "not_administered"


def not_asked_ledger(
    responses: ItemResponses, instrument: Instrument, not_asked: np.ndarray
) -> pd.DataFrame:
    """One ledger row per wave at which the instrument was not asked (no one answered any
    of its items there): its rows there get no score on it, and no row of too few answers."""
    frame = responses.frame
    rows = np.flatnonzero(not_asked)
    waves = frame["wave"].iloc[rows].astype(object).to_numpy()
    files = frame["_file"].iloc[rows].astype(object).to_numpy()
    entries = []
    for wave in pd.unique(waves):
        at = waves == wave
        entries.append(
            {
                "file": ", ".join(sorted({str(f) for f in files[at]})),
                "wave": wave,
                "instrument": instrument.id,
                "value": f"no answer to any of its items in {int(at.sum())} row(s)",
                "problem": NOT_ASKED,
                "action": "not_scored_at_this_wave",
            }
        )
    return ledger_frame(entries)


def alerts_frame(responses: ItemResponses, scored: InstrumentScores) -> pd.DataFrame:
    frame = responses.frame
    messages = {rule.id: rule.message for rule in scored.instrument.alerts}
    parts = [
        pd.DataFrame(
            {
                "participant_id": _at(frame, "participant_id", rows),
                "wave": _at(frame, "wave", rows),
                "instrument": scored.instrument.id,
                "alert": rule_id,
                "item": scored.instrument.items[j].id,
                "value": codes,
                "message": messages[rule_id],
                "file": _at(frame, "_file", rows),
                "row": _at(frame, "_row", rows),
            }
        )
        for rule_id, j, rows, codes in scored.alert_hits
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def problem_cells(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Item and row index of every cell whose flag is not OK (OK is 0).

    Most items have no problem at all; checking each item first skips a full scan for
    positions of the whole matrix.
    """
    items, rows = [], []
    for j in np.flatnonzero(flags.any(axis=1)):
        found = np.flatnonzero(flags[j])
        items.append(np.full(len(found), j, dtype=np.intp))
        rows.append(found)
    if not rows:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(items), np.concatenate(rows)


def find_alerts(
    instrument: Instrument, keyed: np.ndarray, flags: np.ndarray
) -> list[tuple[str, int, np.ndarray, np.ndarray]]:
    """Rows whose response (as given, before keying) meets an alert rule of the instrument.

    Returns (rule id, item index, rows, the codes at those rows) per rule and item hit.
    """
    positions = {item.id: j for j, item in enumerate(instrument.items)}
    alert_hits: list[tuple[str, int, np.ndarray, np.ndarray]] = []
    for rule in instrument.alerts:
        compare = _OPS[rule.operator]
        for item_id in rule.items:
            j = positions[item_id]
            codes = as_float_codes(keyed[j])
            with np.errstate(invalid="ignore"):
                rows = np.flatnonzero((flags[j] == OK) & compare(codes, float(rule.value)))
            if len(rows):
                alert_hits.append((rule.id, j, rows, codes[rows]))

    return alert_hits


ALERT_COLUMNS = ["participant_id", "wave", "instrument", "alert", "item", "value", "message",
                 "file", "row"]  # fmt: skip


def combine_alerts(alerts: list[pd.DataFrame]) -> pd.DataFrame:
    """Every instrument's alert rows in one table (its columns even when there is none)."""
    found = [a for a in alerts if not a.empty]
    if not found:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    return pd.concat(found, ignore_index=True)
