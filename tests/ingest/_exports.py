"""Helpers shared by the flavour tests: fixture paths and a compact view of scores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def totals(result, scale: str = "total") -> dict[tuple[str, str], float | None]:
    """(participant, wave) → score of one scale (None where there is no score)."""
    table = result.scores[result.scores["scale"] == scale]
    return {
        (str(p), str(w)): (None if pd.isna(s) else float(s))
        for p, w, s in zip(table["participant_id"], table["wave"], table["score"], strict=True)
    }


def problems(result) -> list[tuple[object, object, str]]:
    """(row, column, problem) of every ledger row that concerns a row or a column."""
    ledger = result.ledger
    return [
        (None if pd.isna(r) else int(r), None if pd.isna(c) else c, p)
        for r, c, p in zip(ledger["row"], ledger["column"], ledger["problem"], strict=True)
    ]
