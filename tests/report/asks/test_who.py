from __future__ import annotations

import pandas as pd
import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report import build_report
from stigma_outcomes.report.asks.who import register_who
from stigma_outcomes.report.privacy import Disclosure


def test_who_counts_and_subgroups_through_the_audit(scores, results) -> None:
    model = build_report(results, scores, asks={"who": {"columns": ["gender"]}})
    (sec,) = [s for s in model.sections if s.id == "who-took-part"]
    counts, change = sec.tables
    rows = {r[0]: r for r in counts.rows}
    assert rows["A"][1] == "22" and rows["All"][1] == "40"
    # B (14) and C (4) are folded together: C alone would be below the threshold
    assert "C" not in rows and rows["Other or not stated"][1] == "18"
    by = {r[1]: r for r in change.rows}
    assert by["A"][2] == "22" and by["Other or not stated"][2] == "18"


def test_without_merging_a_small_subgroup_is_hidden(scores, results) -> None:
    asks = {"who": {"columns": ["gender"], "merge_small": False}}
    model = build_report(results, scores, asks=asks)
    (sec,) = [s for s in model.sections if s.id == "who-took-part"]
    counts, change = sec.tables
    rows = {r[0]: r for r in counts.rows}
    assert rows["C"][1] == "<5"
    assert "‡" in (rows["A"][1], rows["B"][1])  # else C = 40 − A − B
    by = {r[1]: r for r in change.rows}
    assert by["C"][2] == "<5" and by["C"][3] == ""
    assert "4" not in [c for r in counts.rows for c in r]


def test_column_not_carried_is_one_clear_error(scores, results) -> None:
    with pytest.raises(InputError, match="'age_band', which is not in the scores"):
        register_who({"columns": ["age_band"]}, results, scores, Disclosure(5), ("pre", "post"))


def test_identifying_column_is_refused(scores, results) -> None:
    scores = scores.assign(code=scores["participant_id"])
    with pytest.raises(InputError, match="cannot group people"):
        register_who({"columns": ["code"]}, results, scores, Disclosure(5), ("pre", "post"))


def test_demographics_use_first_survey_people_only(results) -> None:
    from .conftest import make_scores

    s = make_scores()
    extra = pd.DataFrame(
        {"participant_id": ["late"], "wave": ["post"], "gender": ["Z"], "sessions": [""],
         "instrument": ["ucla3"], "scale": ["total"], "score": [5.0], "status": ["ok"]}
    )  # fmt: skip
    d = Disclosure(5)
    who = register_who({"columns": ["gender"]}, results, pd.concat([s, extra]), d, ("pre", "post"))
    assert who is not None and d.values[who.counts["gender"].total_key] == 40
