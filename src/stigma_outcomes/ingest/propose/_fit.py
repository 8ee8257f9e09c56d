"""How well a column's answers fit an instrument's response scale (labels, codes, value
labels, a 0-based export of a 1-based scale), judged on a profile of its first rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...instruments.schema import Instrument
from ..table import RawTable

_SAMPLE_ROWS = 5000


# Why a column fits a scale. The first two are evidence that the columns are this instrument;
# the last two are only the codes' range, which many scales share (``possible``, never written).
BY_VALUE_LABELS = "value labels name the scale's answers"
BY_ANSWER_LABELS = "answers are the scale's labels"
ONE_BELOW = "codes one below the scale (0-based export)"
IN_RANGE = "codes within the scale"
EVIDENCE = (BY_VALUE_LABELS, BY_ANSWER_LABELS)
RANGE_ONLY = (IN_RANGE, ONE_BELOW)


def norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def profiles(table: RawTable, columns: list[str]) -> dict[str, dict[str, int]]:
    """Column → {normalised answer: count} over the first rows (enough to judge a fit).

    Text columns are stacked into one Arrow array and counted in one pass, so a wide export
    costs what one long column does; typed (numeric) columns are counted one by one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = set(columns)
    out: dict[str, dict[str, int]] = {c: {} for c in columns}
    text_names: list[str] = []
    pieces = []
    for name, column in table.frame.items():
        if name not in wanted:
            continue
        values = column.array[:_SAMPLE_ROWS]
        if isinstance(values, pd.arrays.ArrowStringArray):
            array = pa.array(values)
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            pieces.append(array.cast(pa.large_string()))
            text_names.append(str(name))
            continue
        series = pd.Series(values).dropna()
        if series.dtype.kind == "f" and len(series) and (series % 1 == 0).all():
            series = series.astype("int64")
        text = series.astype(str).map(norm)
        counts = text[text != ""].value_counts()
        out[str(name)] = {str(k): int(v) for k, v in counts.items()}
    if not pieces:
        return out
    owner = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    stacked = pa.concat_arrays(pieces)
    # As norm: white space collapsed and trimmed, case folded.
    normal = pc.utf8_lower(
        pc.utf8_trim_whitespace(pc.replace_substring_regex(stacked, r"\s+", " "))
    )
    keep = pc.fill_null(pc.greater(pc.utf8_length(normal), 0), False).to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(normal.to_numpy(zero_copy_only=False)[keep])
    keys = owner[keep].astype(np.int64) * max(len(uniques), 1) + codes
    found, counts = np.unique(keys, return_counts=True)
    for key, count in zip(found.tolist(), counts.tolist(), strict=True):
        column, code = divmod(key, max(len(uniques), 1))
        out[text_names[column]][str(uniques[code])] = int(count)
    # Most frequent answer first, as value_counts gives them.
    return {c: dict(sorted(v.items(), key=lambda kv: -kv[1])) for c, v in out.items()}


def answer_words(instrument: Instrument, scale: str) -> dict[str, float]:
    """A response scale's answers as an export may write them (labels and synonyms,
    normalised by :func:`norm`) → their codes."""
    return {
        norm(name): float(option.code)
        for option in instrument.response_scales[scale]
        for name in [option.label, *option.synonyms]
    }


def fit(
    values: dict[str, int], instrument: Instrument, scale: str, labels: dict[Any, str] | None
) -> tuple[bool, str, dict[str, float]]:
    """Whether a column's answers fit a response scale; how; and any recode needed.

    A few stray answers (a typo, an out-of-range code) do not break a fit: at least
    90% of the answered cells must be the scale's labels or codes. Scoring then flags
    the rest cell by cell.
    """
    options = instrument.response_scales[scale]
    vocab = answer_words(instrument, scale)
    codes = {float(o.code) for o in options}
    if labels:
        by_label = {norm(v): k for k, v in labels.items()}
        hits = {k: vocab[lbl] for lbl, k in by_label.items() if lbl in vocab}
        if len(hits) >= max(2, len(options) - 1):
            recode = {_code_key(k): v for k, v in hits.items() if _as_float(k) != v}
            return True, BY_VALUE_LABELS, recode
    total = sum(values.values())
    if not total:
        return False, "", {}
    numbers = {v: _as_float(v) for v in values}
    numeric = sum(n for v, n in values.items() if numbers[v] is not None)
    if numeric >= 0.9 * total:
        found = {numbers[v] for v in values if numbers[v] is not None}
        shifted = {c - 1 for c in codes}
        # Every code one below the scale, its bottom included and its top never used:
        # a 0-based export of a 1-based scale, not a scale with a few stray zeros.
        if found <= shifted and min(codes) - 1 in found and max(codes) not in found:
            recode = {_code_key(c - 1): c for c in sorted(codes)}
            return True, ONE_BELOW, recode
        inside = sum(n for v, n in values.items() if numbers[v] in codes)
        if inside >= 0.9 * total:
            return True, IN_RANGE, {}
        return False, "", {}
    known = sum(n for v, n in values.items() if v in vocab)
    if known >= 0.9 * total:
        return True, BY_ANSWER_LABELS, {}
    return False, "", {}


def _as_float(value: object) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _code_key(value: object) -> str:
    number = _as_float(value)
    if number is not None and number.is_integer():
        return str(int(number))
    return str(value)


def block_fit(
    table: RawTable,
    instrument: Instrument,
    mapping: dict[str, str],
    profiles: dict[str, dict[str, int]],
) -> tuple[str, dict[str, float]] | None:
    scales = {item.id: item.scale for item in instrument.items}
    reasons: set[str] = set()
    recodes: dict[str, float] = {}
    answered = 0
    for item, column in mapping.items():
        values = profiles.get(column, {})
        ok, reason, recode = fit(values, instrument, scales[item], table.value_labels.get(column))
        if values:
            answered += 1
        if not ok and values:
            return None
        if reason:
            reasons.add(reason)
        if recode and recodes and recode != recodes:
            return None  # items needing different recodes: not one block
        recodes = recode or recodes
    if not answered:
        return None
    return "; ".join(sorted(reasons)), recodes
