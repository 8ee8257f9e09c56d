"""Columns of few values coded, and neighbouring ones fused into runs (issue 15).

:mod:`._csv` writes a table's lines from pieces; here are the pieces' makings. A column of
few values is coded block by block (:class:`Coded`: a categorical by its own codes, integers
of a short span by subtraction, anything else hashed), each used value's text made once by
Arrow's own CSV writer (:func:`formatted`), and neighbouring coded columns are fused into
a :class:`Run` while their combined values stay few: a combination of values is then one
piece of the line, its text taken for each row by code (:class:`Taken`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._arrow_cells import present, stored, text_buffers

if TYPE_CHECKING:
    import pyarrow as pa

LOOKUP_LIMIT = 1 << 22
"""Combined codes below this are compacted through a table of flags, not a hash."""


class Unquotable(Exception):
    """A used value holds the delimiter, a quote or a line break."""


def formatted(values: pa.Array, delimiter: str, newlines: bool = False) -> pa.Array:
    """Each value as Arrow's CSV writer writes it unquoted, as a binary array (each with its
    line break when ``newlines``)."""
    import io

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    if not newlines and _plain_text(values, delimiter):
        # Unquoted, the writer writes a text's own bytes (a missing one as nothing).
        return pc.fill_null(values, "").cast(pa.large_binary())
    sink = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
    try:
        pa_csv.write_csv(pa.table({"v": values}), sink, options)
    except pa.ArrowInvalid:
        raise Unquotable from None
    text = np.frombuffer(sink.getbuffer(), dtype=np.uint8)
    ends = np.flatnonzero(text == ord("\n"))
    if len(ends) != len(values) or (len(text) and ends[-1] != len(text) - 1):
        raise Unquotable  # never expected: an unquoted value holds no line break
    # Value i is the text between line break i - 1 and line break i.
    starts = np.concatenate([[0], ends[:-1] + 1])
    if newlines:
        offsets, data = np.concatenate([starts, [len(text)]]), text
    else:
        keep = np.ones(len(text), dtype=bool)
        keep[ends] = False
        offsets = np.concatenate([starts - np.arange(len(starts)), [len(text) - len(ends)]])
        data = text[keep]
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(),
        len(values),
        [None, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(data)],
    )


def _plain_text(values: pa.Array, delimiter: str) -> bool:
    """Whether ``values`` is text none of whose bytes the writer would have to quote (the
    delimiter, a quote, a line break): then its text is its bytes (200,000 IDs: 6.3 ms
    through the writer, 1 ms checked)."""
    buffers = text_buffers(values)
    if buffers is None:
        return False
    offsets, data = buffers
    used = data[offsets[0] : offsets[-1]].tobytes()
    return len(used.translate(None, f'{delimiter}"\r\n'.encode())) == len(used)


INTEGER_SPAN = 4096
"""Integer columns whose values span at most this many numbers are coded by subtraction."""


class Coded:
    """A column of few values, cut into blocks: each block's row codes, and the text of each
    code. A dictionary's texts are made once for the whole table (a block's rows use codes
    of the same dictionary), and so are those of integers of a short span (coded by
    subtraction, not hashed); other columns are encoded block by block."""

    def __init__(
        self, column: pa.Array, delimiter: str, span: tuple[int, int] | None = None
    ) -> None:
        import pyarrow as pa

        self.column, self.delimiter = column, delimiter
        self.texts: pa.Array | None = None
        self.rank: np.ndarray | None = None
        self.null_code: int | None = None
        self.lowest: np.int64 | None = None
        # Whether equal columns share this one (then a block's answer is kept for them).
        self.shared = False
        self._last: tuple[tuple[int, int], tuple[np.ndarray, pa.Array, bool]] | None = None
        if span is not None:  # an integer column's least and greatest value
            self._integer_span(*span)
        if not pa.types.is_dictionary(column.type):
            return
        dictionary = column.dictionary
        if column.indices.null_count:
            dictionary = pa.concat_arrays([dictionary, pa.nulls(1, dictionary.type)])
            self.null_code = len(dictionary) - 1
        try:
            self.texts = formatted(dictionary, delimiter)
        except Unquotable:
            # A categorical's unused categories are never written, so never need quoting.
            used = np.bincount(self._codes(column), minlength=len(dictionary)) > 0
            if used.all():
                raise
            self.rank = np.cumsum(used) - 1
            self.texts = formatted(dictionary.filter(pa.array(used)), delimiter)

    def _integer_span(self, low: int, high: int) -> None:
        """Texts of every whole number from the column's least to its greatest (and a
        blank), made once, when they are few."""
        import pyarrow as pa

        if high - low >= INTEGER_SPAN:
            return
        kind = np.dtype(self.column.type.to_pandas_dtype())
        # In int64 arithmetic, which wraps: a uint64 beyond int64's range comes back whole
        # when cast to the column's type, and differences below the span are exact.
        lowest = np.array([low], dtype=kind).astype(np.int64)[0]
        numbers = pa.array((np.arange(high - low + 1, dtype=np.int64) + lowest).astype(kind))
        if self.column.null_count:
            numbers = pa.concat_arrays([numbers, pa.nulls(1, numbers.type)])
            self.null_code = high - low + 1
        self.lowest, self.texts = lowest, formatted(numbers, self.delimiter)

    def _codes(self, part: pa.Array) -> np.ndarray:
        if self.lowest is not None and self.null_code is None and len(self.texts) == 1:
            return np.zeros(len(part), dtype=np.int64)  # one value, never missing
        if self.lowest is not None:
            with np.errstate(over="ignore"):
                # one pass, in int64 arithmetic (the unsafe cast wraps as astype does); a
                # missing cell's slot holds any value: its code is set below
                codes = np.subtract(stored(part), self.lowest, dtype=np.int64, casting="unsafe")
            valid = present(part)
            if valid is not None:
                codes[~valid] = self.null_code
            return codes
        indices = part.indices
        if indices.null_count:
            indices = indices.fill_null(self.null_code)
        return indices.to_numpy()

    def block(self, start: int, stop: int) -> tuple[np.ndarray, pa.Array, bool]:
        """Row codes of rows ``start:stop``, the text of each code, and whether those texts
        are the whole table's (the same object for every block). A column standing for
        several equal ones is asked once for each: the last block's answer is kept."""
        if not self.shared:
            return self._block(start, stop)
        if self._last is None or self._last[0] != (start, stop):
            self._last = ((start, stop), self._block(start, stop))
        return self._last[1]

    def _block(self, start: int, stop: int) -> tuple[np.ndarray, pa.Array, bool]:
        import pyarrow.compute as pc

        part = self.column.slice(start, stop - start)
        if self.texts is not None:
            codes = self._codes(part)
            return (codes if self.rank is None else self.rank[codes]), self.texts, True
        encoded = pc.dictionary_encode(part, null_encoding="encode")
        codes, texts, _ = Coded(encoded, self.delimiter).block(0, len(part))
        return codes, texts, False


def compacted(combined: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes renumbered 0, 1, … over the values that occur, and those values, ascending."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if span <= LOOKUP_LIMIT:
        seen = np.zeros(span, dtype=bool)
        seen[combined] = True
        rank = np.cumsum(seen, dtype=np.int32) - 1
        return np.take(rank, combined), np.flatnonzero(seen)
    encoded = pc.dictionary_encode(pa.array(combined))
    return encoded.indices.to_numpy(), encoded.dictionary.to_numpy()


class Run:
    """Neighbouring columns fused into one piece of the line: a code per row (``key``), and
    per code the code of each column (``parts``)."""

    def __init__(self, codes: np.ndarray, texts: pa.Array, whole: bool = False) -> None:
        self.key = codes
        self.size = len(texts)
        self.parts = [np.arange(len(texts))]
        self.texts = [texts]
        self.sources = [codes]  # each column's row codes, as given (to know an equal one)
        self._own = False  # whether ``key`` is this run's own array (changed in place)
        # Whether every text is the whole table's and the codes are the first column's:
        # then the run's texts are the same in every block (made once, see ``taken``).
        self.whole = whole

    def absorb(self, codes: np.ndarray, texts: pa.Array, most: int, whole: bool = False) -> bool:
        """Fuse one more column if the combinations stay at most ``most`` (or do not grow).

        A column whose codes are those of a column already in the run (the same array: an
        equal column, coded once) adds no combinations: its part is that column's again."""
        for position, known in enumerate(self.sources):
            if known is codes:
                self.parts.append(self.parts[position])
                self.texts.append(texts)
                self.sources.append(codes)
                self.whole = self.whole and whole
                return True
        width = len(texts)
        if width == 1:
            self.parts.append(np.zeros(self.size, dtype=np.int64))
            self.texts.append(texts)
            self.sources.append(codes)
            self.whole = self.whole and whole
            return True
        if self.size > most:
            return False
        span = self.size * width
        wide = np.int32 if span < 2**31 else np.int64
        # The run's own key is changed in place (and changed back if the column is refused).
        own = self._own and self.key.dtype == wide and self.key.flags.writeable
        combined = self.key if own else self.key.astype(wide)
        combined *= wide(width)
        combined += codes
        if span <= most:
            # Few enough whatever occurs: every combination keeps its place, uncounted.
            grid = np.arange(span)
            self.key, self.size, self._own, self.whole = combined, span, True, False
            self.parts = [part[grid // width] for part in self.parts] + [grid % width]
            self.texts.append(texts)
            self.sources.append(codes)
            return True
        key, combos = compacted(combined, span)
        if len(combos) > max(most, self.size, width):
            if own:
                self.key -= codes
                self.key //= wide(width)
            return False
        self.key, self.size, self._own, self.whole = key, len(combos), True, False
        self.parts = [part[combos // width] for part in self.parts] + [combos % width]
        self.texts.append(texts)
        self.sources.append(codes)
        return True

    def _compact(self) -> None:
        """Keep only the combinations that occur (before their texts are made)."""
        key, combos = compacted(self.key, self.size)
        if len(combos) < self.size:
            self.key, self.size = key, len(combos)
            self.parts = [part[combos] for part in self.parts]

    def taken(self, delimiter: bytes, end: bytes, made: dict) -> Taken:
        """The text of each combination (its columns' texts joined, ``end`` appended),
        taken by each row's code. A run of the whole table's texts is joined once for every
        block (kept in ``made``); any other keeps only the combinations that occur."""
        if self.whole:
            # The texts live as long as the table's columns: their ids name them.
            name = (*map(id, self.texts), end)
            if name not in made:
                made[name] = self._joined(delimiter, end)
            return Taken(made[name], self.key)
        if len(self.texts) > 1:
            self._compact()
        return Taken(self._joined(delimiter, end), self.key)

    def _joined(self, delimiter: bytes, end: bytes) -> pa.Array:
        import pyarrow as pa
        import pyarrow.compute as pc

        columns = [
            texts.take(pa.array(part)) for texts, part in zip(self.texts, self.parts, strict=True)
        ]
        if end:
            ends = pa.array([end] * self.size, pa.large_binary())
            nothing = pa.scalar(b"", pa.large_binary())
            columns[-1] = pc.binary_join_element_wise(columns[-1], ends, nothing)
        if len(columns) == 1:
            return columns[0]
        joiner = pa.scalar(delimiter, pa.large_binary())
        return pc.binary_join_element_wise(*columns, joiner)


class Taken:
    """A piece of every line: a text per code, and each row's code."""

    def __init__(self, texts: pa.Array, key: np.ndarray) -> None:
        self.texts, self.key = texts, key

    def text(self, start: int, stop: int) -> pa.Array:
        import pyarrow as pa

        codes = self.key[start:stop]
        first = int(codes[0]) if len(codes) else 0
        if len(codes) and int(codes[-1]) - first == len(codes) - 1 and _counts_up(codes):
            # Rows whose codes count up by one (each person's first row of a scale, in
            # order of appearance): their texts are a slice, no copy.
            return self.texts.slice(first, len(codes))
        return self.texts.take(pa.array(codes))


def _counts_up(codes: np.ndarray) -> bool:
    """Whether each code is one more than the one before it."""
    return bool((np.diff(codes) == 1).all())
