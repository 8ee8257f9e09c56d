"""The scoring engine's numerics: item totals by matrix products, scale scores, bands.

Every scale is a masked row reduction over its item columns, done for all scales of an
instrument at once as a product of a scales × items 0/1 matrix with the keyed items; scale
scores (means, sums, prorated sums, conversion tables, bands) are whole-column operations
written straight into the score table's layout. Nothing loops over respondents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..instruments.checks import _decimals
from ..instruments.schema import Instrument, Scale
from ._layout import ScaleColumns
from .decode import NO_ANSWER, ItemDecoder, fits_compact

_SLICE_ROWS = 131_072


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


def summed_by_scale(weights: np.ndarray, compact: bool) -> bool:
    """Whether each scale's total is summed from its own int8 rows (:func:`scale_total`)
    rather than all scales at once by a matrix product."""
    return compact and bool(np.isin(weights, (0.0, 1.0)).all())


def scale_total(keyed: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One scale's item total (float64) and answered count (float32) from the int8 rows
    ``members`` of the keyed items: whole-number sums, exact, as the float32 products are,
    and a third of their cost (no float copies of the items)."""
    n = keyed.shape[1]
    total, count = np.empty(n), np.empty(n, dtype=np.float32)
    k = len(members)
    if k and members[-1] - members[0] == k - 1:
        block = keyed[members[0] : members[-1] + 1]  # neighbours: a view, no copy
    else:
        block = keyed[members]
    # Narrow sums where they cannot overflow (under 256 items, every sum of int8 codes and
    # every count fits int16): a third of the time of int32 and int64.
    wide = np.int16 if k < 256 else np.int64
    missing = np.add.reduce(block == NO_ANSWER, axis=0, dtype=wide)
    count[:] = k - missing
    # Each unanswered item added NO_ANSWER to the plain sum: take it back out.
    total[:] = block.sum(axis=0, dtype=wide) - NO_ANSWER * missing
    return total, count


def _totals(keyed: np.ndarray, weights: np.ndarray, compact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every scale's item total and answered count, from one matrix product each.

    Rows go in slices so the zero-filled and 0/1 temporaries stay small whatever the
    export's size; counts of 0/1 values and sums of whole numbers are exact in float32.
    """
    n = keyed.shape[1]
    totals = np.empty((len(weights), n))
    counts = np.empty((len(weights), n), dtype=np.float32)
    if summed_by_scale(weights, compact):
        for s, row in enumerate(weights):
            totals[s], counts[s] = scale_total(keyed, np.flatnonzero(row))
        return totals, counts
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
