"""The evaluation file's funder sections: each validated, each bad input one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.evaluation import load_evaluation

BASE = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ucla3"]}


def _load(report: dict):
    ev, _ = load_evaluation({**BASE, "report": report})
    return ev


def test_every_section_reaches_the_report_as_plain_data(tmp_path: Path) -> None:
    ev = _load(
        {
            "who": {"columns": ["gender"]},
            "dose": {"column": "sessions", "bands": [3, 6], "complete_at": 6},
            "targets": [{"outcome": "ucla3.total", "measure": "reliably_improved", "value": 60}],
            "norms": {},
            "cost": {"budget": 1000, "currency": "£", "outcome": "ucla3.total"},
            "voices": {"file": "quotes.yaml"},
            "narrative": {"file": "n.md", "recommendations": ["More"]},
        }
    )
    asks = ev.report.funder_asks(tmp_path)
    assert set(asks) == {"who", "dose", "targets", "norms", "cost", "voices", "narrative"}
    assert asks["voices"]["file"] == str((tmp_path / "quotes.yaml").resolve())
    assert asks["narrative"]["file"] == str((tmp_path / "n.md").resolve())
    assert asks["norms"] == {"outcomes": []}


def test_nothing_asked_gives_none(tmp_path: Path) -> None:
    assert _load({}).report.funder_asks(tmp_path) is None


@pytest.mark.parametrize(
    ("report", "field", "words"),
    [
        ({"who": {"columns": []}}, "report.who.columns", "at least 1"),
        ({"who": {"columns": ["g"], "colums": ["x"]}}, "report.who.colums", "not permitted"),
        ({"dose": {"column": "s", "bands": [6, 3]}}, "report.dose.bands", "ascending"),
        ({"dose": {"column": "s", "bands": [0]}}, "report.dose.bands", "positive"),
        ({"dose": {"column": "s"}}, "report.dose.bands", "required"),
        (
            {"targets": [{"outcome": "ucla3", "measure": "mean_change", "value": 1}]},
            "report.targets.0.outcome",
            "INSTRUMENT.SCALE",
        ),
        (
            {"targets": [{"outcome": "a.b", "measure": "reliably_improved", "value": 160}]},
            "report.targets.0.value",
            "0 to 100",
        ),
        (
            {"targets": [{"outcome": "a.b", "measure": "most_improved", "value": 1}]},
            "report.targets.0.measure",
            "reliably_improved",
        ),
        ({"norms": {"outcomes": "ucla3.total"}}, "report.norms.outcomes", "list"),
        (
            {"cost": {"budget": 0, "currency": "£", "outcome": "a.b"}},
            "report.cost.budget",
            "greater than 0",
        ),
        (
            {"cost": {"budget": 10, "currency": "pounds sterling", "outcome": "a.b"}},
            "report.cost.currency",
            "1 to 4 characters",
        ),
        ({"voices": {"file": "q.yaml", "max": 5}}, "report.voices.max", "less than or equal"),
        ({"voices": {}}, "report.voices.file", "required"),
        ({"narrative": {"text": "a", "file": "b.md"}}, "report.narrative", "not both"),
        ({"narrative": {}}, "report.narrative", "give 'text', 'file'"),
    ],
)
def test_bad_section_is_one_clear_error(report: dict, field: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        _load(report)
    message = str(info.value)
    assert f"field '{field}'" in message and words in message
    assert "Traceback" not in message
