"""In-sample reliability per scale and wave: alpha, its Feldt interval, item statistics, omega.

Computed on the keyed item responses (already reversed and recoded by scoring) of the
participants whose scale score at that wave is ``ok``. The definitions follow R's ``psych``:

* **Cronbach's alpha** is ``psych::alpha``'s ``raw_alpha``: ``k/(k-1) * (1 - tr(C)/sum(C))``
  with ``C`` the item covariance matrix from *pairwise-complete* observations (each
  covariance uses the participants who answered both items, with that pair's own means), as
  ``cov(x, use = "pairwise")``. Items without variance are left out, as psych does.
* **Feldt 95% CI** (``psych::alpha.ci``, what ``alpha()`` prints as "Feldt"):
  ``1 - (1 - alpha) * F_q(n - 1, (n - 1)(k - 1))`` with ``q = 0.975`` for the lower and
  ``q = 0.025`` for the upper limit, ``n`` the number of participants analysed (psych counts
  every row given to it, including rows with some items missing).
* **Alpha if item deleted** is raw alpha of ``C`` without that item; undefined for two-item
  scales (one item has no alpha; psych prints a covariance ratio there instead).
* **Corrected item-total (item-rest) correlation** is psych's ``r.drop``, from ``C``:
  ``(sum_j C_ij - C_ii) / sqrt(C_ii * sum(C without item i))``. An item with a negative value
  is listed in ``miskeyed_items``: after keying it runs against the rest of its scale, the
  usual sign that the survey platform had already reversed it.
* **McDonald's omega total** from a one-factor model fitted by minimum residual (minres,
  unweighted least squares on the off-diagonal correlations, psych's default ``fm``) to the
  pairwise correlation matrix: ``(sum(R) - sum(1 - lambda^2)) / sum(R)``. This is
  ``psych::omega(x, nfactors = 1, flip = FALSE)$omega.tot`` whenever every uniqueness stays
  above psych's floor of 0.005; in a Heywood case (an item loading of 1) the two take
  different boundary solutions, this package keeps the bounded least-squares minimum and
  says so in ``note`` (see :func:`_minres_uniquenesses`). We do not let items be flipped
  (psych's default ``flip = TRUE`` reverses negatively loading items first), so omega
  describes the scale as it is scored and a mis-keyed item lowers it, as it lowers alpha.
  It needs at least three items.

Each record also carries ``n`` (participants analysed), ``n_items`` (items that vary and
enter alpha), ``alpha_ci_method`` and ``omega_method`` (the definitions above, in words),
and ``note`` (why a value is ``None``, items left out, and the mis-keying warning).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from stigma_outcomes.errors import AnalysisError

from ._reliability_numerics import (
    _alpha,
    _minres_uniquenesses,
    omega_fit,
    omega_total,
    pairwise_moments,
)
from ._reliability_rows import ItemBlock, item_rows

ALPHA_CI_METHOD = "Feldt: 1 - (1 - alpha) * qf(c(0.975, 0.025), n - 1, (n - 1) * (k - 1))"
OMEGA_METHOD = (
    "omega total, one factor fitted by minres (ULS) to pairwise correlations, items not flipped "
    "(psych::omega(nfactors = 1, flip = FALSE))"
)


def _num(value: float | np.floating | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _resolve_columns(
    keyed_items: pd.DataFrame, instrument: str, scale: str, items: list[str]
) -> list[str]:
    columns = []
    for item in items:
        prefixed = f"{instrument}_{item}"
        if prefixed in keyed_items.columns:
            columns.append(prefixed)
        elif item in keyed_items.columns:
            columns.append(item)
        else:
            raise AnalysisError(
                f"item '{item}' of {instrument}.{scale} has no column in the keyed items",
                where=f"keyed item responses (looked for '{prefixed}' and '{item}')",
                fix="pass the keyed items returned by scoring for this instrument",
            )
    return columns


def in_sample_reliability(
    keyed_items: pd.DataFrame,
    scale_items: dict[tuple[str, str], list[str]],
    scores: pd.DataFrame,
) -> list[dict[str, Any]]:
    """Alpha (Feldt CI), alpha if deleted, item-rest r, omega total and mis-keying per wave.

    Parameters
    ----------
    keyed_items : pandas.DataFrame
        ``participant_id, wave`` and one column per item named ``<instrument>_<item>``
        (already reverse-keyed and recoded; NaN where missing).
    scale_items : dict
        ``{(instrument, scale): [item, ...]}``; items are given by item id (or full column
        name).
    scores : pandas.DataFrame
        Tidy scores; only participants whose scale score is ``ok`` at a wave are analysed.

    Returns
    -------
    list of dict
        One record per instrument x scale x wave with ``n``, ``n_items``, ``alpha``,
        ``alpha_ci_low``, ``alpha_ci_high``, ``alpha_if_deleted`` and ``item_rest_r``
        (item -> value), ``omega_total``, ``miskeyed_items`` and ``note``; ``None`` where a
        value is undefined (fewer than 2 items, fewer than 3 participants, ...).

    Raises
    ------
    AnalysisError
        If a required column is missing or a participant has two rows at one wave.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"participant_id": list("abcde"), "wave": "pre",
    ...                       "x_q1": [1, 2, 3, 4, 5.0], "x_q2": [2, 2, 3, 5, 4.0],
    ...                       "x_q3": [1, 3, 3, 4, 5.0]})
    >>> scores = pd.DataFrame({"participant_id": list("abcde"), "wave": "pre",
    ...                        "instrument": "x", "scale": "total", "status": "ok"})
    >>> rec = in_sample_reliability(items, {("x", "total"): ["q1", "q2", "q3"]}, scores)[0]
    >>> rec["n"], round(rec["alpha"], 4), rec["miskeyed_items"]
    (5, 0.9451, [])
    """
    for name, frame, cols in (
        ("keyed items", keyed_items, {"participant_id", "wave"}),
        ("scores", scores, {"participant_id", "wave", "instrument", "scale", "status"}),
    ):
        missing = sorted(cols - set(frame.columns))
        if missing:
            raise AnalysisError(
                f"the {name} lack the column(s) {', '.join(missing)}",
                where=f"{name} passed to in-sample reliability",
                fix="pass the keyed items and tidy scores produced by scoring",
            )
    rows_of = item_rows(keyed_items, scores)
    numeric: dict[str, np.ndarray] = {}  # each item column made numeric once
    plan = []  # (base record, item ids, columns, rows, n_ok) in the order of the records
    seen: dict[str, list[np.ndarray]] = {}  # the distinct sets of rows of each wave
    for (instrument, scale), items in sorted(scale_items.items()):
        columns = _resolve_columns(keyed_items, instrument, scale, list(items))
        for col in columns:
            if col not in numeric:
                values = keyed_items[col]
                if not pd.api.types.is_numeric_dtype(values):
                    values = pd.to_numeric(values, errors="coerce")
                numeric[col] = values.to_numpy(dtype=float, na_value=np.nan)
        for wave, rows, n_ok in rows_of(instrument, scale):
            base = {"instrument": instrument, "scale": scale, "wave": wave}
            rows = _shared(rows, seen.setdefault(wave, []))
            plan.append((base, [str(i) for i in items], columns, rows, n_ok))
    records: list[dict[str, Any] | None] = [None] * len(plan)
    for members in _same_rows(plan):
        # The scales of one instrument that analyse exactly the same rows share one block of
        # their items, the longest scale's first, so that scale's items are the block itself.
        longest_first = sorted(members, key=lambda m: -len(plan[m][2]))
        union = list(dict.fromkeys(c for m in longest_first for c in plan[m][2]))
        at = {c: j for j, c in enumerate(union)}
        block = ItemBlock([numeric[c] for c in union], plan[members[0]][3])
        for m in members:
            base, ids, columns, _, n_ok = plan[m]
            positions = np.array([at[c] for c in columns], dtype=np.intp)
            records[m] = _reliability(block, positions, ids, base, n_ok)
    return [r for r in records if r is not None]


def _shared(rows: np.ndarray, distinct: list[np.ndarray]) -> np.ndarray:
    """``rows``, or the equal array already in ``distinct`` (kept once, and told by identity)."""
    for known in distinct:
        if np.array_equal(known, rows):
            return known
    distinct.append(rows)
    return rows


def _same_rows(plan: list[tuple[Any, ...]]) -> list[list[int]]:
    """Indices of ``plan`` grouped by instrument, wave and (the one array of) their rows."""
    groups: dict[tuple[str, str, int], list[int]] = {}
    for m, (base, _, _, rows, _) in enumerate(plan):
        groups.setdefault((base["instrument"], base["wave"], id(rows)), []).append(m)
    return list(groups.values())


def _undefined(base: dict[str, Any], n: int, items: list[str], note: str) -> dict[str, Any]:
    record = dict(base)
    record.update(
        {
            "n": n,
            "n_items": len(items),
            "alpha": None,
            "alpha_ci_low": None,
            "alpha_ci_high": None,
            "alpha_ci_method": ALPHA_CI_METHOD,
            "alpha_if_deleted": dict.fromkeys(items),
            "item_rest_r": dict.fromkeys(items),
            "omega_total": None,
            "omega_method": OMEGA_METHOD,
            "miskeyed_items": [],
            "note": note,
        }
    )
    return record


def _reliability(
    block: ItemBlock,
    positions: np.ndarray,
    items: list[str],
    base: dict[str, Any],
    n_ok: int | None = None,
) -> dict[str, Any]:
    """One record: the scale's items are ``block``'s columns at ``positions``."""
    from .distributions import f as f_dist

    n = block.n
    n_ok = n if n_ok is None else n_ok
    notes = []
    wave = base.get("wave")
    if n == 0 and n_ok > 0:
        return _undefined(
            base, n, items,
            f"{n_ok} participant(s) have an ok score at wave '{wave}', but the keyed item "
            "responses have no row for any of them at that wave; pass the item answers of "
            "this wave to compute its reliability",
        )  # fmt: skip
    if n < n_ok:
        notes.append(
            f"{n_ok - n} of the {n_ok} participants with an ok score at wave '{wave}' have no "
            "row in the keyed item responses and are left out"
        )
    if len(items) < 2:
        return _undefined(base, n, items, "reliability needs a scale of at least two items")
    if n < 3:
        return _undefined(
            base, n, items, "; ".join([*notes, f"only {n} participant(s) with item answers"])
        )
    keep = block.varies[positions]
    if not keep.all():
        dropped = [i for i, k in zip(items, keep, strict=True) if not k]
        notes.append(f"item(s) without variance left out, as psych does: {', '.join(dropped)}")
    used = [i for i, k in zip(items, keep, strict=True) if k]
    if len(used) < 2:
        return _undefined(base, n, items, "; ".join([*notes, "fewer than two items vary"]))
    cov, cor, pair_n = block.moments(positions[keep])
    if (pair_n < 2).any() or not np.isfinite(cov).all():
        return _undefined(
            base, n, items, "; ".join([*notes, "some items were never answered together"])
        )
    k = len(used)
    alpha = _alpha(cov)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    ci_low = 1.0 - (1.0 - alpha) * f_dist.ppf(0.975, df1, df2)
    ci_high = 1.0 - (1.0 - alpha) * f_dist.ppf(0.025, df1, df2)

    col_sum = cov.sum(axis=0)
    diag = np.diag(cov)
    rest_var = cov.sum() - 2.0 * col_sum + diag  # variance of the sum without item i
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_r = (col_sum - diag) / np.sqrt(diag * rest_var)
        if k > 2:
            alpha_drop = (k - 1) / (k - 2) * (1.0 - (np.trace(cov) - diag) / rest_var)
        else:
            alpha_drop = np.full(k, np.nan)
            notes.append("alpha if item deleted is undefined for a two-item scale")
    if k >= 3 and np.isfinite(cor).all():
        omega, heywood = omega_fit(cor)
        if heywood.any():
            names = ", ".join(i for i, h in zip(used, heywood, strict=True) if h)
            notes.append(
                f"Heywood case: the one-factor loading of {names} reaches 1 (uniqueness at "
                "the 0.005 floor), so omega total rests on a boundary solution; psych::omega "
                "stops at another point of that boundary and can differ by about 0.02; read "
                "omega with care here (alpha is unaffected)"
            )
    else:
        omega = math.nan
        notes.append("omega total needs at least three items")
    miskeyed = [i for i, r in zip(used, rest_r, strict=True) if r < 0]
    if miskeyed:
        notes.append(
            f"item(s) {', '.join(miskeyed)} correlate negatively with the rest of the scale "
            "after keying; check whether the survey platform already reversed them"
        )
    by_item_drop = dict(zip(used, (_num(v) for v in alpha_drop), strict=True))
    by_item_r = dict(zip(used, (_num(v) for v in rest_r), strict=True))
    record = dict(base)
    record.update(
        {
            "n": n,
            "n_items": k,
            "alpha": _num(alpha),
            "alpha_ci_low": _num(ci_low),
            "alpha_ci_high": _num(ci_high),
            "alpha_ci_method": ALPHA_CI_METHOD,
            "alpha_if_deleted": {i: by_item_drop.get(i) for i in items},
            "item_rest_r": {i: by_item_r.get(i) for i in items},
            "omega_total": _num(omega),
            "omega_method": OMEGA_METHOD,
            "miskeyed_items": miskeyed,
            "note": "; ".join(notes) if notes else None,
        }
    )
    return record


__all__ = [
    "ALPHA_CI_METHOD",
    "OMEGA_METHOD",
    "_minres_uniquenesses",
    "in_sample_reliability",
    "omega_fit",
    "omega_total",
    "pairwise_moments",
]
