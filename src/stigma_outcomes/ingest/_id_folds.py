"""Waves kept apart by how the IDs are spelt: leading zeros lost, or letter case changed.

A spreadsheet stores an ID such as ``007`` as the number 7 unless its column is formatted as
text, so an export saved from it holds ``7`` where another wave's export holds ``007``; a
survey's export may hold ``AB12`` where another wave's holds ``ab12``. Either way nobody is
paired across the waves. When a fold of the IDs (:data:`ZEROS`, :data:`CASE`) is what would
pair most participants, ingest stops with one error saying so, and how to pair them
(``ignore_id_zeros``, ``casefold_ids``), rather than analyse waves that link no one. One test,
:func:`check_ids_kept`, for every fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ._duplicates import _wide_codes, waves_per_participant
from ._stacking import category_codes
from .binding import _casefold, without_leading_zeros

IDS_AS_READ = "_ids_as_read"
"""A column of the stacked rows that holds each row's ID as read when the IDs were replaced
by keyed pseudonyms: the checks of the folds read it (pseudonyms of ``7`` and ``007``, or of
``ab12`` and ``AB12``, are unrelated), and :func:`check_ids_kept` removes it, so it never
leaves ingest."""


@dataclass(frozen=True)
class IdFold:
    """A way two spellings of one ID differ, and the setting that makes them one."""

    fold: Callable[[pd.Series], pd.Series]
    """The IDs' texts folded (a text the fold leaves alone comes back equal)."""
    ignored: str
    """What is ignored when the fold pairs them (``"leading zeros are ignored"``)."""
    cause: str
    """Why the spellings differ, as the error says it."""
    fix: str
    """The way out, as the error says it."""


ZEROS = IdFold(
    without_leading_zeros,
    "leading zeros are ignored",
    "a spreadsheet drops the zeros of an ID stored as a number",
    "set ignore_id_zeros: true in the evaluation file (--ignore-id-zeros for score), or "
    "format the ID column as text in the spreadsheet and export it again",
)
"""All-digit IDs without their leading zeros (``ignore_id_zeros``)."""

CASE = IdFold(
    _casefold,
    "letter case is ignored",
    "the exports spell the same IDs in different letter case",
    "set casefold_ids: true in the evaluation file (--casefold-ids for score), or correct "
    "the IDs' case in the exports",
)
"""IDs with their letter case folded (``casefold_ids``)."""


def check_ids_kept(frame: pd.DataFrame, folds: Sequence[IdFold] = (ZEROS,)) -> pd.DataFrame:
    """Refuse waves whose participants pair only once one of ``folds`` is applied to their
    IDs; return the frame without the IDs as read (:data:`IDS_AS_READ`), if it had them
    (also when ``folds`` is empty).

    Nothing is checked when most participants are seen at two waves or more (the usual
    case costs one pass over the ID and wave codes), nor when a fold would make two IDs of
    one wave one (then they are different people). Each fold is tested on its own, in the
    order given, on the IDs' categories. IDs replaced by pseudonyms are checked as they were
    read, and the error then shows none of them.

    Examples
    --------
    >>> frame = pd.DataFrame({"participant_id": ["7", "8", "007", "008"],
    ...                       "wave": ["pre", "pre", "post", "post"],
    ...                       "_file": ["pre.xlsx"] * 2 + ["post.csv"] * 2})
    >>> try:
    ...     check_ids_kept(frame)
    ... except InputError as error:
    ...     print(error.what.split(":")[0])
    2 participant(s) are paired across waves only when leading zeros are ignored, e.g. \
'7' at pre and '007' at post
    >>> frame["participant_id"] = ["ab1", "ab2", "AB1", "AB2"]
    >>> try:
    ...     check_ids_kept(frame, [ZEROS, CASE])
    ... except InputError as error:
    ...     print(error.what.split(":")[0])
    2 participant(s) are paired across waves only when letter case is ignored, e.g. \
'ab1' at pre and 'AB1' at post
    """
    as_read = frame.get(IDS_AS_READ)
    if as_read is not None:
        frame = frame.drop(columns=IDS_AS_READ)
    if folds:
        ids = frame["participant_id"] if as_read is None else as_read
        _check(frame, ids, as_read is None, folds)
    return frame


def check_zeros_kept(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`check_ids_kept` for lost leading zeros alone (as ``init`` drafts them)."""
    return check_ids_kept(frame, (ZEROS,))


def _check(frame: pd.DataFrame, ids: pd.Series, show: bool, folds: Sequence[IdFold]) -> None:
    pid, coded = category_codes(ids)
    pid, n_pid = pid.astype(np.int64), len(coded)
    wave, n_wave = _wide_codes(frame["wave"])
    if n_wave < 2 or n_pid == 0:
        return
    linked = int((waves_per_participant(pid, n_pid, wave, n_wave)[:-1] >= 2).sum())
    if 2 * linked >= n_pid:
        return
    texts = pd.Series(np.asarray(coded, dtype=object)).astype("str")
    known = (pid >= 0) & (wave >= 0)
    raw_pairs = len(np.unique(pid[known] * n_wave + wave[known]))
    for way in folds:
        folded = way.fold(texts)
        changed = (folded != texts).to_numpy()
        if not changed.any():
            continue
        same, n_same = pd.factorize(folded)[0].astype(np.int64), int(folded.nunique())
        merged = np.where(pid >= 0, same[np.maximum(pid, 0)], -1)
        if len(np.unique(merged[known] * n_wave + wave[known])) < raw_pairs:
            continue  # two IDs of one wave would become one: they are not the same person
        after = waves_per_participant(merged, n_same, wave, n_wave)[:-1]
        gained = int((after >= 2).sum()) - linked
        if gained < max(2, linked):
            continue
        raise _split(frame, ids if show else None, pid, merged, after, changed, gained, way)


def _split(
    frame: pd.DataFrame,
    shown: pd.Series | None,
    pid: np.ndarray,
    merged: np.ndarray,
    after: np.ndarray,
    changed: np.ndarray,
    gained: int,
    way: IdFold,
) -> InputError:
    """The error, with one participant's two spellings as the example (none when the IDs
    were to be replaced by pseudonyms: ``shown`` is ``None``)."""
    waves = frame["wave"].astype(str).to_numpy()
    # A participant linked only once the IDs are folded: one row whose ID the fold leaves
    # alone (lost its zeros, or is lower case; else any, as with 'AB12' and 'Ab12'), one
    # spelt otherwise at another wave.
    joined = (merged >= 0) & (after[np.maximum(merged, 0)] >= 2)
    alone = np.flatnonzero(joined & ~changed[np.maximum(pid, 0)])
    rows = alone if len(alone) else np.flatnonzero(joined)
    example = ""
    if shown is not None and len(rows):
        ids = shown.astype(str).to_numpy()
        first = rows[0]
        other = np.flatnonzero(
            joined & (merged == merged[first]) & (waves != waves[first]) & (pid != pid[first])
        )
        if len(other):
            second = other[0]
            example = (
                f", e.g. '{ids[first]}' at {waves[first]} and '{ids[second]}' at {waves[second]}"
            )
    files = ", ".join(dict.fromkeys(frame["_file"].astype(str))) if "_file" in frame else None
    return InputError(
        f"{gained} participant(s) are paired across waves only when {way.ignored}"
        f"{example}: {way.cause}",
        where=files,
        fix=way.fix,
    )
