"""An independent attacker for tests: every whole-number table consistent with what is shown.

It knows nothing of the auditor's code. Given a group × category table (inner cells, each
group's size, each category's whole-sample count, the grand total), the status of each
published cell (``shown``, ``small`` = 1..t-1, ``hidden`` = at least t, ``withheld`` = at
least 0) and the threshold, it enumerates every inner table the reader cannot rule out,
and reports which values each cell can take.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
from hypothesis import strategies as st

Table = list[list[int]]


def margins(inner: np.ndarray) -> dict[str, np.ndarray]:
    """Every published cell of a stack of inner tables, keyed as the tests register them."""
    out: dict[str, np.ndarray] = {}
    n_groups, n_cats = inner.shape[1], inner.shape[2]
    for g, c in itertools.product(range(n_groups), range(n_cats)):
        out[f"g{g}|c{c}"] = inner[:, g, c]
    for g in range(n_groups):
        out[f"g{g}|n"] = inner[:, g, :].sum(axis=1)
    for c in range(n_cats):
        out[f"all|c{c}"] = inner[:, :, c].sum(axis=1)
    out["all|n"] = inner.sum(axis=(1, 2))
    return out


def register(d: object, table: Table) -> None:
    """Register a table with a Disclosure-like object (count + relation)."""
    truth = margins(np.asarray([table]))
    for key, value in truth.items():
        d.count(key, int(value[0]))  # type: ignore[attr-defined]
    n_groups, n_cats = len(table), len(table[0])
    for g in range(n_groups):
        d.relation(f"g{g}|n", [f"g{g}|c{c}" for c in range(n_cats)])  # type: ignore[attr-defined]
    for c in range(n_cats):
        d.relation(f"all|c{c}", [f"g{g}|c{c}" for g in range(n_groups)])  # type: ignore[attr-defined]
    d.relation("all|n", [f"g{g}|n" for g in range(n_groups)])  # type: ignore[attr-defined]
    d.relation("all|n", [f"all|c{c}" for c in range(n_cats)])  # type: ignore[attr-defined]
    # As the report does: a group's categories rest on the group's size.
    for c in range(n_cats):
        for g in range(n_groups):
            d.derived(f"g{g}|c{c}", f"g{g}|n")  # type: ignore[attr-defined]
        d.derived(f"all|c{c}", "all|n")  # type: ignore[attr-defined]


def show_again(table: Table, status: Mapping[str, str], key: str, t: int) -> dict[str, str]:
    """The statuses with ``key`` shown, and what was withheld only because of it restored."""
    truth = margins(np.asarray([table]))
    out = {**status, key: "shown"}
    if key.endswith("|n"):
        prefix = key[: -len("n")]
        for k in truth:
            if k.startswith(prefix) and k != key and out.get(k) == "withheld":
                v = int(truth[k][0])
                out[k] = "small" if 0 < v < t else "shown"
    return out


def feasible_values(
    table: Table, status: Mapping[str, str], threshold: int, cap: int | None = None
) -> dict[str, set[int]] | None:
    """Values each cell can take in some table consistent with the published figures.

    Inner cells range over what their own marker and any shown margin allow (cap: the
    grand total plus the threshold when nothing bounds them). Returns ``None`` when the
    search space is too large for a test.
    """
    truth = margins(np.asarray([table]))
    t = threshold
    n_groups, n_cats = len(table), len(table[0])
    grand = int(truth["all|n"][0])
    limit = cap if cap is not None else grand + 2 * t

    def bound(key: str) -> tuple[int, int]:
        s = status.get(key, "shown")
        if s == "shown":
            v = int(truth[key][0])
            return v, v
        if s == "small":
            return 1, t - 1
        if s == "hidden":
            return t, limit
        return 0, limit

    axes = []
    for g, c in itertools.product(range(n_groups), range(n_cats)):
        lo, hi = bound(f"g{g}|c{c}")
        # A shown margin bounds each of its cells from above.
        for margin in (f"g{g}|n", f"all|c{c}", "all|n"):
            if status.get(margin, "shown") == "shown":
                hi = min(hi, int(truth[margin][0]))
        if hi < lo:
            return {}
        axes.append(np.arange(lo, hi + 1))
    if np.prod([len(a) for a in axes], dtype=float) > 400_000:
        return None
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, n_groups, n_cats)
    cells = margins(grid)
    ok = np.ones(len(grid), dtype=bool)
    for key, values in cells.items():
        lo, hi = bound(key)
        ok &= (values >= lo) & (values <= hi)
    return {key: {int(v) for v in np.unique(values[ok])} for key, values in cells.items()}


def narrowed(table: Table, status: Mapping[str, str], threshold: int) -> list[str] | None:
    """Suppressed counts of 1..t-1 that cannot take every value 1..t-1 (None: too big)."""
    values = feasible_values(table, status, threshold)
    if values is None:
        return None
    truth = margins(np.asarray([table]))
    out = []
    for key, possible in values.items():
        v = int(truth[key][0])
        hidden = 0 < v < threshold and status.get(key, "shown") != "shown"
        if hidden and not set(range(1, threshold)) <= possible:
            out.append(key)
    return out


tables = st.integers(2, 3).flatmap(
    lambda groups: st.integers(2, 3).flatmap(
        lambda cats: st.lists(
            st.lists(st.integers(0, 9), min_size=cats, max_size=cats),
            min_size=groups,
            max_size=groups,
        )
    )
)
"""Small group × category tables of counts 0–9, for property tests of the auditor."""
