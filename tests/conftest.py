"""Shared helpers for the test suite."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest

from stigma_outcomes.instruments import load_instrument


def responses_frame(
    instrument_id: str,
    rows: dict[str, Sequence[object]],
    item_ids: Sequence[str] | None = None,
    **extra: Sequence[object],
) -> pd.DataFrame:
    """A wide export: one row per participant, columns <instrument>_<item> in item order."""
    items = list(item_ids or load_instrument(instrument_id).item_ids)
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for position, item in enumerate(items):
        data[f"{instrument_id}_{item}"] = [values[position] for values in rows.values()]
    for name, values in extra.items():
        data[name] = list(values)
    return pd.DataFrame(data)


def scale_scores(result, scale: str) -> dict[str, float]:
    """participant_id → score for one scale of a ScoreResult."""
    table = result.scores[result.scores["scale"] == scale]
    return dict(zip(table["participant_id"], table["score"], strict=True))


@pytest.fixture
def ucla3():
    return load_instrument("ucla3")


@pytest.fixture
def ismi29():
    return load_instrument("ismi29")


@pytest.fixture
def gbs():
    return load_instrument("gbs")
