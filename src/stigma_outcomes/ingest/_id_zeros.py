"""Waves kept apart by a spreadsheet: participant IDs that lost their leading zeros.

A spreadsheet stores an ID such as ``007`` as the number 7 unless its column is formatted as
text, so an export saved from it holds ``7`` where another wave's export holds ``007``, and
nobody is paired across the waves. When that is what keeps most participants apart, ingest
stops with one error saying so, and how to pair them (``ignore_id_zeros``), rather than
analyse waves that link no one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ._duplicates import _wide_codes, waves_per_participant
from ._stacking import category_codes
from .binding import without_leading_zeros

IDS_AS_READ = "_ids_as_read"
"""A column of the stacked rows that holds each row's ID as read when the IDs were replaced
by keyed pseudonyms: the check of lost zeros reads it (pseudonyms of ``7`` and ``007`` are
unrelated), and :func:`check_zeros_kept` removes it, so it never leaves ingest."""


def check_zeros_kept(frame: pd.DataFrame) -> pd.DataFrame:
    """Refuse waves whose participants pair only when leading zeros are ignored; return the
    frame without the IDs as read (:data:`IDS_AS_READ`), if it had them.

    Nothing is checked when most participants are seen at two waves or more (the usual
    case costs one pass over the ID and wave codes), nor when ignoring the zeros would make
    two IDs of one wave one (then they are different people). IDs replaced by pseudonyms
    are checked as they were read, and the error then shows none of them.

    Examples
    --------
    >>> frame = pd.DataFrame({"participant_id": ["7", "8", "007", "008"],
    ...                       "wave": ["pre", "pre", "post", "post"],
    ...                       "_file": ["pre.xlsx"] * 2 + ["post.csv"] * 2})
    >>> try:
    ...     check_zeros_kept(frame)
    ... except InputError as error:
    ...     print(error.what.split(":")[0])
    2 participant(s) are paired across waves only when leading zeros are ignored, e.g. \
'7' at pre and '007' at post
    """
    as_read = frame.get(IDS_AS_READ)
    if as_read is not None:
        frame = frame.drop(columns=IDS_AS_READ)
    _check(frame, frame["participant_id"] if as_read is None else as_read, as_read is None)
    return frame


def _check(frame: pd.DataFrame, ids: pd.Series, show: bool) -> None:
    pid, coded = category_codes(ids)
    pid, n_pid = pid.astype(np.int64), len(coded)
    wave, n_wave = _wide_codes(frame["wave"])
    if n_wave < 2 or n_pid == 0:
        return
    linked = int((waves_per_participant(pid, n_pid, wave, n_wave)[:-1] >= 2).sum())
    if 2 * linked >= n_pid:
        return
    texts = pd.Series(np.asarray(coded, dtype=object)).astype("str")
    folded = without_leading_zeros(texts)
    changed = (folded != texts).to_numpy()
    if not changed.any():
        return
    same, n_same = pd.factorize(folded)[0].astype(np.int64), int(folded.nunique())
    merged = np.where(pid >= 0, same[np.maximum(pid, 0)], -1)
    known = (pid >= 0) & (wave >= 0)
    raw_pairs = np.unique(pid[known] * n_wave + wave[known])
    if len(np.unique(merged[known] * n_wave + wave[known])) < len(raw_pairs):
        return  # two IDs of one wave would become one: they are not the same person
    after = waves_per_participant(merged, n_same, wave, n_wave)[:-1]
    gained = int((after >= 2).sum()) - linked
    if gained < max(2, linked):
        return
    raise _split_by_zeros(frame, ids if show else None, pid, merged, after, changed, gained)


def _split_by_zeros(
    frame: pd.DataFrame,
    shown: pd.Series | None,
    pid: np.ndarray,
    merged: np.ndarray,
    after: np.ndarray,
    changed: np.ndarray,
    gained: int,
) -> InputError:
    """The error, with one participant's two spellings as the example (none when the IDs
    were to be replaced by pseudonyms: ``shown`` is ``None``)."""
    waves = frame["wave"].astype(str).to_numpy()
    # A participant linked only once the zeros go: one row whose ID lost them, one that kept
    # them (or never had any) at another wave.
    joined = (merged >= 0) & (after[np.maximum(merged, 0)] >= 2)
    lost = np.flatnonzero(joined & ~changed[np.maximum(pid, 0)])
    kept = np.flatnonzero(joined & changed[np.maximum(pid, 0)])
    example = ""
    if shown is not None and len(lost) and len(kept):
        ids = shown.astype(str).to_numpy()
        first = lost[0]
        other = kept[(merged[kept] == merged[first]) & (waves[kept] != waves[first])]
        if len(other):
            second = other[0]
            example = (
                f", e.g. '{ids[first]}' at {waves[first]} and '{ids[second]}' at {waves[second]}"
            )
    files = ", ".join(dict.fromkeys(frame["_file"].astype(str))) if "_file" in frame else None
    return InputError(
        f"{gained} participant(s) are paired across waves only when leading zeros are "
        f"ignored{example}: a spreadsheet drops the zeros of an ID stored as a number",
        where=files,
        fix="set ignore_id_zeros: true in the evaluation file (--ignore-id-zeros for "
        "score), or format the ID column as text in the spreadsheet and export it again",
    )
