"""Paired (linked) pre/post statistics for every analysis cell, vectorised over participants.

A *cell* is one instrument × scale × group (or the whole sample) for one contrast. All
per-participant work (means, SDs, ranks of the differences, counts) is done in one pass of
numpy reductions over integer cell codes; only the per-cell finishing steps (p values, the
noncentral-t interval) run once per cell.

Conventions, all matching R:

* change = post − pre; ``mean_change`` and its 95% interval are R
  ``t.test(post, pre, paired = TRUE)``.
* ``wilcoxon_v`` is the sum of the ranks of the positive differences after dropping zero
  differences; ``p_wilcoxon`` is R ``wilcox.test(post, pre, paired = TRUE)`` with its
  defaults: exact when fewer than 50 non-zero differences and no ties or zeros, otherwise the
  normal approximation with continuity and tie correction. Like R, the differences are ranked
  exactly as computed in floating point, without rounding them first (so 0.3 − 0.1 and 0.2
  are *not* tied if their binary values differ).
* ``rank_biserial`` is the matched-pairs rank-biserial correlation of the differences (zeros
  dropped), ``2V / (n(n + 1)/2) − 1`` as ``effectsize::rank_biserial(post, pre,
  paired = TRUE)``; positive when scores rose.
* ``d_z`` = mean change / SD of changes, with a 95% interval from the noncentral t
  distribution solved exactly by root finding; ``d_av`` = mean change / mean of the two SDs
  and ``g_av`` = ``d_av · J(n − 1)``.
* ``prop_improved`` counts changes in the improving direction (``improvement_sign``) with a
  Wilson 95% interval (R ``prop.test(correct = FALSE)``).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ._common import (
    essentially_constant,
    finite_or_nan,
    hedges_j,
    ncp_t_interval,
    normal_two_sided,
    wilson_interval,
)
from ._paired_moments import _merged_moments, _moments, _without_sums

CONSTANT_CHANGE_NOTE = (
    "every pair changed by the same amount (the SD of change is 0 up to rounding): t, p and "
    "d_z are undefined, as R t.test refuses 'data are essentially constant'; this record is "
    "left out of the Holm/BH family"
)

EXACT_LIMIT = 50
"""R's default: exact signed-rank p below this many non-zero differences (without ties)."""


@lru_cache(maxsize=64)
def _signrank_counts(n: int) -> np.ndarray:
    """Number of subsets of {1..n} summing to each k (exact in float64 for n < 50)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    top = 0
    for i in range(1, n + 1):
        counts[i : top + i + 1] += counts[: top + 1].copy()
        top += i
    return counts


def signrank_exact_p(v: float, n: int) -> float:
    """Two-sided exact p of the signed-rank statistic ``v`` with ``n`` differences (as R).

    Examples
    --------
    >>> round(signrank_exact_p(3, 10), 6)
    0.009766
    """
    counts = _signrank_counts(n)
    total = 2.0**n
    cdf = np.cumsum(counts) / total
    k = round(v)
    tail = (1.0 - cdf[k - 1] if k >= 1 else 1.0) if v > n * (n + 1) / 4 else cdf[k]
    return float(min(1.0, 2.0 * tail))


def _ranks_within_cells(cell: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks of ``values`` within each cell, and each cell's Σ(t³ − t) over ties.

    Returns ranks aligned with the input order and the tie term per cell code.
    """
    size = len(values)
    n_cells = int(cell.max()) + 1 if size else 0
    if size == 0:
        return np.empty(0), np.zeros(n_cells)
    codes, distinct = pd.factorize(values)
    if n_cells * len(distinct) <= 4 * size + 1_000_000:
        return _ranks_by_counting(cell, codes, np.asarray(distinct), n_cells)
    order = np.lexsort((values, cell))
    c_s = cell[order]
    v_s = values[order]
    idx = np.arange(size)
    new_cell = np.r_[True, c_s[1:] != c_s[:-1]]
    cell_first = np.maximum.accumulate(np.where(new_cell, idx, 0))
    pos = idx - cell_first
    new_run = new_cell | np.r_[True, v_s[1:] != v_s[:-1]]
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.r_[run_start, size]).astype(float)
    run_rank = pos[run_start] + (run_len + 1.0) / 2.0
    run_id = np.cumsum(new_run) - 1
    ranks = np.empty(size)
    ranks[order] = run_rank[run_id]
    ties = np.bincount(c_s[run_start], weights=run_len**3 - run_len, minlength=n_cells)
    return ranks, ties


def _ranks_by_counting(
    cell: np.ndarray, codes: np.ndarray, distinct: np.ndarray, n_cells: int
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_ranks_within_cells` for values with few distinct levels: counted, not sorted.

    Each value's rank is the number of smaller values in its cell plus the midpoint of its
    tie group, the same numbers a sort gives (and the tie term is summed in the same order:
    cell by cell, values ascending).
    """
    k = len(distinct)
    level = np.empty(k, dtype=np.int64)
    level[np.argsort(distinct, kind="stable")] = np.arange(k)
    key = cell.astype(np.int64) * k + level[codes]
    counts = np.bincount(key, minlength=n_cells * k)
    below = (np.cumsum(counts.reshape(n_cells, k), axis=1) - counts.reshape(n_cells, k)).ravel()
    run_len = counts.astype(float)
    mid = below + (run_len + 1.0) / 2.0
    runs = np.flatnonzero(counts)
    ties = np.bincount(runs // k, weights=run_len[runs] ** 3 - run_len[runs], minlength=n_cells)
    return mid[key], ties


def cell_reductions(
    cell: np.ndarray, n_cells: int, pre: np.ndarray, post: np.ndarray, sign: np.ndarray
) -> dict[str, np.ndarray]:
    """Per-cell sums needed by :func:`finish_paired`, in a few vectorised passes.

    ``sign`` is the improvement sign of each cell (indexed by cell code).
    """
    diff = post - pre
    out = _without_sums(_moments(cell, n_cells, {"pre": pre, "post": post, "change": diff}))
    directed = diff * sign[cell]
    out["n_improved"] = np.bincount(cell, weights=directed > 0, minlength=n_cells)
    out["n_worsened"] = np.bincount(cell, weights=directed < 0, minlength=n_cells)
    nonzero = diff != 0
    out["n_nonzero"] = np.bincount(cell, weights=nonzero, minlength=n_cells)
    nz_cell = cell[nonzero]
    nz_diff = diff[nonzero]
    ranks, ties = _ranks_within_cells(nz_cell, np.abs(nz_diff))
    out["v"] = np.bincount(nz_cell, weights=ranks * (nz_diff > 0), minlength=n_cells)
    out["ties"] = np.zeros(n_cells)
    out["ties"][: len(ties)] = ties
    return out


def _signed_ranks(total: np.ndarray, positive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """V and the tie term of each cell from its counts per distinct |difference| (ascending).

    ``total`` and ``positive`` are cells × levels. A level's midrank is the count below it
    plus the midpoint of its run, so V (a sum of half-integers) is exact in any order, and
    the tie term is summed as :func:`_ranks_by_counting` sums it (cell by cell, levels up).
    """
    n_cells, k = total.shape
    below = np.cumsum(total, axis=1) - total
    mid = below + (total + 1.0) / 2.0
    v = (positive * mid).sum(axis=1)
    run_len = total.ravel().astype(float)
    runs = np.flatnonzero(run_len)
    ties = np.bincount(runs // k, weights=run_len[runs] ** 3 - run_len[runs], minlength=n_cells)
    return v.astype(float), ties


def fine_cells(
    scale: np.ndarray, group: np.ndarray | None, n_levels: int
) -> tuple[np.ndarray, int]:
    """Each pair's cell of scale × (no group, level 1, level 2, ...), and the cells per scale.

    Without groups the cells are the scales themselves (``scale``, not copied).

    Examples
    --------
    >>> cells, width = fine_cells(np.array([0, 0, 1]), np.array([-1, 1, 0]), 2)
    >>> cells.tolist(), width
    ([0, 2, 4], 3)
    """
    if group is None:
        return scale, 1
    width = n_levels + 1
    fine = scale * width  # a new array: the additions below are in place
    fine += group
    fine += 1
    return fine, width


def nested_reductions(
    scale: np.ndarray,
    n_scales: int,
    group: np.ndarray | None,
    n_levels: int,
    pre: np.ndarray,
    post: np.ndarray,
    sign: np.ndarray,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """:func:`cell_reductions` per scale and per scale × group level, in one pass.

    The same numbers as ``cell_reductions(scale, ...)`` over every pair and
    ``cell_reductions(scale * n_levels + group, ...)`` over the pairs with a group
    (``group >= 0``), without copying those pairs: every pair is placed in a fine cell
    (scale × no group / level), means and SDs are summed per cell in row order as before,
    and the whole-number parts (counts, the signed-rank sums, the tie terms) are counted
    once in the fine cells and added up per scale. ``sign`` is each scale's improvement sign.
    The second dict is ``None`` without groups.
    """
    fine, width = fine_cells(scale, group, n_levels)
    n_fine = n_scales * width
    diff = post - pre
    nonzero = diff != 0
    codes, distinct = pd.factorize(np.abs(diff[nonzero]))
    k = max(len(distinct), 1)
    if n_fine * k * 2 > 8 * len(diff) + 2_000_000:
        # many distinct differences: a table of counts would be larger than sorting
        return _reductions_by_subsets(scale, n_scales, group, n_levels, pre, post, sign)
    xs = {"pre": pre, "post": post, "change": diff}
    # with groups, each scale's moments come from its fine cells' (one pass over the pairs)
    groups = _moments(fine, n_fine, xs) if group is not None else None
    whole = (
        _moments(scale, n_scales, xs)
        if groups is None
        else _merged_moments(groups, n_scales, width, xs)
    )
    level = np.empty(len(distinct), dtype=np.int64)
    level[np.argsort(np.asarray(distinct), kind="stable")] = np.arange(len(distinct))
    key = fine[nonzero]  # (fine cell, level, rose) of each non-zero difference, in place
    key *= k
    key += level[codes]
    del codes
    key *= 2
    key += diff[nonzero] > 0
    both = np.bincount(key, minlength=n_fine * k * 2).reshape(n_scales, width, k, 2)
    total, positive = both.sum(axis=3), both[..., 1]
    # the counts of rises and falls per fine cell are those of the table: improved are the
    # rises of a scale whose improvement is a rise (sign > 0), the falls of one whose
    # improvement is a fall (whole numbers: the same as counting the pairs)
    rose, nonzero_n = positive.sum(axis=2), total.sum(axis=2)
    fell = nonzero_n - rose
    up, down = (sign > 0)[:, None], (sign < 0)[:, None]
    counts = {
        "n_improved": np.where(up, rose, 0) + np.where(down, fell, 0),
        "n_worsened": np.where(up, fell, 0) + np.where(down, rose, 0),
        "n_nonzero": nonzero_n,
    }
    for name, c in counts.items():
        whole[name] = c.reshape(n_scales, width).sum(axis=1).astype(float)
    whole["v"], whole["ties"] = _signed_ranks(total.sum(axis=1), positive.sum(axis=1))
    whole = _without_sums(whole)
    if groups is None:
        return whole, None
    for name, c in counts.items():
        groups[name] = c.reshape(n_scales, width)[:, 1:].ravel().astype(float)
    shape = (n_scales * n_levels, k)
    groups["v"], groups["ties"] = _signed_ranks(
        total[:, 1:].reshape(shape), positive[:, 1:].reshape(shape)
    )
    with_group = (np.arange(n_fine) % width) != 0  # the fine cells of a level, not "none"
    for name in ("n", "pre_mean", "pre_sd", "post_mean", "post_sd", "change_mean", "change_sd"):
        groups[name] = groups[name][with_group]
    return whole, _without_sums(groups)


def _reductions_by_subsets(
    scale: np.ndarray,
    n_scales: int,
    group: np.ndarray | None,
    n_levels: int,
    pre: np.ndarray,
    post: np.ndarray,
    sign: np.ndarray,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """:func:`nested_reductions` the plain way (many distinct differences): one
    :func:`cell_reductions` over every pair, one over the pairs with a group."""
    whole = cell_reductions(scale, n_scales, pre, post, sign)
    if group is None:
        return whole, None
    has = group >= 0
    cell = scale[has] * n_levels + group[has]
    cell_sign = np.repeat(sign, n_levels)
    return whole, cell_reductions(cell, n_scales * n_levels, pre[has], post[has], cell_sign)


def _wilcoxon(v: float, n_nonzero: int, n_pairs: int, ties: float) -> tuple[float, str | None]:
    if n_nonzero == 0:
        return (math.nan, None)
    zeros = n_nonzero < n_pairs
    if n_nonzero < EXACT_LIMIT and ties == 0 and not zeros:
        return (signrank_exact_p(v, n_nonzero), "exact")
    n = float(n_nonzero)
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties / 48)
    if not sigma > 0:
        return (math.nan, None)
    z = (z - math.copysign(0.5, z) * (z != 0)) / sigma
    return (normal_two_sided(z), "normal approximation, continuity and tie corrected")


def finish_paired(red: dict[str, np.ndarray], i: int, sign: int) -> dict[str, Any]:
    """Turn the reductions of cell ``i`` into the SPEC §6 paired fields (NaN where undefined)."""
    from .distributions import t as t_dist

    n = int(red["n"][i])
    notes: list[str] = []
    rec: dict[str, Any] = {
        "n_pairs": n,
        "pre_mean": finite_or_nan(red["pre_mean"][i]) if n else math.nan,
        "pre_sd": finite_or_nan(red["pre_sd"][i]) if n > 1 else math.nan,
        "post_mean": finite_or_nan(red["post_mean"][i]) if n else math.nan,
        "post_sd": finite_or_nan(red["post_sd"][i]) if n > 1 else math.nan,
        "mean_change": finite_or_nan(red["change_mean"][i]) if n else math.nan,
        "improvement_sign": sign,
    }
    sd_change = float(red["change_sd"][i]) if n > 1 else math.nan
    rec["sd_change"] = sd_change
    nan_fields = ("mean_change_ci_low", "mean_change_ci_high", "t", "df", "p_t")
    for key in (*nan_fields, "d_z", "d_z_ci_low", "d_z_ci_high", "d_av", "g_av"):
        rec[key] = math.nan
    if n < 2:
        notes.append(f"fewer than 2 complete pairs (n = {n}): statistics undefined")
    elif essentially_constant(sd_change, n, rec["mean_change"], rec["pre_mean"], rec["post_mean"]):
        # R t.test stops here ("data are essentially constant"); an SD of 1e-16 left by
        # rounding would otherwise give t ~ 1e16 and a p that enters the Holm/BH family.
        rec["df"] = float(n - 1)
        rec["sd_change"] = 0.0
        notes.append(CONSTANT_CHANGE_NOTE)
    else:
        df = float(n - 1)
        se = sd_change / math.sqrt(n)
        t = rec["mean_change"] / se
        q = float(t_dist.ppf(0.975, df))
        d_z = rec["mean_change"] / sd_change
        lo, hi = ncp_t_interval(t, df)
        rec.update(
            mean_change_ci_low=rec["mean_change"] - q * se,
            mean_change_ci_high=rec["mean_change"] + q * se,
            t=t,
            df=df,
            p_t=float(2 * t_dist.sf(abs(t), df)),
            d_z=d_z,
            d_z_ci_low=lo / math.sqrt(n),
            d_z_ci_high=hi / math.sqrt(n),
        )
    if n >= 2:
        mean_sd = (rec["pre_sd"] + rec["post_sd"]) / 2
        # SDs of 1e-16 (constant scores up to rounding) would give a d_av of 1e15
        if not essentially_constant(mean_sd, 1, rec["pre_mean"], rec["post_mean"]):
            rec["d_av"] = rec["mean_change"] / mean_sd
            rec["g_av"] = rec["d_av"] * hedges_j(n - 1)
    n_nonzero = int(red["n_nonzero"][i])
    v = float(red["v"][i])
    p_w, method = _wilcoxon(v, n_nonzero, n, float(red["ties"][i]))
    rec["wilcoxon_v"] = v if n_nonzero else math.nan
    rec["p_wilcoxon"] = p_w
    rec["wilcoxon_method"] = method
    rec["n_zero_differences"] = n - n_nonzero
    s_max = n_nonzero * (n_nonzero + 1) / 2
    rec["rank_biserial"] = 2 * v / s_max - 1 if n_nonzero else math.nan
    if n and n_nonzero == 0:
        notes.append("every difference is zero: signed-rank test undefined")
    k = int(red["n_improved"][i])
    rec["n_improved"] = k
    rec["n_worsened"] = int(red["n_worsened"][i])
    rec["n_unchanged"] = n - k - rec["n_worsened"]
    rec["prop_improved"] = k / n if n else math.nan
    rec["prop_improved_ci_low"], rec["prop_improved_ci_high"] = wilson_interval(k, n)
    rec["note"] = "; ".join(notes) or None
    return rec
