"""Matching each participant's scores between two waves, per instrument scale.

Only scores with ``status == "ok"`` and a finite value count. A pair is one participant's
score on one instrument scale at both waves (complete pairs only). The work is done on
integer codes (factorised ids and scales) so a million participants pair in well under a
second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, InputError
from ._codes import (
    equals_text,
    natural_order,
    present_labels,
    text_codes,
)
from ._score_codes import (
    DIRECT_LOOKUP_LIMIT,
    add_codes,
    drop_unused,
    narrow_codes,
    refuse_duplicates,
)
from .group_labels import refuse_key_columns

REQUIRED_COLUMNS = ("participant_id", "wave", "instrument", "scale", "score", "status")


def valid_scores(
    scores: pd.DataFrame, group_col: str | None = None, extra_cols: Iterable[str] = ()
) -> pd.DataFrame:
    """The usable rows of a tidy scores table: status ``ok`` and a finite score.

    Checks the required columns (and ``group_col``) exist, turns ``wave``, ``instrument``,
    ``scale`` and ``participant_id`` into categoricals of their text (each distinct value
    made text once), and refuses a participant with two scores for the same scale and wave.

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["a", "a"], "wave": ["pre", "post"],
    ...     "instrument": "x", "scale": "t", "score": [1.0, None], "status": ["ok", "missing"]})
    >>> len(valid_scores(df))
    1
    """
    if not isinstance(scores, pd.DataFrame):
        raise InputError(
            "scores must be a pandas DataFrame of tidy scores",
            fix="pass the .scores of a scoring result, or read a scores CSV with pandas",
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in scores.columns]
    if missing:
        raise InputError(
            f"the scores table has no column(s) {', '.join(missing)}",
            where=f"columns present: {', '.join(map(str, scores.columns))}",
            fix="use the tidy scores written by 'stigma-outcomes score' (SPEC §5)",
        )
    # a participant code is never a group label; a wave, instrument or scale no group
    extra_cols = tuple(extra_cols)
    refuse_key_columns({"group column": group_col})
    for col in extra_cols:
        refuse_key_columns({"column": col})
    for col in [group_col, *extra_cols]:
        if col is None or col in scores.columns:
            continue
        raise InputError(
            f"column '{col}' is not in the scores table",
            where=f"columns present: {', '.join(map(str, scores.columns))}",
            fix="carry the column through scoring (--carry) or correct the column name",
        )
    score = pd.to_numeric(scores["score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = equals_text(scores["status"], "ok")
    ok &= np.isfinite(score)
    # the usable rows; every row (the usual case) is taken as it is, without an index array
    rows = slice(None) if ok.all() else np.flatnonzero(ok)
    n_rows = len(score) if isinstance(rows, slice) else len(rows)
    keep = ["participant_id", "wave", "instrument", "scale"]
    keep += [c for c in dict.fromkeys([group_col, *extra_cols]) if c is not None and c not in keep]
    columns: dict[str, Any] = {}
    codes: dict[str, tuple[np.ndarray, list[str]]] = {}
    for col in keep:
        if col not in ("participant_id", "wave", "instrument", "scale"):
            columns[col] = scores[col].iloc[rows].reset_index(drop=True)
            continue
        # each distinct value becomes text once (a categorical's categories), not each row;
        # the key columns are kept as categoricals of that text (codes, not a string a row)
        col_codes, labels = text_codes(scores[col], sort=col != "participant_id", narrow=True)
        if n_rows < len(col_codes):
            col_codes = col_codes[rows]
        if (col_codes < 0).any():
            # a missing key is kept as the text 'nan'
            columns[col] = scores[col].iloc[rows].reset_index(drop=True).astype(str)
            continue
        col_codes, labels = drop_unused(col_codes, labels)
        categories = pd.Index(labels, dtype=object)
        columns[col] = pd.Categorical.from_codes(col_codes, categories=categories)
        codes[col] = (columns[col].codes, labels)  # the categorical's own (narrow) codes
    columns["score"] = score[rows] if n_rows < len(score) else score
    attrs = add_codes(columns, group_col, codes)
    # one frame from the finished columns, none of them copied again
    out = pd.DataFrame(columns, index=pd.RangeIndex(n_rows), copy=False)
    out.attrs.update(attrs)
    refuse_duplicates(out)
    return out


def regroup(valid: pd.DataFrame, group_col: str) -> pd.DataFrame:
    """The same usable scores, grouped by another of their columns (e.g. site, not arm).

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["a", "b"], "wave": "pre", "instrument": "x",
    ...     "scale": "t", "score": [1.0, 2.0], "status": "ok", "arm": ["A", "B"],
    ...     "site": ["S2", "S1"]})
    >>> regroup(valid_scores(df, "arm", ["site"]), "site").attrs["group_levels"]
    ['S1', 'S2']
    """
    if group_col not in valid.columns:
        raise InputError(
            f"the scores were prepared without the column '{group_col}'",
            fix=f"pass it to valid_scores(scores, extra_cols=[{group_col!r}]) first",
        )
    out = valid.copy(deep=False)
    out.attrs = dict(valid.attrs)
    group, levels = drop_unused(*text_codes(out[group_col], sort=True))
    out["_group"] = narrow_codes(group)
    out.attrs["group_levels"] = [str(v) for v in levels]
    return out


def check_waves(
    scores: pd.DataFrame, waves: Iterable[str], names: str = "--pre / --post / --followup"
) -> None:
    """Raise :class:`AnalysisError` naming the waves present if any wave asked for is absent;
    ``names`` are the settings that name the waves, as the caller's user spells them
    (``CompareSettings.wave_names``).

    Examples
    --------
    >>> check_waves(pd.DataFrame({"wave": ["pre", "post"]}), ["pre", "post"])
    """
    present = sorted(present_labels(scores["wave"]))
    absent = [w for w in waves if str(w) not in present]
    if absent:
        raise AnalysisError(
            f"wave(s) {', '.join(repr(w) for w in absent)} not found in the scores",
            where=f"waves present: {', '.join(repr(w) for w in present) or 'none'}",
            fix=f"name one of the waves present in {names}",
        )


@dataclass
class Pairs:
    """Complete pairs between two waves, held as parallel arrays.

    ``scale_code`` indexes ``scales`` (a frame of ``instrument, scale``); ``group_code``
    indexes ``group_levels`` (−1: no group value), or is ``None`` without groups.
    """

    from_wave: str
    to_wave: str
    scales: pd.DataFrame
    scale_code: np.ndarray
    ids: Any
    """The participant IDs of the pairs, or a function of no arguments that makes them (the
    linked sections never read them: they are made on first use, see ``participant_id``)."""
    pre: np.ndarray
    post: np.ndarray
    group_code: np.ndarray | None = None
    group_levels: list[str] = field(default_factory=list)
    rows: tuple[np.ndarray, np.ndarray] | None = None
    """Each pair's row in the coded table at ``from_wave`` and at ``to_wave``."""

    def __len__(self) -> int:
        return len(self.pre)

    @property
    def participant_id(self) -> Any:
        """Each pair's participant ID (made from ``ids`` when first read)."""
        if callable(self.ids):
            self.ids = self.ids()
        return self.ids

    @property
    def group(self) -> np.ndarray | None:
        """Each pair's group level as text (``None`` where missing), or ``None`` overall."""
        if self.group_code is None:
            return None
        names = np.array([*self.group_levels, None], dtype=object)
        return names[self.group_code]  # code −1 picks the trailing None

    def subset(self, mask: np.ndarray) -> Pairs:
        """The pairs where ``mask`` is true."""
        return Pairs(
            self.from_wave,
            self.to_wave,
            self.scales,
            self.scale_code[mask],
            self.participant_id[mask],
            self.pre[mask],
            self.post[mask],
            None if self.group_code is None else self.group_code[mask],
            self.group_levels,
            None if self.rows is None else (self.rows[0][mask], self.rows[1][mask]),
        )

    def scores_only(self, mask: np.ndarray) -> Pairs:
        """The scale codes and scores of the pairs where ``mask`` is true, nothing else.

        For counts and sums over cells: no participant, group or row arrays are copied.
        """
        return Pairs(
            self.from_wave,
            self.to_wave,
            self.scales,
            self.scale_code[mask],
            None,
            self.pre[mask],
            self.post[mask],
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: ``instrument, scale, participant_id, group, pre, post``."""
        return pd.DataFrame(
            {
                "instrument": self.scales["instrument"].to_numpy()[self.scale_code],
                "scale": self.scales["scale"].to_numpy()[self.scale_code],
                "participant_id": np.asarray(self.participant_id, dtype=object),
                "group": self.group,
                "pre": self.pre,
                "post": self.post,
            }
        )


def wave_mask(valid: pd.DataFrame, wave: str) -> np.ndarray:
    """Boolean mask of the rows of a :func:`valid_scores` frame at ``wave`` (via its codes)."""
    names = valid.attrs.get("waves")
    if names is None or "_wave" not in valid.columns:
        return (valid["wave"] == str(wave)).to_numpy(dtype=bool)
    if str(wave) not in names:
        return np.zeros(len(valid), dtype=bool)
    return valid["_wave"].to_numpy() == names.index(str(wave))


def scale_keys(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Sorted distinct (instrument, scale) pairs of a scores frame."""
    pairs = frame[["instrument", "scale"]].drop_duplicates()
    return sorted(
        (str(i), str(s)) for i, s in zip(pairs["instrument"], pairs["scale"], strict=True)
    )


def scale_table(valid: pd.DataFrame) -> pd.DataFrame:
    """The (instrument, scale) of each ``_scale`` code of a :func:`valid_scores` frame."""
    if "scales" in valid.attrs:
        return pd.DataFrame(valid.attrs["scales"], columns=["instrument", "scale"], dtype=object)
    first = valid["_scale"].drop_duplicates()
    table = valid.loc[first.index, ["_scale", "instrument", "scale"]].sort_values("_scale")
    return table[["instrument", "scale"]].reset_index(drop=True)


def pair_waves(
    valid: pd.DataFrame, from_wave: str, to_wave: str, group_col: str | None = None
) -> Pairs:
    """Match participants' scores between ``from_wave`` and ``to_wave`` per scale.

    Parameters
    ----------
    valid : DataFrame
        Output of :func:`valid_scores`.
    from_wave, to_wave : str
        The earlier and the later wave of the contrast.
    group_col : str, optional
        Column whose value at ``from_wave`` places each pair in a group.

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["a", "a", "b"], "wave": ["pre", "post", "pre"],
    ...     "instrument": "x", "scale": "t", "score": [4.0, 2.0, 3.0], "status": "ok"})
    >>> p = pair_waves(valid_scores(df), "pre", "post")
    >>> len(p), p.pre.tolist(), p.post.tolist()
    (1, [4.0], [2.0])
    """
    codes = valid["_scale"].to_numpy()
    pid = valid["_pid"].to_numpy()
    n_pid = int(pid.max()) + 1 if len(valid) else 1
    from_idx = np.flatnonzero(wave_mask(valid, from_wave))
    to_idx = np.flatnonzero(wave_mask(valid, to_wave))
    span = (int(codes.max()) + 1) * n_pid if len(codes) else 0

    def keys(rows: np.ndarray) -> np.ndarray:  # (scale, participant) of those rows only
        key = codes[rows].astype(np.int64)
        key *= n_pid
        key += pid[rows]
        return key

    if span <= DIRECT_LOOKUP_LIMIT:
        # keys are dense: a direct lookup table matches in linear time, no sorting (its
        # entries are rows of the table, narrow; each wave's keys made and let go in turn)
        index = np.int32 if len(valid) <= np.iinfo(np.int32).max else np.int64
        where_to = np.full(span, -1, dtype=index)
        where_to[keys(to_idx)] = to_idx
        del to_idx
        match = where_to[keys(from_idx)]
        del where_to
        found = match >= 0
        rows_from, rows_to = from_idx[found], match[found].astype(np.int64)
    else:
        _, i_from, i_to = np.intersect1d(
            keys(from_idx), keys(to_idx), assume_unique=True, return_indices=True
        )
        rows_from, rows_to = from_idx[i_from], to_idx[i_to]
    score = valid["score"].to_numpy(dtype=float)
    group_code, levels = None, []
    if group_col is not None:
        if "_group" not in valid.columns:
            raise InputError(
                f"the scores were prepared without the group column '{group_col}'",
                fix=f"call valid_scores(scores, group_col={group_col!r}) first",
            )
        group_code = valid["_group"].to_numpy()[rows_from]
        levels = list(valid.attrs.get("group_levels", []))
    return Pairs(
        from_wave=str(from_wave),
        to_wave=str(to_wave),
        scales=scale_table(valid),
        scale_code=codes[rows_from].astype(np.int64),  # multiplied into cells downstream
        ids=partial(valid["participant_id"].array.take, rows_from),
        pre=score[rows_from],
        post=score[rows_to],
        group_code=group_code,
        group_levels=levels,
        rows=(rows_from, rows_to),
    )


def group_levels(valid: pd.DataFrame, group_col: str) -> list[str]:
    """Non-missing levels of a group column, as text, in R's ``factor()`` order.

    Raises :class:`AnalysisError` when the column has fewer than two levels, since a
    comparison by group then has nothing to compare.
    """
    levels = valid.attrs.get("group_levels")
    if levels is None:
        distinct = sorted({str(v) for v in valid[group_col].dropna().unique()})
        levels = [distinct[i] for i in natural_order(distinct)]
    if len(levels) < 2:
        raise AnalysisError(
            f"group column '{group_col}' has {len(levels)} level(s)"
            + (f" ({levels[0]!r})" if levels else "")
            + "; a comparison by group needs at least two",
            where=f"column '{group_col}' of the scores",
            fix="drop --group-by (group_by:) for a whole-sample analysis, or check the column's "
            "values",
        )
    return levels
