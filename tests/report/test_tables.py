"""Data-quality table: counts say what they count, and alerts stay out."""

from __future__ import annotations

from stigma_outcomes.report.privacy import Disclosure
from stigma_outcomes.report.tables import ledger_table, register_ledger

from .conftest import ledger_fixture


def test_ledger_table_names_what_each_count_counts() -> None:
    d = Disclosure(5)
    table = ledger_table(register_ledger(ledger_fixture(), d), d)
    assert table is not None
    assert table.columns == ["Problem", "Times found (n)", "People affected (n)", "What was done"]
    assert "“–” where the problem is not about a person" in table.notes[0]
    problems = [r[0] for r in table.rows]
    assert "question left blank" in problems
    assert not any("alert" in p or "self harm" in p for p in problems)


def test_waves_are_named_once_when_a_table_has_one_contrast() -> None:
    from stigma_outcomes.report import build_report

    from .conftest import paired_record

    rec = paired_record("ucla3", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    table = build_report({"meta": {}, "paired": [rec]}).outcomes[0].tables[0]
    # No groups either: the first column is just the scale.
    assert table.columns[0] == "Scale"
    assert table.rows[0][0] == "Loneliness"
    assert table.caption == "UCLA-3: change from pre to post on every scale"

    later = {**rec, "to_wave": "follow-up"}
    table = build_report({"meta": {}, "paired": [rec, later]}).outcomes[0].tables[0]
    assert table.columns[0] == "Scale · waves"
    assert [r[0] for r in table.rows] == ["Loneliness · pre→post", "Loneliness · pre→follow-up"]
    group = {**rec, "group": "A", "n_pairs": 50}
    table = build_report({"meta": {}, "paired": [rec, group]}).outcomes[0].tables[0]
    assert table.columns[0] == "Scale · group"
    assert [r[0] for r in table.rows] == ["Loneliness · Everyone", "Loneliness · A"]


def test_counts_of_columns_are_shown_and_answers_bound_people() -> None:
    import pandas as pd

    ledger = pd.DataFrame(
        {
            "participant_id": [None, None, "p1", "p1", "p2", None],
            "problem": ["pii_column_dropped"] * 2 + ["out_of_range"] * 3 + ["not_administered"],
            "action": ["kept out of every output"] * 2
            + ["treated_as_missing"] * 3
            + ["not_scored_at_this_wave"],
        }
    )
    d = Disclosure(5)
    table = ledger_table(register_ledger(ledger, d), d)
    assert table is not None
    rows = {r[0]: r for r in table.rows}
    # Two columns are not two people: shown as they are.
    assert rows["personal-data column (name, e-mail, IP address…)"][1] == "2"
    # One questionnaire not asked at one wave is one wave, not one person.
    assert rows["questionnaire not asked at this survey wave"][1:] == [
        "1", "–", "not scored at this wave"
    ]  # fmt: skip
    # 3 answers from 2 people: both small, and the people count stays 1..4 for a reader.
    assert rows["answer outside the response scale"][1:3] == ["<5", "<5"]


def test_registering_after_marks_were_printed_is_refused() -> None:
    import pytest

    d = Disclosure(5)
    d.count("a", 3)
    assert d.mark("a") == "<5"
    with pytest.raises(RuntimeError):
        d.count("b", 7)
