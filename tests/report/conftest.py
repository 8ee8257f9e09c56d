"""Results in the SPEC §6 layout, built by hand for unit tests of the report half.

End-to-end tests (tests/test_pipeline.py) use results computed by the comparison stage;
these fixtures pin the renderer's behaviour on known numbers, including a group of 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest


def paired_record(
    instrument: str,
    scale: str,
    group: str | None,
    n: int,
    pre: float,
    post: float,
    sign: int,
    p_holm: float,
    improved: int,
    worse: int,
) -> dict[str, Any]:
    change = post - pre
    return {
        "instrument": instrument,
        "scale": scale,
        "group": group,
        "design": "linked",
        "from_wave": "pre",
        "to_wave": "post",
        "n_pairs": n,
        "pre_mean": pre,
        "pre_sd": 1.41,
        "post_mean": post,
        "post_sd": 1.37,
        "mean_change": change,
        "mean_change_ci_low": change - 0.31,
        "mean_change_ci_high": change + 0.31,
        "sd_change": 1.2,
        "t": change / 0.1,
        "df": n - 1,
        "p_t": p_holm / 3,
        "p_t_holm": p_holm,
        "p_t_bh": p_holm / 2,
        "wilcoxon_v": 812.0,
        "p_wilcoxon": p_holm,
        "rank_biserial": -0.41,
        "d_z": change / 1.2,
        "d_z_ci_low": change / 1.2 - 0.2,
        "d_z_ci_high": change / 1.2 + 0.2,
        "d_av": change / 1.39,
        "g_av": change / 1.4,
        "improvement_sign": sign,
        "rci_reliability": 0.72,
        "rci_reliability_source": "definition: alpha (Hughes et al. 2004)",
        "rci_sd": 1.41,
        "rci_sd_source": "sample SD at pre",
        "rci_threshold": 2.07,
        "n_reliably_improved": improved,
        "n_reliably_deteriorated": worse,
        "n_no_reliable_change": n - improved - worse,
        "n_improved": improved + 20 if n > 40 else improved,
        "n_worsened": worse,
        "n_unchanged": n - (improved + 20 if n > 40 else improved) - worse,
        "prop_improved": 0.5,
    }


def results_with_small_group() -> dict[str, Any]:
    """Whole sample 63 = Intervention 60 + Comparison 3 (the group that must never show)."""
    return {
        "meta": {"package_version": "0.1.0", "settings": {"group_col": "arm"}},
        "paired": [
            paired_record("ucla3", "total", None, 63, 6.873, 5.912, -1, 0.0004, 19, 4),
            paired_record("ucla3", "total", "Intervention", 60, 6.901, 5.888, -1, 0.0003, 18, 3),
            paired_record("ucla3", "total", "Comparison", 3, 6.333, 6.333, -1, 0.9, 1, 1),
            paired_record("gbs", "total", None, 63, 4.512, 4.633, 1, 0.21, 7, 6),
            paired_record("gbs", "total", "Intervention", 60, 4.5, 4.64, 1, 0.2, 6, 6),
            paired_record("gbs", "total", "Comparison", 3, 4.7, 4.5, 1, 0.9, 1, 0),
        ],
        "unlinked": [],
        "mixed_models": [],
        "ancova": [],
        "attrition": [
            {
                "instrument": "ucla3",
                "scale": "total",
                "wave": "post",
                "n_completers": 63,
                "n_dropouts": 17,
                "mean_completers": 6.87,
                "mean_dropouts": 7.2,
                "t": -1.1,
                "df": 30.2,
                "p": 0.28,
                "hedges_g": -0.24,
            },
        ],
        "reliability": [
            {
                "instrument": "ucla3",
                "scale": "total",
                "wave": "pre",
                "n": 80,
                "alpha": 0.74,
                "alpha_ci_low": 0.64,
                "alpha_ci_high": 0.82,
                "omega_total": 0.75,
                "miskeyed_items": [],
            },
        ],
        "pooled": [],
    }


def scores_for(results: dict[str, Any]) -> pd.DataFrame:
    """Tidy scores whose flow matches the fixture: 63 pairs, 17 lost, names as codes."""
    rng = np.random.default_rng(1)
    rows = []
    arms = ["Intervention"] * 60 + ["Comparison"] * 3 + ["Intervention"] * 17
    for i, arm in enumerate(arms):
        pid = f"PID-SECRET-{i:03d}"
        for wave in ("pre", "post") if i < 63 else ("pre",):
            for inst, lo, hi in (("ucla3", 3, 9), ("gbs", 1, 7)):
                rows.append(
                    {
                        "participant_id": pid,
                        "wave": wave,
                        "arm": arm,
                        "instrument": inst,
                        "scale": "total",
                        "score": float(rng.integers(lo, hi + 1)),
                        "n_answered": 3,
                        "n_items": 3,
                        "status": "ok",
                        "band": None,
                    }
                )
    return pd.DataFrame(rows)


def ledger_fixture() -> pd.DataFrame:
    rows = [
        {
            "file": "pre.csv",
            "row": 4,
            "column": "Q10_2",
            "participant_id": "PID-SECRET-001",
            "wave": "pre",
            "instrument": "ucla3",
            "scale": None,
            "item": "2",
            "value": "jane.doe@example.org",
            "problem": "unknown_label",
            "action": "set_missing",
        },
        {
            "file": "pre.csv",
            "row": 9,
            "column": "Q11_1",
            "participant_id": "PID-SECRET-002",
            "wave": "pre",
            "instrument": "ismi29",
            "scale": None,
            "item": "1",
            "value": "5",
            "problem": "out_of_range",
            "action": "set_missing",
        },
        {
            "file": "pre.csv",
            "row": 12,
            "column": "Q9",
            "participant_id": "PID-SECRET-003",
            "wave": "pre",
            "instrument": "phq9",
            "scale": None,
            "item": "9",
            "value": "2",
            "problem": "alert_self_harm_item",
            "action": "flagged_for_evaluator",
        },
    ]
    rows += [
        {
            "file": "post.csv",
            "row": 10 + i,
            "column": "Q12_3",
            "participant_id": f"PID-X{i}",
            "wave": "post",
            "instrument": "gbs",
            "scale": None,
            "item": "3",
            "value": "",
            "problem": "missing_answer",
            "action": "left_missing",
        }
        for i in range(12)
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def small_group_results() -> dict[str, Any]:
    return results_with_small_group()


@pytest.fixture
def small_group_scores(small_group_results: dict[str, Any]) -> pd.DataFrame:
    return scores_for(small_group_results)


@pytest.fixture
def ledger() -> pd.DataFrame:
    return ledger_fixture()


def three_wave_scores() -> pd.DataFrame:
    """40 people at Baseline; 3 of them miss Week 6 and 6 others miss End (the tester's
    shape: the Week 6 loss is small, so 40 − the Week 6 pairs must not be printable)."""
    rng = np.random.default_rng(7)
    people = np.arange(40)
    waves = {"Baseline": people, "Week 6": people[3:], "End": people[np.r_[0:3, 9:40]]}
    drop = {"Baseline": 0, "Week 6": 1, "End": 3}
    frames = []
    for wave, who in waves.items():
        for inst, lo, hi in (("ucla3", 3, 9), ("gbs", 1, 7)):
            start = rng.integers(lo + 3, hi + 1, size=40).astype(float)
            frames.append(
                pd.DataFrame(
                    {
                        "participant_id": [f"PID-{i:03d}" for i in who],
                        "wave": wave,
                        "instrument": inst,
                        "scale": "total",
                        "score": np.clip(start[who] - drop[wave], lo, hi),
                        "n_answered": 3,
                        "n_items": 3,
                        "status": "ok",
                        "band": None,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def three_wave_results(scores: pd.DataFrame) -> dict[str, Any]:
    """The comparison stage's results for :func:`three_wave_scores`."""
    import stigma_outcomes as so

    return so.compare(scores, pre="Baseline", post="End", followup=["Week 6"]).to_dict()
