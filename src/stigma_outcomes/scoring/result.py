"""The scoring result: tidy scores, the data-quality ledger, alerts and keyed items."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._io import write_table

if TYPE_CHECKING:
    from ..instruments.schema import Instrument

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
    """Build a DataFrame column by column.

    ``pd.DataFrame(dict)`` stacks same-typed columns into one block, copying every array;
    for the tens of millions of cells of a large score table that copy costs more than the
    scoring itself. Adding columns one at a time keeps each array as its own block.
    """
    frame = pd.DataFrame(index=pd.RangeIndex(length))
    for name, values in columns.items():
        frame[name] = values
    return frame


def _tile(column: pd.Series, times: int) -> pd.Categorical:
    """The whole column ``times`` times over, as a categorical (codes repeat, text is shared)."""
    values = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    return pd.Categorical.from_codes(
        np.tile(values.cat.codes.to_numpy(), times), dtype=values.dtype
    )


def assemble_scores(
    frame: pd.DataFrame, carry: list[str], per_instrument: list[tuple[Instrument, list[Any]]]
) -> pd.DataFrame:
    """Lay per-scale outputs out as the tidy table: scale by scale, rows in input order.

    Each scale's values are one contiguous run of the output, so every column is a plain
    concatenation; the numbers go into two column-major blocks (floats and counts) that the
    DataFrame adopts as they are, so a table of tens of millions of rows is never copied.
    """
    outputs = [(inst, out) for inst, outs in per_instrument for out in outs]
    n, s = len(frame), len(outputs)
    columns = ["participant_id", "wave", *carry, *SCORE_COLUMNS[2:]]
    if s == 0 or n == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})

    def fill(target: np.ndarray, values: list[np.ndarray]) -> np.ndarray:
        for i, v in enumerate(values):
            target[i * n : (i + 1) * n] = v
        return target

    floats = np.empty((n * s, 3), dtype=float, order="F")
    fill(floats[:, 0], [o.score for _, o in outputs])
    fill(floats[:, 1], [o.raw for _, o in outputs])
    fill(floats[:, 2], [o.se for _, o in outputs])
    counts = np.empty((n * s, 2), dtype=np.int32, order="F")
    fill(counts[:, 0], [o.answered for _, o in outputs])
    counts[:, 1] = np.repeat(np.array([len(o.scale.items) for _, o in outputs], np.int32), n)

    band_labels: list[str] = []
    band_codes = []
    for _, out in outputs:
        offset = len(band_labels)
        if out.scale.bands is not None:
            band_labels += [b.label for b in out.scale.bands.levels]
        band_codes.append(np.where(out.band >= 0, out.band + offset, -1))
    unique_labels = list(dict.fromkeys(band_labels))
    remap = np.array([unique_labels.index(b) for b in band_labels] + [-1], dtype=np.int16)
    band_index = fill(np.empty(n * s, dtype=np.int16), band_codes)
    band_index = remap[np.where(band_index >= 0, band_index, len(band_labels))]
    ok = fill(np.empty(n * s, dtype=bool), [o.ok for _, o in outputs])

    instrument_names = [inst.id for inst, _ in outputs]
    instrument_categories = list(dict.fromkeys(instrument_names))
    scale_names = [out.scale.id for _, out in outputs]
    scale_categories = list(dict.fromkeys(scale_names))
    labels: dict[str, Any] = {
        "participant_id": _tile(frame["participant_id"], s),
        "wave": _tile(frame["wave"], s),
        **{name: _tile(frame[name], s) for name in carry},
        "instrument": pd.Categorical.from_codes(
            np.repeat([instrument_categories.index(i) for i in instrument_names], n),
            categories=instrument_categories,
        ),
        "scale": pd.Categorical.from_codes(
            np.repeat([scale_categories.index(x) for x in scale_names], n),
            categories=scale_categories,
        ),
        "status": pd.Categorical.from_codes(
            np.where(ok, 0, 1).astype(np.int8), categories=["ok", "insufficient_items"]
        ),
        "band": pd.Categorical.from_codes(band_index, categories=unique_labels),
    }
    table = pd.concat(
        [
            pd.DataFrame(labels),
            pd.DataFrame(floats, columns=["score", "raw_score", "score_se"], copy=False),
            pd.DataFrame(counts, columns=["n_answered", "n_items"], copy=False),
        ],
        axis=1,
    )
    return table[columns]


@dataclass
class ScoreResult:
    """What :func:`~stigma_outcomes.scoring.score` returns.

    Attributes
    ----------
    scores : DataFrame
        Tidy scores, one row per participant × wave × instrument × scale (SPEC §5).
    ledger : DataFrame
        One row per data problem, and one per row set aside (action ``row_excluded``).
    alerts : DataFrame
        Item-level alerts for the evaluator only; never copy these into a report.
    keyed_items : DataFrame
        ``participant_id, wave`` and each item as scored (reversed, recoded; NaN missing),
        named ``<instrument>_<item>``: the input of in-sample reliability (built on demand).
    """

    scores: pd.DataFrame
    ledger: pd.DataFrame
    alerts: pd.DataFrame
    keyed: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    ids: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    instruments: list[Instrument] = field(default_factory=list)
    rows_in: int = 0
    rows_scored: int = 0
    carry: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def keyed_items(self) -> pd.DataFrame:
        """``participant_id, wave`` and every item as scored, named ``<instrument>_<item>``.

        Built on first use (it is as large as the export), then kept.
        """
        cached = self.__dict__.get("_keyed_items")
        if cached is None:
            columns = {
                "participant_id": self.ids["participant_id"].to_numpy(),
                "wave": self.ids["wave"].to_numpy(),
                **self.keyed,
            }
            cached = frame_from_columns(columns, len(self.ids))
            self.__dict__["_keyed_items"] = cached
        return cached

    @property
    def rows_excluded(self) -> int:
        """Rows set aside before scoring; rows_in == rows_scored + rows_excluded."""
        return int((self.ledger["action"] == "row_excluded").sum())

    def excluded_by_reason(self) -> dict[str, int]:
        """Count of excluded rows by the reason recorded in the ledger."""
        excluded = self.ledger.loc[self.ledger["action"] == "row_excluded", "problem"]
        return {str(k): int(v) for k, v in excluded.value_counts().sort_index().items()}

    def problems_by_type(self) -> dict[str, int]:
        """Count of ledger rows by problem."""
        return {
            str(k): int(v) for k, v in self.ledger["problem"].value_counts().sort_index().items()
        }

    def wide(self) -> pd.DataFrame:
        """One row per participant × wave, one column per ``<instrument>_<scale>`` score.

        Examples
        --------
        >>> import pandas as pd, stigma_outcomes as so
        >>> df = pd.DataFrame({"id": ["a"], "ucla3_1": [1], "ucla3_2": [2], "ucla3_3": [3]})
        >>> so.score(df, ["ucla3"]).wide().columns.tolist()
        ['participant_id', 'wave', 'ucla3_total']
        """
        keys = ["participant_id", "wave", *self.carry]
        table = self.scores.assign(
            column=self.scores["instrument"].astype(str) + "_" + self.scores["scale"].astype(str)
        )
        order = list(dict.fromkeys(table["column"]))
        wide = table.pivot_table(
            index=keys,
            columns="column",
            values="score",
            aggfunc="first",
            dropna=False,
            observed=True,
            sort=False,
        )
        return wide.reindex(columns=order).reset_index().rename_axis(columns=None)

    def summary(self) -> dict[str, Any]:
        """Counts for the terminal summary and ``--json`` output."""
        per_scale = (
            self.scores.groupby(["instrument", "scale"], observed=True, sort=False)
            .agg(
                n_ok=("status", lambda s: int((s == "ok").sum())),
                n_no_score=("status", lambda s: int((s != "ok").sum())),
                mean=("score", "mean"),
            )
            .reset_index()
        )
        return {
            "rows_in": self.rows_in,
            "rows_scored": self.rows_scored,
            "rows_excluded": self.rows_excluded,
            "excluded_by_reason": self.excluded_by_reason(),
            "problems": self.problems_by_type(),
            "alerts": len(self.alerts),
            "scales": [
                {
                    "instrument": str(r.instrument),
                    "scale": str(r.scale),
                    "n_ok": int(r.n_ok),
                    "n_no_score": int(r.n_no_score),
                    "mean": None if pd.isna(r.mean) else round(float(r.mean), 4),
                }
                for r in per_scale.itertuples()
            ],
        }

    def write(
        self,
        scores: str | os.PathLike[str],
        ledger: str | os.PathLike[str] | None = None,
        alerts: str | os.PathLike[str] | None = None,
    ) -> None:
        """Write scores (and ledger, alerts) as CSV / XLSX / Parquet by file suffix."""
        write_table(self.scores, scores)
        if ledger is not None:
            write_table(self.ledger, ledger)
        if alerts is not None:
            write_table(self.alerts, alerts)
