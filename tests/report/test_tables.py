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
