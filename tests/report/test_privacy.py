"""Small-cell suppression: primary, complementary, derived, across relations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.report.privacy import HIDDEN_MARK, Disclosure


def _disclosure(threshold: int = 5, **counts: int) -> Disclosure:
    d = Disclosure(threshold)
    for key, value in counts.items():
        d.count(key, value)
    return d


def test_small_counts_are_marked_and_zero_is_shown() -> None:
    d = _disclosure(a=3, b=0, c=5)
    assert (d.mark("a"), d.mark("b"), d.mark("c")) == ("<5", "0", "5")


def test_threshold_is_configurable() -> None:
    d = _disclosure(threshold=11, a=10, b=11)
    assert (d.mark("a"), d.mark("b")) == ("<11", "11")


def test_one_hidden_part_forces_a_second_so_subtraction_fails() -> None:
    d = _disclosure(total=40, a=3, b=17, c=20)
    d.relation("total", ["a", "b", "c"])
    assert [d.status(k) for k in ("a", "b", "c", "total")] == ["small", "hidden", "shown", "shown"]
    shown = [d.values[k] for k in ("a", "b", "c") if d.shown(k)]
    # With two parts hidden, the total minus the shown part leaves two unknowns.
    assert sum(shown) == 20 and d.mark("b") == HIDDEN_MARK


def test_hiding_propagates_across_relations() -> None:
    # Whole sample = group A + group B, and each group's improved + not improved = its n.
    d = _disclosure(n=63, n_a=60, n_b=3, imp=20, imp_a=19, imp_b=1)
    d.relation("n", ["n_a", "n_b"])
    d.relation("imp", ["imp_a", "imp_b"])
    d.derived("imp_a", "n_a")
    d.derived("imp_b", "n_b")
    d.resolve()
    assert d.status("n_b") == "small" and d.status("n_a") == "hidden"
    assert not d.shown("imp_a") and not d.shown("imp_b") and d.shown("imp")


def test_a_total_equal_to_its_only_small_part_is_hidden() -> None:
    d = _disclosure(a=2, b=0)
    d.relation("virtual_total", ["a", "b"])
    d.resolve()
    assert d.status("virtual_total") == "hidden"


def test_rejects_a_threshold_below_one() -> None:
    with pytest.raises(ValueError):
        Disclosure(0)


def test_note_states_the_rule() -> None:
    assert "1 to 10 people" in Disclosure(11).note()


@settings(max_examples=200, deadline=None)
@given(
    threshold=st.integers(min_value=2, max_value=11),
    cells=st.lists(
        st.tuples(*(st.integers(min_value=0, max_value=25) for _ in range(3))),
        min_size=1,
        max_size=5,
    ),
)
def test_no_hidden_count_is_ever_the_only_unknown_of_a_published_sum(
    threshold: int, cells: list[tuple[int, int, int]]
) -> None:
    # Groups × (improved, no change, deteriorated), as the report registers them: each group's
    # size is the sum of its three counts and each whole-sample count the sum over groups.
    d = Disclosure(threshold)
    names = ("imp", "none", "det")
    for g, counts in enumerate(cells):
        d.count(f"g{g}|n", sum(counts))
        for name, value in zip(names, counts, strict=True):
            d.count(f"g{g}|{name}", value)
            d.derived(f"g{g}|{name}", f"g{g}|n")
        d.relation(f"g{g}|n", [f"g{g}|{name}" for name in names])
    d.count("all|n", sum(map(sum, cells)))
    d.relation("all|n", [f"g{g}|n" for g in range(len(cells))])
    for i, name in enumerate(names):
        d.count(f"all|{name}", sum(c[i] for c in cells))
        d.relation(f"all|{name}", [f"g{g}|{name}" for g in range(len(cells))])
        d.derived(f"all|{name}", "all|n")
    d.relation("all|n", [f"all|{name}" for name in names])
    status = d.resolve()
    for key, value in d.values.items():
        if 0 < value < threshold:
            assert status[key] != "shown", key
    for total, parts in d.relations:
        if status.get(total, "shown") == "shown":
            hidden = [p for p in parts if status[p] != "shown"]
            assert len(hidden) != 1, (total, hidden)
