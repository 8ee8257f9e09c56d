"""Pooling sites or cohorts: random-effects meta-analysis of their pre → post effects.

SPEC §6 "across sites or programs". Each level of a site or cohort column is one *study*:
its paired record (``n_pairs``, means, SDs, ``sd_change``) gives an effect size and its
sampling variance, and the studies of one instrument × scale × contrast are combined by a
random-effects model with heterogeneity statistics. Everything matches R ``metafor``:

* effect sizes as ``escalc``: ``"mean_change"`` is ``measure = "MC"`` (post − pre, variance
  ``sd_change² / n``); ``"smcr"`` is ``measure = "SMCR"``, the change standardised by the
  baseline SD with the exact small-sample factor and the large-sample variance
  ``2(1 − r)/n + yi²/(2n)`` (Becker 1988), r the pre–post correlation recovered from the
  record's SDs. Both are positive when scores rose.
* the model as ``rma(yi, vi, method = "REML" | "DL", test = "z")``; REML by metafor's
  Fisher scoring, started from the Hedges estimate and run until τ² changes by less than
  1e-12 of its scale (metafor's default stops at 1e-5 absolute, which can leave τ² some
  1e-6 short of the REML solution); τ² is never negative.
* I² and H² from τ² and the "typical" within-study variance (k − 1)/tr(P) (Higgins &
  Thompson 2002); Cochran's Q with its χ² p; the prediction interval of ``predict(res)``,
  estimate ± z·√(se² + τ²) (Riley et al. 2011, with a normal quantile as metafor uses for
  ``test = "z"``); percent weights as ``weights(res)``.

Privacy: a level with fewer pairs than the minimum cell size, or whose paired record is
already suppressed, is never pooled and its estimate never listed (``excluded`` names it
with the reason).

References
----------
DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials*, 7(3), 177–188.
Viechtbauer, W. (2005). Bias and efficiency of meta-analytic variance estimators in the
random-effects model. *Journal of Educational and Behavioral Statistics*, 30(3), 261–293.
Higgins, J. P. T., & Thompson, S. G. (2002). Quantifying heterogeneity in a meta-analysis.
*Statistics in Medicine*, 21(11), 1539–1558.
Becker, B. J. (1988). Synthesizing standardized mean-change measures. *British Journal of
Mathematical and Statistical Psychology*, 41(2), 257–278.
Riley, R. D., Higgins, J. P. T., & Deeks, J. J. (2011). Interpretation of random effects
meta-analyses. *BMJ*, 342, d549.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import AnalysisError, InputError
from ._random_effects import (
    METHODS,
    REML_MAX_ITER,
    REML_TOLERANCE,
    VARIANCE_RATIO_FLOOR,
    random_effects,
)

__all__ = [
    "EFFECTS",
    "METHODS",
    "REML_MAX_ITER",
    "REML_TOLERANCE",
    "VARIANCE_RATIO_FLOOR",
    "pool_paired",
    "random_effects",
    "study_effects",
]

EFFECTS = ("mean_change", "smcr")
"""Effect sizes :func:`study_effects` computes (metafor ``MC`` and ``SMCR``)."""

_FIT_FIELDS = ("estimate", "se", "ci_low", "ci_high", "z", "p", "tau2", "tau", "i2", "h2", "q",
               "q_df", "q_p", "pi_low", "pi_high")  # fmt: skip

_SUMMARY = ("n_pairs", "pre_mean", "pre_sd", "post_mean", "post_sd", "sd_change")


def _summaries(paired: Sequence[dict[str, Any]]) -> dict[str, np.ndarray]:
    """The summary columns of the records as float arrays (missing or None → NaN)."""
    return {
        name: np.array([_as_float(r.get(name)) for r in paired], dtype=float).reshape(-1)
        for name in _SUMMARY
    }


def _as_float(value: Any) -> float:
    try:
        return math.nan if value is None else float(value)
    except (TypeError, ValueError):
        return math.nan


def _prepost_r(pre_sd: np.ndarray, post_sd: np.ndarray, sd_change: np.ndarray) -> np.ndarray:
    """Pre–post correlation from var(post − pre) = pre_sd² + post_sd² − 2·r·pre_sd·post_sd.

    Rounding in the reported SDs can push |r| a hair past 1 (e.g. post = 2·pre); those are
    clipped, since metafor refuses |r| > 1. NaN when either SD is 0.
    """
    both = (pre_sd > 0) & (post_sd > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (pre_sd**2 + post_sd**2 - sd_change**2) / (2.0 * pre_sd * post_sd)
    return np.where(both, np.clip(r, -1.0, 1.0), np.nan)


def _small_sample_factor(df: np.ndarray) -> np.ndarray:
    """metafor's ``.cmicalc``: Γ(m/2) / (√(m/2) Γ((m − 1)/2)), NaN for m ≤ 1."""
    from scipy.special import gammaln

    m = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(m > 1, m, 2.0)
        c = np.exp(gammaln(safe / 2) - 0.5 * np.log(safe / 2) - gammaln((safe - 1) / 2))
    return np.where(m > 1, c, np.nan)


def study_effects(paired: list[dict[str, Any]], effect: str) -> pd.DataFrame:
    """Effect size, sampling variance and standard error of each paired record.

    Parameters
    ----------
    paired : list of dict
        Paired records (SPEC §6), each with ``n_pairs``, ``pre_mean``, ``pre_sd``,
        ``post_mean``, ``post_sd`` and ``sd_change``.
    effect : {"mean_change", "smcr"}
        ``"mean_change"``: post − pre with variance ``sd_change² / n`` (metafor
        ``escalc(measure = "MC", m1i = post, m2i = pre)``). ``"smcr"``: the change
        standardised by the baseline SD, times the small-sample factor J(n − 1), with
        variance ``2(1 − r)/n + yi²/(2n)`` (Becker 1988; metafor ``measure = "SMCR"``,
        ``sd1i = pre_sd``), r the pre–post correlation
        ``(pre_sd² + post_sd² − sd_change²) / (2·pre_sd·post_sd)``.

    Returns
    -------
    pandas.DataFrame
        One row per record, in order, with columns ``yi``, ``vi`` and ``sei`` (= √vi). A
        statistic that is undefined for a record (no SD, too few pairs) is NaN.

    Examples
    --------
    >>> rec = {"n_pairs": 20, "pre_mean": 10.0, "pre_sd": 4.0, "post_mean": 12.0,
    ...        "post_sd": 4.0, "sd_change": 4.0}
    >>> study_effects([rec], "mean_change").round(4).to_dict("records")
    [{'yi': 2.0, 'vi': 0.8, 'sei': 0.8944}]
    >>> study_effects([rec], "smcr").round(4).to_dict("records")
    [{'yi': 0.48, 'vi': 0.0558, 'sei': 0.2361}]
    """
    if effect not in EFFECTS:
        raise InputError(
            f"unknown effect size '{effect}' for pooling",
            where="effect",
            fix=f"use one of {', '.join(EFFECTS)}",
        )
    s = _summaries(paired)
    n = s["n_pairs"]
    with np.errstate(divide="ignore", invalid="ignore"):
        if effect == "mean_change":
            yi = s["post_mean"] - s["pre_mean"]
            vi = s["sd_change"] ** 2 / n
        else:
            r = _prepost_r(s["pre_sd"], s["post_sd"], s["sd_change"])
            yi = _small_sample_factor(n - 1) * (s["post_mean"] - s["pre_mean"]) / s["pre_sd"]
            vi = 2.0 * (1.0 - r) / n + yi**2 / (2.0 * n)
    yi = np.where(np.isfinite(yi), yi, np.nan)
    vi = np.where(np.isfinite(vi) & (n > 0), vi, np.nan)
    with np.errstate(invalid="ignore"):
        sei = np.sqrt(vi)
    return pd.DataFrame({"yi": yi, "vi": vi, "sei": sei})


def _constant_change(s: dict[str, np.ndarray]) -> np.ndarray:
    """Records whose change has no usable variance: R t.test's "essentially constant" rule.

    An SD of change of 1e-16 (rounding in item-mean scores) would give a sampling variance
    of 1e-33 and a weight that swamps every other site (DerSimonian–Laird then divides by a
    zero trace); such a site is left out, as it would be in metafor once removed.
    """
    from ._common import EPS_CONSTANT

    scale = np.fmax(np.abs(s["post_mean"] - s["pre_mean"]), np.abs(s["pre_mean"]))
    scale = np.fmax(scale, np.abs(s["post_mean"]))
    with np.errstate(invalid="ignore", divide="ignore"):
        stderr = s["sd_change"] / np.sqrt(s["n_pairs"])
    return ~(stderr > EPS_CONSTANT * np.nan_to_num(scale))


def _unusable_reasons(
    records: Sequence[dict[str, Any]], effects: pd.DataFrame, effect: str, min_cell: int
) -> list[str | None]:
    """Why each record cannot be pooled for ``effect`` (None when it can), first reason wins."""
    s = _summaries(records)
    n = s["n_pairs"]
    flagged = np.array([bool(r.get("suppress")) for r in records], dtype=bool)
    checks: list[tuple[np.ndarray, str]] = [
        (~(n >= min_cell), f"fewer than {min_cell} pairs (minimum cell size)"),
        (flagged, "suppressed in the paired results (small cell)"),
        (
            _constant_change(s),
            "SD of change is 0 (up to rounding) or undefined, so its variance is 0",
        ),
    ]
    if effect == "smcr":
        checks += [
            (~(s["pre_sd"] > 0), "baseline SD is 0 or undefined"),
            (~(s["post_sd"] > 0), "later-wave SD is 0, so the pre–post correlation is undefined"),
            (~(n >= 3), "fewer than 3 pairs: the small-sample correction is undefined"),
        ]
    checks.append(
        (~(np.isfinite(effects["yi"]) & (effects["vi"] > 0)).to_numpy(), "effect undefined")
    )
    reasons: list[str | None] = [None] * len(records)
    for mask, reason in reversed(checks):
        for i in np.flatnonzero(mask):
            reasons[i] = reason
    return reasons


def _pooled_record(
    key: tuple[Any, ...],
    by: str,
    effect: str,
    method: str,
    rows: list[dict[str, Any]],
    effects: pd.DataFrame,
    reasons: list[str | None],
) -> dict[str, Any] | None:
    from scipy.special import ndtri

    use = [i for i, reason in enumerate(reasons) if reason is None]
    if len(use) < 2:
        return None
    signs = {rows[i].get("improvement_sign") for i in use}
    if len(signs) > 1:
        raise AnalysisError(
            f"the levels of '{by}' disagree on which direction is an improvement",
            where=f"paired records of {key[0]} / {key[1]}",
            fix="pool only records of one scale scored with one definition",
        )
    sign = signs.pop()
    yi = effects["yi"].to_numpy()[use]
    vi = effects["vi"].to_numpy()[use]
    fit = random_effects(yi, vi, method=method)
    crit = float(ndtri(0.975))
    sei = np.sqrt(vi)
    studies = [
        {
            "level": rows[i].get("group"),
            "n_pairs": int(rows[i]["n_pairs"]),
            "estimate": float(y),
            "se": float(se),
            "ci_low": float(y - crit * se),
            "ci_high": float(y + crit * se),
            "weight": weight,
        }
        for i, y, se, weight in zip(use, yi, sei, fit["weights"], strict=True)
    ]
    excluded = [
        {"level": rows[i].get("group"), "n_pairs": _count(rows[i].get("n_pairs")), "reason": r}
        for i, r in enumerate(reasons)
        if r is not None
    ]
    instrument, scale, from_wave, to_wave = key
    return {
        "instrument": instrument,
        "scale": scale,
        "group": None,
        "group_column": None,
        "pooled_over": by,
        "from_wave": from_wave,
        "to_wave": to_wave,
        "effect": effect,
        "method": method,
        "k": fit["k"],
        "n_total": int(sum(int(rows[i]["n_pairs"]) for i in use)),
        **{name: fit[name] for name in _FIT_FIELDS},
        "improvement_sign": None if sign is None else int(sign),
        "studies": studies,
        "excluded": excluded,
        "suppress": False,
    }


def _count(value: Any) -> int | None:
    number = _as_float(value)
    return int(number) if math.isfinite(number) else None


def pool_paired(
    paired: list[dict[str, Any]],
    by: str,
    min_cell: int = 5,
    method: str = "REML",
    effects: Sequence[str] = EFFECTS,
) -> list[dict[str, Any]]:
    """Pool the sites (levels of ``by``) of every scale and contrast by random effects.

    Parameters
    ----------
    paired : list of dict
        All paired records of an analysis; only those with ``group_column == by`` (one per
        level) are used, so the whole-sample records and other groupings are ignored.
    by : str
        The site or cohort column whose levels are the studies.
    min_cell : int
        Minimum cell size: a level with fewer pairs is never pooled nor shown.
    method : {"REML", "DL"}
        Estimator of τ² (see :func:`random_effects`).
    effects : sequence of {"mean_change", "smcr"}
        Effect sizes to pool (see :func:`study_effects`); one record each.

    Returns
    -------
    list of dict
        One record per instrument × scale × (from_wave, to_wave) × effect with at least two
        usable levels, in the order the records first appear: the key, ``pooled_over``,
        ``effect``, ``method``, ``k``, ``n_total``, the fields of :func:`random_effects`,
        ``improvement_sign``, ``studies`` (level, n_pairs, estimate, se, 95% ci_low /
        ci_high, percent weight; in input order), ``excluded`` (level, n_pairs, reason) and
        ``suppress`` (False: small levels are left out rather than flagged).

    Raises
    ------
    AnalysisError
        No paired record is grouped by ``by``, or one level appears twice for one scale
        and contrast.

    Examples
    --------
    >>> base = {"instrument": "x", "scale": "t", "group_column": "site", "from_wave": "pre",
    ...         "to_wave": "post", "improvement_sign": 1, "suppress": False, "pre_sd": 4.0,
    ...         "post_sd": 4.0, "sd_change": 4.0, "pre_mean": 10.0}
    >>> recs = [dict(base, group="A", n_pairs=20, post_mean=11.0),
    ...         dict(base, group="B", n_pairs=30, post_mean=14.0),
    ...         dict(base, group="C", n_pairs=3, post_mean=19.0, suppress=True)]
    >>> [pooled] = pool_paired(recs, by="site", method="DL", effects=["mean_change"])
    >>> pooled["k"], pooled["n_total"], round(pooled["estimate"], 4), round(pooled["i2"], 1)
    (2, 50, 2.5444, 85.2)
    >>> pooled["excluded"]
    [{'level': 'C', 'n_pairs': 3, 'reason': 'fewer than 5 pairs (minimum cell size)'}]
    """
    if method not in METHODS:
        raise InputError(
            f"unknown random-effects method '{method}'",
            where="method",
            fix=f"use one of {', '.join(METHODS)}",
        )
    for effect in effects:
        if effect not in EFFECTS:
            raise InputError(
                f"unknown effect size '{effect}' for pooling",
                where="effects",
                fix=f"use one or more of {', '.join(EFFECTS)}",
            )
    chosen = [r for r in paired if r.get("group_column") == by]
    if not chosen:
        columns = sorted({str(r["group_column"]) for r in paired if r.get("group_column")})
        raise AnalysisError(
            f"no paired results by '{by}' to pool",
            where="pool_paired(by=...)",
            fix=f"compare with '{by}' as the group column"
            + (f", or pool over one of {columns}" if columns else ""),
        )
    cells: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for rec in chosen:
        key = (rec.get("instrument"), rec.get("scale"), rec.get("from_wave"), rec.get("to_wave"))
        cells.setdefault(key, []).append(rec)
    out: list[dict[str, Any]] = []
    for key, rows in cells.items():
        levels = [r.get("group") for r in rows]
        if len(set(levels)) != len(levels):
            raise AnalysisError(
                f"a level of '{by}' appears more than once for one scale and contrast",
                where=f"{key[0]} / {key[1]}, {key[2]} → {key[3]}",
                fix="pass the paired records of a single analysis",
            )
        for effect in effects:
            table = study_effects(rows, effect)
            reasons = _unusable_reasons(rows, table, effect, min_cell)
            record = _pooled_record(key, by, effect, method, rows, table, reasons)
            if record is not None:
                out.append(record)
    return out
