"""Integer codes of the score table's key columns, and its one-score-per-cell check.

Split from :mod:`.pairing`, which builds the table (:func:`~.pairing.valid_scores`) and pairs
it: participant, scale, wave and group become small integers once, so nothing downstream
hashes text again, and a participant with two scores for one scale and wave is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._codes import appearance_codes, text_codes

DIRECT_LOOKUP_LIMIT = 64_000_000
"""Largest scales × participants for matching through a lookup table (else by sorting)."""


_CHUNK = 1 << 20
_FEW_LABELS = 16


def code_counts(codes: np.ndarray, n_labels: int) -> np.ndarray:
    """``np.bincount`` of the codes ≥ 0 (−1, missing, not counted), ``n_labels`` long.

    Narrow codes are counted a million at a time: bincount widens what it counts to 64-bit
    integers, and a block of them is reused instead of one as long as the column. One-byte
    codes of a few labels (waves, scales, status, arms) are counted label by label, one
    comparison each, with no widening at all.
    """
    if codes.dtype.itemsize == 1 and n_labels <= _FEW_LABELS:
        return np.array([np.count_nonzero(codes == j) for j in range(n_labels)], dtype=np.intp)
    if codes.dtype == np.intp or len(codes) <= _CHUNK:
        present = codes if not len(codes) or codes.min() >= 0 else codes[codes >= 0]
        return np.bincount(present, minlength=n_labels)
    out = np.zeros(n_labels, dtype=np.int64)
    for start in range(0, len(codes), _CHUNK):
        out += code_counts(codes[start : start + _CHUNK], n_labels)
    return out


def drop_unused(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Drop labels no row uses (a categorical's unused categories), keeping their order."""
    used = code_counts(codes, len(labels)) > 0
    if used.all():
        return codes, labels
    remap = np.append(np.cumsum(used) - 1, -1).astype(codes.dtype)  # fewer labels: fits
    return remap[codes], [label for label, u in zip(labels, used, strict=True) if u]


def add_codes(
    out: dict[str, Any],
    group_col: str | None,
    known: dict[str, tuple[np.ndarray, list[str]]] | None = None,
) -> dict[str, Any]:
    """Integer codes, computed once, so nothing downstream hashes text again.

    Adds to the columns ``out``: ``_pid`` (participant, in order of appearance), ``_scale``
    (index into the sorted scale table), ``_wave`` (index into the sorted wave names) and,
    with a group column, ``_group`` (index into its sorted levels as text, −1 when
    missing). Returns the lookup lists, kept in the frame's ``attrs``. ``known`` holds codes
    already worked out by :func:`valid_scores` (sorted labels, except the participant's).
    """
    known = known or {}
    attrs: dict[str, Any] = {}

    def codes_of(col: str, sort: bool) -> tuple[np.ndarray, list[str]]:
        if col in known:
            return known[col]
        codes, labels = pd.factorize(out[col], sort=sort)
        return codes, [str(v) for v in labels]

    pid = codes_of("participant_id", False)[0]
    if "participant_id" in known:
        pid = appearance_codes(pid)
    inst, inst_names = codes_of("instrument", True)
    scale, scale_names = codes_of("scale", True)
    wave, wave_names = codes_of("wave", True)
    # (instrument, scale) in a type that holds every combination, built in place
    n_combined = max(len(inst_names), 1) * max(len(scale_names), 1)
    combined = inst.astype(narrow_codes(np.array([n_combined])).dtype)
    combined *= max(len(scale_names), 1)
    combined += scale
    present = np.flatnonzero(code_counts(combined, n_combined))  # sorted (instrument, scale)
    # each combination's place among those present: a lookup, not a search per row, and
    # narrow like the other codes (every use that multiplies it widens it first)
    place = np.full(n_combined, -1, dtype=np.int64)
    place[present] = np.arange(len(present))
    out["_pid"] = narrow_codes(pid)
    out["_scale"] = narrow_codes(place)[combined]
    del combined
    out["_wave"] = narrow_codes(wave)
    n_scales = max(len(scale_names), 1)
    attrs["scales"] = [
        (str(inst_names[c // n_scales]), str(scale_names[c % n_scales])) for c in present
    ]
    attrs["waves"] = [str(w) for w in wave_names]
    if group_col is not None:
        values = out[group_col]
        if not isinstance(values, pd.Series):  # a key column, kept as a bare Categorical
            values = pd.Series(values, copy=False)
        group, levels = drop_unused(*text_codes(values, sort=True, narrow=True))
        out["_group"] = narrow_codes(group)
        attrs["group_levels"] = [str(v) for v in levels]
    return attrs


def stable_order(codes: np.ndarray) -> np.ndarray:
    """``np.argsort(codes, kind="stable")`` for non-negative codes, block by block.

    A score table comes scale by scale (or wave by wave): its codes run in long blocks, and
    the stable order is each block's rows, the blocks taken by code (those of one code in
    the order they come), with no sort of the rows. Codes in many short runs are sorted
    (narrow codes by radix sort); either way the order is the stable sort's.

    Examples
    --------
    >>> stable_order(np.array([2, 2, 0, 0, 2, 1])).tolist()
    [2, 3, 5, 0, 1, 4]
    """
    codes = np.asarray(codes)
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    if len(change) > 4096:
        top = int(codes.max())
        narrow = codes.astype(np.int16) if 0 <= top <= np.iinfo(np.int16).max else codes
        return np.argsort(narrow, kind="stable")
    starts = np.r_[0, change]
    stops = np.r_[change, n]
    runs = np.argsort(codes[starts], kind="stable")
    return np.concatenate([np.arange(starts[i], stops[i], dtype=np.intp) for i in runs])


def narrow_codes(codes: np.ndarray) -> np.ndarray:
    """Codes (−1 and up) in the smallest signed integer type that holds them.

    ``_pid``, ``_wave`` and ``_group`` are compared, counted and used as indices, never
    multiplied on their own, so at a million rows they need not take 8 bytes each. (The
    scale code, multiplied by the number of participants into keys, stays int64.)
    """
    top = int(codes.max()) if len(codes) else 0
    for kind in (np.int8, np.int16, np.int32):
        if top <= np.iinfo(kind).max:
            return np.asarray(codes, dtype=kind)
    return np.asarray(codes, dtype=np.int64)


def refuse_duplicates(out: pd.DataFrame) -> None:
    n_pid = int(out["_pid"].max()) + 1 if len(out) else 1
    n_wave = int(out["_wave"].max()) + 1 if len(out) else 1
    span = (int(out["_scale"].max()) + 1) * n_wave * n_pid if len(out) else 0
    # (scale, wave, participant) in the narrowest type that holds every key, made in place
    key = out["_scale"].to_numpy().astype(np.int32 if span < 2**31 else np.int64)
    key *= n_wave
    key += out["_wave"].to_numpy()
    key *= n_pid
    key += out["_pid"].to_numpy()
    if span <= DIRECT_LOOKUP_LIMIT:
        # dense keys: each marked in a table of one byte a key (no sort, no count of 8
        # bytes a key); the rows beyond the distinct keys are the duplicates
        seen = np.zeros(span, dtype=bool)
        seen[key] = True
        extra = len(key) - int(np.count_nonzero(seen))
        del seen
        row = -1
        if extra:  # the error path: which key comes twice
            counts = np.bincount(key, minlength=span)
            row = int(np.argmax(key == np.argmax(counts > 1)))
    else:
        order = np.argsort(key, kind="stable")
        repeated = np.flatnonzero(key[order][1:] == key[order][:-1])
        extra = len(repeated)
        row = int(order[repeated[0]]) if extra else -1
    if extra:
        first = out.iloc[row]
        raise InputError(
            f"participant '{first['participant_id']}' has {extra + 1} or more "
            "duplicated scores (same wave, instrument and scale)",
            where=f"wave '{first['wave']}', {first['instrument']}.{first['scale']}",
            fix="resolve duplicates when scoring (duplicate policy) so each participant has "
            "one score per scale and wave",
        )
