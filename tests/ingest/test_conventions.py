"""init, score and the long-layout reader take the same column as the participant ID."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.ingest.conventions import ID_CANDIDATES
from stigma_outcomes.ingest.layout import ID_COLUMNS
from stigma_outcomes.ingest.propose import propose
from stigma_outcomes.ingest.table import RawTable


def test_one_list_of_id_names() -> None:
    assert ID_COLUMNS is ID_CANDIDATES


@pytest.mark.parametrize("name", ["participantid", "respondent_id", "PID"])
def test_init_and_score_agree_on_the_id_column(name: str) -> None:
    frame = pd.DataFrame(
        {name: ["a", "b"], "ucla3_1": [1, 2], "ucla3_2": [2, 2], "ucla3_3": [3, 1]}
    )
    table = RawTable(frame=frame, source="pre.csv", row_numbers=np.array([2, 3]))
    proposed = propose([table], [so.load_instrument("ucla3")], named=True).files[0].id_col
    scored = so.score(frame, ["ucla3"]).scores["participant_id"].astype(str).tolist()
    assert proposed == name
    assert scored == ["a", "b"]


@pytest.mark.parametrize("name", ["partID", "subject_id", "SubjectID", "subj", "Subj_ID"])
def test_usual_research_id_names_are_taken(name: str) -> None:
    frame = pd.DataFrame(
        {name: ["a", "b"], "ucla3_1": [1, 2], "ucla3_2": [2, 2], "ucla3_3": [3, 1]}
    )
    table = RawTable(frame=frame, source="pre.csv", row_numbers=np.array([2, 3]))
    assert propose([table], [so.load_instrument("ucla3")]).files[0].id_col == name
    assert so.score(frame, ["ucla3"]).scores["participant_id"].astype(str).tolist() == ["a", "b"]


@pytest.mark.parametrize("name", ["subject", "URN"])
def test_names_that_often_mean_something_else_are_not_taken(name: str) -> None:
    """'subject' is as often a school subject or a topic; a URN is a school's Unique
    Reference Number or a hospital record number (personal data), not a study code."""
    assert name.casefold() not in ID_CANDIDATES
