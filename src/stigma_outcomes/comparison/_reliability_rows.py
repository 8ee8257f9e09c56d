"""Which rows of the keyed items each scale and wave analyses, and their item values.

Private to :mod:`stigma_outcomes.comparison.reliability`. Two jobs, both shaped by what
``run`` hands over at scale (millions of score rows, 100,000s of item rows, several scales
sharing one instrument's items):

* :func:`item_rows` links every ``ok`` score to its row of item answers once, on integer
  codes, for all scales and waves together;
* :class:`ItemBlock` holds the item values of one set of rows, for every scale that analyses
  exactly those rows (an instrument's total and subscales usually do), so each item column is
  gathered once per wave rather than once per scale, and whether each item varies is worked
  out once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._codes import text_codes
from ._reliability_numerics import gram_moments, pairwise_moments


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a column's values compared as text (−1 missing), and each code's text.

    Columns that can only hold text (a string dtype, or a categorical of one) are coded from
    their values directly (a categorical's codes keep their small integer type); any other
    column goes through :func:`._codes.text_codes`, which turns every distinct value into
    text first (so ``1`` and ``"1"`` share a code).
    """
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype) and isinstance(
        dtype.categories.dtype, pd.StringDtype
    ):
        return values.cat.codes.to_numpy(), dtype.categories
    if isinstance(dtype, pd.StringDtype):
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), pd.Index(uniques)
    codes, labels = text_codes(values)
    return codes, pd.Index(pd.Series(labels, dtype=object))


def _positions(labels: pd.Index, targets: pd.Index) -> np.ndarray:
    """For each label, its position in ``targets`` (−1 when absent), with −1 appended."""
    found = np.asarray(targets.get_indexer(labels), dtype=np.int64)
    return np.append(found, -1)  # so that code −1 (missing) maps to −1


def _first_appearance(codes: np.ndarray, n_labels: int) -> list[int]:
    """The codes (≥ 0) present in ``codes``, in order of first appearance."""
    if len(codes) == 0:
        return []
    if n_labels <= 64:  # a few labels (waves): one scan each, no sort of the whole column
        hits = [(int(np.argmax(codes == c)), c) for c in range(n_labels)]
        return [c for at, c in sorted(hits) if codes[at] == c]
    present, first = np.unique(codes[codes >= 0], return_index=True)
    return [int(c) for c in present[np.argsort(first, kind="stable")]]


def item_rows(
    keyed_items: pd.DataFrame, scores: pd.DataFrame
) -> Callable[[str, str], list[tuple[str, np.ndarray, int]]]:
    """Rows of the keyed items for each scale and wave where the scale's score is ``ok``.

    Works on integer codes of the IDs, waves and scale names, so the scores table is scanned
    once, not once per scale, with small integer types throughout (the scores of ``run`` are
    millions of rows, where each full-length temporary costs milliseconds). Raises
    :class:`AnalysisError` when a participant has two rows of item answers at one wave.
    Returns a function of (instrument, scale) giving ``[(wave, rows, n_ok), ...]`` in the
    order the waves first appear in the scores, each ``rows`` sorted and without repeats,
    ``n_ok`` the ok scores of that scale and wave (some may have no row of item answers).
    """
    k_pid, k_pid_labels = _codes(keyed_items["participant_id"])
    k_pid = k_pid.astype(np.int64)  # the key below needs the range
    k_wave, k_wave_labels = _codes(keyed_items["wave"])
    k_wave = k_wave.astype(np.int64)
    n_wave = len(k_wave_labels) + 1  # and one more for a missing wave
    key = (k_pid + 1) * n_wave + (k_wave + 1)  # missing values count as one value, as pandas does
    if len(key) and np.bincount(key).max() > 1:
        raise AnalysisError(
            "a participant has more than one row of item responses at one wave",
            where="keyed items (participant_id, wave)",
            fix="resolve duplicate participant rows before computing reliability",
        )
    # row_at[w, p + 1]: the keyed-item row of participant p (keyed codes) at wave w, else −1
    row_at = np.full((max(len(k_wave_labels), 1), len(k_pid_labels) + 1), -1, dtype=np.int64)
    known = (k_pid >= 0) & (k_wave >= 0)
    row_at[k_wave[known], k_pid[known] + 1] = np.flatnonzero(known)

    wave, wave_labels = _codes(scores["wave"])
    inst, inst_labels = _codes(scores["instrument"])
    scale, scale_labels = _codes(scores["scale"])
    status, status_labels = _codes(scores["status"])
    pid, pid_labels = _codes(scores["participant_id"])
    wave_order = _first_appearance(wave, len(wave_labels))
    n_scale, n_waves = max(len(scale_labels), 1), max(len(wave_labels), 1)
    n_cells = max(len(inst_labels), 1) * n_scale * n_waves
    small = next(t for t in (np.int8, np.int16, np.int64) if n_cells < np.iinfo(t).max)
    cell = inst.astype(small)
    cell *= n_scale
    cell += scale.astype(small)
    cell *= n_waves
    cell += wave.astype(small)
    usable = status == (status_labels.get_loc("ok") if "ok" in status_labels else -2)
    usable &= (inst >= 0) & (scale >= 0) & (wave >= 0)
    cell[~usable] = n_cells  # sorts after every real cell
    spans = _cell_spans(cell, n_cells)
    pid_in_items = _positions(pid_labels, k_pid_labels)
    wave_in_items = _positions(wave_labels, k_wave_labels)
    inst_list, scale_list = list(inst_labels), list(scale_labels)

    def rows_of(instrument: str, scale_id: str) -> list[tuple[str, np.ndarray, int]]:
        if instrument not in inst_list or scale_id not in scale_list:
            return []
        first = (inst_list.index(instrument) * n_scale + scale_list.index(scale_id)) * n_waves
        out = []
        for w in wave_order:
            c = first + w
            if not spans[c]:
                continue  # no ok score of this scale at this wave
            people = pid_in_items[np.concatenate([pid[span] for span in spans[c]])]
            n_ok = len(people)
            rows = row_at[wave_in_items[w], people + 1] if wave_in_items[w] >= 0 else people[:0]
            rows = rows[rows >= 0]
            if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
                # sorted and without repeats, by marking (linear, unlike sorting)
                marked = np.zeros(len(keyed_items), dtype=bool)
                marked[rows] = True
                rows = np.flatnonzero(marked)
            out.append((str(wave_labels[w]), rows, n_ok))
        return out

    return rows_of


def _cell_spans(cell: np.ndarray, n_cells: int) -> list[list[Any]]:
    """For each cell code below ``n_cells``, the positions of its rows: slices or index arrays.

    Scores come grouped (scoring writes one scale and wave after another), so the rows of a
    cell are a few runs, found in one pass; otherwise one stable sort of the cell codes (a
    radix sort on 8 or 16 bits) puts each cell's rows together.
    """
    spans: list[list[Any]] = [[] for _ in range(n_cells)]
    if len(cell) == 0:
        return spans
    bounds = np.flatnonzero(cell[1:] != cell[:-1]) + 1
    if len(bounds) < 4 * n_cells + 16:
        edges = [0, *bounds.tolist(), len(cell)]
        for start, stop in itertools.pairwise(edges):
            c = int(cell[start])
            if c < n_cells:
                spans[c].append(slice(start, stop))
        return spans
    order = np.argsort(cell, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(cell, minlength=n_cells + 1))])
    for c in range(n_cells):
        if starts[c + 1] > starts[c]:
            spans[c].append(order[starts[c] : starts[c + 1]])
    return spans


_STAGING = 1 << 20
"""Item values staged at a time by :class:`ItemBlock` (8 MB)."""


class ItemBlock:
    """What one set of rows says about their items: for every scale that analyses exactly
    those rows, its covariances and correlations.

    The items are gathered a block of rows at a time (a row of a k x rows staging copy per
    item: much faster than writing n x k column by column). Which items vary is worked out
    for all columns at once.

    When no value is missing (the usual case), the block is never held whole: each staged
    part is centred on the first part's item means and its cross-products ``D D'`` are
    added up, one matrix product for every item of the block, so each scale's covariances
    are a corner of that one k x k sum (:meth:`moments`). The provisional centre is
    corrected exactly at the end (``G = sum D D' - n d d'``, ``d`` the mean deviation from
    it); as the first part's means are close to the block's, the products are formed from
    small deviations, as centring first would. The sums run in another order than one
    product of the centred block, so the last bits can differ from it.

    When a value is missing, the block is kept as raw values, C-ordered ``n x k``
    (:meth:`take`), for :func:`._reliability_numerics.pairwise_moments`.
    """

    def __init__(self, columns: Sequence[np.ndarray], rows: np.ndarray) -> None:
        self.n = len(rows)
        k = len(columns)
        self.values: np.ndarray | None = None
        self.gram: np.ndarray | None = None
        step = max(_STAGING // max(k, 1), 1)
        gathered = np.empty((k, min(step, self.n)))
        high, low = np.full(k, -np.inf), np.full(k, np.inf)
        centre, total, gram = np.zeros(k), np.zeros(k), np.zeros((k, k))
        for start in range(0, self.n, step):
            part = rows[start : start + step]
            staging = gathered[:, : len(part)]
            for j, column in enumerate(columns):
                np.take(column, part, out=staging[j])
            if np.isnan(staging).any():
                self._keep_values(columns, rows)
                return
            np.maximum(high, staging.max(axis=1), out=high)
            np.minimum(low, staging.min(axis=1), out=low)
            # an infinite answer makes its item's sums NaN (that item does not vary, so
            # no scale uses them); the other items' sums are untouched
            with np.errstate(invalid="ignore"):
                if start == 0:
                    centre = staging.mean(axis=1)
                staging -= centre[:, None]
                total += staging.sum(axis=1)
                gram += staging @ staging.T
        del gathered
        self.complete = True
        self._varies(high, low)
        shift = total / max(self.n, 1)  # the block's means less the provisional centre
        with np.errstate(invalid="ignore"):
            self.gram = gram - self.n * np.outer(shift, shift)

    def _keep_values(self, columns: Sequence[np.ndarray], rows: np.ndarray) -> None:
        """The raw values of every row (some missing), C-ordered ``n x k``."""
        values = np.empty((len(rows), len(columns)))
        step = max(_STAGING // max(len(columns), 1), 1)
        gathered = np.empty((len(columns), min(step, len(rows))))
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            staging = gathered[:, : len(part)]
            for j, column in enumerate(columns):
                np.take(column, part, out=staging[j])
            values[start : start + len(part)] = staging.T
        del gathered
        missing = np.isnan(values)
        self._varies(
            np.where(missing, -np.inf, values).max(axis=0, initial=-np.inf),
            np.where(missing, np.inf, values).min(axis=0, initial=np.inf),
        )
        self.complete = False
        self.values = values

    def _varies(self, high: np.ndarray, low: np.ndarray) -> None:
        # at least two answers, not all equal, all finite: the others psych leaves out as
        # having no variance (an infinite answer leaves the variance undefined)
        self.varies = (high > low) & np.isfinite(high) & np.isfinite(low)

    def moments(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Covariances, correlations and pair counts of the columns at ``positions``."""
        if self.gram is not None:
            return gram_moments(self.gram[np.ix_(positions, positions)], self.n)
        return pairwise_moments(self.take(positions))

    def take(self, positions: np.ndarray) -> np.ndarray:
        """The raw columns at ``positions`` of a block with missing values."""
        if self.values is None:
            raise ValueError("a complete block keeps its cross-products, not its values")
        if np.array_equal(positions, np.arange(self.values.shape[1])):
            return self.values
        return np.take(self.values, positions, axis=1)
