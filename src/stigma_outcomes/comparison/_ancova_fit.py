"""One scale's ANCOVA: ``post ~ pre + group (+ covariates)`` by OLS, as its records.

Private to :mod:`stigma_outcomes.comparison.ancova` (which pairs the scores through the
score table and documents the model and its records).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._common import essentially_constant
from .estimable import column_search, estimable_columns

ETA_METHOD = (
    "partial eta squared of the group term from the drop-one (type II = type III) sum of "
    "squares; for a single contrast t^2 / (t^2 + df_residual)"
)


def _num(value: float | np.floating | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _covariate_columns(
    wide: pd.DataFrame, covariates: list[str], notes: list[str] | None = None
) -> tuple[np.ndarray, list[str]]:
    cols: list[np.ndarray] = []
    names: list[str] = []
    for cov in covariates:
        numeric = pd.to_numeric(wide[cov], errors="coerce")
        if numeric.notna().all():
            cols.append(numeric.to_numpy(dtype=float)[:, None])
            names.append(cov)
        else:
            values = wide[cov].astype(str)
            cov_levels = sorted(values.unique())
            if len(cov_levels) < 2 and notes is not None:
                notes.append(
                    f"covariate '{cov}' has one value ({cov_levels[0]!r}) among the complete "
                    "cases, so it was dropped from the model (R lm: coefficient NA)"
                )
            for level in cov_levels[1:]:
                cols.append((values == level).to_numpy(dtype=float)[:, None])
                names.append(f"{cov}{level}")
    if not cols:
        return np.empty((len(wide), 0)), []
    return np.hstack(cols), names


def _ols(
    X: np.ndarray, y: np.ndarray, qr: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, float, np.ndarray]:
    """Coefficients, residual sum of squares and the unscaled covariance ``(X'X)^-1``.

    ``qr``: ``np.linalg.qr(X)`` when the caller has it already.
    """
    q, r = qr if qr is not None else np.linalg.qr(X)
    beta = np.linalg.solve(r, q.T @ y)
    resid = y - X @ beta
    r_inv = np.linalg.inv(r)
    return beta, float(resid @ resid), r_inv @ r_inv.T


_VALUE_FIELDS = (
    "group",
    "term",
    "adjusted_difference",
    "adjusted_difference_se",
    "adjusted_difference_ci_low",
    "adjusted_difference_ci_high",
    "t",
    "df",
    "p",
    "partial_eta_squared",
    "F",
    "df1",
    "df2",
)


def _undefined(base: dict[str, Any], wide: pd.DataFrame, note: str) -> list[dict[str, Any]]:
    record = dict(base)
    record.update(dict.fromkeys(_VALUE_FIELDS))
    record["n"] = len(wide)
    groups = wide["group"].astype(object)  # only the groups present, most pairs first
    record["n_by_group"] = {str(k): int(v) for k, v in groups.value_counts().items()}
    record["note"] = note
    return [record]


def _level_codes(group: pd.Series, levels: list[str]) -> np.ndarray:
    """Each row's index into ``levels`` (−1: missing or another value)."""
    if isinstance(group.dtype, pd.CategoricalDtype) and list(group.cat.categories) == levels:
        return group.cat.codes.to_numpy().astype(np.int64)
    index = pd.Index(pd.Series(levels, dtype=object))
    return np.asarray(index.get_indexer(group.astype(object)), dtype=np.int64)


def fit_scale(
    wide: pd.DataFrame,
    base: dict[str, Any],
    levels: list[str],
    reference: str,
    covariates: list[str],
) -> list[dict[str, Any]]:
    from . import distributions as stats

    codes = _level_codes(wide["group"], levels)
    counts = np.bincount(codes[codes >= 0], minlength=len(levels))
    present = [g for g, n in zip(levels, counts, strict=True) if n]
    if reference not in present:
        return _undefined(
            base, wide, f"no complete pre/post pair in the reference group '{reference}'"
        )
    others = [g for g in present if g != reference]
    if not others:
        return _undefined(base, wide, "complete pre/post pairs exist in one group only")

    dummies = np.column_stack([(codes == levels.index(g)).astype(float) for g in others])
    notes: list[str] = []
    cov_x, cov_names = _covariate_columns(wide, covariates, notes)
    y = wide["post"].to_numpy(dtype=float)
    ones = np.ones((len(wide), 1))
    pre = wide["pre"].to_numpy(dtype=float)[:, None]
    X = np.hstack([ones, pre, dummies, cov_x])
    # Groups enter before the covariates, so a covariate aliased with the intercept, the
    # baseline or a group is the one dropped (R lm: coefficient NA) and groups stay estimable.
    # one QR decomposition finds the aliased columns and, when none is, fits the model
    factors = np.linalg.qr(X) if X.shape[0] > X.shape[1] else None
    keep = column_search(factors[1]) if factors is not None else estimable_columns(X)
    n_group = dummies.shape[1]
    aliased_cov = [n for n, k in zip(cov_names, keep[2 + n_group :], strict=True) if not k]
    if aliased_cov:
        notes.append(
            f"covariate(s) {', '.join(aliased_cov)} aliased among the {len(y)} complete cases "
            "(constant, or a combination of baseline, groups and the other covariates), so "
            "dropped from the model as R lm does (coefficient NA)"
        )
    if not keep[: 2 + n_group].all():
        return _undefined(
            base, wide, "; ".join([*notes, "the groups or the baseline score are collinear"])
        )
    X = X[:, keep]
    X_reduced = np.delete(X, np.arange(2, 2 + n_group), axis=1)
    df_resid = len(y) - X.shape[1]
    if df_resid < 1:
        return _undefined(
            base, wide, "; ".join([*notes, "too few complete pairs to estimate the model"])
        )
    beta, rss, xtx_inv = _ols(X, y, factors if keep.all() else None)
    _, rss_reduced, _ = _ols(X_reduced, y)
    sigma2 = rss / df_resid
    if essentially_constant(math.sqrt(max(sigma2, 0.0)), 1, float(np.max(np.abs(y)))):
        return _undefined(
            base,
            wide,
            "; ".join([*notes, "the model fits the later scores exactly (up to rounding); "
                       "no error term, so t and p are undefined"]),
        )  # fmt: skip
    note = "; ".join(notes) or None
    # the groups present, in the order of their labels as text
    n_by_group = {str(g): int(n) for g, n in sorted(zip(levels, counts, strict=True)) if n}
    ss_group = max(rss_reduced - rss, 0.0)
    df1 = len(others)
    f_stat = (ss_group / df1) / sigma2
    p_f = float(stats.f.sf(f_stat, df1, df_resid))
    eta_group = ss_group / (ss_group + rss)
    t_crit = float(stats.t.ppf(0.975, df_resid))

    records = []
    for j, level in enumerate(others):
        k = 2 + j
        est = float(beta[k])
        se = math.sqrt(sigma2 * xtx_inv[k, k])
        t = est / se
        record = dict(base)
        record.update(
            {
                "n": len(y),
                "n_by_group": n_by_group,
                "group": level,
                "term": f"{base['group_column']}{level}",
                "adjusted_difference": _num(est),
                "adjusted_difference_se": _num(se),
                "adjusted_difference_ci_low": _num(est - t_crit * se),
                "adjusted_difference_ci_high": _num(est + t_crit * se),
                "t": _num(t),
                "df": df_resid,
                "p": _num(2.0 * stats.t.sf(abs(t), df_resid)),
                "partial_eta_squared": _num(t * t / (t * t + df_resid)),
                # with two groups the contrast is the whole group term
                "F": _num(f_stat) if df1 == 1 else None,
                "df1": 1 if df1 == 1 else None,
                "df2": df_resid if df1 == 1 else None,
                "note": note,
            }
        )
        records.append(record)
    if df1 > 1:
        overall = dict(base)
        overall.update(dict.fromkeys(_VALUE_FIELDS))
        overall.update(
            {
                "n": len(y),
                "n_by_group": n_by_group,
                "term": "group",
                "df": df_resid,
                "p": _num(p_f),
                "partial_eta_squared": _num(eta_group),
                "F": _num(f_stat),
                "df1": df1,
                "df2": df_resid,
                "note": note,
            }
        )
        records.append(overall)
    return records
