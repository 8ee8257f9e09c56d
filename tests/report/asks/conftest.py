"""A small constructed study (from the R fixture) for the funder-section tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "asks_stats.json").read_text())


def make_scores(fx: dict[str, Any] = FIXTURE) -> pd.DataFrame:
    """Tidy scores: UCLA-3 total at pre and post, gender at both, sessions at post only."""
    n = len(fx["pre"])
    ids = [f"p{i:02d}" for i in range(n)]
    sessions = ["" if s is None else str(s) for s in fx["sessions"]]
    frames = []
    for wave, score, dose in (("pre", fx["pre"], [""] * n), ("post", fx["post"], sessions)):
        frames.append(
            pd.DataFrame(
                {
                    "participant_id": ids,
                    "wave": wave,
                    "gender": fx["group"],
                    "sessions": dose,
                    "instrument": "ucla3",
                    "scale": "total",
                    "score": np.asarray(score, float),
                    "status": "ok",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def make_results(fx: dict[str, Any] = FIXTURE, improved: int = 12, worse: int = 3) -> dict:
    """A one-group results record that matches the scores (counts and mean change)."""
    change = np.asarray(fx["post"], float) - np.asarray(fx["pre"], float)
    n = len(change)
    return {
        "meta": {"settings": {"group_col": None, "group_levels": []}},
        "paired": [
            {
                "instrument": "ucla3",
                "scale": "total",
                "from_wave": "pre",
                "to_wave": "post",
                "group": None,
                "n_pairs": n,
                "n_reliably_improved": improved,
                "n_no_reliable_change": n - improved - worse,
                "n_reliably_deteriorated": worse,
                "improvement_sign": -1,
                "mean_change": float(change.mean()),
                "mean_change_ci_low": float(change.mean()) - 0.4,
                "mean_change_ci_high": float(change.mean()) + 0.4,
                "pre_mean": float(np.mean(fx["pre"])),
                "post_mean": float(np.mean(fx["post"])),
            }
        ],
    }


@pytest.fixture
def scores() -> pd.DataFrame:
    return make_scores()


@pytest.fixture
def results() -> dict:
    return make_results()
