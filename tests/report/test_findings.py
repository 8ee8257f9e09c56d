"""Plain-language rules, one test per rule."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.report.findings import (
    ancova_sentence,
    design_sentence,
    effect_word,
    paired_finding,
    unlinked_finding,
    verdict,
)
from stigma_outcomes.report.outcomes import OutcomeInfo
from stigma_outcomes.report.privacy import Disclosure

LONELY = OutcomeInfo("ucla3", "total", "Loneliness", "UCLA-3", "higher_is_worse", 3, 9)
BELONG = OutcomeInfo("gbs", "total", "General belongingness", "GBS", "higher_is_better", 1, 7)


def _rec(**over: Any) -> dict[str, Any]:
    rec = {
        "n_pairs": 150,
        "pre_mean": 6.8,
        "post_mean": 5.9,
        "mean_change": -0.9,
        "mean_change_ci_low": -1.2,
        "mean_change_ci_high": -0.6,
        "p_t": 0.0001,
        "p_t_holm": 0.0004,
        "improvement_sign": -1,
        "d_z": -0.45,
        "n_reliably_improved": 47,
        "n_no_reliable_change": 94,
        "n_reliably_deteriorated": 9,
    }
    rec.update(over)
    return rec


def _finding(rec: dict[str, Any], info: OutcomeInfo = LONELY) -> Any:
    d = Disclosure()
    for k in ("n_pairs", "n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated"):
        d.count(f"k|{k}", rec.get(k))
    return paired_finding(rec, info, d, "k")


def test_improved_only_when_the_adjusted_test_says_so() -> None:
    # Unadjusted p is tiny but the Holm-adjusted p is not: no claim of improvement.
    f = _finding(_rec(p_t=0.004, p_t_holm=0.08))
    assert f.verdict == "no clear change"
    assert "improved" not in f.sentence
    assert "95% CI −1.20 to −0.60" in f.sentence


def test_direction_comes_from_the_scale() -> None:
    # A fall is an improvement on loneliness but a worsening on belonging.
    assert _finding(_rec()).verdict == "improved"
    worse = _finding(_rec(improvement_sign=1, pre_mean=4.5, post_mean=3.6), BELONG)
    assert worse.verdict == "worsened"
    assert "higher scores are better" in worse.sentence


def test_every_word_has_its_number_beside_it() -> None:
    f = _finding(_rec())
    for number in ("6.80", "5.90", "−0.90", "−1.20 to −0.60", "p < 0.001", "150"):
        assert number in f.sentence


def test_effect_size_word_names_its_convention() -> None:
    f = _finding(_rec())
    size = f.details[0]
    assert "small by Cohen's conventions" in size and "−0.45" in size
    assert [effect_word(x) for x in (0.19, 0.2, 0.5, 0.8)] == [
        "negligible",
        "small",
        "medium",
        "large",
    ]


def test_reliable_deterioration_is_reported_beside_improvement() -> None:
    text = _finding(_rec()).text
    assert "31% of participants (47 of 150)" in text
    assert "6% of participants (9 of 150)" in text
    assert "reliable deterioration" in text


def test_small_reliable_counts_are_not_printed() -> None:
    text = _finding(_rec(n_reliably_deteriorated=3, n_no_reliable_change=100)).text
    assert "fewer than 5 of 150" in text and "3 of 150" not in text


def test_no_causal_claim_without_a_comparison_group() -> None:
    single = design_sentence(has_comparison=False, linked=True)
    assert "not that the programme caused them" in single
    assert "caused" not in design_sentence(has_comparison=True, linked=True)


def test_comparison_sentence_uses_no_causal_verb() -> None:
    rec = {
        "group": "Intervention",
        "reference_group": "Comparison",
        "adjusted_difference": -0.6,
        "adjusted_difference_ci_low": -0.9,
        "adjusted_difference_ci_high": -0.3,
        "p": 0.001,
    }
    text = ancova_sentence(rec, LONELY, Disclosure(), shown=True)
    assert "ended better off than the Comparison group" in text
    assert "0.60 points lower than the Comparison group's" in text
    assert "caused" not in text and "because of" not in text
    assert "random" in design_sentence(has_comparison=True, linked=True)


def test_unlinked_designs_are_labelled() -> None:
    rec = {
        "n_before": 80,
        "n_after": 70,
        "mean_before": 6.5,
        "mean_after": 6.0,
        "mean_difference": -0.5,
        "mean_difference_ci_low": -1.0,
        "mean_difference_ci_high": 0.0,
        "p_t": 0.04,
        "improvement_sign": -1,
    }
    f = unlinked_finding(rec, LONELY, Disclosure(), "u")
    assert "unlinked surveys" in f.sentence and "not the same people" in f.sentence
    # An unadjusted p of 0.04 is not enough to call a difference.
    assert f.verdict == "no clear change" and "no multiplicity-adjusted test" in f.sentence
    assert "80 people answered before (average 6.50)" in f.sentence
    assert "linked" in design_sentence(has_comparison=False, linked=False)


def test_verdict_needs_an_adjusted_p() -> None:
    assert verdict({"mean_change": -1.0, "p_t": 0.0001, "improvement_sign": -1}) == (
        "no clear change"
    )


def _unlinked(**over: Any) -> dict[str, Any]:
    rec = {
        "n_before": 80,
        "n_after": 70,
        "mean_before": 6.5,
        "mean_after": 5.9,
        "mean_difference": -0.6,
        "mean_difference_ci_low": -0.9,
        "mean_difference_ci_high": -0.3,
        "p_t": 0.0004,
        "p_t_holm": 0.0012,
        "p_t_bh": 0.0008,
        "improvement_sign": -1,
    }
    rec.update(over)
    return rec


def test_unlinked_difference_is_clear_only_when_the_holm_adjusted_welch_test_says_so() -> None:
    clear = unlinked_finding(_unlinked(), LONELY, Disclosure(), "u")
    assert clear.verdict == "improved"
    assert "(improved; unlinked surveys)" in clear.sentence
    assert "adjusted p = 0.001" in clear.sentence
    # the unadjusted and BH p are below 0.05, the Holm p is not: no claim
    held = unlinked_finding(
        _unlinked(p_t=0.01, p_t_bh=0.03, p_t_holm=0.06), LONELY, Disclosure(), "u"
    )
    assert held.verdict == "no clear change"
    assert "(no clear difference; unlinked surveys)" in held.sentence
    assert "adjusted p = 0.060" in held.sentence


def test_unlinked_direction_comes_from_the_scale() -> None:
    # a lower average after is a worsening on belonging, an improvement on loneliness
    lower = _unlinked(mean_before=4.5, mean_after=3.9, improvement_sign=1)
    assert unlinked_finding(lower, BELONG, Disclosure(), "u").verdict == "worsened"
    assert unlinked_finding(_unlinked(), LONELY, Disclosure(), "u").verdict == "improved"


def test_unclear_change_with_an_interval_clear_of_zero_says_why() -> None:
    # The raw interval excludes zero, the adjusted test does not: the sentence explains it.
    f = _finding(_rec(p_t=0.004, p_t_holm=0.08))
    assert f.verdict == "no clear change"
    assert "could still arise by chance" in f.sentence
    crossing = _finding(
        _rec(p_t=0.3, p_t_holm=0.9, mean_change_ci_low=-0.4, mean_change_ci_high=0.2)
    )
    assert "could still arise by chance" not in crossing.sentence


def _unlinked_shares(beyond_before: int, beyond_after: int) -> dict:
    return {
        "design": "unlinked", "instrument": "phq9", "scale": "total", "group": None,
        "from_wave": "pre", "to_wave": "post", "n_before": 80, "n_after": 70,
        "mean_before": 11.0, "mean_after": 9.5, "mean_difference": -1.5,
        "mean_difference_ci_low": -2.5, "mean_difference_ci_high": -0.5, "p_t": 0.004,
        "p_t_holm": 0.004, "improvement_sign": -1, "threshold": 10.0,
        "threshold_rule": "score < 10", "n_beyond_before": beyond_before,
        "n_beyond_after": beyond_after, "risk_difference": beyond_after / 70 - beyond_before / 80,
        "risk_difference_ci_low": 0.05, "risk_difference_ci_high": 0.35,
        "note": "threshold: outside the clinical range score >= 10 (Kroenke 2001)",
    }  # fmt: skip


def test_unlinked_finding_gives_the_share_outside_the_clinical_range() -> None:
    from stigma_outcomes.report import build_report

    model = build_report({"meta": {}, "unlinked": [_unlinked_shares(30, 42)]})
    text = " ".join(model.summary.bullets)
    assert "Outside the clinical range (score < 10): 38% before (30 of 80)" in text
    assert "60% after (42 of 70)" in text


def test_unlinked_share_with_a_small_count_is_not_shown() -> None:
    from stigma_outcomes.report import build_report

    # 78 of 80 outside the range leaves 2 inside: the share would give those 2 away.
    model = build_report({"meta": {}, "unlinked": [_unlinked_shares(78, 42)]})
    text = " ".join(model.summary.bullets)
    assert "Outside the clinical range (score < 10): not shown" in text
    assert "78" not in text and "98%" not in text
