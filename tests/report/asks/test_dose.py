from __future__ import annotations

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report import build_report
from stigma_outcomes.report.asks.dose import CAUTION, band_labels, register_dose
from stigma_outcomes.report.privacy import Disclosure

from .conftest import FIXTURE

OPTIONS = {"column": "sessions", "offered": 8, "complete_at": 6, "bands": [5, 6]}


def test_band_labels() -> None:
    assert band_labels([3, 6], 8) == ["0–2 sessions", "3–5 sessions", "6–8 sessions"]
    assert band_labels([1], None) == ["0 sessions", "1 or more sessions"]


def test_dose_summary_matches_r(scores, results) -> None:
    d = Disclosure(5)
    dose = register_dose(OPTIONS, results, scores, d, ("pre", "post"))
    assert dose is not None
    for k in ("median", "q1", "q3"):
        assert dose.summary[k] == pytest.approx(FIXTURE["sessions_q"][k], abs=1e-12)
    recorded = [s for s in FIXTURE["sessions"] if s is not None]
    assert d.values["ask|dose|recorded"] == len(recorded)
    assert d.values["ask|dose|completed"] == sum(s >= 6 for s in recorded)


def test_dose_section_with_caution_and_small_band(scores, results) -> None:
    model = build_report(results, scores, asks={"dose": OPTIONS})
    (sec,) = [s for s in model.sections if s.id == "dose"]
    assert CAUTION in sec.paragraphs
    bands = {r[0]: r[1] for r in sec.tables[0].rows}
    n_low = sum(s is not None and s < 5 for s in FIXTURE["sessions"])
    assert 0 < n_low < 5 and bands["0–4 sessions"] == "<5"
    assert bands["Not recorded"] in ("<5", "‡")  # 4 people with no attendance recorded
    change = {r[1]: r for r in sec.tables[1].rows}
    assert change["0–4 sessions"][2] == "<5" and change["0–4 sessions"][3] == ""
    assert (
        "completed the programme" in sec.paragraphs[0]
        or "attended at least 6" in (sec.paragraphs[0])
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({**OPTIONS, "complete_at": 7}, "not one of the band edges"),
        ({**OPTIONS, "bands": [5, 9]}, "beyond the 8 sessions offered"),
        ({**OPTIONS, "offered": 6}, "not a whole number of sessions from 0 to 6"),
    ],
)
def test_bad_dose_options_are_one_clear_error(scores, results, options, message) -> None:
    with pytest.raises(InputError, match=message):
        register_dose(options, results, scores, Disclosure(5), ("pre", "post"))


def test_non_numeric_sessions_are_refused(scores, results) -> None:
    scores.loc[scores["participant_id"] == "p00", "sessions"] = "six"
    with pytest.raises(InputError, match="1 value"):
        register_dose(OPTIONS, results, scores, Disclosure(5), ("pre", "post"))
