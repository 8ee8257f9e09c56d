"""Participant flow wording: a step that lost nobody is said plainly, not as "0 did not"."""

from __future__ import annotations

from stigma_outcomes.report.participation import flow_chart, flow_sentence, is_none_lost
from stigma_outcomes.report.privacy import Disclosure

STEPS = [
    ("flow|pre", "Took part: answered the pre survey", "flow|no_post", "did not answer"),
    ("flow|both", "Answered both", "flow|unscorable", "answered too few questions"),
    ("flow|analysed", "Analysed", None, None),
]


def _disclosure(unscorable: int) -> Disclosure:
    d = Disclosure(5)
    for key, value in {
        "flow|pre": 240,
        "flow|both": 178,
        "flow|no_post": 62,
        "flow|analysed": 178 - unscorable,
        "flow|unscorable": unscorable,
    }.items():
        d.count(key, value)
    return d


def test_nobody_lost_reads_as_all_analysed() -> None:
    text = flow_sentence(STEPS, _disclosure(0), ("pre", "post"))
    assert text.endswith("and all 178 were analysed.")
    assert "0 answered" not in text


def test_a_real_loss_is_still_counted() -> None:
    text = flow_sentence(STEPS, _disclosure(9), ("pre", "post"))
    assert "169 were analysed (9 answered too few questions to be scored)" in text


def test_flow_chart_draws_no_arrow_for_a_step_without_loss() -> None:
    chart = flow_chart(STEPS, _disclosure(0))
    losses = [s["loss"] for s in chart.data["steps"]]
    assert losses == ["62 did not answer", None, None]


def test_a_small_loss_is_not_mistaken_for_none() -> None:
    d = _disclosure(3)
    assert not is_none_lost(d, "flow|unscorable") and d.mark("flow|unscorable") == "<5"
    assert flow_chart(STEPS, d).data["steps"][1]["loss"] == "<5 answered too few questions"
