"""The tidy score table's layout: its columns, and the arrays the engine fills in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._pages import fresh

if TYPE_CHECKING:
    from ..instruments.schema import Instrument, Scale

SCORE_COLUMNS = [
    "participant_id",
    "wave",
    "instrument",
    "scale",
    "score",
    "n_answered",
    "n_items",
    "status",
    "band",
    "raw_score",
    "score_se",
]
"""Columns of the tidy score table (SPEC §5); carried grouping columns follow ``wave``."""


def frame_from_columns(columns: dict[str, Any], length: int) -> pd.DataFrame:
    """A DataFrame that adopts each 1-D array as its own block, without copying it.

    ``pd.DataFrame(dict)`` would stack same-typed columns into one block and
    ``frame[name] = values`` copies; for the tens of millions of cells of a large score
    table either copy costs more than the scoring itself.
    """
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(length))
    return pd.DataFrame(columns, index=pd.RangeIndex(length), copy=False)


def _tile(column: pd.Series, times: int) -> pd.Categorical:
    """The whole column ``times`` times over, as a categorical (codes repeat, text is shared)."""
    values = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    return pd.Categorical.from_codes(
        np.tile(values.cat.codes.to_numpy(), times), dtype=values.dtype, validate=False
    )


def _small_int(largest: int) -> type[np.integer]:
    return np.int8 if largest <= np.iinfo(np.int8).max else np.int16


@dataclass
class ScaleColumns:
    """One scale's run of the score table: views the engine writes its results into."""

    score: np.ndarray
    raw: np.ndarray
    se: np.ndarray
    answered: np.ndarray
    status: np.ndarray  # 0 = ok, 1 = insufficient items
    band: np.ndarray  # global band code, -1 = none
    band_codes: np.ndarray  # the scale's band level index -> global band code


class ScoreLayout:
    """The tidy score table, allocated once and filled scale by scale, in place.

    Each scale's values are one contiguous run of ``n`` rows (scales in the order given, rows
    in input order), so the engine writes every result straight into its final place and the
    table is never copied or concatenated: for a million respondents that saves a gigabyte
    of copying and page faults.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> ucla = load_instrument("ucla3")
    >>> layout = ScoreLayout(2, [(ucla, s) for s in ucla.scales])
    >>> layout.columns(0).score.shape
    (2,)
    """

    def __init__(self, n: int, scales: list[tuple[Instrument, Scale]]) -> None:
        self.n = n
        self.scales = scales
        rows = n * len(scales)
        self._floats = fresh((rows, 3), float, order="F")  # score, raw, se
        most_items = max((len(scale.items) for _, scale in scales), default=0)
        self._counts = fresh((rows, 2), np.int16 if most_items < 2**15 else np.int32, order="F")
        self._status = np.empty(rows, dtype=np.int8)
        labels: list[str] = []
        for _, scale in scales:
            if scale.bands is not None:
                labels += [b.label for b in scale.bands.levels]
        self.band_labels = list(dict.fromkeys(labels))
        self._band = np.empty(rows, dtype=_small_int(len(self.band_labels)))
        for i, (_, scale) in enumerate(scales):
            self._counts[i * n : (i + 1) * n, 1] = len(scale.items)

    def columns(self, index: int) -> ScaleColumns:
        """Views of the ``index``-th scale's run of rows."""
        rows = slice(index * self.n, (index + 1) * self.n)
        scale = self.scales[index][1]
        levels = [] if scale.bands is None else [b.label for b in scale.bands.levels]
        return ScaleColumns(
            score=self._floats[rows, 0],
            raw=self._floats[rows, 1],
            se=self._floats[rows, 2],
            answered=self._counts[rows, 0],
            status=self._status[rows],
            band=self._band[rows],
            band_codes=np.array([self.band_labels.index(x) for x in levels], dtype=np.int16),
        )

    def frame(
        self,
        ids: pd.DataFrame,
        carry: list[str],
        without: dict[int, np.ndarray] | None = None,
    ) -> pd.DataFrame:
        """The filled table as a DataFrame (SPEC §5 columns), adopting every array as is.

        ``without`` maps a scale's index to the rows to leave out of its run (an instrument
        not given on those rows); only then is the table copied, to drop them.
        """
        columns = ["participant_id", "wave", *carry, *SCORE_COLUMNS[2:]]
        s = len(self.scales)
        if s == 0 or self.n == 0:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})

        def repeated(names: list[str]) -> pd.Categorical:
            categories = list(dict.fromkeys(names))
            codes = np.array([categories.index(x) for x in names], dtype=_small_int(s))
            return pd.Categorical.from_codes(
                np.repeat(codes, self.n), categories=categories, validate=False
            )

        data: dict[str, Any] = {
            "participant_id": _tile(ids["participant_id"], s),
            "wave": _tile(ids["wave"], s),
            **{name: _tile(ids[name], s) for name in carry},
            "instrument": repeated([inst.id for inst, _ in self.scales]),
            "scale": repeated([scale.id for _, scale in self.scales]),
            "score": self._floats[:, 0],
            "n_answered": self._counts[:, 0],
            "n_items": self._counts[:, 1],
            "status": pd.Categorical.from_codes(
                self._status, categories=["ok", "insufficient_items"], validate=False
            ),
            "band": pd.Categorical.from_codes(
                self._band, categories=self.band_labels, validate=False
            ),
            "raw_score": self._floats[:, 1],
            "score_se": self._floats[:, 2],
        }
        table = frame_from_columns({c: data[c] for c in columns}, self.n * s)
        if not without:
            return table
        keep = np.ones(self.n * s, dtype=bool)
        for index, rows in without.items():
            keep[index * self.n : (index + 1) * self.n] = ~rows
        return table.loc[keep].reset_index(drop=True)
