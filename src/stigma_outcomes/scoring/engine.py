"""The scoring engine (SPEC §5): item responses → keyed items → scale scores.

For each instrument the item columns become one ``n × k`` float matrix (decoded by
:mod:`.decode`); reverse keys and recodes are applied to whole columns, and every scale is a
masked row reduction over its item columns. Nothing loops over respondents. Problems found on
the way (unknown labels, out-of-range codes, declared non-answers, too few items answered)
become ledger rows, built from ``numpy.nonzero`` of the problem masks.
"""

from __future__ import annotations

import operator as op
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..ingest.responses import ItemResponses, load_responses
from ..ingest.table import ABSENT_PREFIX, ledger_frame
from ..instruments.checks import _decimals
from ..instruments.registry import instrument_id
from ..instruments.schema import Instrument, Scale
from ._ledger import alerts_frame, item_ledger, scale_ledger
from .decode import (
    NO_ANSWER,
    OK,
    ItemDecoder,
    as_float_codes,
    fits_compact,
)
from .result import ScaleColumns, ScoreLayout, ScoreResult

_PARALLEL_ROWS = 50_000
_SLICE_ROWS = 131_072
_OPS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt}


@dataclass
class _ScaleOutput:
    scale: Scale
    score: np.ndarray
    raw: np.ndarray
    se: np.ndarray
    answered: np.ndarray
    ok: np.ndarray


def _round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    factor = 10.0**decimals
    # The small nudge keeps 2.005 (stored as 2.00499999…) rounding up, as a reader would.
    return np.floor(values * factor + 0.5 + 1e-9) / factor


def _scale_scores(
    scale: Scale, total: np.ndarray, answered: np.ndarray, out: ScaleColumns
) -> _ScaleOutput:
    """Score one scale from its item totals and answered counts, writing into ``out``."""
    k = len(scale.items)
    ok = answered >= scale.required_answers()
    raw = out.raw
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale.method == "sum":
            raw[:] = total
            if scale.missing_item_value:
                # The authors' rule: each skipped item counts as this value, unprorated.
                raw += float(scale.missing_item_value) * (k - answered)
        else:
            np.divide(total, answered, out=raw)
            if scale.method == "prorated_sum":
                raw *= k
    raw[~ok] = np.nan
    if scale.conversion is None:
        out.score[:] = raw
        out.se.fill(np.nan)
    else:
        table = sorted(scale.conversion.table, key=lambda r: float(r.raw))
        keys = np.array([float(r.raw) for r in table])
        lookup = np.where(np.isnan(raw), keys[0], raw)
        if scale.method == "prorated_sum":
            lookup = _round_half_up(lookup, 0)
        idx = np.clip(np.searchsorted(keys, lookup - 1e-9), 0, len(keys) - 1)
        matched = ok & np.isclose(keys[idx], lookup)
        converted = np.array([float(r.score) for r in table])
        out.score[:] = np.where(matched, converted[idx], np.nan)
        se_values = np.array([np.nan if r.se is None else float(r.se) for r in table])
        out.se[:] = np.where(matched, se_values[idx], np.nan)
    score = out.score
    if scale.bands is None:
        out.band.fill(-1)
    else:
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
        out.band[:] = np.where(inside, out.band_codes[order[pos]], -1)
    out.answered[:] = answered
    np.logical_not(ok, out=out.status, casting="unsafe")
    return _ScaleOutput(scale, score, raw, out.se, out.answered, ok)


@dataclass
class InstrumentScores:
    """Everything scoring one instrument produced, before it is laid out as tables."""

    instrument: Instrument
    outputs: list[_ScaleOutput]
    keyed: np.ndarray  # item-major (k × n): reversed and recoded; see decode.as_float_codes
    problem_items: np.ndarray  # item index of each cell with a problem
    problem_rows: np.ndarray  # row index of each cell with a problem
    problem_flags: np.ndarray  # what the problem was (decode.PROBLEM_NAMES)
    problem_values: np.ndarray  # the value a declared non-answer was scored as (or NaN)
    alert_hits: list[tuple[str, int, np.ndarray, np.ndarray]]  # rule, item, rows, codes


def _decoders(instrument: Instrument, recode: dict[str, float] | None) -> list[ItemDecoder]:
    cache: dict[tuple[str, tuple], ItemDecoder] = {}
    decoders = []
    for item in instrument.items:
        key = (item.scale, tuple(sorted((m.label, m.code, m.score_as) for m in item.missing_codes)))
        if key not in cache:
            cache[key] = ItemDecoder.for_item(instrument, item, recode)
        decoders.append(cache[key])
    return decoders


def _compact(instrument: Instrument, decoders: list[ItemDecoder]) -> bool:
    """Whether every keyed value of the instrument fits int8 codes exactly.

    Nearly every questionnaire is scored in small whole numbers; holding its items as int8
    rather than float64 divides the memory of the keyed items by eight.
    """
    values: set[float] = set()
    for item, decoder in zip(instrument.items, decoders, strict=True):
        values |= decoder.outputs()
        codes = [float(o.code) for o in instrument.response_scales[item.scale]]
        if item.reverse:
            values |= {min(codes) + max(codes) - c for c in codes}
        if item.recode is not None:
            values |= {float(v) for v in item.recode.values()}
    biggest = max((abs(v) for v in values), default=0.0)
    # Totals are summed in float32, exact for whole numbers below 2**24.
    return fits_compact(values) and biggest * len(instrument.items) < 2**24


def _membership(instrument: Instrument) -> np.ndarray:
    """A scales × items matrix of ones and zeros: which items each scale sums."""
    positions = {item.id: j for j, item in enumerate(instrument.items)}
    weights = np.zeros((len(instrument.scales), len(instrument.items)))
    for s, scale in enumerate(instrument.scales):
        weights[s, [positions[i] for i in scale.items]] = 1.0
    return weights


def _totals(keyed: np.ndarray, weights: np.ndarray, compact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every scale's item total and answered count, from one matrix product each.

    Rows go in slices so the zero-filled and 0/1 temporaries stay small whatever the
    export's size; counts of 0/1 values and sums of whole numbers are exact in float32.
    """
    n = keyed.shape[1]
    totals = np.empty((len(weights), n))
    counts = np.empty((len(weights), n), dtype=np.float32)
    weights32 = weights.astype(np.float32)
    items_per_scale = weights32.sum(axis=1, keepdims=True)
    for start in range(0, n, _SLICE_ROWS):
        rows = slice(start, start + _SLICE_ROWS)
        block = keyed[:, rows]
        if compact:
            answered = block != NO_ANSWER
            counts[:, rows] = weights32 @ answered.astype(np.float32)
            # Each unanswered item adds NO_ANSWER to the plain product; take it back out
            # rather than zero-filling the block first.
            missing = items_per_scale - counts[:, rows]
            totals[:, rows] = weights32 @ block.astype(np.float32) - NO_ANSWER * missing
        else:
            answered = ~np.isnan(block)
            counts[:, rows] = weights32 @ answered.astype(np.float32)
            totals[:, rows] = weights @ np.where(answered, block, 0.0)
    return totals, counts


def _problem_cells(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def score_instrument(
    frame: pd.DataFrame,
    instrument: Instrument,
    recode: dict[str, float] | None = None,
    layout: ScoreLayout | None = None,
    first_scale: int = 0,
) -> InstrumentScores:
    """Decode, key and score one instrument over all rows of ``frame``.

    Scale results are written into ``layout`` (its scales ``first_scale`` onwards); a layout
    of the instrument's own scales is made when none is given.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> df = pd.DataFrame({"ucla3_1": [1, 3], "ucla3_2": ["Often", 2], "ucla3_3": [2, 9]})
    >>> out = score_instrument(df, load_instrument("ucla3"))
    >>> out.outputs[0].score.tolist(), out.problem_flags.tolist()
    ([6.0, nan], [2])
    """
    n, k = len(frame), len(instrument.items)
    decoders = _decoders(instrument, recode)
    compact = _compact(instrument, decoders)
    keyed = np.empty((k, n), dtype=np.int8 if compact else float)
    flags = np.empty((k, n), dtype=np.int8)

    def decode(j: int) -> None:
        column = frame[f"{instrument.id}_{instrument.items[j].id}"]
        keyed[j], flags[j] = decoders[j].decode(column, compact)

    if n >= _PARALLEL_ROWS and k > 1:
        # Hashing text columns runs in Arrow and numpy with the GIL released, so two
        # threads decode two columns at once.
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            list(pool.map(decode, range(k)))
    else:
        for j in range(k):
            decode(j)

    # Alerts and the ledger read response codes as given, so take them before keying.
    problem_items, problem_rows = _problem_cells(flags)
    problem_flags = flags[problem_items, problem_rows]
    problem_values = as_float_codes(keyed[problem_items, problem_rows])
    positions = {item.id: j for j, item in enumerate(instrument.items)}
    alert_hits = []
    for rule in instrument.alerts:
        compare = _OPS[rule.operator]
        for item_id in rule.items:
            j = positions[item_id]
            codes = as_float_codes(keyed[j])
            with np.errstate(invalid="ignore"):
                rows = np.flatnonzero((flags[j] == OK) & compare(codes, float(rule.value)))
            if len(rows):
                alert_hits.append((rule.id, j, rows, codes[rows]))

    for j, item in enumerate(instrument.items):
        if not item.reverse and item.recode is None:
            continue
        real = flags[j] == OK  # a declared non-answer keeps its stated value
        row = keyed[j]
        if item.reverse:
            option_codes = [float(o.code) for o in instrument.response_scales[item.scale]]
            flip = np.array(min(option_codes) + max(option_codes), dtype=row.dtype)
            np.subtract(flip, row, out=row, where=real & (row != NO_ANSWER) if compact else real)
        if item.recode is not None:
            original = row.copy()
            for code_text, value in item.recode.items():
                row[real & (original == float(code_text))] = value

    totals, counts = _totals(keyed, _membership(instrument), compact)
    if layout is None:
        layout = ScoreLayout(n, [(instrument, scale) for scale in instrument.scales])
    outputs = [
        _scale_scores(scale, totals[s], counts[s], layout.columns(first_scale + s))
        for s, scale in enumerate(instrument.scales)
    ]
    return InstrumentScores(
        instrument,
        outputs,
        keyed,
        problem_items,
        problem_rows,
        problem_flags,
        problem_values,
        alert_hits,
    )


def _not_given(frame: pd.DataFrame, instrument: Instrument) -> np.ndarray | None:
    """Rows where the instrument was not given (``_absent_<id>`` from ingest), if any."""
    column = f"{ABSENT_PREFIX}{instrument.id}"
    if column not in frame.columns:
        return None
    # Sources without the column leave it missing after they are stacked: given there.
    mask = frame[column].fillna(False).to_numpy(dtype=bool)
    return mask if mask.any() else None


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
    >>> res.scores[["participant_id", "score", "status"]].values.tolist()
    [['a', 8.0, 'ok'], ['b', nan, 'insufficient_items']]
    >>> res.scores["band"].tolist()
    ['lonely', nan]
    """
    if isinstance(data, ItemResponses):
        if load_options:
            raise InputError(
                "options for reading were given with item responses already read: "
                f"{', '.join(sorted(load_options))}",
                fix="pass these options to load_responses, or pass score() the exports",
            )
        responses = data
        if instruments:
            # ids, definition paths and definitions all name an instrument by its own id
            wanted = {instrument_id(i) for i in instruments}
            responses_instruments = [i for i in responses.instruments if i.id in wanted]
        else:
            responses_instruments = responses.instruments
    else:
        responses = load_responses(data, instruments, **load_options)  # type: ignore[arg-type]
        responses_instruments = responses.instruments
    ledgers = [responses.ledger]
    alerts = []
    keyed_blocks: dict[str, np.ndarray] = {}
    layout = ScoreLayout(
        len(responses.frame),
        [(inst, scale) for inst in responses_instruments for scale in inst.scales],
    )
    first_scale = 0
    not_given_at: dict[int, np.ndarray] = {}
    for inst in responses_instruments:
        scored = score_instrument(
            responses.frame, inst, responses.recodes.get(inst.id), layout, first_scale
        )
        not_given = _not_given(responses.frame, inst)
        if not_given is not None:
            not_given_at.update(
                dict.fromkeys(range(first_scale, first_scale + len(inst.scales)), not_given)
            )
        first_scale += len(inst.scales)
        outputs, keyed = scored.outputs, scored.keyed
        ledgers.append(item_ledger(responses, scored))
        ledgers.append(scale_ledger(responses, inst, outputs, not_given))
        alerts.append(alerts_frame(responses, scored))
        for j, item in enumerate(inst.items):
            keyed_blocks[f"{inst.id}_{item.id}"] = keyed[j]
    scores = layout.frame(responses.frame, responses.carry, without=not_given_at)
    ledger = ledger_frame(pd.concat([ledger_frame(x) for x in ledgers], ignore_index=True))
    alert_frame = (
        pd.concat([a for a in alerts if not a.empty], ignore_index=True)
        if any(not a.empty for a in alerts)
        else pd.DataFrame(
            columns=[
                "participant_id",
                "wave",
                "instrument",
                "alert",
                "item",
                "value",
                "message",
                "file",
                "row",
            ]
        )
    )
    return ScoreResult(
        scores=scores,
        ledger=ledger,
        alerts=alert_frame,
        keyed=keyed_blocks,
        ids=responses.frame[["participant_id", "wave"]].reset_index(drop=True),
        instruments=list(responses_instruments),
        rows_in=responses.rows_in,
        rows_scored=len(responses.frame),
        carry=list(responses.carry),
        sources=list(responses.sources),
    )
