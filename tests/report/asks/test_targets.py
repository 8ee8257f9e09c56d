from __future__ import annotations

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report import build_report
from stigma_outcomes.report.asks.targets import register_targets

from .conftest import make_results


def _rows(results, scores, targets):
    model = build_report(results, scores, asks={"targets": targets})
    (sec,) = [s for s in model.sections if s.id == "targets"]
    return sec, sec.tables[0].rows


def test_share_target_missed_with_shortfall(scores, results) -> None:
    t = {"outcome": "ucla3.total", "measure": "reliably_improved", "value": 60, "label": "L"}
    sec, (row,) = _rows(results, scores, [t])
    # 12 of 40 is 30%: 30 points short of 60%
    assert row == ["L", "Everyone", "30% (12 of 40)", "Not met", "30.0 percentage points"]
    assert "0 of the 1 that could be judged" in sec.paragraphs[0]


def test_deterioration_and_mean_change_targets(scores, results) -> None:
    targets = [
        {"outcome": "ucla3.total", "measure": "reliably_deteriorated", "value": 10},
        {"outcome": "ucla3.total", "measure": "mean_change", "value": 0.5},
        {"outcome": "ucla3.total", "measure": "mean_change", "value": 1.0},
    ]
    _, rows = _rows(results, scores, targets)
    # 3 reliably worse is a small count: its share is not printed, nor a verdict drawn from it
    assert rows[0][2:4] == ["not shown (small numbers)", "cannot be judged"]
    change = -results["paired"][0]["mean_change"]  # lower is better: improvement is positive
    assert change == pytest.approx(0.825)
    assert rows[1][2].startswith("+0.82") or rows[1][2].startswith("+0.83")
    assert rows[1][3] == "Met" and rows[2][3] == "Not met"
    assert rows[2][4] in ("0.17 points", "0.18 points")


def test_suppressed_count_cannot_be_judged(scores) -> None:
    results = make_results(improved=3, worse=3)
    t = {"outcome": "ucla3.total", "measure": "reliably_improved", "value": 5}
    _, (row,) = _rows(results, scores, [t])
    assert row[2:4] == ["not shown (small numbers)", "cannot be judged"]


def test_unknown_outcome_is_one_clear_error(results) -> None:
    with pytest.raises(InputError, match=r"'gbs\.total' has no before–after results"):
        register_targets(
            [{"outcome": "gbs.total", "measure": "mean_change", "value": 1}], results, None
        )


def test_a_change_without_an_interval_cannot_be_judged(scores, results) -> None:
    """A record with a change but no interval (one pair under a privacy limit of 1, or an
    edited file) gives "cannot be judged", not a TypeError."""
    results["paired"][0]["mean_change_ci_low"] = None
    t = {"outcome": "ucla3.total", "measure": "mean_change", "value": 0.5}
    _, (row,) = _rows(results, scores, [t])
    assert row[2:4] == ["no interval (too few people)", "cannot be judged"]
