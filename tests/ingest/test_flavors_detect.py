"""Which platform each fixture export is recognised as, and why."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.ingest.flavors import detect_flavor
from stigma_outcomes.ingest.formats.sheet import Sheet
from stigma_outcomes.ingest.readers import read_export

from ._exports import EXPORTS


@pytest.mark.parametrize(
    ("name", "flavor", "reason"),
    [
        ("qualtrics_choice_text.csv", "qualtrics", "ImportId JSON row"),
        ("qualtrics_numeric.tsv", "qualtrics", "three header rows"),
        ("qualtrics_legacy.csv", "qualtrics", "legacy Qualtrics header"),
        ("qualtrics_spss.sav", "qualtrics", "ResponseId, Finished/Status"),
        ("redcap_longitudinal_raw.csv", "redcap", "redcap_event_name"),
        ("redcap_repeating.csv", "redcap", "redcap_repeat_instrument"),
        ("redcap_labels.csv", "redcap", "REDCap label headers"),
        ("surveymonkey.csv", "surveymonkey", "Respondent ID"),
        ("surveymonkey.xlsx", "surveymonkey", "Respondent ID"),
        ("google_forms_grid.csv", "google_forms", "Timestamp"),
        ("limesurvey_codes.csv", "limesurvey", "submitdate"),
        ("kobo.csv", "kobo", "KoboToolbox system column"),
        ("odk_briefcase.csv", "kobo", "SubmissionDate and KEY"),
        ("plain_cp1252.csv", "plain", "no platform signature"),
        ("long_waves.csv", "plain", "no platform signature"),
        ("survey.dta", "plain", "no platform signature"),
        ("survey.parquet", "plain", "no platform signature"),
    ],
)
def test_fixture_flavour_and_reason(name: str, flavor: str, reason: str) -> None:
    table = read_export(EXPORTS / name)
    assert table.flavor == flavor
    assert reason in table.metadata["flavor_reason"]


def _sheet(*rows: list[str]) -> Sheet:
    return Sheet(
        cells=pd.DataFrame(list(rows)), row_numbers=np.arange(1, len(rows) + 1), source="s.csv"
    )


@pytest.mark.parametrize(
    "header",
    [
        ["participant_id", "Status", "Progress", "ucla3_1"],  # one Qualtrics-like name only
        ["id", "timestamp_of_visit", "score"],  # 'timestamp' not first and not exact
        ["record", "form_complete", "q1"],  # _complete without a REDCap record ID first
        ["id", "key", "q1"],  # KEY alone is not ODK
    ],
)
def test_plain_tables_are_not_mistaken_for_a_platform(header: list[str]) -> None:
    assert detect_flavor(_sheet(header, ["A"] * len(header)))[0] == "plain"


# A REDCap "CSV (labels)" export whose record-ID field is labelled otherwise than 'Record ID':
# each form closes with a 'Complete?' column, so a multi-form export repeats that title.
@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (  # several forms, classic project: only the repeated 'Complete?' columns say it
            [
                ["Participant ID", "Age", "Complete?", "How often?", "Complete?"],
                ["1001", "30", "Complete", "Often", "Incomplete"],
                ["1002", "41", "Unverified", "", ""],
            ],
            "2 'Complete?' columns of form statuses",
        ),
        (  # raw values under label headers
            [["Study ID", "Age", "Complete?", "Q", "Complete?"], ["7", "30", "2", "1", "0"]],
            "2 'Complete?' columns of form statuses",
        ),
        (  # events, one form
            [
                ["Participant ID", "Event Name", "How often?", "Complete?"],
                ["1001", "Baseline (Arm 1: Arm 1)", "Often", "Complete"],
            ],
            "'Event Name', 'Complete?' of form statuses",
        ),
        (  # repeating instruments, a report without form status
            [
                ["Participant ID", "Repeat Instrument", "Repeat Instance", "How often?"],
                ["1001", "", "", "Often"],
                ["1001", "Weekly check-in", "1", "Often"],
            ],
            "'Repeat Instrument', 'Repeat Instance'",
        ),
        (  # events, a report without form status: REDCap's event labels say it
            [
                ["Participant ID", "Event Name", "How often?"],
                ["1001", "Baseline (Arm 1: Programme)", "Often"],
                ["1001", "Week 8 (Arm 1: Programme)", "Often"],
            ],
            "'Event Name' of REDCap event labels",
        ),
    ],
)
def test_redcap_label_headers_are_recognised_whatever_the_record_id_is_called(
    rows: list[list[str]], reason: str
) -> None:
    name, why = detect_flavor(_sheet(*rows))
    assert name == "redcap"
    assert reason in why


@pytest.mark.parametrize(
    "rows",
    [
        # 'Complete?' twice, but not form statuses: not REDCap (and refused as plain)
        [["id", "Complete?", "Complete?"], ["1", "yes", "no"]],
        # one 'Complete?' column of statuses and nothing else of REDCap's
        [["id", "q1", "Complete?"], ["1", "3", "Complete"]],
        # an 'Event Name' column of an events sheet, no REDCap event labels or statuses
        [["Name", "Event Name", "Complete?"], ["Ann", "Summer fair", "yes"]],
        [["Name", "Event Name", "Rating"], ["Ann", "Summer fair (2024)", "4"]],
        # 'Repeat Instrument' alone, not among the columns after the first
        [["id", "q1", "Repeat Instrument"], ["1", "2", "violin"]],
    ],
)
def test_tables_with_some_redcap_label_words_stay_plain(rows: list[list[str]]) -> None:
    assert detect_flavor(_sheet(*rows))[0] == "plain"


def test_detection_order_prefers_the_most_specific_signature() -> None:
    # A Qualtrics export whose embedded data happens to include a '_uuid' field.
    header = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "_uuid", "Q1"]
    assert detect_flavor(_sheet(header, ["x"] * len(header)))[0] == "qualtrics"
