"""Attrition: do the participants who stayed differ at baseline from those who left?

For each later wave and scale, the baseline scores of *completers* (a valid score at the
later wave too) are compared with those of *dropouts* (none): Welch t (R ``t.test``) and
Hedges' g with the pooled SD (R ``effectsize::hedges_g``, its default, with the
noncentral-t interval solved exactly). Differences are completers − dropouts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import welch_t
from .unlinked import hedges_g


def _fields(completers: np.ndarray, dropouts: np.ndarray) -> dict[str, Any]:
    n_c, n_d = len(completers), len(dropouts)
    var_c = float(np.var(completers, ddof=1)) if n_c > 1 else math.nan
    var_d = float(np.var(dropouts, ddof=1)) if n_d > 1 else math.nan
    mean_c = float(np.mean(completers)) if n_c else math.nan
    mean_d = float(np.mean(dropouts)) if n_d else math.nan
    welch = welch_t(mean_c, var_c, n_c, mean_d, var_d, n_d)
    g, lo, hi = hedges_g(completers, dropouts, pooled_sd=True)
    note = None
    if n_d == 0:
        note = "no dropouts: everyone with a baseline score has this wave"
    elif n_c < 2 or n_d < 2:
        note = f"fewer than 2 completers or dropouts ({n_c} / {n_d}): test undefined"
    elif not math.isfinite(welch["t"]):
        note = "no variance in baseline scores: test undefined"
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
    valid: pd.DataFrame,
    baseline_wave: str,
    later_waves: Sequence[str],
    group_col: str | None = None,
    min_cell: int = 5,
) -> list[dict[str, Any]]:
    """Attrition records for every later wave × scale, whole sample and per group.

    Parameters
    ----------
    valid : DataFrame
        Valid scores (:func:`stigma_outcomes.comparison.pairing.valid_scores`).
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
    >>> df = pd.DataFrame({"participant_id": list("abcdab"), "wave": ["pre"] * 4 + ["post"] * 2,
    ...     "instrument": "x", "scale": "t", "score": [1.0, 2, 3, 5, 1, 2]})
    >>> rec = attrition_records(df, "pre", ["post"])[0]
    >>> rec["n_completers"], rec["n_dropouts"], rec["mean_difference"]
    (2, 2, -2.5)
    """
    base = valid[valid["wave"] == str(baseline_wave)]
    out: list[dict[str, Any]] = []
    for wave in later_waves:
        later = valid[valid["wave"] == str(wave)]
        keys = pd.MultiIndex.from_frame(later[["participant_id", "instrument", "scale"]])
        here = pd.MultiIndex.from_frame(base[["participant_id", "instrument", "scale"]])
        completer = here.isin(keys)
        frame = base.assign(_completer=completer)
        # counts at the later wave (everyone scored there, with or without a baseline)
        n_at_wave: dict[tuple[str, str, str | None], int] = {
            (str(i), str(s), None): int(n)
            for (i, s), n in later.groupby(["instrument", "scale"]).size().items()
        }
        if group_col is not None:
            grouped = later[later[group_col].notna()]
            sizes = grouped.groupby(
                [grouped["instrument"], grouped["scale"], grouped[group_col].astype(str)]
            ).size()
            n_at_wave.update({(str(i), str(s), str(g)): int(n) for (i, s, g), n in sizes.items()})
        groupings: list[tuple[str | None, pd.DataFrame]] = [(None, frame)]
        if group_col is not None:
            with_group = frame[frame[group_col].notna()]
            for level, sub in with_group.groupby(with_group[group_col].astype(str), sort=True):
                groupings.append((str(level), sub))
        for group, sub in groupings:
            for (instrument, scale), cell in sub.groupby(["instrument", "scale"], sort=True):
                flag = cell["_completer"].to_numpy(dtype=bool)
                scores = cell["score"].to_numpy(dtype=float)
                rec: dict[str, Any] = {
                    "design": "linked",
                    "instrument": str(instrument),
                    "scale": str(scale),
                    "group": group,
                    "from_wave": str(baseline_wave),
                    "wave": str(wave),
                    "n_at_wave": int(n_at_wave.get((instrument, scale, group), 0)),
                }
                rec.update(_fields(scores[flag], scores[~flag]))
                smallest = min(rec["n_completers"], rec["n_dropouts"])
                rec["suppress"] = bool(0 < smallest < min_cell)
                out.append(rec)
    return out


def wave_counts(
    valid: pd.DataFrame, waves: Sequence[str], group_col: str | None = None
) -> list[dict[str, Any]]:
    """Number of participants with a valid score per scale and wave (and group).

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": list("abc"), "wave": ["pre", "pre", "post"],
    ...     "instrument": "x", "scale": "t", "score": [1.0, 2, 3]})
    >>> [(r["wave"], r["n"]) for r in wave_counts(df, ["pre", "post"])]
    [('pre', 2), ('post', 1)]
    """
    out: list[dict[str, Any]] = []
    sub = valid[valid["wave"].isin([str(w) for w in waves])]
    by = ["instrument", "scale", "wave"]
    counts = sub.groupby(by).size()
    scales = sorted(
        {(str(i), str(s)) for i, s in zip(sub["instrument"], sub["scale"], strict=True)}
    )
    levels: list[str | None] = [None]
    group_counts = None
    if group_col is not None:
        grouped = sub[sub[group_col].notna()]
        keyed = grouped.assign(_g=grouped[group_col].astype(str))
        group_counts = keyed.groupby([*by, "_g"]).size()
        levels += sorted(keyed["_g"].unique())
    for instrument, scale in scales:
        for level in levels:
            for wave in waves:
                if level is None:
                    n = int(counts.get((instrument, scale, str(wave)), 0))
                else:
                    assert group_counts is not None
                    n = int(group_counts.get((instrument, scale, str(wave), level), 0))
                out.append(
                    {"instrument": instrument, "scale": scale, "group": level,
                     "wave": str(wave), "n": n}
                )  # fmt: skip
    return out
