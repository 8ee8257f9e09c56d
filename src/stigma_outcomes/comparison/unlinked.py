"""Unlinked (anonymous) before/after surveys, analysed as two independent samples.

Many anti-stigma sessions collect anonymous surveys before and after with no way to link a
person's two answers; the respondents at the two waves are treated as independent samples.
Every record says ``design: "unlinked"``. Differences are after − before.

* Welch t with its 95% interval: R ``t.test(after, before)``; :func:`.compare` adds its
  Holm and Benjamini–Hochberg adjustments (``p_t_holm``, ``p_t_bh``) over every Welch test
  of the analysis, as R ``p.adjust``.
* ``hedges_g``: the difference over the root mean of the two variances, Hedges-corrected with
  J(Welch df), with a noncentral-t 95% interval — R ``effectsize::hedges_g(after, before,
  pooled_sd = FALSE)``, except that the interval's limits are solved exactly by root finding
  (effectsize's optimiser can stop slightly short).
* ``mann_whitney_w`` and ``p_mann_whitney``: R ``wilcox.test(after, before)`` — exact when both
  samples have fewer than 50 values and there are no ties, else the normal approximation
  with continuity and tie correction.
* ``rank_biserial``: ``2W / (n_after · n_before) − 1`` (``effectsize::rank_biserial``);
  positive when scores are higher after.
* the share at or beyond a threshold in the improving direction (``score >= t`` for
  higher-is-better scales, ``score <= t`` for higher-is-worse), before and after, with the risk
  difference (after − before; Wald interval as R ``prop.test(correct = FALSE)``) and the odds
  ratio (after vs before; Woolf log interval, adding 0.5 to every cell when one is zero).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from ._common import (
    Z_975,
    essentially_constant,
    hedges_j,
    ncp_t_interval,
    normal_two_sided,
    welch_t,
)

EXACT_LIMIT = 50


@lru_cache(maxsize=256)
def _wilcox_counts(m: int, n: int) -> np.ndarray:
    """Frequencies of the Mann–Whitney W for sample sizes m and n (all arrangements)."""
    # row[j] holds the counts for sizes (i, j); extend i one step at a time.
    row = [np.ones(1) for _ in range(n + 1)]
    for i in range(1, m + 1):
        new = [np.ones(1)]
        for j in range(1, n + 1):
            size = i * j + 1
            counts = np.zeros(size)
            # the largest value belongs to sample 1 (adds j to W) or to sample 2 (adds nothing)
            a = row[j]
            counts[j : j + len(a)] += a
            b = new[j - 1]
            counts[: len(b)] += b
            new.append(counts)
        row = new
    return row[n]


def wilcox_exact_p(w: float, m: int, n: int) -> float:
    """Two-sided exact p of the Mann–Whitney statistic W (R ``pwilcox`` rule).

    Examples
    --------
    >>> round(wilcox_exact_p(5, 6, 7), 6)
    0.022145
    """
    counts = _wilcox_counts(m, n)
    cdf = np.cumsum(counts) / counts.sum()
    k = round(w)
    tail = (1.0 - cdf[k - 1] if k >= 1 else 1.0) if w > m * n / 2 else cdf[k]
    return float(min(1.0, 2.0 * tail))


def mann_whitney(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """W (for ``x``), its p value as R ``wilcox.test(x, y)`` and the rank-biserial r.

    Examples
    --------
    >>> r = mann_whitney(np.array([3.0, 4.0, 5.0]), np.array([1.0, 2.0]))
    >>> r["w"], r["rank_biserial"]
    (6.0, 1.0)
    """
    from scipy.stats import rankdata

    m, n = len(x), len(y)
    if m == 0 or n == 0:
        return {"w": math.nan, "p": math.nan, "method": None, "rank_biserial": math.nan}
    ranks = rankdata(np.concatenate([x, y]))
    w = float(ranks[:m].sum() - m * (m + 1) / 2)
    _, tie_sizes = np.unique(ranks, return_counts=True)
    ties = float(np.sum(tie_sizes.astype(float) ** 3 - tie_sizes))
    if m < EXACT_LIMIT and n < EXACT_LIMIT and ties == 0:
        p, method = wilcox_exact_p(w, m, n), "exact"
    else:
        z = w - m * n / 2
        total = m + n
        sigma = math.sqrt((m * n / 12) * ((total + 1) - ties / (total * (total - 1))))
        if sigma > 0:
            z = (z - math.copysign(0.5, z) * (z != 0)) / sigma
            p = normal_two_sided(z)
        else:
            p = math.nan
        method = "normal approximation, continuity and tie corrected"
    return {"w": w, "p": p, "method": method, "rank_biserial": 2 * w / (m * n) - 1}


def hedges_g(x: np.ndarray, y: np.ndarray, pooled_sd: bool) -> tuple[float, float, float]:
    """Hedges' g of ``x`` − ``y`` with its noncentral-t 95% interval, as ``effectsize``.

    ``pooled_sd=True``: pooled SD, df = n₁ + n₂ − 2 (``effectsize::hedges_g`` default).
    ``pooled_sd=False``: SD = √((s₁² + s₂²)/2) with the Welch df (``pooled_sd = FALSE``).

    Examples
    --------
    >>> g, lo, hi = hedges_g(np.array([1.0, 2, 3, 4]), np.array([2.0, 3, 4, 5, 6]), True)
    >>> round(g, 4)
    -0.9101
    """
    n1, n2 = len(x), len(y)
    if n1 < 2 or n2 < 2:
        return (math.nan, math.nan, math.nan)
    moments = (
        float(np.mean(x)),
        float(np.var(x, ddof=1)),
        float(np.mean(y)),
        float(np.var(y, ddof=1)),
    )
    return hedges_g_of(n1, n2, *moments, pooled_sd=pooled_sd)


def hedges_g_of(
    n1: int, n2: int, mean1: float, s1: float, mean2: float, s2: float, pooled_sd: bool
) -> tuple[float, float, float]:
    """:func:`hedges_g` from each side's size, mean and variance (``ddof=1``)."""
    if n1 < 2 or n2 < 2:
        return (math.nan, math.nan, math.nan)
    diff = mean1 - mean2
    if pooled_sd:
        sd = math.sqrt(((n1 - 1) * s1 + (n2 - 1) * s2) / (n1 + n2 - 2))
        hn = 1 / n1 + 1 / n2
        se = sd * math.sqrt(hn)
        df = float(n1 + n2 - 2)
    else:
        sd = math.sqrt((s1 + s2) / 2)
        if not sd > 0:
            return (math.nan, math.nan, math.nan)
        hn = 2 * (n2 * s1 + n1 * s2) / (n1 * n2 * (s1 + s2))
        se = math.sqrt(s1 / n1 + s2 / n2)
        df = (s1 / n1 + s2 / n2) ** 2 / ((s1 / n1) ** 2 / (n1 - 1) + (s2 / n2) ** 2 / (n2 - 1))
    if essentially_constant(se, 1, mean1, mean2):
        return (math.nan, math.nan, math.nan)  # R's "data are essentially constant"
    j = hedges_j(df)
    lo, hi = ncp_t_interval(diff / se, df)
    return (diff / sd * j, lo * math.sqrt(hn) * j, hi * math.sqrt(hn) * j)


_COUNT = {">=": np.greater_equal, ">": np.greater, "<=": np.less_equal, "<": np.less}


def _share_fields(
    before: np.ndarray,
    after: np.ndarray,
    threshold: float | None,
    sign: int,
    operator: str | None = None,
) -> dict[str, Any]:
    keys = (
        "n_beyond_before", "prop_beyond_before", "n_beyond_after", "prop_beyond_after",
        "risk_difference", "risk_difference_ci_low", "risk_difference_ci_high",
        "odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high",
    )  # fmt: skip
    out: dict[str, Any] = {k: math.nan for k in keys}
    out["threshold"] = math.nan if threshold is None else float(threshold)
    out["threshold_rule"] = None
    if threshold is None or len(before) == 0 or len(after) == 0:
        return out
    op = operator or (">=" if sign > 0 else "<=")
    out["threshold_rule"] = f"score {op} {threshold:g}"
    a1 = int(np.sum(_COUNT[op](after, threshold)))
    b1 = int(np.sum(_COUNT[op](before, threshold)))
    n_a, n_b = len(after), len(before)
    p_a, p_b = a1 / n_a, b1 / n_b
    rd = p_a - p_b
    half = Z_975 * math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    cells = np.array([a1, n_a - a1, b1, n_b - b1], dtype=float)
    if np.any(cells == 0):
        cells = cells + 0.5
    log_or = math.log(cells[0] * cells[3] / (cells[1] * cells[2]))
    se_log = math.sqrt(float(np.sum(1.0 / cells)))
    out.update(
        n_beyond_before=b1,
        prop_beyond_before=p_b,
        n_beyond_after=a1,
        prop_beyond_after=p_a,
        risk_difference=rd,
        risk_difference_ci_low=max(-1.0, rd - half),
        risk_difference_ci_high=min(1.0, rd + half),
        odds_ratio=math.exp(log_or),
        odds_ratio_ci_low=math.exp(log_or - Z_975 * se_log),
        odds_ratio_ci_high=math.exp(log_or + Z_975 * se_log),
    )
    return out


def unlinked_fields(
    before: np.ndarray,
    after: np.ndarray,
    sign: int,
    threshold: float | None = None,
    operator: str | None = None,
) -> dict[str, Any]:
    """Every unlinked statistic of one cell, NaN where undefined, with a ``note`` saying why.

    The share counts ``score >= threshold`` (higher is better) or ``score <= threshold``
    (higher is worse), or ``score <operator> threshold`` when ``operator`` is given (e.g.
    ``"<"`` for "below a clinical cutoff of 10").

    Examples
    --------
    >>> rec = unlinked_fields(np.array([5.0, 6, 7, 8]), np.array([4.0, 5, 5, 6, 3]), -1)
    >>> rec["n_before"], rec["n_after"], round(rec["mean_difference"], 2)
    (4, 5, -1.9)
    """
    notes: list[str] = []
    n_b, n_a = len(before), len(after)
    var_b = float(np.var(before, ddof=1)) if n_b > 1 else math.nan
    var_a = float(np.var(after, ddof=1)) if n_a > 1 else math.nan
    mean_b = float(np.mean(before)) if n_b else math.nan
    mean_a = float(np.mean(after)) if n_a else math.nan
    welch = welch_t(mean_a, var_a, n_a, mean_b, var_b, n_b)
    if n_a < 2 or n_b < 2:
        notes.append(f"fewer than 2 respondents at a wave (before {n_b}, after {n_a})")
    elif welch.get("constant"):
        notes.append(
            "scores do not vary at either wave (SD 0 up to rounding): t, p and g are undefined, "
            "as R t.test refuses 'data are essentially constant'; this record is left out of "
            "the Holm/BH family"
        )
    g, g_lo, g_hi = hedges_g(after, before, pooled_sd=False)
    mw = mann_whitney(after, before)
    rec: dict[str, Any] = {
        "n_before": n_b,
        "mean_before": mean_b,
        "sd_before": math.sqrt(var_b),
        "n_after": n_a,
        "mean_after": mean_a,
        "sd_after": math.sqrt(var_a),
        "mean_difference": welch["diff"],
        "mean_difference_ci_low": welch["ci_low"],
        "mean_difference_ci_high": welch["ci_high"],
        "t": welch["t"],
        "df": welch["df"],
        "p_t": welch["p"],
        # adjusted over the analysis's family of Welch tests by compare()
        "p_t_holm": math.nan,
        "p_t_bh": math.nan,
        "hedges_g": g,
        "hedges_g_ci_low": g_lo,
        "hedges_g_ci_high": g_hi,
        "mann_whitney_w": mw["w"],
        "p_mann_whitney": mw["p"],
        "mann_whitney_method": mw["method"],
        "rank_biserial": mw["rank_biserial"],
        "improvement_sign": sign,
    }
    rec.update(_share_fields(before, after, threshold, sign, operator))
    if threshold is None:
        notes.append("no threshold given: shares at or beyond a threshold not computed")
    rec["note"] = "; ".join(notes) or None
    return rec
