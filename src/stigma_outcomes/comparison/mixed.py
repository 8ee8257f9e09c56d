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

Confidence intervals and p values are t-based with Satterthwaite degrees of freedom, as R's
``lmerTest`` computes them for ``summary(fit)`` and ``contest(fit, L)``: for a linear combination
``L'beta`` with variance ``v = L' C L`` (``C`` the covariance of the fixed effects),
``df = 2 v^2 / (g' W g)``, where ``g`` is the gradient of ``v`` with respect to the variance
parameters ``(theta, sigma)`` (``theta = sigma_u / sigma``, lme4's parameterisation) and ``W``
is twice the (pseudo-)inverse of the Hessian of the REML deviance in those parameters, i.e.
their asymptotic covariance. lmerTest takes both derivatives numerically (``numDeriv``); here
they are analytic, from the same per-size sums as the fit, so the step costs a few ``p x p``
products whatever the number of participants. The Wald z versions (normal approximation, no
df) are kept beside them as ``z``, ``p_wald``, ``ci_low_wald`` and ``ci_high_wald``.

Fields of a record (one per instrument x scale; ``group`` is always ``None`` because one model
covers all groups, ``group_column`` names the grouping column or is ``None``):

* ``n_participants``, ``n_observations``: participants and ok scores in the model.
* ``waves``: the wave levels modelled, baseline first; ``group_levels``: group levels,
  reference first.
* ``fixed_effects``: ``term`` (R's name), ``estimate``, ``se``, ``df`` (Satterthwaite),
  ``t``, ``p`` (two-sided, from t(df)), ``ci_low``, ``ci_high`` (95%, from t(df)), then the Wald
  versions ``z``, ``p_wald``, ``ci_low_wald``, ``ci_high_wald`` — treatment contrasts, exactly
  lme4's ``fixef`` and ``vcov``, inference as ``lmerTest::summary``.
* ``participant_variance``, ``residual_variance``: REML variance components (lme4's
  ``VarCorr`` ``vcov`` column); ``reml_criterion``: -2 x restricted log-likelihood (lme4's
  ``REMLcrit``).
* ``wave_means``: per wave (and group) the model-estimated mean ``L @ beta`` with ``se``
  ``sqrt(L V L')``, ``df``, its 95% t interval (``ci_low``, ``ci_high``), the Wald interval
  (``ci_low_wald``, ``ci_high_wald``) and ``n``, the number of ok scores in that cell.
* ``contrasts``: per later wave (and group) the estimated mean minus the baseline mean of
  the same group, with ``se``, ``df``, ``t``, ``p``, 95% t interval and the Wald ``z``,
  ``p_wald``, ``ci_low_wald``, ``ci_high_wald``.
* ``anova``: one joint F test per model term (``wave``; with a group also the group column's
  name and ``wave:<group>``), as ``anova(fit, type = 3)`` in lmerTest: ``term``, ``hypothesis``,
  ``num_df``, ``den_df`` (Satterthwaite), ``f``, ``p``, ``sum_sq``, ``mean_sq``. See
  :func:`_anova_hypotheses` for what each term tests.
* ``converged``, ``optimizer``, ``method`` (``"REML"``), ``df_method``, ``note``;
  ``reference_group`` names the level every group coefficient is compared with.

An empty wave x group cell (an arm without follow-up) makes the design rank deficient. As
lme4 does, the aliased columns are dropped (:mod:`.estimable`) and the rest is fitted; every
cell mean and contrast that the observed cells determine is reported, the empty cells' are
null and named in ``note``, and of the joint tests only the interaction over the observed
cells is given (lmerTest's type III tests of the main terms then change their hypothesis).

Joint tests follow lmerTest's ``contestMD``: for a term's hypothesis matrix ``L`` (``q`` rows),
``L C L'`` is eigen-decomposed; ``F`` is the sum of the squared rotated estimates over their
variances, divided by ``q``; each eigen-direction gets its own 1-D Satterthwaite df ``nu_m``, and
the denominator df is ``2E / (E - q)`` with ``E = sum(nu_m / (nu_m - 2))`` (2 if any
``nu_m <= 2``; their mean if they all agree; ``nu_1`` itself when ``q = 1``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._codes import equals_text, match_labels, present_labels, text_codes
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
from .table import ScoreTable

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
    scores: pd.DataFrame | ScoreTable, waves: list[str], group_col: str | None = None
) -> list[dict[str, Any]]:
    """Fit ``score ~ wave (* group) + (1 | participant)`` by REML for every instrument scale.

    All ``ok`` scores at the listed waves are used, so participants who miss a wave still
    count. Waves are treatment-coded against the first wave listed, groups against the first
    level in R's ``factor()`` order (numbers by value, so "2" before "10"; named in
    ``reference_group``); term names follow R (``(Intercept)``, ``wavepost``,
    ``armcontrol``, ``wavepost:armcontrol``).

    Parameters
    ----------
    scores : ScoreTable or pandas.DataFrame
        The coded score table (its :meth:`~ScoreTable.to_frame`, key columns as categoricals
        made from its codes, is what is fitted), or tidy scores (``participant_id, wave,
        instrument, scale, score, status`` and any group column).
    waves : list of str
        The waves to model, baseline first; the order defines the wave factor.
    group_col : str, optional
        A column whose levels get their own wave profile (``wave * group``).

    Returns
    -------
    list of dict
        One record per instrument x scale: sample sizes, ``fixed_effects``,
        ``participant_variance``, ``residual_variance``, ``wave_means`` (mean, SE,
        Satterthwaite df and 95% t interval per wave and group), ``contrasts`` (each later
        wave against the baseline, per group), ``anova`` (a type III Satterthwaite F test per
        term, as lmerTest's ``anova(fit, type = 3)``), ``converged``, ``method`` (``"REML"``),
        ``df_method`` and ``note``. ``p``, ``ci_low`` and ``ci_high`` are t-based with
        Satterthwaite ``df`` (as lmerTest); the Wald z versions are ``z``, ``p_wald``,
        ``ci_low_wald`` and ``ci_high_wald``. Values that cannot be estimated are ``None`` and
        ``note`` says why.

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
    >>> sorted(rec["contrasts"][0])[:6]
    ['ci_high', 'ci_high_wald', 'ci_low', 'ci_low_wald', 'df', 'estimate']
    >>> [(a["term"], a["num_df"]) for a in rec["anova"]]
    [('wave', 1)]
    """
    waves = [str(w) for w in waves]
    if isinstance(scores, ScoreTable):
        scores = scores.to_frame()
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
            # treatment coding: every group coefficient is against this level
            "reference_group": levels[0] if group_col is not None and levels else None,
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
    X_full = _design(wave_idx, group_idx, len(used_waves), max(len(levels), 1))
    terms_full = _term_names(used_waves, group_col, levels)
    n_clusters = int(cluster.max()) + 1
    # An empty wave x group cell makes its interaction column zero; like lme4, drop the
    # aliased columns, fit the rest, and estimate every cell mean that is estimable.
    keep = estimable_columns(X_full)
    X = X_full[:, keep]
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

    sums = _ClusterSums(X, y, cluster)
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
    space = Estimable(X_full, keep)
    wave_means, contrasts = _means_and_contrasts(
        beta, cov, satt, used_waves, levels, group_col, wave_idx, group_idx, space
    )
    anova = []
    for term, words, L in _anova_hypotheses(
        X_full.T @ X_full, len(used_waves), max(len(levels), 1), group_col
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
