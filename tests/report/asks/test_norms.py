from __future__ import annotations

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report import build_report
from stigma_outcomes.report.asks.norms import baseline, describe, register_norms, scale_norms
from stigma_outcomes.report.privacy import Disclosure

from .conftest import FIXTURE, make_results, make_scores


def _as_ismi(frame):
    # The ISMI's 24-item total has published norms; reuse the fixture's numbers on it.
    return frame.assign(instrument="ismi29", scale="total_without_sr")


def _ismi_results():
    res = make_results()
    res["paired"][0].update(instrument="ismi29", scale="total_without_sr")
    return res


def test_baseline_summary_matches_r() -> None:
    s = describe(baseline(make_scores(), "ucla3", "total", "pre"))
    want = FIXTURE["baseline"]
    assert s["n"] == want["n"]
    for k in ("mean", "sd", "low", "high"):
        assert s[k] == pytest.approx(want[k], abs=1e-10)


def test_norms_section_compares_with_the_definition() -> None:
    norms = scale_norms("ismi29", "total_without_sr")
    assert norms and scale_norms("ucla3", "total") == []
    model = build_report(_ismi_results(), _as_ismi(make_scores()), asks={"norms": {}})
    (sec,) = [s for s in model.sections if s.id == "norms"]
    (row,) = sec.tables[0].rows
    diff = (FIXTURE["baseline"]["mean"] - norms[0].mean) / norms[0].sd
    assert row[1] == "40" and row[5] == f"+{diff:.2f}"
    assert "standard deviations above" in sec.paragraphs[1]
    assert str(norms[0].source)[:30] in sec.tables[0].notes[0]


def test_small_baseline_is_not_compared() -> None:
    scores = _as_ismi(make_scores())
    scores = scores[scores["participant_id"].isin(["p00", "p01", "p02"])]
    d = Disclosure(5)
    norms = register_norms({}, _ismi_results(), scores, d, ("pre", "post"))
    assert norms is not None
    d.resolve()
    (row,) = norms.section(d).tables[0].rows
    assert row[1] == "<5" and row[2] == "not shown (small numbers)" and row[5] == ""


def test_outcome_without_norms_is_one_clear_error(scores, results) -> None:
    with pytest.raises(InputError, match="no published norms"):
        register_norms(
            {"outcomes": ["ucla3.total"]}, results, scores, Disclosure(5), ("pre", "post")
        )


def test_no_section_when_no_scale_has_norms(scores, results) -> None:
    assert register_norms({}, results, scores, Disclosure(5), ("pre", "post")) is None


def test_baseline_count_is_tied_to_the_attrition_count() -> None:
    res = _ismi_results()
    res["attrition"] = [
        {"instrument": "ismi29", "scale": "total_without_sr", "group": None, "wave": "post",
         "n_completers": 36, "n_dropouts": 4}
    ]  # fmt: skip
    d = Disclosure(5)
    d.count("attrition|ismi29|total_without_sr|post||*|n_baseline", 40)
    register_norms({}, res, _as_ismi(make_scores()), d, ("pre", "post"))
    key = "attrition|ismi29|total_without_sr|post||*|n_baseline"
    assert ("ask|norms|ismi29.total_without_sr|n", (key,)) in d.relations


def test_a_difference_that_rounds_to_zero_is_level() -> None:
    from types import SimpleNamespace

    from stigma_outcomes.report.asks.norms import _sentence
    from stigma_outcomes.report.outcomes import describe_outcome

    info = describe_outcome("ismi29", "total_without_sr")
    norm = SimpleNamespace(mean=2.29, sd=0.57, population="adults")
    text = _sentence(info, {"mean": 2.291}, [norm], 2)
    assert "level with the published average of 2.29 for adults" in text
    text = _sentence(info, {"mean": 2.6}, [norm], 2)
    assert "0.54 standard deviations above" in text and "(higher scores are worse)" in text
