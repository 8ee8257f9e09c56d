"""The audit's exact search against scipy's milp (the solver it replaced) and a brute force."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stigma_outcomes.report import _feasible
from stigma_outcomes.report._feasible import Search, milp_values, narrow
from stigma_outcomes.report.disclosure import EXACT, HIDDEN, SMALL, UNKNOWN, Audit
from stigma_outcomes.report.privacy import Disclosure
from stigma_outcomes.report.secondary import DisclosureAuditError

from .bruteforce import register, tables


def _random_audit(table: list[list[int]], threshold: int, data: st.DataObject) -> Audit:
    """A table's counts under random markers, with a few printed percentages."""
    d = Disclosure(threshold)
    register(d, table)
    a = Audit(threshold)
    for key, v in d.values.items():
        states = [EXACT, UNKNOWN] + ([SMALL] if 0 < v < threshold else [HIDDEN] if v else [])
        a.count(key, v, data.draw(st.sampled_from(states)))
    for total, parts in d.relations:
        a.relation(total, parts)
    keys = sorted(d.values)
    for i in range(data.draw(st.integers(0, 3))):
        num, den = data.draw(st.sampled_from(keys)), data.draw(st.sampled_from(keys))
        if d.values[den] > 0 and d.values[num] <= d.values[den]:
            a.share(f"pct{i}", num, den, decimals=data.draw(st.integers(0, 1)))
    return a


def _search_and_milp(a: Audit, comp: list[str]) -> tuple[dict, dict] | None:
    targets = a.sensitive_in(comp)
    if not targets:
        return None
    _ranges, search, rows = a._prepare(comp, *a._touching(comp))
    if search is None:  # an unbounded count: milp answers it anyway
        return None
    mine = {k: search.cell(k, comp.index(k)) for k in targets}
    return mine, milp_values(a, comp, targets, rows)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, threshold=st.integers(2, 6), data=st.data())
def test_search_gives_milps_ranges(table: list[list[int]], threshold: int, data) -> None:
    a = _random_audit(table, threshold, data)
    compared = 0
    for comp in a.components():
        got = _search_and_milp(a, comp)
        if got is None:
            continue
        mine, theirs = got
        for k, r in mine.items():
            s = theirs[k]
            assert (r.low, r.high, r.attainable) == (s.low, s.high, s.attainable), k
            compared += 1
    assume(compared)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, threshold=st.integers(2, 6))
def test_protection_decides_as_it_did_with_milp(
    table: list[list[int]], threshold: int, monkeypatch_module
) -> None:
    def resolve() -> dict[str, str] | str:
        d = Disclosure(threshold)
        register(d, table)
        try:
            return d.resolve()
        except DisclosureAuditError as err:
            return str(err)

    searched = resolve()
    # No search node allowed: every question goes to milp, the audit's solver before.
    monkeypatch_module.setattr(_feasible, "SEARCH_NODES", 0)
    try:
        assert resolve() == searched
    finally:
        monkeypatch_module.undo()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@settings(max_examples=60, deadline=None)
@given(
    coefs=st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1, max_size=3),
    truth=st.lists(st.integers(0, 6), min_size=3, max_size=3),
    slack=st.lists(st.integers(0, 4), min_size=3, max_size=3),
    equal=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_narrowing_never_loses_a_whole_number_point(coefs, truth, slack, equal) -> None:
    rows = []
    for row, eq, s in zip(coefs, equal, slack, strict=False):
        idx = tuple(j for j, c in enumerate(row) if c)
        if not idx:
            continue
        total = sum(c * x for c, x in zip(row, truth, strict=True))
        rows.append((idx, tuple(row[j] for j in idx), total if eq else None, total + s))
    lo, hi = [0, 0, 0], [8, 8, math.inf]
    points = [
        p
        for p in itertools.product(range(9), range(9), range(20))
        if all(
            (r_lo is None or sum(c * p[j] for j, c in zip(i, cs, strict=True)) >= r_lo)
            and sum(c * p[j] for j, c in zip(i, cs, strict=True)) <= r_hi
            for i, cs, r_lo, r_hi in rows
        )
    ]
    assert narrow(lo, hi, rows)  # the true point is always left
    for p in points:
        assert all(lo[j] <= p[j] <= hi[j] for j in range(3)), (p, lo, hi)


def test_search_finds_the_integer_gap_and_the_ends() -> None:
    # a = 2 b with a and b small (1..4): a is 2 or 4, never 3, which linear bounds allow.
    search = Search([((0, 1), (1, -2), 0, 0)], [1, 1], [4, 4], [2, 1], 5)
    r = search.cell("a", 0)
    assert (r.low, r.high, r.attainable) == (2, 4, frozenset({2, 4}))
    # An unknown count of 0..9 whose parts are 1..4 and at least 5: 6..9, so 6 or 7 of 1..7.
    search = Search([((0, 1, 2), (1, -1, -1), 0, 0)], [0, 1, 5], [9, 4, 8], [7, 2, 5], 8)
    r = search.cell("total", 0)
    assert (r.low, r.high, r.attainable) == (6, 9, frozenset({6, 7}))


def test_a_search_over_budget_hands_the_component_to_milp(monkeypatch) -> None:
    a = Audit(5)
    a.count("all", 7)
    a.count("x", 4, SMALL)
    a.count("y", 3, SMALL)
    a.relation("all", ["x", "y"])
    monkeypatch.setattr(_feasible, "SEARCH_NODES", 0)
    before = a.solver_calls
    assert a.cell("x").attainable == frozenset({3, 4})
    assert a.solver_calls - before >= 2  # milp's min and max at least
