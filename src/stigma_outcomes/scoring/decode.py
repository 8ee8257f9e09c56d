"""Turning export cells into response codes, vectorised, with a reason for every non-code.

An export column holds numbers, numeric strings ("3", "3.0"), response labels in any case
and spacing ("Strongly Agree ", "strongly agree"), declared non-answers ("Don't know"), blanks,
and the occasional value that is none of these. A column has only a handful of distinct
values, so each *distinct* value is decoded once and the result is broadcast back to every
row with ``numpy.take``: the work per respondent is a table look-up, never Python code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._arrow_cells import first_bytes, present, text_buffers
from ..instruments.checks import normalise_label
from ..instruments.schema import Instrument, Item, code_key

if TYPE_CHECKING:
    import pyarrow as pa

OK = 0
UNKNOWN_LABEL = 1
OUT_OF_RANGE = 2
MISSING_CODE = 3
NO_ANSWER = -128
"""In compact (int8) codes, the value that stands for a missing answer (NaN in floats)."""
PROBLEM_NAMES = {
    UNKNOWN_LABEL: "unknown_label",
    OUT_OF_RANGE: "out_of_range",
    MISSING_CODE: "missing_code",
}


@dataclass(frozen=True)
class ItemDecoder:
    """What one item accepts: its codes, labels, declared non-answers and any export recode."""

    codes: frozenset[float]
    labels: dict[str, float]
    missing_labels: dict[str, float]
    missing_codes: dict[float, float]
    export_recode: dict[str, float] = field(default_factory=dict)
    texts: tuple[str, ...] = ()  # labels as the definition writes them, and normalised

    @classmethod
    def for_item(
        cls, instrument: Instrument, item: Item, export_recode: dict[str, float] | None = None
    ) -> ItemDecoder:
        options = instrument.response_scales[item.scale]
        labels = {
            normalise_label(text): float(option.code)
            for option in options
            for text in (option.label, *option.synonyms)
        }
        nan = math.nan
        missing_labels = {
            normalise_label(text): (nan if m.score_as is None else float(m.score_as))
            for m in item.missing_codes
            for text in (m.label, *m.synonyms)
        }
        missing_codes = {
            float(m.code): (nan if m.score_as is None else float(m.score_as))
            for m in item.missing_codes
            if m.code is not None
        }
        written = [
            text
            for entry in (*options, *item.missing_codes)
            for text in (entry.label, *entry.synonyms)
        ]
        # Codes as an export writes them ("1", "5"): most numeric exports hold only these.
        numbers = [code_key(float(o.code)) for o in options]
        numbers += [code_key(float(m.code)) for m in item.missing_codes if m.code is not None]
        return cls(
            texts=tuple(dict.fromkeys([*written, *map(normalise_label, written), *numbers])),
            codes=frozenset(float(o.code) for o in options),
            labels=labels,
            missing_labels=missing_labels,
            missing_codes=missing_codes,
            export_recode=dict(export_recode or {}),
        )

    def decode_value(self, value: object) -> tuple[float, int]:
        """Decode one distinct cell value into (code, problem)."""
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return math.nan, OK
        if isinstance(value, str):
            text = normalise_label(value)
            if not text:
                return math.nan, OK
        else:
            text = code_key(value)
        if self.export_recode:
            key = text if isinstance(value, str) else code_key(value)
            recoded = self.export_recode.get(key)
            if recoded is None and isinstance(value, str):
                number = _as_number(text)
                recoded = None if number is None else self.export_recode.get(code_key(number))
            if recoded is not None:
                return self._decode_number(float(recoded))
        if isinstance(value, str):
            if text in self.labels:
                return self.labels[text], OK
            if text in self.missing_labels:
                return self.missing_labels[text], MISSING_CODE
            number = _as_number(text)
            if number is None:
                return math.nan, UNKNOWN_LABEL
            return self._decode_number(number)
        if isinstance(value, bool | np.bool_):
            return math.nan, UNKNOWN_LABEL
        return self._decode_number(float(value))  # type: ignore[arg-type]

    def _decode_number(self, number: float) -> tuple[float, int]:
        if number in self.codes:
            return number, OK
        if number in self.missing_codes:
            return self.missing_codes[number], MISSING_CODE
        return math.nan, OUT_OF_RANGE

    def outputs(self) -> set[float]:
        """Every value other than NaN that :meth:`decode` can return."""
        return (
            set(self.codes)
            | {v for v in self.missing_codes.values() if not math.isnan(v)}
            | {v for v in self.missing_labels.values() if not math.isnan(v)}
        )

    def decode(
        self, column: pd.Series | np.ndarray, compact: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Decode a whole column; returns float codes (NaN = missing) and int8 problem flags.

        With ``compact``, codes come back as int8 with :data:`NO_ANSWER` for a missing
        answer: an eighth of the memory, for items whose every output is a small whole number
        (check with :meth:`outputs`).

        Examples
        --------
        >>> from stigma_outcomes.instruments import load_instrument
        >>> ucla = load_instrument("ucla3")
        >>> dec = ItemDecoder.for_item(ucla, ucla.item("1"))
        >>> codes, problems = dec.decode(pd.Series(["often ", "2", 7, "maybe", None]))
        >>> codes.tolist()
        [3.0, 2.0, nan, nan, nan]
        >>> problems.tolist()
        [0, 0, 2, 1, 0]
        >>> dec.decode(pd.Series(["often ", None]), compact=True)[0].tolist()
        [3, -128]
        """
        series = column if isinstance(column, pd.Series) else pd.Series(column)
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype
        ):
            return self._decode_numbers(series.to_numpy(dtype=float, na_value=np.nan), compact)
        if getattr(series.dtype, "storage", None) == "pyarrow":
            return self._decode_text(series, compact)
        return self._decode_distinct(series, compact)

    def _decode_text(self, series: pd.Series, compact: bool) -> tuple[np.ndarray, np.ndarray]:
        """Text held by Arrow: single digits read from Arrow's bytes, then known texts.

        Most cells of a numeric export are one digit ("3"); they are read straight from the
        column's bytes, each of the ten digits decoded once as :meth:`decode_value` decodes
        its text. Of the other cells, nearly all are a label spelled exactly as the
        definition writes it, or a code written plainly; Arrow finds those against the short
        list of known texts without hashing the column into a dictionary first. Blanks are
        missing (no problem); spelling variants, other numbers as text and unknown values
        are decoded distinct value by distinct value, as before.
        """
        import pyarrow as pa

        values = pa.array(series.array)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        keys = _single_bytes(values)
        if keys is None:
            return self._decode_known(values, series, compact)
        code_bytes, flag_bytes = self._digit_tables(compact)
        # bytes.translate: a look-up of one byte per cell at memory speed, with no index
        # array made (numpy's take widens uint8 positions to intp first).
        flags = np.frombuffer(bytearray(keys.tobytes().translate(flag_bytes)), np.int8)
        if compact:
            codes = np.frombuffer(bytearray(keys.tobytes().translate(code_bytes)), np.int8)
        else:
            slots = np.frombuffer(keys.tobytes().translate(code_bytes), np.uint8)
            codes = np.take(self._digit_codes(), slots)
        rest = np.flatnonzero(flags == _OTHER)
        valid = present(values)
        if valid is not None and len(rest):
            # a blank is missing with no problem; only the cells left need decoding
            held = valid[rest]
            blanks = rest[~held]
            codes[blanks], flags[blanks] = (NO_ANSWER if compact else math.nan), OK
            rest = rest[held]
        if len(rest):
            codes[rest], flags[rest] = self._decode_known(
                values.take(pa.array(rest)), series.iloc[rest], compact
            )
        return codes, flags

    @cached_property
    def _digits(self) -> list[tuple[float, int]]:
        """How each of the ten digits decodes, as its text does."""
        return [self.decode_value(str(d)) for d in range(10)]

    def _digit_codes(self) -> np.ndarray:
        """Float codes of the ten digits, then NaN for any other cell (slot 10)."""
        return _tables(self._digits, [(math.nan, OK)], compact=False)[0]

    def _digit_tables(self, compact: bool) -> tuple[bytes, bytes]:
        """256-byte translation tables from a cell's key (:func:`_single_bytes`) to its code
        (compact: the int8 code's byte; else a slot of :meth:`_digit_codes`) and its flag
        (:data:`_OTHER` for every key that is not one digit)."""
        codes, flags = _tables(self._digits, [], compact)
        code_table = np.full(256, 10, np.uint8)
        flag_table = np.full(256, _OTHER, np.int8)
        digits = np.arange(ord("0"), ord("9") + 1)
        code_table[digits] = codes.view(np.uint8) if compact else np.arange(10)
        flag_table[digits] = flags
        return code_table.tobytes(), flag_table.tobytes()

    def _decode_known(
        self, values: pa.Array, series: pd.Series, compact: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cells looked up among the known texts; the rest decoded value by value."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self.texts:
            return self._decode_distinct(series, compact)
        known = pa.array(self.texts).cast(values.type)
        other, blank = len(self.texts), len(self.texts) + 1
        found = pc.index_in(values, value_set=known)
        if values.null_count:
            found = pc.if_else(pc.is_null(values), blank, found)
        index = pc.fill_null(found, other).to_numpy()
        codes, flags = _tables(
            [self.decode_value(t) for t in self.texts], [(math.nan, OK), (math.nan, OK)], compact
        )
        codes, flags = codes[index], flags[index]
        rest = np.flatnonzero(index == other)
        if len(rest):
            codes[rest], flags[rest] = self._decode_distinct(series.iloc[rest], compact)
        return codes, flags

    def _decode_distinct(
        self, values: pd.Series | np.ndarray, compact: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Decode each distinct value once, then broadcast by position."""
        positions, uniques = pd.factorize(values, use_na_sentinel=True)
        # One extra slot at the end takes the NA sentinel (-1) to (NaN, OK).
        codes, flags = _tables([self.decode_value(u) for u in uniques], [(math.nan, OK)], compact)
        return codes[positions], flags[positions]

    def _known_span(self) -> tuple[int, int] | None:
        """The whole-number span covering every code this item knows, if all are whole."""
        known = [*self.codes, *self.missing_codes]
        for key in self.export_recode:
            number = _as_number(key)
            if number is not None:
                known.append(number)
        if not known or any(not float(v).is_integer() for v in known):
            return None
        low, high = int(min(known)), int(max(known))
        return (low, high) if high - low <= 10_000 else None

    def _decode_numbers(self, values: np.ndarray, compact: bool) -> tuple[np.ndarray, np.ndarray]:
        """Numeric column: one pass through a look-up table indexed by the value."""
        span = self._known_span()
        if span is None:
            return self._decode_distinct(values, compact)
        low, high = span
        width = high - low + 1
        # Two extra slots: blank (missing, no problem) and anything outside the table.
        code_table, flag_table = _tables(
            [self.decode_value(float(v)) for v in range(low, high + 1)],
            [(math.nan, OK), (math.nan, OUT_OF_RANGE)],
            compact,
        )
        with np.errstate(invalid="ignore"):
            offset = values - low
            index = offset.astype(np.intp)
            usable = (offset >= 0) & (offset < width) & (index == offset)
        index = np.where(usable, index, np.where(np.isnan(values), width, width + 1))
        return code_table[index], flag_table[index]


def _tables(
    decoded: list[tuple[float, int]], extra: list[tuple[float, int]], compact: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Look-up tables of codes and problem flags, with extra slots appended."""
    rows = decoded + extra
    codes = np.array([r[0] for r in rows], dtype=float)
    if compact:
        codes = np.where(np.isnan(codes), NO_ANSWER, codes).astype(np.int8)
    return codes, np.array([r[1] for r in rows], dtype=np.int8)


_OTHER = 127
"""The flag of a cell the digit tables leave undecoded (not one digit, or blank)."""


def _single_bytes(values: pa.Array) -> np.ndarray | None:
    """Per cell of Arrow text, a key byte: the cell's one byte when it is one byte long,
    else a byte of 128 or more (a byte that never stands alone in UTF-8); ``None`` when the
    column is not plain (large) string. A blank's key is either: tell blanks by validity.

    Examples
    --------
    >>> import pyarrow as pa
    >>> keys = _single_bytes(pa.array(["3", "12", "", "x"]))
    >>> keys[[0, 3]].tolist(), (keys >= 128).tolist()
    ([51, 120], [False, True, True, False])
    """
    buffers = text_buffers(values)
    if buffers is None:
        return None
    offsets, data = buffers
    keys = first_bytes(offsets, data)
    keys |= (np.diff(offsets) != 1).view(np.uint8) << 7
    return keys


def fits_compact(values: set[float]) -> bool:
    """Whether int8 codes hold every one of ``values`` exactly (sentinel excluded)."""
    return all(float(v).is_integer() and NO_ANSWER < v <= 127 for v in values)


def as_float_codes(codes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Codes as floats with NaN for a missing answer, whether compact (int8) or float.

    Written into ``out`` (a float array of the same shape) when it is given.
    """
    if out is not None:
        np.copyto(out, codes, casting="unsafe")
    elif codes.dtype != np.int8:
        return codes
    else:
        out = codes.astype(float)
    if codes.dtype == np.int8:
        # the missing ones masked in place: no float temporary beside the result
        np.putmask(out, codes == NO_ANSWER, np.nan)
    return out


def _as_number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return None if math.isnan(number) else number
