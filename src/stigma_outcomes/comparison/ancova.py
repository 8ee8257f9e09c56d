"""Comparison-group ANCOVA: ``post ~ pre + group (+ covariates)`` by ordinary least squares.

One model per instrument scale, on participants with a valid score at both waves, a group
value and every covariate (complete cases). Groups are treatment-coded against a reference
group, so each group coefficient is the baseline-adjusted difference *group − reference*,
exactly as R's ``lm`` reports it. Covariates are taken from each participant's row at the
``from`` wave (baseline); a covariate that is not numeric is dummy-coded against its first
level in sorted order.

A covariate that is aliased among the complete cases (constant there, or a combination of
the baseline, the groups and the other covariates) is dropped, as R's ``lm`` drops it
(coefficient ``NA``), and the groups are still estimated; ``note`` names it.

Partial eta squared of the group term is computed from nested models:
``SS_group / (SS_group + SS_residual)`` with ``SS_group`` the rise in residual sum of squares
when the group term is dropped. In this main-effects model that drop-one SS is the type II
and the type III sum of squares, and the type I (sequential) one whenever group is entered
last — which is how the R reference (``effectsize::eta_squared(partial = TRUE)`` on
``lm(post ~ pre + covariates + group)``; effectsize uses sequential SS for ``lm``) is set up.
For a single group contrast (one record per non-reference group), partial eta squared is
``t^2 / (t^2 + df_residual)``, effectsize's ``t_to_eta2``; with two groups both agree.

Fields of a record: ``instrument, scale, from_wave, to_wave, group_column, covariates``;
``n`` (complete cases) and ``n_by_group``; ``reference_group`` and ``group`` (the group
compared with it; ``None`` on the overall record); ``term`` (R's coefficient name such as
``armprogram``, or ``"group"`` for the overall F test); ``adjusted_difference`` (the group
coefficient: difference in later-wave means at equal baseline score and covariates),
``adjusted_difference_se``, ``adjusted_difference_ci_low/high`` (95%, t with ``df``
residual degrees of freedom), ``t``, ``df``, ``p`` (two-sided t test; on the overall record
the F test's p); ``partial_eta_squared``; ``F``, ``df1``, ``df2`` (the group term's F test,
filled on the single record when there are two groups); ``eta_squared_method``; ``note``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._ancova_fit import ETA_METHOD, fit_scale
from ._codes import present_labels
from ._score_codes import stable_order
from .pairing import Pairs
from .table import ScoreTable


def _check(
    scores: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    group_col: str,
    reference_group: str | None,
    covariates: list[str],
) -> list[str]:
    """Validate the request; return the group levels (sorted) of the whole scores table."""
    needed = {"participant_id", "wave", "instrument", "scale", "score", "status", group_col}
    missing = sorted(needed.union(covariates) - set(scores.columns))
    if missing:
        raise AnalysisError(
            f"the scores table lacks the column(s) {', '.join(missing)} needed for the ANCOVA",
            where="scores columns",
            fix="carry group and covariate columns through scoring (--carry), or fix the names",
        )
    if from_wave == to_wave:
        raise AnalysisError(
            f"the ANCOVA needs two different waves, got '{from_wave}' twice",
            where="from_wave / to_wave",
            fix="give the baseline wave as from_wave and the later wave as to_wave",
        )
    present = set(present_labels(scores["wave"]))
    for wave in (from_wave, to_wave):
        if wave not in present:
            raise AnalysisError(
                f"wave '{wave}' does not occur in the scores",
                where="column 'wave'",
                fix=f"use waves that exist: {', '.join(sorted(present))}",
            )
    levels = present_labels(scores[group_col], sort=True)
    if len(levels) < 2:
        raise AnalysisError(
            f"group column '{group_col}' has {len(levels)} level(s); the ANCOVA compares groups",
            where=f"column '{group_col}'",
            fix="choose a column with at least two groups",
        )
    if reference_group is not None and str(reference_group) not in levels:
        raise AnalysisError(
            f"reference group '{reference_group}' is not a level of '{group_col}'",
            where=f"column '{group_col}'",
            fix=f"choose one of: {', '.join(levels)}",
        )
    return levels


def _wide_by_scale(
    table: ScoreTable,
    from_wave: str,
    to_wave: str,
    covariates: list[str],
    pairs: Pairs | None = None,
) -> list[pd.DataFrame]:
    """Per scale (the table's order), one row per pair: ``pre``, ``post``, group, covariates.

    The pairs are the table's own (:meth:`ScoreTable.pairs`); the group is read at baseline,
    and a participant without one there takes the later wave's; covariates are read at
    baseline. Rows missing a group or a covariate are left out (complete cases).
    """
    if pairs is None:
        pairs = table.pairs(from_wave, to_wave)
    assert pairs.rows is not None and pairs.group_code is not None
    rows_from, rows_to = pairs.rows
    coded = table.coded
    gcode = coded["_group"].to_numpy()
    group = np.where(gcode[rows_from] >= 0, gcode[rows_from], gcode[rows_to])
    # the group as a categorical of the levels (codes, not a label per row; −1: none)
    labels = pd.Categorical.from_codes(group, pd.Index(table.group_levels, dtype=object))
    wide = pd.DataFrame({"pre": pairs.pre, "post": pairs.post, "group": labels})
    for cov in covariates:
        wide[cov] = coded[cov].to_numpy()[rows_from]
    order = stable_order(pairs.scale_code)
    bounds = np.r_[0, np.cumsum(np.bincount(pairs.scale_code, minlength=len(table.scales)))]
    return [
        wide.iloc[order[bounds[k] : bounds[k + 1]]].dropna().reset_index(drop=True)
        for k in range(len(table.scales))
    ]


def fit_ancova(
    scores: pd.DataFrame | ScoreTable,
    from_wave: str,
    to_wave: str,
    group_col: str,
    reference_group: str | None = None,
    covariates: list[str] | None = None,
    pairs: Pairs | None = None,
) -> list[dict[str, Any]]:
    """Baseline-adjusted group differences at a later wave, per instrument scale.

    Fits ``post ~ pre + group (+ covariates)`` by OLS on complete cases, as R's ``lm``.

    Parameters
    ----------
    scores : ScoreTable or pandas.DataFrame
        The coded score table (grouped by ``group_col``, carrying the covariates), or tidy
        scores with ``participant_id, wave, instrument, scale, score, status`` and the
        group (and covariate) columns.
    from_wave, to_wave : str
        Baseline wave (``pre``) and later wave (``post``).
    group_col : str
        Column holding the comparison groups.
    reference_group : str, optional
        Group the others are compared with; by default the first level, in R's factor() order,
        among the scale's complete pairs.
    covariates : list of str, optional
        Further baseline columns to adjust for (numeric, or categorical dummy-coded).
    pairs : Pairs, optional
        ``scores.pairs(from_wave, to_wave)`` when the caller has made them already (a
        :class:`ScoreTable` only).

    Returns
    -------
    list of dict
        Per scale, one record per non-reference ``group`` with ``adjusted_difference``
        (group − reference), its SE, 95% t CI, ``t``, ``df``, ``p`` and
        ``partial_eta_squared``; with more than two groups, also one record with
        ``term == "group"`` carrying the overall ``F``, ``df1``, ``df2``, ``p`` and the group
        term's partial eta squared. Undefined values are ``None`` with a ``note``.

    Raises
    ------
    AnalysisError
        If a column or wave is missing, the waves are equal, the group column has fewer than
        two levels, or the reference group is not one of them.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = []
    >>> for i, (arm, pre, post) in enumerate([("a", 10, 9), ("a", 12, 12), ("a", 9, 9),
    ...                                       ("b", 11, 8), ("b", 13, 10), ("b", 10, 8)]):
    ...     rows += [{"participant_id": i, "wave": "pre", "arm": arm, "score": pre},
    ...              {"participant_id": i, "wave": "post", "arm": arm, "score": post}]
    >>> df = pd.DataFrame(rows).assign(instrument="gbs", scale="total", status="ok")
    >>> rec = fit_ancova(df, "pre", "post", "arm")[0]
    >>> rec["reference_group"], rec["group"], round(rec["adjusted_difference"], 3)
    ('a', 'b', -2.226)
    """
    covariates = list(covariates or [])
    if isinstance(scores, ScoreTable):
        table = scores
        _check_table(table, str(from_wave), str(to_wave), group_col, reference_group, covariates)
    else:
        _check(scores, str(from_wave), str(to_wave), group_col, reference_group, covariates)
        table = ScoreTable.from_scores(scores, group_col, covariates)
    levels = table.group_levels
    records: list[dict[str, Any]] = []
    if pairs is not None and (pairs.from_wave, pairs.to_wave) != (str(from_wave), str(to_wave)):
        raise ValueError("the pairs given are of another contrast")
    wides = _wide_by_scale(table, str(from_wave), str(to_wave), covariates, pairs)
    for (inst_name, scale_name), wide in zip(table.scales, wides, strict=True):
        base = {
            "instrument": inst_name,
            "scale": scale_name,
            "from_wave": str(from_wave),
            "to_wave": str(to_wave),
            "group_column": group_col,
            "covariates": covariates,
            "eta_squared_method": ETA_METHOD,
        }
        # default reference: the first level, in R's factor() order, that this scale has pairs in
        in_scale = [g for g in levels if (wide["group"] == g).any()]
        if reference_group is not None:
            base["reference_group"] = str(reference_group)
        else:
            base["reference_group"] = in_scale[0] if in_scale else levels[0]
        records.extend(fit_scale(wide, base, levels, base["reference_group"], covariates))
    return records


def _check_table(
    table: ScoreTable,
    from_wave: str,
    to_wave: str,
    group_col: str,
    reference_group: str | None,
    covariates: list[str],
) -> None:
    """The checks of :func:`_check` for a table already validated and coded."""
    missing = [c for c in covariates if c not in table.columns]
    if table.group_by != group_col or missing:
        raise AnalysisError(
            f"the score table was built without the column(s) "
            f"{', '.join([group_col, *missing] if table.group_by != group_col else missing)}",
            where="ScoreTable.from_scores(..., group_by=, columns=)",
            fix="build the table with the group column and the covariates",
        )
    if from_wave == to_wave:
        raise AnalysisError(
            f"the ANCOVA needs two different waves, got '{from_wave}' twice",
            where="from_wave / to_wave",
            fix="give the baseline wave as from_wave and the later wave as to_wave",
        )
    levels = table.levels()  # at least two
    if reference_group is not None and str(reference_group) not in levels:
        raise AnalysisError(
            f"reference group '{reference_group}' is not a level of '{group_col}'",
            where=f"column '{group_col}'",
            fix=f"choose one of: {', '.join(levels)}",
        )


__all__ = ["ETA_METHOD", "fit_ancova"]
