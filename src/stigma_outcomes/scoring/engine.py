"""The scoring engine (SPEC §5): item responses → keyed items → scale scores.

For each instrument the item columns become one ``n × k`` float matrix (decoded by
:mod:`.decode`); reverse keys and recodes are applied to whole columns, and every scale is a
masked row reduction over its item columns (:mod:`._numerics`). Nothing loops over
respondents. Problems found on the way (unknown labels, out-of-range codes, declared
non-answers, too few items answered) and alert hits become ledger and alert rows
(:mod:`._ledger`), built from ``numpy.nonzero`` of the problem masks.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..ingest._stacking import category_codes
from ..ingest.responses import ItemResponses, load_responses
from ..ingest.settings import LoadSettings
from ..ingest.table import ABSENT_PREFIX, ledger_frame
from ..instruments.registry import instrument_id
from ..instruments.schema import Instrument
from ._layout import ScoreLayout
from ._ledger import (
    alerts_frame,
    combine_alerts,
    find_alerts,
    item_ledger,
    not_asked_ledger,
    problem_cells,
    scale_ledger,
)
from ._numerics import (
    _compact,
    _membership,
    _scale_scores,
    _ScaleOutput,
    _totals,
    scale_total,
    summed_by_scale,
)
from ._pages import fresh
from .decode import NO_ANSWER, OK, ItemDecoder, as_float_codes
from .result import ScoreResult

_PARALLEL_ROWS = 50_000


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
    keyed = fresh((k, n), np.int8 if compact else float)
    flags = fresh((k, n), np.int8)

    def decode(j: int) -> None:
        column = frame[f"{instrument.id}_{instrument.items[j].id}"]
        keyed[j], flags[j] = decoders[j].decode(column, compact)

    if layout is None:
        layout = ScoreLayout(n, [(instrument, scale) for scale in instrument.scales])
    if n >= _PARALLEL_ROWS and k > 1:
        # Hashing text columns and summing scales run in Arrow and numpy with the GIL
        # released, so two threads decode two columns, or score two scales, at once.
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            list(pool.map(decode, range(k)))
            checked = _check_and_key(instrument, keyed, flags, compact)
            outputs = _score_scales(instrument, keyed, compact, layout, first_scale, pool.map)
    else:
        for j in range(k):
            decode(j)
        checked = _check_and_key(instrument, keyed, flags, compact)
        outputs = _score_scales(instrument, keyed, compact, layout, first_scale, map)
    problem_items, problem_rows, problem_flags, problem_values, alert_hits = checked
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


def _check_and_key(
    instrument: Instrument, keyed: np.ndarray, flags: np.ndarray, compact: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list]:
    """The problem cells and alert hits, read from the codes as given; then reverse keys
    and recodes applied to the items in place."""
    problem_items, problem_rows = problem_cells(flags)
    problem_flags = flags[problem_items, problem_rows]
    problem_values = as_float_codes(keyed[problem_items, problem_rows])
    alert_hits = find_alerts(instrument, keyed, flags)

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
    return problem_items, problem_rows, problem_flags, problem_values, alert_hits


def _score_scales(
    instrument: Instrument,
    keyed: np.ndarray,
    compact: bool,
    layout: ScoreLayout,
    first_scale: int,
    each: Callable,
) -> list[_ScaleOutput]:
    """Every scale of the instrument scored into ``layout``, scale by scale through
    ``each`` (``map``, or a thread pool's): scales write to columns of their own."""
    weights = _membership(instrument)
    by_scale = summed_by_scale(weights, compact)
    if not by_scale:
        totals, counts = _totals(keyed, weights, compact)

    def one(s: int) -> _ScaleOutput:
        if by_scale:
            total, count = scale_total(keyed, np.flatnonzero(weights[s]))
        else:
            total, count = totals[s], counts[s]
        return _scale_scores(instrument.scales[s], total, count, layout.columns(first_scale + s))

    return list(each(one, range(len(instrument.scales))))


def _not_given(frame: pd.DataFrame, instrument: Instrument) -> np.ndarray | None:
    """Rows where the instrument was not given (``_absent_<id>`` from ingest), if any."""
    column = f"{ABSENT_PREFIX}{instrument.id}"
    if column not in frame.columns:
        return None
    # Sources without the column leave it missing after they are stacked: given there.
    mask = frame[column].fillna(False).to_numpy(dtype=bool)
    return mask if mask.any() else None


def _not_asked(frame: pd.DataFrame, scored: InstrumentScores) -> np.ndarray | None:
    """Rows at the waves where nobody answered any item of the instrument, while at other
    waves people did: it was not asked there.

    A long export holds every instrument's columns on every row, so an instrument given at
    some waves only leaves whole waves blank; scored, each of those rows would count as too
    few answers. A cell with any value counts as an answer (a declared non-answer, an unknown
    label). ``None`` when every wave has answers, or none has (then nothing says which waves
    asked it, and each row stays a row with too few answers).

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> df = pd.DataFrame({"wave": ["pre", "mid", "pre", "mid"],
    ...                    "ucla3_1": [1, None, 2, None], "ucla3_2": [1, None, None, None],
    ...                    "ucla3_3": [2, None, 3, None]})
    >>> _not_asked(df, score_instrument(df, load_instrument("ucla3"))).tolist()
    [False, True, False, True]
    """
    if len(frame) == 0 or "wave" not in frame.columns:
        return None
    codes, waves = category_codes(frame["wave"])  # a categorical's own codes, unhashed
    if len(waves) < 2:
        return None
    answered = np.zeros(len(frame), dtype=bool)
    for out in scored.outputs:
        answered |= out.answered > 0
    answered[scored.problem_rows] = True
    asked = np.bincount(codes[answered & (codes >= 0)], minlength=len(waves)) > 0
    if asked.all() or not asked.any():
        return None
    return ~asked[codes] & (codes >= 0)


def score(
    data: ItemResponses | object,
    instruments: Sequence[str | Instrument] | None = None,
    settings: LoadSettings | None = None,
    **load_options: object,
) -> ScoreResult:
    """Score every respondent on every scale of the given instruments.

    Parameters
    ----------
    data : ItemResponses, DataFrame, path, or list of them
        Item responses from :func:`~stigma_outcomes.ingest.load_responses`, or anything it
        accepts (then ``settings`` or ``load_options`` are passed to it: the fields of
        :class:`~stigma_outcomes.ingest.settings.LoadSettings` such as ``mapping``,
        ``id_col``, ``wave``, ``wave_col``, ``carry``, ``duplicates``, validated into it,
        and ``registry``, ``id_key``).
    instruments : list of str or Instrument, optional
        Instrument ids, definition paths or loaded definitions; detected from column names
        when omitted.
    settings : LoadSettings, optional
        How to read the exports, whole (instead of keyword options).

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
        if load_options or settings is not None:
            given = sorted(load_options) or ["settings"]
            raise InputError(
                "options for reading were given with item responses already read: "
                f"{', '.join(given)}",
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
        responses = load_responses(data, instruments, settings, **load_options)  # type: ignore[arg-type]
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
        not_asked = _not_asked(responses.frame, scored)
        if not_asked is not None:
            ledgers.append(not_asked_ledger(responses, inst, not_asked))
            not_given = not_asked if not_given is None else not_given | not_asked
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
    alert_frame = combine_alerts(alerts)
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
