"""Data-quality table: counts say what they count, and alerts stay out."""

from __future__ import annotations

from stigma_outcomes.report.privacy import Disclosure
from stigma_outcomes.report.tables import ledger_table

from .conftest import ledger_fixture


def test_ledger_table_names_what_each_count_counts() -> None:
    d = Disclosure(5)
    table = ledger_table(ledger_fixture(), d)
    assert table is not None
    assert table.columns == ["Problem", "Times found", "People affected", "What was done"]
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
    assert table.caption == "UCLA-3: change from pre to post on every scale (linked pairs)"

    later = {**rec, "to_wave": "follow-up"}
    table = build_report({"meta": {}, "paired": [rec, later]}).outcomes[0].tables[0]
    assert table.columns[0] == "Scale · waves"
    assert [r[0] for r in table.rows] == ["Loneliness · pre→post", "Loneliness · pre→follow-up"]
    group = {**rec, "group": "A", "n_pairs": 50}
    table = build_report({"meta": {}, "paired": [rec, group]}).outcomes[0].tables[0]
    assert table.columns[0] == "Scale · group"
    assert [r[0] for r in table.rows] == ["Loneliness · Everyone", "Loneliness · A"]
