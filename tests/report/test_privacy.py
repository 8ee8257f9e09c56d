"""Small-cell suppression: primary, complementary, derived, across relations."""

from __future__ import annotations

import pytest

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
    d = _disclosure(**{"x|*|n": 63, "x|g:a|n": 60, "x|g:b|n": 3, "y|*|imp": 20})
    d.count("y|g:a|imp", 19)
    d.count("y|g:b|imp", 1)
    d.relation("x|*|n", ["x|g:a|n", "x|g:b|n"])
    d.relation("y|*|imp", ["y|g:a|imp", "y|g:b|imp"])
    d.derived("y|g:a|imp", "x|g:a|n")
    d.derived("y|g:b|imp", "x|g:b|n")
    d.resolve()
    # The group is hidden, not the whole sample; what rests on hidden sizes is withheld.
    assert d.status("x|g:b|n") == "small" and d.status("x|g:a|n") == "hidden"
    assert d.status("y|g:a|imp") == d.status("y|g:b|imp") == "withheld"
    assert d.shown("y|*|imp") and d.mark("y|g:b|imp") == "not shown"


def test_small_counts_that_cannot_be_protected_are_left_out_altogether() -> None:
    # 7 = a + b with both "<5" narrows them to 3 and 4, and the 7 is a count the report
    # must show as it is (person=False): hiding more cannot help, so a and b are left out
    # ("not shown", which a reader cannot tell from zero) and the methods say so.
    d = _disclosure(a=3, b=4)
    d.count("total", 7, person=False)
    d.relation("total", ["a", "b"])
    d.resolve()
    assert d.mark("a") == d.mark("b") == "not shown" and d.mark("total") == "7"
    assert d.summary is not None and d.summary.left_out == ["a", "b"]
    assert "left out altogether" in d.audit_sentence()


def test_a_report_that_would_leak_in_any_case_is_refused() -> None:
    from stigma_outcomes.report.secondary import DisclosureAuditError

    d = _disclosure(a=3)
    d.count("files", 3, person=False)
    d.relation("files", ["a"])
    with pytest.raises(DisclosureAuditError) as err:
        d.resolve()
    assert err.value.exit_code == 2 and "no report was written" in str(err.value)


def test_a_total_printed_nowhere_gives_nothing_away() -> None:
    d = _disclosure(a=2, b=0)
    d.relation("virtual_total", ["a", "b"])
    assert d.resolve()["a"] == "small" and d.summary is not None and not d.summary.added


def test_rejects_a_threshold_below_one() -> None:
    with pytest.raises(ValueError):
        Disclosure(0)


def test_note_states_the_rule() -> None:
    assert "1 to 10 people" in Disclosure(11).note()


def test_the_demo_leak_everyone_8_and_two_groups_under_5_is_closed_in_the_report() -> None:
    # The case in a whole report: everyone 8 reliably worse, both groups "<5"
    # (8 = a + b with a, b <= 4 forces 4 and 4). Today's code printed all three.
    from stigma_outcomes.report import build_report
    from stigma_outcomes.report.render_markdown import render_markdown

    from .conftest import paired_record

    recs = [
        paired_record("gbs", "total", None, 176, 3.97, 4.49, 1, 0.001, 66, 8),
        paired_record("gbs", "total", "Comparison", 75, 3.81, 4.03, 1, 0.46, 18, 4),
        paired_record("gbs", "total", "Intervention", 101, 4.1, 4.82, 1, 0.001, 48, 4),
    ]
    model = build_report({"meta": {}, "paired": recs})
    rows = {r[0]: r for r in model.outcomes[0].tables[0].rows}
    everyone = next(r for label, r in rows.items() if "Everyone" in label)
    comparison = next(r for label, r in rows.items() if "Comparison" in label)
    assert comparison[-1] == "<5" and "8" not in everyone[-1]
    # The headline (66 reliably improved) stays: "no reliable change" protects instead.
    assert everyone[-2] == "38% (66)"
    text = render_markdown(model)
    assert "(8 of 176)" not in text and "66 of 176" in text
    d = model.disclosure
    assert d.summary is not None and d.summary.added
    assert any(k.endswith("*|n_reliably_deteriorated") for k in d.summary.added)


def test_a_count_within_another_is_at_most_it_and_equal_when_nothing_is_left_over() -> None:
    # 40 took part, 37 came back (hidden), 3 did not (small); 37 pairs at the later wave are
    # among those who came back. Equal, so a reader taking them as the same people is right:
    # the pairs are hidden too.
    d = Disclosure(5)
    for key, value in {"pre": 40, "fu": 37, "no_fu": 3, "pairs": 37}.items():
        d.count(key, value)
    d.relation("pre", ["fu", "no_fu"])
    d.within("fu", "pairs")
    status = d.resolve()
    assert status["no_fu"] == "small"
    assert not (status["pre"] == "shown" and status["pairs"] == "shown")
    # 30 pairs: at most fu, which leaves 1 to 4 for no_fu; nothing needs hiding for it.
    d = Disclosure(5)
    for key, value in {"pre": 40, "fu": 37, "no_fu": 3, "pairs": 30, "other": 30}.items():
        d.count(key, value, cost=100.0 if key == "pairs" else None)
    d.relation("pre", ["fu", "no_fu"])
    d.within("fu", "pairs")
    status = d.resolve()
    assert status["pairs"] == "shown" and status["pre"] == "shown" and status["fu"] == "hidden"
