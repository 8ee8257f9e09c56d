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


def test_detection_order_prefers_the_most_specific_signature() -> None:
    # A Qualtrics export whose embedded data happens to include a '_uuid' field.
    header = ["StartDate", "EndDate", "Status", "Finished", "ResponseId", "_uuid", "Q1"]
    assert detect_flavor(_sheet(header, ["x"] * len(header)))[0] == "qualtrics"
