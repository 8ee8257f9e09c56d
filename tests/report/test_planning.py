"""The optional "Planning the next cohort" section of the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from stigma_outcomes.comparison import compare
from stigma_outcomes.comparison.pilot import plan_from_pilot
from stigma_outcomes.evaluation import load_evaluation
from stigma_outcomes.report import build_report
from stigma_outcomes.report.planning import TITLE, planning_section

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"


@pytest.fixture(scope="module")
def results():
    return compare(GOLDEN / "scores.csv", "pre", "post", followup=["fu"],
                   scale_info=GOLDEN / "scale_info.yaml")  # fmt: skip


def test_the_section_appears_only_when_asked(results):
    plain = build_report(results)
    assert TITLE not in [s.title for s in plain.sections]
    asked = build_report(results, planning={"power": 0.9})
    (section,) = [s for s in asked.sections if s.title == TITLE]
    assert "90% power" in section.paragraphs[0]
    assert section.paragraphs[-1].startswith("Pilot effects are noisy")


def test_the_numbers_are_the_pilot_plans(results):
    data = results.to_dict()
    rec = next(r for r in data["paired"] if r["group"] is None and r["to_wave"] == "post")
    key = f"{rec['instrument']}.{rec['scale']}"
    section = planning_section(data, {"outcomes": [key]}, 5)
    plan = plan_from_pilot(results, key, to_wave="post")
    (text,) = section.paragraphs[1:-1]
    assert f"{plan.point.n_analysed} participants" in text
    if plan.attrition_used > 0:
        assert f"about {plan.point.n_recruit} to recruit" in text


def test_a_suppressed_outcome_gets_no_plan(results):
    data = results.to_dict()
    for rec in data["paired"]:
        rec["suppress"] = True
    section = planning_section(data, {}, 5)
    assert all("too few people" in p for p in section.paragraphs[1:-1])
    assert not any("recruit" in p for p in section.paragraphs)


def test_the_evaluation_file_asks_for_it():
    base = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ucla3"],
            "report": {"planning": {"power": 0.85, "outcomes": ["ucla3.total"]}}}  # fmt: skip
    ev, _ = load_evaluation(base)
    assert ev.report.planning.power == 0.85 and ev.report.planning.alpha == 0.05
    none, _ = load_evaluation({**base, "report": {}})
    assert none.report.planning is None
