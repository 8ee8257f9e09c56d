"""The tidy scores' key columns as integer codes, made once per report.

The participant flow, the flow by group, the histograms of change and the shares beyond each
scale's line all select score rows by wave, instrument, scale and status and match people
across waves. At a million-row export the scores table has some eleven million rows: turning
a column into text, filtering the whole frame or sorting rows once per question costs
seconds. Here each key column becomes integer codes once (a categorical's own codes; other
columns are factorised), each text comparison is made once per distinct value and kept, and
people are matched across waves through arrays indexed by person, not by merging or
pivoting rows.

Each comparison keeps the semantics of the code it replaced: :meth:`ScoreKeys.text_is` is
``values.astype(str) == text`` (:func:`~stigma_outcomes.comparison._codes.as_text_is`).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..comparison._codes import _category_texts, as_text_is, text_codes


class ScoreKeys:
    """Codes and cached row selections of one scores table (which must not change meanwhile).

    Examples
    --------
    >>> scores = pd.DataFrame({"participant_id": ["a", "b", None, "a"],
    ...                        "wave": ["pre", "pre", "pre", "post"]})
    >>> keys = ScoreKeys(scores)
    >>> keys.person.tolist(), keys.people
    ([1, 2, 0, 1], 3)
    >>> keys.text_is("wave", "post").tolist()
    [False, False, False, True]
    """

    def __init__(self, scores: pd.DataFrame) -> None:
        self.scores = scores
        self._text_is: dict[tuple[str, str], np.ndarray] = {}
        self._first_at: dict[str, np.ndarray] = {}
        self._equals: dict[tuple[str, object], np.ndarray] = {}
        self._codes: dict[str, tuple[np.ndarray, int]] = {}
        self._outcome: dict[tuple[str, str], np.ndarray] = {}
        self._texts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._codes_of: dict[str, np.ndarray] = {}

    @cached_property
    def _person(self) -> tuple[np.ndarray, int]:
        column = self.scores["participant_id"]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = self._cat_codes("participant_id")
            slots = len(column.cat.categories) + 1
        else:
            codes = pd.factorize(column)[0]
            slots = int(codes.max(initial=-1)) + 2
        kind = np.int32 if slots < 2**31 else np.int64
        return np.add(codes, 1, dtype=kind), slots

    @property
    def person(self) -> np.ndarray:
        """Each row's person: 1, 2, ... by participant code; 0 where the code is missing."""
        return self._person[0]

    @property
    def people(self) -> int:
        """How many person numbers there are (0, the missing code, included)."""
        return self._person[1]

    def text_is(self, column: str, text: str) -> np.ndarray:
        """``(scores[column].astype(str) == text).to_numpy()``, made once per column and text."""
        key = (column, text)
        if key not in self._text_is:
            values = self.scores[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                codes, texts = self._category_texts(column)
                self._text_is[key] = _mark(codes, texts == text)
            else:
                self._text_is[key] = as_text_is(values, text)
        return self._text_is[key]

    def _cat_codes(self, column: str) -> np.ndarray:
        """A categorical column's codes (pandas copies them on each ``.cat.codes``), kept."""
        if column not in self._codes_of:
            self._codes_of[column] = self.scores[column].cat.codes.to_numpy()
        return self._codes_of[column]

    def _category_texts(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A categorical column's codes and each category's ``astype(str)`` text, kept."""
        if column not in self._texts:
            codes, texts = _category_texts(self.scores[column])
            self._codes_of.setdefault(column, codes)
            self._texts[column] = (codes, texts.to_numpy(dtype=object))
        return self._texts[column]

    def equals(self, column: str, value: object) -> np.ndarray:
        """``(scores[column] == value).to_numpy()``, made once per column and value."""
        key = (column, value)
        if key not in self._equals:
            values = self.scores[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                hit = np.asarray(values.cat.categories == value, dtype=bool)
                self._equals[key] = _mark(self._cat_codes(column), hit)
            else:
                self._equals[key] = (values == value).to_numpy(dtype=bool)
        return self._equals[key]

    def codes(self, column: str) -> tuple[np.ndarray, int]:
        """One code per distinct value (−1: missing) and how many there are: the numbering
        of ``pd.factorize`` up to order (a categorical's own codes when none is missing)."""
        if column not in self._codes:
            values = self.scores[column]
            codes = (
                self._cat_codes(column) if isinstance(values.dtype, pd.CategoricalDtype) else None
            )
            if codes is not None and (not len(codes) or codes.min() >= 0):
                self._codes[column] = (codes, len(values.cat.categories))
            else:
                codes, levels = pd.factorize(values)
                self._codes[column] = (codes, len(levels))
        return self._codes[column]

    @cached_property
    def wave_codes(self) -> tuple[np.ndarray, list[str]]:
        """:func:`~stigma_outcomes.comparison._codes.text_codes` of the wave column (a
        categorical of text: its own codes, which are those)."""
        wave = self.scores["wave"]
        if isinstance(wave.dtype, pd.CategoricalDtype):
            categories = wave.cat.categories
            if pd.api.types.infer_dtype(categories, skipna=False) == "string":
                return self._cat_codes("wave"), [str(c) for c in categories]
        return text_codes(wave)

    @cached_property
    def score(self) -> np.ndarray:
        """The score column as floats (NaN: none)."""
        return self.scores["score"].to_numpy(dtype=float)

    def outcome_rows(self, instrument: str, scale: str) -> np.ndarray:
        """Rows of an ok score (not missing) on the scale, by value equality, kept."""
        key = (instrument, scale)
        if key not in self._outcome:
            mask = (
                self.equals("instrument", instrument)
                & self.equals("scale", scale)
                & self.equals("status", "ok")
            )
            rows = np.flatnonzero(mask)
            self._outcome[key] = rows[~np.isnan(self.score[rows])]
        return self._outcome[key]

    def first_rows(self, rows: np.ndarray) -> np.ndarray:
        """For each person, the first of ``rows`` that is theirs; −1 for a person without
        one: the rows ``drop_duplicates("participant_id")`` keeps of those rows."""
        return first_by_key(self.person[rows], rows, self.people)

    def first_at_wave(self, wave: str) -> np.ndarray:
        """:meth:`first_rows` of the rows at ``wave`` (by :meth:`text_is`), kept."""
        if wave not in self._first_at:
            self._first_at[wave] = self.first_rows(np.flatnonzero(self.text_is("wave", wave)))
        return self._first_at[wave]


def _mark(codes: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """Rows whose category code is one of ``hit``'s (code −1, missing: never): one
    comparison of the codes when a single category is hit, else a look-up per row."""
    found = np.flatnonzero(hit)
    if len(found) == 0:
        return np.zeros(len(codes), dtype=bool)
    if len(found) == 1:
        return codes == int(found[0])  # a Python int: compared in the codes' narrow type
    return np.append(hit, False)[codes]


def first_by_key(keys: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
    """For each key in ``0 .. size − 1``, the smallest of ``rows`` holding it, else −1.

    One unbuffered pass (``np.minimum.at``), no sort: at a million people, sorting the rows
    of one wave took ten times as long.

    Examples
    --------
    >>> first_by_key(np.array([2, 0, 2]), np.array([4, 6, 9]), 4).tolist()
    [6, -1, 4, -1]
    """
    none = np.iinfo(np.int64).max
    out = np.full(size, none, dtype=np.int64)
    np.minimum.at(out, keys, rows)
    out[out == none] = -1
    return out
