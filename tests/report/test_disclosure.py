"""The disclosure audit and secondary suppression, against an independent brute-force attacker."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stigma_outcomes.report.disclosure import EXACT, HIDDEN, SMALL, UNKNOWN, Audit
from stigma_outcomes.report.privacy import Disclosure
from stigma_outcomes.report.secondary import DisclosureAuditError, protect

from .bruteforce import feasible_values, narrowed, register, show_again, tables


def _groups(total: int, parts: list[int], t: int = 5) -> Disclosure:
    d = Disclosure(t)
    d.count("all", total)
    for i, v in enumerate(parts):
        d.count(f"g{i}", v)
    d.relation("all", [f"g{i}" for i in range(len(parts))])
    return d


def _attainable(d: Disclosure, key: str) -> set[int]:
    """What the brute force attacker can still believe about ``key`` after resolve()."""
    status = d.resolve()
    parts = sorted(k for k in d.values if k != "all")
    t = d.threshold
    domains = []
    for k in parts:
        s = status[k]
        domains.append(
            [d.values[k]] if s == "shown" else range(1, t) if s == "small" else range(t, 60)
        )
    import itertools

    out = set()
    for combo in itertools.product(*domains):
        total = sum(combo)
        s = status["all"]
        if s == "shown" and total != d.values["all"]:
            continue
        if s == "hidden" and total < t:
            continue
        out.add(combo[parts.index(key)])
    return out


# -- the cases: each narrowed a "<5" cell in the old suppression -----------------


@pytest.mark.parametrize(
    ("total", "parts"),
    [(8, [4, 4]), (6, [3, 3]), (6, [2, 4]), (7, [3, 4]), (11, [4, 4, 3]), (10, [4, 3, 3])],
)
def test_small_parts_of_a_shown_total_can_still_be_any_small_value(
    total: int, parts: list[int]
) -> None:
    d = _groups(total, parts)
    d.resolve()
    for i, _v in enumerate(parts):
        assert d.status(f"g{i}") == "small"
        assert _attainable(d, f"g{i}") >= {1, 2, 3, 4}, (total, parts, i)
    # The total had to go: nothing else can protect the parts.
    assert d.status("all") == "hidden"


def test_the_exact_case_is_caught_by_the_audit_alone() -> None:
    a = Audit(5)
    a.count("everyone", 8)
    a.count("comparison", 4, SMALL)
    a.count("intervention", 4, SMALL)
    a.relation("everyone", ["comparison", "intervention"])
    r = a.check()["comparison"]
    assert (r.low, r.high, r.attainable) == (4, 4, frozenset({4}))
    assert a.exposed() == ["comparison", "intervention"]


def test_total_seven_narrows_to_three_or_four() -> None:
    a = Audit(5)
    a.count("all", 7)
    a.count("a", 3, SMALL)
    a.count("b", 4, SMALL)
    a.relation("all", ["a", "b"])
    assert a.check()["a"].attainable == frozenset({3, 4})


def test_a_total_shown_in_another_table_is_hidden_everywhere() -> None:
    # Who came back by group (3 and 4 did not) and the flow's total (7 did not) in the summary.
    d = Disclosure(5)
    d.count("flow|no_post", 7)
    d.count("flowg|A|no_post", 3)
    d.count("flowg|B|no_post", 4)
    d.count("flowg|A|pre", 40)
    d.count("flowg|A|both", 37)
    d.count("flowg|B|pre", 50)
    d.count("flowg|B|both", 46)
    for g in ("A", "B"):
        d.relation(f"flowg|{g}|pre", [f"flowg|{g}|both", f"flowg|{g}|no_post"])
    d.relation("flow|no_post", ["flowg|A|no_post", "flowg|B|no_post"])
    d.resolve()
    assert d.status("flow|no_post") != "shown"
    audit = d._audit(d.resolve())
    assert audit.exposed() == []


def test_a_percentage_with_its_denominator_reveals_the_count() -> None:
    # "Reliably improved: <5 of 9 (44%)": 44% of 9 can only be 4.
    a = Audit(5)
    a.count("n", 9)
    a.count("improved", 4, SMALL)
    a.share("pct", "improved", "n")
    assert a.check()["improved"].attainable == frozenset({4})
    # Hiding the denominator does not help: x <= 4 with 44% still means 4 of 9.
    a.set_state("n", UNKNOWN)
    assert a.check()["improved"].attainable == frozenset({4})
    a.set_state("pct", HIDDEN)
    assert a.exposed() == []


def test_the_report_registry_never_prints_a_percentage_of_a_small_count() -> None:
    d = Disclosure(5)
    d.count("n", 9)
    d.count("improved", 4)
    d.share("pct", "improved", "n")
    d.resolve()
    assert not d.percent_shown("pct")


def test_the_complement_of_a_percentage_is_audited_too() -> None:
    # "5 of 9 (56%)" shown, with "not improved" < 5: the printed count gives it away.
    a = Audit(5)
    a.count("n", 9)
    a.count("improved", 5)
    a.count("not", 4, SMALL)
    a.relation("n", ["improved", "not"])
    assert a.exposed() == ["not"]


def test_integer_gaps_are_found_that_linear_bounds_miss() -> None:
    # x + y = 5 with x, y in 1..4 and 100 * x / 5 printed as 40% (x = 2): only x = 2.
    a = Audit(5)
    a.count("n", 5)
    a.count("x", 2, SMALL)
    a.count("y", 3, SMALL)
    a.relation("n", ["x", "y"])
    a.share("p", "x", "n")
    assert a.check()["x"].attainable == frozenset({2})


def test_milp_and_enumeration_agree_on_an_unbounded_component() -> None:
    a = Audit(11)
    a.count("all", 30, UNKNOWN)
    a.count("a", 7, SMALL)
    a.count("b", 23, HIDDEN)
    a.relation("all", ["a", "b"])
    r = a.check()["a"]
    assert r.safe and r.high == 10 and a.solver_calls > 0
    assert math.isinf(a.bounds("all")[1])


def test_markers_that_lie_are_rejected() -> None:
    a = Audit(5)
    with pytest.raises(ValueError):
        a.count("x", 7, SMALL)
    with pytest.raises(ValueError):
        a.count("y", 3, HIDDEN)


def test_published_figures_that_contradict_the_truth_are_a_bug() -> None:
    a = Audit(5)
    a.count("all", 8)
    a.count("a", 4, SMALL)
    a.count("b", 4, SMALL)
    with pytest.raises(ValueError):
        a.relation("all", ["a"])


def test_protect_refuses_when_nothing_can_be_hidden() -> None:
    a = Audit(5)
    a.count("all", 8)
    a.count("a", 4, SMALL)
    a.count("b", 4, SMALL)
    a.relation("all", ["a", "b"])
    with pytest.raises(DisclosureAuditError) as err:
        protect(a, lambda k: 1.0, [])
    assert err.value.exit_code == 2


# -- cost to the reader -------------------------------------------------------------------


def test_no_reliable_change_is_hidden_before_the_headline_improved_count() -> None:
    # The REDCap case: 48 pairs, 18 reliably improved (headline), 4 worse.
    d = Disclosure(5)
    key = "paired|ismi29|total|baseline|post|*|"
    d.count(key + "n_pairs", 48)
    for name, v in (("n_reliably_improved", 18), ("n_no_reliable_change", 26)):
        d.count(key + name, v)
    d.count(key + "n_reliably_deteriorated", 4)
    d.relation(
        key + "n_pairs",
        [
            key + n
            for n in ("n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated")
        ],
    )
    d.resolve()
    assert d.shown(key + "n_reliably_improved") and d.shown(key + "n_pairs")
    assert d.status(key + "n_no_reliable_change") == "hidden"


def test_a_subgroup_is_hidden_before_the_whole_sample() -> None:
    d = Disclosure(5)
    for key, v in {"x|*|n": 50, "x|g:A|n": 30, "x|g:B|n": 17, "x|g:C|n": 3}.items():
        d.count(key, v)
    d.relation("x|*|n", ["x|g:A|n", "x|g:B|n", "x|g:C|n"])
    d.resolve()
    assert d.shown("x|*|n") and d.status("x|g:B|n") == "hidden"


# -- property tests: the auditor against the brute-force attacker ------------------------


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, threshold=st.integers(2, 6))
def test_after_protection_no_suppressed_count_is_narrowed(
    table: list[list[int]], threshold: int
) -> None:
    d = Disclosure(threshold)
    register(d, table)
    try:
        status = d.resolve()
    except DisclosureAuditError:
        # Refusing is right only when hiding every count that may be hidden (non-zero, not
        # small) would still let the attacker narrow a small one.
        worst = {}
        for key, v in d.values.items():
            worst[key] = "small" if 0 < v < threshold else "hidden" if v else "shown"
        for base, deps in d.depends.items():
            if worst[base] != "shown":
                worst.update({k: "withheld" for k in deps})
        result = narrowed(table, worst, threshold)
        assume(result is not None)
        assert result, (table, "refused although hiding everything would protect")
        return
    result = narrowed(table, status, threshold)
    assume(result is not None)
    assert result == [], (table, status)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables, threshold=st.integers(2, 6))
def test_every_added_cell_is_needed(table: list[list[int]], threshold: int) -> None:
    d = Disclosure(threshold)
    register(d, table)
    try:
        status = d.resolve()
    except DisclosureAuditError:
        assume(False)
    assert d.summary is not None
    assume(feasible_values(table, status, threshold) is not None)
    for key in d.summary.added:
        shown_again = show_again(table, status, key, threshold)
        result = narrowed(table, shown_again, threshold)
        assume(result is not None)
        assert result, f"{key} was hidden but no published figure could reveal a small count"


@settings(max_examples=40, deadline=None)
@given(table=tables, threshold=st.integers(2, 6))
def test_auditor_ranges_match_the_brute_force(table: list[list[int]], threshold: int) -> None:
    # Publish everything that is not small, then compare what both attackers conclude.
    d = Disclosure(threshold)
    register(d, table)
    d.depends.clear()
    a = Audit(threshold)
    for key, v in d.values.items():
        a.count(key, v, SMALL if 0 < v < threshold else EXACT)
    for total, parts in d.relations:
        a.relation(total, parts)
    status = {k: ("small" if s == SMALL else "shown") for k, s in a.states.items()}
    brute = feasible_values(table, status, threshold)
    assume(brute is not None)
    for key, r in a.check().items():
        assert set(r.attainable) == {v for v in brute[key] if 0 < v < threshold}, key


def _components_by_union_find(a: Audit, near: list[str]) -> list[list[str]]:
    """The components near some counts, as the audit found them before its link index."""
    everything = a.components()
    wanted = set(near)
    touched = {k for k in wanted if a.states.get(k, EXACT) != EXACT}
    for link in a._links():
        if wanted.intersection(link):
            touched.update(k for k in link if a.states.get(k, EXACT) != EXACT)
    return [g for g in everything if touched.intersection(g)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables,
    threshold=st.integers(2, 6),
    data=st.data(),
)
def test_components_near_counts_match_the_full_partition(
    table: list[list[int]], threshold: int, data: st.DataObject
) -> None:
    d = Disclosure(threshold)
    register(d, table)
    a = Audit(threshold)
    keys = list(d.values)
    for key, v in d.values.items():
        state = data.draw(
            st.sampled_from([EXACT, UNKNOWN] + ([SMALL] if 0 < v < threshold else []))
        )
        a.count(key, v, state if not (v >= threshold and state == SMALL) else EXACT)
    for total, parts in d.relations:
        a.relation(total, parts)
    for _ in range(3):
        near = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3))
        assert a.components(near) == _components_by_union_find(a, near)
        # Markers change between questions, as they do while secondary suppression runs.
        key = data.draw(st.sampled_from(keys))
        if d.values[key] >= threshold:
            a.set_state(key, data.draw(st.sampled_from([EXACT, HIDDEN, UNKNOWN])))
