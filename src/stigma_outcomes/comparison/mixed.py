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

from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._codes import equals_text, match_labels, present_labels, text_codes
from ._mixed_fit import DF_METHOD, _Cell, _fit_one
from ._score_codes import code_counts, narrow_codes, stable_order
from .table import ScoreTable


def _check_inputs(scores: pd.DataFrame, waves: list[str], group_col: str | None) -> None:
    needed = {"participant_id", "wave", "instrument", "scale", "score", "status"}
    missing = sorted(needed - set(scores.columns))
    if missing:
        raise AnalysisError(
            f"the scores table lacks the column(s) {', '.join(missing)}",
            where="scores passed to the mixed model",
            fix="pass the tidy scores written by `stigma-outcomes score`",
        )
    has_group = group_col is not None and group_col in scores.columns
    levels = present_labels(scores[group_col]) if has_group else None
    _check_design(set(present_labels(scores["wave"])), waves, group_col, levels)


def _check_design(
    present: set[str], waves: list[str], group_col: str | None, levels: list[str] | None
) -> None:
    """The waves asked for exist, and a group column (``levels`` None: absent) has two levels."""
    if len(waves) < 2 or len(set(waves)) != len(waves):
        raise AnalysisError(
            f"a mixed model needs at least two distinct waves, got {list(waves)}",
            where="waves for the mixed model",
            fix="name the baseline first, then the later waves, each once",
        )
    absent = [w for w in waves if w not in present]
    if absent:
        raise AnalysisError(
            f"wave(s) {', '.join(absent)} do not occur in the scores",
            where="column 'wave'",
            fix=f"use waves that exist: {', '.join(sorted(present))}",
        )
    if group_col is not None:
        if levels is None:
            raise AnalysisError(
                f"group column '{group_col}' is not in the scores",
                where="scores columns",
                fix="carry the column through scoring (--carry) or drop --group-by (group_by:)",
            )
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
        if scores.group_by == group_col:
            return _fit_table(scores, waves, group_col)
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
    names = [(inst_labels[c // n_scale], scale_labels[c % n_scale]) for c in cells]
    columns = (wave_at, pid, y_all, group, group_labels)
    return _fit_cells(rows, starts, stops, names, columns, waves, group_col)


def _fit_table(table: ScoreTable, waves: list[str], group_col: str | None) -> list[dict[str, Any]]:
    """The same fits read straight from the table's codes (no tidy frame, nothing re-coded).

    The table holds only usable scores, its scale codes are in the sorted (instrument,
    scale) order and its participant and group codes are ordered as the tidy frame's, so
    every scale's cell is the one :func:`fit_mixed_models` would cut from that frame.
    """
    coded = table.coded
    present = table.waves
    _check_design(set(present), waves, group_col, table.group_levels if group_col else None)
    # each row's place among the modelled waves (−1: not modelled), in a narrow type
    wave_at = narrow_codes(np.append(match_labels(present, waves), -1))[coded["_wave"].to_numpy()]
    scale = coded["_scale"].to_numpy()
    modelled = wave_at >= 0
    if modelled.all():  # every row: the rows in scale order straight away
        rows = stable_order(scale)
        per_scale = code_counts(scale, len(table.scales))  # no column-long 64-bit copy
    else:
        rows = np.flatnonzero(modelled)
        rows = rows[stable_order(scale[rows])]
        per_scale = code_counts(scale[modelled], len(table.scales))
    del modelled
    # each scale's rows: one block of the sorted rows
    stops = np.cumsum(per_scale)
    starts = stops - per_scale
    group = coded["_group"].to_numpy() if group_col is not None else None
    y = coded["score"].to_numpy(dtype=float)
    columns = (wave_at, coded["_pid"].to_numpy(), y, group, table.group_levels)
    return _fit_cells(rows, starts, stops, table.scales, columns, waves, group_col)


def _fit_cells(
    rows: np.ndarray,
    starts: np.ndarray,
    stops: np.ndarray,
    names: list[tuple[str, str]],
    columns: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, list[str]],
    waves: list[str],
    group_col: str | None,
) -> list[dict[str, Any]]:
    """One model per scale: ``rows[starts[i]:stops[i]]`` are scale ``names[i]``'s rows."""
    wave_at, pid, y_all, group, group_labels = columns
    records = []
    for (instrument, scale), start, stop in zip(names, starts, stops, strict=True):
        part: np.ndarray | slice = rows[start:stop]
        if stop > start and rows[stop - 1] - rows[start] == stop - start - 1:
            # sorted distinct rows spanning exactly their count: one block of the table
            # (scores come scale by scale), so the columns are viewed, not copied
            part = slice(int(rows[start]), int(rows[stop - 1]) + 1)
        cell = _Cell(
            wave=wave_at[part],
            pid=pid[part],
            y=y_all[part],
            group=group[part] if group is not None else None,
            group_labels=group_labels,
        )
        records.append(_fit_one(cell, instrument, scale, waves, group_col))
    return records


__all__ = ["DF_METHOD", "fit_mixed_models"]
