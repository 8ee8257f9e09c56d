"""``ScoreResult``'s counts: what is a data problem, what is a note on the layout."""

from __future__ import annotations

from pathlib import Path

import stigma_outcomes as so
from stigma_outcomes.scoring.result import LAYOUT_NOTES

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_layout_notes_are_not_data_problems() -> None:
    mapping = {"instruments": {"ucla3": {"pattern": "lonely_{item}"}}}
    result = so.score(EXPORTS / "redcap_repeating_checkins.csv", ["ucla3"], mapping=mapping)
    kinds = set(result.ledger["problem"])
    assert "repeat_instances_as_waves" in kinds  # the name ingest writes, as listed here
    assert set(LAYOUT_NOTES) <= kinds
    assert result.notes_by_type() == {"repeat_instances_as_waves": 2}
    assert not set(result.problems_by_type()) & set(LAYOUT_NOTES)
    # every ledger line is counted once: a problem, a note or an instrument not asked
    counted = sum(result.problems_by_type().values()) + sum(result.notes_by_type().values())
    assert counted + len(result.not_asked()) == len(result.ledger)
    assert result.summary()["notes"] == result.notes_by_type()
