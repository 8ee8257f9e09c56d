"""The scoring engine's records for people: the data-quality ledger and the evaluator's alerts.

The numerics (:mod:`.engine`) leave problem cells and alert hits as index arrays; this module
turns them into ledger and alert rows in one vectorised step per instrument and scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..ingest.responses import ItemResponses
from ..ingest.table import ledger_frame
from ..instruments.schema import Instrument
from .decode import MISSING_CODE, PROBLEM_NAMES

if TYPE_CHECKING:  # the engine imports this module; its types are only annotations here
    from .engine import InstrumentScores, _ScaleOutput

INSUFFICIENT = "insufficient_items"


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
    parts = []
    for out in outputs:
        rows = np.flatnonzero(~out.ok if not_given is None else ~out.ok & ~not_given)
        if len(rows) == 0:
            continue
        need = out.scale.required_answers()
        parts.append(
            pd.DataFrame(
                {
                    "file": _at(frame, "_file", rows),
                    "row": _at(frame, "_row", rows),
                    "participant_id": _at(frame, "participant_id", rows),
                    "wave": _at(frame, "wave", rows),
                    "instrument": instrument.id,
                    "scale": out.scale.id,
                    "value": pd.Series(out.answered[rows]).astype(str).to_numpy(dtype=object)
                    + f" of {len(out.scale.items)} answered (needs {need})",
                    "problem": INSUFFICIENT,
                    "action": "no_score",
                }
            )
        )
    return ledger_frame(pd.concat(parts, ignore_index=True)) if parts else ledger_frame([])


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
