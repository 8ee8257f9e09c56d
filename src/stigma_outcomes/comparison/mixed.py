"""Linear mixed models for more than two waves: ``score ~ wave (* group) + (1 | participant)``.

The model has one random intercept per participant, so its marginal covariance within a
participant is ``sigma2 * (I + theta2 * J)``. That structure gives closed forms for the
inverse and the determinant cluster by cluster, so the REML criterion, profiled over the
residual variance, is a function of the single ratio ``theta = sigma_u / sigma``. We
minimise that one-dimensional function directly (a grid on the log scale, then Brent's
method on the best bracket, with the boundary ``theta = 0`` checked exactly, as lme4
allows). Compared with a general optimiser over all variance parameters (statsmodels
``MixedLM``) this is exact to the optimiser's tolerance, deterministic, and fast enough for
tens of thousands of participants: every evaluation is a handful of ``p x p`` matrix
products over per-participant sums.

The parameterisation, criterion and covariance of the fixed effects are those of
``lme4::lmer(score ~ wave * group + (1 | participant_id), REML = TRUE)``; the committed
goldens in ``tests/golden/mixed/`` check agreement to 1e-4 relative (absolute 1e-8 for values
near zero) on fixed effects, their SEs, variance components, wave means and contrasts.
Differences are typically below 1e-6; the largest (2e-5 relative, on a participant variance
1e5 times the residual one) is where lme4 stops short and our REML criterion is lower.

Confidence intervals and p values are Wald z (normal) intervals and tests on the fixed
effects and on linear combinations of them (lme4 itself reports no p values). They are
asymptotic and slightly optimistic with few participants; every record says so in
``df_method``.

Fields of a record (one per instrument x scale; ``group`` is always ``None`` because one model
covers all groups, ``group_column`` names the grouping column or is ``None``):

* ``n_participants``, ``n_observations``: participants and ok scores in the model.
* ``waves``: the wave levels modelled, baseline first; ``group_levels``: group levels,
  reference first.
* ``fixed_effects``: ``term`` (R's name), ``estimate``, ``se``, ``z``, ``ci_low``,
  ``ci_high``, ``p`` — treatment contrasts, exactly lme4's ``fixef`` and ``vcov``.
* ``participant_variance``, ``residual_variance``: REML variance components (lme4's
  ``VarCorr`` ``vcov`` column); ``reml_criterion``: -2 x restricted log-likelihood (lme4's
  ``REMLcrit``).
* ``wave_means``: per wave (and group) the model-estimated mean ``L @ beta`` with ``se``
  ``sqrt(L V L')``, its 95% Wald CI and ``n``, the number of ok scores in that cell.
* ``contrasts``: per later wave (and group) the estimated mean minus the baseline mean of
  the same group, with ``se``, ``z``, 95% CI and ``p``.
* ``converged``, ``optimizer``, ``method`` (``"REML"``), ``df_method``, ``note``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._codes import equals_text, match_labels, present_labels, text_codes

DF_METHOD = (
    "Wald z: normal-approximation 95% CIs and two-sided p for fixed effects, wave means and "
    "contrasts, using the REML covariance of the fixed effects (lme4 gives no p values; "
    "asymptotic, slightly anti-conservative with few participants)"
)
_Z975 = 1.959963984540054


def _num(value: float | np.floating | None) -> float | None:
    """A JSON-safe float: ``None`` for missing or non-finite values."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _normal_p(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return 2.0 * ndtr(-np.abs(z))


class _ClusterSums:
    """Per-participant sums that the profiled REML criterion needs, computed once.

    The weight a participant gets for a variance ratio depends only on how many scores
    they have, so the per-participant sums are pooled by cluster size up front; each
    evaluation of the criterion then costs a few ``p x p`` products per distinct size,
    however many participants there are.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, cluster: np.ndarray) -> None:
        n_clusters = int(cluster.max()) + 1
        self.N, self.p = X.shape
        self.XtX = X.T @ X
        self.Xty = X.T @ y
        self.yty = float(y @ y)
        # column sums of X and sum of y within each participant
        S = np.zeros((n_clusters, self.p))
        np.add.at(S, cluster, X)
        t = np.bincount(cluster, weights=y, minlength=n_clusters)
        n_i = np.bincount(cluster, minlength=n_clusters)
        sizes, size_of = np.unique(n_i, return_inverse=True)
        self.sizes = sizes.astype(float)
        self.count = np.bincount(size_of, minlength=len(sizes)).astype(float)
        # per size m: sum of S_i S_i', S_i t_i and t_i^2 over participants with m scores
        self.SS = np.stack([S[size_of == j].T @ S[size_of == j] for j in range(len(sizes))])
        self.St = np.stack([S[size_of == j].T @ t[size_of == j] for j in range(len(sizes))])
        self.tt = np.bincount(size_of, weights=t * t, minlength=len(sizes))

    def solve(self, theta2: float) -> tuple[np.ndarray, np.ndarray, float, float]:
        """For a variance ratio ``theta2``: (A, beta, r2, log-det part of the criterion)."""
        w = theta2 / (1.0 + self.sizes * theta2)
        A = self.XtX - np.tensordot(w, self.SS, axes=1)
        b = self.Xty - w @ self.St
        c = self.yty - float(w @ self.tt)
        beta = np.linalg.solve(A, b)
        r2 = c - float(b @ beta)
        logdet = float(self.count @ np.log1p(self.sizes * theta2))
        return A, beta, r2, logdet

    def criterion(self, theta2: float) -> float:
        """REML deviance (-2 log restricted likelihood) profiled over the residual variance."""
        A, _, r2, logdet = self.solve(theta2)
        sign, logdet_a = np.linalg.slogdet(A)
        dof = self.N - self.p
        if sign <= 0 or r2 <= 0:
            return math.inf
        return logdet + logdet_a + dof * (1.0 + math.log(2.0 * math.pi * r2 / dof))


def _optimise_theta(sums: _ClusterSums) -> tuple[float, bool, str]:
    """Minimise the profiled REML criterion over theta2 = sigma2_u / sigma2 >= 0.

    A grid over log10(theta2) in [-8, 10] finds the basin (variance ratios differ by many
    orders of magnitude between scales), Brent's method refines it on the log scale, and
    theta2 = 0 (no participant variance) is checked exactly as the boundary optimum.
    """
    from scipy.optimize import minimize_scalar

    def f(log_theta2: float) -> float:
        return sums.criterion(10.0**log_theta2)

    grid = np.arange(-8.0, 10.0 + 1e-9, 0.5)
    values = np.array([f(g) for g in grid])
    at_zero = sums.criterion(0.0)
    finite = np.where(np.isfinite(values), values, np.inf)
    if not np.isfinite(finite).any() and not math.isfinite(at_zero):
        return math.nan, False, "REML criterion not finite for any variance ratio"
    best = int(np.argmin(finite))
    how = "Brent's method on log10(sigma2_participant / sigma2_residual) after a grid search"
    if not math.isfinite(finite[best]) or at_zero <= finite[best]:
        return 0.0, True, how
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    res = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    log_theta2, fun = float(res.x), float(res.fun)
    if at_zero <= fun:
        return 0.0, True, how
    converged = bool(res.success) and bool(log_theta2 < grid[-1] - 0.01)
    if log_theta2 >= grid[-1] - 0.01:
        how += "; residual variance is negligible next to participant variance"
    return 10.0**log_theta2, converged, how


def _term_names(waves: Sequence[str], group_col: str | None, levels: Sequence[str]) -> list[str]:
    names = ["(Intercept)"] + [f"wave{w}" for w in waves[1:]]
    if group_col is not None:
        names += [f"{group_col}{g}" for g in levels[1:]]
        # R's interaction columns: the first factor varies fastest
        names += [f"wave{w}:{group_col}{g}" for g in levels[1:] for w in waves[1:]]
    return names


def _design(wave_idx: np.ndarray, group_idx: np.ndarray | None, n_waves: int, n_groups: int):
    """Treatment-coded design matrix with R's column order."""
    n = len(wave_idx)
    wave_d = (wave_idx[:, None] == np.arange(1, n_waves)[None, :]).astype(float)
    cols = [np.ones((n, 1)), wave_d]
    if group_idx is not None:
        group_d = (group_idx[:, None] == np.arange(1, n_groups)[None, :]).astype(float)
        cols.append(group_d)
        inter = (group_d[:, :, None] * wave_d[:, None, :]).reshape(n, -1)
        cols.append(inter)
    return np.hstack(cols)


def _empty_record(base: dict[str, Any], note: str) -> dict[str, Any]:
    record = dict(base)
    record.update(
        {
            "fixed_effects": [],
            "participant_variance": None,
            "residual_variance": None,
            "reml_criterion": None,
            "wave_means": [],
            "contrasts": [],
            "converged": False,
            "note": note,
        }
    )
    return record


def _check_inputs(scores: pd.DataFrame, waves: list[str], group_col: str | None) -> None:
    needed = {"participant_id", "wave", "instrument", "scale", "score", "status"}
    missing = sorted(needed - set(scores.columns))
    if missing:
        raise AnalysisError(
            f"the scores table lacks the column(s) {', '.join(missing)}",
            where="scores passed to the mixed model",
            fix="pass the tidy scores written by `stigma-outcomes score`",
        )
    if len(waves) < 2 or len(set(waves)) != len(waves):
        raise AnalysisError(
            f"a mixed model needs at least two distinct waves, got {list(waves)}",
            where="waves for the mixed model",
            fix="name the baseline first, then the later waves, each once",
        )
    present = set(present_labels(scores["wave"]))
    absent = [w for w in waves if w not in present]
    if absent:
        raise AnalysisError(
            f"wave(s) {', '.join(absent)} do not occur in the scores",
            where="column 'wave'",
            fix=f"use waves that exist: {', '.join(sorted(present))}",
        )
    if group_col is not None:
        if group_col not in scores.columns:
            raise AnalysisError(
                f"group column '{group_col}' is not in the scores",
                where="scores columns",
                fix="carry the column through scoring (--carry) or drop --group-col",
            )
        levels = present_labels(scores[group_col])
        if len(levels) < 2:
            raise AnalysisError(
                f"group column '{group_col}' has {len(levels)} level(s); a group comparison "
                "needs at least two",
                where=f"column '{group_col}'",
                fix="check the column or fit the model without a group",
            )


def fit_mixed_models(
    scores: pd.DataFrame, waves: list[str], group_col: str | None = None
) -> list[dict[str, Any]]:
    """Fit ``score ~ wave (* group) + (1 | participant)`` by REML for every instrument scale.

    All ``ok`` scores at the listed waves are used, so participants who miss a wave still
    count. Waves are treatment-coded against the first wave listed, groups against the first
    level in sorted order; term names follow R (``(Intercept)``, ``wavepost``,
    ``armcontrol``, ``wavepost:armcontrol``).

    Parameters
    ----------
    scores : pandas.DataFrame
        Tidy scores (``participant_id, wave, instrument, scale, score, status`` and any
        group column).
    waves : list of str
        The waves to model, baseline first; the order defines the wave factor.
    group_col : str, optional
        A column whose levels get their own wave profile (``wave * group``).

    Returns
    -------
    list of dict
        One record per instrument x scale: sample sizes, ``fixed_effects``,
        ``participant_variance``, ``residual_variance``, ``wave_means`` (mean, SE and 95% CI
        per wave and group), ``contrasts`` (each later wave against the baseline, per group),
        ``converged``, ``method`` (``"REML"``), ``df_method`` and ``note``. Values that cannot
        be estimated are ``None`` and ``note`` says why.

    Raises
    ------
    AnalysisError
        If a wave is not in the data, fewer than two waves are given, or the group column is
        missing or has a single level.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "participant_id": ["a", "a", "b", "b", "c", "c", "d"],
    ...     "wave": ["pre", "post"] * 3 + ["pre"],
    ...     "instrument": "ucla3", "scale": "total", "status": "ok",
    ...     "score": [6.0, 5.0, 7.0, 7.0, 8.0, 6.0, 5.0]})
    >>> rec = fit_mixed_models(df, ["pre", "post"])[0]
    >>> [fe["term"] for fe in rec["fixed_effects"]]
    ['(Intercept)', 'wavepost']
    """
    waves = [str(w) for w in waves]
    _check_inputs(scores, waves, group_col)
    # integer codes throughout: the scores table is scanned once, not once per scale
    wave_codes, wave_labels = text_codes(scores["wave"])
    wave_at = np.append(match_labels(wave_labels, waves), -1)[wave_codes]
    y_all = pd.to_numeric(scores["score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = equals_text(scores["status"], "ok") & (wave_at >= 0) & np.isfinite(y_all)
    inst, inst_labels = text_codes(scores["instrument"], sort=True)
    scale, scale_labels = text_codes(scores["scale"], sort=True)
    n_scale = max(len(scale_labels), 1)
    cell = inst * n_scale + scale
    # every scale in the scores gets a record, even one with no ok score at these waves
    cells = np.unique(cell[(inst >= 0) & (scale >= 0)])
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(cell[rows], kind="stable")]
    starts = np.searchsorted(cell[rows], cells)
    stops = np.searchsorted(cell[rows], cells, side="right")
    pid, _ = text_codes(scores["participant_id"])
    group, group_labels = (
        text_codes(scores[group_col], sort=True) if group_col is not None else (None, [])
    )
    records = []
    for c, start, stop in zip(cells, starts, stops, strict=True):
        part = rows[start:stop]
        records.append(
            _fit_one(
                _Cell(
                    wave=wave_at[part],
                    pid=pid[part],
                    y=y_all[part],
                    group=group[part] if group is not None else None,
                    group_labels=group_labels,
                ),
                inst_labels[c // n_scale],
                scale_labels[c % n_scale],
                waves,
                group_col,
            )
        )
    return records


@dataclass(frozen=True)
class _Cell:
    """One scale's ok scores as codes: wave (index into the waves), participant, group."""

    wave: np.ndarray
    pid: np.ndarray
    y: np.ndarray
    group: np.ndarray | None
    group_labels: list[str]


def _fit_one(
    part: _Cell, instrument: str, scale: str, waves: list[str], group_col: str | None
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "instrument": instrument,
        "scale": scale,
        "group_column": group_col,
        "group": None,
        "method": "REML",
        "df_method": DF_METHOD,
    }
    notes: list[str] = []
    wave, pid, y, group = part.wave, part.pid, part.y, part.group
    if group is not None:
        has = group >= 0
        if not has.all():
            notes.append(f"{int((~has).sum())} score(s) without a value of '{group_col}' left out")
            wave, pid, y, group = wave[has], pid[has], y[has], group[has]
    present_waves = np.bincount(wave, minlength=len(waves)) > 0
    used_waves = [w for w, here in zip(waves, present_waves, strict=True) if here]
    if len(used_waves) < len(waves):
        skipped = [w for w in waves if w not in used_waves]
        notes.append(f"no ok scores at wave(s) {', '.join(skipped)}; modelled without them")
    present_levels = np.unique(group) if group is not None else np.array([], dtype=np.int64)
    levels = [part.group_labels[g] for g in present_levels]
    ids, cluster = np.unique(pid, return_inverse=True)
    base.update(
        {
            "n_participants": len(ids),
            "n_observations": len(y),
            "waves": used_waves,
            "group_levels": levels if group_col is not None else None,
        }
    )
    if len(used_waves) < 2:
        return _empty_record(base, "; ".join([*notes, "fewer than two waves with ok scores"]))
    if group_col is not None and len(levels) < 2:
        return _empty_record(base, "; ".join([*notes, "only one group level has ok scores"]))

    # codes relative to the waves and levels actually present
    wave_idx = (np.cumsum(present_waves) - 1)[wave].astype(np.int64)
    group_idx = (
        np.searchsorted(present_levels, group).astype(np.int64) if group is not None else None
    )
    cluster = cluster.astype(np.int64)
    X = _design(wave_idx, group_idx, len(used_waves), max(len(levels), 1))
    terms = _term_names(used_waves, group_col, levels)
    n_clusters = int(cluster.max()) + 1
    if np.linalg.matrix_rank(X) < X.shape[1]:
        return _empty_record(
            base,
            "; ".join(
                [*notes, "some wave x group cell has no ok scores, so the model is not estimable"]
            ),
        )
    if n_clusters >= len(y) or len(y) - X.shape[1] < 1:
        return _empty_record(
            base,
            "; ".join(
                [
                    *notes,
                    "every participant has a single score, so participant and "
                    "residual variance cannot be separated",
                ]
            ),
        )

    sums = _ClusterSums(X, y, cluster)
    theta2, converged, how = _optimise_theta(sums)
    if not math.isfinite(theta2):
        return _empty_record(base, "; ".join([*notes, how]))
    A, beta, r2, _ = sums.solve(theta2)
    sigma2 = r2 / (len(y) - X.shape[1])
    cov = sigma2 * np.linalg.inv(A)
    se = np.sqrt(np.diag(cov))
    z = beta / se
    pvals = _normal_p(z)
    fixed = [
        {
            "term": term,
            "estimate": _num(b),
            "se": _num(s),
            "z": _num(zz),
            "ci_low": _num(b - _Z975 * s),
            "ci_high": _num(b + _Z975 * s),
            "p": _num(pp),
        }
        for term, b, s, zz, pp in zip(terms, beta, se, z, pvals, strict=True)
    ]
    wave_means, contrasts = _means_and_contrasts(
        beta, cov, used_waves, levels, group_col, wave_idx, group_idx
    )
    if not converged:
        notes.append(f"REML optimisation did not converge cleanly ({how})")
    if theta2 == 0.0:
        notes.append("participant variance estimated at zero (singular fit, as lme4 reports)")
    record = dict(base)
    record.update(
        {
            "fixed_effects": fixed,
            "participant_variance": _num(theta2 * sigma2),
            "residual_variance": _num(sigma2),
            "reml_criterion": _num(sums.criterion(theta2)),
            "wave_means": wave_means,
            "contrasts": contrasts,
            "converged": converged,
            "optimizer": how,
            "note": "; ".join(notes) if notes else None,
        }
    )
    return record


def _means_and_contrasts(
    beta: np.ndarray,
    cov: np.ndarray,
    waves: list[str],
    levels: list[str],
    group_col: str | None,
    wave_idx: np.ndarray,
    group_idx: np.ndarray | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    n_waves = len(waves)
    n_groups = len(levels) if group_col is not None else 1
    # one design row per wave x group cell: the model-estimated cell mean is L @ beta
    cell_w = np.tile(np.arange(n_waves), n_groups)
    cell_g = np.repeat(np.arange(n_groups), n_waves)
    L = _design(cell_w, cell_g if group_col is not None else None, n_waves, n_groups)
    counts = np.zeros((n_groups, n_waves), dtype=int)
    np.add.at(counts, (group_idx if group_idx is not None else 0, wave_idx), 1)

    est = L @ beta
    se = np.sqrt(np.einsum("ij,jk,ik->i", L, cov, L))
    means = []
    for i in range(len(L)):
        means.append(
            {
                "wave": waves[cell_w[i]],
                "group": levels[cell_g[i]] if group_col is not None else None,
                "n": int(counts[cell_g[i], cell_w[i]]),
                "mean": _num(est[i]),
                "se": _num(se[i]),
                "ci_low": _num(est[i] - _Z975 * se[i]),
                "ci_high": _num(est[i] + _Z975 * se[i]),
            }
        )
    # later wave minus baseline, within each group
    base_rows = cell_g * n_waves
    later = np.flatnonzero(cell_w > 0)
    D = L[later] - L[base_rows[later]]
    d_est = D @ beta
    d_se = np.sqrt(np.einsum("ij,jk,ik->i", D, cov, D))
    d_p = _normal_p(d_est / d_se)
    contrasts = []
    for j, i in enumerate(later):
        contrasts.append(
            {
                "from_wave": waves[0],
                "to_wave": waves[cell_w[i]],
                "group": levels[cell_g[i]] if group_col is not None else None,
                "estimate": _num(d_est[j]),
                "se": _num(d_se[j]),
                "ci_low": _num(d_est[j] - _Z975 * d_se[j]),
                "ci_high": _num(d_est[j] + _Z975 * d_se[j]),
                "z": _num(d_est[j] / d_se[j]),
                "p": _num(d_p[j]),
            }
        )
    return means, contrasts
