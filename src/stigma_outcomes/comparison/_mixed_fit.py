"""One scale's random-intercept model, fitted and written as its results record.

Private to :mod:`stigma_outcomes.comparison.mixed` (which splits the scores by scale and
documents the model): the design, the REML fit (``_reml``), Satterthwaite inference and the
joint tests (``_mixed_inference``), and the record with its notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._mixed_inference import (
    _NOT_TESTED,
    _anova_hypotheses,
    _f_test,
    _inference,
    _means_and_contrasts,
    _num,
    _Satterthwaite,
)
from ._reml import (
    _RESIDUAL_FLOOR,
    _THETA2_EDGE,
    _ClusterSums,
    _design,
    _optimise_theta,
    _term_names,
)
from .estimable import Estimable, estimable_columns

DF_METHOD = (
    "Satterthwaite t (as R's lmerTest): ci_low/ci_high, t and two-sided p of fixed effects, "
    "wave means and contrasts use t with Satterthwaite degrees of freedom (df) from the REML "
    "fit's variance parameters; the normal-approximation Wald z versions are kept as z, "
    "p_wald, ci_low_wald and ci_high_wald"
)


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
            "anova": [],
            "converged": False,
            "note": note,
        }
    )
    return record


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
    present_levels = _dense_ranks(group)[0] if group is not None else np.array([], dtype=np.int64)
    levels = [part.group_labels[g] for g in present_levels]
    ids, cluster = _dense_ranks(pid)
    base.update(
        {
            "n_participants": len(ids),
            "n_observations": len(y),
            "waves": used_waves,
            "group_levels": levels if group_col is not None else None,
            # treatment coding: every group coefficient is against this level
            "reference_group": levels[0] if group_col is not None and levels else None,
        }
    )
    if len(used_waves) < 2:
        return _empty_record(base, "; ".join([*notes, "fewer than two waves with ok scores"]))
    if group_col is not None and len(levels) < 2:
        return _empty_record(base, "; ".join([*notes, "only one group level has ok scores"]))

    # codes relative to the waves and levels actually present
    wave_idx = (np.cumsum(present_waves) - 1)[wave].astype(np.int64, copy=False)
    group_idx = None
    if group is not None:
        rank = np.zeros(int(present_levels[-1]) + 1, dtype=np.int64)
        rank[present_levels] = np.arange(len(present_levels))
        group_idx = rank[group]  # each level's place among those present
    cluster = cluster.astype(np.int64, copy=False)
    # Every row of the design is its wave x group cell's row: the few cells' rows are
    # made once and each score takes its cell's (the same 0/1 values, no column built per row).
    cells = _Cells(wave_idx, group_idx, len(used_waves), max(len(levels), 1))
    terms_full = _term_names(used_waves, group_col, levels)
    n_clusters = int(cluster.max()) + 1
    # An empty wave x group cell makes its interaction column zero; like lme4, drop the
    # aliased columns, fit the rest, and estimate every cell mean that is estimable.
    keep = estimable_columns(cells.weighted())
    # the kept columns one after another (column-major, as selecting them from the full
    # design laid them out: the sums below run through the same products in the same order)
    X = np.take(cells.rows[:, keep].T, cells.code, axis=1).T
    terms = [t for t, k in zip(terms_full, keep, strict=True) if k]
    if not keep.all():
        notes.append(
            _rank_deficiency_note(terms_full, keep, used_waves, levels, wave_idx, group_idx)
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

    sums = _ClusterSums(X, y, cluster, (cells.code, cells.rows[:, keep]))
    theta2, converged, how = _optimise_theta(sums)
    if not math.isfinite(theta2):
        return _empty_record(base, "; ".join([*notes, how]))
    A, beta, r2, _ = sums.solve(theta2)
    sigma2 = r2 / (len(y) - X.shape[1])
    if sigma2 <= _RESIDUAL_FLOOR * float(y @ y) / len(y) or theta2 >= _THETA2_EDGE:
        # The model reproduces every score up to rounding. The residual sum of squares comes
        # from sums of squares by subtraction, so its rounding is about eps times sum(y^2):
        # below that it is noise, and standard errors made from it would give t ~ 1e8 (R's
        # t.test calls such data essentially constant). An optimum at the top of the search
        # (participant variance 1e10 times the residual's) is the same case reached from the
        # other side: the criterion still falls as the residual variance goes to 0.
        return _empty_record(
            base,
            "; ".join([*notes, "the scores do not vary beyond what wave and group explain "
                       "(residual variance 0 up to rounding), so there is no error term"]),
        )  # fmt: skip
    cov = sigma2 * np.linalg.inv(A)
    se = np.sqrt(np.diag(cov))
    satt = _Satterthwaite(sums, theta2)
    stats = _inference(beta, se, satt.df(np.eye(len(beta))))
    fixed = [
        {"term": term, "estimate": _num(b), "se": _num(s)}
        | {key: _num(values[i]) for key, values in stats.items()}
        for i, (term, b, s) in enumerate(zip(terms, beta, se, strict=True))
    ]
    # the full design is needed only to find what an empty cell leaves estimable
    space = Estimable(cells.rows[cells.code] if not keep.all() else cells.rows, keep)
    wave_means, contrasts = _means_and_contrasts(
        beta, cov, satt, used_waves, levels, group_col, wave_idx, group_idx, space
    )
    anova = []
    for term, words, L in _anova_hypotheses(
        cells.cross_products(), len(used_waves), max(len(levels), 1), group_col
    ):
        rows = space.estimable(L)
        if rows.all():
            anova.append(
                {"term": term, "hypothesis": words} | _f_test(space.reduce(L), beta, cov, satt)
            )
        elif term.startswith("wave:") and rows.any():
            # the interaction rows of the observed cells are still a test of "groups change alike"
            anova.append(
                {"term": term, "hypothesis": words + " (observed cells only)"}
                | _f_test(space.reduce(L[rows]), beta, cov, satt)
            )
        else:
            anova.append({"term": term, "hypothesis": words} | _NOT_TESTED)
    if not keep.all() and group_col is not None:
        notes.append(
            "type III tests of wave and of the group are not given: with an empty cell their "
            "averages over groups or waves include a cell without data (lmerTest substitutes "
            "another hypothesis and warns to interpret it with care)"
        )
    if not satt.positive_definite:
        notes.append(
            "the REML deviance is flat in some variance direction, so Satterthwaite df use "
            "its pseudo-inverse (as lmerTest, which warns of non-convergence)"
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
            "anova": anova,
            "converged": converged,
            "optimizer": how,
            "note": "; ".join(notes) if notes else None,
        }
    )
    return record


class _Cells:
    """The wave x group cells of one scale's scores: each score's cell, each cell's design row.

    The design's entries are 0 and 1, so sums over its rows are whole numbers, exact in any
    order: ``X'X`` and the per-participant column sums are counted per cell, not summed over
    the rows.
    """

    def __init__(
        self, wave_idx: np.ndarray, group_idx: np.ndarray | None, n_waves: int, n_groups: int
    ) -> None:
        self.n_groups = n_groups
        self.grouped = group_idx is not None
        self.code = wave_idx * n_groups + (group_idx if group_idx is not None else 0)
        every = np.arange(n_waves * n_groups)
        groups = every % n_groups if self.grouped else None
        self.rows = _design(every // n_groups, groups, n_waves, n_groups)
        self.counts = np.bincount(self.code, minlength=len(every))

    def weighted(self) -> np.ndarray:
        """One design row per observed cell, weighted by the root of its count.

        Its columns have the same lengths and angles as the full design's (the same
        ``X'X``), so :func:`estimable_columns` finds the same aliased columns from a few rows.
        """
        present = np.flatnonzero(self.counts)
        return self.rows[present] * np.sqrt(self.counts[present])[:, None]

    def cross_products(self) -> np.ndarray:
        """``X'X`` of the full design (whole numbers, as a sum over the rows gives them)."""
        return self.rows.T @ (self.rows * self.counts[:, None].astype(float))


def _dense_ranks(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(codes, return_inverse=True)`` for non-negative integer codes, without a sort.

    Examples
    --------
    >>> [a.tolist() for a in _dense_ranks(np.array([7, 2, 7, 5]))]
    [[2, 5, 7], [2, 0, 2, 1]]
    """
    if not len(codes) or codes.min() < 0:
        return np.unique(codes, return_inverse=True)
    present = np.bincount(codes) > 0
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present), rank[codes]


def _rank_deficiency_note(
    terms: list[str],
    keep: np.ndarray,
    waves: list[str],
    levels: list[str],
    wave_idx: np.ndarray,
    group_idx: np.ndarray | None,
) -> str:
    dropped = [t for t, k in zip(terms, keep, strict=True) if not k]
    empty = []
    if group_idx is not None:
        counts = np.zeros((len(levels), len(waves)), dtype=int)
        np.add.at(counts, (group_idx, wave_idx), 1)
        empty = [f"{waves[w]} x {levels[g]}" for g, w in zip(*np.nonzero(counts == 0), strict=True)]
    where = f"no ok scores in the cell(s) {', '.join(empty)}, so " if empty else ""
    return (
        f"{where}the fixed-effect design is rank deficient: the aliased column(s) "
        f"{', '.join(dropped)} were dropped, as lme4 does; every other cell's mean and "
        "contrast is estimated, those of the empty cell(s) are null"
    )
