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


GRAM_COND_LIMIT = 1e10
"""Largest condition number of the centred, scaled cross-products for the normal equations;
a design beyond it (or with a column near aliasing) is fitted by QR."""

_EXACT_FIT = 1e-3
"""Below this share of the total sum of squares, a residual sum of squares is recomputed by
QR (from cross-products it is a difference, whose rounding would then show)."""


def _normal_fit(
    X: np.ndarray, y: np.ndarray, n_group: int
) -> tuple[np.ndarray, np.ndarray, float, float] | None:
    """The group terms of :func:`_ols` from the centred cross-products, or ``None`` (use QR).

    ``X`` is ``[1, pre, groups, covariates]``. Every column but the intercept and ``y`` are
    centred first, so the normal equations hold the slopes alone (the intercept separates
    from centred columns) and the cross-products are formed from deviations. Returns the
    group coefficients, the diagonal of ``(X'X)^-1`` at them, the residual sum of squares and
    the group term's sum of squares (the drop-one extra sum of squares, as the quadratic
    form ``b_g' [(X'X)^-1]_gg^-1 b_g``, not as a difference of two residual sums). ``None``
    when the scaled cross-products have a condition number above :data:`GRAM_COND_LIMIT`,
    when a column comes within 1e-5 of its own length of the columns before it (R's alias
    tolerance is 1e-7: no column is near it, so all are kept, as the QR search would
    decide), or when the fit is nearly exact.
    """
    means = X[:, 1:].mean(axis=0)
    centred = X[:, 1:] - means
    y_c = y - y.mean()
    gram = centred.T @ centred
    length = np.sqrt(np.diag(gram))
    if not (length > 0).all() or not np.isfinite(gram).all():
        return None
    scaled = gram / np.outer(length, length)
    eigen = np.linalg.eigvalsh(scaled)
    if not eigen[0] > 0 or eigen[-1] / eigen[0] > GRAM_COND_LIMIT:
        return None
    # the shortest residual of a column after the others, relative to the column's own
    # (uncentred) length: at least the smallest eigenvalue times its centred share
    share = gram.diagonal() / (gram.diagonal() + len(y) * means**2)
    if float(eigen[0] * share.min()) <= 1e-10:
        return None
    xty = centred.T @ y_c
    syy = float(y_c @ y_c)
    beta = np.linalg.solve(gram, xty)
    rss = syy - float(xty @ beta)
    if not rss > _EXACT_FIT * syy:
        return None
    inverse = np.linalg.inv(gram)
    groups = slice(1, 1 + n_group)
    b_g = beta[groups]
    ss_group = float(b_g @ np.linalg.solve(inverse[groups, groups], b_g))
    return b_g, inverse.diagonal()[groups].copy(), rss, ss_group


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
    n_group = dummies.shape[1]
    fast = _normal_fit(X, y, n_group) if X.shape[0] > 2 * X.shape[1] else None
    if fast is not None:
        return _records(base, wide, notes, y, levels, counts, others, len(y) - X.shape[1],
                        *fast)  # fmt: skip
    # Groups enter before the covariates, so a covariate aliased with the intercept, the
    # baseline or a group is the one dropped (R lm: coefficient NA) and groups stay estimable.
    # one QR decomposition finds the aliased columns and, when none is, fits the model
    factors = np.linalg.qr(X) if X.shape[0] > X.shape[1] else None
    keep = column_search(factors[1]) if factors is not None else estimable_columns(X)
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
    groups = slice(2, 2 + n_group)
    return _records(base, wide, notes, y, levels, counts, others, df_resid, beta[groups],
                    xtx_inv.diagonal()[groups], rss, max(rss_reduced - rss, 0.0))  # fmt: skip


def _records(
    base: dict[str, Any],
    wide: pd.DataFrame,
    notes: list[str],
    y: np.ndarray,
    levels: list[str],
    counts: np.ndarray,
    others: list[str],
    df_resid: int,
    b_g: np.ndarray,
    var_g: np.ndarray,
    rss: float,
    ss_group: float,
) -> list[dict[str, Any]]:
    """The records of one fit: a contrast per group against the reference, and the group
    term when there are more than two groups. ``b_g``: the group coefficients, ``var_g``:
    the diagonal of ``(X'X)^-1`` at them, ``ss_group``: the group term's sum of squares."""
    from . import distributions as stats

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
    df1 = len(others)
    f_stat = (ss_group / df1) / sigma2
    p_f = float(stats.f.sf(f_stat, df1, df_resid))
    eta_group = ss_group / (ss_group + rss)
    t_crit = float(stats.t.ppf(0.975, df_resid))

    records = []
    for j, level in enumerate(others):
        est = float(b_g[j])
        se = math.sqrt(sigma2 * float(var_g[j]))
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
