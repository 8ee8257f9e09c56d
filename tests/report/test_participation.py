"""Participant flow wording: a step that lost nobody is said plainly, not as "0 did not"."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.report.participation import flow_chart, flow_sentence, is_none_lost
from stigma_outcomes.report.privacy import Disclosure

from .plain_scores import group_flow_by_rows, score_tables

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


def _flow_counts_by_sorting(scores, from_wave, to_wave, followups):
    """The flow's counts as they were computed before (unique / intersect / groupby): the
    reference the presence-mark version must equal."""
    pid = pd.factorize(scores["participant_id"])[0]
    wave = scores["wave"].astype(str)
    is_pre, is_post = (wave == from_wave).to_numpy(), (wave == to_wave).to_numpy()
    pre_ids, post_ids = np.unique(pid[is_pre]), np.unique(pid[is_post])
    both = np.intersect1d(pre_ids, post_ids, assume_unique=True)
    ok = (scores["status"].astype(str) == "ok").to_numpy() & (is_pre | is_post)
    cell = pd.factorize(scores["instrument"])[0] * 100 + pd.factorize(scores["scale"])[0]
    keys = pd.DataFrame({"pid": pid[ok], "cell": cell[ok], "post": is_post[ok]})
    paired = keys.drop_duplicates().groupby(["pid", "cell"], sort=False).size()
    analysed = np.intersect1d(np.unique(paired[paired == 2].index.get_level_values("pid")), both)
    counts = {"flow|pre": len(pre_ids), "flow|both": len(both),
              "flow|no_post": len(pre_ids) - len(both), "flow|analysed": len(analysed),
              "flow|unscorable": len(both) - len(analysed)}  # fmt: skip
    for fu in followups:
        back = np.intersect1d(pre_ids, np.unique(pid[(wave == fu).to_numpy()]))
        counts[f"flow|fu|{fu}"] = len(back)
    return counts


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["p1", "p2", "p3", "p4", None]),
            st.sampled_from(["pre", "post", "fu", "other"]),
            st.sampled_from(["a", "b"]),
            st.sampled_from(["total", "sub"]),
            st.sampled_from(["ok", "too_few_items"]),
        ),
        min_size=1,
        max_size=40,
    ),
    categorical=st.booleans(),
    dense=st.booleans(),
)
def test_flow_counts_equal_the_sorting_reference(rows, categorical, dense) -> None:
    from stigma_outcomes.report import participation

    frame = pd.DataFrame(rows, columns=["participant_id", "wave", "instrument", "scale", "status"])
    if categorical:
        frame = frame.astype("category")
    want = _flow_counts_by_sorting(frame, "pre", "post", ["fu"])
    old = participation._DENSE_CELLS
    participation._DENSE_CELLS = old if dense else 0  # both ways of marking outcomes
    try:
        d = Disclosure(5)
        participation.flow_steps(frame, "pre", "post", d, ["fu"])
    finally:
        participation._DENSE_CELLS = old
    got = {key: d.values[key] for key in want}
    assert got == want


@settings(max_examples=60, deadline=None)
@given(scores=score_tables())
def test_group_flow_equals_the_row_reference(scores) -> None:
    """Each group's people at the first survey and who came back, through the scores'
    codes, as drop_duplicates and isin over rows counted them."""
    from stigma_outcomes.report.group_flow import register_group_flow

    d = Disclosure(1)
    groups = register_group_flow(scores, "arm", "pre", "post", d)
    got = {g: (d.values[f"flowg|{g}|pre"], d.values[f"flowg|{g}|both"]) for g in groups}
    assert got == group_flow_by_rows(scores, "pre", "post")


def _three_wave_report():
    from stigma_outcomes.report import build_report

    from .conftest import three_wave_results, three_wave_scores

    scores = three_wave_scores()
    return build_report(three_wave_results(scores), scores)


def test_a_small_follow_up_loss_cannot_be_worked_out_from_the_pairs_and_reach() -> None:
    # The tester's leak: the flow hid "3 did not answer Week 6" (and the 37 who did), but
    # the change table printed 37 pairs Baseline → Week 6 and Reach printed 40: 40 − 37 = 3.
    model = _three_wave_report()
    d = model.disclosure
    assert d.status("flow|no_fu|Week 6") == "small"
    week6 = [k for k in d.values if k.startswith("paired|") and "|Baseline|Week 6|*|" in k]
    pairs = [k for k in week6 if k.endswith("|n_pairs")]
    assert pairs and d.status("flow|pre") == "shown"
    # Every count of the people at both Baseline and Week 6 is hidden with the flow's own.
    at_both = [
        k
        for k in d.values
        if k.endswith(("Baseline|Week 6|*|n_pairs", "Baseline|Week 6|*|n_completers"))
        or k == "flow|fu|Week 6"
    ]
    assert {d.status(k) for k in at_both} == {"hidden"}, {k: d.status(k) for k in at_both}
    # ... and none of them is printed anywhere as 37, while 40 is.
    text = model.all_text()
    assert "40" in text
    for sec in [*model.outcomes, *model.sections]:
        for table in sec.tables:
            for row in table.rows:
                if "Week 6" in row[0]:
                    assert "37" not in row, (table.caption, row)
    # The audit knows why: each per-scale count is within its flow count.
    assert ("flow|fu|Week 6", pairs[0]) in d.inclusions


def test_main_contrast_stays_shown_when_a_follow_up_can_protect_the_small_loss() -> None:
    d = _three_wave_report().disclosure
    main = [k for k in d.values if k.endswith("|Baseline|End|*|n_pairs")]
    assert main and {d.status(k) for k in main} == {"shown"}
