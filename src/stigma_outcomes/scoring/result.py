"""The scoring result: tidy scores, the data-quality ledger, alerts and keyed items."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._io import write_table
from ..ingest._stacking import category_codes
from ._layout import SCORE_COLUMNS as SCORE_COLUMNS  # re-exported: scoring's public list
from ._layout import ScaleColumns as ScaleColumns
from ._layout import ScoreLayout as ScoreLayout
from ._layout import frame_from_columns
from ._ledger import NOT_ASKED
from ._pages import fresh
from .decode import NO_ANSWER, as_float_codes

if TYPE_CHECKING:
    from ..instruments.schema import Instrument

LAYOUT_NOTES = ("repeat_instances_as_waves",)
"""Ledger lines that say how an export is laid out, not that anything in it is wrong: a
REDCap repeating form's or event's instances each analysed as a wave (one note per form;
``ingest/redcap/_forms.py``, docs/redcap.md). Like an instrument not asked at a wave
(``not_administered``), they are no data problem: ``score`` lists them as notes, and
``--strict`` does not fail on them."""


def _shared(column: pd.Series) -> Any:
    """A categorical column's own codes and categories (no text per row, nothing to code
    again for whoever reads it), any other column's values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array
    return column.to_numpy()


def _float_items(keyed: dict[str, np.ndarray], length: int) -> dict[str, np.ndarray]:
    """Each item's codes as floats (NaN missing), the rows of one block in ordinary pages."""
    block = fresh((len(keyed), length), float)
    return {
        name: as_float_codes(values, out=row)
        for (name, values), row in zip(keyed.items(), block, strict=True)
    }


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
        named ``<instrument>_<item>``: the input of in-sample reliability (built on demand;
        IDs and waves categorical, as in ``scores``).
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
                "participant_id": _shared(self.ids["participant_id"]),
                "wave": _shared(self.ids["wave"]),
                **_float_items(self.keyed, len(self.ids)),
            }
            cached = frame_from_columns(columns, len(self.ids))
            self.__dict__["_keyed_items"] = cached
        return cached

    def release_keyed_items(self) -> None:
        """Let go of the cached :attr:`keyed_items` (as large as the export); the next use
        builds it again from the compact items."""
        self.__dict__.pop("_keyed_items", None)

    def write_items(self, path: str | os.PathLike[str]) -> None:
        """Write :attr:`keyed_items` (evaluator-only) as CSV / XLSX / Parquet by file suffix.

        To CSV, compact (int8) items are handed to the writer as whole numbers with a mask:
        the same text as their float values ("3", blank when missing) at a fraction of the
        cost of formatting floats.
        """
        if Path(path).suffix.lower() not in (".csv", ".tsv", ".txt", ""):
            # IDs and waves as plain values, as these files have always held them (a
            # categorical would be stored as a dictionary column in Parquet).
            items = self.keyed_items
            plain = {k: items[k].to_numpy() for k in ("participant_id", "wave")}
            write_table(items.assign(**plain), path, private=True)
            return
        columns: dict[str, Any] = {
            "participant_id": self.ids["participant_id"].array,
            "wave": self.ids["wave"].array,
        }
        for name, values in self.keyed.items():
            if values.dtype == np.int8:
                columns[name] = pd.arrays.IntegerArray(values, values == NO_ANSWER)
            else:
                columns[name] = values
        write_table(frame_from_columns(columns, len(self.ids)), path, private=True)

    @property
    def rows_excluded(self) -> int:
        """Rows set aside before scoring; rows_in == rows_scored + rows_excluded."""
        return int((self.ledger["action"] == "row_excluded").sum())

    def excluded_by_reason(self) -> dict[str, int]:
        """Count of excluded rows by the reason recorded in the ledger."""
        excluded = self.ledger.loc[self.ledger["action"] == "row_excluded", "problem"]
        return {str(k): int(v) for k, v in excluded.value_counts().sort_index().items()}

    def problems_by_type(self) -> dict[str, int]:
        """Count of ledger rows by problem in the data: neither an instrument not asked at a
        wave (see :meth:`not_asked`) nor a note on the export's layout (see
        :meth:`notes_by_type`) is one."""
        problem = self.ledger["problem"]
        counts = problem[~problem.isin([NOT_ASKED, *LAYOUT_NOTES])].value_counts().sort_index()
        return {str(k): int(v) for k, v in counts.items()}

    def notes_by_type(self) -> dict[str, int]:
        """Count of ledger notes on the export's layout (:data:`LAYOUT_NOTES`), by kind.

        Examples
        --------
        >>> import pathlib, tempfile, stigma_outcomes as so
        >>> export = pathlib.Path(tempfile.mkdtemp()) / "redcap.csv"
        >>> _ = export.write_text("record_id,redcap_repeat_instrument,redcap_repeat_instance,"
        ...     "ucla3_1,ucla3_2,ucla3_3\\na,f,1,1,1,1\\na,f,2,2,2,2\\n")
        >>> result = so.score(export, ["ucla3"])
        >>> result.notes_by_type(), result.problems_by_type()
        ({'repeat_instances_as_waves': 1}, {})
        """
        problem = self.ledger["problem"]
        counts = problem[problem.isin(LAYOUT_NOTES)].value_counts().sort_index()
        return {str(k): int(v) for k, v in counts.items()}

    def not_asked(self) -> list[dict[str, str]]:
        """The instruments nobody answered at some wave while people did at others: not asked
        there, so not scored there (one ledger line each, ``not_administered``).

        Examples
        --------
        >>> import pandas as pd, stigma_outcomes as so
        >>> df = pd.DataFrame({"id": ["a", "a"], "wave": ["pre", "post"], "ucla3_1": [1, 2],
        ...     "ucla3_2": [1, 2], "ucla3_3": [1, 2], "gad7_1": [0, None], "gad7_2": [1, None],
        ...     "gad7_3": [0, None], "gad7_4": [1, None], "gad7_5": [0, None],
        ...     "gad7_6": [1, None], "gad7_7": [0, None]})
        >>> so.score(df, ["ucla3", "gad7"], wave_col="wave").not_asked()
        [{'instrument': 'gad7', 'wave': 'post'}]
        """
        rows = self.ledger[self.ledger["problem"] == NOT_ASKED]
        return [
            {"instrument": str(i), "wave": str(w)}
            for i, w in zip(rows["instrument"], rows["wave"], strict=True)
        ]

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
        # groupby + unstack keeps only the key combinations that occur (pivot_table with
        # dropna=False wrote a row for every combination of the carried columns' values),
        # and keeps rows whose carried values or scores are missing.
        wide = (
            table.groupby([*keys, "column"], sort=False, dropna=False, observed=True)["score"]
            .first()
            .unstack("column", sort=False)
        )
        return wide.reindex(columns=order).reset_index().rename_axis(columns=None)

    def summary(self) -> dict[str, Any]:
        """Counts for the terminal summary and ``--json`` output."""
        per_scale = _per_scale(self.scores)
        return {
            "rows_in": self.rows_in,
            "rows_scored": self.rows_scored,
            "rows_excluded": self.rows_excluded,
            "excluded_by_reason": self.excluded_by_reason(),
            "problems": self.problems_by_type(),
            "notes": self.notes_by_type(),
            "not_asked": self.not_asked(),
            "alerts": len(self.alerts),
            "scales": per_scale,
        }

    def __repr__(self) -> str:
        """One line: what was scored and how many rows went where (never the data itself).

        Examples
        --------
        >>> import pandas as pd, stigma_outcomes as so
        >>> df = pd.DataFrame({"id": ["a", "b"], "ucla3_1": [1, 2], "ucla3_2": [2, 2],
        ...                    "ucla3_3": [3, None]})
        >>> so.score(df, ["ucla3"])  # doctest: +NORMALIZE_WHITESPACE
        ScoreResult(instruments=['ucla3'], rows_in=2, rows_scored=2, rows_excluded=0,
                    scores=2 rows, ledger=1 rows, alerts=0)
        """
        ids = [inst.id for inst in self.instruments]
        return (
            f"ScoreResult(instruments={ids}, rows_in={self.rows_in}, "
            f"rows_scored={self.rows_scored}, rows_excluded={self.rows_excluded}, "
            f"scores={len(self.scores)} rows, ledger={len(self.ledger)} rows, "
            f"alerts={len(self.alerts)})"
        )

    def _repr_html_(self) -> str:
        """The same counts and a per-scale table, for notebooks."""
        from html import escape

        cells = "".join(
            f"<tr><td>{escape(s['instrument'])}</td><td>{escape(s['scale'])}</td>"
            f"<td>{s['n_ok']}</td><td>{s['n_no_score']}</td>"
            f"<td>{'' if s['mean'] is None else s['mean']}</td></tr>"
            for s in self.summary()["scales"]
        )
        return (
            f"<p>{escape(repr(self))}</p><table><thead><tr><th>instrument</th><th>scale</th>"
            f"<th>scored</th><th>no score</th><th>mean</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>"
        )

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


def _true_per_run(flags: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of ``flags`` are true in each run ``bounds[i]:bounds[i + 1]``: the rarer of
    true and false found and placed among the bounds (a few thousand, not a pass of sums).

    Examples
    --------
    >>> _true_per_run(np.array([True, False, True, True]), np.array([0, 1, 4])).tolist()
    [1, 2]
    """
    rare = np.count_nonzero(flags) * 2 <= len(flags)
    marks = np.flatnonzero(flags if rare else ~flags)
    found = np.diff(np.searchsorted(marks, bounds))
    return found if rare else np.diff(bounds) - found


def _per_scale(scores: pd.DataFrame) -> list[dict[str, Any]]:
    """Each scale's rows with a score and without one, and its mean score, in the order the
    scales first appear (as ``groupby(sort=False)``).

    Counted over integer codes of (instrument, scale), run by run of equal codes
    (``reduceat``), the runs then added up per scale with ``bincount``: at 1M rows a grouped
    aggregation over a frame built for it took 0.4 s; counting row by row with ``bincount``,
    17 ms of the 1.2M-row benchmark table, and by runs, 5 ms.

    Examples
    --------
    >>> s = pd.DataFrame({"instrument": ["a", "a", "b"], "scale": ["t", "t", "t"],
    ...                   "status": ["ok", "no_score", "ok"], "score": [2.0, None, 4.0]})
    >>> _per_scale(s)[0]
    {'instrument': 'a', 'scale': 't', 'n_ok': 1, 'n_no_score': 1, 'mean': 2.0}
    """
    instrument, instruments = category_codes(scores["instrument"])
    scale, scales = category_codes(scores["scale"])
    ok = (scores["status"] == "ok").to_numpy(dtype=bool)
    value = scores["score"].to_numpy(dtype=float)
    width = max(len(scales), 1)
    cells = len(instruments) * width
    cell = instrument.astype(np.int16 if cells < 2**15 else np.int32)
    cell *= width
    cell += scale
    keyed = (instrument >= 0) & (scale >= 0)  # rows without a key are in no group
    if not keyed.all():
        cell[~keyed] = -1
    if not len(cell):
        return []
    # A score table holds each scale's rows together: counted run by run, then the runs of
    # a cell added up (a run a row, at worst, for a table in some other order).
    starts = np.flatnonzero(cell[1:] != cell[:-1])
    starts += 1
    starts = np.concatenate(([0], starts))
    answered = np.isnan(value)
    np.logical_not(answered, out=answered)
    run_cell = cell[starts]
    counted = run_cell >= 0
    run_cell = run_cell[counted]
    bounds = np.append(starts, len(cell))
    runs = {
        "rows": np.diff(bounds),
        "ok": _true_per_run(ok, bounds),
        "valued": _true_per_run(answered, bounds),
        "total": np.add.reduceat(np.where(answered, value, 0.0), starts),
    }
    rows, n_ok, n_valued, total = (
        np.bincount(run_cell, weights=runs[k][counted], minlength=cells)
        for k in ("rows", "ok", "valued", "total")
    )
    out = []
    for c in pd.unique(run_cell):
        mean = total[c] / n_valued[c] if n_valued[c] else math.nan
        out.append(
            {
                "instrument": str(instruments[c // width]),
                "scale": str(scales[c % width]),
                "n_ok": int(n_ok[c]),
                "n_no_score": int(rows[c] - n_ok[c]),
                "mean": None if math.isnan(mean) else round(float(mean), 4),
            }
        )
    return out
