"""Reliable and clinically significant change, worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.comparison.pairing import pair_waves, valid_scores
from stigma_outcomes.comparison.rci import participant_rci, rci_input, rci_inputs
from stigma_outcomes.comparison.scale_facts import ScaleMeta

BASELINE = np.array([10.0, 12.0, 14.0, 16.0, 18.0])  # mean 14, SD √10


def test_s_diff_and_threshold_by_hand():
    meta = ScaleMeta("x", "t", "higher_is_worse", reliability=0.8, reliability_source="manual")
    inp = rci_input(meta, BASELINE, "pre")
    s_diff = math.sqrt(10) * math.sqrt(2) * math.sqrt(0.2)  # = 2
    assert inp.rci_s_diff == pytest.approx(s_diff)
    assert inp.rci_threshold == pytest.approx(1.96 * 2)
    assert inp.rci_sd == pytest.approx(math.sqrt(10))
    assert inp.rci_sd_source == "baseline sample SD: all valid scores at wave 'pre', n = 5"
    assert inp.rci_reliability_source == "manual"


def test_recovery_criteria_in_order_of_preference():
    base = ScaleMeta("x", "t", "higher_is_worse", reliability=0.8)
    crit_a = rci_input(base, BASELINE, "pre")
    assert crit_a.recovery_criterion == "a"
    assert crit_a.clinical_cutoff == pytest.approx(14 - 2 * math.sqrt(10))
    assert crit_a.clinical_cutoff_operator == ">"
    normed = ScaleMeta("x", "t", "higher_is_worse", reliability=0.8, norm_mean=8.0, norm_sd=2.0,
                       norm_source="adults: book")  # fmt: skip
    crit_c = rci_input(normed, BASELINE, "pre")
    s0 = math.sqrt(10)
    assert crit_c.recovery_criterion == "c"
    assert crit_c.clinical_cutoff == pytest.approx((s0 * 8 + 2 * 14) / (s0 + 2))
    published = ScaleMeta("x", "t", "higher_is_worse", reliability=0.8, norm_mean=8.0,
                          norm_sd=2.0, clinical_cutoff=13.0, clinical_cutoff_operator=">=",
                          clinical_cutoff_source="manual")  # fmt: skip
    crit_p = rci_input(published, BASELINE, "pre")
    assert (crit_p.recovery_criterion, crit_p.clinical_cutoff) == ("published", 13.0)
    better = rci_input(ScaleMeta("x", "t", "higher_is_better", reliability=0.8), BASELINE, "pre")
    assert better.clinical_cutoff == pytest.approx(14 + 2 * math.sqrt(10))
    assert better.clinical_cutoff_operator == "<"


def test_norm_sd_when_asked_and_fallback_note():
    normed = ScaleMeta("x", "t", "higher_is_worse", reliability=0.5, norm_mean=8.0, norm_sd=3.0,
                       norm_source="adults: book")  # fmt: skip
    inp = rci_input(normed, BASELINE, "pre", sd_source="norms")
    assert inp.rci_sd == 3.0 and inp.rci_sd_source == "norm SD: adults: book"
    plain = rci_input(ScaleMeta("x", "t", "higher_is_worse", reliability=0.5), BASELINE, "pre",
                      sd_source="norms")  # fmt: skip
    assert plain.rci_sd == pytest.approx(math.sqrt(10)) and "no norms" in plain.note


def test_no_reliability_means_undefined_not_zero():
    inp = rci_input(ScaleMeta("x", "t", "higher_is_worse"), BASELINE, "pre")
    assert math.isnan(inp.rci_s_diff) and math.isnan(inp.rci_threshold)
    assert "no reliability" in inp.note


def test_participant_classification_follows_direction():
    # S_diff = 2, so the threshold is 3.92 points
    scores = pd.DataFrame(
        {
            "participant_id": list("abcde") * 2,
            "wave": ["pre"] * 5 + ["post"] * 5,
            "instrument": "x",
            "scale": "t",
            "score": [*BASELINE, 5.0, 12.0, 9.0, 20.0, 18.0],
            "status": "ok",
        }
    )
    valid = valid_scores(scores)
    meta = {("x", "t"): ScaleMeta("x", "t", "higher_is_worse", reliability=0.8,
                                  clinical_cutoff=11.0, clinical_cutoff_operator=">=",
                                  clinical_cutoff_source="manual")}  # fmt: skip
    inputs = rci_inputs(valid, "pre", meta)
    table = participant_rci(pair_waves(valid, "pre", "post"), inputs, meta)
    table = table.set_index("participant_id")
    # changes: a −5, b 0, c −5, d +4, e 0 → RCI −2.5, 0, −2.5, 2, 0 (higher is worse)
    assert table["rci"].tolist() == pytest.approx([-2.5, 0.0, -2.5, 2.0, 0.0])
    assert table["reliable_change"].tolist() == [
        "improved", "no_change", "improved", "deteriorated", "no_change",
    ]  # fmt: skip
    # a: 10 (not clinical, cutoff ≥ 11) → 5: improved but was never clinical
    # c: 14 (clinical) → 9 (not clinical): recovered
    assert table["recovered"].tolist() == [False, False, True, False, False]
    assert table["clinical_at_pre"].tolist() == [False, True, True, True, True]


def test_reliable_change_table_from_tidy_scores():
    from stigma_outcomes.comparison import reliable_change_table

    scores = pd.DataFrame(
        {
            "participant_id": list("abcd") * 2,
            "wave": ["pre"] * 4 + ["post"] * 4,
            "site": ["n", "n", "s", "s"] * 2,
            "instrument": "ucla3",
            "scale": "total",
            "score": [9.0, 8.0, 4.0, 3.0, 3.0, 8.0, 9.0, 3.0],
            "status": "ok",
        }
    )
    table = reliable_change_table(scores, "pre", "post", group_by="site")
    assert list(table.columns[:6]) == [
        "instrument", "scale", "participant_id", "group", "from_wave", "to_wave",
    ]  # fmt: skip
    assert table.set_index("participant_id")["group"].to_dict() == {
        "a": "n", "b": "n", "c": "s", "d": "s",
    }  # fmt: skip
    # baseline SD = sd(9, 8, 4, 3) with the definition's alpha 0.72 (ucla3 is higher-is-worse)
    s_diff = float(np.std([9.0, 8, 4, 3], ddof=1)) * math.sqrt(2) * math.sqrt(1 - 0.72)
    assert table["rci"].tolist() == pytest.approx([-6 / s_diff, 0.0, 5 / s_diff, 0.0])
    assert table["reliable_change"].tolist() == [
        "improved", "no_change", "deteriorated", "no_change",
    ]  # fmt: skip
    # ucla3's published cutoff: lonely at >= 6; a goes from 9 (lonely) to 3
    assert table["recovered"].tolist() == [True, False, False, False]
