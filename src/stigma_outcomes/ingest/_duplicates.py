"""A participant seen twice in one wave: the duplicate policy, and who was seen only once;
which cells and rows hold an answer (``filled``, ``answered_any``).

Every row set aside here is a ledger row (``duplicate_participant``, action
``row_excluded``), so rows in = rows scored + rows excluded still holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..instruments.schema import Instrument
from ._stacking import category_codes
from .table import ledger_frame

# The policies (DuplicatePolicy) are declared in stigma_outcomes._load_choices.


def filled(series: pd.Series) -> np.ndarray:
    """Which cells hold something: not missing, and text not only spaces.

    Examples
    --------
    >>> filled(pd.Series(["2", None, "  ", "Often"])).tolist()
    [True, False, False, True]
    """
    present = series.notna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype) or not present.any():
        return present
    text = series.astype("string").str.strip().fillna("")
    return present & (text != "").to_numpy(dtype=bool)


def _answered(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if not columns:
        return np.zeros(len(frame), dtype=np.int64)
    total = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        total += filled(frame[column])
    return total


def answered_any(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Which rows hold something in at least one of ``columns``.

    Column by column, each looking only at the rows still without an answer (after the
    first item, usually few), never row by row.

    Examples
    --------
    >>> df = pd.DataFrame({"a": ["1", None, None], "b": [None, " ", "2"]})
    >>> answered_any(df, ["a", "b"]).tolist()
    [True, False, True]
    """
    found = np.zeros(len(frame), dtype=bool)
    open_rows = np.arange(len(frame))
    for column in columns:
        if not len(open_rows):
            break
        series = frame[column]
        if len(open_rows) < len(frame):
            series = series.iloc[open_rows]
        hit = filled(series)
        found[open_rows[hit]] = True
        open_rows = open_rows[~hit]
    return found


def _apply_duplicates(
    frame: pd.DataFrame, instruments: list[Instrument], policy: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys = frame[["participant_id", "wave"]]
    pid_codes, _ = _wide_codes(frame["participant_id"])
    wave_codes, n_waves = _wide_codes(frame["wave"])
    # One code per (ID, wave); a missing one (−1) is a value of its own, as in pandas.
    key = pd.Series((pid_codes + 1) * (n_waves + 1) + (wave_codes + 1))
    dup_any = _repeated(key.to_numpy())
    if not dup_any.any():
        return frame, ledger_frame([])
    if policy == "error":
        first = frame.loc[dup_any].iloc[0]
        count = int(keys.loc[dup_any].drop_duplicates().shape[0])
        raise InputError(
            f"{count} participant(s) appear more than once in the same wave, e.g. "
            f"'{first['participant_id']}' at wave '{first['wave']}'",
            where=f"{first['_file']}, row {first['_row']}",
            fix="remove the extra rows, or use --duplicates keep-last-complete / keep-first",
        )
    item_cols = [f"{i.id}_{item}" for i in instruments for item in i.item_ids]
    order = np.arange(len(frame))
    if policy == "keep-first":
        keep = ~key.duplicated(keep="first").to_numpy()
    else:
        answered = _answered(frame, item_cols)
        complete = answered == len(item_cols)
        # Within each participant × wave: prefer complete rows, then the latest row.
        ranked = np.lexsort((order, complete, key.to_numpy()))
        sorted_keys = key.to_numpy()[ranked]
        last = np.r_[sorted_keys[1:] != sorted_keys[:-1], True]
        best = ranked[last]
        keep = np.zeros(len(frame), dtype=bool)
        keep[best] = True
    dropped = frame.loc[~keep]
    kept_rows = frame.loc[keep, ["participant_id", "wave", "_row"]]
    kept_for = dropped[["participant_id", "wave"]].merge(
        kept_rows, on=["participant_id", "wave"], how="left"
    )["_row"]
    ledger = ledger_frame(
        pd.DataFrame(
            {
                "file": dropped["_file"].to_numpy(),
                "row": dropped["_row"].to_numpy(),
                "participant_id": dropped["participant_id"].to_numpy(),
                "wave": dropped["wave"].to_numpy(),
                "problem": "duplicate_participant",
                "value": [f"kept row {r} ({policy})" for r in kept_for],
                "action": "row_excluded",
            }
        )
    )
    return frame.loc[keep], ledger


def _single_wave_participants(frame: pd.DataFrame) -> pd.DataFrame:
    waves = frame["wave"].unique()
    if len(waves) < 2:
        return ledger_frame([])
    columns = ["_file", "_row", "participant_id", "wave"]  # not the items: only these
    lonely = frame.loc[_one_wave_rows(frame["participant_id"], frame["wave"]), columns]
    if lonely.empty:
        return ledger_frame([])
    return ledger_frame(
        pd.DataFrame(
            {
                "file": lonely["_file"].to_numpy(),
                "row": lonely["_row"].to_numpy(),
                "participant_id": lonely["participant_id"].to_numpy(),
                "wave": lonely["wave"].to_numpy(),
                "problem": "unmatched_participant",
                "action": "scored; seen at this wave only",
            }
        )
    )


def _one_wave_rows(ids: pd.Series, waves: pd.Series) -> np.ndarray:
    """Rows whose participant has exactly one wave (missing waves not counted; rows
    without an ID never): ``groupby(ids)[waves].transform("nunique") == 1``, on codes."""
    pid, n_pid = _wide_codes(ids)
    wave, n_wave = _wide_codes(waves)
    return waves_per_participant(pid, n_pid, wave, n_wave)[pid] == 1


def waves_per_participant(pid: np.ndarray, n_pid: int, wave: np.ndarray, n_wave: int) -> np.ndarray:
    """How many distinct waves each participant code (0 … n_pid − 1) was seen at, and 0
    in a last slot, which code −1 (no ID) reads.

    A participant × wave table of seen flags is summed per participant: linear, with no
    grouping of a million IDs (grouped instead when there are many waves, as repeat
    occasions make).

    Examples
    --------
    >>> waves_per_participant(np.array([0, 0, 1, -1]), 2, np.array([0, 1, 1, 0]), 2).tolist()
    [2, 1, 0]
    """
    width = max(n_wave, 1)
    known = (pid >= 0) & (wave >= 0)
    if n_pid * width > 8 * len(pid) + 1024:
        keys = np.unique(pid[known] * width + wave[known])
        return np.append(np.bincount(keys // width, minlength=n_pid), 0)
    seen = np.zeros(n_pid * width, dtype=bool)
    seen[(pid[known] * width + wave[known])] = True
    return np.append(seen.reshape(n_pid, width).sum(axis=1, dtype=np.int64), 0)


def _wide_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes (−1 missing) as int64, ready to multiply into keys, and their number."""
    codes, coded = category_codes(values)
    return codes.astype(np.int64), len(coded)


def _repeated(key: np.ndarray) -> np.ndarray:
    """``pd.Series(key).duplicated(keep=False)``: counted by value when the keys are
    small codes (none negative, a table not much longer than the keys), else hashed."""
    if len(key) and key.min() >= 0 and key.max() < 8 * len(key) + 1024:
        return np.bincount(key)[key] > 1
    return pd.Series(key).duplicated(keep=False).to_numpy()
