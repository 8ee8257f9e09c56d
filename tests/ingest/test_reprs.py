"""Short reprs on the REDCap sample: the objects a notebook shows are counts, never data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import stigma_outcomes as so

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
WAVES = {"pre": "baseline_arm_1", "post": "post_arm_1", "followup": ["followup_arm_1"]}


@pytest.fixture(scope="module")
def redcap():
    table = so.read_export(
        SAMPLE / "redcap_longitudinal.csv", dictionary=SAMPLE / "redcap_data_dictionary.csv"
    )
    instruments = ["ucla3", "ismi29", "gbs"]
    responses = so.load_responses(table, instruments, wave_col="redcap_event_name")
    scored = so.score(table, instruments, wave_col="redcap_event_name")
    results = so.compare(scored, **WAVES)
    report = so.build_report(results, scored.scores, scored.ledger)
    return {"responses": responses, "scores": scored, "results": results, "report": report}


@pytest.mark.parametrize("name", ["responses", "scores", "results", "report"])
def test_repr_is_one_short_line_without_participant_ids(redcap, name: str) -> None:
    text = repr(redcap[name])
    assert len(text) < 300 and "\n" not in text, text
    ids = set(redcap["responses"].frame["participant_id"].astype(str))
    assert not any(f"'{i}'" in text for i in ids)


def test_item_responses_counts_and_html_table(redcap) -> None:
    responses = redcap["responses"]
    text = repr(responses)
    assert text.startswith("ItemResponses(instruments=['ucla3', 'ismi29', 'gbs'], rows=142,")
    assert "participants=60" in text and "'followup_arm_1': 33" in text
    html = responses._repr_html_()
    assert html.count("<tr>") == 4 and "<td>baseline_arm_1</td><td>60</td>" in html


def test_report_model_repr_names_title_and_parts(redcap) -> None:
    # The counts of findings, sections and tables follow the report's design; the form does not.
    pattern = r"ReportModel\(title='Programme outcome report', findings=\d+, outcomes=3, "
    assert re.fullmatch(pattern + r"sections=\d+, tables=\d+\)", repr(redcap["report"]))
