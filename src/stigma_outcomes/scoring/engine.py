"""The scoring engine (SPEC §5): item responses → keyed items → scale scores.

For each instrument the item columns become one ``n × k`` float matrix (decoded by
:mod:`.decode`); reverse keys and recodes are applied to whole columns, and every scale is a
masked row reduction over its item columns. Nothing loops over respondents. Problems found on
the way (unknown labels, out-of-range codes, declared non-answers, too few items answered)
become ledger rows, built from ``numpy.nonzero`` of the problem masks.
"""

from __future__ import annotations

import operator as op
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..ingest.responses import ItemResponses, load_responses
from ..ingest.table import ledger_frame
from ..instruments.checks import _decimals
from ..instruments.schema import Instrument, Scale
from .decode import MISSING_CODE, OK, PROBLEM_NAMES, ItemDecoder
from .result import ScoreResult, assemble_scores

_OPS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt}
INSUFFICIENT = "insufficient_items"


@dataclass
class _ScaleOutput:
    scale: Scale
    score: np.ndarray
    raw: np.ndarray
    se: np.ndarray
    answered: np.ndarray
    ok: np.ndarray
    band: np.ndarray  # band index per row, -1 = none


def _round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    factor = 10.0**decimals
    # The small nudge keeps 2.005 (stored as 2.00499999…) rounding up, as a reader would.
    return np.floor(values * factor + 0.5 + 1e-9) / factor


def _scale_scores(instrument: Instrument, scale: Scale, keyed: np.ndarray,
                  positions: dict[str, int]) -> _ScaleOutput:
    block = keyed[:, [positions[i] for i in scale.items]]
    answered = np.count_nonzero(~np.isnan(block), axis=1)
    total = np.nansum(block, axis=1)
    k = len(scale.items)
    ok = answered >= scale.required_answers()
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale.method == "sum":
            raw = total
        elif scale.method == "mean":
            raw = total / answered
        else:
            raw = total / answered * k
    raw = np.where(ok, raw, np.nan)
    score = raw
    se = np.full(len(raw), np.nan)
    if scale.conversion is not None:
        table = sorted(scale.conversion.table, key=lambda r: float(r.raw))
        keys = np.array([float(r.raw) for r in table])
        lookup = np.where(np.isnan(raw), keys[0], raw)
        if scale.method == "prorated_sum":
            lookup = _round_half_up(lookup, 0)
        idx = np.clip(np.searchsorted(keys, lookup - 1e-9), 0, len(keys) - 1)
        matched = ok & np.isclose(keys[idx], lookup)
        score = np.where(matched, np.array([float(r.score) for r in table])[idx], np.nan)
        se_values = np.array([np.nan if r.se is None else float(r.se) for r in table])
        se = np.where(matched, se_values[idx], np.nan)
    band = np.full(len(raw), -1, dtype=np.int64)
    if scale.bands is not None:
        levels = scale.bands.levels
        digits = max(_decimals(v) for b in levels for v in (b.min, b.max))
        rounded = _round_half_up(np.where(np.isnan(score), -np.inf, score), digits)
        mins = np.array([float(b.min) for b in levels])
        maxs = np.array([float(b.max) for b in levels])
        order = np.argsort(mins)
        pos = np.searchsorted(mins[order], rounded + 1e-9, side="right") - 1
        inside = (pos >= 0) & ~np.isnan(score)
        pos = np.clip(pos, 0, len(levels) - 1)
        inside &= rounded <= maxs[order][pos] + 1e-9
        band = np.where(inside, order[pos], -1)
    return _ScaleOutput(scale, score, raw, se, answered, ok, band)


def score_instrument(
    frame: pd.DataFrame,
    instrument: Instrument,
    recode: dict[str, float] | None = None,
) -> tuple[list[_ScaleOutput], np.ndarray, np.ndarray, np.ndarray]:
    """Decode, key and score one instrument over all rows of ``frame``.

    Returns the per-scale outputs, the decoded code matrix (unreversed), the problem-flag
    matrix and the keyed item matrix (reversed and recoded; NaN = missing).
    """
    n, k = len(frame), len(instrument.items)
    codes = np.empty((n, k), dtype=float)
    flags = np.empty((n, k), dtype=np.int8)
    cache: dict[tuple[str, tuple], ItemDecoder] = {}
    for j, item in enumerate(instrument.items):
        key = (item.scale, tuple(sorted((m.label, m.code, m.score_as) for m in item.missing_codes)))
        decoder = cache.get(key)
        if decoder is None:
            decoder = ItemDecoder.for_item(instrument, item, recode)
            cache[key] = decoder
        codes[:, j], flags[:, j] = decoder.decode(frame[f"{instrument.id}_{item.id}"])
    keyed = codes.copy()
    real = flags == OK
    for j, item in enumerate(instrument.items):
        option_codes = [float(o.code) for o in instrument.response_scales[item.scale]]
        column = keyed[:, j]
        if item.reverse:
            flipped = min(option_codes) + max(option_codes) - column
            column = np.where(real[:, j], flipped, column)
        if item.recode is not None:
            recoded = column.copy()
            for code_text, value in item.recode.items():
                recoded[real[:, j] & (column == float(code_text))] = float(value)
            column = recoded
        keyed[:, j] = column
    positions = {item.id: j for j, item in enumerate(instrument.items)}
    outputs = [_scale_scores(instrument, s, keyed, positions) for s in instrument.scales]
    return outputs, codes, flags, keyed


def _item_ledger(
    responses: ItemResponses, instrument: Instrument, flags: np.ndarray, codes: np.ndarray
) -> pd.DataFrame:
    rows, cols = np.nonzero(flags != OK)
    if len(rows) == 0:
        return ledger_frame([])
    frame = responses.frame
    item_ids = np.array(instrument.item_ids, dtype=object)[cols]
    canonical = np.array([f"{instrument.id}_{i}" for i in instrument.item_ids], dtype=object)[cols]
    files = frame["_file"].to_numpy(dtype=object)[rows]
    source_column = pd.Series(list(zip(files, canonical, strict=True))).map(
        responses.source_columns
    )
    values = np.empty(len(rows), dtype=object)
    for j in np.unique(cols):
        sel = cols == j
        values[sel] = frame[f"{instrument.id}_{instrument.items[j].id}"].to_numpy(dtype=object)[
            rows[sel]
        ]
    problem_codes = flags[rows, cols]
    scored = codes[rows, cols]
    action = np.where(
        problem_codes == MISSING_CODE,
        np.where(np.isnan(scored), "treated_as_missing", "scored_as_" + scored.astype(str)),
        "treated_as_missing",
    )
    return ledger_frame(
        pd.DataFrame(
            {
                "file": files,
                "row": frame["_row"].to_numpy()[rows],
                "column": source_column.fillna(pd.Series(canonical)).to_numpy(),
                "participant_id": frame["participant_id"].to_numpy(dtype=object)[rows],
                "wave": frame["wave"].to_numpy(dtype=object)[rows],
                "instrument": instrument.id,
                "item": item_ids,
                "value": [None if v is None else str(v) for v in values],
                "problem": pd.Series(problem_codes).map(PROBLEM_NAMES).to_numpy(),
                "action": action,
            }
        )
    )


def _scale_ledger(
    responses: ItemResponses, instrument: Instrument, outputs: list[_ScaleOutput]
) -> pd.DataFrame:
    frame = responses.frame
    parts = []
    for out in outputs:
        rows = np.flatnonzero(~out.ok)
        if len(rows) == 0:
            continue
        need = out.scale.required_answers()
        parts.append(
            pd.DataFrame(
                {
                    "file": frame["_file"].to_numpy(dtype=object)[rows],
                    "row": frame["_row"].to_numpy()[rows],
                    "participant_id": frame["participant_id"].to_numpy(dtype=object)[rows],
                    "wave": frame["wave"].to_numpy(dtype=object)[rows],
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


def _alerts(
    responses: ItemResponses, instrument: Instrument, codes: np.ndarray, flags: np.ndarray
) -> pd.DataFrame:
    frame = responses.frame
    parts = []
    positions = {item.id: j for j, item in enumerate(instrument.items)}
    for rule in instrument.alerts:
        compare = _OPS[rule.operator]
        for item_id in rule.items:
            j = positions[item_id]
            with np.errstate(invalid="ignore"):
                hit = (flags[:, j] == OK) & compare(codes[:, j], float(rule.value))
            rows = np.flatnonzero(hit)
            if len(rows) == 0:
                continue
            parts.append(
                pd.DataFrame(
                    {
                        "participant_id": frame["participant_id"].to_numpy(dtype=object)[rows],
                        "wave": frame["wave"].to_numpy(dtype=object)[rows],
                        "instrument": instrument.id,
                        "alert": rule.id,
                        "item": item_id,
                        "value": codes[rows, j],
                        "message": rule.message,
                        "file": frame["_file"].to_numpy(dtype=object)[rows],
                        "row": frame["_row"].to_numpy()[rows],
                    }
                )
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def score(
    data: ItemResponses | object,
    instruments: Sequence[str | Instrument] | None = None,
    **load_options: object,
) -> ScoreResult:
    """Score every respondent on every scale of the given instruments.

    Parameters
    ----------
    data : ItemResponses, DataFrame, path, or list of them
        Item responses from :func:`~stigma_outcomes.ingest.load_responses`, or anything it
        accepts (then ``load_options`` are passed to it: ``mapping``, ``id_col``, ``wave``,
        ``wave_col``, ``carry``, ``duplicates``, ...).
    instruments : list of str or Instrument, optional
        Instrument ids, definition paths or loaded definitions; detected from column names
        when omitted.

    Returns
    -------
    ScoreResult
        ``scores`` (tidy, SPEC §5), ``ledger`` (every problem), ``alerts`` (evaluator only),
        ``keyed_items`` and :meth:`ScoreResult.wide`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"participant_id": ["a", "b"],
    ...                    "ucla3_1": ["Often", 1], "ucla3_2": ["often ", 1],
    ...                    "ucla3_3": [2, None]})
    >>> res = score(df, ["ucla3"])
    >>> res.scores[["participant_id", "score", "status", "band"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'participant_id': 'a', 'score': 8.0, 'status': 'ok', 'band': 'lonely'},
     {'participant_id': 'b', 'score': nan, 'status': 'insufficient_items', 'band': None}]
    """
    if isinstance(data, ItemResponses):
        if load_options:
            raise TypeError("options for reading are ignored when ItemResponses are given")
        responses = data
        if instruments:
            wanted = {i if isinstance(i, str) else i.id for i in instruments}
            responses_instruments = [i for i in responses.instruments if i.id in wanted]
        else:
            responses_instruments = responses.instruments
    else:
        responses = load_responses(data, instruments, **load_options)  # type: ignore[arg-type]
        responses_instruments = responses.instruments
    per_instrument = []
    ledgers = [responses.ledger]
    alerts = []
    keyed_blocks: dict[str, np.ndarray] = {}
    for inst in responses_instruments:
        outputs, codes, flags, keyed = score_instrument(
            responses.frame, inst, responses.recodes.get(inst.id)
        )
        per_instrument.append((inst, outputs))
        ledgers.append(_item_ledger(responses, inst, flags, codes))
        ledgers.append(_scale_ledger(responses, inst, outputs))
        alerts.append(_alerts(responses, inst, codes, flags))
        for j, item in enumerate(inst.items):
            keyed_blocks[f"{inst.id}_{item.id}"] = keyed[:, j]
    scores = assemble_scores(responses.frame, responses.carry, per_instrument)
    ledger = ledger_frame(pd.concat([ledger_frame(x) for x in ledgers], ignore_index=True))
    alert_frame = pd.concat([a for a in alerts if not a.empty], ignore_index=True) if any(
        not a.empty for a in alerts
    ) else pd.DataFrame(
        columns=["participant_id", "wave", "instrument", "alert", "item", "value", "message",
                 "file", "row"]
    )
    keyed_items = pd.DataFrame(
        {
            "participant_id": responses.frame["participant_id"].to_numpy(dtype=object),
            "wave": responses.frame["wave"].to_numpy(dtype=object),
            **keyed_blocks,
        }
    )
    return ScoreResult(
        scores=scores,
        ledger=ledger,
        alerts=alert_frame,
        keyed_items=keyed_items,
        instruments=list(responses_instruments),
        rows_in=responses.rows_in,
        rows_scored=len(responses.frame),
        carry=list(responses.carry),
        sources=list(responses.sources),
    )
