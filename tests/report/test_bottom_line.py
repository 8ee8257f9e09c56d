"""Page 1 in words: bottom lines, the follow-up verdict and the harm flag."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from stigma_outcomes.report import build_report
from stigma_outcomes.report.bottom_line import harm_flag, worse_not_clearly_below
from stigma_outcomes.report.content import RCI_COUNTS, record_key
from stigma_outcomes.report.privacy import Disclosure

from .conftest import paired_record

GOLDEN = Path(__file__).parent / "golden" / "harm" / "binom_less.csv"


def test_clearly_below_matches_r_binom_test() -> None:
    from scipy.stats import binomtest

    with GOLDEN.open() as f:
        cases = list(csv.DictReader(f))
    assert len(cases) == 12
    for case in cases:
        worse, better = int(case["worse"]), int(case["better"])
        ours = binomtest(worse, worse + better, 0.5, alternative="less").pvalue
        assert ours == pytest.approx(float(case["p_less"]), rel=1e-9, abs=1e-15)
        assert worse_not_clearly_below(worse, better) == (float(case["p_less"]) >= 0.05)


def test_clearly_below_decides_as_scipy_stats_binomtest() -> None:
    """The p without scipy.stats agrees with binomtest's, and so does every decision."""
    from scipy.stats import binomtest

    for n in [*range(1, 160), 401, 1000, 5001]:
        for worse in range(1, n + 1, max(1, n // 160)):
            better = n - worse
            reference = binomtest(worse, n, 0.5, alternative="less").pvalue
            assert worse_not_clearly_below(worse, better) == (reference >= 0.05)
            for alpha in (0.01, 0.1):
                assert worse_not_clearly_below(worse, better, alpha) == (reference >= alpha)


def _registered(rec: dict[str, Any], threshold: int = 5) -> Disclosure:
    d = Disclosure(threshold)
    key = record_key("paired", rec)
    d.count(f"{key}|n_pairs", rec["n_pairs"])
    for name in RCI_COUNTS:
        d.count(f"{key}|{name}", rec[name])
        d.share(f"{key}|{name}|pct", f"{key}|{name}", f"{key}|n_pairs")
    d.relation(f"{key}|n_pairs", [f"{key}|{n}" for n in RCI_COUNTS])
    d.resolve()
    return d


@pytest.mark.parametrize(
    ("n", "better", "worse", "flag"),
    [
        (49, 11, 11, True),  # as many worse as better (the REDCap sample's belonging)
        (46, 13, 9, True),  # 20% worse: at or above 15% whatever the better share
        (176, 66, 14, False),  # 8% worse, clearly fewer than the 38% better
        (101, 38, 12, False),  # 12% worse, clearly below 38% better
        (200, 20, 14, True),  # 7% worse, but not clearly below 10% better
        (100, 40, 0, False),  # nobody worse
        (1000, 300, 145, True),  # 14.5% is printed as 15%, so it flags
        (1000, 300, 144, False),  # 14.4% is printed as 14%
    ],
)
def test_harm_flag_fires_only_when_it_should(n: int, better: int, worse: int, flag: bool) -> None:
    rec = paired_record("gbs", "total", None, n, 4.0, 4.1, 1, 0.5, better, worse)
    assert harm_flag(rec, _registered(rec)) is flag


def test_a_hidden_count_raises_no_flag() -> None:
    # 4 of 20 worse (20%) would flag, but 4 is a small count: the flag must not hint at it.
    rec = paired_record("gbs", "total", None, 20, 4.0, 4.1, 1, 0.5, 6, 4)
    d = _registered(rec)
    assert not d.shown(f"{record_key('paired', rec)}|n_reliably_deteriorated")
    assert harm_flag(rec, d) is False


def test_harm_sentence_reaches_the_summary_with_both_shares() -> None:
    rec = paired_record("gbs", "total", None, 49, 4.08, 4.15, 1, 1.0, 11, 11)
    model = build_report({"meta": {}, "paired": [rec]})
    flags = [b for b in model.summary.bullets if b.startswith("Possible harm")]
    assert flags == [
        "Possible harm to check, General belongingness (GBS): 22% of participants got "
        "reliably worse, against 22% reliably better. Worth asking who they were and why."
    ]
    fine = paired_record("gbs", "total", None, 176, 3.97, 4.49, 1, 0.001, 66, 14)
    assert not [
        b for b in build_report({"meta": {}, "paired": [fine]}).summary.bullets if "harm" in b
    ]


def _with_followup(p_fu: float) -> dict[str, Any]:
    post = paired_record("ismi29", "total", None, 48, 2.35, 2.17, -1, 0.045, 18, 6)
    fu = {
        **paired_record("ismi29", "total", None, 32, 2.35, 2.19, -1, p_fu, 14, 6),
        "to_wave": "follow-up",
    }
    return {"meta": {"settings": {"followup": ["follow-up"]}}, "paired": [post, fu]}


def test_follow_up_verdict_says_whether_the_change_lasted() -> None:
    lost = build_report(_with_followup(0.67)).summary
    assert "By the follow-up survey it had not clearly lasted" in lost.bullets[0]
    assert "the improvement had not clearly lasted on ISMI total (ISMI-29)" in lost.paragraphs[0]
    kept = build_report(_with_followup(0.01)).summary
    assert "At the follow-up survey it had lasted" in kept.bullets[0]
    assert "the improvement had lasted on ISMI total (ISMI-29)" in kept.paragraphs[0]
    table = kept.tables[0]
    assert table.columns[-1] == "At the follow-up survey: change from pre"
    assert table.rows[0][-1] == "−0.16 (95% CI −0.47 to 0.15), 32 people: better"


def test_bottom_lines_are_short_and_plain() -> None:
    rec = paired_record("ucla3", "total", None, 155, 5.74, 5.60, -1, 0.73, 11, 6)
    model = build_report({"meta": {}, "paired": [rec]})
    (line,) = [b for b in model.summary.bullets if not b.startswith("Possible harm")]
    assert (
        line == "Loneliness (UCLA-3): no clear change (5.74 before, 5.60 after on the 3–9 scale)."
    )
    assert len(line.split()) < 40


def _attrition(p: float) -> dict[str, Any]:
    rec = paired_record("ismi29", "total", None, 175, 2.31, 2.22, -1, 0.01, 53, 27)
    lost = {
        "instrument": "ismi29", "scale": "total", "wave": "post", "group": None,
        "n_completers": 175, "n_dropouts": 63, "mean_completers": 2.31,
        "mean_dropouts": 2.50, "hedges_g": -0.43, "p": p,
    }  # fmt: skip
    return {"meta": {}, "paired": [rec], "attrition": [lost]}


def test_attrition_caveat_only_when_those_who_left_clearly_started_differently() -> None:
    bullets = build_report(_attrition(0.002)).summary.bullets
    # Not "did not answer the post survey": the drop-outs are everyone with no score at the
    # post wave, those who answered it but too few of the scale's questions included.
    assert (
        "Caveat: the people not scored on ISMI total (ISMI-29) at the post survey (not answered, "
        "or too few questions) had started worse than those scored (2.50 against 2.31 on the "
        "1–4 scale at the pre survey), so the people analysed may not represent everyone who "
        "started."
    ) in bullets
    assert not [b for b in build_report(_attrition(0.4)).summary.bullets if "Caveat" in b]


def test_a_hidden_follow_up_is_not_called_a_change_that_did_not_last() -> None:
    # Baseline → Week 6 is hidden (‡) so that its 3 missing people stay hidden: the main
    # message once read that as "had not clearly lasted", a claim nothing printed supports.
    from .conftest import three_wave_results, three_wave_scores

    scores = three_wave_scores()
    model = build_report(three_wave_results(scores), scores)
    d = model.disclosure
    assert d.status("paired|ucla3|total|Baseline|Week 6|*|n_pairs") == "hidden"
    text = model.all_text()
    assert "not clearly lasted" not in text
    assert "whether the improvement lasted on Loneliness (UCLA-3) is not shown" in text
    assert "Whether it lasted to the Week 6 survey is not shown" in text
    assert "too few people answered to say whether it lasted" not in text
