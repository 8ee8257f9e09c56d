"""Attrition: do the participants who stayed differ at baseline from those who left?

For each later wave and scale, the baseline scores of *completers* (a valid score at the
later wave too) are compared with those of *dropouts* (none): Welch t (R ``t.test``) and
Hedges' g with the pooled SD (R ``effectsize::hedges_g``, its default, with the
noncentral-t interval solved exactly). Differences are completers − dropouts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._common import welch_t
from ._score_codes import code_counts, narrow_codes, stable_order
from .pairing import DIRECT_LOOKUP_LIMIT, scale_table, wave_mask
from .unlinked import hedges_g_of

if TYPE_CHECKING:
    from .table import ScoreTable


def _fields(completers: np.ndarray, dropouts: np.ndarray) -> dict[str, Any]:
    n_c, n_d = len(completers), len(dropouts)
    var_c = float(np.var(completers, ddof=1)) if n_c > 1 else math.nan
    var_d = float(np.var(dropouts, ddof=1)) if n_d > 1 else math.nan
    mean_c = float(np.mean(completers)) if n_c else math.nan
    mean_d = float(np.mean(dropouts)) if n_d else math.nan
    welch = welch_t(mean_c, var_c, n_c, mean_d, var_d, n_d)
    g, lo, hi = hedges_g_of(n_c, n_d, mean_c, var_c, mean_d, var_d, pooled_sd=True)
    note = None
    if n_d == 0:
        note = "no dropouts: everyone with a baseline score has this wave"
    elif n_c < 2 or n_d < 2:
        note = f"fewer than 2 completers or dropouts ({n_c} / {n_d}): test undefined"
    elif not math.isfinite(welch["t"]):
        note = "baseline scores do not vary (SD 0 up to rounding): test undefined"
    return {
        "n_baseline": n_c + n_d,
        "n_completers": n_c,
        "n_dropouts": n_d,
        "prop_retained": n_c / (n_c + n_d) if n_c + n_d else math.nan,
        "mean_completers": mean_c,
        "sd_completers": math.sqrt(var_c),
        "mean_dropouts": mean_d,
        "sd_dropouts": math.sqrt(var_d),
        "mean_difference": welch["diff"],
        "mean_difference_ci_low": welch["ci_low"],
        "mean_difference_ci_high": welch["ci_high"],
        "t": welch["t"],
        "df": welch["df"],
        "p": welch["p"],
        "hedges_g": g,
        "hedges_g_ci_low": lo,
        "hedges_g_ci_high": hi,
        "note": note,
    }


def attrition_records(
    valid: pd.DataFrame | ScoreTable,
    baseline_wave: str,
    later_waves: Sequence[str],
    group_col: str | None = None,
    min_cell: int = 5,
) -> list[dict[str, Any]]:
    """Attrition records for every later wave × scale, whole sample and per group; none for
    a scale nobody has a score on at that wave (not asked there: nobody dropped out of it).

    Parameters
    ----------
    valid : ScoreTable or DataFrame
        The score table (its grouping column is used when ``group_col`` is not given), or
        valid scores (:func:`stigma_outcomes.comparison.pairing.valid_scores`).
    baseline_wave : str
        The wave whose scores are compared.
    later_waves : sequence of str
        Each wave a participant may have missed.
    group_col : str, optional
        Also compute per level of this column (its value at baseline).
    min_cell : int
        Records with fewer completers or dropouts than this (but more than zero) are
        flagged ``suppress: true``.

    Examples
    --------
    >>> from stigma_outcomes.comparison.pairing import valid_scores
    >>> df = pd.DataFrame({"participant_id": list("abcdab"), "wave": ["pre"] * 4 + ["post"] * 2,
    ...     "instrument": "x", "scale": "t", "score": [1.0, 2, 3, 5, 1, 2], "status": "ok"})
    >>> rec = attrition_records(valid_scores(df), "pre", ["post"])[0]
    >>> rec["n_completers"], rec["n_dropouts"], rec["mean_difference"]
    (2, 2, -2.5)
    """
    from .table import ScoreTable

    if isinstance(valid, ScoreTable):
        group_col = group_col if group_col is not None else valid.group_by
        valid = valid.coded
    table = scale_table(valid)
    n_pid = int(valid["_pid"].max()) + 1 if len(valid) else 1
    levels: list[str] = list(valid.attrs.get("group_levels", [])) if group_col else []
    scale_all = valid["_scale"].to_numpy()  # narrow: widened before it is multiplied
    pid_all = valid["_pid"].to_numpy()
    group_all = _group_codes(valid, group_col)

    def keys(rows: np.ndarray) -> np.ndarray:  # (scale, participant) of some rows only
        return scale_all[rows].astype(np.int64) * n_pid + pid_all[rows]

    at_base = np.flatnonzero(wave_mask(valid, baseline_wave))
    base_key = keys(at_base)
    base_group = group_all[at_base]
    base_scale = scale_all[at_base]
    base_score = valid["score"].to_numpy(dtype=float)[at_base]
    n_levels = len(levels)
    cells = _cells(base_scale, base_group, n_levels)
    out: list[dict[str, Any]] = []
    for wave in later_waves:
        at_later = np.flatnonzero(wave_mask(valid, wave))
        completer = _present_in(base_key, keys(at_later), (len(table) or 1) * n_pid)
        later_scale, later_group = scale_all[at_later].astype(np.int64), group_all[at_later]
        n_whole = np.bincount(later_scale, minlength=len(table))
        has = later_group >= 0
        n_group = np.bincount(
            later_scale[has] * max(n_levels, 1) + later_group[has],
            minlength=len(table) * max(n_levels, 1),
        )
        for (code, gcode), rows in cells:
            if n_whole[code] == 0:
                # Nobody has a score on this scale at this wave (it was not asked there, or
                # no one answered enough): no one dropped out of it, and there is no one to
                # compare with.
                continue
            at_wave = n_whole[code] if gcode < 0 else n_group[code * n_levels + gcode]
            flag = completer[rows]
            scores = base_score[rows]
            group = levels[gcode] if gcode >= 0 else None
            rec: dict[str, Any] = {
                "design": "linked",
                "instrument": str(table.at[code, "instrument"]),
                "scale": str(table.at[code, "scale"]),
                "group": group,
                "from_wave": str(baseline_wave),
                "wave": str(wave),
                "n_at_wave": int(at_wave),
            }
            rec.update(_fields(scores[flag], scores[~flag]))
            # A small side, or a small group with nobody on the other side (3 completers
            # and 0 dropouts rest on 3 people).
            sides = (rec["n_completers"], rec["n_dropouts"])
            rec["suppress"] = bool(any(0 < n < min_cell for n in sides) or sum(sides) < min_cell)
            out.append(rec)
    return out


def _present_in(keys: np.ndarray, others: np.ndarray, span: int) -> np.ndarray:
    """``np.isin(keys, others)`` for keys in ``[0, span)``: a lookup table when it is small."""
    if span > DIRECT_LOOKUP_LIMIT:
        return np.isin(keys, others)
    seen = np.zeros(span, dtype=bool)
    seen[others] = True
    return seen[keys]


def _group_codes(valid: pd.DataFrame, group_col: str | None) -> np.ndarray:
    """Index of each row's group level (−1 for missing or no grouping)."""
    if group_col is None or "_group" not in valid.columns:
        return np.full(len(valid), -1, dtype=np.int64)
    return valid["_group"].to_numpy()


def _cells(
    scale: np.ndarray, group: np.ndarray, n_levels: int
) -> list[tuple[tuple[int, int], np.ndarray]]:
    """(scale code, group code) cells and their rows: each scale's whole sample (−1), then
    each of its groups (rows in their original order; an empty group has none)."""
    out: list[tuple[tuple[int, int], np.ndarray]] = []
    order = stable_order(scale)
    per_scale = code_counts(scale, int(scale.max()) + 1 if len(scale) else 0)
    codes = np.flatnonzero(per_scale)
    stops = np.cumsum(per_scale)[codes]
    starts = stops - per_scale[codes]
    for code, start, stop in zip(codes, starts, stops, strict=True):
        rows = order[start:stop]
        out.append(((int(code), -1), rows))
        if n_levels:
            in_scale = group[rows]
            out.extend(((int(code), g), rows[in_scale == g]) for g in range(n_levels))
    return out


def wave_counts(
    valid: pd.DataFrame, waves: Sequence[str], group_col: str | None = None
) -> list[dict[str, Any]]:
    """Number of participants with a valid score per scale and wave (and group).

    Examples
    --------
    >>> from stigma_outcomes.comparison.pairing import valid_scores
    >>> df = pd.DataFrame({"participant_id": list("abc"), "wave": ["pre", "pre", "post"],
    ...     "instrument": "x", "scale": "t", "score": [1.0, 2, 3], "status": "ok"})
    >>> [(r["wave"], r["n"]) for r in wave_counts(valid_scores(df), ["pre", "post"])]
    [('pre', 2), ('post', 1)]
    """
    table = scale_table(valid)
    levels: list[str] = list(valid.attrs.get("group_levels", [])) if group_col else []
    names = valid.attrs.get("waves")
    if names is not None and "_wave" in valid.columns:
        # each wave code of the table looked up once (a wave listed twice: its last place)
        lookup = np.full(len(names) + 1, -1, dtype=np.int64)
        for w, wave in enumerate(waves):
            if str(wave) in names:
                lookup[names.index(str(wave))] = w
        wave_code = narrow_codes(lookup)[valid["_wave"].to_numpy()]
    else:
        wave_code = np.full(len(valid), -1, dtype=np.int64)
        for w, wave in enumerate(waves):
            wave_code[wave_mask(valid, wave)] = w
    n_w, n_g = len(waves), len(levels)
    # one count per scale x (no group, each level) x wave: whole numbers, added up per scale
    width = n_g + 1
    key = valid["_scale"].to_numpy().astype(np.int64) * width
    if n_g:
        key += _group_codes(valid, group_col)  # −1 (none) to n_g − 1, added in place
        key += 1
    key *= n_w
    key += wave_code
    keep = wave_code >= 0
    counts = np.bincount(key if keep.all() else key[keep], minlength=len(table) * width * n_w)
    del key, keep
    counts = counts.reshape(len(table), width, n_w)
    whole = counts.sum(axis=1).ravel()
    per_group = counts[:, 1:, :].ravel()
    out: list[dict[str, Any]] = []
    for code in range(len(table)):
        instrument, scale_id = str(table.at[code, "instrument"]), str(table.at[code, "scale"])
        for g in range(-1, n_g):
            for w, wave in enumerate(waves):
                n = whole[code * n_w + w] if g < 0 else per_group[(code * n_g + g) * n_w + w]
                out.append(
                    {"instrument": instrument, "scale": scale_id,
                     "group": levels[g] if g >= 0 else None, "wave": str(wave), "n": int(n)}
                )  # fmt: skip
    return out
